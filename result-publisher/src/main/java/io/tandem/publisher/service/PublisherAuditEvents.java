package io.tandem.publisher.service;

import io.tandem.events.AuditEvent;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.RunState;
import io.tandem.events.ThreadCommand;
import java.time.Duration;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The audit events of result-publisher's own steps. Ids are derived, so a repeated step repeats the id. */
@ApplicationScoped
public class PublisherAuditEvents {

    public static final String SOURCE = "result-publisher";

    public AuditEvent noteWritten(Invocation invocation, RunState state, Long noteId) {
        Map<String, String> data = threadData(invocation, state);
        if (noteId != null) {
            data.put("noteId", noteId.toString());
        }
        return event("note.written", invocation, state, data);
    }

    public AuditEvent noteUnsupported(Invocation invocation, RunState state) {
        return event("note.unsupported", invocation, state, threadData(invocation, state));
    }

    /** The watchdog finished a run that had stopped moving. */
    public AuditEvent watchdogTimedOut(Invocation invocation, RunState before, Duration staleAfter) {
        Map<String, String> data = threadData(invocation, RunState.TIMED_OUT);
        data.put("previousState", before.name());
        data.put("staleAfter", staleAfter.toString());
        return event("run.watchdog-timed-out", invocation, RunState.TIMED_OUT, data);
    }

    /** result-publisher answered a thread command ({@code stop}, {@code retry}, {@code status}). */
    public AuditEvent commandAnswered(ThreadCommand command, Long noteId, RunState runState) {
        Map<String, String> data = new HashMap<>();
        data.put("verb", command.verb());
        data.put("commandEventId", command.eventId());
        data.put("noteableType", String.valueOf(command.thread().noteableType()));
        data.put("noteableIid", Long.toString(command.thread().noteableIid()));
        if (noteId != null) {
            data.put("noteId", noteId.toString());
        }
        if (runState != null) {
            data.put("state", runState.name());
        }
        return commandEvent("command.answered", command, data);
    }

    public AuditEvent commandUnsupported(ThreadCommand command) {
        Map<String, String> data = new HashMap<>();
        data.put("verb", command.verb());
        data.put("commandEventId", command.eventId());
        data.put("noteableType", String.valueOf(command.thread().noteableType()));
        return commandEvent("command.unsupported", command, data);
    }

    private static AuditEvent commandEvent(String type, ThreadCommand command, Map<String, String> data) {
        String key = command.invocationId() != null ? command.invocationId() : command.key();
        return new AuditEvent(EventIds.derive(SOURCE, type, command.eventId()), Instant.now(), AuditEvent.VERSION,
                key, SOURCE, type, command.thread().projectId(), command.invocationId(),
                command.requester() == null ? null : command.requester().username(),
                command.serviceAccount() == null ? null : command.serviceAccount().username(), data);
    }

    private static AuditEvent event(String type, Invocation invocation, RunState state, Map<String, String> data) {
        String invocationId = invocation.invocationId();
        return new AuditEvent(EventIds.derive(SOURCE, type, invocationId, state.name()), Instant.now(),
                AuditEvent.VERSION, invocationId, SOURCE, type, invocation.thread().projectId(), invocationId,
                invocation.requester() == null ? null : invocation.requester().username(),
                invocation.serviceAccount() == null ? null : invocation.serviceAccount().username(), data);
    }

    private static Map<String, String> threadData(Invocation invocation, RunState state) {
        Map<String, String> data = new HashMap<>();
        data.put("state", state.name());
        data.put("noteableType", String.valueOf(invocation.thread().noteableType()));
        data.put("noteableIid", Long.toString(invocation.thread().noteableIid()));
        return data;
    }
}
