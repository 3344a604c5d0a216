package io.tandem.publisher.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.tandem.events.RunState;
import io.tandem.events.ThreadCommand;
import io.tandem.publisher.client.NoteThread;
import io.tandem.publisher.client.ServiceAccountTokens;
import io.tandem.publisher.client.ThreadNotes;
import io.tandem.publisher.client.ThreadNotes.WrittenNote;
import io.tandem.publisher.repository.CommandReply;
import io.tandem.publisher.repository.CommandReplyRepository;
import io.tandem.publisher.repository.ProgressNote;
import io.tandem.publisher.repository.ProgressNoteRepository;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/**
 * Answers one thread command exactly once: the command's row is locked for the whole attempt, and an answer
 * that reached GitLab but not the database is found again by its marker instead of being written twice.
 */
@ApplicationScoped
public class CommandReplyWriter {

    /**
     * The answer's note id, whether this attempt wrote it, the run's state it reported (null if none) and the
     * project the run happens in (for an epic's command not the thread's; null if the run is unknown).
     */
    public record Outcome(long noteId, boolean written, RunState runState, Long runProjectId) {
    }

    /** @param replyTo the discussion of the commanding comment, null to answer with a plain note */
    private record Target(String token, NoteThread thread, String replyTo, long serviceAccountId, String marker,
            String body) {

        /** A record prints its fields; the token must never reach a log line. */
        @Override
        public String toString() {
            return "Target[thread=" + thread + ", marker=" + marker + "]";
        }
    }

    private final CommandReplyRepository replies;
    private final ProgressNoteRepository progressNotes;
    private final ServiceAccountTokens tokens;
    private final ThreadNotes notes;
    private final CommandReplyText text;
    private final InvocationJson invocationJson;
    private final Vertx vertx;

    public CommandReplyWriter(CommandReplyRepository replies, ProgressNoteRepository progressNotes,
            ServiceAccountTokens tokens, ThreadNotes notes, CommandReplyText text, InvocationJson invocationJson,
            Vertx vertx) {
        this.replies = replies;
        this.progressNotes = progressNotes;
        this.tokens = tokens;
        this.notes = notes;
        this.text = text;
        this.invocationJson = invocationJson;
        this.vertx = vertx;
    }

    /** Only for threads {@link NoteThread#supports supported}. */
    @WithTransaction
    public Uni<Outcome> answer(ThreadCommand command) {
        return replies.insertIfAbsent(command, Instant.now())
                .chain(() -> replies.lockById(command.eventId()))
                .chain(row -> runOf(command).chain(run -> row.noteId != null
                        ? Uni.createFrom().item(outcome(row.noteId, false, command, run))
                        : write(row, command, run)));
    }

    private Uni<ProgressNote> runOf(ThreadCommand command) {
        return command.invocationId() == null
                ? Uni.createFrom().nullItem()
                : progressNotes.findById(command.invocationId());
    }

    private Uni<Outcome> write(CommandReply row, ThreadCommand command, ProgressNote run) {
        String body = text.render(command, run);
        NoteThread thread = new NoteThread(row.projectId, row.groupId, row.groupPath, row.noteableType,
                row.noteableIid, row.noteableId);
        return tokens.tokenFor(row.serviceAccountId)
                .chain(token -> vertx.executeBlocking(() -> writeInGitlab(new Target(token, thread, row.discussionId,
                        row.serviceAccountId, CommandReplyText.marker(row.commandEventId), body))))
                // back on the consumer's Vert.x context, where the transaction lives
                .map(written -> {
                    row.noteId = written.note().id();
                    row.noteableId = written.thread().noteableId();
                    return outcome(written.note().id(), written.created(), command, run);
                });
    }

    private record Written(WrittenNote note, boolean created, NoteThread thread) {
    }

    /** Blocking: runs on a worker thread. */
    private Written writeInGitlab(Target target) {
        NoteThread thread = notes.locate(target.token(), target.thread());
        Optional<WrittenNote> earlier = notes.findByMarker(target.token(), thread, target.serviceAccountId(),
                target.marker());
        return earlier.map(note -> new Written(note, false, thread))
                .orElseGet(() -> new Written(notes.create(target.token(), thread, target.replyTo(), target.body()),
                        true, thread));
    }

    /** A refused command reports nothing about the run: the requester may not ask about it. */
    private Outcome outcome(long noteId, boolean written, ThreadCommand command, ProgressNote run) {
        RunState state = run == null || command.refused() ? null : run.state;
        Long runProjectId = run == null || run.invocation == null
                ? command.thread().projectId()
                : invocationJson.read(run.invocation).projectId();
        return new Outcome(noteId, written, state, runProjectId);
    }
}
