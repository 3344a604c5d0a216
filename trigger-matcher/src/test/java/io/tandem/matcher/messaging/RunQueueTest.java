package io.tandem.matcher.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.events.Actor;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.InvocationQueued;
import io.tandem.events.InvocationRequested;
import io.tandem.events.NoteEvent;
import io.tandem.events.RunState;
import io.tandem.events.ThreadKey;
import io.tandem.events.ThreadRef;
import io.tandem.events.Topics;
import io.tandem.matcher.support.Agents;
import io.tandem.matcher.support.Agents.EnabledAgent;
import io.tandem.testsupport.ConsumerGroup;
import io.tandem.matcher.support.Events;
import io.tandem.matcher.support.FakeIdentityService;
import io.tandem.matcher.support.Published;
import io.tandem.matcher.support.SimWorld;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaBroker;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresServer;
import io.tandem.testsupport.PostgresTestResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One run per thread and agent: a mention during a run waits, a burst makes one follow-up. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@QuarkusTestResource(FakeIdentityService.class)
class RunQueueTest {

    private SimWorld world;
    private EnabledAgent agent;
    private ThreadRef thread;
    private Published published;

    @BeforeEach
    void enableAnAgent() {
        world = SimWorld.create();
        agent = Agents.enableForMentions(world, "Claude Code");
        thread = Events.issue(world, 11);
        published = new Published();
    }

    @AfterEach
    void close() {
        published.close();
    }

    @Test
    void aMentionDuringARunWaitsAndABurstBecomesOneFollowUp() {
        Actor developer = Events.actor(world.developer);
        NoteEvent first = mention(" fix the build", developer);
        Events.send(first);
        Invocation active = published.awaitRequested(r -> r.invocation().triggerNoteId() == first.noteId())
                .invocation();

        List<NoteEvent> burst = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            burst.add(mention(" and also point " + i, developer));
        }
        burst.forEach(Events::send);

        InvocationQueued queued = published.awaitQueued(q -> q.invocation().triggerNoteId() == burst.get(0).noteId());
        String followUpId = EventIds.derive("mention", Long.toString(burst.get(0).noteId()), Long.toString(agent.id()));
        assertEquals(followUpId, queued.invocation().invocationId());
        assertEquals(active.invocationId(), queued.activeInvocationId());
        assertEquals(ThreadKey.of(thread), queued.key());
        // the other four are folded into the waiting run, each audited as such
        for (NoteEvent later : burst.subList(1, 5)) {
            String laterId = EventIds.derive("mention", Long.toString(later.noteId()), Long.toString(agent.id()));
            published.awaitAudit(a -> "trigger.matched".equals(a.type()) && followUpId.equals(a.invocationId())
                    && laterId.equals(a.data().get("coalescedInvocationId"))
                    && "coalesced".equals(a.data().get("outcome")));
        }

        Events.sendStatus(active, RunState.RUNNING);
        Events.sendStatus(active, RunState.SUCCEEDED);
        InvocationRequested followUp = published.awaitRequested(r -> followUpId.equals(r.invocation().invocationId()));
        for (NoteEvent note : burst) {
            assertTrue(followUp.invocation().input().contains(note.body()), "follow-up input has " + note.body());
        }
        assertEquals(1, published.queued(q -> thread.equals(q.invocation().thread())).size());

