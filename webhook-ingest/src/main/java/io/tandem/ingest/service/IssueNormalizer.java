package io.tandem.ingest.service;

import static io.tandem.ingest.service.JsonFields.actor;
import static io.tandem.ingest.service.JsonFields.flag;
import static io.tandem.ingest.service.JsonFields.requiredLong;
import static io.tandem.ingest.service.JsonFields.requiredObject;
import static io.tandem.ingest.service.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.events.Actor;
import io.tandem.events.IssueEvent;
import io.tandem.events.ThreadKey;
import io.tandem.events.ThreadRef;
import java.time.Instant;

/**
 * Issue Hook, Confidential Issue Hook and work item events ({@code object_kind} issue or work_item; GitLab sends
 * work items under the Issue Hook header, newer versions under Work Item Hook).
 */
final class IssueNormalizer {

    static Normalized normalize(JsonNode root, String kind, Delivery delivery, boolean confidentialHook,
            Instant receivedAt) {
        JsonNode issue = requiredObject(root, "object_attributes", "object_attributes");
        long iid = requiredLong(issue, "iid", "object_attributes.iid");
        String gitlabType = text(issue, "type") != null ? text(issue, "type") : "Issue";
        ThreadRef thread = ThreadResolver.resolve(root, issue, issue, gitlabType, iid, text(issue, "url"));
        String action = text(issue, "action") != null ? text(issue, "action") : "update";
        AssigneeChanges assignees = AssigneeChanges.of(root, "assignees", action);
        Actor actor = actor(root.path("user"));
        String key = ThreadKey.of(thread);
        IssueEvent event = new IssueEvent(delivery.eventId(), Occurrence.of(issue, receivedAt), IssueEvent.VERSION,
                key, delivery.deliveryId(), delivery.gitlabEventUuid(), thread, action, text(issue, "title"), actor,
                confidentialHook || flag(issue, "confidential"), assignees.previous(), assignees.current(),
                text(root.path("project"), "default_branch"));
        return new Normalized.Publishable(kind, event.eventId(), key, thread.projectId(), thread.groupId(),
                actor != null ? actor.username() : null, event);
    }

    private IssueNormalizer() {
    }
}
