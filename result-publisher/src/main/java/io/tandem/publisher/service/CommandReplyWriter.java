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

    /** The answer's note id, whether this attempt wrote it, and the run's state it reported (null if none). */
    public record Outcome(long noteId, boolean written, RunState runState) {
    }

    private record Target(String token, NoteThread thread, long serviceAccountId, String marker, String body) {
    }

    private final CommandReplyRepository replies;
    private final ProgressNoteRepository progressNotes;
    private final ServiceAccountTokens tokens;
    private final ThreadNotes notes;
    private final CommandReplyText text;
    private final Vertx vertx;

    public CommandReplyWriter(CommandReplyRepository replies, ProgressNoteRepository progressNotes,
            ServiceAccountTokens tokens, ThreadNotes notes, CommandReplyText text, Vertx vertx) {
        this.replies = replies;
        this.progressNotes = progressNotes;
        this.tokens = tokens;
        this.notes = notes;
        this.text = text;
        this.vertx = vertx;
    }

    /** Only for threads {@link NoteThread#supports supported}. */
    @WithTransaction
    public Uni<Outcome> answer(ThreadCommand command) {
        return replies.insertIfAbsent(command, Instant.now())
                .chain(() -> replies.lockById(command.eventId()))
                .chain(row -> runOf(command).chain(run -> row.noteId != null
                        ? Uni.createFrom().item(new Outcome(row.noteId, false, stateOf(run)))
                        : write(row, command, run)));
    }

    private Uni<ProgressNote> runOf(ThreadCommand command) {
        return command.invocationId() == null
                ? Uni.createFrom().nullItem()
                : progressNotes.findById(command.invocationId());
    }

    private Uni<Outcome> write(CommandReply row, ThreadCommand command, ProgressNote run) {
        String body = text.render(command, run);
        NoteThread thread = new NoteThread(row.projectId, row.noteableType, row.noteableIid);
        return tokens.tokenFor(row.serviceAccountId)
                .chain(token -> vertx.executeBlocking(() -> writeInGitlab(new Target(token, thread,
                        row.serviceAccountId, CommandReplyText.marker(row.commandEventId), body))))
                // back on the consumer's Vert.x context, where the transaction lives
                .map(written -> {
                    row.noteId = written.note().id();
                    return new Outcome(written.note().id(), written.created(), stateOf(run));
                });
    }

    private record Written(WrittenNote note, boolean created) {
    }

    /** Blocking: runs on a worker thread. */
    private Written writeInGitlab(Target target) {
        Optional<WrittenNote> earlier = notes.findByMarker(target.token(), target.thread(), target.serviceAccountId(),
                target.marker());
        return earlier.map(note -> new Written(note, false))
                .orElseGet(() -> new Written(notes.create(target.token(), target.thread(), target.body()), true));
    }

    private static RunState stateOf(ProgressNote run) {
        return run == null ? null : run.state;
    }
}
