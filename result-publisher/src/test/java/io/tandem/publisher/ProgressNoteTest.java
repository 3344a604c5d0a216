package io.tandem.publisher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.RunState;
import io.tandem.events.ThreadKey;
import io.tandem.events.ThreadRef;
import io.tandem.events.Topics;
import io.tandem.publisher.messaging.RunMdc;
import io.tandem.publisher.service.ProgressNoteText;
import io.tandem.publisher.service.ProgressNotes;
import io.tandem.testsupport.CapturedLogs;
import io.tandem.testsupport.ConsumerGroup;
import io.tandem.testsupport.Metrics;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.models.Discussion;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.Note;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@QuarkusTestResource(IdentityServiceStandInResource.class)
class ProgressNoteTest {

    private static final String WRITTEN = "tandem_notes_written_total";
    private static final String TO_NOTE = "tandem_webhook_to_note_seconds";

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static SimulatorSeed seed;

    @Inject
    ObjectMapper json;

    @Inject
    ProgressNoteText text;

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
    void oneNoteFollowsTheRunFromProcessingToSucceededAndIgnoresALateRepeat() throws Exception {
        Issue issue = seed.issue("Fix the login bug");
        Invocation invocation = events.invocation(EventIds.derive("test", "lifecycle"), "Issue", issue.getIid());
        String pipelineUrl = seed.project.getWebUrl() + "/-/pipelines/77";
        double acknowledgedBefore = Metrics.value(TO_NOTE + "_count");
        double processingBefore = Metrics.value(WRITTEN, "state", "processing");
        double succeededBefore = Metrics.value(WRITTEN, "state", "succeeded");

        kafka.send(Topics.INVOCATIONS_REQUESTED, key(invocation), RunEvents.requested(invocation));
        Note processing = awaitSingleNote(invocation, "is processing your request");
        assertTrue(processing.getBody().startsWith(ProgressNoteText.marker(invocation.invocationId())),
                processing.getBody());
        assertEquals(seed.serviceAccount.getId(), processing.getAuthor().getId(), "written as the service account");
        assertTrue(processing.getBody().contains("@alice Claude Code is processing your request."),
                processing.getBody());

        kafka.send(Topics.RUNS_STATUS, key(invocation),
                RunEvents.status(invocation, RunState.STARTED, pipelineUrl, null));
        Note started = awaitSingleNote(invocation, pipelineUrl);
        assertEquals(processing.getId(), started.getId(), "the same note, edited");
        assertTrue(started.getBody().contains("has started working"), started.getBody());

        kafka.send(Topics.RUNS_STATUS, key(invocation),
                RunEvents.status(invocation, RunState.SUCCEEDED, null, null));
        Note succeeded = awaitSingleNote(invocation, "has finished your request");
        assertEquals(processing.getId(), succeeded.getId());
        assertTrue(succeeded.getBody().contains(pipelineUrl), "the pipeline link stays: " + succeeded.getBody());

        // A redelivered request after the terminal state changes nothing.
        kafka.send(Topics.INVOCATIONS_REQUESTED, key(invocation), RunEvents.requested(invocation));
        await().atMost(WAIT).until(() -> kafka.consumedAll(Topics.INVOCATIONS_REQUESTED));
        List<Note> after = notesOf(invocation);
        assertEquals(1, after.size(), "still one note");
        assertEquals(succeeded.getBody(), after.get(0).getBody(), "unchanged");

        await().atMost(WAIT).untilAsserted(() -> given()
                .queryParam("invocationId", invocation.invocationId())
                .queryParam("type", "note.written")
                .get("/api/v1/audit")
                .then().statusCode(200)
                .body("data.state", contains("PROCESSING", "STARTED", "SUCCEEDED"))
                .body("source", contains("result-publisher", "result-publisher", "result-publisher")));
        // counted before the audit event is published; the acknowledgement is the first note only
        assertTrue(Metrics.value(WRITTEN, "state", "processing") >= processingBefore + 1, "processing notes");
        assertTrue(Metrics.value(WRITTEN, "state", "succeeded") >= succeededBefore + 1, "succeeded notes");
        assertEquals(acknowledgedBefore + 1, Metrics.value(TO_NOTE + "_count"), "one acknowledgement timed");
        for (String slo : List.of("0.1", "0.3", "1.0", "5.0")) {
            assertTrue(Metrics.has(TO_NOTE + "_bucket", "le", slo), "SLO bucket " + slo);
        }
    }

