package io.tandem.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.tandem.gateway.support.GatewayTokens;
import io.tandem.gateway.support.StandInProviders;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Usage summed per project, group and user over days, by provider and model. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(StandInProviders.class)
class UsageReportTest {

    private static final String MESSAGES = "/ai/v1/proxy/anthropic/v1/messages";
    private static final String CHAT = "/ai/v1/proxy/openai/v1/chat/completions";

    @Test
    void usageIsSummedPerProjectGroupAndUserByProviderAndModel() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long projectId = random.nextLong(1_000_000, 2_000_000_000);
        long groupId = random.nextLong(1_000_000, 2_000_000_000);
        long userId = random.nextLong(1_000_000, 2_000_000_000);
        long otherProjectId = projectId + 1;
        String run1 = token(projectId, groupId, userId);
        String run2 = token(projectId, groupId, userId);
        String otherRun = token(otherProjectId, groupId, userId);

        // Anthropic JSON 11/22 twice (two runs), chat JSON 9/12 once; another project of the group 11/22.
        anthropic(run1);
        anthropic(run2);
        anthropic(otherRun);
        given().header("Authorization", "Bearer " + run1).contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-5\",\"messages\":[]}").post(CHAT).then().statusCode(200);

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> internal()
                .queryParams(Map.of("projectId", projectId, "from", today, "to", today)).get("/internal/v1/usage")
                .then().statusCode(200).body("scope", equalTo("project")).body("from", equalTo(today))
                .body("inputTokens", equalTo(31)).body("outputTokens", equalTo(56)).body("requests", equalTo(3))
                .body("byProvider.find { it.provider == 'anthropic' }.inputTokens", equalTo(22))
                .body("byProvider.find { it.provider == 'openai' }.outputTokens", equalTo(12))
                .body("byModel.find { it.model == 'claude-sonnet-4-20250514' }.outputTokens", equalTo(44))
                .body("byModel.find { it.model == 'gpt-5' }.requests", equalTo(1)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> internal()
                .get("/internal/v1/usage?groupId=" + groupId).then().statusCode(200)
                .body("inputTokens", equalTo(42)).body("outputTokens", equalTo(78)).body("requests", equalTo(4)));
        internal().get("/internal/v1/usage?userId=" + userId + "&to=" + today).then().statusCode(200)
                .body("scope", equalTo("user")).body("inputTokens", equalTo(42));
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        internal().get("/internal/v1/usage?projectId=" + projectId + "&from=" + yesterday + "&to=" + yesterday)
                .then().statusCode(200).body("inputTokens", equalTo(0)).body("byModel.size()", equalTo(0));
    }

    @Test
    void theQueryMustNameOneScopeAndAnOrderedRangeOfDays() {
        given().get("/internal/v1/usage?projectId=1").then().statusCode(401);
        internal().get("/internal/v1/usage").then().statusCode(400);
        internal().get("/internal/v1/usage?projectId=1&groupId=2").then().statusCode(400);
        internal().get("/internal/v1/usage?projectId=1&from=2026-11-26&to=2026-11-25").then().statusCode(400);
        internal().get("/internal/v1/usage?projectId=1&from=yesterday").then().statusCode(400);
    }

    private static String token(long projectId, long groupId, long userId) {
        return GatewayTokens.token(GatewayTokens.runId(), claims -> {
            claims.setClaim("project_id", projectId);
            claims.setClaim("group_id", groupId);
            claims.setClaim("act", Map.of("sub", "usage-user", "uid", userId));
        });
    }

    private static void anthropic(String token) {
        given().header("x-api-key", token).contentType(ContentType.JSON)
                .body("{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":8,\"messages\":[]}").post(MESSAGES)
                .then().statusCode(200);
    }

    private static RequestSpecification internal() {
        return given().header("X-Tandem-Internal-Token", "tandem-local-internal-token");
    }
}
