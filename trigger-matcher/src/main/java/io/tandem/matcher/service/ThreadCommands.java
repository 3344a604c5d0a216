package io.tandem.matcher.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tandem.events.Actor;
import io.tandem.events.AuditEvent;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.NoteEvent;
import io.tandem.events.ThreadCommand;
import io.tandem.events.ThreadKey;
import io.tandem.matcher.client.GitlabClient;
import io.tandem.matcher.messaging.AuditPublisher;
import io.tandem.matcher.messaging.ThreadCommandPublisher;
import io.tandem.matcher.repository.EnabledAgent;
import io.tandem.matcher.repository.ProcessedNoteRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@code @<service account> stop|retry|status} in a thread. The command is about the thread's active run (stop,
 * status; the last run if none is active) or its last run (retry). A Developer or higher of the run's project (for
 * an epic, the project its runs are placed in) gets a {@link ThreadCommand} to carry out, and for {@code retry} a new
 * run with the last run's input. Anyone else gets a {@link ThreadCommand} with a {@code refusal}, which only
 * result-publisher acts on (it answers in the thread). Both carry the comment's discussion and are audited.
 */
@ApplicationScoped
public class ThreadCommands {

    private static final Logger LOG = Logger.getLogger(ThreadCommands.class);

    private final GitlabClient gitlab;
    private final RunScheduler scheduler;
    private final TriggerStarter starter;
    private final ProcessedNoteRepository processedNotes;
    private final ThreadCommandPublisher commands;
    private final AuditPublisher audit;

    public ThreadCommands(GitlabClient gitlab, RunScheduler scheduler, TriggerStarter starter,
            ProcessedNoteRepository processedNotes, ThreadCommandPublisher commands, AuditPublisher audit) {
        this.gitlab = gitlab;
        this.scheduler = scheduler;
        this.starter = starter;
        this.processedNotes = processedNotes;
        this.commands = commands;
        this.audit = audit;
    }

    /** @param acceptedAt when Tandem accepted the comment's webhook: a {@code retry} is triggered then */
    public Uni<Void> handle(NoteEvent note, Instant acceptedAt, Actor requester, EnabledAgent target, String verb) {
        long agentId = target.agent().id;
        String commandId = EventIds.derive("thread-command", Long.toString(note.noteId()), Long.toString(agentId));
        return Panache.withSession(() -> processedNotes.processed(note.noteId(), agentId)).chain(done -> {
            if (done) {
                return Uni.createFrom().voidItem();
            }
            return about(note, target, verb).chain(run -> {
                // the role that counts is the one in the project the run happens in
                long projectId = run != null && run.projectId() != null ? run.projectId()
                        : target.project().projectId;
                Command command = new Command(note, acceptedAt, requester, target, verb, commandId, run, projectId);
                return gitlab.projectAccessLevel(projectId, requester.id())
                        .onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(5)).atMost(4)
                        .chain(level -> level < AccessLevels.DEVELOPER ? refuse(command, level) : accept(command))
                        .call(() -> Panache.withTransaction(() -> processedNotes.record(note.noteId(), agentId,
                                commandId, projectId, Instant.now())));
            });
        });
    }

    /** The run a verb is about, or null when the thread has none of this agent. */
    private Uni<Invocation> about(NoteEvent note, EnabledAgent target, String verb) {
        String threadKey = ThreadKey.of(note.thread());
        long agentId = target.agent().id;
        return ThreadCommand.RETRY.equals(verb) ? scheduler.last(threadKey, agentId)
                : scheduler.active(threadKey, agentId).chain(active -> active != null ? Uni.createFrom().item(active)
                        : scheduler.last(threadKey, agentId));
    }

    /** One verb in one comment, about {@code run} (null if none) in the project {@code projectId}. */
    private record Command(NoteEvent note, Instant acceptedAt, Actor requester, EnabledAgent target, String verb, String commandId,
            Invocation run, long projectId) {

        String threadKey() {
            return ThreadKey.of(note.thread());
        }

        Actor serviceAccount() {
            return new Actor(target.group().serviceAccountId, target.group().serviceAccountUsername,
                    target.agent().name);
        }

        ThreadCommand record(String refusal) {
            return new ThreadCommand(commandId, Instant.now(), ThreadCommand.VERSION, threadKey(), verb,
                    run == null ? null : run.invocationId(), target.agent().id, target.agent().name, serviceAccount(),
                    requester, note.thread(), note.noteId(), note.discussionId(), refusal);
        }

        AuditEvent audit(String type, Map<String, String> extra) {
            Map<String, String> data = new LinkedHashMap<>();
            data.put("verb", verb);
            data.put("agentId", Long.toString(target.agent().id));
            data.put("noteId", Long.toString(note.noteId()));
            data.put("thread", threadKey());
            data.putAll(extra);
            String invocationId = run == null ? null : run.invocationId();
            return AuditEvents.of(type, projectId, invocationId != null ? invocationId : Long.toString(projectId),
                    requester.username(), target.group().serviceAccountUsername, invocationId, data, commandId);
        }
    }

    private Uni<Void> accept(Command command) {
        String threadKey = command.threadKey();
        long agentId = command.target().agent().id;
        Invocation run = command.run();
        String verb = command.verb();
        return commands.publish(command.record(null))
                .call(() -> audit.publish(command.audit("command.accepted", Map.of())))
                .call(() -> ThreadCommand.STOP.equals(verb) ? scheduler.dropQueued(threadKey, agentId)
                        : Uni.createFrom().voidItem())
                .call(() -> ThreadCommand.RETRY.equals(verb) && run != null
                        ? starter.start(command.target(), retry(command.note(), command.requester(), run)
                                .withTriggeredAt(command.acceptedAt()),
                                command.note().noteId())
                        : Uni.createFrom().voidItem())
                .invoke(() -> LOG.infof("note %d: %s %s (run %s)", command.note().noteId(), verb,
                        command.target().group().serviceAccountUsername, run == null ? "none" : run.invocationId()))
                .replaceWithVoid();
    }

    private Uni<Void> refuse(Command command, int level) {
        String reason = "'" + command.verb() + "' requires the Developer role or higher; "
                + command.requester().username() + " is " + AccessLevels.name(level);
        LOG.infof("note %d: %s refused to %s", command.note().noteId(), command.verb(),
                command.requester().username());
        return commands.publish(command.record(reason))
                .call(() -> audit.publish(command.audit("command.refused", Map.of("reason", reason))));
    }

    /** The last run again, as asked by this comment: its trigger, input and project, answered where the comment is. */
    private static Invocation retry(NoteEvent note, Actor requester, Invocation last) {
        String id = EventIds.derive("retry", Long.toString(note.noteId()), Long.toString(last.agentId()));
        return new Invocation(id, last.trigger(), last.agentId(), last.agentName(), last.serviceAccount(), requester,
                note.thread(), note.noteId(), note.discussionId(), last.input(), last.sourceBranch(),
                last.defaultBranch(), null, note.position(), last.projectId(), last.projectPath());
    }
}
