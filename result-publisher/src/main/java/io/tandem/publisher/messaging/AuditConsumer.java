package io.tandem.publisher.messaging;

import io.smallrye.mutiny.Uni;
import io.tandem.events.AuditEvent;
import io.tandem.publisher.service.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Stores the audit events of every service, result-publisher's own among them, and republishes each as a
 * CloudEvent. The CloudEvent goes first: a stored event was always published, and a redelivery publishes it
 * again under the same id (consumers drop repeats by {@code source} and {@code id}, as CloudEvents intends).
 */
@ApplicationScoped
public class AuditConsumer {

    private final AuditLog auditLog;
    private final AuditCloudEventPublisher cloudEvents;
    private final ShutdownGuard shutdown;

    public AuditConsumer(AuditLog auditLog, AuditCloudEventPublisher cloudEvents, ShutdownGuard shutdown) {
        this.auditLog = auditLog;
        this.cloudEvents = cloudEvents;
        this.shutdown = shutdown;
    }

    @Incoming("audit-in")
    public Uni<Void> store(AuditEvent event) {
        RunMdc.tag(event.invocationId());
        return shutdown.guard(() -> cloudEvents.publish(event).chain(() -> auditLog.store(event)).replaceWithVoid());
    }
}
