package io.tandem.publisher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.RunState;
import io.tandem.events.ThreadCommand;
import io.tandem.events.ThreadKey;
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
import org.gitlab4j.api.models.Epic;
import org.gitlab4j.api.models.Note;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Epics are group threads: their notes go through the legacy epic notes API, addressed by the group and the
 * epic's global id, while the run (and the audit's project) is the project trigger-matcher chose in the group.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@QuarkusTestResource(IdentityServiceStandInResource.class)
class EpicThreadTest {

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
    void anEpicRunsProgressNoteIsCreatedOnTheEpicAndEditedUntilTheRunEnds() throws Exception {
        Epic epic = seed.epic("Plan the migration");
        Invocation invocation = events.onEpic(EventIds.derive("test", "epic-lifecycle"), epic.getIid(), epic.getId(),
                epic.getWebUrl(), false);
        String pipelineUrl = seed.project.getWebUrl() + "/-/pipelines/120";

        kafka.send(Topics.INVOCATIONS_QUEUED, key(invocation), RunEvents.queued(invocation, "active-run"));
        Note queued = awaitSingleNote(epic, invocation, "yours is queued");
        assertTrue(queued.getBody().startsWith(ProgressNoteText.marker(invocation.invocationId())), queued.getBody());
        assertTrue(queued.getBody().contains("<!-- tandem:state:QUEUED -->"), queued.getBody());
        assertEquals(seed.serviceAccount.getId(), queued.getAuthor().getId(), "written as the service account");

        kafka.send(Topics.INVOCATIONS_REQUESTED, key(invocation), RunEvents.requested(invocation));
        Note processing = awaitSingleNote(epic, invocation, "is processing your request");
        assertEquals(queued.getId(), processing.getId(), "the same note, edited");
        assertTrue(processing.getBody().contains("@alice Claude Code is processing your request. It runs in project `"
                + seed.project.getPathWithNamespace() + "`."), processing.getBody());

        kafka.send(Topics.RUNS_STATUS, key(invocation),
                RunEvents.status(invocation, RunState.SUCCEEDED, pipelineUrl, null));
        Note finished = awaitSingleNote(epic, invocation, "has finished your request");
        assertEquals(queued.getId(), finished.getId());
        assertTrue(finished.getBody().contains("[Pipeline](" + pipelineUrl + ")"), finished.getBody());

        // The thread has no project: the audit names the project the run happened in, and the epic's group.
        await().atMost(WAIT).untilAsserted(() -> given()
                .queryParam("invocationId", invocation.invocationId()).queryParam("type", "note.written")
                .get("/api/v1/audit")
                .then().statusCode(200)
                .body("data.state", contains("QUEUED", "PROCESSING", "SUCCEEDED"))
                .body("projectId", everyItem(equalTo(seed.project.getId().intValue())))
                .body("data.noteableType", everyItem(equalTo("Epic")))
                .body("data.groupId", everyItem(equalTo(seed.group.getId().toString()))));
    }

    @Test
    void anEpicNamedOnlyByGroupPathAndIidIsFoundAndWrittenTo() throws Exception {
        Epic epic = seed.epic("Named by path");
        Invocation invocation = events.onEpic(EventIds.derive("test", "epic-by-path"), epic.getIid(), null, null,
                true);

        kafka.send(Topics.INVOCATIONS_REQUESTED, key(invocation), RunEvents.requested(invocation));
        Note processing = awaitSingleNote(epic, invocation, "is processing your request");

        kafka.send(Topics.RUNS_STATUS, key(invocation), RunEvents.status(invocation, RunState.RUNNING,
                seed.project.getWebUrl() + "/-/pipelines/121", null));
        Note running = awaitSingleNote(epic, invocation, "is working on your request");
        assertEquals(processing.getId(), running.getId());
    }

