package io.tandem.matcher.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tandem.events.InvocationRequested;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes {@link InvocationRequested} keyed by thread; the Uni completes once the broker acknowledged it. */
@ApplicationScoped
public class InvocationPublisher {

    private final MutinyEmitter<InvocationRequested> emitter;

    public InvocationPublisher(@Channel("invocations-requested") MutinyEmitter<InvocationRequested> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(InvocationRequested request) {
        return emitter.sendMessage(Message.of(request)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(request.key()).build()));
    }
}
