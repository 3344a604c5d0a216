package io.tandem.ingest.service;

import static io.tandem.ingest.service.JsonFields.actor;
import static io.tandem.ingest.service.JsonFields.requiredLong;
import static io.tandem.ingest.service.JsonFields.requiredObject;
import static io.tandem.ingest.service.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.events.Actor;
import io.tandem.events.MergeRequestEvent;
import io.tandem.events.ThreadKey;
import io.tandem.events.ThreadRef;
import java.time.Instant;

/** Merge Request Hook. */
final class MergeRequestNormalizer {

    static Normalized normalize(JsonNode root, Delivery delivery, Instant receivedAt) {
        JsonNode mergeRequest = requiredObject(root, "object_attributes", "object_attributes");
        long iid = requiredLong(mergeRequest, "iid", "object_attributes.iid");
        ThreadRef thread = ThreadResolver.resolve(root, mergeRequest, mergeRequest, "MergeRequest", iid,
                text(mergeRequest, "url"));
        String action = text(mergeRequest, "action") != null ? text(mergeRequest, "action") : "update";
        AssigneeChanges assignees = AssigneeChanges.of(root, "assignees", action);
        AssigneeChanges reviewers = AssigneeChanges.of(root, "reviewers", action);
        Actor actor = actor(root.path("user"));
        String key = ThreadKey.of(thread);
        MergeRequestEvent event = new MergeRequestEvent(delivery.eventId(), Occurrence.of(mergeRequest, receivedAt),
                MergeRequestEvent.VERSION, key, delivery.deliveryId(), delivery.gitlabEventUuid(), thread, action,
                text(mergeRequest, "title"), actor, text(mergeRequest, "source_branch"),
                text(mergeRequest, "target_branch"), assignees.previous(), assignees.current(), reviewers.previous(),
                reviewers.current());
        return new Normalized.Publishable("merge_request", event.eventId(), key, thread.projectId(), null,
                actor != null ? actor.username() : null, event);
    }

    private MergeRequestNormalizer() {
    }
}
