package io.tandem.events;

import java.time.Instant;
import java.util.List;

/**
 * A merge request was opened, changed, merged or closed (Merge Request Hook). Assignee and reviewer lists
 * are filled from {@code changes.assignees} and {@code changes.reviewers} when present.
 */
public record MergeRequestEvent(String eventId, Instant occurredAt, int version, String key,
        String deliveryId, String gitlabEventUuid,
        ThreadRef thread, String action, String title, Actor actor, String sourceBranch, String targetBranch,
        List<Actor> previousAssignees, List<Actor> currentAssignees,
        List<Actor> previousReviewers, List<Actor> currentReviewers) {

    public static final int VERSION = 1;
}
