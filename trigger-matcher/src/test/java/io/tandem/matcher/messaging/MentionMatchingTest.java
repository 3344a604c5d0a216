package io.tandem.matcher.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.events.Actor;
import io.tandem.events.AuditEvent;
import io.tandem.events.DiffPosition;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.InvocationQueued;
import io.tandem.events.InvocationRequested;
import io.tandem.testsupport.Metrics;
import io.tandem.events.NoteEvent;
import io.tandem.events.ThreadKey;
import io.tandem.events.ThreadRef;
import io.tandem.events.Topics;
import io.tandem.matcher.support.Agents;
import io.tandem.matcher.support.Agents.EnabledAgent;
import io.tandem.matcher.support.FakeIdentityService;
import io.tandem.matcher.support.KafkaRecords;
import io.tandem.matcher.support.KafkaRecords.Keyed;
import io.tandem.matcher.support.SimWorld;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.GitlabSimulator;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@QuarkusTestResource(FakeIdentityService.class)
class MentionMatchingTest {

    private static final AtomicLong NOTE_IDS = new AtomicLong(System.currentTimeMillis());

    private SimWorld world;
    private EnabledAgent agent;
    private ThreadRef thread;
    private KafkaRecords.Reader<InvocationRequested> invocations;
    private KafkaRecords.Reader<InvocationQueued> queued;

    @BeforeEach
    void enableAnAgent() {
        world = SimWorld.create();
        agent = Agents.enableForMentions(world, "Claude Code");
        thread = new ThreadRef(world.projectId, null, world.groupPath + "/app", "Issue", 7, 901L,
                "http://gitlab.example/" + world.groupPath + "/app/-/issues/7", null);
        invocations = new KafkaRecords.Reader<>(Topics.INVOCATIONS_REQUESTED, InvocationRequested.class);
        queued = new KafkaRecords.Reader<>(Topics.INVOCATIONS_QUEUED, InvocationQueued.class);
    }

    @AfterEach
    void close() {
        invocations.close();
        queued.close();
    }

