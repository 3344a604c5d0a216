package io.tandem.matcher.service;

import io.smallrye.mutiny.Uni;
import io.tandem.matcher.client.GitlabClient;
import io.tandem.matcher.repository.Agent;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who may do what, by the caller's role in GitLab (read with Tandem's admin token, inherited memberships
 * included). GitLab administrators count as Owner everywhere.
 */
@ApplicationScoped
public class AccessPolicy {

    private final GitlabClient gitlab;

    public AccessPolicy(GitlabClient gitlab) {
        this.gitlab = gitlab;
    }

    public Uni<Integer> projectLevel(Caller caller, long projectId) {
        return caller.admin() ? Uni.createFrom().item(AccessLevels.OWNER)
                : gitlab.projectAccessLevel(projectId, caller.id());
    }

    public Uni<Integer> groupLevel(Caller caller, long groupId) {
        return caller.admin() ? Uni.createFrom().item(AccessLevels.OWNER)
                : gitlab.groupAccessLevel(groupId, caller.id());
    }

    /** Fails with 403 naming the role needed and the caller's own, unless the caller has {@code minimum}. */
    public Uni<Void> requireProject(Caller caller, long projectId, int minimum, String action) {
        return projectLevel(caller, projectId)
                .invoke(level -> check(level, minimum, action, "project " + projectId))
                .replaceWithVoid();
    }

    public Uni<Void> requireGroup(Caller caller, long groupId, int minimum, String action) {
        return groupLevel(caller, groupId)
                .invoke(level -> check(level, minimum, action, "group " + groupId))
                .replaceWithVoid();
    }

    /**
     * The caller's access to an agent through its owning project. A private agent is invisible (404) to
     * anyone who is not a member of that project, so its existence does not leak.
     */
    public Uni<Void> requireAgent(Caller caller, Agent agent, int minimum, String action) {
        return projectLevel(caller, agent.projectId)
                .invoke(level -> {
                    if (!agent.isPublic() && level < AccessLevels.GUEST) {
                        throw ApiException.notFound("agent " + agent.id + " not found");
                    }
                    check(level, minimum, action, "project " + agent.projectId);
                })
                .replaceWithVoid();
    }

    private static void check(int level, int minimum, String action, String where) {
        if (level < minimum) {
            String yours = level < AccessLevels.GUEST ? "you are not a member" : "you are " + AccessLevels.name(level);
            throw ApiException.forbidden(action + " requires the " + AccessLevels.name(minimum)
                    + " role or higher in " + where + "; " + yours);
        }
    }
}
