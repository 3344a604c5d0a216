package io.tandem.matcher.support;

import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.GitlabSimulator;
import java.util.UUID;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.GroupParams;
import org.gitlab4j.api.models.ImpersonationToken;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.User;

/**
 * A small GitLab world seeded into the simulator through its API, as root: a top-level group with an Owner,
 * a project in it with a Maintainer, a Developer and a Guest, a subgroup, and a user who belongs to none of it.
 * Names carry a random suffix so that test classes sharing one simulator never collide.
 */
public final class SimWorld {

    public record Person(long id, String username, String token) {
    }

    public final Person owner;
    public final Person maintainer;
    public final Person developer;
    public final Person guest;
    public final Person outsider;
    public final long groupId;
    public final String groupPath;
    public final long subgroupId;
    public final long projectId;
    public final long subgroupProjectId;

    private SimWorld(String suffix) throws GitLabApiException {
        try (GitLabApi root = new GitLabApi(GitlabSimTestResource.url(), GitlabSimulator.ROOT_TOKEN)) {
            owner = person(root, "owner-" + suffix);
            maintainer = person(root, "maintainer-" + suffix);
            developer = person(root, "developer-" + suffix);
            guest = person(root, "guest-" + suffix);
            outsider = person(root, "outsider-" + suffix);
            groupPath = "acme-" + suffix;
            Group group = root.getGroupApi().createGroup(new GroupParams().withName("Acme " + suffix)
                    .withPath(groupPath));
            groupId = group.getId();
            Group subgroup = root.getGroupApi().createGroup(new GroupParams().withName("Platform")
                    .withPath("platform").withParentId(groupId));
            subgroupId = subgroup.getId();
            root.getGroupApi().addMember(groupId, owner.id(), AccessLevel.OWNER);
            projectId = project(root, "app", groupId);
            subgroupProjectId = project(root, "service", subgroupId);
            for (long project : new long[] {projectId, subgroupProjectId}) {
                root.getProjectApi().addMember(project, maintainer.id(), AccessLevel.MAINTAINER);
                root.getProjectApi().addMember(project, developer.id(), AccessLevel.DEVELOPER);
                root.getProjectApi().addMember(project, guest.id(), AccessLevel.GUEST);
            }
        }
    }

    public static SimWorld create() {
        try {
            return new SimWorld(UUID.randomUUID().toString().substring(0, 8));
        } catch (GitLabApiException e) {
            throw new IllegalStateException("cannot seed the simulator: " + e.getMessage(), e);
        }
    }

    /** Another project in the top-level group, with no members of its own (the group's Owner inherits it). */
    public long addProject(String path) {
        try (GitLabApi root = new GitLabApi(GitlabSimTestResource.url(), GitlabSimulator.ROOT_TOKEN)) {
            return project(root, path, groupId);
        } catch (GitLabApiException e) {
            throw new IllegalStateException("cannot seed the simulator: " + e.getMessage(), e);
        }
    }

    private static long project(GitLabApi root, String path, long namespaceId) throws GitLabApiException {
        Project project = root.getProjectApi().createProject(new Project().withName(path).withPath(path)
                .withNamespaceId(namespaceId));
        return project.getId();
    }

    private static Person person(GitLabApi root, String username) throws GitLabApiException {
        User user = root.getUserApi().createUser(new User().withUsername(username).withName(username)
                .withEmail(username + "@example.com"), "Password-" + UUID.randomUUID(), false);
        ImpersonationToken token = root.getUserApi().createPersonalAccessToken(user.getId(), "tandem-test", null,
                new ImpersonationToken.Scope[] {ImpersonationToken.Scope.API});
        return new Person(user.getId(), username, token.getToken());
    }
}
