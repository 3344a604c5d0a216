package io.tandem.gateway.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tandem.events.Topics;
import io.tandem.gateway.support.GatewayTokens;
import io.tandem.gateway.support.StandInProviders;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A run's terminal status on Kafka revokes its gateway token within seconds; a run that goes on keeps working. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(StandInProviders.class)
class EndedRunTest {

    private static final String MESSAGES = "/ai/v1/proxy/anthropic/v1/messages";
    private static final String BODY = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":8,\"messages\":[]}";

    @Test
    void aTerminalStatusRevokesTheTokenAndOthersKeepWorking() throws Exception {
        String ended = GatewayTokens.runId();
        String going = GatewayTokens.runId();
        String endedToken = GatewayTokens.token(ended);
        String goingToken = GatewayTokens.token(going);
        given().header("x-api-key", endedToken).contentType(ContentType.JSON).body(BODY).post(MESSAGES).then()
                .statusCode(200);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            // One thread key: the RUNNING of the other run is read first, so it is handled by the time ended is refused.
            producer.send(new ProducerRecord<>(Topics.RUNS_STATUS, "42/Issue/1", status(going, "RUNNING"))).get();
            producer.send(new ProducerRecord<>(Topics.RUNS_STATUS, "42/Issue/1", status(ended, "SUCCEEDED"))).get();
        }

        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().header("x-api-key", endedToken).contentType(ContentType.JSON).body(BODY).post(MESSAGES).then()
                        .statusCode(401).body("error.type", equalTo("authentication_error"))
                        .body("error.message", containsString("has ended")));
        given().header("x-api-key", goingToken).contentType(ContentType.JSON).body(BODY).post(MESSAGES).then()
                .statusCode(200);
    }

    private static String status(String runId, String state) {
        return """
                {"eventId":"%s","occurredAt":"%s","version":2,"key":"42/Issue/1",\
                "invocation":{"invocationId":"%s","trigger":"mention","agentId":3,"agentName":"Claude Code"},\
                "state":"%s","pipelineId":7,"pipelineUrl":null,"detail":null,"resultBranch":null}"""
                .formatted(UUID.randomUUID(), Instant.now(), runId, state);
    }
}