    @Test
    void mentionByADeveloperRequestsOneInvocation() {
        Actor developer = new Actor(world.developer.id(), world.developer.username(), "Dev Eloper");
        NoteEvent note = note("create", "@" + agent.serviceAccountUsername() + " please fix the failing test",
                developer);
        Map<String, String> requestedMentions = Map.of("trigger", "mention", "outcome", "requested");
        double requestedBefore = Metrics.value("tandem_invocations_total", requestedMentions);
        try (var audit = new KafkaRecords.Reader<>(Topics.AUDIT, AuditEvent.class)) {
            java.time.Instant sent = java.time.Instant.now();
            KafkaRecords.send(Topics.GITLAB_NOTES, note.key(), note);

            Keyed<InvocationRequested> record = awaitInvocationFor(note.noteId());
            String invocationId = EventIds.derive("mention", Long.toString(note.noteId()), Long.toString(agent.id()));
            InvocationRequested request = record.value();
            Invocation invocation = request.invocation();
            assertEquals(ThreadKey.of(thread), record.key());
            assertEquals(ThreadKey.of(thread), request.key());
            assertEquals(invocationId, invocation.invocationId());
            assertEquals(EventIds.derive("invocation-requested", invocationId), request.eventId());
            assertEquals("mention", invocation.trigger());
            assertEquals(agent.id(), invocation.agentId());
            assertEquals("Claude Code", invocation.agentName());
            assertEquals(note.body(), invocation.input());
            assertEquals(agent.serviceAccountId(), invocation.serviceAccount().id());
            assertEquals(agent.serviceAccountUsername(), invocation.serviceAccount().username());
            assertEquals(world.developer.id(), invocation.requester().id());
            assertEquals(world.developer.username(), invocation.requester().username());
            assertEquals(thread, invocation.thread());
            assertEquals(note.noteId(), invocation.triggerNoteId());
            assertEquals(note.discussionId(), invocation.discussionId());
            assertEquals("main", invocation.defaultBranch());
            assertEquals("node:20", invocation.definition().image());
            assertEquals(List.of("ANTHROPIC_API_KEY"), invocation.definition().variables());
            assertEquals(30, invocation.definition().timeoutMinutes());
            // the broker's timestamp of the note's record: when webhook-ingest would have published it
            assertNotNull(invocation.triggeredAt());
            assertFalse(invocation.triggeredAt().isBefore(sent.minusSeconds(1)));
            assertFalse(invocation.triggeredAt().isAfter(request.occurredAt()));
            // counted once the decision is audited, just after the request is published
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertTrue(
                    Metrics.value("tandem_invocations_total", requestedMentions) >= requestedBefore + 1));

            await().atMost(Duration.ofSeconds(30)).until(() -> audit.poll().stream()
                    .anyMatch(a -> "trigger.matched".equals(a.value().type())
                            && invocationId.equals(a.value().invocationId())
                            && invocationId.equals(a.key())
                            && world.developer.username().equals(a.value().actor())));
        }
    }

    @Test
    void aRedeliveredNoteRequestsOneInvocation() {
        Actor developer = new Actor(world.developer.id(), world.developer.username(), null);
        NoteEvent note = note("create", "@" + agent.serviceAccountUsername() + " summarise this", developer);
        for (int delivery = 0; delivery < 3; delivery++) {
            KafkaRecords.send(Topics.GITLAB_NOTES, note.key(), note);
        }
        assertOnlyTheSentinelFollows(List.of(note.noteId()), 1);
    }

    @Test
    void notesThatMustNotTriggerPublishNothing() {
        String mention = "@" + agent.serviceAccountUsername();
        Actor developer = new Actor(world.developer.id(), world.developer.username(), null);
        Actor serviceAccount = new Actor(agent.serviceAccountId(), agent.serviceAccountUsername(), "Claude Code");
        List<NoteEvent> ignored = List.of(
                note("create", mention + " I am talking to myself", serviceAccount),
                note("create", "Working on it " + mention + "\n<!-- tandem:run:abc -->", developer),
                note("update", mention + " please fix the failing test", developer),
                note("create", "Call it like this:\n\n```\n" + mention + " fix it\n```\n", developer),
                note("create", "Call it as `" + mention + "`", developer),
                note("create", "> " + mention + " fix it\n\nthat is what they said", developer),
                note("create", "Ask " + mention + "-x instead", developer),
                systemNote(mention + " was added as a member", developer));
        for (NoteEvent note : ignored) {
            KafkaRecords.send(Topics.GITLAB_NOTES, note.key(), note);
        }
        assertOnlyTheSentinelFollows(ignored.stream().map(NoteEvent::noteId).toList(), 0);
    }

    @Test
    void aGitlabBotThatTandemDoesNotKnowNeverTriggers() throws Exception {
        long botId = createBotUser();
        NoteEvent note = note("create", "@" + agent.serviceAccountUsername() + " hello from another bot",
                new Actor(botId, "some-bot", "Bot"));
        KafkaRecords.send(Topics.GITLAB_NOTES, note.key(), note);
        assertOnlyTheSentinelFollows(List.of(note.noteId()), 0);
    }

    @Test
    void aDiffNoteCarriesItsPositionAndTheDefinitionItsIdTokens() {
        DiffPosition position = new DiffPosition("base", "start", "head", "src/App.java", "src/App.java", null, 42,
                "text");
        ThreadRef mergeRequest = new ThreadRef(world.projectId, null, world.groupPath + "/app", "MergeRequest", 3,
                803L, "http://gitlab.example/" + world.groupPath + "/app/-/merge_requests/3", null);
        given().contentType("application/json").header("PRIVATE-TOKEN", world.maintainer.token())
                .body(Map.of("definition", Agents.DEFINITION
                        + "id_tokens:\n  GITLAB_OIDC_TOKEN:\n    aud: https://tandem.example\n"))
                .put("/api/v1/agents/{a}", agent.id()).then().statusCode(200);
        long noteId = NOTE_IDS.incrementAndGet();
        NoteEvent note = new NoteEvent(EventIds.derive("note", "d" + noteId), Instant.now(), NoteEvent.VERSION,
                ThreadKey.of(mergeRequest), "d" + noteId, "u" + noteId, mergeRequest, noteId, "discussion-" + noteId,
                "create", "@" + agent.serviceAccountUsername() + " why this line?", false, false,
                new Actor(world.developer.id(), world.developer.username(), null), mergeRequest.webUrl(),
                "feature/x", "main", position);
        KafkaRecords.send(Topics.GITLAB_NOTES, note.key(), note);

        Invocation invocation = awaitInvocationFor(note.noteId()).value().invocation();
        assertEquals(position, invocation.position());
        assertEquals("feature/x", invocation.sourceBranch());
        assertEquals(Map.of("GITLAB_OIDC_TOKEN", Map.of("aud", "https://tandem.example")),
                invocation.definition().idTokens());
    }

    /**
     * Sends a triggering note after the ones under test, on the same thread (so the same partition, read in
     * order), waits for its invocation (requested, or queued behind a run the notes under test started), then
     * counts the invocations of the notes under test.
     */
    private void assertOnlyTheSentinelFollows(List<Long> noteIds, int expectedPerNote) {
        NoteEvent sentinel = note("create", "@" + agent.serviceAccountUsername() + " sentinel",
                new Actor(world.maintainer.id(), world.maintainer.username(), null));
        KafkaRecords.send(Topics.GITLAB_NOTES, sentinel.key(), sentinel);
        await().atMost(Duration.ofSeconds(60)).until(() -> triggerNoteIds().contains(sentinel.noteId()));
        List<Long> triggered = triggerNoteIds();
        for (long noteId : noteIds) {
            long count = triggered.stream().filter(id -> id == noteId).count();
            assertEquals(expectedPerNote, count, "invocations for note " + noteId);
        }
    }

    /** The trigger note of every invocation requested or queued so far, one entry per record. */
    private List<Long> triggerNoteIds() {
        return Stream.concat(
                invocations.poll().stream().map(r -> r.value().invocation().triggerNoteId()),
                queued.poll().stream().map(r -> r.value().invocation().triggerNoteId())).toList();
    }

    private Keyed<InvocationRequested> awaitInvocationFor(long noteId) {
        return await().atMost(Duration.ofSeconds(60)).until(
                () -> invocations.poll().stream()
                        .filter(r -> r.value().invocation().triggerNoteId() == noteId)
                        .findFirst().orElse(null),
                found -> found != null);
    }

    private NoteEvent note(String action, String body, Actor author) {
        return noteEvent(action, body, author, false);
    }

    private NoteEvent systemNote(String body, Actor author) {
        return noteEvent("create", body, author, true);
    }

    private NoteEvent noteEvent(String action, String body, Actor author, boolean system) {
        long noteId = NOTE_IDS.incrementAndGet();
        String delivery = "delivery-" + noteId;
        return new NoteEvent(EventIds.derive("note", delivery), Instant.now(), NoteEvent.VERSION, ThreadKey.of(thread),
                delivery, "uuid-" + noteId, thread, noteId, "discussion-" + noteId, action, body, false, system,
                author, thread.webUrl() + "#note_" + noteId, null, "main", null);
    }

    private long createBotUser() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                GitlabSimTestResource.url() + "/api/v4/groups/" + world.groupId + "/service_accounts"))
                .header("PRIVATE-TOKEN", GitlabSimulator.ROOT_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Other bot\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return KafkaRecords.JSON.readTree(response.body()).get("id").asLong();
    }
}
