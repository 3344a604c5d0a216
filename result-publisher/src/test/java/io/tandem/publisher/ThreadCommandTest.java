package io.tandem.publisher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.events.Actor;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.RunState;
import io.tandem.events.ThreadCommand;
import io.tandem.events.ThreadKey;
import io.tandem.events.ThreadRef;
import io.tandem.events.Topics;
import io.tandem.publisher.service.CommandReplyText;
import io.tandem.publisher.service.ProgressNoteText;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.models.Discussion;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.Note;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Queued requests and the answers to {@code status}, {@code stop} and {@code retry} (accepted or refused, as plain
 * notes or replies in the command's discussion), written in the simulator.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@QuarkusTestResource(IdentityServiceStandInResource.class)
class ThreadCommandTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
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
    void aQueuedRequestSaysSoAndTheSameNoteMovesOnWhenItStarts() throws Exception {
        Issue issue = seed.issue("Queued");
        Invocation invocation = events.invocation(EventIds.derive("test", "queued"), "Issue", issue.getIid());

        kafka.send(Topics.INVOCATIONS_QUEUED, key(invocation), RunEvents.queued(invocation, "active-run"));
        Note queued = awaitSingle(invocation.thread(), ProgressNoteText.marker(invocation.invocationId()),
                "yours is queued");
        assertTrue(queued.getBody().contains("<!-- tandem:state:QUEUED -->"), queued.getBody());
        assertTrue(queued.getBody().startsWith("<!-- tandem"), "hidden marker first: " + queued.getBody());

        kafka.send(Topics.INVOCATIONS_REQUESTED, key(invocation), RunEvents.requested(invocation));
        Note processing = awaitSingle(invocation.thread(), ProgressNoteText.marker(invocation.invocationId()),
                "is processing your request");
        assertEquals(queued.getId(), processing.getId(), "the queued note itself moves on");

        // A late repeat of the queued record does not move the note back.
        kafka.send(Topics.INVOCATIONS_QUEUED, key(invocation), RunEvents.queued(invocation, "active-run"));
        await().atMost(WAIT).until(() -> kafka.consumedAll(Topics.INVOCATIONS_QUEUED));
        Note after = single(invocation.thread(), ProgressNoteText.marker(invocation.invocationId()));
        assertTrue(after.getBody().contains("is processing your request"), after.getBody());

        await().atMost(WAIT).untilAsserted(() -> given()
                .queryParam("invocationId", invocation.invocationId()).queryParam("type", "note.written")
                .get("/api/v1/audit")
                .then().statusCode(200)
                .body("data.state", contains("QUEUED", "PROCESSING")));
    }

    @Test
    void statusAnswersOnceWithTheStateAndLinksAsTheServiceAccount() throws Exception {
        Issue issue = seed.issue("Status");
        Invocation invocation = events.invocation(EventIds.derive("test", "status"), "Issue", issue.getIid(),
                issue.getWebUrl());
        String pipelineUrl = seed.project.getWebUrl() + "/-/pipelines/91";
        kafka.send(Topics.RUNS_STATUS, key(invocation),
                RunEvents.status(invocation, RunState.RUNNING, pipelineUrl, null));
        Note progress = awaitSingle(invocation.thread(), ProgressNoteText.marker(invocation.invocationId()),
                "is working on your request");

        ThreadCommand status = RunEvents.command(invocation, ThreadCommand.STATUS, "status-1");
        kafka.send(Topics.THREAD_COMMANDS, status.key(), status);
        kafka.send(Topics.THREAD_COMMANDS, status.key(), status); // redelivered

        Note reply = awaitSingle(invocation.thread(), CommandReplyText.marker(status.eventId()), "**running**");
        await().atMost(WAIT).until(() -> kafka.consumedAll(Topics.THREAD_COMMANDS));
        assertEquals(1, matching(invocation.thread(), CommandReplyText.marker(status.eventId())).size(),
                "one answer per command");
        String body = reply.getBody();
        assertTrue(body.startsWith("<!-- tandem"), "marked so that it triggers nothing: " + body);
        assertTrue(body.contains("@alice "), body);
        assertTrue(body.contains("[Pipeline](" + pipelineUrl + ")"), body);
        assertTrue(body.contains("[Progress note](" + issue.getWebUrl() + "#note_" + progress.getId() + ")"), body);
        assertEquals(seed.serviceAccount.getId(), reply.getAuthor().getId());
        assertFalse(progress.getId().equals(reply.getId()));

        await().atMost(WAIT).untilAsserted(() -> given()
                .queryParam("invocationId", invocation.invocationId()).queryParam("type", "command.answered")
                .get("/api/v1/audit")
                .then().statusCode(200)
                .body("data.verb", contains("status"))
                .body("data.state", contains("RUNNING")));
    }

    @Test
    void stopAndRetryAreAcknowledgedOnAMergeRequest() throws Exception {
        MergeRequest mergeRequest = seed.mergeRequest("commands");
        Invocation invocation = events.invocation(EventIds.derive("test", "stop-retry"), "MergeRequest",
                mergeRequest.getIid());
        ThreadCommand stop = RunEvents.command(invocation, ThreadCommand.STOP, "stop-1");
        ThreadCommand retry = RunEvents.command(invocation, ThreadCommand.RETRY, "retry-1");

        kafka.send(Topics.THREAD_COMMANDS, stop.key(), stop);
        kafka.send(Topics.THREAD_COMMANDS, retry.key(), retry);

        Note stopped = awaitSingle(invocation.thread(), CommandReplyText.marker(stop.eventId()), "Stopping the run");
        Note retried = awaitSingle(invocation.thread(), CommandReplyText.marker(retry.eventId()), "again");
        assertTrue(stopped.getBody().contains("@alice Stopping the run of Claude Code"), stopped.getBody());
        assertTrue(retried.getBody().contains("@alice Running Claude Code again"), retried.getBody());
    }

    @Test
    void anAnswerWrittenBeforeACrashIsNotWrittenAgain() throws Exception {
        Issue issue = seed.issue("Answer crash");
        Invocation invocation = events.invocation(EventIds.derive("test", "answer-crash"), "Issue", issue.getIid());
        ThreadCommand status = RunEvents.command(invocation, ThreadCommand.STATUS, "status-crash");
        // As if the publisher had written the answer and died before recording it.
        Note orphan;
        try (GitLabApi asServiceAccount = seed.asServiceAccount()) {
            orphan = asServiceAccount.getNotesApi().createIssueNote(seed.project.getId(), issue.getIid(),
                    new CommandReplyText().render(status, null));
        }

        kafka.send(Topics.THREAD_COMMANDS, status.key(), status);

        await().atMost(WAIT).untilAsserted(() -> given()
                .queryParam("type", "command.answered").queryParam("invocationId", invocation.invocationId())
                .get("/api/v1/audit")
                .then().statusCode(200)
                .body("data.noteId", hasItem(orphan.getId().toString())));
        List<Note> answers = matching(invocation.thread(), CommandReplyText.marker(status.eventId()));
        assertEquals(1, answers.size());
        assertEquals(orphan.getId(), answers.get(0).getId());
        assertTrue(orphan.getBody().contains("has no run in this thread"), orphan.getBody());
    }

    @Test
    void aRefusedCommandIsAnsweredWithTheReasonInItsDiscussionAndNothingElse() throws Exception {
        Issue issue = seed.issue("Refused stop");
        Invocation invocation = events.invocation(EventIds.derive("test", "refused-stop"), "Issue", issue.getIid());
        String pipelineUrl = seed.project.getWebUrl() + "/-/pipelines/130";
        kafka.send(Topics.RUNS_STATUS, key(invocation),
                RunEvents.status(invocation, RunState.RUNNING, pipelineUrl, null));
        Note progress = awaitSingle(invocation.thread(), ProgressNoteText.marker(invocation.invocationId()),
                "is working on your request");
        Discussion asked = seed.root.getDiscussionsApi().createIssueDiscussion(seed.project.getId(), issue.getIid(),
                "@" + seed.serviceAccount.getUsername() + " stop", null);
        Actor gus = new Actor(seed.guest.getId(), seed.guest.getUsername(), "Gus Guest");
        String refusal = "'stop' requires the Developer role or higher; gus is Guest";
        ThreadCommand stop = RunEvents.command(invocation, ThreadCommand.STOP, "refused-stop-1", gus, asked.getId(),
                refusal);
        ThreadCommand status = RunEvents.command(invocation, ThreadCommand.STATUS, "refused-status-1", gus, null,
                "'status' requires the Developer role or higher; gus is Guest");

        kafka.send(Topics.THREAD_COMMANDS, stop.key(), stop);
        kafka.send(Topics.THREAD_COMMANDS, status.key(), status);

        Note answer = awaitSingle(invocation.thread(), CommandReplyText.marker(stop.eventId()), "I can't");
        assertEquals(CommandReplyText.marker(stop.eventId()) + "\n@gus I can't stop Claude Code here: " + refusal
                + ".", answer.getBody());
        assertEquals(seed.serviceAccount.getId(), answer.getAuthor().getId());
        List<Note> discussion = discussionNotes(issue, asked.getId());
        assertEquals(2, discussion.size(), "the command and its answer");
        assertEquals(answer.getId(), discussion.get(1).getId(), "the answer is a reply in the command's discussion");

        Note statusAnswer = awaitSingle(invocation.thread(), CommandReplyText.marker(status.eventId()), "I can't");
        assertTrue(statusAnswer.getBody().contains("@gus I can't report the status of Claude Code here: 'status'"
                + " requires the Developer role or higher; gus is Guest."), statusAnswer.getBody());
        assertFalse(statusAnswer.getBody().contains("running"), "a refused status tells nothing about the run");

        await().atMost(WAIT).untilAsserted(() -> given()
                .queryParam("invocationId", invocation.invocationId()).queryParam("type", "command.refused.answered")
                .get("/api/v1/audit")
                .then().statusCode(200)
                .body("data.verb", containsInAnyOrder("stop", "status"))
                .body("data.refusal", hasItem(refusal))
                .body("actor", everyItem(equalTo("gus"))));
        given().queryParam("invocationId", invocation.invocationId()).queryParam("type", "command.answered")
                .get("/api/v1/audit")
                .then().statusCode(200).body("size()", equalTo(0));
        Note after = single(invocation.thread(), ProgressNoteText.marker(invocation.invocationId()));
        assertEquals(progress.getBody(), after.getBody(), "the run's note is untouched");
    }

    @Test
    void anAcceptedCommandIsAnsweredInItsDiscussionOnAMergeRequest() throws Exception {
        MergeRequest mergeRequest = seed.mergeRequest("command-discussion");
        Invocation invocation = events.invocation(EventIds.derive("test", "retry-discussion"), "MergeRequest",
                mergeRequest.getIid());
        Discussion asked = seed.root.getDiscussionsApi().createMergeRequestDiscussion(seed.project.getId(),
                mergeRequest.getIid(), "@" + seed.serviceAccount.getUsername() + " retry", null, null, null);
        ThreadCommand retry = RunEvents.command(invocation, ThreadCommand.RETRY, "retry-discussion-1",
                invocation.requester(), asked.getId(), null);

        kafka.send(Topics.THREAD_COMMANDS, retry.key(), retry);

        Note answer = awaitSingle(invocation.thread(), CommandReplyText.marker(retry.eventId()), "again");
        List<Note> discussion = seed.root.getDiscussionsApi().getMergeRequestDiscussion(seed.project.getId(),
                mergeRequest.getIid(), asked.getId()).getNotes();
        assertEquals(2, discussion.size(), "the command and its answer");
        assertEquals(answer.getId(), discussion.get(1).getId());
        assertTrue(answer.getBody().contains("@alice Running Claude Code again"), answer.getBody());
    }

    private Note awaitSingle(ThreadRef thread, String marker, String expectedText) {
        return await().atMost(WAIT).until(() -> matching(thread, marker),
                notes -> notes.size() == 1 && notes.get(0).getBody().contains(expectedText)).get(0);
    }

    private Note single(ThreadRef thread, String marker) throws Exception {
        List<Note> notes = matching(thread, marker);
        assertEquals(1, notes.size(), "one note with " + marker);
        return notes.get(0);
    }

    private List<Note> matching(ThreadRef thread, String marker) throws Exception {
        List<Note> notes = "Issue".equals(thread.noteableType())
                ? seed.root.getNotesApi().getIssueNotes(thread.projectId(), thread.noteableIid())
                : seed.root.getNotesApi().getMergeRequestNotes(thread.projectId(), thread.noteableIid());
        return notes.stream().filter(n -> n.getBody() != null && n.getBody().contains(marker)).toList();
    }

    private List<Note> discussionNotes(Issue issue, String discussionId) throws Exception {
        return seed.root.getDiscussionsApi().getIssueDiscussions(seed.project.getId(), issue.getIid()).stream()
                .filter(d -> discussionId.equals(d.getId()))
                .findFirst().orElseThrow().getNotes();
    }

    private static String key(Invocation invocation) {
        return ThreadKey.of(invocation.thread());
    }
}
