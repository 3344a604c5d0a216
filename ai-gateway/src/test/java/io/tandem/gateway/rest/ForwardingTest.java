package io.tandem.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tandem.gateway.support.GatewayTokens;
import io.tandem.gateway.support.StandInProviders;
import io.tandem.gateway.support.StandInProviders.Received;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Forwarding with the organisation's key, never the run's token; upstream answers unchanged; the allow-list. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(StandInProviders.class)
class ForwardingTest {

    private static final String MESSAGES = "/ai/v1/proxy/anthropic/v1/messages";
    private static final String CHAT = "/ai/v1/proxy/openai/v1/chat/completions";

    @Test
    void anthropicGetsTheOrgKeyAndNeitherTheTokenNorTandemHeadersNorCookies() {
        String runId = GatewayTokens.runId();
        String token = GatewayTokens.token(runId);
        String body = "{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":64,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"say hi, marker " + runId + "\"}]}";
        given().header("x-api-key", token).header("anthropic-version", "2023-06-01")
                .header("anthropic-beta", "prompt-caching-2024-07-31").header("X-Tandem-Run-Id", runId)
                .header("X-Tandem-Project-Id", "42").header("Cookie", "session=abc")
                .contentType(ContentType.JSON).body(body)
                .post(MESSAGES).then().statusCode(200).header("request-id", "req_stand_in")
                .body("content[0].text", equalTo("Hello!")).body("usage.output_tokens", equalTo(22));

        List<Received> received = StandInProviders.receivedWith(runId);
        assertEquals(1, received.size());
        Received call = received.get(0);
        assertEquals("/anthropic/v1/messages", call.uri());
        assertEquals(body, call.body(), "the body reaches the provider byte for byte");
        assertEquals(StandInProviders.ANTHROPIC_ORG_KEY, call.headers().get("x-api-key"));
        assertEquals("2023-06-01", call.headers().get("anthropic-version"));
        assertEquals("prompt-caching-2024-07-31", call.headers().get("anthropic-beta"));
        assertNull(call.headers().get("Authorization"));
        assertNull(call.headers().get("Cookie"));
        assertTrue(call.headers().names().stream().noneMatch(name -> name.toLowerCase().startsWith("x-tandem-")),
                "X-Tandem-* headers were forwarded: " + call.headers().names());
        assertTrue(call.headers().entries().stream().map(Map.Entry::getValue).noneMatch(value -> value.contains(token)),
                "the run's token reached the provider");
    }

    @Test
    void openaiGetsTheOrgKeyAsBearerOnThePathAfterTheFrontDoor() {
        String runId = GatewayTokens.runId();
        String token = GatewayTokens.token(runId);
        given().header("Authorization", "Bearer " + token).header("OpenAI-Organization", "org-of-the-run")
                .contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-5-codex\",\"messages\":[{\"role\":\"user\",\"content\":\"" + runId + "\"}]}")
                .post(CHAT + "?trace=1").then().statusCode(200).body("choices[0].message.content", equalTo("Hello!"));

        Received call = StandInProviders.receivedWith(runId).get(0);
        assertEquals("/openai/v1/chat/completions?trace=1", call.uri());
        assertEquals("Bearer " + StandInProviders.OPENAI_ORG_KEY, call.headers().get("Authorization"));
        assertNull(call.headers().get("OpenAI-Organization"), "the organisation key decides the organisation");
        assertFalse(call.body().contains(token));
    }

    @Test
    void rateLimitsAndServerErrorsComeBackUnchangedWithRetryAfter() {
        String token = GatewayTokens.token(GatewayTokens.runId());
        given().header("x-api-key", token).header("x-stand-in", "429").contentType(ContentType.JSON)
                .body("{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":8,\"messages\":[]}")
                .post(MESSAGES).then().statusCode(429).header("Retry-After", "7")
                .body("error.type", equalTo("rate_limit_error")).body("error.message", equalTo("slow down"));
        given().header("Authorization", "Bearer " + token).header("x-stand-in", "500").contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-5\",\"messages\":[]}")
                .post(CHAT).then().statusCode(500).body("error.type", equalTo("server_error"))
                .body("error.message", equalTo("boom"));
    }

    @Test
    void anUnreachableProviderIs502InItsShape() {
        String token = GatewayTokens.token(GatewayTokens.runId());
        given().header("x-api-key", token).header("x-stand-in", "hangup").contentType(ContentType.JSON)
                .body("{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":8,\"messages\":[]}")
                .post(MESSAGES).then().statusCode(502).body("type", equalTo("error"))
                .body("error.type", equalTo("api_error")).body("error.message", containsString("could not reach anthropic"));
    }

    @Test
    void aModelOutsideEitherAllowListIsRefusedNamingTheAllowedOnes() {
        String runId = GatewayTokens.runId();
        String token = GatewayTokens.token(runId);
        // Not in the instance's list.
        given().header("x-api-key", token).contentType(ContentType.JSON)
                .body("{\"model\":\"claude-opus-4-1-20250805\",\"max_tokens\":8,\"messages\":[],\"metadata\":{\"user_id\":\"" + runId + "\"}}")
                .post(MESSAGES).then().statusCode(400).body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("claude-opus-4-1-20250805"))
                .body("error.message", containsString("claude-sonnet-4-5-20250929"));
        // In the instance's list, but not in this run's token.
        given().header("x-api-key", token).contentType(ContentType.JSON)
                .body("{\"model\":\"claude-3-haiku-20240307\",\"max_tokens\":8,\"messages\":[],\"metadata\":{\"user_id\":\"" + runId + "\"}}")
                .post(MESSAGES).then().statusCode(400).body("error.message", containsString("claude-3-haiku-20240307"));
        // A token that allows nothing of OpenAI.
        String anthropicOnly = GatewayTokens.token(runId, claims -> claims.setClaim("models",
                Map.of("anthropic", GatewayTokens.ANTHROPIC_MODELS)));
        given().header("Authorization", "Bearer " + anthropicOnly).contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-5\",\"messages\":[],\"user\":\"" + runId + "\"}")
                .post(CHAT).then().statusCode(400).body("error.code", equalTo("model_not_found"))
                .body("error.param", equalTo("model")).body("error.message", containsString("gpt-5"));
        assertTrue(StandInProviders.receivedWith(runId).isEmpty(), "a refused model reached the provider");
    }
}
