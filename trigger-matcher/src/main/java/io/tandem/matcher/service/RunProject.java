package io.tandem.matcher.service;

/**
 * The project a run happens in: its pipeline, {@code workloads/<id>} branch and token scope.
 *
 * @param defaultBranch null to keep what the triggering event said
 */
public record RunProject(long id, String path, String defaultBranch) {
}
