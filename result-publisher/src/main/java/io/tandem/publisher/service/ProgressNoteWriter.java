package io.tandem.publisher.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.tandem.events.Invocation;
import io.tandem.events.RunState;
import io.tandem.publisher.client.GitlabWriteException;
import io.tandem.publisher.client.NoteThread;
import io.tandem.publisher.client.ServiceAccountTokens;
import io.tandem.publisher.client.ThreadNotes;
import io.tandem.publisher.client.ThreadNotes.WrittenNote;
import io.tandem.publisher.repository.ProgressNote;
import io.tandem.publisher.repository.ProgressNoteRepository;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Moves one run's progress note forward, inside one transaction that holds the run's row locked, so that
 * records about the same run arriving on different topics at once are applied one after the other.
 */
@ApplicationScoped
public class ProgressNoteWriter {

    private static final Logger LOG = Logger.getLogger(ProgressNoteWriter.class);

    /**
     * The note's state after the attempt, whether this attempt wrote to GitLab, whether it created the run's first
     * note in the thread (its acknowledgement), and the run's merge request if this attempt made sure of one.
     */
    public record Outcome(RunState state, Long noteId, boolean written, boolean first,
            RunMergeRequest mergeRequest) {

        Outcome(RunState state, Long noteId, boolean written, boolean first) {
            this(state, noteId, written, first, null);
        }

        Outcome withMergeRequest(RunMergeRequest result) {
            return new Outcome(state, noteId, written, first, result);
        }
    }

    /** @param replyTo the discussion the note answers in, null for a plain note in the thread */
    private record Target(String token, NoteThread thread, String replyTo, long serviceAccountId, String marker,
            Long knownNoteId, RunState state, String body) {

        /** A record prints its fields; the token must never reach a log line. */
        @Override
        public String toString() {
            return "Target[thread=" + thread + ", marker=" + marker + "]";
        }
    }

    private final ProgressNoteRepository repository;
    private final ServiceAccountTokens tokens;
    private final ThreadNotes notes;
    private final ProgressNoteText text;
    private final Vertx vertx;
    private final InvocationJson invocationJson;
    private final RunMergeRequests mergeRequests;

    public ProgressNoteWriter(ProgressNoteRepository repository, ServiceAccountTokens tokens, ThreadNotes notes,
            ProgressNoteText text, Vertx vertx, InvocationJson invocationJson, RunMergeRequests mergeRequests) {
        this.invocationJson = invocationJson;
        this.mergeRequests = mergeRequests;
        this.repository = repository;
        this.tokens = tokens;
        this.notes = notes;
        this.text = text;
        this.vertx = vertx;
    }

    /** Only for threads {@link NoteThread#supports supported}. */
    @WithTransaction
    public Uni<Outcome> advance(NoteUpdate update) {
        Invocation invocation = update.invocation();
        return repository.insertIfAbsent(invocation.invocationId(), invocation.thread(),
                        invocation.serviceAccount().id(), invocationJson.write(invocation), Instant.now())
                .chain(() -> repository.lockById(invocation.invocationId()))
                .chain(row -> StateOrder.advances(row.state, update.state())
                        ? write(row, update)
                        : Uni.createFrom().item(new Outcome(row.state, row.noteId, false, false)));
    }

    private Uni<Outcome> write(ProgressNote row, NoteUpdate update) {
        String detail = update.detail() != null ? update.detail() : row.detail;
        String pipelineUrl = update.pipelineUrl() != null ? update.pipelineUrl() : row.pipelineUrl;
        NoteThread thread = new NoteThread(row.projectId, row.groupId, row.groupPath, row.noteableType,
                row.noteableIid, row.noteableId);
        long serviceAccountId = row.serviceAccountId;
        Long knownNoteId = row.noteId;
        return tokens.tokenFor(serviceAccountId)
                .chain(token -> vertx.executeBlocking(() -> writeInGitlab(token, thread, serviceAccountId,
                        knownNoteId, update, detail, pipelineUrl)))
                // back on the consumer's Vert.x context, where the reactive session lives
                .map(written -> {
                    Outcome outcome = written.outcome();
                    row.noteId = outcome.noteId();
                    row.state = outcome.state();
                    row.noteableId = written.thread().noteableId();
                    if (outcome.written()) {
                        row.detail = detail;
                        row.pipelineUrl = pipelineUrl;
                    }
                    row.updatedAt = Instant.now();
                    if (row.invocation == null) {
                        row.invocation = invocationJson.write(update.invocation());
                    }
                    return outcome;
                });
    }

    /** What one attempt did, in the thread as located (an epic's global id, once read, is kept). */
    private record Written(Outcome outcome, NoteThread thread) {
    }

    /** Blocking: runs on a worker thread. */
    private Written writeInGitlab(String token, NoteThread unlocated, long serviceAccountId, Long knownNoteId,
            NoteUpdate update, String detail, String pipelineUrl) {
        NoteThread thread = notes.locate(token, unlocated);
        Invocation invocation = update.invocation();
        // Before the note, so that the note can link it; a retry or redelivery finds the one already opened.
        RunMergeRequest mergeRequest = update.resultBranch() == null ? null
                : mergeRequests.ensure(token, invocation, thread, update.resultBranch(), pipelineUrl);
        String body = text.render(invocation, update.state(), detail, pipelineUrl, mergeRequest);
        Target target = new Target(token, thread, diffDiscussion(invocation), serviceAccountId,
                ProgressNoteText.marker(invocation.invocationId()), knownNoteId, update.state(), body);
        return new Written(writeNote(target).withMergeRequest(mergeRequest), thread);
    }

    private Outcome writeNote(Target target) {
        NoteThread thread = target.thread();
        if (target.knownNoteId() != null) {
            try {
                return written(notes.update(target.token(), thread, target.knownNoteId(), target.body()), target,
                        false);
            } catch (GitlabWriteException e) {
                if (!e.notFound()) {
                    throw e;
                }
                LOG.warnf("progress note %d of %s is gone from GitLab; writing a new one", target.knownNoteId(),
                        target.marker());
                return written(notes.create(target.token(), thread, target.replyTo(), target.body()), target,
                        false);
            }
        }
        // No note recorded: a previous attempt may have created it and died before the commit.
        Optional<WrittenNote> found = notes.findByMarker(target.token(), thread, target.serviceAccountId(),
                target.marker());
        if (found.isEmpty()) {
            return written(notes.create(target.token(), thread, target.replyTo(), target.body()), target, true);
        }
        WrittenNote existing = found.get();
        Optional<RunState> shown = text.stateOf(existing.body());
        if (shown.isPresent() && !StateOrder.advances(shown.get(), target.state())) {
            return new Outcome(shown.get(), existing.id(), false, false);
        }
        return written(notes.update(target.token(), thread, existing.id(), target.body()), target, false);
    }

    /** A comment on a line of a merge request's diff is answered on that line: in its discussion. */
    static String diffDiscussion(Invocation invocation) {
        return invocation.position() != null && invocation.discussionId() != null
                && NoteThread.MERGE_REQUEST.equals(invocation.thread().noteableType())
                ? invocation.discussionId()
                : null;
    }

    private static Outcome written(WrittenNote note, Target target, boolean first) {
        return new Outcome(target.state(), note.id(), true, first);
    }
}
