package io.tandem.events;

import java.time.Instant;

/** identity-service refused the run; {@code reason} is written for the human who asked. */
public record InvocationDenied(String eventId, Instant occurredAt, int version, String key,
        Invocation invocation, int requesterAccessLevel, int serviceAccountAccessLevel, String reason) {

    public static final int VERSION = 1;
}
