package io.tandem.events;

import java.time.Instant;
import java.util.Map;

/**
 * One step of one run, or one administrative change. Never carries a secret.
 *
 * @param source the service that took the step
 * @param type dotted step name, e.g. {@code webhook.accepted}, {@code invocation.denied}, {@code pipeline.created}
 * @param actor the human the step is for (username), null for system steps
 * @param serviceAccount the service account acting, if any
 */
public record AuditEvent(String eventId, Instant occurredAt, int version, String key,
        String source, String type, Long projectId, String invocationId, String actor, String serviceAccount,
        Map<String, String> data) {

    public static final int VERSION = 1;
}
