package io.tandem.publisher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.RunState;
import io.tandem.events.ThreadKey;
import io.tandem.events.Topics;
import io.tandem.publisher.repository.ProgressNoteRepository;
import io.tandem.publisher.service.ProgressNoteText;
import io.tandem.publisher.service.StaleRunWatchdog;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.gitlab4j.api.models.Issue;
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
class WatchdogTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static SimulatorSeed seed;

    @Inject
    ObjectMapper json;

    @Inject
    StaleRunWatchdog watchdog;

    @Inject
    ProgressNoteRepository progressNotes;

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
    void aRunThatStoppedMovingIsFinishedAsTimedOutAndOthersAreLeftAlone() throws Throwable {
        String pipelineUrl = seed.project.getWebUrl() + "/-/pipelines/95";
        Invocation stuck = run("stuck", RunState.RUNNING, pipelineUrl);
        Invocation finished = run("finished-long-ago", RunState.SUCCEEDED, null);
        Invocation fresh = run("fresh", RunState.RUNNING, null);
        Note stuckNote = awaitNote(stuck, "is working on your request");
        Note finishedNote = awaitNote(finished, "has finished your request");
        Note freshNote = awaitNote(fresh, "is working on your request");

        // Their last change 4 hours ago; the watchdog's default patience is 3 hours.
        backdate(stuck, Duration.ofHours(4));
        backdate(finished, Duration.ofHours(4));

        assertEquals(1, VertxContextSupport.subscribeAndAwait(() -> watchdog.finishStaleRuns()));

        Note timedOut = awaitNote(stuck, "ran out of time on your request");
        assertEquals(stuckNote.getId(), timedOut.getId());
        assertTrue(timedOut.getBody().contains("heard nothing about this run for 3 hours (it was running)"),
                timedOut.getBody());
        assertTrue(timedOut.getBody().contains("<!-- tandem:state:TIMED_OUT -->"), timedOut.getBody());
        assertTrue(timedOut.getBody().contains(pipelineUrl), "the pipeline link stays: " + timedOut.getBody());
        assertEquals(finishedNote.getBody(), single(finished).getBody(), "a finished run stays finished");
        assertEquals(freshNote.getBody(), single(fresh).getBody(), "a run that moves recently is left alone");

        await().atMost(WAIT).untilAsserted(() -> given()
                .queryParam("invocationId", stuck.invocationId()).queryParam("type", "run.watchdog-timed-out")
                .get("/api/v1/audit")
                .then().statusCode(200)
                .body("data.previousState", contains("RUNNING"))
                .body("data.staleAfter", contains("PT3H")));

        // Nothing is left to finish: a second pass changes nothing.
        assertEquals(0, VertxContextSupport.subscribeAndAwait(() -> watchdog.finishStaleRuns()));
        assertEquals(timedOut.getBody(), single(stuck).getBody());
    }

    private Invocation run(String name, RunState state, String pipelineUrl) throws Exception {
        Issue issue = seed.issue("Watchdog " + name);
        Invocation invocation = events.invocation(EventIds.derive("test", "watchdog", name), "Issue", issue.getIid());
        kafka.send(Topics.RUNS_STATUS, ThreadKey.of(invocation.thread()),
                RunEvents.status(invocation, state, pipelineUrl, null));
        return invocation;
    }

    /** Retried: the note is visible in GitLab a moment before the transaction that records it commits. */
    private void backdate(Invocation invocation, Duration age) {
        await().atMost(WAIT).until(() -> backdateOnce(invocation, age) == 1);
    }

    private int backdateOnce(Invocation invocation, Duration age) throws Exception {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> progressNotes.update(
                    "updatedAt = ?1 where invocationId = ?2 and noteId is not null", Instant.now().minus(age),
                    invocation.invocationId())));
        } catch (Exception e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private Note awaitNote(Invocation invocation, String expectedText) {
        return await().atMost(WAIT).until(() -> notesOf(invocation),
                notes -> notes.size() == 1 && notes.get(0).getBody().contains(expectedText)).get(0);
    }

    private Note single(Invocation invocation) throws Exception {
        List<Note> notes = notesOf(invocation);
        assertEquals(1, notes.size());
        return notes.get(0);
    }

    private List<Note> notesOf(Invocation invocation) throws Exception {
        String marker = ProgressNoteText.marker(invocation.invocationId());
        return seed.root.getNotesApi().getIssueNotes(invocation.thread().projectId(),
                        invocation.thread().noteableIid()).stream()
                .filter(n -> n.getBody() != null && n.getBody().contains(marker)).toList();
    }
}
