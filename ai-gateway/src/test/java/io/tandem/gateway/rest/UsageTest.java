package io.tandem.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.tandem.events.Topics;
import io.tandem.gateway.support.Database;
import io.tandem.gateway.support.GatewayTokens;
import io.tandem.gateway.support.StandInProviders;
import io.tandem.testsupport.TopicReader;
import io.tandem.testsupport.TopicReader.Received;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Usage counted from JSON and streamed answers of both providers; streams pass through as they come. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(StandInProviders.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageTest {

    private static final String MESSAGES = "/ai/v1/proxy/anthropic/v1/messages";
    private static final String CHAT = "/ai/v1/proxy/openai/v1/chat/completions";
    private static final String RESPONSES = "/ai/v1/proxy/openai/v1/responses";

    private final TopicReader audit = new TopicReader(Topics.AUDIT);
    private final List<String> tokensUsed = new ArrayList<>();

    @AfterAll
    void close() {
        audit.close();
    }

    @Test
    void anthropicJsonUsageIsStoredAndAudited() {
        String runId = GatewayTokens.runId();
        given().header("x-api-key", token(runId)).contentType(ContentType.JSON)
                .body("{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":64,\"messages\":[]}")
                .post(MESSAGES).then().statusCode(200);

        assertUsage(runId, "anthropic", "claude-sonnet-4-20250514", 11, 22);
        Received event = audit.await(r -> runId.equals(r.key()) && "ai-gateway.usage".equals(r.value().path("type").asText()), 1).get(0);
        JsonNode value = event.value();
        assertEquals("ai-gateway", value.path("source").asText());
        assertEquals(runId, value.path("invocationId").asText());
        assertEquals(GatewayTokens.PROJECT_ID, value.path("projectId").asLong());
        assertEquals(GatewayTokens.USER, value.path("actor").asText());
        assertEquals(GatewayTokens.SERVICE_ACCOUNT, value.path("serviceAccount").asText());
        assertEquals("11", value.path("data").path("inputTokens").asText());
        assertEquals("22", value.path("data").path("outputTokens").asText());
        assertEquals("claude-sonnet-4-20250514", value.path("data").path("model").asText());
    }

    @Test
    void anthropicStreamReachesTheClientBeforeTheProviderFinishesAndIsCounted() throws Exception {
        String runId = GatewayTokens.runId();
        String holdId = UUID.randomUUID().toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + MESSAGES))
                .header("x-api-key", token(runId)).header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01").header("x-stand-in-hold", holdId)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":64,"
                        + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
        HttpClient client = HttpClient.newHttpClient();
        try {
            // The stand-in sends message_start, then waits for this test: a buffering gateway would send nothing.
            HttpResponse<InputStream> response = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                    .get(10, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
            BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
            String firstEvent = CompletableFuture.supplyAsync(() -> readEvent(reader)).get(10, TimeUnit.SECONDS);
            assertTrue(firstEvent.startsWith("event: message_start"), firstEvent);
            StandInProviders.release(holdId);
            String rest = reader.lines().collect(Collectors.joining("\n"));
            assertTrue(rest.contains("event: message_delta") && rest.strip().endsWith("data: {\"type\":\"message_stop\"}"), rest);
        } finally {
            StandInProviders.release(holdId);
        }
        assertUsage(runId, "anthropic", "claude-sonnet-4-5-20250929", 25, 15);
    }

    @Test
    void openaiChatJsonAndStreamAreCounted() {
        String runId = GatewayTokens.runId();
        given().header("Authorization", "Bearer " + token(runId)).contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post(CHAT).then().statusCode(200).body("usage.prompt_tokens", equalTo(9));
        assertUsage(runId, "openai", "gpt-5", 9, 12);

        String streamed = GatewayTokens.runId();
        String body = given().header("Authorization", "Bearer " + token(streamed)).contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-5\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post(CHAT).then().statusCode(200).extract().asString();
        assertTrue(body.endsWith("data: [DONE]\n\n"), body);
        assertUsage(streamed, "openai", "gpt-5", 13, 17);
    }

    @Test
    void openaiResponsesJsonAndStreamAreCounted() {
        String runId = GatewayTokens.runId();
        given().header("Authorization", "Bearer " + token(runId)).contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-5-codex\",\"input\":\"hi\"}")
                .post(RESPONSES).then().statusCode(200).body("usage.output_tokens", equalTo(40));
        given().header("Authorization", "Bearer " + token(runId)).contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-5-codex\",\"input\":\"hi\",\"stream\":true}")
                .post(RESPONSES).then().statusCode(200);
        // Two requests of one run, model and day: one row, summed.
        assertUsage(runId, "openai", "gpt-5-codex", 30 + 31, 40 + 41);
    }

    @Test
    void metricsCountTokensRequestsAndFirstBytes() {
        String runId = GatewayTokens.runId();
        given().header("x-api-key", token(runId)).contentType(ContentType.JSON)
                .body("{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":64,\"messages\":[]}")
                .post(MESSAGES).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(metrics.contains("tandem_ai_gateway_tokens_total{direction=\"input\",provider=\"anthropic\"}"), metrics);
            assertTrue(metrics.contains("tandem_ai_gateway_requests_total{outcome=\"ok\",provider=\"anthropic\"}"));
            assertTrue(metrics.contains("tandem_ai_gateway_time_to_first_byte_seconds_bucket{provider=\"anthropic\""));
        });
    }

    @Test
    void noTokenOrOrganisationKeyInTheLogOrTheAuditTopic() throws Exception {
        String runId = GatewayTokens.runId();
        given().header("x-api-key", token(runId)).header("x-stand-in", "hangup").contentType(ContentType.JSON)
                .body("{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":64,\"messages\":[]}")
                .post(MESSAGES).then().statusCode(502);
        given().header("x-api-key", token(runId)).contentType(ContentType.JSON)
                .body("{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":64,\"messages\":[]}")
                .post(MESSAGES).then().statusCode(200);
        audit.await(r -> runId.equals(r.key()), 1);
        List<String> secrets = new ArrayList<>(tokensUsed);
        secrets.add(StandInProviders.ANTHROPIC_ORG_KEY);
        secrets.add(StandInProviders.OPENAI_ORG_KEY);
        String log = Files.readString(Path.of("target/ai-gateway-test.log"));
        String auditRecords = audit.drain(r -> true).stream().map(r -> r.value().toString()).collect(Collectors.joining());
        for (String secret : secrets) {
            assertFalse(log.contains(secret), "a secret is in the log");
            assertFalse(auditRecords.contains(secret), "a secret is on the audit topic");
        }
    }

    private String token(String runId) {
        String token = GatewayTokens.token(runId);
        tokensUsed.add(token);
        return token;
    }

    private static String readEvent(BufferedReader reader) {
        try {
            StringBuilder event = new StringBuilder();
            for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
                event.append(line).append('\n');
            }
            return event.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertUsage(String runId, String provider, String model, long input, long output) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            try (Connection db = Database.connect(); PreparedStatement query = db.prepareStatement(
                    "select provider, model, input_tokens, output_tokens, project_id, group_id, user_name, day "
                            + "from run_usage where run_id = ?")) {
                query.setString(1, runId);
                try (ResultSet row = query.executeQuery()) {
                    assertTrue(row.next(), "no usage row for run " + runId);
                    assertEquals(provider, row.getString("provider"));
                    assertEquals(model, row.getString("model"));
                    assertEquals(input, row.getLong("input_tokens"));
                    assertEquals(output, row.getLong("output_tokens"));
                    assertEquals(GatewayTokens.PROJECT_ID, row.getLong("project_id"));
                    assertEquals(GatewayTokens.GROUP_ID, row.getLong("group_id"));
                    assertEquals(GatewayTokens.USER, row.getString("user_name"));
                    assertFalse(row.next(), "more than one usage row for run " + runId);
                }
            }
        });
    }
}
