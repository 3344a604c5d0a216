package io.tandem.matcher.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tandem.events.AuditEvent;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes this service's audit events; the Uni completes once the broker acknowledged the record. */
@ApplicationScoped
public class AuditPublisher {

    public static final String SOURCE = "trigger-matcher";

    private final MutinyEmitter<AuditEvent> emitter;

    public AuditPublisher(@Channel("audit") MutinyEmitter<AuditEvent> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(AuditEvent event) {
        return emitter.sendMessage(Message.of(event)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).build()));
    }
}
