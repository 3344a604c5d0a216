package io.tandem.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.tandem.ingest.support.Payloads;
import io.tandem.testsupport.FreePorts;
import io.tandem.testsupport.KafkaBroker;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * No broker listens at first: a webhook must get 503, so that GitLab retries it, never a 2xx. Once a broker is
 * there, the same channels must deliver again: one failed write must not break the service for good.
 */
@QuarkusTest
@TestProfile(BrokerUnavailableTest.LateBroker.class)
class BrokerUnavailableTest {

    public static class LateBroker implements QuarkusTestProfile {

        static final int PORT = FreePorts.next();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "kafka.bootstrap.servers", "127.0.0.1:" + PORT,
                    "kafka.max.block.ms", "1000",
                    "tandem.webhook.publish-timeout", "3s");
        }
    }

    private static RequestSpecification noteWebhook() {
        return given().header("X-Gitlab-Token", "test-webhook-secret")
                .header("X-Gitlab-Event", "Note Hook")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType("application/json")
                .body(Payloads.bytes("note-issue-event.json"));
    }

    @Test
    void unacknowledgedRecordIsA503AndTheServiceRecoversWithTheBroker() throws Exception {
        noteWebhook().post(GitlabWebhookResource.PATH)
                .then().statusCode(503)
                .time(lessThan(10_000L))
                .body("error", containsString("retry"));
        given().get("/q/metrics").then()
                .body(containsString("tandem_webhooks_rejected_total{reason=\"unavailable\"} 1.0"));

        try (KafkaBroker broker = KafkaBroker.start(Files.createTempDirectory("tandem-late-kafka"), LateBroker.PORT)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(
                    () -> noteWebhook().post(GitlabWebhookResource.PATH).statusCode() == 202);
        }
    }
}
