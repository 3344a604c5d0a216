package io.tandem.gateway.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tandem.events.AuditEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes ai-gateway's audit events; the Uni completes once the broker has them. */
@ApplicationScoped
public class AuditPublisher {

    public static final String SOURCE = "ai-gateway";

    private final MutinyEmitter<AuditEvent> audit;

    public AuditPublisher(@Channel("audit") MutinyEmitter<AuditEvent> audit) {
        this.audit = audit;
    }

    /** Never pass a secret in {@code data}. */
    public Uni<Void> publish(String eventId, String key, String type, Long projectId, String runId, String actor,
            String serviceAccount, Map<String, String> data) {
        AuditEvent event = new AuditEvent(eventId, Instant.now(), AuditEvent.VERSION, key, SOURCE, type, projectId,
                runId, actor, serviceAccount, data);
        return audit.sendMessage(Message.of(event)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).build()));
    }
}
