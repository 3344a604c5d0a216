package io.tandem.matcher.messaging;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.tandem.events.NoteEvent;
import io.tandem.matcher.service.MentionMatcher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Reads comments from {@code tandem.gitlab.notes.v1}; the offset is committed once the note is handled. */
@ApplicationScoped
public class NoteConsumer {

    private final MentionMatcher matcher;
    private final ShutdownGuard shutdown;

    public NoteConsumer(MentionMatcher matcher, ShutdownGuard shutdown) {
        this.matcher = matcher;
        this.shutdown = shutdown;
    }

    @Incoming("gitlab-notes")
    public Uni<Void> consume(ConsumerRecord<String, NoteEvent> record) {
        RunMdc.tag((String) null);
        // the broker's timestamp is when webhook-ingest published the webhook: the run's "triggered at"
        return shutdown.guard(() -> matcher.onNote(record.value(), Instant.ofEpochMilli(record.timestamp())));
    }
}
