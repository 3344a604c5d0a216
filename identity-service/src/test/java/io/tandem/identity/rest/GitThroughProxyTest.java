package io.tandem.identity.rest;

import static io.tandem.identity.support.InternalApi.internal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.tandem.events.InvocationRequested;
import io.tandem.events.Topics;
import io.tandem.identity.support.GitlabWorld;
import io.tandem.identity.support.InternalApi;
import io.tandem.identity.support.Invocations;
import io.tandem.identity.support.TopicReader;
import io.tandem.identity.support.TopicReader.Received;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gitlab4j.api.models.Branch;
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
        try (TopicReader authorized = new TopicReader(Topics.INVOCATIONS_AUTHORIZED)) {
            Invocations.publish(request);
            authorized.await(Received.invocation(invocationId), 1);
        }
        String token = internal().post("/internal/v1/invocations/" + invocationId + "/run-token")
                .then().statusCode(200).extract().path("token");

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

    private static Result git(Path home, Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Agent", "-c", "user.email=agent@example.com",
                "-c", "init.defaultBranch=main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("HOME", home.toString());
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "timed out");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private record Result(int code, String output) {
    }
}
