package io.tandem.matcher.repository;

/** An agent enabled in a project, with the group enablement that gives it its service account. */
public record EnabledAgent(Agent agent, GroupEnablement group, ProjectEnablement project) {
}
