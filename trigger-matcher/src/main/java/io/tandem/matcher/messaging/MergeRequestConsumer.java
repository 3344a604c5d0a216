package io.tandem.matcher.messaging;

import io.smallrye.mutiny.Uni;
import io.tandem.events.MergeRequestEvent;
import io.tandem.matcher.service.AssignmentMatcher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Reads {@code tandem.gitlab.merge-requests.v1}; the offset is committed once the record is handled. */
@ApplicationScoped
public class MergeRequestConsumer {

    private final AssignmentMatcher matcher;

    public MergeRequestConsumer(AssignmentMatcher matcher) {
        this.matcher = matcher;
    }

    @Incoming("gitlab-merge-requests")
    public Uni<Void> consume(MergeRequestEvent record) {
        return matcher.onMergeRequest(record);
    }
}
