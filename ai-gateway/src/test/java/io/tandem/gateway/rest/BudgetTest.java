package io.tandem.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.tandem.events.Topics;
import io.tandem.gateway.support.GatewayTokens;
import io.tandem.gateway.support.StandInProviders;
import io.tandem.testsupport.TopicReader;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Daily token budgets: set through the internal API (audited), checked before a run and before every request. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(StandInProviders.class)
class BudgetTest {

    private static final String MESSAGES = "/ai/v1/proxy/anthropic/v1/messages";
    private static final String CHAT = "/ai/v1/proxy/openai/v1/chat/completions";
    private static final String BODY = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":8,\"messages\":[]}";

    @Test
    void theInternalApiNeedsTheInternalToken() {
        given().contentType(ContentType.JSON).body("{\"dailyTokens\":10}").put("/internal/v1/budgets/project/1")
                .then().statusCode(401);
        given().header("X-Tandem-Internal-Token", "wrong").get("/internal/v1/budget-checks?projectId=1")
                .then().statusCode(401);
        internal().contentType(ContentType.JSON).body("{\"dailyTokens\":10}").put("/internal/v1/budgets/planet/1")
                .then().statusCode(404);
        internal().contentType(ContentType.JSON).body("{}").put("/internal/v1/budgets/project/1")
                .then().statusCode(400);
    }

    @Test
    void aProjectOverItsBudgetIsRefusedBeforeARunAndDuringOne() {
        long projectId = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000);
        String token = GatewayTokens.token(GatewayTokens.runId(), claims -> claims.setClaim("project_id", projectId));
        try (TopicReader audit = new TopicReader(Topics.AUDIT)) {
            internal().contentType(ContentType.JSON).body("{\"dailyTokens\":30}")
                    .put("/internal/v1/budgets/project/" + projectId).then().statusCode(200)
                    .body("dailyTokens", equalTo(30)).body("usedTokensToday", equalTo(0));
            audit.await(r -> ("project:" + projectId).equals(r.key())
                    && "budget.set".equals(r.value().path("type").asText())
                    && "30".equals(r.value().path("data").path("dailyTokens").asText()), 1);
        }
        internal().get("/internal/v1/budget-checks?projectId=" + projectId + "&groupId=99&userId=98").then()
                .statusCode(200).body("allowed", equalTo(true)).body("reason", nullValue());

        // 11 + 22 tokens: the request that crosses the budget completes, the next one is refused.
        given().header("x-api-key", token).contentType(ContentType.JSON).body(BODY).post(MESSAGES).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                internal().get("/internal/v1/budget-checks?projectId=" + projectId).then().statusCode(200)
                        .body("allowed", equalTo(false)).body("reason", containsString("project " + projectId))
                        .body("budgets[0].usedTokensToday", equalTo(33)));
        given().header("x-api-key", token).contentType(ContentType.JSON).body(BODY).post(MESSAGES).then()
                .statusCode(429).body("error.type", equalTo("rate_limit_error"))
                .body("error.message", containsString("has used 33 of its 30 model tokens for today"));
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-5\",\"messages\":[]}").post(CHAT).then()
                .statusCode(429).body("error.code", equalTo("insufficient_quota"));

        internal().contentType(ContentType.JSON).body("{\"dailyTokens\":1000}")
                .put("/internal/v1/budgets/project/" + projectId).then().statusCode(200)
                .body("usedTokensToday", equalTo(33));
        given().header("x-api-key", token).contentType(ContentType.JSON).body(BODY).post(MESSAGES).then().statusCode(200);
        internal().delete("/internal/v1/budgets/project/" + projectId).then().statusCode(204);
        internal().get("/internal/v1/budgets/project/" + projectId).then().statusCode(404);
    }

    private static RequestSpecification internal() {
        return given().header("X-Tandem-Internal-Token", "tandem-local-internal-token");
    }
}