    @Test
    void aBurstAcrossTheThreeTopicsStillWritesOneNoteInTheLatestState() throws Exception {
        Issue issue = seed.issue("Burst");
        Invocation invocation = events.invocation(EventIds.derive("test", "burst"), "Issue", issue.getIid());
        String pipelineUrl = seed.project.getWebUrl() + "/-/pipelines/80";

        // Consumers of different topics race for the same run; the row lock must serialize them.
        kafka.send(Topics.RUNS_STATUS, key(invocation),
                RunEvents.status(invocation, RunState.RUNNING, pipelineUrl, null));
        kafka.send(Topics.INVOCATIONS_REQUESTED, key(invocation), RunEvents.requested(invocation));
        kafka.send(Topics.RUNS_STATUS, key(invocation),
                RunEvents.status(invocation, RunState.STARTED, pipelineUrl, null));
        kafka.send(Topics.INVOCATIONS_REQUESTED, key(invocation), RunEvents.requested(invocation));

        await().atMost(WAIT).until(() -> kafka.consumedAll(Topics.INVOCATIONS_REQUESTED)
                && kafka.consumedAll(Topics.RUNS_STATUS));
        List<Note> notes = notesOf(invocation);
        assertEquals(1, notes.size(), "one note");
        assertTrue(notes.get(0).getBody().contains("is working on your request"), notes.get(0).getBody());
    }

    @Test
    void runsOnThreadsOfEveryPartitionAreNotedSideBySideEachOnce() throws Exception {
        // Three consumers share the requests and the statuses, one partition each, in order per partition.
        await().atMost(WAIT).until(() -> ConsumerGroup.membersReading("result-publisher", Topics.RUNS_STATUS) == 3
                && ConsumerGroup.membersReading("result-publisher", Topics.INVOCATIONS_REQUESTED) == 3);
        List<Invocation> runs = new ArrayList<>();
        Set<Integer> partitions = new HashSet<>();
        for (int i = 0; runs.size() < 6 && i < 40; i++) {
            Issue issue = seed.issue("Side by side " + i);
            Invocation invocation = events.invocation(EventIds.derive("test", "side-by-side", String.valueOf(i)), "Issue",
                    issue.getIid());
            if (partitions.add(ConsumerGroup.partitionOf(key(invocation))) || partitions.size() == 3) {
                runs.add(invocation);
            }
        }
        assertEquals(3, partitions.size(), "threads on every partition");

        for (Invocation invocation : runs) {
            kafka.send(Topics.INVOCATIONS_REQUESTED, key(invocation), RunEvents.requested(invocation));
            kafka.send(Topics.RUNS_STATUS, key(invocation), RunEvents.status(invocation, RunState.RUNNING,
                    seed.project.getWebUrl() + "/-/pipelines/7", null));
        }

        for (Invocation invocation : runs) {
            await().atMost(WAIT).until(() -> {
                List<Note> notes = notesOf(invocation);
                return notes.size() == 1 && notes.get(0).getBody().contains("is working on your request");
            });
        }
        await().atMost(WAIT).until(() -> kafka.consumedAll(Topics.INVOCATIONS_REQUESTED)
                && kafka.consumedAll(Topics.RUNS_STATUS));
        for (Invocation invocation : runs) {
            assertEquals(1, notesOf(invocation).size(), "one note for " + invocation.invocationId());
        }
    }

