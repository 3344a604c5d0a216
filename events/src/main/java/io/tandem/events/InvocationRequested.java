package io.tandem.events;

import java.time.Instant;

/** trigger-matcher decided that an event triggers an agent. */
public record InvocationRequested(String eventId, Instant occurredAt, int version, String key,
        Invocation invocation) {

    public static final int VERSION = 2;
}
