package io.tandem.matcher.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.events.Actor;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.InvocationRequested;
import io.tandem.events.IssueEvent;
import io.tandem.events.MergeRequestEvent;
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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code assign} and {@code assign_reviewer}: a human newly adds the service account to an issue or MR. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@QuarkusTestResource(FakeIdentityService.class)
class AssignmentTriggerTest {

    private SimWorld world;
    private EnabledAgent agent;
    private Actor account;
    private Actor developer;
    private Published published;

    @BeforeEach
    void enableAnAgent() {
        world = SimWorld.create();
        agent = Agents.enable(world, "Claude Code", List.of("assign", "assign_reviewer"));
        account = new Actor(agent.serviceAccountId(), agent.serviceAccountUsername(), "Claude Code");
        developer = Events.actor(world.developer);
        published = new Published();
    }

    @AfterEach
    void close() {
        published.close();
    }

    @Test
    void assigningAnIssueStartsOneRunWithTheIidAsInput() {
        ThreadRef issue = Events.issue(world, 7);
        IssueEvent assigned = Events.assignees(issue, developer, List.of(), List.of(account));
        for (int delivery = 0; delivery < 3; delivery++) {
            Events.send(assigned);
        }
        String invocationId = EventIds.derive("assign", Long.toString(world.projectId), "Issue", "7",
                Long.toString(agent.id()), assigned.eventId());
        InvocationRequested request = published.awaitRequested(r -> invocationId.equals(r.invocation().invocationId()));
        Invocation invocation = request.invocation();
        assertEquals(ThreadKey.of(issue), request.key());
        assertEquals("assign", invocation.trigger());
        assertEquals("7", invocation.input());
        assertEquals(world.developer.id(), invocation.requester().id());
        assertEquals(agent.serviceAccountId(), invocation.serviceAccount().id());
        assertEquals("main", invocation.defaultBranch());
        assertEquals("node:20", invocation.definition().image());
        assertNull(invocation.position());

        // still assigned (someone else added), unassigned, assigned by the account itself: nothing
        Events.send(Events.assignees(issue, developer, List.of(account), List.of(account, developer)));
        Events.send(Events.assignees(issue, developer, List.of(account), List.of()));
        Events.send(Events.assignees(issue, account, List.of(), List.of(account)));
        // assigned again later by a human: a new run, waiting behind the first on the same thread
        IssueEvent again = Events.assignees(issue, developer, List.of(), List.of(account));
        Events.send(again);
        String againId = EventIds.derive("assign", Long.toString(world.projectId), "Issue", "7",
                Long.toString(agent.id()), again.eventId());
        published.awaitQueued(q -> againId.equals(q.invocation().invocationId()));
        assertEquals(1, published.requested(r -> issue.equals(r.invocation().thread())).size());
        assertEquals(1, published.queued(q -> issue.equals(q.invocation().thread())).size());
    }

    @Test
    void askingForAReviewStartsTheReviewerTrigger() {
        ThreadRef mergeRequest = Events.mergeRequest(world, 4);
        MergeRequestEvent bot = Events.reviewers(mergeRequest, account, List.of(), List.of(account));
        Events.send(bot);
        MergeRequestEvent review = Events.reviewers(mergeRequest, developer, List.of(developer),
                List.of(developer, account));
        Events.send(review);
        String invocationId = EventIds.derive("assign_reviewer", Long.toString(world.projectId), "MergeRequest", "4",
                Long.toString(agent.id()), review.eventId());
        Invocation invocation = published.awaitRequested(r -> invocationId.equals(r.invocation().invocationId()))
                .invocation();
        assertEquals("assign_reviewer", invocation.trigger());
        assertEquals("4", invocation.input());
        assertEquals("feature/x", invocation.sourceBranch());
        // the account's own change came first on the thread and started nothing
        assertEquals(1, published.requested(r -> mergeRequest.equals(r.invocation().thread())).size());
        assertTrue(published.queued(q -> mergeRequest.equals(q.invocation().thread())).isEmpty());
    }

    @Test
    void anAgentWithoutTheTriggerIsNotStartedByAnAssignment() {
        EnabledAgent mentionOnly = Agents.enableForMentions(world, "Reviewer Bot");
        Actor other = new Actor(mentionOnly.serviceAccountId(), mentionOnly.serviceAccountUsername(), null);
        ThreadRef issue = Events.issue(world, 9);
        IssueEvent both = Events.assignees(issue, developer, List.of(), List.of(other, account));
        Events.send(both);
        published.awaitRequested(r -> issue.equals(r.invocation().thread()) && r.invocation().agentId() == agent.id());
        assertTrue(published.requested(r -> r.invocation().agentId() == mentionOnly.id()).isEmpty());
    }
}