        // a redelivered end changes nothing; the follow-up is refused, which frees the thread: the next mention
        // runs (directly, or after waiting for the refusal to be read: the topics are read independently)
        Events.sendStatus(active, RunState.SUCCEEDED);
        Events.sendDenied(followUp.invocation());
        NoteEvent next = mention(" try again", developer);
        Events.send(next);
        published.awaitRequested(r -> r.invocation().triggerNoteId() == next.noteId());
        assertEquals(1, published.requested(r -> followUpId.equals(r.invocation().invocationId())).size());
        assertEquals(3, published.requested(r -> thread.equals(r.invocation().thread())).size(),
                "the first run, the follow-up once, the next mention");
    }

    @Test
    void anotherUsersMentionIsCoalescedWithoutItsText() {
        NoteEvent first = mention(" fix the build", Events.actor(world.developer));
        Events.send(first);
        Invocation active = published.awaitRequested(r -> r.invocation().triggerNoteId() == first.noteId())
                .invocation();
        NoteEvent waiting = mention(" then update the docs", Events.actor(world.developer));
        NoteEvent other = mention(" and delete the repository", Events.actor(world.maintainer));
        Events.send(waiting);
        Events.send(other);
        String otherId = EventIds.derive("mention", Long.toString(other.noteId()), Long.toString(agent.id()));
        published.awaitAudit(a -> "trigger.matched".equals(a.type())
                && otherId.equals(a.data().get("coalescedInvocationId")));

        Events.sendStatus(active, RunState.FAILED);
        InvocationRequested followUp = published.awaitRequested(
                r -> r.invocation().triggerNoteId() == waiting.noteId());
        assertEquals(waiting.body(), followUp.invocation().input());
        assertEquals(world.developer.id(), followUp.invocation().requester().id());
    }

    @Test
    void aRunThatNeverReportsItsEndStopsBlockingItsThread() throws Exception {
        Actor developer = Events.actor(world.developer);
        NoteEvent first = mention(" fix the build", developer);
        Events.send(first);
        Invocation lost = published.awaitRequested(r -> r.invocation().triggerNoteId() == first.noteId())
                .invocation();
        NoteEvent waiting = mention(" then the docs", developer);
        Events.send(waiting);
        InvocationQueued queued = published.awaitQueued(q -> q.invocation().triggerNoteId() == waiting.noteId());

        // its end was never reported, and it started longer ago than its job timeout plus the grace
        try (Connection db = DriverManager.getConnection(PostgresTestResource.server().jdbcUrl(),
                PostgresServer.USER, PostgresServer.PASSWORD);
                PreparedStatement backdate = db.prepareStatement("update matcher.thread_run set updated_at = "
                        + "now() - interval '30 days' where invocation_id = ?")) {
            backdate.setString(1, lost.invocationId());
            assertEquals(1, backdate.executeUpdate());
        }

        NoteEvent next = mention(" and the changelog", developer);
        Events.send(next);
        InvocationRequested followUp = published.awaitRequested(
                r -> queued.invocation().invocationId().equals(r.invocation().invocationId()));
        assertTrue(followUp.invocation().input().contains(waiting.body()));
        assertTrue(followUp.invocation().input().contains(next.body()));

        NoteEvent after = mention(" one more thing", developer);
        Events.send(after);
        InvocationQueued behind = published.awaitQueued(q -> q.invocation().triggerNoteId() == after.noteId());
        assertEquals(followUp.invocation().invocationId(), behind.activeInvocationId());
    }

    /**
     * Several consumers read the notes (MATCHER_CONSUMER_CONCURRENCY), one per partition. Three mentions on each of
     * six threads spread over every partition, sent at once: each thread's first is requested, its second waits
     * for the first, its third is folded into the second, each once. Handled out of order, a thread would request
     * a later mention or queue the first.
     */
    @Test
    void mentionsOnThreadsOfEveryPartitionAreDecidedOnceAndInOrderPerThread() throws Exception {
        int concurrency = ConfigProvider.getConfig().getValue("mp.messaging.incoming.gitlab-notes.concurrency",
                Integer.class);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(
                Math.min(concurrency, KafkaBroker.PARTITIONS),
                ConsumerGroup.membersReading("trigger-matcher", Topics.GITLAB_NOTES)));

        Actor developer = Events.actor(world.developer);
        List<ThreadRef> threads = new ArrayList<>();
        int[] perPartition = new int[KafkaBroker.PARTITIONS];
        for (long iid = 100; threads.size() < 2 * KafkaBroker.PARTITIONS; iid++) {
            ThreadRef candidate = Events.issue(world, iid);
            int partition = ConsumerGroup.partitionOf(ThreadKey.of(candidate));
            if (perPartition[partition] < 2) {
                perPartition[partition]++;
                threads.add(candidate);
            }
        }
        Map<ThreadRef, List<NoteEvent>> mentions = new LinkedHashMap<>();
        for (ThreadRef each : threads) {
            mentions.put(each, List.of(1, 2, 3).stream().map(i -> Events.note(each,
                    "@" + agent.serviceAccountUsername() + " step " + i, developer)).toList());
        }
        for (int i = 0; i < 3; i++) {
            for (ThreadRef each : threads) {
                Events.send(mentions.get(each).get(i));
            }
        }

        for (ThreadRef each : threads) {
            List<NoteEvent> notes = mentions.get(each);
            Invocation first = published.awaitRequested(r -> r.invocation().triggerNoteId() == notes.get(0).noteId())
                    .invocation();
            InvocationQueued second = published.awaitQueued(
                    q -> q.invocation().triggerNoteId() == notes.get(1).noteId());
            assertEquals(first.invocationId(), second.activeInvocationId(), "the second waits for the first");
            String thirdId = EventIds.derive("mention", Long.toString(notes.get(2).noteId()),
                    Long.toString(agent.id()));
            published.awaitAudit(a -> "trigger.matched".equals(a.type())
                    && second.invocation().invocationId().equals(a.invocationId())
                    && thirdId.equals(a.data().get("coalescedInvocationId")));
            // the third came last on the thread's partition: nothing of the thread is still to be decided
            assertEquals(1, published.requested(r -> each.equals(r.invocation().thread())).size(), each.webUrl());
            assertEquals(1, published.queued(q -> each.equals(q.invocation().thread())).size(), each.webUrl());
        }
    }

    private NoteEvent mention(String text, Actor author) {
        return Events.note(thread, "@" + agent.serviceAccountUsername() + text, author);
    }
}
