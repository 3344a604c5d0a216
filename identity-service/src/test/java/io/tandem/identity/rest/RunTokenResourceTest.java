package io.tandem.identity.rest;

import static io.restassured.RestAssured.given;
import static io.tandem.identity.support.InternalApi.internal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tandem.events.InvocationRequested;
import io.tandem.events.Topics;
import io.tandem.identity.support.Database;
import io.tandem.identity.support.GitlabWorld;
import io.tandem.identity.support.InternalApi;
import io.tandem.identity.support.Invocations;
import io.tandem.testsupport.TopicReader;
import io.tandem.testsupport.TopicReader.Received;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.gitlab4j.api.models.User;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunTokenResourceTest {

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
        Map<String, Object> account = InternalApi.ensureServiceAccount(world.group.getId(), "Token Agent");
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
    void anAuthorizedInvocationGetsATokenThatVerifiesAgainstTheJwks() throws Exception {
        String invocationId = decided(world.developer, Topics.INVOCATIONS_AUTHORIZED);

        JsonPath answer = internal().post("/internal/v1/invocations/" + invocationId + "/run-token")
                .then().statusCode(200).extract().jsonPath();
        String token = answer.getString("token");
        Instant expiresAt = Instant.parse(answer.getString("expiresAt"));

        String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setExpectedIssuer("tandem")
                .setExpectedAudience("tandem-gitlab-proxy")
                .setRequireExpirationTime()
                .setRequireJwtId()
                .build();
        JwtClaims claims = consumer.processToClaims(token);

        assertEquals(serviceAccountUsername, claims.getSubject());
        Map<?, ?> act = claims.getClaimValue("act", Map.class);
        assertEquals(world.developer.getUsername(), act.get("sub"));
        assertEquals(world.developer.getId().longValue(), ((Number) act.get("uid")).longValue());
        assertEquals(world.project.getId().longValue(), ((Number) claims.getClaimValue("project_id")).longValue());
        assertEquals(world.project.getPathWithNamespace(), claims.getStringClaimValue("project_path"));
        assertEquals(invocationId, claims.getStringClaimValue("run_id"));
        assertEquals(List.of("workloads/" + invocationId), claims.getStringListClaimValue("branches"));
        long lifetime = claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue();
        assertEquals(Duration.ofHours(2).toSeconds(), lifetime);
        assertEquals(claims.getExpirationTime().getValue(), expiresAt.getEpochSecond());

        JsonPath header = new JsonPath(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0])));
        assertEquals("RS256", header.getString("alg"));
        assertEquals(given().get("/.well-known/jwks.json").then().extract().path("keys[0].kid"), header.getString("kid"));

        Received minted = audit.await(r -> invocationId.equals(r.value().path("invocationId").asText())
                && "run-token.minted".equals(r.value().path("type").asText()), 1).get(0);
        assertEquals(invocationId, minted.key());
        assertEquals(claims.getJwtId(), minted.value().at("/data/jti").asText());
        assertFalse(minted.value().toString().contains(token.split("\\.")[2]), "the audit event carries no token");
    }

    @Test
    void aDeniedInvocationGets403AndAnUnknownOne404() {
        String invocationId = decided(world.guest, Topics.INVOCATIONS_DENIED);
        internal().post("/internal/v1/invocations/" + invocationId + "/run-token").then().statusCode(403);
        internal().post("/internal/v1/invocations/no-such-invocation/run-token").then().statusCode(404);
    }

    @Test
    void onlyOneSigningKeyCanBeActive() throws Exception {
        try (Connection db = Database.connect(); Statement statement = db.createStatement()) {
            try (ResultSet rows = statement.executeQuery("select count(*) from signing_key where status = 'active'")) {
                rows.next();
                assertEquals(1, rows.getInt(1));
            }
            // What a second replica starting at the same moment would try: the index refuses it.
            SQLException refused = assertThrows(SQLException.class, () -> {
                try (PreparedStatement insert = db.prepareStatement("insert into signing_key (kid, algorithm,"
                        + " public_key, private_key_ciphertext, private_key_key_id, status, created_at)"
                        + " values ('second', 'RS256', '\\x00', '\\x00', 'k', 'active', now())")) {
                    insert.executeUpdate();
                }
            });
            assertEquals("23505", refused.getSQLState());
        }
    }

    private String decided(User requester, String topic) {
        InvocationRequested request = Invocations.mention(world, requester, serviceAccountId, serviceAccountUsername,
                true);
        String invocationId = request.invocation().invocationId();
        try (TopicReader decisions = new TopicReader(topic)) {
            Invocations.publish(request);
            decisions.await(Received.invocation(invocationId), 1);
        }
        return invocationId;
    }
}
