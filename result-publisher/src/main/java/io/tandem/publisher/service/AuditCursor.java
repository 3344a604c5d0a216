package io.tandem.publisher.service;

import io.tandem.publisher.service.AuditQuery.InvalidAuditQuery;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * A position in the audit log's order, (occurredAt, eventId): the next page starts strictly after it. Opaque to
 * clients (base64url), so its format may change without breaking them.
 */
public record AuditCursor(Instant occurredAt, String eventId) {

    private static final char SEPARATOR = '|';

    public String encode() {
        String plain = occurredAt.toString() + SEPARATOR + eventId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    public static AuditCursor decode(String raw) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
            int at = plain.indexOf(SEPARATOR);
            if (at <= 0 || at == plain.length() - 1) {
                throw new InvalidAuditQuery("cursor is not one this service handed out");
            }
            return new AuditCursor(Instant.parse(plain.substring(0, at)), plain.substring(at + 1));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new InvalidAuditQuery("cursor is not one this service handed out");
        }
    }
}
