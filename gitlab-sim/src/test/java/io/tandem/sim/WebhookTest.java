package io.tandem.sim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.CommitAction;
import org.gitlab4j.api.models.DiffRef;
import org.gitlab4j.api.models.Discussion;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.GroupParams;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.MergeRequestParams;
import org.gitlab4j.api.models.Pipeline;
import org.gitlab4j.api.models.Position;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.ProjectHook;
import org.gitlab4j.api.models.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhooks: GitLab's headers, payload shapes (against real samples), retries, redelivery. */
@QuarkusTest
class WebhookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URL url;

    SimClient sim;
    GitLabApi root;
    WebhookReceiver receiver;
    Group group;
    Project project;
    User bob;

    @BeforeEach
    void setUp() throws Exception {
        sim = new SimClient(url);
        root = sim.root();
        receiver = new WebhookReceiver();
        String path = SimClient.unique("hooks");
        group = root.getGroupApi().createGroup(new GroupParams().withName(path).withPath(path));
        project = root.getProjectApi().createProject(group.getId(), "hooked");
        bob = SeedingTest.createUser(root, SimClient.unique("bob"));
        root.getProjectApi().addMember(project.getId(), bob.getId(), AccessLevel.DEVELOPER);
        root.getProjectApi().addHook(project.getId(), receiver.url(), new ProjectHook().withPushEvents(false)
                .withNoteEvents(true).withConfidentialNoteEvents(true).withIssuesEvents(true)
                .withMergeRequestsEvents(true).withPipelineEvents(true), false, "hook-secret");
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    @Test
    void noteHookHasGitlabHeadersAndTheSampleShape() throws Exception {
        Issue issue = root.getIssuesApi().createIssue(project.getId(), "needs help", "desc");
        var note = root.getNotesApi().createIssueNote(project.getId(), issue.getIid(), "@ai-claude please look");

        WebhookReceiver.Received hook = awaitOne("Note Hook");
        assertEquals("application/json", hook.header("Content-Type"));
        assertEquals("hook-secret", hook.header("X-Gitlab-Token"));
        assertTrue(hook.header("User-Agent").startsWith("GitLab/"));
        assertNotNull(hook.header("X-Gitlab-Event-UUID"));
        assertNotNull(hook.header("X-Gitlab-Webhook-UUID"));
        assertNotNull(hook.header("X-Gitlab-Instance"));
        assertEquals(36, hook.header("Idempotency-Key").length());

        JsonNode payload = hook.json();
        assertHasSampleKeys("note-issue-event.json", payload, Set.of());
        JsonNode attributes = payload.get("object_attributes");
        assertEquals("create", attributes.get("action").asText());
        assertEquals(note.getId().longValue(), attributes.get("id").asLong());
        assertEquals("@ai-claude please look", attributes.get("note").asText());
        assertEquals("Issue", attributes.get("noteable_type").asText());
        assertFalse(attributes.get("internal").asBoolean());
        assertEquals(1L, payload.get("user").get("id").asLong());
        assertEquals(project.getPathWithNamespace(), payload.get("project").get("path_with_namespace").asText());
        assertEquals(issue.getIid().longValue(), payload.get("issue").get("iid").asLong());

        // an internal note is a Confidential Note Hook; an edit says action=update
        root.getNotesApi().createIssueNote(project.getId(), issue.getIid(), "secret", null, true);
        assertTrue(awaitOne("Confidential Note Hook").json().get("object_attributes").get("internal").asBoolean());
        root.getNotesApi().updateIssueNote(project.getId(), issue.getIid(), note.getId(), "edited");
        await().atMost(WAIT).until(() -> receiver.events("Note Hook").size() == 2);
        assertEquals("update", receiver.events("Note Hook").get(1).json().get("object_attributes").get("action").asText());
    }

    @Test
    void mergeRequestNoteAndMergeRequestHooksHaveTheSampleShape() throws Exception {
        root.getCommitsApi().createCommit(project.getId(), "feature", "work", "main", null, null,
                List.of(new CommitAction().withAction(CommitAction.Action.CREATE).withFilePath("f").withContent("x")));
        MergeRequest mr = root.getMergeRequestApi().createMergeRequest(project.getId(), new MergeRequestParams()
                .withSourceBranch("feature").withTargetBranch("main").withTitle("Feature"));
        root.getMergeRequestApi().updateMergeRequest(project.getId(), mr.getIid(),
                new MergeRequestParams().withReviewerIds(List.of(bob.getId())).withAssigneeIds(List.of(bob.getId())));
        root.getNotesApi().createMergeRequestNote(project.getId(), mr.getIid(), "@ai review", null, false);

        WebhookReceiver.Received note = awaitOne("Note Hook");
        assertHasSampleKeys("note-merge-request-event.json", note.json(), Set.of());
        assertEquals("MergeRequest", note.json().get("object_attributes").get("noteable_type").asText());
        assertEquals(mr.getIid().longValue(), note.json().get("merge_request").get("iid").asLong());

        await().atMost(WAIT).until(() -> receiver.events("Merge Request Hook").size() == 2);
        JsonNode update = receiver.events("Merge Request Hook").get(1).json();
        // oldrev only appears when a push updated the merge request
        assertHasSampleKeys("merge-request-event.json", update, Set.of("oldrev"));
        assertEquals("update", update.get("object_attributes").get("action").asText());
        JsonNode reviewers = update.get("changes").get("reviewers");
        assertEquals(0, reviewers.get("previous").size());
        assertEquals(bob.getId().longValue(), reviewers.get("current").get(0).get("id").asLong());
        assertEquals(bob.getUsername(), update.get("changes").get("assignees").get("current").get(0).get("username").asText());
    }

    @Test
    void issueHookCarriesAssigneeChanges() throws Exception {
        Issue issue = root.getIssuesApi().createIssue(project.getId(), "assign me", null);
        root.getIssuesApi().updateIssue(project.getId(), issue.getIid(), null, null, null, List.of(bob.getId()), null,
                "bug", null, null, null);
        await().atMost(WAIT).until(() -> receiver.events("Issue Hook").size() == 2);
        JsonNode open = receiver.events("Issue Hook").get(0).json();
        assertEquals("open", open.get("object_attributes").get("action").asText());
        JsonNode update = receiver.events("Issue Hook").get(1).json();
        assertHasSampleKeys("issue-event.json", update, Set.of());
        assertEquals("update", update.get("object_attributes").get("action").asText());
        JsonNode assignees = update.get("changes").get("assignees");
        assertEquals(0, assignees.get("previous").size());
        assertEquals(bob.getId().longValue(), assignees.get("current").get(0).get("id").asLong());
        assertEquals("bug", update.get("changes").get("labels").get("current").get(0).get("title").asText());
    }

    @Test
    void pipelineHookOnEveryStatusChange() throws Exception {
        Pipeline pipeline = root.getPipelineApi().createPipeline(project.getId(), "main");
        sim.send("POST", "/-/sim/projects/" + project.getId() + "/pipelines/" + pipeline.getId() + "/status", null,
                "{\"status\":\"running\"}");
        sim.send("POST", "/-/sim/projects/" + project.getId() + "/pipelines/" + pipeline.getId() + "/status", null,
                "{\"status\":\"failed\"}");
        await().atMost(WAIT).until(() -> receiver.events("Pipeline Hook").size() == 3);
        List<String> statuses = new ArrayList<>();
        receiver.events("Pipeline Hook").forEach(r -> statuses.add(r.json().get("object_attributes").get("status").asText()));
        assertEquals(List.of("pending", "running", "failed"), statuses);
        JsonNode last = receiver.events("Pipeline Hook").get(2).json();
        assertHasSampleKeys("pipeline-event.json", last, Set.of());
        assertEquals(pipeline.getId().longValue(), last.get("object_attributes").get("id").asLong());
    }

    @Test
    void retriesAfter500WithTheSameIdempotencyKeyAndRedeliversIdentically() throws Exception {
        receiver.failNext(2);
        Issue issue = root.getIssuesApi().createIssue(project.getId(), "flaky receiver", null);
        await().atMost(WAIT).until(() -> receiver.events("Issue Hook").size() == 3);
        List<WebhookReceiver.Received> attempts = receiver.events("Issue Hook");
        String key = attempts.get(0).header("Idempotency-Key");
        for (WebhookReceiver.Received attempt : attempts) {
            assertEquals(key, attempt.header("Idempotency-Key"));
            assertEquals(attempts.get(0).header("X-Gitlab-Event-UUID"), attempt.header("X-Gitlab-Event-UUID"));
            assertEquals(attempts.get(0).body(), attempt.body());
        }
        assertEquals(issue.getId().longValue(), attempts.get(2).json().get("object_attributes").get("id").asLong());

        JsonNode delivery = findDelivery(key);
        assertEquals(3, delivery.get("attempts").asInt());
        assertEquals(200, delivery.get("lastStatus").asInt());
        assertTrue(delivery.get("delivered").asBoolean());

        SimClient.Reply redelivered = sim.send("POST", "/-/sim/webhook-deliveries/" + key + "/redeliver", null, null);
        assertEquals(200, redelivered.status());
        assertEquals(4, redelivered.json().get("attempts").asInt());
        WebhookReceiver.Received again = receiver.events("Issue Hook").get(3);
        assertEquals(key, again.header("Idempotency-Key"));
        assertEquals(attempts.get(0).body(), again.body());
    }

    /** Hooks are sent concurrently: a receiver that does not answer holds up its own hook only, in order. */
    @Test
    void slowHookDoesNotDelayAnotherHookAndEachHookGetsCreationOrder() throws Exception {
        try (WebhookReceiver slow = new WebhookReceiver()) {
            root.getProjectApi().addHook(project.getId(), slow.url(), new ProjectHook().withPushEvents(false)
                    .withIssuesEvents(true), false, "slow-secret");
            slow.hold();
            List<Long> created = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                created.add(root.getIssuesApi().createIssue(project.getId(), "ordered " + i, null).getIid());
            }

            // every delivery reached the fast hook while the slow one still sits on its first request
            await().atMost(Duration.ofSeconds(8)).until(() -> receiver.events("Issue Hook").size() == 6);
            assertEquals(created, iids(receiver.events("Issue Hook")));
            await().atMost(WAIT).until(() -> slow.all().size() == 1);

            slow.release();
            await().atMost(WAIT).until(() -> slow.events("Issue Hook").size() >= 6);
            // the held request may have timed out and been retried: order of first arrival is what counts
            assertEquals(created, iids(slow.events("Issue Hook")).stream().distinct().toList());
        }
    }

    private static List<Long> iids(List<WebhookReceiver.Received> hooks) {
        List<Long> iids = new ArrayList<>();
        hooks.forEach(h -> iids.add(h.json().get("object_attributes").get("iid").asLong()));
        return iids;
    }

    @Test
    void groupHooksReceiveEventsOfProjectsBelow() throws Exception {
        try (WebhookReceiver groupReceiver = new WebhookReceiver()) {
            SimClient.Reply hook = sim.send("POST", "/api/v4/groups/" + group.getId() + "/hooks", SimClient.ROOT_TOKEN,
                    "{\"url\":\"" + groupReceiver.url() + "\",\"note_events\":true,\"token\":\"group-secret\"}");
            assertEquals(201, hook.status());
            Issue issue = root.getIssuesApi().createIssue(project.getId(), "group level", null);
            root.getNotesApi().createIssueNote(project.getId(), issue.getIid(), "hello group");
            await().atMost(WAIT).until(() -> groupReceiver.events("Note Hook").size() == 1);
            assertEquals("group-secret", groupReceiver.events("Note Hook").get(0).header("X-Gitlab-Token"));
            assertTrue(groupReceiver.events("Issue Hook").isEmpty());
        }
    }

    /**
     * GitLab sends a group hook the events of every project in the group and its subgroups: here the Issue,
     * Merge Request and Note Hooks Tandem reacts to, from a project two levels down.
     */
    @Test
    void topLevelGroupHookReceivesIssueMergeRequestAndNoteEventsOfSubgroupProjects() throws Exception {
        Group team = root.getGroupApi().createGroup(new GroupParams().withName("team").withPath("team")
                .withParentId(group.getId()));
        Project deep = root.getProjectApi().createProject(team.getId(), "deep");
        User carol = SeedingTest.createUser(root, SimClient.unique("carol"));
        root.getGroupApi().addMember(group.getId(), bob.getId(), AccessLevel.DEVELOPER);
        root.getGroupApi().addMember(group.getId(), carol.getId(), AccessLevel.DEVELOPER);
        try (WebhookReceiver groupReceiver = new WebhookReceiver()) {
            assertEquals(201, sim.send("POST", "/api/v4/groups/" + group.getId() + "/hooks", SimClient.ROOT_TOKEN,
                    "{\"url\":\"" + groupReceiver.url() + "\",\"push_events\":false,\"note_events\":true,"
                            + "\"issues_events\":true,\"merge_requests_events\":true,\"token\":\"group-secret\"}")
                    .status());

            Issue issue = root.getIssuesApi().createIssue(deep.getId(), "assign me", null);
            root.getIssuesApi().updateIssue(deep.getId(), issue.getIid(), null, null, null, List.of(bob.getId()), null,
                    null, null, null, null);
            await().atMost(WAIT).until(() -> groupReceiver.events("Issue Hook").size() == 2);
            JsonNode issueUpdate = groupReceiver.events("Issue Hook").get(1).json();
            assertEquals("group-secret", groupReceiver.events("Issue Hook").get(1).header("X-Gitlab-Token"));
            assertEquals(deep.getId().longValue(), issueUpdate.get("project").get("id").asLong());
            assertEquals("update", issueUpdate.get("object_attributes").get("action").asText());
            JsonNode assignees = issueUpdate.get("changes").get("assignees");
            assertEquals(0, assignees.get("previous").size());
            assertEquals(bob.getUsername(), assignees.get("current").get(0).get("username").asText());

            root.getCommitsApi().createCommit(deep.getId(), "feature", "Add code", "main", null, null, List.of(
                    new CommitAction().withAction(CommitAction.Action.CREATE).withFilePath("src/app.py")
                            .withContent("one\ntwo\nthree\n")));
            MergeRequest mr = root.getMergeRequestApi().createMergeRequest(deep.getId(), new MergeRequestParams()
                    .withSourceBranch("feature").withTargetBranch("main").withTitle("Code")
                    .withReviewerIds(List.of(bob.getId())));
            root.getMergeRequestApi().updateMergeRequest(deep.getId(), mr.getIid(),
                    new MergeRequestParams().withReviewerIds(List.of(bob.getId(), carol.getId())));
            await().atMost(WAIT).until(() -> groupReceiver.events("Merge Request Hook").size() == 2);
            JsonNode mrUpdate = groupReceiver.events("Merge Request Hook").get(1).json();
            assertEquals("update", mrUpdate.get("object_attributes").get("action").asText());
            JsonNode reviewers = mrUpdate.get("changes").get("reviewers");
            assertEquals(List.of(bob.getUsername()), usernames(reviewers.get("previous")));
            assertEquals(List.of(bob.getUsername(), carol.getUsername()), usernames(reviewers.get("current")));
            assertEquals(carol.getId().longValue(), reviewers.get("current").get(1).get("id").asLong());
            assertFalse(mrUpdate.get("changes").has("assignees"));

            DiffRef refs = root.getMergeRequestApi().getMergeRequest(deep.getId(), mr.getIid()).getDiffRefs();
            Position position = new Position().withBaseSha(refs.getBaseSha()).withStartSha(refs.getStartSha())
                    .withHeadSha(refs.getHeadSha()).withPositionType(Position.PositionType.TEXT)
                    .withOldPath("src/app.py").withNewPath("src/app.py").withNewLine(3);
            Discussion discussion = root.getDiscussionsApi().createMergeRequestDiscussion(deep.getId(), mr.getIid(),
                    "@ai-claude why three?", null, null, position);
            await().atMost(WAIT).until(() -> groupReceiver.events("Note Hook").size() == 1);
            JsonNode diffNote = groupReceiver.events("Note Hook").get(0).json().get("object_attributes");
            assertEquals("DiffNote", diffNote.get("type").asText());
            assertEquals(discussion.getId(), diffNote.get("discussion_id").asText());
            assertEquals("src/app.py", diffNote.get("position").get("new_path").asText());
            assertEquals(3, diffNote.get("position").get("new_line").asInt());
            assertEquals(refs.getHeadSha(), diffNote.get("position").get("head_sha").asText());

            long noteId = discussion.getNotes().get(0).getId();
            root.getNotesApi().updateMergeRequestNote(deep.getId(), mr.getIid(), noteId, "@ai-claude why 3?");
            await().atMost(WAIT).until(() -> groupReceiver.events("Note Hook").size() == 2);
            JsonNode edited = groupReceiver.events("Note Hook").get(1).json().get("object_attributes");
            assertEquals("update", edited.get("action").asText());
            assertEquals(noteId, edited.get("id").asLong());
            assertEquals("@ai-claude why 3?", edited.get("note").asText());
            assertEquals(3, edited.get("position").get("new_line").asInt());
        }
        // the project hook of another project in the group saw none of it
        assertTrue(receiver.events("Issue Hook").isEmpty());
    }

    private static List<String> usernames(JsonNode users) {
        List<String> names = new ArrayList<>();
        users.forEach(u -> names.add(u.get("username").asText()));
        return names;
    }

    private WebhookReceiver.Received awaitOne(String event) {
        await().atMost(WAIT).until(() -> !receiver.events(event).isEmpty());
        return receiver.events(event).get(0);
    }

    private JsonNode findDelivery(String key) {
        for (JsonNode d : sim.send("GET", "/-/sim/webhook-deliveries", null, null).json()) {
            if (d.get("idempotencyKey").asText().equals(key)) {
                return d;
            }
        }
        throw new AssertionError("no delivery " + key);
    }

    /** Every top-level and object_attributes key of GitLab's sample is in the simulator's payload. */
    static void assertHasSampleKeys(String sample, JsonNode actual, Set<String> exceptions) throws IOException {
        JsonNode expected;
        try (InputStream in = WebhookTest.class.getResourceAsStream("/gitlab-payloads/" + sample)) {
            expected = JSON.readTree(in);
        }
        List<String> missing = new ArrayList<>();
        expected.fieldNames().forEachRemaining(k -> {
            if (!actual.has(k) && !exceptions.contains(k)) {
                missing.add(k);
            }
        });
        expected.get("object_attributes").fieldNames().forEachRemaining(k -> {
            if (!actual.get("object_attributes").has(k) && !exceptions.contains(k)) {
                missing.add("object_attributes." + k);
            }
        });
        assertEquals(List.of(), missing, "keys of " + sample + " missing from the simulator's payload");
    }
}