    @Test
    void aBlockedEpicMentionIsRefusedOnTheEpic() throws Exception {
        Epic epic = seed.epic("Agents off");
        Invocation invocation = events.onEpic(EventIds.derive("test", "epic-blocked"), epic.getIid(), epic.getId(),
                epic.getWebUrl(), false);
        String reason = "external agents are turned off in group " + seed.group.getId();

        kafka.send(Topics.INVOCATIONS_DENIED, key(invocation), RunEvents.blocked(invocation, reason));

        Note refusal = awaitSingleNote(epic, invocation, "I can't run");
        assertTrue(refusal.getBody().contains("<!-- tandem:state:REFUSED -->"), refusal.getBody());
        assertTrue(refusal.getBody().contains("@alice I can't run Claude Code here: " + reason + "."),
                refusal.getBody());
    }

    @Test
    void aNoteOnAnEpicCreatedBeforeACrashIsFoundByItsMarkerAndEdited() throws Exception {
        Epic epic = seed.epic("Epic crash recovery");
        Invocation invocation = events.onEpic(EventIds.derive("test", "epic-adopt"), epic.getIid(), epic.getId(),
                epic.getWebUrl(), false);
        Note orphan;
        try (GitLabApi asServiceAccount = seed.asServiceAccount()) {
            orphan = asServiceAccount.getNotesApi().createEpicNote(seed.group.getId(), epic.getId(),
                    text.render(invocation, RunState.PROCESSING, null, null));
        }

        kafka.send(Topics.RUNS_STATUS, key(invocation), RunEvents.status(invocation, RunState.RUNNING,
                seed.project.getWebUrl() + "/-/pipelines/122", null));

        Note running = awaitSingleNote(epic, invocation, "is working on your request");
        assertEquals(orphan.getId(), running.getId(), "the orphan was adopted, not duplicated");
    }

    @Test
    void aStatusCommandOnAnEpicIsAnsweredOnTheEpic() throws Exception {
        Epic epic = seed.epic("Epic status");
        Invocation invocation = events.onEpic(EventIds.derive("test", "epic-status"), epic.getIid(), epic.getId(),
                epic.getWebUrl(), false);
        String pipelineUrl = seed.project.getWebUrl() + "/-/pipelines/123";
        kafka.send(Topics.RUNS_STATUS, key(invocation),
                RunEvents.status(invocation, RunState.RUNNING, pipelineUrl, null));
        Note progress = awaitSingleNote(epic, invocation, "is working on your request");

        ThreadCommand status = RunEvents.command(invocation, ThreadCommand.STATUS, "epic-status-1",
                invocation.requester(), "epic-discussion-1", null);
        kafka.send(Topics.THREAD_COMMANDS, status.key(), status);

        Note reply = await().atMost(WAIT).until(() -> matching(epic, CommandReplyText.marker(status.eventId())),
                notes -> notes.size() == 1).get(0);
        assertTrue(reply.getBody().contains("@alice The run of Claude Code in this thread is **running**."),
                reply.getBody());
        assertTrue(reply.getBody().contains("[Pipeline](" + pipelineUrl + ")"), reply.getBody());
        assertTrue(reply.getBody().contains("[Progress note](" + epic.getWebUrl() + "#note_" + progress.getId() + ")"),
                reply.getBody());

        await().atMost(WAIT).untilAsserted(() -> given()
                .queryParam("invocationId", invocation.invocationId()).queryParam("type", "command.answered")
                .get("/api/v1/audit")
                .then().statusCode(200)
                .body("projectId", contains(seed.project.getId().intValue()))
                .body("data.state", contains("RUNNING")));
    }

    private Note awaitSingleNote(Epic epic, Invocation invocation, String expectedText) {
        return await().atMost(WAIT).until(() -> matching(epic, ProgressNoteText.marker(invocation.invocationId())),
                notes -> notes.size() == 1 && notes.get(0).getBody().contains(expectedText)).get(0);
    }

    private List<Note> matching(Epic epic, String marker) throws Exception {
        return seed.root.getNotesApi().getEpicNotes(seed.group.getId(), epic.getId()).stream()
                .filter(n -> n.getBody() != null && n.getBody().contains(marker))
                .toList();
    }

    private static String key(Invocation invocation) {
        return ThreadKey.of(invocation.thread());
    }
}
