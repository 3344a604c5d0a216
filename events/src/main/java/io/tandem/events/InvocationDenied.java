package io.tandem.events;

import java.time.Instant;

/**
 * The run will not happen; {@code reason} is written for the human who asked. identity-service denies a run whose
 * composite identity is too weak; trigger-matcher denies one that its switches block or whose definition does not
 * validate (then both access levels are 0: nobody's role was read).
 */
public record InvocationDenied(String eventId, Instant occurredAt, int version, String key,
        Invocation invocation, int requesterAccessLevel, int serviceAccountAccessLevel, String reason) {

    public static final int VERSION = 2;
}
