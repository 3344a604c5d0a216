package io.tandem.publisher.service;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A validated audit search. Every filter but {@code limit} is optional.
 *
 * @param since exclusive: only events that occurred strictly after it
 * @param until inclusive: only events that occurred at or before it
 * @param after the cursor of the previous page: only events after it in (occurredAt, eventId) order
 */
public record AuditQuery(Long projectId, Instant since, Instant until, String invocationId, String type,
        String actor, AuditCursor after, int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    /** The raw query parameters, as text so that a malformed one can be named in the answer. */
    public record Raw(String projectId, String since, String until, String limit, String invocationId, String type,
            String actor, String cursor) {
    }

    /** Parses the raw query parameters; throws {@link InvalidAuditQuery} naming the bad one. */
    public static AuditQuery parse(Raw raw) {
        return new AuditQuery(parseProjectId(raw.projectId()), parseInstant("since", raw.since()),
                parseInstant("until", raw.until()), blankToNull(raw.invocationId()), blankToNull(raw.type()),
                blankToNull(raw.actor()), raw.cursor() == null || raw.cursor().isBlank() ? null
                        : AuditCursor.decode(raw.cursor().trim()),
                parseLimit(raw.limit()));
    }

    /** The same filters, from {@code cursor} on, {@code limit} at a time. */
    public AuditQuery from(AuditCursor cursor, int pageSize) {
        return new AuditQuery(projectId, since, until, invocationId, type, actor, cursor, pageSize);
    }

    private static Long parseProjectId(String raw) {
        if (blankToNull(raw) == null) {
            return null;
        }
        try {
            long id = Long.parseLong(raw.trim());
            if (id <= 0) {
                throw new InvalidAuditQuery("projectId must be a positive integer");
            }
            return id;
        } catch (NumberFormatException e) {
            throw new InvalidAuditQuery("projectId must be a positive integer");
        }
    }

    private static Instant parseInstant(String name, String raw) {
        if (blankToNull(raw) == null) {
            return null;
        }
        try {
            return Instant.parse(raw.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidAuditQuery(name + " must be an ISO-8601 instant, e.g. 2026-01-31T12:00:00Z");
        }
    }

    private static int parseLimit(String raw) {
        if (blankToNull(raw) == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(raw.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidAuditQuery("limit must be an integer from 1 to " + MAX_LIMIT);
    }

    private static String blankToNull(String raw) {
        return raw == null || raw.isBlank() ? null : raw.trim();
    }

    /** A query parameter that cannot be understood: the caller's mistake, answered with 400. */
    public static class InvalidAuditQuery extends RuntimeException {
        public InvalidAuditQuery(String message) {
            super(message);
        }
    }
}
