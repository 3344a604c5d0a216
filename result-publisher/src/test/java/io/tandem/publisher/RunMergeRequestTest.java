package io.tandem.publisher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.ValidationMessage;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.RunState;
import io.tandem.events.RunStatusChanged;
import io.tandem.events.ThreadKey;
import io.tandem.events.Topics;
import io.tandem.publisher.service.ProgressNoteText;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.gitlab4j.api.models.Epic;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.MergeRequestFilter;
import org.gitlab4j.api.models.Note;
import org.gitlab4j.models.Constants.MergeRequestState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run that left commits on its branch ends with a merge request, ready to merge, linked from its progress note;
 * a failed run's note names the failed job and links its log.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@QuarkusTestResource(IdentityServiceStandInResource.class)
class RunMergeRequestTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CLOUDEVENTS_TOPIC = "tandem.audit.cloudevents.v1";
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static SimulatorSeed seed;

    @Inject
    ObjectMapper json;

    private KafkaRecords kafka;
    private RunEvents events;

    @BeforeAll
    static void seedSimulator() throws Exception {
        seed = SimulatorSeed.shared();
    }

    @BeforeEach
    void clients() {
        kafka = new KafkaRecords(json);
        events = new RunEvents(seed);
    }

    @AfterEach
    void closeClients() {
        kafka.close();
    }

    @Test
    void aRunThatLeftCommitsGetsOneReadyMergeRequestLinkedFromItsNote() throws Exception {
        Issue issue = seed.issue("Fix the checkout rounding");
        Invocation invocation = events.invocation(EventIds.derive("test", "mr-issue"), "Issue", issue.getIid(),
                issue.getWebUrl());
        String branch = "workloads/" + invocation.invocationId();
        seed.branchWithCommit(branch, seed.defaultBranch());
        String pipelineUrl = seed.project.getWebUrl() + "/-/pipelines/140";

        kafka.send(Topics.INVOCATIONS_REQUESTED, key(invocation), RunEvents.requested(invocation));
        RunStatusChanged succeeded = RunEvents.succeededWith(invocation, pipelineUrl, branch);
        kafka.send(Topics.RUNS_STATUS, key(invocation), succeeded);

        Note note = await().atMost(WAIT).until(() -> issueNotes(invocation),
                notes -> notes.size() == 1 && notes.get(0).getBody().contains("opened merge request")).get(0);
        List<MergeRequest> opened = mergeRequestsFrom(branch);
        assertEquals(1, opened.size(), "one merge request");
        MergeRequest mr = seed.root.getMergeRequestApi().getMergeRequest(seed.project.getId(), opened.get(0).getIid());
        assertEquals(seed.defaultBranch(), mr.getTargetBranch(), "into the branch the run started from");
        assertFalse(Boolean.TRUE.equals(mr.getDraft()), "ready to merge: " + mr.getTitle());
        assertEquals("opened", mr.getState());
        assertEquals("Claude Code: Fix the checkout rounding", mr.getTitle());
        assertEquals(seed.serviceAccount.getId(), mr.getAuthor().getId(), "opened as the service account");
        assertEquals(List.of(seed.requester.getId()), mr.getAssignees().stream().map(a -> a.getId()).toList(),
                "assigned to the requester");
        assertTrue(mr.getDescription().startsWith(ProgressNoteText.marker(invocation.invocationId())),
                mr.getDescription());
        assertTrue(mr.getDescription().contains(issue.getWebUrl()), "links the thread: " + mr.getDescription());
        assertTrue(mr.getDescription().contains("Requested by @alice"), mr.getDescription());
        assertTrue(note.getBody().contains("@alice Claude Code has finished your request and opened merge request !"
                + mr.getIid() + ": " + mr.getWebUrl()), note.getBody());
        assertTrue(note.getBody().contains("[Pipeline](" + pipelineUrl + ")"), note.getBody());

        // A redelivered end opens no second merge request and leaves the note as it is.
        kafka.send(Topics.RUNS_STATUS, key(invocation), succeeded);
        await().atMost(WAIT).until(() -> kafka.consumedAll(Topics.RUNS_STATUS));
        assertEquals(1, mergeRequestsFrom(branch).size(), "still one merge request");
        assertEquals(note.getBody(), issueNotes(invocation).get(0).getBody());

        await().atMost(WAIT).untilAsserted(() -> given()
                .queryParam("invocationId", invocation.invocationId()).queryParam("type", "merge-request.opened")
                .get("/api/v1/audit")
                .then().statusCode(200)
                .body("data.mergeRequestIid", contains(mr.getIid().toString()))
                .body("data.sourceBranch", contains(branch))
                .body("data.targetBranch", contains(seed.defaultBranch()))
                .body("data.assignee", contains("alice")));
        JsonNode cloudEvent = awaitCloudEvent("io.tandem.merge-request.opened", invocation.invocationId());
        Set<ValidationMessage> errors = AuditSchemas.schemaFor("merge-request.opened").validate(cloudEvent);
        assertTrue(errors.isEmpty(), errors + " in " + cloudEvent);
        assertEquals(mr.getWebUrl(), cloudEvent.at("/data/details/webUrl").asText());
    }

    @Test
    void aMergeRequestOpenedBeforeACrashIsFoundAgainNotOpenedTwice() throws Exception {
        Issue issue = seed.issue("Crash after opening");
        Invocation invocation = events.invocation(EventIds.derive("test", "mr-adopt"), "Issue", issue.getIid(),
                issue.getWebUrl());
        String branch = "workloads/" + invocation.invocationId();
        seed.branchWithCommit(branch, seed.defaultBranch());
        // As if the publisher had opened it and died before writing the note.
        MergeRequest before;
        try (var asServiceAccount = seed.asServiceAccount()) {
            before = asServiceAccount.getMergeRequestApi().createMergeRequest(seed.project.getId(), branch,
                    seed.defaultBranch(), "Claude Code: Crash after opening", "opened before a crash", null);
        }

        kafka.send(Topics.RUNS_STATUS, key(invocation), RunEvents.succeededWith(invocation, null, branch));

        Note note = await().atMost(WAIT).until(() -> issueNotes(invocation),
                notes -> notes.size() == 1 && notes.get(0).getBody().contains("opened merge request")).get(0);
        assertTrue(note.getBody().contains("!" + before.getIid() + ": " + before.getWebUrl()), note.getBody());
        assertEquals(1, mergeRequestsFrom(branch).size(), "found again, not opened twice");
    }

    @Test
    void aRunAskedForInAMergeRequestProposesItsChangesToThatMergeRequestsBranch() throws Exception {
        MergeRequest asked = seed.mergeRequest("feature-mr-target");
        Invocation invocation = RunEvents.fromBranch(events.invocation(EventIds.derive("test", "mr-on-mr"),
                "MergeRequest", asked.getIid(), asked.getWebUrl()), "feature-mr-target");
        String branch = "workloads/" + invocation.invocationId();
        seed.branchWithCommit(branch, "feature-mr-target");

        kafka.send(Topics.RUNS_STATUS, key(invocation), RunEvents.succeededWith(invocation, null, branch));

        MergeRequest mr = await().atMost(WAIT).until(() -> mergeRequestsFrom(branch), list -> list.size() == 1).get(0);
        assertEquals("feature-mr-target", mr.getTargetBranch());
        assertEquals("Claude Code: Change feature-mr-target", mr.getTitle());
        await().atMost(WAIT).until(() -> seed.root.getNotesApi().getMergeRequestNotes(seed.project.getId(),
                asked.getIid()).stream().anyMatch(n -> n.getBody().contains(
                        ProgressNoteText.marker(invocation.invocationId()))
                        && n.getBody().contains("opened merge request !" + mr.getIid() + ": " + mr.getWebUrl())));
    }

    @Test
    void anEpicRunsMergeRequestTargetsTheRunProjectsDefaultBranchAndIsLinkedOnTheEpic() throws Exception {
        Epic epic = seed.epic("Rework the billing pages");
        Invocation invocation = events.onEpic(EventIds.derive("test", "mr-epic"), epic.getIid(), epic.getId(),
                epic.getWebUrl(), false);
        String branch = "workloads/" + invocation.invocationId();
        seed.branchWithCommit(branch, seed.defaultBranch());

        kafka.send(Topics.RUNS_STATUS, key(invocation), RunEvents.succeededWith(invocation, null, branch));

        MergeRequest mr = await().atMost(WAIT).until(() -> mergeRequestsFrom(branch), list -> list.size() == 1).get(0);
        assertEquals(seed.defaultBranch(), mr.getTargetBranch());
        assertEquals("Claude Code: Rework the billing pages", mr.getTitle());
        assertTrue(mr.getDescription().contains(epic.getWebUrl()), mr.getDescription());
        Note note = await().atMost(WAIT).until(() -> seed.root.getNotesApi().getEpicNotes(seed.group.getId(),
                epic.getId()).stream().filter(n -> n.getBody().contains(
                        ProgressNoteText.marker(invocation.invocationId()))).toList(),
                notes -> notes.size() == 1).get(0);
        assertTrue(note.getBody().contains("opened merge request !" + mr.getIid() + ": " + mr.getWebUrl()),
                note.getBody());
    }

    @Test
    void aBranchGitlabWillNotProposeIsNamedInTheNoteInstead() throws Exception {
        Issue issue = seed.issue("Branch gone");
        Invocation invocation = events.invocation(EventIds.derive("test", "mr-gone"), "Issue", issue.getIid(),
                issue.getWebUrl());
        String branch = "workloads/" + invocation.invocationId();

        kafka.send(Topics.RUNS_STATUS, key(invocation), RunEvents.succeededWith(invocation, null, branch));

        Note note = await().atMost(WAIT).until(() -> issueNotes(invocation),
                notes -> notes.size() == 1 && notes.get(0).getBody().contains("has finished")).get(0);
        assertTrue(note.getBody().contains("Its changes are on branch `" + branch
                + "`, but I could not open a merge request for them: GitLab answered HTTP 400"), note.getBody());
        await().atMost(WAIT).untilAsserted(() -> given()
                .queryParam("invocationId", invocation.invocationId()).queryParam("type", "merge-request.not-opened")
                .get("/api/v1/audit")
                .then().statusCode(200)
                .body("data.sourceBranch", contains(branch)));
        JsonNode cloudEvent = awaitCloudEvent("io.tandem.merge-request.not-opened", invocation.invocationId());
        assertTrue(AuditSchemas.schemaFor("merge-request.not-opened").validate(cloudEvent).isEmpty(),
                cloudEvent.toString());
    }

    @Test
    void aFailedRunNamesTheFailedJobAndLinksItsLog() throws Exception {
        Issue issue = seed.issue("Failing job");
        Invocation invocation = events.invocation(EventIds.derive("test", "failed-job"), "Issue", issue.getIid());
        String jobUrl = seed.project.getWebUrl() + "/-/jobs/4711";
        String detail = "Job `agent` failed: " + jobUrl;

        kafka.send(Topics.RUNS_STATUS, key(invocation), RunEvents.status(invocation, RunState.FAILED,
                seed.project.getWebUrl() + "/-/pipelines/141", detail));

        Note note = await().atMost(WAIT).until(() -> issueNotes(invocation),
                notes -> notes.size() == 1 && notes.get(0).getBody().contains("could not finish")).get(0);
        assertTrue(note.getBody().contains("@alice Claude Code could not finish your request: Job `agent` failed: "
                + jobUrl + " [Pipeline]("), "job name and log link, the link not run into a full stop: "
                + note.getBody());
        assertTrue(mergeRequestsFrom("workloads/" + invocation.invocationId()).isEmpty(), "no merge request");
    }

    private List<MergeRequest> mergeRequestsFrom(String branch) throws Exception {
        return seed.root.getMergeRequestApi().getMergeRequests(new MergeRequestFilter()
                .withProjectId(seed.project.getId()).withSourceBranch(branch).withState(MergeRequestState.ALL));
    }

    private List<Note> issueNotes(Invocation invocation) throws Exception {
        String marker = ProgressNoteText.marker(invocation.invocationId());
        return seed.root.getNotesApi().getIssueNotes(seed.project.getId(), invocation.thread().noteableIid()).stream()
                .filter(n -> n.getBody() != null && n.getBody().contains(marker)).toList();
    }

    /** The CloudEvent of {@code type} about run {@code invocationId}, read as an outside analytics consumer. */
    private static JsonNode awaitCloudEvent(String type, String invocationId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "audit-analytics-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<JsonNode> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(CLOUDEVENTS_TOPIC));
            await().atMost(WAIT).until(() -> {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode event = PLAIN.readTree(record.value());
                    if (type.equals(event.path("type").asText()) && invocationId.equals(event.path("subject").asText())) {
                        found.add(event);
                    }
                }
                return !found.isEmpty();
            });
        }
        return found.get(0);
    }

    private static String key(Invocation invocation) {
        return ThreadKey.of(invocation.thread());
    }
}
