package io.tandem.sim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.GroupParams;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.ProjectHook;
import org.gitlab4j.api.models.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Git over smart HTTP with the stock git client: clone, push, permissions, and the Push Hook. */
@QuarkusTest
class GitHttpTest {

    @TestHTTPResource("/")
    URL url;

    @TempDir
    Path tmp;

    record Git(int exit, String output) {
    }

    @Test
    void cloneAndPushWithTokensAsPasswords() throws Exception {
        SimClient sim = new SimClient(url);
        GitLabApi root = sim.root();
        String path = SimClient.unique("git");
        Group group = root.getGroupApi().createGroup(new GroupParams().withName(path).withPath(path));
        Project project = root.getProjectApi().createProject(group.getId(), "code");
        User developer = SeedingTest.createUser(root, SimClient.unique("dev"));
        User reporter = SeedingTest.createUser(root, SimClient.unique("rep"));
        root.getProjectApi().addMember(project.getId(), developer.getId(), AccessLevel.DEVELOPER);
        root.getProjectApi().addMember(project.getId(), reporter.getId(), AccessLevel.REPORTER);
        String devToken = SeedingTest.token(root, developer);
        String repToken = SeedingTest.token(root, reporter);
        String repo = "/" + path + "/code.git";

        try (WebhookReceiver receiver = new WebhookReceiver()) {
            root.getProjectApi().addHook(project.getId(), receiver.url(), new ProjectHook().withPushEvents(true), false, null);

            Path work = tmp.resolve("work");
            Git clone = git(tmp, "clone", remote("oauth2", devToken, repo), work.toString());
            assertEquals(0, clone.exit(), clone.output());
            assertTrue(Files.readString(work.resolve("README.md")).startsWith("# code"));

            Files.writeString(work.resolve("answer.txt"), "42\n");
            assertEquals(0, git(work, "add", "answer.txt").exit());
            assertEquals(0, git(work, "commit", "-m", "Add the answer").exit());
            Git push = git(work, "push", "origin", "HEAD:refs/heads/workloads/run-1");
            assertEquals(0, push.exit(), push.output());

            String head = git(work, "rev-parse", "HEAD").output().trim();
            assertEquals(head, root.getRepositoryApi().getBranch(project.getId(), "workloads/run-1").getCommit().getId());
            assertEquals("42\n", root.getRepositoryFileApi().getFile(project.getId(), "answer.txt", "workloads/run-1")
                    .getDecodedContentAsString());

            await().atMost(Duration.ofSeconds(20)).until(() -> !receiver.events("Push Hook").isEmpty());
            JsonNode hook = receiver.events("Push Hook").get(0).json();
            assertEquals("refs/heads/workloads/run-1", hook.get("ref").asText());
            assertEquals("0000000000000000000000000000000000000000", hook.get("before").asText());
            assertEquals(head, hook.get("after").asText());
            assertEquals(developer.getId().longValue(), hook.get("user_id").asLong());
            assertEquals(1, hook.get("total_commits_count").asInt());
            assertEquals("Add the answer", hook.get("commits").get(0).get("title").asText());

            // a Reporter may fetch but not push
            Path reporterWork = tmp.resolve("reporter");
            assertEquals(0, git(tmp, "clone", remote("any", repToken, repo), reporterWork.toString()).exit());
            Files.writeString(reporterWork.resolve("x.txt"), "x\n");
            git(reporterWork, "add", "x.txt");
            git(reporterWork, "commit", "-m", "sneaky");
            Git refused = git(reporterWork, "push", "origin", "HEAD:refs/heads/main");
            assertNotEquals(0, refused.exit());
            assertTrue(refused.output().contains("403") || refused.output().contains("not allowed"), refused.output());
            assertNotEquals(git(reporterWork, "rev-parse", "HEAD").output().trim(),
                    root.getRepositoryApi().getBranch(project.getId(), "main").getCommit().getId());

            // a wrong token or none: refused (private project)
            assertNotEquals(0, git(tmp, "clone", remote("oauth2", "wrong", repo), tmp.resolve("bad").toString()).exit());
            assertNotEquals(0, git(tmp, "ls-remote", sim.base() + repo).exit());
        }
    }

    private String remote(String user, String token, String repo) {
        return url.toString().replaceFirst("^http://", "http://" + user + ":" + token + "@").replaceAll("/$", "") + repo;
    }

    private Git git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Dev", "-c", "user.email=dev@example.com",
                "-c", "init.defaultBranch=main", "-c", "credential.helper="));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().put("HOME", tmp.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("git timed out: " + output);
        }
        return new Git(process.exitValue(), output);
    }
}
