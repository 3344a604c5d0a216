package io.tandem.identity.support;

import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.GitlabSimulator;
import java.util.UUID;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.GroupParams;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.User;

/**
 * A group with one project and three people in it, seeded once per test JVM through the simulator's API as root:
 * an Owner, a Developer and a Guest. Names carry a random suffix so that nothing clashes between test classes.
 */
public final class GitlabWorld {

    private static GitlabWorld instance;

    public final GitLabApi root;
    public final String suffix;
    public final Group group;
    public final Project project;
    public final User owner;
    public final User developer;
    public final User guest;

    private GitlabWorld() throws GitLabApiException {
        root = new GitLabApi(GitlabSimTestResource.url(), GitlabSimulator.ROOT_TOKEN);
        suffix = UUID.randomUUID().toString().substring(0, 6);
        group = root.getGroupApi().createGroup(new GroupParams().withName("Acme " + suffix).withPath("acme-" + suffix));
        project = root.getProjectApi().createProject(group.getId(), "app");
        owner = newUser("owner");
        developer = newUser("dev");
        guest = newUser("guest");
        root.getGroupApi().addMember(group.getId(), owner.getId(), AccessLevel.OWNER);
        root.getProjectApi().addMember(project.getId(), developer.getId(), AccessLevel.DEVELOPER);
        root.getProjectApi().addMember(project.getId(), guest.getId(), AccessLevel.GUEST);
    }

    public static synchronized GitlabWorld get() {
        if (instance == null) {
            try {
                instance = new GitlabWorld();
            } catch (GitLabApiException e) {
                throw new IllegalStateException("cannot seed the GitLab simulator: " + e.getMessage(), e);
            }
        }
        return instance;
    }

    /** As the group's path is slugged into service account usernames. */
    public String groupPath() {
        return group.getPath();
    }

    /** A user of no project yet. */
    public User newUser(String prefix) throws GitLabApiException {
        String username = prefix + "-" + suffix;
        User user = new User().withUsername(username).withName(prefix + " " + suffix)
                .withEmail(username + "@example.com").withSkipConfirmation(true);
        return root.getUserApi().createUser(user, "Passw0rd-" + suffix + "-long", false);
    }
}
