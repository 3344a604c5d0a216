package io.tandem.ingest.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tandem.events.Actor;
import io.tandem.events.DiffPosition;
import io.tandem.events.IssueEvent;
import io.tandem.events.MergeRequestEvent;
import io.tandem.events.NoteEvent;
import io.tandem.events.ThreadRef;
import io.tandem.ingest.support.ExpectedRecords;
import io.tandem.ingest.support.Payloads;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GitlabEventNormalizerTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final String KEY = "idempotency-key-1";
    private static final String UUID = "event-uuid-1";

    private final ObjectMapper mapper = new ObjectMapper();
    private final GitlabEventNormalizer normalizer =
            new GitlabEventNormalizer(mapper, Clock.fixed(NOW, ZoneOffset.UTC));

    private Normalized normalize(String gitlabEvent, byte[] body) {
        return normalizer.normalize(body, Delivery.of(gitlabEvent, KEY, UUID, body));
    }

    private Object record(String gitlabEvent, byte[] body) {
        return assertInstanceOf(Normalized.Publishable.class, normalize(gitlabEvent, body)).record();
    }

    private String malformed(String gitlabEvent, byte[] body) {
        return assertThrows(MalformedWebhookException.class, () -> normalize(gitlabEvent, body)).getMessage();
    }

    @Test
    void sharedPayloadsBecomeTheExpectedRecords() {
        assertEquals(ExpectedRecords.noteOnIssue(KEY, UUID),
                record("Note Hook", Payloads.bytes("note-issue-event.json")));
        assertEquals(ExpectedRecords.noteOnMergeRequest(KEY, UUID),
                record("Note Hook", Payloads.bytes("note-merge-request-event.json")));
        assertEquals(ExpectedRecords.issue(KEY, UUID), record("Issue Hook", Payloads.bytes("issue-event.json")));
        assertEquals(ExpectedRecords.mergeRequest(KEY, UUID),
                record("Merge Request Hook", Payloads.bytes("merge-request-event.json")));
        assertEquals(ExpectedRecords.pipeline(KEY, UUID),
                record("Pipeline Hook", Payloads.bytes("pipeline-event.json")));
        assertEquals(ExpectedRecords.workItem(KEY, UUID),
                record("Issue Hook", Payloads.bytes("workitem-event.json")));
    }

    @Test
    void publishableCarriesKindKeyAndAuditFacts() {
        var publishable = assertInstanceOf(Normalized.Publishable.class,
                normalize("Note Hook", Payloads.bytes("note-issue-event.json")));
        assertEquals("note", publishable.kind());
        assertEquals("5/Issue/17", publishable.key());
        assertEquals(5L, publishable.projectId());
        assertEquals("root", publishable.actor());
        assertEquals(ExpectedRecords.eventId(KEY), publishable.eventId());

        var workItem = assertInstanceOf(Normalized.Publishable.class,
                normalize("Work Item Hook", Payloads.bytes("workitem-event.json")));
        assertEquals("work_item", workItem.kind());
    }

    @Test
    void issueAssigneeChangesFillPreviousAndCurrent() {
        ObjectNode payload = Payloads.tree("issue-event.json");
        ((ObjectNode) payload.path("object_attributes")).put("action", "update");
        ObjectNode assignees = ((ObjectNode) payload.path("changes")).putObject("assignees");
        assignees.putArray("previous").addObject().put("id", 51).put("username", "alice").put("name", "Alice");
        ArrayNode current = assignees.putArray("current");
        current.addObject().put("id", 51).put("username", "alice").put("name", "Alice");
        current.addObject().put("username", "claude").put("name", "Claude Code"); // no id: older GitLab

        IssueEvent event = (IssueEvent) record("Issue Hook", Payloads.bytes(payload));

        assertEquals(List.of(new Actor(51L, "alice", "Alice")), event.previousAssignees());
        assertEquals(List.of(new Actor(51L, "alice", "Alice"), new Actor(null, "claude", "Claude Code")),
                event.currentAssignees());
    }

    @Test
    void withoutAssigneeChangesAnUpdateKeepsTheCurrentAssigneesOnBothSides() {
        ObjectNode payload = Payloads.tree("issue-event.json");
        ((ObjectNode) payload.path("object_attributes")).put("action", "update");

        IssueEvent event = (IssueEvent) record("Issue Hook", Payloads.bytes(payload));

        List<Actor> user1 = List.of(new Actor(null, "user1", "User1"));
        assertEquals(user1, event.previousAssignees());
        assertEquals(user1, event.currentAssignees());
    }

    @Test
    void mergeRequestAssigneeChangesFillPreviousAndCurrent() {
        ObjectNode payload = Payloads.tree("merge-request-event.json");
        ObjectNode assignees = ((ObjectNode) payload.path("changes")).putObject("assignees");
        assignees.putArray("previous");
        assignees.putArray("current").addObject().put("id", 9).put("username", "bot").put("name", "Bot");

        MergeRequestEvent event = (MergeRequestEvent) record("Merge Request Hook", Payloads.bytes(payload));

        assertEquals(List.of(), event.previousAssignees());
        assertEquals(List.of(new Actor(9L, "bot", "Bot")), event.currentAssignees());
        assertEquals(List.of(new Actor(3L, "psmith", "Paul Smith")), event.currentReviewers());
    }

    @Test
    void confidentialIssueHookMarksTheIssueConfidential() {
        IssueEvent event = (IssueEvent) record("Confidential Issue Hook", Payloads.bytes("issue-event.json"));
        assertTrue(event.confidential());
    }

    @Test
    void issueHookOfAConfidentialIssueIsConfidentialToo() {
        ObjectNode payload = Payloads.tree("issue-event.json");
        ((ObjectNode) payload.path("object_attributes")).put("confidential", true);
        assertTrue(((IssueEvent) record("Issue Hook", Payloads.bytes(payload))).confidential());
        assertFalse(((IssueEvent) record("Issue Hook", Payloads.bytes("issue-event.json"))).confidential());
    }

    @Test
    void internalNoteIsConfidential() {
        ObjectNode payload = Payloads.tree("note-issue-event.json");
        ((ObjectNode) payload.path("object_attributes")).put("internal", true);
        assertTrue(((NoteEvent) record("Note Hook", Payloads.bytes(payload))).confidential());
        assertFalse(((NoteEvent) record("Note Hook", Payloads.bytes("note-issue-event.json"))).confidential());
    }

    @Test
    void confidentialHooksMustCarryTheirKind() {
        assertEquals("X-Gitlab-Event 'Confidential Note Hook' does not match object_kind 'issue'",
                malformed("Confidential Note Hook", Payloads.bytes("issue-event.json")));
        assertEquals("X-Gitlab-Event 'Work Item Hook' does not match object_kind 'note'",
                malformed("Work Item Hook", Payloads.bytes("note-issue-event.json")));
    }

    @Test
    void confidentialNoteHookMarksTheNoteConfidentialAndKeepsItsAction() {
        ObjectNode payload = Payloads.tree("note-issue-event.json");
        ((ObjectNode) payload.path("object_attributes")).put("action", "update");

        NoteEvent event = (NoteEvent) record("Confidential Note Hook", Payloads.bytes(payload));

        assertTrue(event.confidential());
        assertEquals("update", event.action());
    }

    @Test
    void userWithIdIsKept() {
        ObjectNode payload = Payloads.tree("note-issue-event.json");
        ((ObjectNode) payload.path("user")).put("id", 77);

        NoteEvent event = (NoteEvent) record("Note Hook", Payloads.bytes(payload));

        assertEquals(new Actor(77L, "root", "Administrator"), event.author());
    }

    @Test
    void epicNoteBelongsToItsGroup() {
        ObjectNode payload = Payloads.tree("note-issue-event.json");
        payload.remove(List.of("project_id", "project", "repository", "issue"));
        ObjectNode note = (ObjectNode) payload.path("object_attributes");
        note.put("noteable_type", "Epic").putNull("project_id");
        note.put("url", "http://example.com/groups/acme/-/epics/3#note_1241");
        payload.putObject("epic").put("id", 300).put("iid", 3).put("group_id", 12).put("title", "Roadmap");

        NoteEvent event = (NoteEvent) record("Note Hook", Payloads.bytes(payload));

        assertEquals(new ThreadRef(null, 12L, "acme", "Epic", 3, 300L, "http://example.com/groups/acme/-/epics/3",
                "acme"), event.thread());
        assertEquals("group:12/Epic/3", event.key());
        assertNull(event.defaultBranch());
    }

    @Test
    void diffNoteKeepsItsPositionOnTheDiff() {
        NoteEvent event = (NoteEvent) record("Note Hook", Payloads.bytes(Payloads.diffNoteOnMergeRequest()));

        assertEquals(ExpectedRecords.diffNoteOnMergeRequest(KEY, UUID), event);
        assertEquals("5/MergeRequest/1", event.key());
    }

    @Test
    void diffNoteOnAnAddedLineHasNoOldLine() {
        ObjectNode payload = Payloads.diffNoteOnMergeRequest();
        ObjectNode position = (ObjectNode) payload.path("object_attributes").path("position");
        position.putNull("old_line").put("new_line", 31).put("old_path", "a.txt").put("new_path", "b.txt");

        NoteEvent event = (NoteEvent) record("Note Hook", Payloads.bytes(payload));

        assertEquals(new DiffPosition("b5d6e7b1613fca24d250fa8e5bc7bcc3dd6002ef",
                "7c9c2ead8a320fb7ba0b4e234bd9529a2614e306", "4803c71e6b1833ca72b8b26ef2ecd5adc8a38031", "a.txt",
                "b.txt", null, 31, "text"), event.position());
    }

    @Test
    void positionIsReadOnlyWhereItNamesAFileOfAMergeRequest() {
        ObjectNode withoutPaths = Payloads.diffNoteOnMergeRequest();
        ((ObjectNode) withoutPaths.path("object_attributes").path("position")).remove(List.of("old_path", "new_path"));
        assertNull(((NoteEvent) record("Note Hook", Payloads.bytes(withoutPaths))).position());

        ObjectNode issueNote = Payloads.tree("note-issue-event.json");
        ((ObjectNode) issueNote.path("object_attributes")).set("position",
                Payloads.diffNoteOnMergeRequest().path("object_attributes").path("position"));
        assertNull(((NoteEvent) record("Note Hook", Payloads.bytes(issueNote))).position());
    }

    @Test
    void groupWorkItemIsKeyedByTheGroupPathInItsUrl() {
        IssueEvent event = (IssueEvent) record("Work Item Hook", Payloads.bytes("workitem-event.json"));

        assertEquals("a-group", event.thread().groupPath());
        assertEquals("group:a-group/Epic/1", event.key());
    }

    @Test
    void groupPathComesFromTheGroupObjectFirstAndIncludesSubgroups() {
        ObjectNode payload = Payloads.tree("workitem-event.json");
        ((ObjectNode) payload.path("object_attributes")).put("url",
                "https://gitlab.example.com/groups/acme/platform/-/work_items/7").put("iid", 7);
        IssueEvent fromUrl = (IssueEvent) record("Work Item Hook", Payloads.bytes(payload));
        assertEquals("acme/platform", fromUrl.thread().groupPath());
        assertEquals("group:acme/platform/Epic/7", fromUrl.key());

        payload.putObject("group").put("full_path", "acme/platform-renamed");
        IssueEvent fromGroup = (IssueEvent) record("Work Item Hook", Payloads.bytes(payload));
        assertEquals("acme/platform-renamed", fromGroup.thread().groupPath());
    }

    @Test
    void groupIdWinsOverTheGroupPathInTheKey() {
        ObjectNode payload = Payloads.tree("workitem-event.json");
        ((ObjectNode) payload.path("object_attributes")).put("namespace_id", 91648);

        IssueEvent event = (IssueEvent) record("Work Item Hook", Payloads.bytes(payload));

        assertEquals("group:91648/Epic/1", event.key());
        assertEquals("a-group", event.thread().groupPath());
    }

    @Test
    void projectThreadsHaveNoGroupPath() {
        assertNull(((NoteEvent) record("Note Hook", Payloads.bytes("note-issue-event.json"))).thread().groupPath());
        assertNull(((IssueEvent) record("Issue Hook", Payloads.bytes("issue-event.json"))).thread().groupPath());
    }

    @Test
    void workItemNoteSharesTheThreadKeyOfItsIssue() {
        ObjectNode payload = Payloads.tree("note-issue-event.json");
        ((ObjectNode) payload.path("issue")).put("type", "Task");

        NoteEvent event = (NoteEvent) record("Note Hook", Payloads.bytes(payload));

        assertEquals("5/Issue/17", event.key());
    }

    @Test
    void projectWorkItemOfTypeTaskIsKeyedAsAnIssue() {
        ObjectNode payload = Payloads.tree("workitem-event.json");
        ObjectNode attributes = (ObjectNode) payload.path("object_attributes");
        attributes.put("type", "Task").put("project_id", 42);

        IssueEvent event = (IssueEvent) record("Issue Hook", Payloads.bytes(payload));

        assertEquals("42/Issue/1", event.key());
    }

    @ParameterizedTest
    @ValueSource(strings = {"note-commit-event.json", "note-snippet-event.json"})
    void notesOutsideIssuesMergeRequestsAndEpicsAreIgnored(String payload) {
        assertInstanceOf(Normalized.Ignored.class, normalize("Note Hook", Payloads.bytes(payload)));
    }

    @ParameterizedTest
    @CsvSource({
        "Push Hook, push-event.json",
        "Tag Push Hook, tag-push-event.json",
        "Job Hook, job-event.json",
        "Wiki Page Hook, wiki-page-event.json",
        "Deployment Hook, deployment-event.json",
        "System Hook, merge-request-system-hook-event.json"})
    void unusedEventKindsAreIgnored(String gitlabEvent, String payload) {
        assertInstanceOf(Normalized.Ignored.class, normalize(gitlabEvent, Payloads.bytes(payload)));
    }

    @Test
    void bodiesThatAreNotGitlabEventsAreMalformed() {
        assertTrue(malformed("Note Hook", "{\"object_kind\": ".getBytes(StandardCharsets.UTF_8))
                .contains("not valid JSON"));
        assertTrue(malformed("Note Hook", "{} trailing".getBytes(StandardCharsets.UTF_8))
                .contains("not valid JSON"));
        assertTrue(malformed("Note Hook", "[1, 2]".getBytes(StandardCharsets.UTF_8)).contains("not a JSON object"));
        assertTrue(malformed("Note Hook", new byte[0]).contains("empty body"));
        assertTrue(malformed("Note Hook", "{\"id\": 1}".getBytes(StandardCharsets.UTF_8))
                .contains("no object_kind"));
        assertTrue(malformed(null, Payloads.bytes("note-issue-event.json")).contains("X-Gitlab-Event"));
    }

    @Test
    void headerMustAgreeWithObjectKind() {
        String reason = malformed("Note Hook", Payloads.bytes("push-event.json"));
        assertEquals("X-Gitlab-Event 'Note Hook' does not match object_kind 'push'", reason);
    }

    @Test
    void requiredFieldsOfUsedKindsAreChecked() {
        ObjectNode withoutIid = Payloads.tree("note-issue-event.json");
        ((ObjectNode) withoutIid.path("issue")).remove("iid");
        assertEquals("missing or non-numeric issue.iid", malformed("Note Hook", Payloads.bytes(withoutIid)));

        ObjectNode withoutUser = Payloads.tree("note-issue-event.json");
        withoutUser.remove("user");
        assertEquals("missing user.username", malformed("Note Hook", Payloads.bytes(withoutUser)));

        ObjectNode pipelineWithoutProject = Payloads.tree("pipeline-event.json");
        ((ObjectNode) pipelineWithoutProject.path("project")).remove("id");
        assertEquals("missing or non-numeric project.id",
                malformed("Pipeline Hook", Payloads.bytes(pipelineWithoutProject)));

        ObjectNode issueWithoutAttributes = Payloads.tree("issue-event.json");
        issueWithoutAttributes.remove("object_attributes");
        assertEquals("missing object object_attributes",
                malformed("Issue Hook", Payloads.bytes(issueWithoutAttributes)));
    }

    @Test
    void malformedReasonNeverQuotesTheBody() {
        String reason = malformed("Note Hook",
                "{\"object_kind\": \"note\", \"token\": \"glpat-secret\" oops".getBytes(StandardCharsets.UTF_8));
        assertTrue(!reason.contains("glpat-secret"), reason);
    }

    @Test
    void gitlabTimeShapesAreRead() {
        ObjectNode payload = Payloads.tree("note-issue-event.json");
        ((ObjectNode) payload.path("object_attributes")).put("updated_at", "2015-05-17 17:06:40 UTC");
        assertEquals(Instant.parse("2015-05-17T17:06:40Z"),
                ((NoteEvent) record("Note Hook", Payloads.bytes(payload))).occurredAt());

        ((ObjectNode) payload.path("object_attributes")).put("updated_at", "2015-05-17 19:06:40 +0200");
        assertEquals(Instant.parse("2015-05-17T17:06:40Z"),
                ((NoteEvent) record("Note Hook", Payloads.bytes(payload))).occurredAt());

        ((ObjectNode) payload.path("object_attributes")).put("updated_at", "yesterday").remove("created_at");
        assertEquals(NOW, ((NoteEvent) record("Note Hook", Payloads.bytes(payload))).occurredAt());
    }
}
