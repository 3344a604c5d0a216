package io.tandem.matcher.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tandem.events.ThreadCommand;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes {@link ThreadCommand} keyed by thread; the Uni completes once the broker acknowledged it. */
@ApplicationScoped
public class ThreadCommandPublisher {

    private final MutinyEmitter<ThreadCommand> emitter;

    public ThreadCommandPublisher(@Channel("thread-commands") MutinyEmitter<ThreadCommand> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(ThreadCommand command) {
        return emitter.sendMessage(Message.of(command)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(command.key()).build()));
    }
}
