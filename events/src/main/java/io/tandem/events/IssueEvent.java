package io.tandem.events;

import java.time.Instant;
import java.util.List;

/**
 * An issue or work item was opened, changed or closed (Issue Hook, Confidential Issue Hook, Work Item Hook).
 * {@code previousAssignees} and {@code currentAssignees} are filled from {@code changes.assignees} when present.
 */
public record IssueEvent(String eventId, Instant occurredAt, int version, String key,
        String deliveryId, String gitlabEventUuid,
        ThreadRef thread, String action, String title, Actor actor, boolean confidential,
        List<Actor> previousAssignees, List<Actor> currentAssignees, String defaultBranch) {

    public static final int VERSION = 1;
}
