package io.tandem.events;

import java.time.Instant;

/**
 * A pipeline changed status (Pipeline Hook). {@code status} is GitLab's: created, pending, running, success,
 * failed, canceled, skipped, manual, scheduled.
 */
public record PipelineEvent(String eventId, Instant occurredAt, int version, String key,
        String deliveryId, String gitlabEventUuid,
        long projectId, String projectPath, long pipelineId, String ref, String status, String source,
        String webUrl) {

    public static final int VERSION = 1;
}
