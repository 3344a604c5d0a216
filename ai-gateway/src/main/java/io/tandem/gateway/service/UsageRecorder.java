package io.tandem.gateway.service;

import io.smallrye.mutiny.Uni;
import io.tandem.events.EventIds;
import io.tandem.gateway.messaging.AuditPublisher;
import io.tandem.gateway.repository.RunUsageRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** One forwarded request's usage: into the run's row of {@code run_usage}, an audit event and the metrics. */
@ApplicationScoped
public class UsageRecorder {

    public static final String AUDIT_TYPE = "ai-gateway.usage";

    private final RunUsageRepository usage;
    private final AuditPublisher audit;
    private final GatewayMetrics metrics;

    public UsageRecorder(RunUsageRepository usage, AuditPublisher audit, GatewayMetrics metrics) {
        this.usage = usage;
        this.audit = audit;
        this.metrics = metrics;
    }

    /**
     * @param requestId the request's own id: an audit event per request, with an id that a repeat of this
     *        call would reproduce
     * @param model the requested model, or null (counted as {@code unknown})
     */
    public Uni<Void> record(String requestId, GatewayClaims run, Provider provider, String model, int status,
            UsageCounter counted) {
        metrics.tokens(provider, counted.inputTokens(), counted.outputTokens());
        String modelName = model == null ? "unknown" : model;
        Map<String, String> data = new LinkedHashMap<>();
        data.put("provider", provider.id());
        data.put("model", modelName);
        data.put("status", Integer.toString(status));
        data.put("inputTokens", Long.toString(counted.inputTokens()));
        data.put("outputTokens", Long.toString(counted.outputTokens()));
        if (run.groupId() != null) {
            data.put("groupId", run.groupId().toString());
        }
        if (run.agent() != null) {
            data.put("agent", run.agent());
        }
        Uni<Void> stored = counted.reported()
                ? usage.add(run.runId(), provider.id(), modelName, LocalDate.now(ZoneOffset.UTC), run.projectId(),
                        run.groupId(), run.user(), run.userId(), counted.inputTokens(), counted.outputTokens())
                : Uni.createFrom().voidItem();
        return stored.chain(() -> audit.publish(EventIds.derive(AUDIT_TYPE, requestId), run.runId(), AUDIT_TYPE,
                run.projectId(), run.runId(), run.user(), run.serviceAccount(), data));
    }
}
