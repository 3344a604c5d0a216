package io.tandem.events;

/**
 * Where a conversation happens: an issue, merge request, epic or other work item of a project (or, for epics,
 * of a group). {@code noteableType} uses GitLab's names: {@code Issue}, {@code MergeRequest}, {@code Epic}, ...
 *
 * @param groupPath the full path of the group a group-level thread (an epic) belongs to, else null; some
 *        GitLab payloads name a group only by its path
 */
public record ThreadRef(Long projectId, Long groupId, String projectPath, String noteableType, long noteableIid,
        Long noteableId, String webUrl, String groupPath) {
}
