package io.tandem.ingest.support;

import io.tandem.events.Actor;
import io.tandem.events.EventIds;
import io.tandem.events.IssueEvent;
import io.tandem.events.MergeRequestEvent;
import io.tandem.events.NoteEvent;
import io.tandem.events.PipelineEvent;
import io.tandem.events.ThreadRef;
import java.time.Instant;
import java.util.List;

/**
 * What each shared GitLab payload must become, written out by hand from the payload files, for a delivery with
 * {@code Idempotency-Key} {@code key} and {@code X-Gitlab-Event-UUID} {@code uuid}.
 */
public final class ExpectedRecords {

    public static final Actor ROOT_WITHOUT_ID = new Actor(null, "root", "Administrator");

    public static String eventId(String key) {
        return EventIds.derive("webhook", key);
    }

    public static NoteEvent noteOnIssue(String key, String uuid) {
        ThreadRef thread = new ThreadRef(5L, null, "gitlab-org/gitlab-test", "Issue", 17, 92L,
                "http://example.com/gitlab-org/gitlab-test/issues/17", null);
        return new NoteEvent(eventId(key), Instant.parse("2015-05-17T17:06:40Z"), 1, "5/Issue/17", key, uuid,
                thread, 1241, "56e2b4210419aed077d47ca2dc00551c7c4ac882", "create", "Hello world", false, false,
                ROOT_WITHOUT_ID, "http://example.com/gitlab-org/gitlab-test/issues/17#note_1241", null, "master", null);
    }

    public static NoteEvent noteOnMergeRequest(String key, String uuid) {
        ThreadRef thread = new ThreadRef(5L, null, "gitlab-org/gitlab-test", "MergeRequest", 1, 7L,
                "http://example.com/gitlab-org/gitlab-test/merge_requests/1", null);
        return new NoteEvent(eventId(key), Instant.parse("2015-05-17T18:21:36Z"), 1, "5/MergeRequest/1", key, uuid,
                thread, 1244, "56e2b4210419aed077d47ca2dc00551c7c4ac882", "create", "This MR needs work.", false,
                false, ROOT_WITHOUT_ID, "http://example.com/gitlab-org/gitlab-test/merge_requests/1#note_1244",
                "master", "master", null);
    }

    /** {@link Payloads#diffNoteOnMergeRequest()}: the same comment, made on line 27 of package.json. */
    public static NoteEvent diffNoteOnMergeRequest(String key, String uuid) {
        NoteEvent note = noteOnMergeRequest(key, uuid);
        return new NoteEvent(note.eventId(), note.occurredAt(), note.version(), note.key(), note.deliveryId(),
                note.gitlabEventUuid(), note.thread(), note.noteId(), note.discussionId(), note.action(), note.body(),
                note.confidential(), note.system(), note.author(), note.noteUrl(), note.sourceBranch(),
                note.defaultBranch(), Payloads.DIFF_POSITION);
    }

    /** Opened with an assignee and no {@code changes.assignees}: nobody before, user1 now. */
    public static IssueEvent issue(String key, String uuid) {
        ThreadRef thread = new ThreadRef(14L, null, "gitlabhq/gitlab-test", "Issue", 23, 301L,
                "http://example.com/diaspora/issues/23", null);
        return new IssueEvent(eventId(key), Instant.parse("2013-12-03T17:15:43Z"), 1, "14/Issue/23", key, uuid,
                thread, "open", "New API: create/update/delete file", ROOT_WITHOUT_ID, false, List.of(),
                List.of(new Actor(null, "user1", "User1")), "master");
    }

    public static MergeRequestEvent mergeRequest(String key, String uuid) {
        ThreadRef thread = new ThreadRef(1L, null, "gitlabhq/gitlab-test", "MergeRequest", 1, 99L,
                "http://example.com/diaspora/merge_requests/1", null);
        return new MergeRequestEvent(eventId(key), Instant.parse("2013-12-03T17:23:34Z"), 1, "1/MergeRequest/1",
                key, uuid, thread, "open", "MS-Viewport", new Actor(1L, "root", "Administrator"), "ms-viewport",
                "master", List.of(), List.of(new Actor(6L, "user1", "User1")),
                List.of(new Actor(2L, "jdoe", "John Doe")), List.of(new Actor(3L, "psmith", "Paul Smith")));
    }

    public static PipelineEvent pipeline(String key, String uuid) {
        return new PipelineEvent(eventId(key), Instant.parse("2016-08-12T15:26:29Z"), 1, "1/pipeline/31", key, uuid,
                1, "gitlab-org/gitlab-test", 31, "master", "success", "merge_request_event",
                "http://example.com/gitlab-org/gitlab-test/-/pipelines/31");
    }

    /**
     * A group-level epic. GitLab's work item payload names neither a project nor the group's id, only the group's
     * path in the URL: the thread is keyed by that path.
     */
    public static IssueEvent workItem(String key, String uuid) {
        ThreadRef thread = new ThreadRef(null, null, "a-group", "Epic", 1, 93843L,
                "https://[REDACTED]/groups/a-group/-/work_items/1", "a-group");
        return new IssueEvent(eventId(key), Instant.parse("2024-10-17T06:47:37Z"), 1, "group:a-group/Epic/1", key, uuid,
                thread, "update", "Test Epic item", new Actor(1245L, "john.smith", "John Smith"), false, List.of(),
                List.of(), null);
    }

    private ExpectedRecords() {
    }
}