    @Test
    void aDeniedInvocationGetsARefusalWithTheReasonOnAMergeRequest() throws Exception {
        MergeRequest mergeRequest = seed.mergeRequest("refusal");
        Invocation invocation = events.invocation(EventIds.derive("test", "denied"), "MergeRequest",
                mergeRequest.getIid());
        String reason = "alice is a Reporter in acme-robots/widgets; Developer or higher is needed.";

        kafka.send(Topics.INVOCATIONS_DENIED, key(invocation), RunEvents.denied(invocation, reason));

        Note refusal = awaitSingleNote(invocation, "I can't run");
        assertTrue(refusal.getBody().startsWith(ProgressNoteText.marker(invocation.invocationId())));
        assertTrue(refusal.getBody().contains("@alice I can't run Claude Code here: " + reason), refusal.getBody());
        assertEquals(seed.serviceAccount.getId(), refusal.getAuthor().getId());
    }

    @Test
    void anAnswerAboutADiffLineIsRepliedInItsDiscussion() throws Exception {
        MergeRequest mergeRequest = seed.mergeRequest("diff-line");
        Discussion asked = seed.root.getDiscussionsApi().createMergeRequestDiscussion(seed.project.getId(),
                mergeRequest.getIid(), "@" + seed.serviceAccount.getUsername() + " why this line?", null, null, null);
        Invocation invocation = RunEvents.onDiffLine(events.invocation(EventIds.derive("test", "diff-line"),
                "MergeRequest", mergeRequest.getIid()), asked.getId());
        String pipelineUrl = seed.project.getWebUrl() + "/-/pipelines/96";

        kafka.send(Topics.INVOCATIONS_REQUESTED, key(invocation), RunEvents.requested(invocation));
        Note processing = awaitSingleNote(invocation, "is processing your request");
        kafka.send(Topics.RUNS_STATUS, key(invocation),
                RunEvents.status(invocation, RunState.SUCCEEDED, pipelineUrl, null));
        Note finished = awaitSingleNote(invocation, "has finished your request");
        assertEquals(processing.getId(), finished.getId());

        List<Note> thread = seed.root.getDiscussionsApi().getMergeRequestDiscussion(seed.project.getId(),
                mergeRequest.getIid(), asked.getId()).getNotes();
        assertEquals(2, thread.size(), "the question and the answer");
        assertEquals(finished.getId(), thread.get(1).getId(), "the answer is a reply in the asking discussion");
        assertTrue(thread.get(1).getBody().contains("has finished your request"), thread.get(1).getBody());
    }

    @Test
    void startedArrivingBeforeProcessingLeavesOneStartedNote() throws Exception {
        Issue issue = seed.issue("Out of order");
        Invocation invocation = events.invocation(EventIds.derive("test", "out-of-order"), "Issue", issue.getIid());
        String pipelineUrl = seed.project.getWebUrl() + "/-/pipelines/78";

        kafka.send(Topics.RUNS_STATUS, key(invocation),
                RunEvents.status(invocation, RunState.STARTED, pipelineUrl, null));
        Note started = awaitSingleNote(invocation, "has started working");

        kafka.send(Topics.INVOCATIONS_REQUESTED, key(invocation), RunEvents.requested(invocation));
        await().atMost(WAIT).until(() -> kafka.consumedAll(Topics.INVOCATIONS_REQUESTED));

        List<Note> notes = notesOf(invocation);
        assertEquals(1, notes.size());
        assertEquals(started.getBody(), notes.get(0).getBody());
        assertFalse(notes.get(0).getBody().contains("processing"), notes.get(0).getBody());
    }

    @Test
    void aNoteCreatedBeforeACrashIsFoundByItsMarkerAndEdited() throws Exception {
        Issue issue = seed.issue("Crash recovery");
        Invocation invocation = events.invocation(EventIds.derive("test", "adopt"), "Issue", issue.getIid());
        // As if the publisher had created the note and died before recording its id.
        Note orphan;
        try (GitLabApi asServiceAccount = seed.asServiceAccount()) {
            orphan = asServiceAccount.getNotesApi().createIssueNote(seed.project.getId(), issue.getIid(),
                    text.render(invocation, RunState.PROCESSING, null, null));
        }

        kafka.send(Topics.RUNS_STATUS, key(invocation),
                RunEvents.status(invocation, RunState.RUNNING, seed.project.getWebUrl() + "/-/pipelines/79", null));

        Note running = awaitSingleNote(invocation, "is working on your request");
        assertEquals(orphan.getId(), running.getId(), "the orphan was adopted, not duplicated");
    }

