package io.tandem.identity.rest;

import static io.tandem.identity.support.GitCli.git;
import static io.tandem.identity.support.InternalApi.internal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.tandem.events.InvocationRequested;
import io.tandem.identity.support.GitCli.Result;
import io.tandem.identity.support.GitlabWorld;
import io.tandem.identity.support.InternalApi;
import io.tandem.identity.support.Invocations;
import io.tandem.identity.support.Runs;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.Branch;
import org.gitlab4j.api.models.CommitAction;
import org.gitlab4j.api.models.Project;
import org.junit.jupiter.api.Test;

/** The stock git client cloning and pushing through the proxy, against the simulator's smart HTTP. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
class GitThroughProxyTest {

    @Test
    void cloneAndPushToTheWorkloadsBranchWorkButNotToTheDefaultBranch() throws Exception {
        GitlabWorld world = GitlabWorld.get();
        Map<String, Object> account = InternalApi.ensureServiceAccount(world.group.getId(), "Git Agent");
        long accountId = ((Number) account.get("id")).longValue();
        internal().put("/internal/v1/service-accounts/" + accountId + "/projects/" + world.project.getId())
                .then().statusCode(204);
        InvocationRequested request = Invocations.mention(world, world.developer, accountId,
                (String) account.get("username"), true);
        String invocationId = request.invocation().invocationId();
        String token = runToken(request);

        Path home = Files.createTempDirectory("git-home");
        Path work = home.resolve("app");
        String url = "http://oauth2:" + token + "@127.0.0.1:" + RestAssured.port + "/"
                + world.project.getPathWithNamespace() + ".git";

        Result clone = git(home, home, "clone", url, work.toString());
        assertEquals(0, clone.code(), clone.output());
        assertTrue(Files.exists(work.resolve("README.md")), "the clone has the project's files");

        Files.writeString(work.resolve("agent.txt"), "written by the agent\n");
        assertEquals(0, git(home, work, "add", "agent.txt").code());
        assertEquals(0, git(home, work, "commit", "-m", "agent change").code());
        String branch = "workloads/" + invocationId;
        Result push = git(home, work, "push", "origin", "HEAD:refs/heads/" + branch);
        assertEquals(0, push.code(), push.output());
        Branch pushed = world.root.getRepositoryApi().getBranch(world.project.getId(), branch);
        assertEquals(git(home, work, "rev-parse", "HEAD").output().strip(), pushed.getCommit().getId());

        Result toMain = git(home, work, "push", "origin", "HEAD:refs/heads/main");
        assertNotEquals(0, toMain.code(), toMain.output());
        assertTrue(toMain.output().contains("403"), "refused by the proxy: " + toMain.output());
        assertNotEquals(pushed.getCommit().getId(),
                world.root.getRepositoryApi().getBranch(world.project.getId(), "main").getCommit().getId());
        assertTrue(!toMain.output().contains(token), "git does not echo the token back");
    }

    @Test
    void aPushChangingCiConfigurationIsRefusedUnlessTheDefinitionAllowsIt() throws Exception {
        GitlabWorld world = GitlabWorld.get();
        Project project = world.root.getProjectApi().createProject(world.group.getId(), "ci-" + world.suffix);
        world.root.getProjectApi().addMember(project.getId(), world.developer.getId(), AccessLevel.DEVELOPER);
        String oldCi = "stages: [test]\nold-job:\n  script: [echo old]\n";
        commitOnMain(world, project, ".gitlab-ci.yml", oldCi, CommitAction.Action.CREATE);
        commitOnMain(world, project, ".gitlab-ci.yml", "stages: [test]\njob:\n  script: [echo current]\n",
                CommitAction.Action.UPDATE);
        Map<String, Object> account = InternalApi.ensureServiceAccount(world.group.getId(), "Git Agent");
        long accountId = ((Number) account.get("id")).longValue();
        internal().put("/internal/v1/service-accounts/" + accountId + "/projects/" + project.getId())
                .then().statusCode(204);
        InvocationRequested request = Invocations.mentionIn(project.getId(), project.getPathWithNamespace(), 1,
                world.developer, true, accountId, (String) account.get("username"));
        String token = runToken(request);
        String branch = "workloads/" + request.invocation().invocationId();

        Path home = Files.createTempDirectory("git-home");
        Path work = home.resolve("ci");
        Result clone = git(home, home, "clone", url(token, project), work.toString());
        assertEquals(0, clone.code(), clone.output());

        // Other files only, to a new branch (compared with main), then to the existing branch: accepted.
        commitFile(home, work, "src/app.txt", "app\n");
        Result created = git(home, work, "push", "origin", "HEAD:refs/heads/" + branch);
        assertEquals(0, created.code(), created.output());
        commitFile(home, work, "README.md", "changed by the agent\n");
        Result updated = git(home, work, "push", "origin", "HEAD:refs/heads/" + branch);
        assertEquals(0, updated.code(), updated.output());
        String accepted = git(home, work, "rev-parse", "HEAD").output().strip();
        assertEquals(accepted, head(world, project, branch));

        // A changed .gitlab-ci.yml, a new .gitlab/ci/x.yml, and .gitlab-ci.yml back at an older content (its
        // blob is in GitLab already, so not in the pack): each refused, with the reason shown by git.
        List<Runnable> ciChanges = List.of(
                () -> commitFile(home, work, ".gitlab-ci.yml", "stages: [test]\nleak:\n  script: [env]\n"),
                () -> commitFile(home, work, ".gitlab/ci/x.yml", "leak:\n  script: [env]\n"),
                () -> {
                    try {
                        git(home, work, "checkout", git(home, work, "rev-list", "--all", "--", ".gitlab-ci.yml")
                                .output().lines().reduce((first, last) -> last).orElseThrow(), "--", ".gitlab-ci.yml");
                        assertEquals(0, git(home, work, "commit", "-m", "revert CI").code());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        for (Runnable change : ciChanges) {
            assertEquals(0, git(home, work, "reset", "--hard", accepted).code());
            change.run();
            Result refused = git(home, work, "push", "origin", "HEAD:refs/heads/" + branch);
            assertNotEquals(0, refused.code(), refused.output());
            assertTrue(refused.output().contains("does not allow changes to CI configuration"), refused.output());
            assertEquals(accepted, head(world, project, branch), "the branch is unchanged in GitLab");
        }
        assertTrue(oldCi.equals(Files.readString(work.resolve(".gitlab-ci.yml"))), "the last one was the revert");

        // Allowed by the definition: the same kind of change goes through, by git and by the commits API.
        InvocationRequested allowed = Invocations.allowingCiChanges(Invocations.mentionIn(project.getId(),
                project.getPathWithNamespace(), 2, world.developer, true, accountId, (String) account.get("username")));
        String allowedToken = runToken(allowed);
        String allowedBranch = "workloads/" + allowed.invocation().invocationId();
        git(home, work, "remote", "set-url", "origin", url(allowedToken, project));
        assertEquals(0, git(home, work, "reset", "--hard", accepted).code());
        commitFile(home, work, ".gitlab-ci.yml", "stages: [test]\nallowed:\n  script: [echo allowed]\n");
        Result pushed = git(home, work, "push", "origin", "HEAD:refs/heads/" + allowedBranch);
        assertEquals(0, pushed.code(), pushed.output());
        assertEquals(git(home, work, "rev-parse", "HEAD").output().strip(), head(world, project, allowedBranch));

        Map<String, Object> ciCommit = Map.of("branch", allowedBranch, "commit_message", "CI by the API",
                "actions", List.of(Map.of("action", "update", "file_path", ".gitlab-ci.yml", "content", "x: 1\n")));
        String commits = "/api/v4/projects/" + project.getId() + "/repository/commits";
        assertEquals(201, RestAssured.given().header("PRIVATE-TOKEN", allowedToken).contentType(ContentType.JSON)
                .body(ciCommit).post(commits).statusCode());
        assertEquals(403, RestAssured.given().header("PRIVATE-TOKEN", token).contentType(ContentType.JSON)
                .body(Map.of("branch", branch, "commit_message", "CI by the API", "actions", ciCommit.get("actions")))
                .post(commits).statusCode());
    }

    private static String runToken(InvocationRequested request) {
        return Runs.authorized(request).token();
    }

    private static String url(String token, Project project) {
        return "http://oauth2:" + token + "@127.0.0.1:" + RestAssured.port + "/" + project.getPathWithNamespace()
                + ".git";
    }

    private static String head(GitlabWorld world, Project project, String branch) throws GitLabApiException {
        return world.root.getRepositoryApi().getBranch(project.getId(), branch).getCommit().getId();
    }

    private static void commitOnMain(GitlabWorld world, Project project, String file, String content,
            CommitAction.Action action) throws GitLabApiException {
        world.root.getCommitsApi().createCommit(project.getId(), "main", "CI " + action, null, null, null,
                List.of(new CommitAction().withAction(action).withFilePath(file).withContent(content)));
    }

    private static void commitFile(Path home, Path work, String file, String content) {
        try {
            Files.createDirectories(work.resolve(file).getParent());
            Files.writeString(work.resolve(file), content);
            assertEquals(0, git(home, work, "add", file).code());
            Result commit = git(home, work, "commit", "-m", "change " + file);
            assertEquals(0, commit.code(), commit.output());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
