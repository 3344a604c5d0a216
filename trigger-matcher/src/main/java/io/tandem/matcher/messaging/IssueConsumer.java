package io.tandem.matcher.messaging;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.tandem.events.IssueEvent;
import io.tandem.matcher.service.AssignmentMatcher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code tandem.gitlab.issues.v1}; the offset is committed once the record is handled
 * (not when it fails because the service is stopping: {@link ShutdownGuard}).
 */
@ApplicationScoped
public class IssueConsumer {

    private final AssignmentMatcher matcher;
    private final ShutdownGuard shutdown;

    public IssueConsumer(AssignmentMatcher matcher, ShutdownGuard shutdown) {
        this.matcher = matcher;
        this.shutdown = shutdown;
    }

    @Incoming("gitlab-issues")
    public Uni<Void> consume(ConsumerRecord<String, IssueEvent> record) {
        RunMdc.tag((String) null);
        // the broker's timestamp is when webhook-ingest published the webhook: the run's "triggered at"
        return shutdown.guard(() -> matcher.onIssue(record.value(), Instant.ofEpochMilli(record.timestamp())));
    }
}
