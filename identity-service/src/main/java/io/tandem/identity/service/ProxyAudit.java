package io.tandem.identity.service;

import io.tandem.events.EventIds;
import io.tandem.identity.messaging.AuditPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/** {@code proxy.write}: every write the proxy forwarded, naming the service account and the human. */
@ApplicationScoped
public class ProxyAudit {

    private static final Logger LOG = Logger.getLogger(ProxyAudit.class);

    private final AuditPublisher audit;

    public ProxyAudit(AuditPublisher audit) {
        this.audit = audit;
    }

    /** {@code path} without its query string, which could carry a token. */
    public void write(ProxyAuthorizer.Authorized authorized, String method, String path, int status, String via,
            Map<String, String> extra) {
        RunContext run = authorized.run();
        Map<String, String> data = new LinkedHashMap<>();
        data.put("method", method);
        data.put("path", path);
        data.put("status", String.valueOf(status));
        data.put("via", via);
        data.put("serviceAccount", run.serviceAccountUsername());
        data.put("human", run.humanUsername());
        data.put("jti", run.claims().jti());
        data.putAll(extra);
        String runId = run.claims().runId();
        // Each forwarded write is its own event: a random part keeps two identical writes apart.
        audit.publish(EventIds.derive("audit", "proxy.write", runId, UUID.randomUUID().toString()), Instant.now(), runId,
                "proxy.write", run.projectId(), runId, run.humanUsername(), run.serviceAccountUsername(), data)
                .subscribe().with(ignored -> {
                }, failure -> LOG.warnf("audit event proxy.write of run %s not published: %s", runId,
                        failure.getClass().getName()));
    }
}
