package io.tandem.identity.client;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.Member;
import org.gitlab4j.api.models.User;

/**
 * Users, groups and memberships read and changed with Tandem's admin token through gitlab4j. Every method
 * blocks: call it from a worker thread, never from the event loop.
 */
@ApplicationScoped
public class GitlabDirectory {

    private static final int NOT_FOUND = 404;
    private static final int CONFLICT = 409;

    private final GitLabApi gitlab;

    public GitlabDirectory(GitLabApi gitlab) {
        this.gitlab = gitlab;
    }

    public String groupPath(long groupId) {
        try {
            return gitlab.getGroupApi().getGroup(groupId).getPath();
        } catch (GitLabApiException e) {
            throw failure("read group " + groupId, e);
        }
    }

    /** The user's effective role in the project, inherited ones included; 0 when not a member. */
    public int projectAccessLevel(long projectId, long userId) {
        try {
            return accessLevel(gitlab.getProjectApi().getMember(projectId, userId, true));
        } catch (GitLabApiException e) {
            if (e.getHttpStatus() == NOT_FOUND) {
                return 0;
            }
            throw failure("read the role of user " + userId + " in project " + projectId, e);
        }
    }

    /** As {@link #projectAccessLevel} for threads that belong to a group (epics). */
    public int groupAccessLevel(Object groupIdOrPath, long userId) {
        try {
            return accessLevel(gitlab.getGroupApi().getMember(groupIdOrPath, userId, true));
        } catch (GitLabApiException e) {
            if (e.getHttpStatus() == NOT_FOUND) {
                return 0;
            }
            throw failure("read the role of user " + userId + " in group " + groupIdOrPath, e);
        }
    }

    public Optional<Long> userIdByUsername(String username) {
        try {
            User user = gitlab.getUserApi().getUser(username);
            return Optional.ofNullable(user).map(User::getId);
        } catch (GitLabApiException e) {
            if (e.getHttpStatus() == NOT_FOUND) {
                return Optional.empty();
            }
            throw failure("look up user @" + username, e);
        }
    }

    /** Adds the user to the project as Developer; an existing membership is left as it is. */
    public void addDeveloper(long projectId, long userId) {
        try {
            gitlab.getProjectApi().addMember(projectId, userId, AccessLevel.DEVELOPER);
        } catch (GitLabApiException e) {
            if (e.getHttpStatus() != CONFLICT) {
                throw failure("add user " + userId + " to project " + projectId, e);
            }
        }
    }

    /** Removes the user's direct membership; none is fine. */
    public void removeMember(long projectId, long userId) {
        try {
            gitlab.getProjectApi().removeMember(projectId, userId);
        } catch (GitLabApiException e) {
            if (e.getHttpStatus() != NOT_FOUND) {
                throw failure("remove user " + userId + " from project " + projectId, e);
            }
        }
    }

    /**
     * Members waiting for a seat or approval have no access yet; an access level GitLab added after this
     * client was written is unknown here and counts as none, which can only deny, never allow.
     */
    private static int accessLevel(Member member) {
        if (member == null || member.getAccessLevel() == null || member.getAccessLevel().value == null) {
            return 0;
        }
        if (member.getState() != null && !"active".equalsIgnoreCase(member.getState())) {
            return 0;
        }
        return member.getAccessLevel().value;
    }

    private static GitlabCallException failure(String what, GitLabApiException e) {
        return new GitlabCallException(e.getHttpStatus(),
                "GitLab answered " + e.getHttpStatus() + " to: " + what + " (" + e.getReason() + ")");
    }
}
