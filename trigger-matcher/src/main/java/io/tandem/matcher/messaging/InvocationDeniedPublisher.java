package io.tandem.matcher.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tandem.events.InvocationDenied;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes {@link InvocationDenied} for triggers this service blocks, keyed by thread as identity-service keys its
 * denials; the Uni completes once the broker acknowledged it.
 */
@ApplicationScoped
public class InvocationDeniedPublisher {

    private final MutinyEmitter<InvocationDenied> emitter;

    public InvocationDeniedPublisher(@Channel("invocations-denied-out") MutinyEmitter<InvocationDenied> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(InvocationDenied denied) {
        return emitter.sendMessage(Message.of(denied)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(denied.key()).build()));
    }
}
