package io.tandem.publisher.service;

import io.tandem.events.AuditEvent;
import java.time.Instant;
import java.util.Map;

/**
 * An {@link AuditEvent} as a CloudEvents 1.0 event in structured mode (the whole event is the JSON value), for
 * consumers that know CloudEvents and the published JSON Schemas but nothing of Tandem's code.
 *
 * @param subject the run (invocation id) the step belongs to, else the audit key (a project or group)
 */
public record AuditCloudEvent(String specversion, String id, String source, String type, Instant time,
        String subject, String datacontenttype, Data data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String TYPE_PREFIX = "io.tandem.";
    public static final String SOURCE_PREFIX = "/tandem/";
    /** The Kafka {@code content-type} header of a structured-mode CloudEvent. */
    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    /**
     * @param eventVersion the version of Tandem's audit event
     * @param key the audit key: the invocation id, or the project id (or {@code group:<id>}) for steps outside a run
     * @param details the step's own facts, all strings; never a secret
     */
    public record Data(int eventVersion, String key, Long projectId, String invocationId, String actor,
            String serviceAccount, Map<String, String> details) {
    }

    public static AuditCloudEvent of(AuditEvent event) {
        return new AuditCloudEvent(SPEC_VERSION, event.eventId(), SOURCE_PREFIX + event.source(),
                TYPE_PREFIX + event.type(), event.occurredAt(),
                event.invocationId() != null ? event.invocationId() : event.key(), "application/json",
                new Data(event.version(), event.key(), event.projectId(), event.invocationId(), event.actor(),
                        event.serviceAccount(), event.data() == null ? Map.of() : event.data()));
    }
}
