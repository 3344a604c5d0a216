package io.tandem.launcher.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tandem.events.InvocationAuthorized;
import io.tandem.events.RunState;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tandem_runs_finished_total{state}} and {@code tandem_webhook_to_pipeline_seconds}, the histogram of
 * the time from the triggering webhook to the run's pipeline, with buckets at the SLOs (docs/observability.md).
 */
@ApplicationScoped
public class RunMetrics {

    private final Map<RunState, Counter> finished = new EnumMap<>(RunState.class);
    private final Timer webhookToPipeline;

    public RunMetrics(MeterRegistry registry) {
        for (RunState state : RunState.values()) {
            // REFUSED is result-publisher's (identity-service denied the run): the launcher never has such a run.
            if (state.terminal() && state != RunState.REFUSED) {
                finished.put(state, Counter.builder("tandem.runs.finished")
                        .description("Runs that reached a terminal state, by that state")
                        .tag("state", state.name().toLowerCase(Locale.ROOT))
                        .register(registry));
            }
        }
        webhookToPipeline = Timer.builder("tandem.webhook.to.pipeline")
                .description("From the webhook that triggered a run to its pipeline created in GitLab")
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(1),
                        Duration.ofSeconds(5))
                .publishPercentileHistogram()
                .register(registry);
    }

    /**
     * When webhook-ingest accepted the webhook that triggered the run; for a record written before invocations
     * carried it, the time identity-service authorized the run, the earliest the launcher sees.
     */
    public static Instant triggeredAt(InvocationAuthorized event) {
        Instant triggered = event.invocation().triggeredAt();
        return triggered != null ? triggered : event.occurredAt();
    }

    public void runFinished(RunState state) {
        Counter counter = finished.get(state);
        if (counter != null) {
            counter.increment();
        }
    }

    /** A null {@code triggeredAt} (a run re-driven after a restart, whose trigger time is unknown) is not timed. */
    public void pipelineCreated(Instant triggeredAt) {
        if (triggeredAt != null) {
            Duration latency = Duration.between(triggeredAt, Instant.now());
            webhookToPipeline.record(latency.isNegative() ? Duration.ZERO : latency);
        }
    }
}
