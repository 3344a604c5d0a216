package io.tandem.matcher.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.events.AuditEvent;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.InvocationRequested;
import io.tandem.events.NoteEvent;
import io.tandem.events.RunState;
import io.tandem.events.ThreadCommand;
import io.tandem.events.ThreadKey;
import io.tandem.events.ThreadRef;
import io.tandem.matcher.support.Agents;
import io.tandem.matcher.support.Agents.EnabledAgent;
import io.tandem.matcher.support.Events;
import io.tandem.matcher.support.FakeIdentityService;
import io.tandem.matcher.support.Published;
import io.tandem.matcher.support.SimWorld;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code @<account> stop|retry|status}: Developers and up get a command, a Guest gets a refused one. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@QuarkusTestResource(FakeIdentityService.class)
class ThreadCommandTest {

    private SimWorld world;
    private EnabledAgent agent;
    private ThreadRef thread;
    private Published published;

    @BeforeEach
    void enableAnAgent() {
        world = SimWorld.create();
        agent = Agents.enableForMentions(world, "Claude Code");
        thread = Events.issue(world, 21);
        published = new Published();
    }

    @AfterEach
    void close() {
        published.close();
    }

    @Test
    void verbsNameTheRunAndAreRefusedToAGuest() {
        NoteEvent first = say(" write the release notes", world.developer);
        Invocation run = published.awaitRequested(r -> r.invocation().triggerNoteId() == first.noteId())
                .invocation();

        NoteEvent guestStop = say(" stop", world.guest);
        ThreadCommand refusedCommand = published.awaitCommand(c -> c.noteId() == guestStop.noteId());
        assertEquals(ThreadCommand.STOP, refusedCommand.verb());
        assertTrue(refusedCommand.refused());
        assertEquals("'stop' requires the Developer role or higher; " + world.guest.username() + " is Guest",
                refusedCommand.refusal());
        assertEquals(guestStop.discussionId(), refusedCommand.discussionId());
        assertEquals(run.invocationId(), refusedCommand.invocationId());
        assertEquals(world.guest.id(), refusedCommand.requester().id());
        assertEquals(ThreadKey.of(thread), refusedCommand.key());
        AuditEvent refused = published.awaitAudit(a -> "command.refused".equals(a.type())
                && Long.toString(guestStop.noteId()).equals(a.data().get("noteId")));
        assertEquals(world.guest.username(), refused.actor());
        assertEquals("stop", refused.data().get("verb"));
        assertEquals(refusedCommand.refusal(), refused.data().get("reason"));

        NoteEvent status = say(" status please", world.developer);
        ThreadCommand statusCommand = published.awaitCommand(c -> c.noteId() == status.noteId());
        assertEquals(ThreadCommand.STATUS, statusCommand.verb());
        assertEquals(run.invocationId(), statusCommand.invocationId());
        assertEquals(ThreadKey.of(thread), statusCommand.key());
        assertEquals(world.developer.id(), statusCommand.requester().id());
        assertEquals(agent.serviceAccountUsername(), statusCommand.serviceAccount().username());
        assertEquals(status.discussionId(), statusCommand.discussionId());
        assertEquals(null, statusCommand.refusal());
        // one record for the refused comment, the refused one
        assertEquals(1, published.commands(c -> c.noteId() == guestStop.noteId()).size());
        // a verb is not a mention: neither comment started or queued a run
        assertTrue(published.requested(r -> r.invocation().triggerNoteId() == status.noteId()).isEmpty());
        assertTrue(published.queued(q -> q.invocation().triggerNoteId() == status.noteId()).isEmpty());

        Events.sendStatus(run, RunState.FAILED);
        NoteEvent retry = say(" retry", world.maintainer);
        ThreadCommand retryCommand = published.awaitCommand(c -> c.noteId() == retry.noteId());
        assertEquals(ThreadCommand.RETRY, retryCommand.verb());
        assertEquals(run.invocationId(), retryCommand.invocationId());
        String retryId = EventIds.derive("retry", Long.toString(retry.noteId()), Long.toString(agent.id()));
        InvocationRequested again = published.awaitRequested(r -> retryId.equals(r.invocation().invocationId()));
        assertEquals(first.body(), again.invocation().input());
        assertEquals("mention", again.invocation().trigger());
        assertEquals(world.maintainer.id(), again.invocation().requester().id());
        assertEquals(retry.noteId(), again.invocation().triggerNoteId());

        NoteEvent stop = say(" STOP", world.developer);
        ThreadCommand stopCommand = published.awaitCommand(c -> c.noteId() == stop.noteId());
        assertEquals(ThreadCommand.STOP, stopCommand.verb());
        assertEquals(retryId, stopCommand.invocationId());
    }

    private NoteEvent say(String text, SimWorld.Person author) {
        NoteEvent note = Events.note(thread, "@" + agent.serviceAccountUsername() + text, Events.actor(author));
        Events.send(note);
        return note;
    }
}
