package io.tandem.matcher.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tandem.events.Actor;
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
 * {@code @<service account> stop|retry|status} in a thread, from a Developer or higher of the project: publishes
 * a {@link ThreadCommand} about the thread's active run (stop, status; the last run if none is active) or its last
 * run (retry), and for {@code retry} requests a new run with the last run's input. Others are refused and audited.
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

    public Uni<Void> handle(NoteEvent note, Actor requester, EnabledAgent target, String verb) {
        long agentId = target.agent().id;
        String commandId = EventIds.derive("thread-command", Long.toString(note.noteId()), Long.toString(agentId));
        return Panache.withSession(() -> processedNotes.processed(note.noteId(), agentId)).chain(done -> {
            if (done) {
                return Uni.createFrom().voidItem();
            }
            long projectId = note.thread().projectId();
            return gitlab.projectAccessLevel(projectId, requester.id())
                    .onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(5)).atMost(4)
                    .chain(level -> level < AccessLevels.DEVELOPER
                            ? refuse(note, requester, target, verb, commandId, level)
                            : accept(note, requester, target, verb, commandId))
                    .call(() -> Panache.withTransaction(() -> processedNotes.record(note.noteId(), agentId,
                            commandId, projectId, Instant.now())));
        });
    }

    private Uni<Void> accept(NoteEvent note, Actor requester, EnabledAgent target, String verb, String commandId) {
        String threadKey = ThreadKey.of(note.thread());
        long agentId = target.agent().id;
        Uni<Invocation> about = ThreadCommand.RETRY.equals(verb) ? scheduler.last(threadKey, agentId)
                : scheduler.active(threadKey, agentId).chain(active -> active != null ? Uni.createFrom().item(active)
                        : scheduler.last(threadKey, agentId));
        return about.chain(run -> {
            Actor serviceAccount = new Actor(target.group().serviceAccountId, target.group().serviceAccountUsername,
                    target.agent().name);
            ThreadCommand command = new ThreadCommand(commandId, Instant.now(), ThreadCommand.VERSION, threadKey, verb,
                    run == null ? null : run.invocationId(), agentId, target.agent().name, serviceAccount, requester,
                    note.thread(), note.noteId());
            Map<String, String> data = new LinkedHashMap<>();
            data.put("verb", verb);
            data.put("agentId", Long.toString(agentId));
            data.put("noteId", Long.toString(note.noteId()));
            data.put("thread", threadKey);
            return commands.publish(command)
                    .call(() -> audit.publish(AuditEvents.of("command.accepted", note.thread().projectId(),
                            run == null ? Long.toString(note.thread().projectId()) : run.invocationId(),
                            requester.username(), serviceAccount.username(), run == null ? null : run.invocationId(),
                            data, commandId)))
                    .call(() -> ThreadCommand.STOP.equals(verb) ? scheduler.dropQueued(threadKey, agentId)
                            : Uni.createFrom().voidItem())
                    .call(() -> ThreadCommand.RETRY.equals(verb) && run != null
                            ? starter.start(target, retry(note, requester, run), note.noteId())
                            : Uni.createFrom().voidItem())
                    .invoke(() -> LOG.infof("note %d: %s %s (run %s)", note.noteId(), verb,
                            serviceAccount.username(), run == null ? "none" : run.invocationId()))
                    .replaceWithVoid();
        });
    }

    private Uni<Void> refuse(NoteEvent note, Actor requester, EnabledAgent target, String verb, String commandId,
            int level) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("verb", verb);
        data.put("agentId", Long.toString(target.agent().id));
        data.put("noteId", Long.toString(note.noteId()));
        data.put("thread", ThreadKey.of(note.thread()));
        data.put("reason", "'" + verb + "' requires the Developer role or higher; " + requester.username() + " is "
                + AccessLevels.name(level));
        LOG.infof("note %d: %s refused to %s", note.noteId(), verb, requester.username());
        return audit.publish(AuditEvents.of("command.refused", note.thread().projectId(),
                Long.toString(note.thread().projectId()), requester.username(),
                target.group().serviceAccountUsername, null, data, commandId));
    }

    /** The last run again, as asked by this comment: its trigger and input, answered where the comment is. */
    private static Invocation retry(NoteEvent note, Actor requester, Invocation last) {
        String id = EventIds.derive("retry", Long.toString(note.noteId()), Long.toString(last.agentId()));
        return new Invocation(id, last.trigger(), last.agentId(), last.agentName(), last.serviceAccount(), requester,
                note.thread(), note.noteId(), note.discussionId(), last.input(), last.sourceBranch(),
                last.defaultBranch(), null, note.position());
    }
}
