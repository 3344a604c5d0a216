package io.tandem.publisher.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tandem.events.AuditEvent;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Sends result-publisher's own audit events to {@code tandem.audit.v1}, keyed by invocation id. */
@ApplicationScoped
public class AuditPublisher {

    private final MutinyEmitter<AuditEvent> emitter;

    public AuditPublisher(@Channel("audit-out") MutinyEmitter<AuditEvent> emitter) {
        this.emitter = emitter;
    }

    /** Completes once the broker has acknowledged the record. */
    public Uni<Void> publish(AuditEvent event) {
        return emitter.sendMessage(Message.of(event).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).build()));
    }
}
