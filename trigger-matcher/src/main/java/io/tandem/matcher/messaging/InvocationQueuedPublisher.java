package io.tandem.matcher.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tandem.events.InvocationQueued;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes {@link InvocationQueued} keyed by thread; the Uni completes once the broker acknowledged it. */
@ApplicationScoped
public class InvocationQueuedPublisher {

    private final MutinyEmitter<InvocationQueued> emitter;

    public InvocationQueuedPublisher(@Channel("invocations-queued") MutinyEmitter<InvocationQueued> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(InvocationQueued queued) {
        return emitter.sendMessage(Message.of(queued)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(queued.key()).build()));
    }
}
