package io.tandem.publisher.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.tandem.events.Invocation;
import io.tandem.events.RunState;
import io.tandem.events.ThreadRef;
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

    /** The note's state after the attempt, and whether this attempt wrote to GitLab. */
    public record Outcome(RunState state, Long noteId, boolean written) {
    }

    /** @param replyTo the discussion the note answers in, null for a plain note in the thread */
    private record Target(String token, NoteThread thread, String replyTo, long serviceAccountId, String marker,
            Long knownNoteId, RunState state, String body) {
    }

    private final ProgressNoteRepository repository;
    private final ServiceAccountTokens tokens;
    private final ThreadNotes notes;
    private final ProgressNoteText text;
    private final Vertx vertx;
    private final InvocationJson invocationJson;

    public ProgressNoteWriter(ProgressNoteRepository repository, ServiceAccountTokens tokens, ThreadNotes notes,
            ProgressNoteText text, Vertx vertx, InvocationJson invocationJson) {
        this.invocationJson = invocationJson;
        this.repository = repository;
        this.tokens = tokens;
        this.notes = notes;
        this.text = text;
        this.vertx = vertx;
    }

    /** Only for threads {@link NoteThread#supports supported}: the row needs a project id. */
    @WithTransaction
    public Uni<Outcome> advance(NoteUpdate update) {
        Invocation invocation = update.invocation();
        ThreadRef thread = invocation.thread();
        return repository.insertIfAbsent(invocation.invocationId(), thread.projectId(), thread.noteableType(),
                        thread.noteableIid(), invocation.serviceAccount().id(), invocationJson.write(invocation),
                        Instant.now())
                .chain(() -> repository.lockById(invocation.invocationId()))
                .chain(row -> StateOrder.advances(row.state, update.state())
                        ? write(row, update)
                        : Uni.createFrom().item(new Outcome(row.state, row.noteId, false)));
    }

    private Uni<Outcome> write(ProgressNote row, NoteUpdate update) {
        String detail = update.detail() != null ? update.detail() : row.detail;
        String pipelineUrl = update.pipelineUrl() != null ? update.pipelineUrl() : row.pipelineUrl;
        String body = text.render(update.invocation(), update.state(), detail, pipelineUrl);
        NoteThread thread = new NoteThread(row.projectId, row.noteableType, row.noteableIid);
        return tokens.tokenFor(row.serviceAccountId)
                .chain(token -> vertx.executeBlocking(() -> writeInGitlab(new Target(token, thread,
                        diffDiscussion(update.invocation()), row.serviceAccountId, ProgressNoteText.marker(row.invocationId), row.noteId,
                        update.state(), body))))
                // back on the consumer's Vert.x context, where the reactive session lives
                .map(outcome -> {
                    row.noteId = outcome.noteId();
                    row.state = outcome.state();
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

    /** Blocking: runs on a worker thread. */
    private Outcome writeInGitlab(Target target) {
        if (target.knownNoteId() != null) {
            try {
                return written(notes.update(target.token(), target.thread(), target.knownNoteId(), target.body()),
                        target);
            } catch (GitlabWriteException e) {
                if (!e.notFound()) {
                    throw e;
                }
                LOG.warnf("progress note %d of %s is gone from GitLab; writing a new one", target.knownNoteId(),
                        target.marker());
                return written(notes.create(target.token(), target.thread(), target.replyTo(), target.body()),
                        target);
            }
        }
        // No note recorded: a previous attempt may have created it and died before the commit.
        Optional<WrittenNote> found = notes.findByMarker(target.token(), target.thread(), target.serviceAccountId(),
                target.marker());
        if (found.isEmpty()) {
            return written(notes.create(target.token(), target.thread(), target.replyTo(), target.body()), target);
        }
        WrittenNote existing = found.get();
        Optional<RunState> shown = text.stateOf(existing.body());
        if (shown.isPresent() && !StateOrder.advances(shown.get(), target.state())) {
            return new Outcome(shown.get(), existing.id(), false);
        }
        return written(notes.update(target.token(), target.thread(), existing.id(), target.body()), target);
    }

    /** A comment on a line of a merge request's diff is answered on that line: in its discussion. */
    static String diffDiscussion(Invocation invocation) {
        return invocation.position() != null && invocation.discussionId() != null
                && NoteThread.MERGE_REQUEST.equals(invocation.thread().noteableType())
                ? invocation.discussionId()
                : null;
    }

    private static Outcome written(WrittenNote note, Target target) {
        return new Outcome(target.state(), note.id(), true);
    }
}
