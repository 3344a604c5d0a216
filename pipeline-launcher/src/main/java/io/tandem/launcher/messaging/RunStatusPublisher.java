package io.tandem.launcher.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tandem.events.RunStatusChanged;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes to {@code tandem.runs.status.v1}, keyed by the thread; completes when the broker acknowledged. */
@ApplicationScoped
public class RunStatusPublisher {

    private final MutinyEmitter<RunStatusChanged> emitter;

    public RunStatusPublisher(@Channel("runs-status") MutinyEmitter<RunStatusChanged> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(RunStatusChanged record) {
        return emitter.sendMessage(Message.of(record).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key()).build()));
    }
}
