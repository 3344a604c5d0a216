package io.tandem.matcher.service;

import io.tandem.events.AuditEvent;
import io.tandem.events.EventIds;
import io.tandem.matcher.messaging.AuditPublisher;
import java.time.Instant;
import java.util.Map;

/** Builds this service's audit events. Ids derive from what the step changed, so a repeat has the same id. */
final class AuditEvents {

    static AuditEvent of(String type, Long projectId, String key, String actor, String serviceAccount,
            String invocationId, Map<String, String> data, String... idParts) {
        String[] parts = new String[idParts.length + 1];
        parts[0] = type;
        System.arraycopy(idParts, 0, parts, 1, idParts.length);
        return new AuditEvent(EventIds.derive(parts), Instant.now(), AuditEvent.VERSION, key,
                AuditPublisher.SOURCE, type, projectId, invocationId, actor, serviceAccount, Map.copyOf(data));
    }

    /** An administrative step on a project's agent: keyed by the project. */
    static AuditEvent forProject(String type, long projectId, Caller caller, String serviceAccount,
            Map<String, String> data, String... idParts) {
        return of(type, projectId, Long.toString(projectId), caller.username(), serviceAccount, null, data, idParts);
    }

    /** An administrative step on a group: there is no project, so the key names the group. */
    static AuditEvent forGroup(String type, long groupId, Caller caller, String serviceAccount,
            Map<String, String> data, String... idParts) {
        return of(type, null, "group:" + groupId, caller.username(), serviceAccount, null, data, idParts);
    }

    private AuditEvents() {
    }
}
