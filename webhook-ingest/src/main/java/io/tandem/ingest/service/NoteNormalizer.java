package io.tandem.ingest.service;

import static io.tandem.ingest.service.JsonFields.actor;
import static io.tandem.ingest.service.JsonFields.flag;
import static io.tandem.ingest.service.JsonFields.requiredLong;
import static io.tandem.ingest.service.JsonFields.requiredObject;
import static io.tandem.ingest.service.JsonFields.requiredText;
import static io.tandem.ingest.service.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.events.Actor;
import io.tandem.events.NoteEvent;
import io.tandem.events.ThreadKey;
import io.tandem.events.ThreadRef;
import java.time.Instant;
import java.util.Map;

/** Note Hook and Confidential Note Hook: a comment on an issue, merge request, epic or work item. */
final class NoteNormalizer {

    /** GitLab's noteable types Tandem follows, and the payload field that describes the noteable. */
    private static final Map<String, String> NOTEABLE_FIELDS = Map.of(
            "Issue", "issue",
            "MergeRequest", "merge_request",
            "Epic", "epic",
            "WorkItem", "work_item");

    static Normalized normalize(JsonNode root, Delivery delivery, boolean confidentialHook, Instant receivedAt) {
        JsonNode note = requiredObject(root, "object_attributes", "object_attributes");
        String noteableType = requiredText(note, "noteable_type", "object_attributes.noteable_type");
        String field = NOTEABLE_FIELDS.get(noteableType);
        if (field == null) {
            return new Normalized.Ignored("comments on " + noteableType + " are not used by Tandem");
        }
        JsonNode noteable = noteable(root, field);
        long iid = requiredLong(noteable, "iid", field + ".iid");
        long noteId = requiredLong(note, "id", "object_attributes.id");
        String body = requiredText(note, "note", "object_attributes.note");
        Actor author = actor(root.path("user"));
        if (author == null) {
            throw new MalformedWebhookException("missing user.username");
        }
        // An epic that became a work item is commented on as an Issue of type Epic.
        String gitlabType = "Epic".equals(text(noteable, "type")) ? "Epic" : noteableType;
        String noteUrl = text(note, "url");
        ThreadRef thread = ThreadResolver.resolve(root, note, noteable, gitlabType, iid, threadUrl(noteable, noteUrl));
        String action = text(note, "action") != null ? text(note, "action") : "create";
        // A Confidential Note Hook carries internal notes and notes in confidential threads alike.
        boolean confidential = confidentialHook || flag(note, "internal") || flag(note, "confidential")
                || flag(noteable, "confidential");
        boolean onMergeRequest = "merge_request".equals(field);
        String sourceBranch = onMergeRequest ? text(noteable, "source_branch") : null;
        String key = ThreadKey.of(thread);
        NoteEvent event = new NoteEvent(delivery.eventId(), Occurrence.of(note, receivedAt), NoteEvent.VERSION, key,
                delivery.deliveryId(), delivery.gitlabEventUuid(), thread, noteId, text(note, "discussion_id"),
                action, body, confidential, flag(note, "system"), author, noteUrl, sourceBranch,
                text(root.path("project"), "default_branch"),
                onMergeRequest ? DiffPositions.of(note) : null);
        return new Normalized.Publishable("note", event.eventId(), key, thread.projectId(), thread.groupId(),
                author.username(), event);
    }

    /** Work item comments may describe their noteable as {@code work_item} or as {@code issue}. */
    private static JsonNode noteable(JsonNode root, String field) {
        if ("work_item".equals(field) && !root.path(field).isObject()) {
            return requiredObject(root, "issue", "work_item");
        }
        return requiredObject(root, field, field);
    }

    /** The thread's own URL; the note's URL without its {@code #note_...} anchor if the payload has none. */
    private static String threadUrl(JsonNode noteable, String noteUrl) {
        String url = text(noteable, "url");
        if (url != null || noteUrl == null) {
            return url;
        }
        int anchor = noteUrl.indexOf('#');
        return anchor >= 0 ? noteUrl.substring(0, anchor) : noteUrl;
    }

    private NoteNormalizer() {
    }
}
