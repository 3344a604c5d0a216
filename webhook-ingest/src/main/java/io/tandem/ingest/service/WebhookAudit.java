package io.tandem.ingest.service;

import io.tandem.events.AuditEvent;
import io.tandem.events.EventIds;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code webhook.accepted} audit event of a published record. Names ids and kinds, never content. */
final class WebhookAudit {

    static final String SOURCE = "webhook-ingest";
    static final String ACCEPTED = "webhook.accepted";

    static AuditEvent accepted(Normalized.Publishable event, Delivery delivery, Instant at) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("kind", event.kind());
        data.put("recordEventId", event.eventId());
        data.put("recordKey", event.key());
        putIfPresent(data, "gitlabEvent", delivery.gitlabEvent());
        putIfPresent(data, "deliveryId", delivery.deliveryId());
        putIfPresent(data, "gitlabEventUuid", delivery.gitlabEventUuid());
        if (event.groupId() != null) {
            data.put("groupId", event.groupId().toString());
        }
        // Audit key: the project id for steps outside a run; group-level threads have only their group.
        String key = event.projectId() != null ? event.projectId().toString()
                : event.groupId() != null ? "group:" + event.groupId() : event.key();
        return new AuditEvent(EventIds.derive(SOURCE, ACCEPTED, event.eventId()), at, AuditEvent.VERSION, key,
                SOURCE, ACCEPTED, event.projectId(), null, event.actor(), null, Collections.unmodifiableMap(data));
    }

    private static void putIfPresent(Map<String, String> data, String name, String value) {
        if (value != null) {
            data.put(name, value);
        }
    }

    private WebhookAudit() {
    }
}
