package io.tandem.identity.rest;

import static io.restassured.RestAssured.given;
import static io.tandem.identity.support.InternalApi.internal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.tandem.events.Topics;
import io.tandem.identity.service.SigningKeyMaintenance;
import io.tandem.identity.support.Database;
import io.tandem.identity.support.GitlabWorld;
import io.tandem.identity.support.InternalApi;
import io.tandem.identity.support.Runs;
import io.tandem.identity.support.Runs.Run;
import io.tandem.testsupport.TopicReader;
import io.tandem.testsupport.TopicReader.Received;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Signing key rotation: the replaced key stays published and verifying while tokens it signed may be valid, new
 * tokens carry the new key, and once retired the old key is neither published nor accepted.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
class SigningKeyRotationTest {

    private final GitlabWorld world = GitlabWorld.get();

    @Inject
    SigningKeyMaintenance maintenance;

    @Test
    void theOldKeyVerifiesUntilRetiredAndNewTokensCarryTheNewKey() throws Throwable {
        Map<String, Object> account = InternalApi.ensureServiceAccount(world.group.getId(), "Key Bot");
        long userId = ((Number) account.get("id")).longValue();
        internal().put("/internal/v1/service-accounts/" + userId + "/projects/" + world.project.getId())
                .then().statusCode(204);
        Run run = Runs.authorized(world, world.developer, userId, (String) account.get("username"));
        String issues = Runs.projectApi(world.project.getId()) + "/issues";
        String oldKid = kid(run.token());
        assertTrue(publishedKids().contains(oldKid));

        try (TopicReader audit = new TopicReader(Topics.AUDIT)) {
            JsonPath rotated = internal().post("/internal/v1/signing-keys/rotate").then().statusCode(200)
                    .extract().jsonPath();
            String newKid = rotated.getString("kid");
            assertEquals(oldKid, rotated.getString("previousKid"));
            assertTrue(rotated.getBoolean("rotated"));
            assertNotEquals(oldKid, newKid);

            assertTrue(publishedKids().containsAll(List.of(oldKid, newKid)), "both keys are published");
            assertEquals(200, Runs.through(run.token()).get(issues).statusCode(), "the old key's token still works");
            String fresh = Runs.runToken(run.id());
            assertEquals(newKid, kid(fresh), "new tokens are signed by the new key");
            assertEquals(200, Runs.through(fresh).get(issues).statusCode());
            Received event = audit.await(r -> "signing-key.rotated".equals(r.value().path("type").asText())
                    && newKid.equals(r.value().at("/data/kid").asText()), 1).get(0);
            assertEquals(oldKid, event.value().at("/data/previousKid").asText());

            // A run token lasts 2 h: once the new key has signed for longer (plus the margin), the old one retires.
            try (Connection db = Database.connect();
                    PreparedStatement age = db.prepareStatement(
                            "update signing_key set created_at = now() - ?::interval where kid = ?")) {
                for (Map.Entry<String, String> key : Map.of(oldKid, "4 hours", newKid, "3 hours").entrySet()) {
                    age.setString(1, key.getValue());
                    age.setString(2, key.getKey());
                    assertEquals(1, age.executeUpdate());
                }
            }
            VertxContextSupport.subscribeAndAwait(maintenance::run);

            assertEquals("retired", status(oldKid));
            assertFalse(publishedKids().contains(oldKid), "the retired key is no longer published");
            assertTrue(publishedKids().contains(newKid));
            assertEquals(401, Runs.through(run.token()).get(issues).statusCode(), "the retired key's token is refused");
            assertEquals(200, Runs.through(fresh).get(issues).statusCode());
            audit.await(r -> "signing-key.retired".equals(r.value().path("type").asText())
                    && oldKid.equals(r.value().at("/data/kid").asText()), 1);

            // Younger than the rotation age (30 days): the timer leaves the active key alone.
            VertxContextSupport.subscribeAndAwait(maintenance::run);
            assertEquals("active", status(newKid));
        }
    }

    private static List<String> publishedKids() {
        return given().get("/.well-known/jwks.json").then().statusCode(200).extract().jsonPath().getList("keys.kid");
    }

    private static String kid(String jwt) {
        String header = new String(Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))),
                StandardCharsets.UTF_8);
        return JsonPath.from(header).getString("kid");
    }

    private static String status(String kid) throws Exception {
        try (Connection db = Database.connect();
                PreparedStatement select = db.prepareStatement("select status from signing_key where kid = ?")) {
            select.setString(1, kid);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next());
                return row.getString(1);
            }
        }
    }
}
