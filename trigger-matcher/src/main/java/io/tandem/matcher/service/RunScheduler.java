package io.tandem.matcher.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.InvocationQueued;
import io.tandem.events.InvocationRequested;
import io.tandem.events.RunState;
import io.tandem.events.ThreadKey;
import io.tandem.matcher.config.MatcherConfig;
import io.tandem.matcher.messaging.InvocationPublisher;
import io.tandem.matcher.messaging.InvocationQueuedPublisher;
import io.tandem.matcher.repository.ProcessedNote;
import io.tandem.matcher.repository.ProcessedNoteRepository;
import io.tandem.matcher.repository.ThreadRun;
import io.tandem.matcher.repository.ThreadRunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * At most one active run per thread and agent. A new invocation is requested when the thread has no active
 * run of the agent, queued behind it when it has, and coalesced into the queued one when one already waits.
 * When the active run ends, the queued one is requested.
 *
 * <p>Each decision is stored first (with the run's {@code published} flag false) and published after; a repeat of
 * the triggering event publishes what is still unpublished and nothing else, so a crash in between neither loses
 * a run nor duplicates one (the ids are deterministic, so a duplicate would be dropped downstream anyway).
 */
@ApplicationScoped
public class RunScheduler {

    private static final Logger LOG = Logger.getLogger(RunScheduler.class);

    /** Separates the comments coalesced into one queued run's input. */
    static final String COALESCED_SEPARATOR = "\n\n---\n\n";
    /** Coalesced input stops growing here; later comments still coalesce but add no text. */
    static final int MAX_COALESCED_INPUT_CHARS = 64 * 1024;

    public enum Outcome {
        /** The thread had no active run: the invocation was requested. */
        REQUESTED,
        /** The thread had an active run: the invocation waits for it. */
        QUEUED,
        /** A run already waited: the trigger was folded into it, nothing new was published. */
        COALESCED,
        /** A repeat of a trigger that was handled before. */
        NOTHING
    }

    /**
     * What happened to a trigger. {@code invocation} is the run it ended up in (the queued one when coalesced);
     * {@code activeInvocationId} the run it waits for.
     */
    public record Decision(Outcome outcome, Invocation invocation, String activeInvocationId, boolean publish) {
    }

    private final ThreadRunRepository runs;
    private final ProcessedNoteRepository processedNotes;
    private final InvocationPublisher requested;
    private final InvocationQueuedPublisher queued;
    private final ObjectMapper json;
    private final Duration staleGrace;

    public RunScheduler(ThreadRunRepository runs, ProcessedNoteRepository processedNotes,
            InvocationPublisher requested, InvocationQueuedPublisher queued, ObjectMapper json, MatcherConfig config) {
        this.runs = runs;
        this.processedNotes = processedNotes;
        this.requested = requested;
        this.queued = queued;
        this.json = json;
        this.staleGrace = config.runs().staleGrace();
    }

    /**
     * Schedules a new invocation and publishes what the decision calls for.
     *
     * @param noteId the comment that triggered it, recorded in {@code processed_note}; null for other triggers
     */
    public Uni<Decision> schedule(Invocation invocation, Long noteId) {
        String threadKey = ThreadKey.of(invocation.thread());
        long agentId = invocation.agentId();
        return Panache.withTransaction(() -> runs.lock(threadKey, agentId)
                .chain(() -> runs.findById(invocation.invocationId()))
                .chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().item(repeat(existing));
                    }
                    Uni<ProcessedNote> processed = noteId == null ? Uni.createFrom().nullItem()
                            : processedNotes.findById(new ProcessedNote.Key(noteId, agentId));
                    // a comment coalesced before: publish its run if a crash left it unpublished
                    return processed.chain(done -> done == null ? decide(invocation, threadKey, noteId)
                            : runs.findById(done.invocationId).map(run -> run == null
                                    ? new Decision(Outcome.NOTHING, invocation, null, false) : repeat(run)));
                }))
                .call(this::publish);
    }

    /**
     * Ends a run (its pipeline reached a terminal state, or identity-service refused it) and requests the run
     * that waited for it, if any. Returns that run's invocation, or null.
     */
    public Uni<Invocation> end(Invocation ended, RunState endState) {
        String threadKey = ThreadKey.of(ended.thread());
        return Panache.withTransaction(() -> runs.lock(threadKey, ended.agentId())
                .chain(() -> runs.findById(ended.invocationId()))
                .chain(run -> {
                    if (run == null) {
                        return Uni.createFrom().<ThreadRun>nullItem();
                    }
                    if (ThreadRun.ENDED.equals(run.state)) {
                        // a repeat: publish the follow-up if the first attempt did not get that far
                        return runs.promotedAfter(run.invocationId).map(next -> next != null && !next.published
                                ? next : null);
                    }
                    boolean wasActive = ThreadRun.ACTIVE.equals(run.state);
                    Instant now = Instant.now();
                    run.state = ThreadRun.ENDED;
                    run.endState = endState.name();
                    run.updatedAt = now;
                    if (!wasActive) {
                        return Uni.createFrom().<ThreadRun>nullItem();
                    }
                    // the flush frees the thread's "one active run" slot before the queued run takes it
                    return runs.flush().chain(() -> runs.inState(threadKey, ended.agentId(), ThreadRun.QUEUED))
                            .invoke(next -> {
                                if (next != null) {
                                    next.state = ThreadRun.ACTIVE;
                                    next.published = false;
                                    next.updatedAt = now;
                                }
                            });
                }))
                .chain(next -> {
                    if (next == null) {
                        return Uni.createFrom().nullItem();
                    }
                    Invocation invocation = read(next.invocation);
                    return publish(new Decision(Outcome.REQUESTED, invocation, null, true)).replaceWith(invocation);
                });
    }

    /**
     * Whether this trigger was decided on before: its run is recorded (requested, queued, ended or refused), or its
     * comment was. A repeat must not be judged again: the switches may have changed since, and denying a run that
     * exists would end it.
     */
    public Uni<Boolean> decidedBefore(Invocation invocation, Long noteId) {
        return Panache.withSession(() -> runs.findById(invocation.invocationId())
                .chain(run -> run != null || noteId == null ? Uni.createFrom().item(run != null)
                        : processedNotes.processed(noteId, invocation.agentId())));
    }

    /**
     * Records a trigger that was refused before it was scheduled (a switch is off, its definition is broken) as an
     * ended run: a repeat of the trigger, and the denial read back from the broker, then change nothing.
     */
    public Uni<Void> refused(Invocation invocation, Long noteId) {
        String threadKey = ThreadKey.of(invocation.thread());
        return Panache.withTransaction(() -> runs.lock(threadKey, invocation.agentId())
                .chain(() -> runs.findById(invocation.invocationId()))
                .chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().voidItem();
                    }
                    return insert(invocation, threadKey, ThreadRun.ENDED, null, noteId, run -> {
                        run.endState = RunState.REFUSED.name();
                        run.published = true;
                    });
                }));
    }

    /** Drops the run waiting in the thread, if any (a {@code stop} ends the follow-up too). */
    public Uni<Invocation> dropQueued(String threadKey, long agentId) {
        return Panache.withTransaction(() -> runs.lock(threadKey, agentId)
                .chain(() -> runs.inState(threadKey, agentId, ThreadRun.QUEUED))
                .invoke(run -> {
                    if (run != null) {
                        run.state = ThreadRun.ENDED;
                        run.endState = RunState.CANCELED.name();
                        run.updatedAt = Instant.now();
                    }
                }))
                .map(run -> run == null ? null : read(run.invocation));
    }

    /** The thread's active run of the agent, or null. */
    public Uni<Invocation> active(String threadKey, long agentId) {
        return Panache.withSession(() -> runs.inState(threadKey, agentId, ThreadRun.ACTIVE))
                .map(run -> run == null ? null : read(run.invocation));
    }

    /** The thread's most recently requested run of the agent, active or ended, or null. */
    public Uni<Invocation> last(String threadKey, long agentId) {
        return Panache.withSession(() -> runs.last(threadKey, agentId))
                .map(run -> run == null ? null : read(run.invocation));
    }

    /** A trigger seen before: publish what its run still needs, else nothing. */
    private Decision repeat(ThreadRun run) {
        Invocation invocation = read(run.invocation);
        if (run.published) {
            return new Decision(Outcome.NOTHING, invocation, null, false);
        }
        return switch (run.state) {
            case ThreadRun.ACTIVE -> new Decision(Outcome.REQUESTED, invocation, null, !run.published);
            case ThreadRun.QUEUED -> new Decision(Outcome.QUEUED, invocation, run.follows, !run.published);
            default -> new Decision(Outcome.NOTHING, invocation, null, false);
        };
    }

    private Uni<Decision> decide(Invocation invocation, String threadKey, Long noteId) {
        long agentId = invocation.agentId();
        return runs.inState(threadKey, agentId, ThreadRun.ACTIVE).chain(active -> {
            if (active != null && stale(active)) {
                return replaceStale(active, invocation, threadKey, noteId);
            }
            if (active == null) {
                return insert(invocation, threadKey, ThreadRun.ACTIVE, null, noteId)
                        .replaceWith(new Decision(Outcome.REQUESTED, invocation, null, true));
            }
            return runs.inState(threadKey, agentId, ThreadRun.QUEUED).chain(waiting -> waiting == null
                    ? insert(invocation, threadKey, ThreadRun.QUEUED, active.invocationId, noteId)
                            .replaceWith(new Decision(Outcome.QUEUED, invocation, active.invocationId, true))
                    : coalesce(waiting, invocation, noteId)
                            .map(merged -> new Decision(Outcome.COALESCED, merged, active.invocationId, false)));
        });
    }

    private boolean stale(ThreadRun active) {
        Integer minutes = read(active.invocation).definition().timeoutMinutes();
        Duration jobTimeout = Duration.ofMinutes(minutes == null ? 60 : minutes);
        return active.updatedAt.plus(jobTimeout).plus(staleGrace).isBefore(Instant.now());
    }

    /**
     * Ends an active run that never reported its end. The run that waited for it, if any, takes its place and is
     * requested, with this trigger folded into it; otherwise this trigger's run becomes the active one.
     */
    private Uni<Decision> replaceStale(ThreadRun stale, Invocation invocation, String threadKey, Long noteId) {
        LOG.warnf("run %s in %s never reported its end; treated as timed out", stale.invocationId, threadKey);
        Instant now = Instant.now();
        stale.state = ThreadRun.ENDED;
        stale.endState = RunState.TIMED_OUT.name();
        stale.updatedAt = now;
        return runs.flush()
                .chain(() -> runs.inState(threadKey, invocation.agentId(), ThreadRun.QUEUED))
                .chain(waiting -> {
                    if (waiting == null) {
                        return insert(invocation, threadKey, ThreadRun.ACTIVE, null, noteId)
                                .replaceWith(new Decision(Outcome.REQUESTED, invocation, null, true));
                    }
                    waiting.state = ThreadRun.ACTIVE;
                    waiting.published = false;
                    waiting.updatedAt = now;
                    return runs.flush().chain(() -> coalesce(waiting, invocation, noteId))
                            .map(merged -> new Decision(Outcome.REQUESTED, merged, null, true));
                });
    }

    private Uni<Void> insert(Invocation invocation, String threadKey, String state, String follows, Long noteId) {
        return insert(invocation, threadKey, state, follows, noteId, run -> { });
    }

    private Uni<Void> insert(Invocation invocation, String threadKey, String state, String follows, Long noteId,
            Consumer<ThreadRun> adjust) {
        ThreadRun run = new ThreadRun();
        run.invocationId = invocation.invocationId();
        run.threadKey = threadKey;
        run.agentId = invocation.agentId();
        run.projectId = invocation.projectId();
        run.state = state;
        run.trigger = invocation.trigger();
        run.invocation = write(invocation);
        run.follows = follows;
        run.createdAt = Instant.now();
        run.updatedAt = run.createdAt;
        adjust.accept(run);
        return runs.persist(run).chain(ignored -> runs.flush())
                .chain(() -> recordNote(noteId, invocation.agentId(), invocation.invocationId(),
                        run.projectId));
    }

    /**
     * Folds a trigger into the waiting run. A comment's text is appended to a waiting mention's input only when it
     * comes from the same requester: the run is authorised as its requester, so another user's words must not
     * ride on it. Either way no new run is recorded and nothing new is published.
     */
    private Uni<Invocation> coalesce(ThreadRun waiting, Invocation invocation, Long noteId) {
        Invocation current = read(waiting.invocation);
        Invocation merged = current;
        boolean sameRequester = Objects.equals(current.requester().id(), invocation.requester().id());
        String input = current.input() + COALESCED_SEPARATOR + invocation.input();
        boolean bothComments = Triggers.MENTION.equals(current.trigger()) && Triggers.MENTION.equals(invocation.trigger());
        if (sameRequester && bothComments && input.length() <= MAX_COALESCED_INPUT_CHARS) {
            merged = new Invocation(current.invocationId(), current.trigger(), current.agentId(), current.agentName(),
                    current.serviceAccount(), current.requester(), current.thread(), current.triggerNoteId(),
                    current.discussionId(), input, current.sourceBranch(), current.defaultBranch(),
                    current.definition(), current.position(), current.runProjectId(), current.runProjectPath(),
                    current.triggeredAt());
            waiting.invocation = write(merged);
            waiting.updatedAt = Instant.now();
        }
        Invocation result = merged;
        return recordNote(noteId, invocation.agentId(), waiting.invocationId, waiting.projectId).replaceWith(result);
    }

    private Uni<Void> recordNote(Long noteId, long agentId, String invocationId, long projectId) {
        return noteId == null ? Uni.createFrom().voidItem()
                : processedNotes.record(noteId, agentId, invocationId, projectId, Instant.now());
    }

    private Uni<Void> publish(Decision decision) {
        if (!decision.publish()) {
            return Uni.createFrom().voidItem();
        }
        Invocation invocation = decision.invocation();
        String key = ThreadKey.of(invocation.thread());
        String id = invocation.invocationId();
        if (decision.outcome() == Outcome.QUEUED) {
            return queued.publish(new InvocationQueued(EventIds.derive("invocation-queued", id), Instant.now(),
                    InvocationQueued.VERSION, key, invocation, decision.activeInvocationId()))
                    .call(() -> markPublished(id, ThreadRun.QUEUED));
        }
        return requested.publish(new InvocationRequested(EventIds.derive("invocation-requested", id), Instant.now(),
                InvocationRequested.VERSION, key, invocation))
                .call(() -> markPublished(id, ThreadRun.ACTIVE));
    }

    /** Only in the state that was published: a queued run promoted meanwhile still needs its request. */
    private Uni<Void> markPublished(String invocationId, String state) {
        return Panache.withTransaction(() -> runs.update("published = true where invocationId = ?1 and state = ?2",
                invocationId, state)).replaceWithVoid();
    }

    Invocation read(String text) {
        try {
            return json.readValue(text, Invocation.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored invocation is unreadable", e);
        }
    }

    private String write(Invocation invocation) {
        try {
            return json.writeValueAsString(invocation);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("invocation cannot be written as JSON", e);
        }
    }
}