    @Test
    void aFailedRunShowsItsDetail() throws Exception {
        Issue issue = seed.issue("Failing run");
        Invocation invocation = events.invocation(EventIds.derive("test", "failed"), "Issue", issue.getIid());

        kafka.send(Topics.RUNS_STATUS, key(invocation),
                RunEvents.status(invocation, RunState.FAILED, null, "job agent failed with exit code 2"));

        Note failed = awaitSingleNote(invocation, "could not finish your request");
        assertTrue(failed.getBody().contains("job agent failed with exit code 2"), failed.getBody());
    }

    @Test
    void aRecordThatCannotBeAppliedGoesToTheDeadLetterTopic() throws Exception {
        Issue issue = seed.issue("Poison");
        Invocation invocation = events.invocation(EventIds.derive("test", "poison"), "Issue", issue.getIid());
        // A status without a state cannot be placed in the run's order.
        kafka.send(Topics.RUNS_STATUS, key(invocation), RunEvents.status(invocation, null, null, "no state"));

        await().atMost(WAIT).until(() -> kafka.readAll(Topics.deadLetter("result-publisher", "runs-status")),
                values -> values.stream().anyMatch(v -> v.contains(invocation.invocationId())));
    }

    @Test
    void aTriggerBlockedByASwitchIsRefusedInAWholeSentence() throws Exception {
        Issue issue = seed.issue("Switched off");
        Invocation invocation = events.invocation(EventIds.derive("test", "switched-off"), "Issue", issue.getIid());

        kafka.send(Topics.INVOCATIONS_DENIED, key(invocation),
                RunEvents.blocked(invocation, "external agents are turned off in group " + seed.group.getId()));

        Note refusal = awaitSingleNote(invocation, "I can't run");
        assertTrue(refusal.getBody().contains("<!-- tandem:state:REFUSED -->"), refusal.getBody());
        assertTrue(refusal.getBody().endsWith("@alice I can't run Claude Code here: external agents are turned off"
                + " in group " + seed.group.getId() + "."), refusal.getBody());
    }

    @Test
    void anUnsupportedThreadIsAuditedInsteadOfWritten() {
        ThreadRef snippet = new ThreadRef(seed.project.getId(), null, seed.project.getPathWithNamespace(), "Snippet",
                3, null, null, null);
        Invocation invocation = events.invocation(EventIds.derive("test", "snippet"), snippet);

        try (CapturedLogs logs = CapturedLogs.of(ProgressNotes.class)) {
            kafka.send(Topics.INVOCATIONS_REQUESTED, key(invocation), RunEvents.requested(invocation));

            CapturedLogs.Line line = logs.await("run " + invocation.invocationId() + ": cannot write");
            assertEquals(invocation.invocationId(), line.mdc().get(RunMdc.RUN_ID), "MDC: " + line.mdc());
        }

        await().atMost(WAIT).untilAsserted(() -> given()
                .queryParam("invocationId", invocation.invocationId())
                .get("/api/v1/audit")
                .then().statusCode(200)
                .body("type", contains("note.unsupported")));
    }

    private Note awaitSingleNote(Invocation invocation, String expectedText) {
        return await().atMost(WAIT).until(() -> notesOf(invocation),
                notes -> notes.size() == 1 && notes.get(0).getBody().contains(expectedText)).get(0);
    }

    private List<Note> notesOf(Invocation invocation) throws Exception {
        ThreadRef thread = invocation.thread();
        List<Note> notes = "Issue".equals(thread.noteableType())
                ? seed.root.getNotesApi().getIssueNotes(thread.projectId(), thread.noteableIid())
                : seed.root.getNotesApi().getMergeRequestNotes(thread.projectId(), thread.noteableIid());
        String marker = ProgressNoteText.marker(invocation.invocationId());
        return notes.stream().filter(n -> n.getBody() != null && n.getBody().contains(marker)).toList();
    }

    private static String key(Invocation invocation) {
        return ThreadKey.of(invocation.thread());
    }
}
