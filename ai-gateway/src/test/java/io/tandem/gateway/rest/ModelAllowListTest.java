package io.tandem.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

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
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Allow-lists of a group and an agent narrow what the instance and the token allow; set through the internal API. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(StandInProviders.class)
class ModelAllowListTest {

    private static final String MESSAGES = "/ai/v1/proxy/anthropic/v1/messages";
    private static final String CHAT = "/ai/v1/proxy/openai/v1/chat/completions";
    private static final String SONNET_4 = "claude-sonnet-4-20250514";
    private static final String SONNET_45 = "claude-sonnet-4-5-20250929";
    private static final String HAIKU = "claude-3-5-haiku-20241022";

    @Test
    void theApiNeedsTheInternalTokenAndChecksItsInput() {
        given().contentType(ContentType.JSON).body("{\"models\":[]}")
                .put("/internal/v1/model-allow-lists/group/1/anthropic").then().statusCode(401);
        internal().contentType(ContentType.JSON).body("{\"models\":[]}")
                .put("/internal/v1/model-allow-lists/project/1/anthropic").then().statusCode(404);
        internal().contentType(ContentType.JSON).body("{\"models\":[]}")
                .put("/internal/v1/model-allow-lists/group/1/mistral").then().statusCode(404);
        internal().contentType(ContentType.JSON).body("{}")
                .put("/internal/v1/model-allow-lists/group/1/anthropic").then().statusCode(400);
        internal().contentType(ContentType.JSON).body("{\"models\":[\"a,b\"]}")
                .put("/internal/v1/model-allow-lists/group/1/anthropic").then().statusCode(400);
    }

    @Test
    void aRequestsModelMustBeInItsGroupsAndItsAgentsListsWhereSet() {
        long groupId = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000);
        long agentId = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000);
        String token = GatewayTokens.token(GatewayTokens.runId(), claims -> {
            claims.setClaim("group_id", groupId);
            claims.setClaim("agent_id", agentId);
        });
        anthropic(token, SONNET_4).then().statusCode(200);

        try (TopicReader audit = new TopicReader(Topics.AUDIT)) {
            internal().contentType(ContentType.JSON).body("{\"models\":[\"" + SONNET_45 + "\",\"" + HAIKU + "\"]}")
                    .put("/internal/v1/model-allow-lists/group/" + groupId + "/anthropic").then().statusCode(200)
                    .body("scope", equalTo("group")).body("models[1]", equalTo(HAIKU));
            audit.await(r -> ("group:" + groupId).equals(r.key())
                    && "model-allow-list.set".equals(r.value().path("type").asText())
                    && r.value().path("data").path("models").asText().contains(HAIKU), 1);

            anthropic(token, SONNET_4).then().statusCode(400).body("error.type", equalTo("invalid_request_error"))
                    .body("error.message", containsString("Allowed models: " + HAIKU + ", " + SONNET_45));
            anthropic(token, SONNET_45).then().statusCode(200);

            // The agent's list narrows further; the other provider's door is untouched by anthropic lists.
            internal().contentType(ContentType.JSON).body("{\"models\":[\"" + SONNET_45 + "\"]}")
                    .put("/internal/v1/model-allow-lists/agent/" + agentId + "/anthropic").then().statusCode(200);
            anthropic(token, HAIKU).then().statusCode(400)
                    .body("error.message", containsString("Allowed models: " + SONNET_45));
            given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                    .body("{\"model\":\"gpt-5\",\"messages\":[]}").post(CHAT).then().statusCode(200);
            internal().contentType(ContentType.JSON).body("{\"models\":[]}")
                    .put("/internal/v1/model-allow-lists/agent/" + agentId + "/openai").then().statusCode(200);
            given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                    .body("{\"model\":\"gpt-5\",\"messages\":[]}").post(CHAT).then().statusCode(400)
                    .body("error.code", equalTo("model_not_found")).body("error.message", containsString("none"));

            internal().get("/internal/v1/model-allow-lists/agent/" + agentId + "/anthropic").then().statusCode(200)
                    .body("models.size()", equalTo(1));
            internal().delete("/internal/v1/model-allow-lists/group/" + groupId + "/anthropic").then().statusCode(204);
            internal().delete("/internal/v1/model-allow-lists/agent/" + agentId + "/anthropic").then().statusCode(204);
            internal().delete("/internal/v1/model-allow-lists/agent/" + agentId + "/openai").then().statusCode(204);
            audit.await(r -> ("agent:" + agentId).equals(r.key())
                    && "model-allow-list.removed".equals(r.value().path("type").asText()), 2);
        }
        internal().get("/internal/v1/model-allow-lists/group/" + groupId + "/anthropic").then().statusCode(404);
        anthropic(token, SONNET_4).then().statusCode(200);
    }

    private static io.restassured.response.Response anthropic(String token, String model) {
        return given().header("x-api-key", token).contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"max_tokens\":8,\"messages\":[]}").post(MESSAGES);
    }

    private static RequestSpecification internal() {
        return given().header("X-Tandem-Internal-Token", "tandem-local-internal-token");
    }
}
