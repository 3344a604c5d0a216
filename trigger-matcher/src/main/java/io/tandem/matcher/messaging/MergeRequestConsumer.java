package io.tandem.matcher.messaging;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.tandem.events.MergeRequestEvent;
import io.tandem.matcher.service.AssignmentMatcher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code tandem.gitlab.merge-requests.v1}; the offset is committed once the record is handled
 * (not when it fails because the service is stopping: {@link ShutdownGuard}).
 */
@ApplicationScoped
public class MergeRequestConsumer {

    private final AssignmentMatcher matcher;
    private final ShutdownGuard shutdown;

    public MergeRequestConsumer(AssignmentMatcher matcher, ShutdownGuard shutdown) {
        this.matcher = matcher;
        this.shutdown = shutdown;
    }

    @Incoming("gitlab-merge-requests")
    public Uni<Void> consume(ConsumerRecord<String, MergeRequestEvent> record) {
        RunMdc.tag((String) null);
        // the broker's timestamp is when webhook-ingest published the webhook: the run's "triggered at"
        return shutdown.guard(() -> matcher.onMergeRequest(record.value(), Instant.ofEpochMilli(record.timestamp())));
    }
}
