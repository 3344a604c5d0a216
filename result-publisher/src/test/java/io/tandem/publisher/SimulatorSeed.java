package io.tandem.publisher;

import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.GitlabSimulator;
import java.util.List;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.CommitAction;
import org.gitlab4j.api.models.Epic;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.ImpersonationToken;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.User;

/**
 * What the tests need in the GitLab simulator, created through its API as root: a group with a project, a human
 * requester (Developer) and a Guest, the agent's service account (Developer, with a personal access token) and
 * issues, merge requests and epics to write in.
 */
final class SimulatorSeed {

    final GitLabApi root;
    final Group group;
    final Project project;
    final User requester;
    final User guest;
    final User serviceAccount;
    final String serviceAccountToken;

    private SimulatorSeed(GitLabApi root, Group group, Project project, User requester, User guest,
            User serviceAccount, String serviceAccountToken) {
        this.root = root;
        this.group = group;
        this.project = project;
        this.requester = requester;
        this.guest = guest;
        this.serviceAccount = serviceAccount;
        this.serviceAccountToken = serviceAccountToken;
    }

    private static SimulatorSeed shared;

    /**
     * The one seed of this JVM: the test classes share one simulator (same test resources), where a group or user
     * can be created only once.
     */
    static synchronized SimulatorSeed shared() throws GitLabApiException {
        if (shared == null) {
            shared = create();
            IdentityServiceStandIn.TOKENS.put(shared.serviceAccount.getId(), shared.serviceAccountToken);
        }
        return shared;
    }

    private static SimulatorSeed create() throws GitLabApiException {
        GitLabApi root = new GitLabApi(GitlabSimTestResource.url(), GitlabSimulator.ROOT_TOKEN);
        Group group = root.getGroupApi().addGroup("Acme Robots", "acme-robots");
        Project project = root.getProjectApi().createProject(group.getId(), "widgets");
        User requester = user(root, "alice", "Alice Example");
        User guest = user(root, "gus", "Gus Guest");
        User serviceAccount = user(root, "ai-claude-code-acme-robots", "Claude Code");
        root.getProjectApi().addMember(project.getId(), requester.getId(), AccessLevel.DEVELOPER);
        root.getProjectApi().addMember(project.getId(), guest.getId(), AccessLevel.GUEST);
        root.getProjectApi().addMember(project.getId(), serviceAccount.getId(), AccessLevel.DEVELOPER);
        ImpersonationToken token = root.getUserApi().createPersonalAccessToken(serviceAccount.getId(), "tandem",
                null, new ImpersonationToken.Scope[] {ImpersonationToken.Scope.API});
        return new SimulatorSeed(root, group, project, requester, guest, serviceAccount, token.getToken());
    }

    Issue issue(String title) throws GitLabApiException {
        return root.getIssuesApi().createIssue(project.getId(), title, "Seeded by the result-publisher tests.");
    }

    MergeRequest mergeRequest(String branch) throws GitLabApiException {
        CommitAction change = new CommitAction().withAction(CommitAction.Action.CREATE)
                .withFilePath("changes/" + branch + ".md").withContent("A change on " + branch + ".\n");
        root.getCommitsApi().createCommit(project.getId(), branch, "Add " + branch, defaultBranch(),
                null, null, List.of(change));
        return root.getMergeRequestApi().createMergeRequest(project.getId(), branch, defaultBranch(),
                "Change " + branch, "Seeded by the result-publisher tests.", null);
    }

    /** A branch made from {@code startBranch} with one commit of its own, as an agent leaves its work. */
    void branchWithCommit(String branch, String startBranch) throws GitLabApiException {
        CommitAction change = new CommitAction().withAction(CommitAction.Action.CREATE)
                .withFilePath("agent/" + branch.replace('/', '-') + ".md").withContent("The agent's change.\n");
        root.getCommitsApi().createCommit(project.getId(), branch, "Agent work on " + branch, startBranch, null,
                null, List.of(change));
    }

    /** An epic of the group: a group-level thread with no project of its own. */
    Epic epic(String title) throws GitLabApiException {
        return root.getEpicsApi().createEpic(group.getId(), title, null, "Seeded by the result-publisher tests.",
                null, null);
    }

    String defaultBranch() {
        return project.getDefaultBranch() == null ? "main" : project.getDefaultBranch();
    }

    /** A GitLab client acting as the service account, as result-publisher does. */
    GitLabApi asServiceAccount() {
        return new GitLabApi(GitlabSimTestResource.url(), serviceAccountToken);
    }

    private static User user(GitLabApi root, String username, String name) throws GitLabApiException {
        User user = new User().withUsername(username).withName(name).withEmail(username + "@example.com")
                .withSkipConfirmation(true);
        return root.getUserApi().createUser(user, "Secret-" + username + "-123", false);
    }
}
