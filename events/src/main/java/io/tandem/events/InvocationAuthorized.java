package io.tandem.events;

import java.time.Instant;

/**
 * identity-service checked both roles and allowed the run. Access levels are GitLab's numbers
 * (10 Guest, 20 Reporter, 30 Developer, 40 Maintainer, 50 Owner). The run token itself is never in a
 * record: pipeline-launcher fetches it from identity-service.
 */
public record InvocationAuthorized(String eventId, Instant occurredAt, int version, String key,
        Invocation invocation, int requesterAccessLevel, int serviceAccountAccessLevel, int effectiveAccessLevel) {

    public static final int VERSION = 2;
}
