package io.tandem.launcher.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tandem.events.AuditEvent;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes to {@code tandem.audit.v1}, keyed by the invocation id. */
@ApplicationScoped
public class AuditPublisher {

    private final MutinyEmitter<AuditEvent> emitter;

    public AuditPublisher(@Channel("audit") MutinyEmitter<AuditEvent> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(AuditEvent event) {
        return emitter.sendMessage(Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.key()).build()));
    }
}
