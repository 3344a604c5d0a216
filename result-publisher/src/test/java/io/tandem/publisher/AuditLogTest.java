package io.tandem.publisher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.events.AuditEvent;
import io.tandem.events.EventIds;
import io.tandem.events.Topics;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@QuarkusTestResource(IdentityServiceStandInResource.class)
class AuditLogTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Inject
    ObjectMapper json;

    private KafkaRecords kafka;

    @BeforeEach
    void clients() {
        kafka = new KafkaRecords(json);
    }

    @AfterEach
    void closeClients() {
        kafka.close();
    }

    @Test
    void storedEventsAreServedPerProjectOldestFirstOnceEach() {
        long project = 910_001L;
        AuditEvent first = event(project, "webhook.accepted", "inv-a", T0.plusSeconds(1));
        AuditEvent second = event(project, "trigger.matched", "inv-a", T0.plusSeconds(2));
        AuditEvent third = event(project, "invocation.denied", "inv-b", T0.plusSeconds(3));
        AuditEvent elsewhere = event(910_002L, "webhook.accepted", "inv-c", T0.plusSeconds(2));

        // Out of order, with a redelivered duplicate.
        for (AuditEvent event : new AuditEvent[] {third, first, elsewhere, second, first}) {
            kafka.send(Topics.AUDIT, event.key(), event);
        }

        await().atMost(WAIT).untilAsserted(() -> given().queryParam("projectId", project)
                .get("/api/v1/audit")
                .then().statusCode(200)
                .body("eventId", contains(first.eventId(), second.eventId(), third.eventId())));

        given().queryParam("projectId", project).get("/api/v1/audit")
                .then().statusCode(200)
                .body("[0].type", equalTo("webhook.accepted"))
                .body("[0].source", equalTo("webhook-ingest"))
                .body("[0].occurredAt", equalTo("2026-03-01T10:00:01Z"))
                .body("[0].projectId", equalTo((int) project))
                .body("[0].actor", equalTo("alice"))
                .body("[0].data.deliveryId", equalTo("delivery-" + first.type()));
        given().queryParam("projectId", project).queryParam("limit", 2).get("/api/v1/audit")
                .then().statusCode(200)
                .body("eventId", contains(first.eventId(), second.eventId()));
        given().queryParam("projectId", project).queryParam("since", "2026-03-01T10:00:01Z").get("/api/v1/audit")
                .then().statusCode(200)
                .body("eventId", contains(second.eventId(), third.eventId()));
        given().queryParam("projectId", project).queryParam("invocationId", "inv-a")
                .queryParam("type", "trigger.matched").get("/api/v1/audit")
                .then().statusCode(200)
                .body("eventId", contains(second.eventId()));
        given().queryParam("projectId", 910_002L).get("/api/v1/audit")
                .then().statusCode(200)
                .body("$", hasSize(1));
    }

    @Test
    void badParametersAreRefusedWithTheReason() {
        given().queryParam("limit", 0).get("/api/v1/audit").then().statusCode(400)
                .body("error", containsString("limit"));
        given().queryParam("limit", 1001).get("/api/v1/audit").then().statusCode(400);
        given().queryParam("limit", "many").get("/api/v1/audit").then().statusCode(400);
        given().queryParam("since", "yesterday").get("/api/v1/audit").then().statusCode(400)
                .body("error", containsString("ISO-8601"));
        given().queryParam("projectId", "widgets").get("/api/v1/audit").then().statusCode(400)
                .body("error", containsString("projectId"));
        given().queryParam("limit", 1000).queryParam("since", Instant.now().truncatedTo(ChronoUnit.SECONDS)
                .plusSeconds(3600).toString()).get("/api/v1/audit").then().statusCode(200)
                .body("$", hasSize(0));
    }

    private static AuditEvent event(long projectId, String type, String invocationId, Instant occurredAt) {
        String source = type.startsWith("webhook") ? "webhook-ingest" : "trigger-matcher";
        return new AuditEvent(EventIds.derive("audit-test", Long.toString(projectId), type), occurredAt,
                AuditEvent.VERSION, invocationId, source, type, projectId, invocationId, "alice", null,
                Map.of("deliveryId", "delivery-" + type));
    }
}
