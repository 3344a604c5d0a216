package io.tandem.identity.rest;

import static io.restassured.RestAssured.given;
import static io.tandem.identity.support.InternalApi.internal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tandem.events.InvocationRequested;
import io.tandem.events.RunState;
import io.tandem.events.Topics;
import io.tandem.identity.service.SigningKeyManager;
import io.tandem.identity.support.GitlabWorld;
import io.tandem.identity.support.InternalApi;
import io.tandem.identity.support.Invocations;
import io.tandem.identity.support.Runs;
import io.tandem.testsupport.TopicReader;
import io.tandem.testsupport.TopicReader.Received;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.net.URLEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.ProjectHook;
import org.gitlab4j.api.models.User;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The GitLab proxy against the simulator: composite roles, project and branch limits, revocation, forged tokens. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitlabProxyTest {

    private GitlabWorld world;
    private long serviceAccountId;
    private String serviceAccountUsername;
    private Project otherProject;
    private Issue issue;
    private TopicReader audit;

    @Inject
    SigningKeyManager signingKeys;

    /** Once per class, but in the first test's setup: RestAssured knows the app's port only then. */
    @BeforeEach
    void enableTheAgent() throws GitLabApiException {
        if (audit != null) {
            return;
        }
        world = GitlabWorld.get();
        Map<String, Object> account = InternalApi.ensureServiceAccount(world.group.getId(), "Proxy Agent");
        serviceAccountId = ((Number) account.get("id")).longValue();
        serviceAccountUsername = (String) account.get("username");
        otherProject = world.root.getProjectApi().createProject(world.group.getId(), "other-" + world.suffix);
        for (Project project : List.of(world.project, otherProject)) {
            internal().put("/internal/v1/service-accounts/" + serviceAccountId + "/projects/" + project.getId())
                    .then().statusCode(204);
        }
        issue = world.root.getIssuesApi().createIssue(world.project.getId(), "Proxy issue", "for the proxy");
        audit = new TopicReader(Topics.AUDIT);
    }

    @AfterAll
    void close() {
        if (audit != null) {
            audit.close();
        }
    }

    @Test
    void aDevelopersRunCommentsAndCommitsToItsWorkloadsBranchAsTheServiceAccount() {
        Run run = run(world.developer, serviceAccountId, serviceAccountUsername);

        Response note = as(run.token(), "PRIVATE-TOKEN").contentType(ContentType.JSON)
                .body(Map.of("body", "Looking into it"))
                .post(projectApi(world.project.getId()) + "/issues/" + issue.getIid() + "/notes");
        assertEquals(201, note.statusCode(), note.asString());
        assertEquals(serviceAccountUsername, note.jsonPath().getString("author.username"));

        // The project named by its path, the token as a bearer token.
        Response commit = as(run.token(), "Bearer").contentType(ContentType.JSON)
                .body(commit("workloads/" + run.id(), "notes/hello.txt"))
                .post(projectApi(world.project.getPathWithNamespace()) + "/repository/commits");
        assertEquals(201, commit.statusCode(), commit.asString());

        Response branch = as(run.token(), "basic")
                .get(projectApi(world.project.getId()) + "/repository/branches/"
                        + URLEncoder.encode("workloads/" + run.id(), StandardCharsets.UTF_8));
        assertEquals(200, branch.statusCode(), branch.asString());
        assertEquals(commit.jsonPath().getString("id"), branch.jsonPath().getString("commit.id"));

        Received write = audit.await(r -> run.id().equals(r.value().path("invocationId").asText())
                && "proxy.write".equals(r.value().path("type").asText())
                && r.value().at("/data/path").asText().endsWith("/repository/commits"), 1).get(0);
        assertEquals(world.developer.getUsername(), write.value().path("actor").asText());
        assertEquals(serviceAccountUsername, write.value().path("serviceAccount").asText());
        assertEquals("POST", write.value().at("/data/method").asText());
        assertEquals("201", write.value().at("/data/status").asText());
        assertFalse(write.value().toString().contains(run.token()), "no token in the audit event");
    }

    @Test
    void readsKeepGitlabsStatusAndPaginationHeaders() {
        Run run = run(world.developer, serviceAccountId, serviceAccountUsername);
        Response notes = as(run.token(), "PRIVATE-TOKEN").queryParam("per_page", 1)
                .get(projectApi(world.project.getId()) + "/issues");
        assertEquals(200, notes.statusCode());
        assertNotNull(notes.header("X-Total"), "pagination headers come through");
        assertEquals("1", notes.header("X-Per-Page"));

        Response missing = as(run.token(), "PRIVATE-TOKEN").get(projectApi(world.project.getId()) + "/issues/99999");
        assertEquals(404, missing.statusCode(), "GitLab's own status comes through");
    }

    @Test
    void theTokenCannotWriteTheDefaultBranchNorCiConfigurationNorMerge() {
        Run run = run(world.developer, serviceAccountId, serviceAccountUsername);
        String api = projectApi(world.project.getId());

        Response toMain = as(run.token(), "PRIVATE-TOKEN").contentType(ContentType.JSON)
                .body(commit("main", "direct.txt")).post(api + "/repository/commits");
        assertEquals(403, toMain.statusCode(), toMain.asString());

        Response ciFile = as(run.token(), "PRIVATE-TOKEN").contentType(ContentType.JSON)
                .body(commit("workloads/" + run.id(), ".gitlab-ci.yml")).post(api + "/repository/commits");
        assertEquals(403, ciFile.statusCode(), ciFile.asString());

        Response formToMain = as(run.token(), "PRIVATE-TOKEN").contentType(ContentType.URLENC)
                .formParam("branch", "main").formParam("content", "x").formParam("commit_message", "m")
                .post(api + "/repository/files/" + URLEncoder.encode("docs/a.txt", StandardCharsets.UTF_8));
        assertEquals(403, formToMain.statusCode(), formToMain.asString());

        Response deleteMain = as(run.token(), "PRIVATE-TOKEN").delete(api + "/repository/branches/main");
        assertEquals(403, deleteMain.statusCode());

        Response tag = as(run.token(), "PRIVATE-TOKEN").queryParam("tag_name", "v1").queryParam("ref", "main")
                .post(api + "/repository/tags");
        assertEquals(403, tag.statusCode());

        Response main = as(run.token(), "PRIVATE-TOKEN").get(api + "/repository/branches/main");
        assertEquals(200, main.statusCode());
        Response mainCommits = as(run.token(), "PRIVATE-TOKEN").queryParam("ref_name", "main")
                .get(api + "/repository/commits");
        assertFalse(mainCommits.asString().contains("by the proxy test"), "main was not written");
    }

    @Test
    void theTokenCannotTouchAnotherProjectOrGroupEvenWhereTheServiceAccountCould() {
        Run run = run(world.developer, serviceAccountId, serviceAccountUsername);
        for (String other : List.of(projectApi(otherProject.getId()), projectApi(otherProject.getPathWithNamespace()))) {
            assertEquals(403, as(run.token(), "PRIVATE-TOKEN").get(other).statusCode());
            assertEquals(403, as(run.token(), "PRIVATE-TOKEN").contentType(ContentType.JSON)
                    .body(Map.of("title", "x")).post(other + "/issues").statusCode());
        }
        assertEquals(403, as(run.token(), "PRIVATE-TOKEN").get("/api/v4/groups/" + world.group.getId()).statusCode());
        assertEquals(403, as(run.token(), "PRIVATE-TOKEN").get("/api/v4/projects").statusCode());
        assertEquals(403, as(run.token(), "PRIVATE-TOKEN")
                .get(projectApi(world.project.getId()) + "/../" + otherProject.getId()).statusCode());
        Response self = as(run.token(), "PRIVATE-TOKEN").get("/api/v4/user");
        assertEquals(200, self.statusCode());
        assertEquals(serviceAccountUsername, self.jsonPath().getString("username"));
    }

    @Test
    void anEpicRunsTokenIsScopedToTheProjectItRunsInAndNothingElse() throws Exception {
        InvocationRequested request = Invocations.epicMention(world, world.developer, serviceAccountId,
                serviceAccountUsername);
        Run run = authorized(request);

        JwtClaims claims = new JwtConsumerBuilder().setSkipSignatureVerification().setSkipAllValidators().build()
                .processToClaims(run.token());
        assertEquals(world.project.getId().longValue(), ((Number) claims.getClaimValue("project_id")).longValue());
        assertEquals(world.project.getPathWithNamespace(), claims.getStringClaimValue("project_path"));

        Response note = as(run.token(), "PRIVATE-TOKEN").contentType(ContentType.JSON)
                .body(Map.of("body", "from the epic's run"))
                .post(projectApi(world.project.getId()) + "/issues/" + issue.getIid() + "/notes");
        assertEquals(201, note.statusCode(), note.asString());
        Response commit = as(run.token(), "Bearer").contentType(ContentType.JSON)
                .body(commit("workloads/" + run.id(), "notes/epic.txt"))
                .post(projectApi(world.project.getPathWithNamespace()) + "/repository/commits");
        assertEquals(201, commit.statusCode(), commit.asString());

        // Not the epic's group (where the thread is), not the group's other project.
        assertEquals(403, as(run.token(), "PRIVATE-TOKEN").get("/api/v4/groups/" + world.group.getId()
                + "/epics/3/notes").statusCode());
        assertEquals(403, as(run.token(), "PRIVATE-TOKEN").get(projectApi(otherProject.getId())).statusCode());
        assertEquals(403, as(run.token(), "basic").queryParam("service", "git-upload-pack")
                .get("/" + otherProject.getPathWithNamespace() + ".git/info/refs").statusCode());

        Received write = audit.await(r -> run.id().equals(r.value().path("invocationId").asText())
                && "proxy.write".equals(r.value().path("type").asText()), 1).get(0);
        assertEquals(world.project.getId().longValue(), write.value().path("projectId").asLong());
    }

    @Test
    void theTokenIsRefusedOnceTheRunHasEnded() {
        Run run = run(world.developer, serviceAccountId, serviceAccountUsername);
        String issues = projectApi(world.project.getId()) + "/issues";
        assertEquals(200, as(run.token(), "PRIVATE-TOKEN").get(issues).statusCode());

        Invocations.publishStatus(run.request(), RunState.RUNNING);
        Invocations.publishStatus(run.request(), RunState.SUCCEEDED);

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> as(run.token(), "PRIVATE-TOKEN").get(issues).statusCode() == 401);
        assertEquals(401, as(run.token(), "Bearer").contentType(ContentType.JSON).body(Map.of("body", "late"))
                .post(issues + "/" + issue.getIid() + "/notes").statusCode());
    }

    @Test
    void aHumanDemotedToReporterCanNoLongerWriteThoughTheServiceAccountCould() throws GitLabApiException {
        User human = world.newUser("demoted-" + System.nanoTime() % 100000);
        world.root.getProjectApi().addMember(world.project.getId(), human.getId(), AccessLevel.DEVELOPER);
        Run run = run(human, serviceAccountId, serviceAccountUsername);
        String notes = projectApi(world.project.getId()) + "/issues/" + issue.getIid() + "/notes";
        assertEquals(201, as(run.token(), "PRIVATE-TOKEN").contentType(ContentType.JSON)
                .body(Map.of("body", "while a Developer")).post(notes).statusCode());

        world.root.getProjectApi().updateMember(world.project.getId(), human.getId(), AccessLevel.REPORTER);

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> as(run.token(), "PRIVATE-TOKEN").contentType(ContentType.JSON)
                        .body(Map.of("body", "as a Reporter")).post(notes).statusCode() == 403);
        Response refused = as(run.token(), "PRIVATE-TOKEN").contentType(ContentType.JSON)
                .body(commit("workloads/" + run.id(), "after-demotion.txt"))
                .post(projectApi(world.project.getId()) + "/repository/commits");
        assertEquals(403, refused.statusCode());
        assertTrue(refused.jsonPath().getString("message").contains("Reporter"), refused.asString());
        assertEquals(200, as(run.token(), "PRIVATE-TOKEN").get(notes).statusCode(), "reads still work");
    }

    @Test
    void aServiceAccountRaisedToMaintainerStillActsAsTheDeveloperHuman() throws GitLabApiException {
        Map<String, Object> account = InternalApi.ensureServiceAccount(world.group.getId(), "Maintainer Agent");
        long maintainerId = ((Number) account.get("id")).longValue();
        String maintainerUsername = (String) account.get("username");
        world.root.getProjectApi().addMember(world.project.getId(), maintainerId, AccessLevel.MAINTAINER);
        Run run = run(world.developer, maintainerId, maintainerUsername);

        Response hook = as(run.token(), "PRIVATE-TOKEN").contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/hook", "push_events", true))
                .post(projectApi(world.project.getId()) + "/hooks");
        assertEquals(403, hook.statusCode(), hook.asString());
        assertTrue(hook.jsonPath().getString("message").contains("Maintainer"), hook.asString());

        // The service account on its own could: the refusal is the composite identity's, not GitLab's.
        String ownToken = internal().post("/internal/v1/service-accounts/" + maintainerId + "/gitlab-token")
                .then().statusCode(200).extract().path("token");
        try (GitLabApi asServiceAccount = new GitLabApi(GitlabSimTestResource.url(), ownToken)) {
            ProjectHook created = asServiceAccount.getProjectApi().addHook(world.project.getId(),
                    "http://127.0.0.1:9/direct", new ProjectHook().withPushEvents(true), false, null);
            assertNotNull(created.getId());
        }
    }

    @Test
    void forgedReSignedOrTamperedTokensAreRefused() throws Exception {
        Run run = run(world.developer, serviceAccountId, serviceAccountUsername);
        String issues = projectApi(world.project.getId()) + "/issues";
        String[] parts = run.token().split("\\.");
        JwtClaims claims = new JwtConsumerBuilder().setSkipSignatureVerification().setSkipAllValidators().build()
                .processToClaims(run.token());
        String kid = new io.restassured.path.json.JsonPath(new String(Base64.getUrlDecoder().decode(parts[0])))
                .getString("kid");

        // Same claims and kid, signed with a key that is not Tandem's.
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        JsonWebSignature resigned = new JsonWebSignature();
        resigned.setPayload(claims.toJson());
        resigned.setKeyIdHeaderValue(kid);
        resigned.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        resigned.setKey(generator.generateKeyPair().getPrivate());
        String forged = resigned.getCompactSerialization();

        // Tandem's signature over a payload widened to the default branch.
        claims.setStringListClaim("branches", List.of("main", "workloads/" + run.id()));
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.toJson().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        // No signature at all.
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"alg\":\"none\",\"kid\":\"" + kid + "\"}").getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";

        for (String token : List.of(forged, tampered, unsigned, "glpat-not-a-run-token")) {
            assertEquals(401, as(token, "PRIVATE-TOKEN").get(issues).statusCode());
        }
        assertEquals(401, given().get(issues).statusCode(), "no token at all");
        assertEquals(200, as(run.token(), "PRIVATE-TOKEN").get(issues).statusCode(), "the real one works");
    }

    @Test
    void aGenuineTokenIsRefusedOnceItHasExpiredEvenWhileTheRunGoesOn() throws Exception {
        Run run = run(world.developer, serviceAccountId, serviceAccountUsername);
        String issues = projectApi(world.project.getId()) + "/issues";
        JwtClaims claims = new JwtConsumerBuilder().setSkipSignatureVerification().setSkipAllValidators().build()
                .processToClaims(run.token());
        // Tandem's own key over the same claims, issued three hours ago and expired an hour ago (beyond the skew).
        long now = System.currentTimeMillis() / 1000;
        claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromSeconds(now - 3 * 3600));
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(now - 3600));
        JsonWebSignature expired = new JsonWebSignature();
        expired.setPayload(claims.toJson());
        expired.setKeyIdHeaderValue(signingKeys.active().kid());
        expired.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        expired.setKey(signingKeys.active().privateKey());

        assertEquals(200, as(run.token(), "PRIVATE-TOKEN").get(issues).statusCode(), "the run has not ended");
        assertEquals(401, as(expired.getCompactSerialization(), "PRIVATE-TOKEN").get(issues).statusCode());
    }

    @Test
    void aPushToAnotherRefIsRefusedBeforeItReachesGitlab() {
        Run run = run(world.developer, serviceAccountId, serviceAccountUsername);
        String receivePack = "/" + world.project.getPathWithNamespace() + ".git/git-receive-pack";
        String zero = "0".repeat(40);
        String one = "1".repeat(40);
        for (String ref : List.of("refs/heads/main", "refs/tags/v1", "refs/heads/workloads/someone-else")) {
            byte[] body = pktLines(zero + " " + one + " " + ref + "\0report-status side-band-64k");
            Response refused = as(run.token(), "basic").contentType("application/x-git-receive-pack-request")
                    .body(body).post(receivePack);
            assertEquals(403, refused.statusCode(), ref);
            assertTrue(refused.asString().contains(ref), refused.asString());
        }
        Response otherRepository = as(run.token(), "basic").queryParam("service", "git-upload-pack")
                .get("/" + otherProject.getPathWithNamespace() + ".git/info/refs");
        assertEquals(403, otherRepository.statusCode());
        Response noCredentials = given().queryParam("service", "git-upload-pack")
                .get("/" + world.project.getPathWithNamespace() + ".git/info/refs");
        assertEquals(401, noCredentials.statusCode());
        assertNotNull(noCredentials.header("WWW-Authenticate"), "git asks for credentials on a 401 with a challenge");
    }

    @Test
    void neitherTheRunTokenNorTheServiceAccountTokenReachesTheLogOrKafka() throws Exception {
        Run run = run(world.developer, serviceAccountId, serviceAccountUsername);
        // A managed run: its AI gateway token is a secret too, and the proxy must refuse it (another audience).
        Run managed = authorized(Invocations.withGatewayToken(Invocations.mention(world, world.developer,
                serviceAccountId, serviceAccountUsername, true)));
        String gatewayToken = internal().post("/internal/v1/invocations/" + managed.id() + "/run-token")
                .then().statusCode(200).extract().path("gateway.token");
        assertEquals(401, as(gatewayToken, "PRIVATE-TOKEN").get(projectApi(world.project.getId()) + "/issues")
                .statusCode());
        String accountToken = internal().post("/internal/v1/service-accounts/" + serviceAccountId + "/gitlab-token")
                .then().statusCode(200).extract().path("token");
        String api = projectApi(world.project.getId());
        assertEquals(201, as(run.token(), "PRIVATE-TOKEN").contentType(ContentType.JSON)
                .body(Map.of("body", "secret check")).post(api + "/issues/" + issue.getIid() + "/notes").statusCode());
        assertEquals(403, as(run.token(), "Bearer").contentType(ContentType.JSON).body(commit("main", "x.txt"))
                .post(api + "/repository/commits").statusCode());
        assertEquals(200, given().urlEncodingEnabled(false).queryParam("private_token", run.token())
                .header("PRIVATE-TOKEN", run.token()).get(api + "/issues").statusCode());
        audit.await(r -> run.id().equals(r.value().path("invocationId").asText())
                && "proxy.write".equals(r.value().path("type").asText()), 1);

        String signature = run.token().substring(run.token().lastIndexOf('.') + 1);
        String gatewaySignature = gatewayToken.substring(gatewayToken.lastIndexOf('.') + 1);
        List<String> secrets = List.of(run.token(), signature, accountToken, managed.token(), gatewayToken,
                gatewaySignature);
        String log = Files.readString(Path.of("target/identity-service-test.log"));
        assertTrue(log.contains("identity-service"), "the log file is the app's");
        List<String> records = new ArrayList<>();
        // Everything identity-service publishes: its audit events and its decisions.
        for (String topic : List.of(Topics.AUDIT, Topics.INVOCATIONS_AUTHORIZED)) {
            try (TopicReader reader = new TopicReader(topic)) {
                reader.await(Received.invocation(run.id()), 1);
                reader.drain(r -> true).forEach(r -> records.add(r.key() + " " + r.value()));
            }
        }
        assertTrue(records.stream().anyMatch(r -> r.contains(run.id())), "the run's records were read");
        for (String secret : secrets) {
            assertFalse(log.contains(secret), "a secret in the log");
            assertTrue(records.stream().noneMatch(r -> r.contains(secret)), "a secret in a Kafka record");
        }
    }

    private static byte[] pktLines(String... lines) {
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            out.append(String.format("%04x", bytes.length + 4)).append(line);
        }
        return out.append("0000").append("PACK-not-read").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> commit(String branch, String file) {
        return Map.of("branch", branch, "start_branch", "main", "commit_message", "by the proxy test",
                "actions", List.of(Map.of("action", "create", "file_path", file, "content", "hello")));
    }

    private static String projectApi(Object idOrPath) {
        return "/api/v4/projects/" + URLEncoder.encode(String.valueOf(idOrPath), StandardCharsets.UTF_8);
    }

    private static RequestSpecification as(String token, String how) {
        return switch (how) {
            case "PRIVATE-TOKEN" -> given().urlEncodingEnabled(false).header("PRIVATE-TOKEN", token);
            case "Bearer" -> given().urlEncodingEnabled(false).header("Authorization", "Bearer " + token);
            default -> given().urlEncodingEnabled(false).auth().preemptive().basic("oauth2", token);
        };
    }

    /** An authorized run of the agent for {@code human} in the world's project, and its run token. */
    private Run run(User human, long accountId, String accountUsername) {
        return authorized(Invocations.mention(world, human, accountId, accountUsername, true));
    }

    private Run authorized(InvocationRequested request) {
        Runs.Run run = Runs.authorized(request);
        return new Run(run.id(), run.token(), request);
    }

    private record Run(String id, String token, InvocationRequested request) {
    }
}
