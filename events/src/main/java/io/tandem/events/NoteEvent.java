package io.tandem.events;

import java.time.Instant;

/**
 * A comment was created or edited (GitLab Note Hook and Confidential Note Hook).
 *
 * @param deliveryId GitLab's {@code Idempotency-Key}: the same for every retry of one delivery
 * @param gitlabEventUuid GitLab's {@code X-Gitlab-Event-UUID}
 * @param action {@code create} or {@code update}
 * @param sourceBranch for a merge request thread, its source branch, else null
 * @param defaultBranch the project's default branch
 * @param position for a comment on a line of a merge request's diff, where it is; else null
 */
public record NoteEvent(String eventId, Instant occurredAt, int version, String key,
        String deliveryId, String gitlabEventUuid,
        ThreadRef thread, long noteId, String discussionId, String action, String body, boolean confidential,
        boolean system, Actor author, String noteUrl, String sourceBranch, String defaultBranch,
        DiffPosition position) {

    public static final int VERSION = 1;
}
