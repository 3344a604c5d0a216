package io.tandem.events;

import java.time.Instant;

/**
 * trigger-matcher held an invocation back because the thread already has an active run of the same agent;
 * it is requested when {@code activeInvocationId} ends. Later mentions while it waits are coalesced into it.
 */
public record InvocationQueued(String eventId, Instant occurredAt, int version, String key,
        Invocation invocation, String activeInvocationId) {

    public static final int VERSION = 2;
}
