package io.tandem.publisher.messaging;

import io.smallrye.mutiny.Uni;
import io.tandem.events.AuditEvent;
import io.tandem.publisher.service.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Stores the audit events of every service, result-publisher's own among them. */
@ApplicationScoped
public class AuditConsumer {

    private final AuditLog auditLog;

    public AuditConsumer(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @Incoming("audit-in")
    public Uni<Void> store(AuditEvent event) {
        return auditLog.store(event).replaceWithVoid();
    }
}
