package io.tandem.matcher.client;

/**
 * A GitLab project and where it lives.
 *
 * @param topLevelGroupId the root group of its namespace, null for a project in a user's namespace
 * @param defaultBranch null for a project without a repository
 */
public record GitlabProject(long id, String pathWithNamespace, Long topLevelGroupId, String defaultBranch) {
}
