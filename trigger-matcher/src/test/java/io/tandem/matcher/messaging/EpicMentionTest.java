package io.tandem.matcher.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.InvocationRequested;
import io.tandem.events.NoteEvent;
import io.tandem.events.ThreadCommand;
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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Comments on an epic (a group-level thread, no project): the agent runs in the oldest project of the epic's
 * top-level group enabled for mentions, the thread stays the epic, and verbs are checked against that project.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@QuarkusTestResource(FakeIdentityService.class)
class EpicMentionTest {

    private SimWorld world;
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
    void anEpicMentionRunsInTheOldestProjectEnabledForMentions() {
        long web = world.addProject("web");
        // oldest enablement first, but without mentions; then the subgroup's project; then a newer one
        EnabledAgent agent = Agents.enable(world, "Claude Code", List.of("assign"));
        Agents.enableInProject(world, agent, world.subgroupProjectId, List.of("mention", "assign"));
        Agents.enableInProject(world, agent, web, List.of("mention"));
        // an epic of the subgroup, named only by its path (as GitLab's work item payload names it)
        ThreadRef epic = Events.epic(null, world.groupPath + "/platform");

        NoteEvent note = say(epic, agent, " summarise this epic", world.developer);
        Invocation run = published.awaitRequested(r -> invocationId(note, agent).equals(r.invocation().invocationId()))
                .invocation();
        assertEquals(world.subgroupProjectId, run.runProjectId());
        assertEquals(world.groupPath + "/platform/service", run.runProjectPath());
        assertEquals(world.subgroupProjectId, run.projectId());
        assertEquals(epic, run.thread());
        assertEquals("mention", run.trigger());
        assertEquals(note.body(), run.input());
        assertEquals(note.discussionId(), run.discussionId());
        assertEquals(world.developer.id(), run.requester().id());
        assertEquals(world.subgroupProjectId, ThreadRuns.find(run.invocationId()).projectId());
        assertEquals(1, published.requested(r -> epic.equals(r.invocation().thread())).size());

        // verbs in the epic: the role that counts is the one in the run's project
        NoteEvent guestStop = say(epic, agent, " stop", world.guest);
        ThreadCommand refused = published.awaitCommand(c -> c.noteId() == guestStop.noteId());
        assertTrue(refused.refusal().contains(world.guest.username() + " is Guest"), refused.refusal());
        assertEquals(run.invocationId(), refused.invocationId());
        assertEquals(ThreadKey.of(epic), refused.key());

        NoteEvent status = say(epic, agent, " status", world.developer);
        ThreadCommand accepted = published.awaitCommand(c -> c.noteId() == status.noteId());
        assertNull(accepted.refusal());
        assertEquals(ThreadCommand.STATUS, accepted.verb());
        assertEquals(run.invocationId(), accepted.invocationId());
        assertEquals(status.discussionId(), accepted.discussionId());
        assertEquals(epic, accepted.thread());
    }

    @Test
    void anEpicNamedByGroupIdFindsItsTopLevelGroup() {
        EnabledAgent agent = Agents.enableForMentions(world, "Claude Code");
        ThreadRef epic = Events.epic(world.subgroupId, world.groupPath + "/platform");

        NoteEvent note = say(epic, agent, " plan this", world.developer);
        InvocationRequested requested = published.awaitRequested(
                r -> invocationId(note, agent).equals(r.invocation().invocationId()));
        assertEquals(world.projectId, requested.invocation().runProjectId());
        assertEquals(world.groupPath + "/app", requested.invocation().runProjectPath());
        assertEquals(ThreadKey.of(epic), requested.key());
        assertTrue(ThreadKey.of(epic).startsWith("group:" + world.subgroupId + "/Epic/"), ThreadKey.of(epic));
    }

    private static NoteEvent say(ThreadRef thread, EnabledAgent agent, String text, SimWorld.Person author) {
        NoteEvent note = Events.note(thread, "@" + agent.serviceAccountUsername() + text, Events.actor(author));
        Events.send(note);
        return note;
    }

    private static String invocationId(NoteEvent note, EnabledAgent agent) {
        return EventIds.derive("mention", Long.toString(note.noteId()), Long.toString(agent.id()));
    }
}
