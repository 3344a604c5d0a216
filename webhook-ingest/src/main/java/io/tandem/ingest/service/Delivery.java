package io.tandem.ingest.service;

import io.tandem.events.EventIds;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One webhook delivery as GitLab's headers describe it, and the record id it yields.
 *
 * @param gitlabEvent {@code X-Gitlab-Event}
 * @param deliveryId {@code Idempotency-Key}, else {@code X-Gitlab-Event-UUID}: the same on every retry
 * @param gitlabEventUuid {@code X-Gitlab-Event-UUID}
 * @param eventId the id of the record this delivery produces: a retry produces the same id
 */
public record Delivery(String gitlabEvent, String deliveryId, String gitlabEventUuid, String eventId) {

    static final String SOURCE = "webhook";

    public static Delivery of(String gitlabEvent, String idempotencyKey, String gitlabEventUuid, byte[] body) {
        String key = blankToNull(idempotencyKey);
        String uuid = blankToNull(gitlabEventUuid);
        String eventId;
        if (key != null) {
            eventId = EventIds.derive(SOURCE, key);
        } else if (uuid != null) {
            eventId = EventIds.derive(SOURCE, "event-uuid", uuid);
        } else {
            // Without either header (an old GitLab or a hand-made call) the same body is the same event.
            eventId = EventIds.derive(SOURCE, "body-sha256", sha256Hex(body));
        }
        return new Delivery(blankToNull(gitlabEvent), key != null ? key : uuid, uuid, eventId);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
