package io.tandem.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.tandem.events.Topics;
import io.tandem.gateway.service.Provider;
import io.tandem.gateway.service.ProviderKeys;
import io.tandem.gateway.service.SecretBox;
import io.tandem.gateway.support.Database;
import io.tandem.gateway.support.GatewayTokens;
import io.tandem.gateway.support.StandInProviders;
import io.tandem.testsupport.TopicReader;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The organisation's provider keys set through the internal API: sealed at rest, used at once instead of the
 * configuration's, never echoed; a row sealed under a retired encryption key still opens; a removed key is a 503.
 * Each test puts the configured keys back, as other tests expect them.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(StandInProviders.class)
class ProviderKeyTest {

    private static final String MESSAGES = "/ai/v1/proxy/anthropic/v1/messages";
    private static final String CHAT = "/ai/v1/proxy/openai/v1/chat/completions";

    @AfterEach
    void restoreTheConfiguredKeys() {
        putKey("anthropic", StandInProviders.ANTHROPIC_ORG_KEY).then().statusCode(200);
        putKey("openai", StandInProviders.OPENAI_ORG_KEY).then().statusCode(200);
    }

    @Test
    void aKeySetThroughTheApiIsSealedAtRestAndUsedAtOnce() throws Exception {
        String newKey = "sk-ant-rotated-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("{\"apiKey\":\"x\"}").put("/internal/v1/provider-keys/anthropic")
                .then().statusCode(401);
        internal().contentType(ContentType.JSON).body("{}").put("/internal/v1/provider-keys/anthropic")
                .then().statusCode(400);
        String fingerprint = ProviderKeys.fingerprint(newKey);
        try (TopicReader audit = new TopicReader(Topics.AUDIT)) {
            String answer = putKey("anthropic", newKey).then().statusCode(200).body("source", equalTo("api"))
                    .body("configured", equalTo(true)).body("fingerprint", startsWith("sha256:"))
                    .extract().asString();
            assertFalse(answer.contains(newKey), "the answer carried the key");
            List<TopicReader.Received> set = audit.await(r -> "provider-key.set".equals(r.value().path("type").asText())
                    && fingerprint.equals(r.value().path("data").path("fingerprint").asText()), 1);
            assertFalse(set.get(0).value().toString().contains(newKey), "the audit event carried the key");
        }

        try (Connection db = Database.connect();
                PreparedStatement select = db.prepareStatement(
                        "select sealed_key, key_id, fingerprint from provider_key where provider = 'anthropic'")) {
            ResultSet row = select.executeQuery();
            assertTrue(row.next());
            byte[] sealed = row.getBytes(1);
            assertNotNull(row.getString(2), "the sealing key's id is stored beside the value");
            assertEquals(fingerprint, row.getString(3));
            assertFalse(contains(sealed, newKey.getBytes(StandardCharsets.UTF_8)), "the key is stored in clear");
            assertFalse(contains(sealed, Base64.getEncoder().encode(newKey.getBytes(StandardCharsets.UTF_8))));
        }

        String runId = GatewayTokens.runId();
        given().header("x-api-key", GatewayTokens.token(runId)).contentType(ContentType.JSON)
                .body("{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":8,\"messages\":[],\"metadata\":{\"user_id\":\""
                        + runId + "\"}}").post(MESSAGES).then().statusCode(200);
        assertEquals(newKey, StandInProviders.receivedWith(runId).get(0).headers().get("x-api-key"));
        internal().get("/internal/v1/provider-keys/anthropic").then().statusCode(200)
                .body("fingerprint", equalTo(fingerprint)).body("source", equalTo("api"));
    }

    @Test
    void aRowSealedUnderARetiredEncryptionKeyStillOpens() throws Exception {
        String oldKey = "sk-openai-sealed-long-ago-" + UUID.randomUUID();
        SecretBox retired = new SecretBox(StandInProviders.RETIRED_ENCRYPTION_KEY, List.of());
        SecretBox.Sealed sealed = retired.seal(oldKey, ProviderKeys.context(Provider.OPENAI));
        try (Connection db = Database.connect();
                PreparedStatement upsert = db.prepareStatement("""
                        insert into provider_key (provider, sealed_key, key_id, fingerprint, updated_at)
                        values ('openai', ?, ?, ?, now())
                        on conflict (provider) do update set sealed_key = excluded.sealed_key,
                            key_id = excluded.key_id, fingerprint = excluded.fingerprint, updated_at = now()""")) {
            upsert.setBytes(1, sealed.ciphertext());
            upsert.setString(2, sealed.keyId());
            upsert.setString(3, ProviderKeys.fingerprint(oldKey));
            assertEquals(1, upsert.executeUpdate());
        }
        // Written behind the app's back, like another replica would: seen once this replica's copy expires.
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String runId = GatewayTokens.runId();
            given().header("Authorization", "Bearer " + GatewayTokens.token(runId)).contentType(ContentType.JSON)
                    .body("{\"model\":\"gpt-5\",\"messages\":[],\"user\":\"" + runId + "\"}").post(CHAT)
                    .then().statusCode(200);
            assertEquals("Bearer " + oldKey, StandInProviders.receivedWith(runId).get(0).headers().get("Authorization"));
        });
    }

    @Test
    void aProviderWhoseKeyWasRemovedAnswers503InItsOwnShape() {
        internal().delete("/internal/v1/provider-keys/openai").then().statusCode(204);
        internal().get("/internal/v1/provider-keys/openai").then().statusCode(200)
                .body("configured", equalTo(false)).body("source", equalTo("removed"));
        given().header("Authorization", "Bearer " + GatewayTokens.token(GatewayTokens.runId()))
                .contentType(ContentType.JSON).body("{\"model\":\"gpt-5\",\"messages\":[]}").post(CHAT).then()
                .statusCode(503).body("error.type", equalTo("server_error"))
                .body("error.message", equalTo("this Tandem AI gateway has no organisation key for openai"));
        // The other door is unaffected.
        given().header("x-api-key", GatewayTokens.token(GatewayTokens.runId())).contentType(ContentType.JSON)
                .body("{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":8,\"messages\":[]}").post(MESSAGES)
                .then().statusCode(200);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static io.restassured.response.Response putKey(String provider, String key) {
        return internal().contentType(ContentType.JSON).body("{\"apiKey\":\"" + key + "\"}")
                .put("/internal/v1/provider-keys/" + provider);
    }

    private static RequestSpecification internal() {
        return given().header("X-Tandem-Internal-Token", "tandem-local-internal-token");
    }
}
