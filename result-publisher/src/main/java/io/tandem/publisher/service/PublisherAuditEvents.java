package io.tandem.publisher.service;

import io.tandem.events.AuditEvent;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.RunState;
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
