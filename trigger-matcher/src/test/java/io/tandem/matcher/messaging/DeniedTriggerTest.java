package io.tandem.matcher.messaging;

import static io.tandem.matcher.support.Agents.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.InvocationDenied;
import io.tandem.events.NoteEvent;
import io.tandem.events.RunState;
import io.tandem.events.ThreadKey;
import io.tandem.events.ThreadRef;
import io.tandem.matcher.support.Agents;
import io.tandem.matcher.support.Agents.EnabledAgent;
import io.tandem.matcher.support.Events;
import io.tandem.matcher.support.FakeIdentityService;
import io.tandem.matcher.support.Published;
import io.tandem.matcher.support.SimWorld;
import io.tandem.matcher.support.ThreadRuns;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A blocked trigger is answered with an {@link InvocationDenied}, and a denial ends only the run it names: the
 * matcher reads its own denials back, and those of runs it never scheduled must leave every thread as it was.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@QuarkusTestResource(FakeIdentityService.class)
class DeniedTriggerTest {

    private SimWorld world;
    private ThreadRef thread;
    private Published published;

    @BeforeEach
    void seed() {
        world = SimWorld.create();
        published = new Published();
    }

    @AfterEach
    void close() {
        published.close();
    }

    @Test
    void aBlockedTriggerIsDeniedWithItsReasonAndStartsNothing() {
        EnabledAgent agent = Agents.enableForMentions(world, "Claude Code");
        thread = Events.issue(world, 41);
        turnOff(agent);

        NoteEvent note = mention(agent, " hello");
        String id = invocationId(note, agent);
        InvocationDenied denied = published.awaitDenied(d -> id.equals(d.invocation().invocationId()));
        assertEquals(EventIds.derive("trigger-denied", id), denied.eventId());
        assertEquals(ThreadKey.of(thread), denied.key());
        assertEquals(InvocationDenied.VERSION, denied.version());
        assertEquals("agent 'Claude Code' is turned off", denied.reason());
        assertEquals(0, denied.requesterAccessLevel());
        assertEquals(0, denied.serviceAccountAccessLevel());
        assertEquals(world.projectId, denied.invocation().runProjectId());
        assertEquals(world.groupPath + "/app", denied.invocation().runProjectPath());
        assertEquals(thread, denied.invocation().thread());
        assertEquals(note.discussionId(), denied.invocation().discussionId());
        assertEquals(world.developer.id(), denied.invocation().requester().id());
        published.awaitAudit(a -> "trigger.blocked".equals(a.type()) && id.equals(a.invocationId()));
        assertTrue(published.requested(r -> id.equals(r.invocation().invocationId())).isEmpty());
        // recorded as a refused run: its own denial, read back, found nothing to end
        assertEquals(new ThreadRuns.Row("ended", "REFUSED", world.projectId), ThreadRuns.find(id));
    }

    @Test
    void aDenialOfARunNeverScheduledChangesNoRun() {
        EnabledAgent claude = Agents.enableForMentions(world, "Claude Code");
        EnabledAgent reviewer = Agents.enableForMentions(world, "Reviewer");
        thread = Events.issue(world, 42);
        NoteEvent first = mention(claude, " fix the build");
        Invocation running = published.awaitRequested(r -> r.invocation().triggerNoteId() == first.noteId()
                && r.invocation().agentId() == claude.id()).invocation();
        NoteEvent second = mention(claude, " then the docs");
        String waiting = published.awaitQueued(q -> q.invocation().triggerNoteId() == second.noteId())
                .invocation().invocationId();
        NoteEvent review = mention(reviewer, " review it");
        Invocation reviewing = published.awaitRequested(r -> r.invocation().triggerNoteId() == review.noteId())
                .invocation();
        NoteEvent reviewAgain = mention(reviewer, " and again");
        String reviewWaiting = published.awaitQueued(q -> q.invocation().triggerNoteId() == reviewAgain.noteId())
                .invocation().invocationId();

        // a denial, as identity-service would send it, of a run of the same agent and thread never scheduled
        String stranger = UUID.randomUUID().toString();
        Events.sendDenied(new Invocation(stranger, running.trigger(), running.agentId(), running.agentName(),
                running.serviceAccount(), running.requester(), thread, 1L, null, "hi", null, "main", null, null,
                world.projectId, world.groupPath + "/app"));
        // the agent turned off: a redelivery of the running run's comment is not judged again, a new one is denied
        turnOff(claude);
        Events.send(first);
        NoteEvent blocked = mention(claude, " and the changelog");
        String blockedId = invocationId(blocked, claude);
        published.awaitDenied(d -> blockedId.equals(d.invocation().invocationId()));
        // the comments of one thread are read in order: the redelivery was handled before the blocked comment
        assertTrue(published.denied(d -> running.invocationId().equals(d.invocation().invocationId())).isEmpty());

        // the reviewer's run is refused: its follow-up starts, so every denial of this thread before it was read
        Events.sendDenied(reviewing);
        published.awaitRequested(r -> reviewWaiting.equals(r.invocation().invocationId()));

        assertEquals(new ThreadRuns.Row("active", null, world.projectId), ThreadRuns.find(running.invocationId()));
        assertEquals(new ThreadRuns.Row("queued", null, world.projectId), ThreadRuns.find(waiting));
        assertEquals(new ThreadRuns.Row("ended", "REFUSED", world.projectId), ThreadRuns.find(blockedId));
        assertNull(ThreadRuns.find(stranger));
        assertTrue(published.requested(r -> waiting.equals(r.invocation().invocationId())).isEmpty());

        // and the thread still works: the running run ends, its follow-up starts
        Events.sendStatus(running, RunState.SUCCEEDED);
        published.awaitRequested(r -> waiting.equals(r.invocation().invocationId()));
    }

    private void turnOff(EnabledAgent agent) {
        as(world.maintainer).body(Map.of("disabled", true)).put("/api/v1/agents/{a}/disabled", agent.id())
                .then().statusCode(200);
    }

    private NoteEvent mention(EnabledAgent agent, String text) {
        NoteEvent note = Events.note(thread, "@" + agent.serviceAccountUsername() + text,
                Events.actor(world.developer));
        Events.send(note);
        return note;
    }

    private static String invocationId(NoteEvent note, EnabledAgent agent) {
        return EventIds.derive("mention", Long.toString(note.noteId()), Long.toString(agent.id()));
    }
}
