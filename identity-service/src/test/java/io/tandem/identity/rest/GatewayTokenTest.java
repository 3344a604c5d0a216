package io.tandem.identity.rest;

import static io.restassured.RestAssured.given;
import static io.tandem.identity.support.InternalApi.internal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tandem.events.InvocationRequested;
import io.tandem.events.Topics;
import io.tandem.identity.rest.RunTokenResource.GatewayView;
import io.tandem.identity.rest.RunTokenResource.RunTokenView;
import io.tandem.identity.support.GitlabWorld;
import io.tandem.identity.support.InternalApi;
import io.tandem.identity.support.Invocations;
import io.tandem.testsupport.TopicReader;
import io.tandem.testsupport.TopicReader.Received;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The run's AI gateway token, minted with the run token for a definition with {@code injectGatewayToken}. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayTokenTest {

    /** The spec's default allow-list (docs/services/identity-service.md), which the ai-gateway also assumes. */
    private static final List<String> ANTHROPIC = List.of("claude-3-sonnet-20240229", "claude-3-5-sonnet-20240620",
            "claude-3-haiku-20240307", "claude-3-5-haiku-20241022", "claude-3-5-sonnet-20241022",
            "claude-3-7-sonnet-20250219", "claude-sonnet-4-20250514", "claude-sonnet-4-5-20250929");
    private static final List<String> OPENAI = List.of("gpt-5", "gpt-5-codex");

    private GitlabWorld world;
    private long serviceAccountId;
    private String serviceAccountUsername;
    private TopicReader audit;

    /** Once per class, but in the first test's setup: RestAssured knows the app's port only then. */
    @BeforeEach
    void enableTheAgentInTheProject() {
        if (audit != null) {
            return;
        }
        world = GitlabWorld.get();
        Map<String, Object> account = InternalApi.ensureServiceAccount(world.group.getId(), "Gateway Agent");
        serviceAccountId = ((Number) account.get("id")).longValue();
        serviceAccountUsername = (String) account.get("username");
        internal().put("/internal/v1/service-accounts/" + serviceAccountId + "/projects/" + world.project.getId())
                .then().statusCode(204);
        audit = new TopicReader(Topics.AUDIT);
    }

    @AfterAll
    void close() {
        if (audit != null) {
            audit.close();
        }
    }

    @Test
    void aManagedDefinitionGetsAGatewayTokenForTheGatewayOnly() throws Exception {
        String invocationId = authorized(Invocations.withGatewayToken(Invocations.mention(world, world.developer,
                serviceAccountId, serviceAccountUsername, true)));

        JsonPath answer = internal().post("/internal/v1/invocations/" + invocationId + "/run-token")
                .then().statusCode(200).extract().jsonPath();
        String runToken = answer.getString("token");
        String gatewayToken = answer.getString("gateway.token");
        assertEquals("X-Tandem-Run-Id: " + invocationId + "\nX-Tandem-Project-Id: " + world.project.getId(),
                answer.getString("gateway.headers"));

        String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        JwtClaims claims = verifier(jwks, "tandem-ai-gateway").processToClaims(gatewayToken);
        JwtClaims runClaims = verifier(jwks, "tandem-gitlab-proxy").processToClaims(runToken);

        assertEquals(serviceAccountUsername, claims.getSubject());
        Map<?, ?> act = claims.getClaimValue("act", Map.class);
        assertEquals(world.developer.getUsername(), act.get("sub"));
        assertEquals(world.developer.getId().longValue(), ((Number) act.get("uid")).longValue());
        assertEquals(invocationId, claims.getStringClaimValue("run_id"));
        assertEquals(world.project.getId().longValue(), ((Number) claims.getClaimValue("project_id")).longValue());
        assertEquals(world.project.getPathWithNamespace(), claims.getStringClaimValue("project_path"));
        assertEquals(world.group.getId().longValue(), ((Number) claims.getClaimValue("group_id")).longValue());
        assertEquals(7L, ((Number) claims.getClaimValue("agent_id")).longValue());
        assertEquals("Claude Code", claims.getStringClaimValue("agent"));
        Map<?, ?> models = claims.getClaimValue("models", Map.class);
        assertEquals(ANTHROPIC, models.get("anthropic"));
        assertEquals(OPENAI, models.get("openai"));
        assertFalse(claims.hasClaim("branches"), "the gateway token opens no branch");
        assertEquals(runClaims.getExpirationTime().getValue(), claims.getExpirationTime().getValue(),
                "ends with the run token");
        assertEquals(Instant.parse(answer.getString("expiresAt")).getEpochSecond(),
                claims.getExpirationTime().getValue());
        assertNotEquals(runClaims.getJwtId(), claims.getJwtId());
        assertEquals(kid(runToken), kid(gatewayToken), "signed by the same active key");

        // Each token works at its own door only.
        assertThrows(InvalidJwtException.class, () -> verifier(jwks, "tandem-gitlab-proxy")
                .processToClaims(gatewayToken));
        assertThrows(InvalidJwtException.class, () -> verifier(jwks, "tandem-ai-gateway").processToClaims(runToken));
        String issues = "/api/v4/projects/" + world.project.getId() + "/issues";
        assertEquals(401, given().header("PRIVATE-TOKEN", gatewayToken).get(issues).statusCode(),
                "the GitLab proxy refuses the gateway token");
        assertEquals(401, given().header("Authorization", "Bearer " + gatewayToken).get(issues).statusCode());
        assertEquals(200, given().header("PRIVATE-TOKEN", runToken).get(issues).statusCode(), "the run token works");

        Received minted = audit.await(r -> invocationId.equals(r.value().path("invocationId").asText())
                && "gateway-token.minted".equals(r.value().path("type").asText()), 1).get(0);
        assertEquals(invocationId, minted.key());
        assertEquals(claims.getJwtId(), minted.value().at("/data/jti").asText());
        assertEquals(kid(gatewayToken), minted.value().at("/data/kid").asText());
        assertEquals(invocationId, minted.value().at("/data/runId").asText());
        assertEquals(answer.getString("expiresAt"), minted.value().at("/data/expiresAt").asText());
        assertFalse(minted.value().toString().contains(gatewayToken.split("\\.")[2]), "no token in the audit event");
    }

    @Test
    void aDefinitionWithoutTheFlagGetsNoGatewayBlock() {
        String invocationId = authorized(Invocations.mention(world, world.developer, serviceAccountId,
                serviceAccountUsername, true));
        JsonPath answer = internal().post("/internal/v1/invocations/" + invocationId + "/run-token")
                .then().statusCode(200).extract().jsonPath();
        assertTrue(answer.getString("token").length() > 100, "a run token");
        assertNull(answer.get("gateway"));
        audit.await(r -> invocationId.equals(r.value().path("invocationId").asText())
                && "run-token.minted".equals(r.value().path("type").asText()), 1);
        assertTrue(audit.drain(r -> invocationId.equals(r.value().path("invocationId").asText())
                && "gateway-token.minted".equals(r.value().path("type").asText())).isEmpty());
    }

    @Test
    void theViewsNeverPrintATokenSoALogLineCannotCarryOne() {
        RunTokenView view = new RunTokenView("run.token.secret-run", Instant.EPOCH,
                new GatewayView("gw.token.secret-gw", "X-Tandem-Run-Id: r"));
        assertFalse(view.toString().contains("secret"), view.toString());
        assertTrue(view.toString().contains("X-Tandem-Run-Id: r"), view.toString());
    }

    private static org.jose4j.jwt.consumer.JwtConsumer verifier(String jwks, String audience) throws Exception {
        return new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setExpectedIssuer("tandem")
                .setExpectedAudience(audience)
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireJwtId()
                .build();
    }

    private static String kid(String token) {
        return new JsonPath(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]))).getString("kid");
    }

    private String authorized(InvocationRequested request) {
        String invocationId = request.invocation().invocationId();
        try (TopicReader decisions = new TopicReader(Topics.INVOCATIONS_AUTHORIZED)) {
            Invocations.publish(request);
            decisions.await(Received.invocation(invocationId), 1);
        }
        return invocationId;
    }
}
