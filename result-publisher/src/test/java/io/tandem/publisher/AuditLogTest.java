package io.tandem.publisher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tandem.events.AuditEvent;
import io.tandem.events.EventIds;
import io.tandem.events.Topics;
import io.tandem.publisher.rest.AuditResource;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
    void cursorPagingIsStableWhileEventsArriveAndTheExportStreamsTheSame() {
        long project = 910_010L;
        // Two events share an instant: the event id breaks the tie.
        List<AuditEvent> first = List.of(
                event(project, "webhook.accepted", "inv-p1", T0.plusSeconds(11)),
                event(project, "trigger.matched", "inv-p1", T0.plusSeconds(12)),
                event(project, "invocation.denied", "inv-p2", T0.plusSeconds(12)),
                event(project, "pipeline.created", "inv-p3", T0.plusSeconds(13)));
        first.forEach(e -> kafka.send(Topics.AUDIT, e.key(), e));
        List<String> expected = new ArrayList<>(first.stream()
                .sorted(Comparator.comparing(AuditEvent::occurredAt).thenComparing(AuditEvent::eventId))
                .map(AuditEvent::eventId).toList());
        await().atMost(WAIT).untilAsserted(() -> given().queryParam("projectId", project).get("/api/v1/audit")
                .then().statusCode(200).body("$", hasSize(4)));

        Response page1 = given().queryParam("projectId", project).queryParam("limit", 2).get("/api/v1/audit");
        page1.then().statusCode(200).body("eventId", contains(expected.get(0), expected.get(1)))
                .header("Link", containsString("rel=\"next\""))
                .header("Link", containsString("cursor="))
                .header("Link", containsString("projectId=" + project));

        // Arrives while the client pages.
        AuditEvent late = event(project, "run.succeeded", "inv-p3", T0.plusSeconds(14));
        kafka.send(Topics.AUDIT, late.key(), late);
        expected.add(late.eventId());
        await().atMost(WAIT).untilAsserted(() -> given().queryParam("projectId", project).get("/api/v1/audit")
                .then().statusCode(200).body("$", hasSize(5)));

        List<String> paged = new ArrayList<>(page1.jsonPath().getList("eventId", String.class));
        String cursor = page1.header(AuditResource.NEXT_CURSOR_HEADER);
        while (cursor != null) {
            Response page = given().queryParam("projectId", project).queryParam("limit", 2)
                    .queryParam("cursor", cursor).get("/api/v1/audit");
            page.then().statusCode(200);
            paged.addAll(page.jsonPath().getList("eventId", String.class));
            cursor = page.header(AuditResource.NEXT_CURSOR_HEADER);
            assertTrue(paged.size() <= 6, "paging ends: " + paged);
        }
        assertEquals(expected, paged, "every event once, in order");

        String export = given().queryParam("projectId", project).get("/api/v1/audit/export")
                .then().statusCode(200).contentType(containsString("ndjson"))
                .extract().asString();
        List<String> lines = export.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(expected, lines.stream().map(l -> readEventId(l)).toList());
        String exportAfterCursor = given().queryParam("projectId", project)
                .queryParam("cursor", page1.header(AuditResource.NEXT_CURSOR_HEADER))
                .queryParam("type", "run.succeeded").get("/api/v1/audit/export")
                .then().statusCode(200).extract().asString();
        assertEquals(List.of(late.eventId()), exportAfterCursor.lines().filter(l -> !l.isBlank())
                .map(l -> readEventId(l)).toList());
    }

    @Test
    void actorAndUntilNarrowTheLog() {
        long project = 910_020L;
        AuditEvent byAlice = event(project, "webhook.accepted", "inv-q1", T0.plusSeconds(21));
        AuditEvent byBob = new AuditEvent(EventIds.derive("audit-test", "bob"), T0.plusSeconds(22),
                AuditEvent.VERSION, "inv-q2", "trigger-matcher", "trigger.matched", project, "inv-q2", "bob", null,
                Map.of());
        AuditEvent later = event(project, "trigger.matched", "inv-q1", T0.plusSeconds(23));
        for (AuditEvent e : List.of(byAlice, byBob, later)) {
            kafka.send(Topics.AUDIT, e.key(), e);
        }
        await().atMost(WAIT).untilAsserted(() -> given().queryParam("projectId", project).get("/api/v1/audit")
                .then().statusCode(200).body("$", hasSize(3)));

        given().queryParam("projectId", project).queryParam("actor", "bob").get("/api/v1/audit")
                .then().statusCode(200).body("eventId", contains(byBob.eventId()));
        given().queryParam("projectId", project).queryParam("until", "2026-03-01T10:00:22Z").get("/api/v1/audit")
                .then().statusCode(200).body("eventId", contains(byAlice.eventId(), byBob.eventId()))
                .header(AuditResource.NEXT_CURSOR_HEADER, nullValue());
        given().queryParam("projectId", project).queryParam("actor", "alice").queryParam("type", "trigger.matched")
                .get("/api/v1/audit/export")
                .then().statusCode(200).body(containsString(later.eventId()))
                .body(not(containsString(byAlice.eventId())));
    }

    private String readEventId(String line) {
        try {
            return json.readTree(line).path("eventId").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not a JSON line: " + line, e);
        }
    }

    @Test
    void badParametersAreRefusedWithTheReason() {
        given().queryParam("limit", 0).get("/api/v1/audit").then().statusCode(400)
                .body("error", containsString("limit"));
        given().queryParam("limit", 1001).get("/api/v1/audit").then().statusCode(400);
        given().queryParam("limit", "many").get("/api/v1/audit").then().statusCode(400);
        given().queryParam("since", "yesterday").get("/api/v1/audit").then().statusCode(400)
                .body("error", containsString("ISO-8601"));
        given().queryParam("until", "tomorrow").get("/api/v1/audit").then().statusCode(400)
                .body("error", containsString("until"));
        given().queryParam("cursor", "not-a-cursor").get("/api/v1/audit").then().statusCode(400)
                .body("error", containsString("cursor"));
        given().queryParam("cursor", "%%%").get("/api/v1/audit/export").then().statusCode(400);
        given().queryParam("projectId", "widgets").get("/api/v1/audit").then().statusCode(400)
                .body("error", containsString("projectId"));
        given().queryParam("limit", 1000).queryParam("since", Instant.now().truncatedTo(ChronoUnit.SECONDS)
                .plusSeconds(3600).toString()).get("/api/v1/audit").then().statusCode(200)
                .body("$", hasSize(0));
    }

    @Test
    void anEventThatCannotBeStoredGoesAloneToTheDeadLettersAndItsBatchIsStored() throws Exception {
        long project = 910_005L;
        AuditEvent before = event(project, "webhook.accepted", "inv-e", T0.plusSeconds(1));
        AuditEvent after = event(project, "trigger.matched", "inv-e", T0.plusSeconds(2));
        // No occurredAt: it cannot be stored. Same key and sent together: one partition, most likely one poll.
        Map<String, Object> broken = new java.util.LinkedHashMap<>();
        broken.put("eventId", "audit-test-broken-" + project);
        broken.put("version", AuditEvent.VERSION);
        broken.put("key", "inv-e");
        broken.put("source", "trigger-matcher");
        broken.put("type", "trigger.matched");
        broken.put("projectId", project);
        kafka.sendTogether(Topics.AUDIT, "inv-e", before, broken, after);

        await().atMost(WAIT).untilAsserted(() -> given().queryParam("projectId", project)
                .get("/api/v1/audit")
                .then().statusCode(200)
                .body("eventId", contains(before.eventId(), after.eventId())));
        await().atMost(WAIT).until(() -> kafka.consumedAll(Topics.AUDIT));
        List<String> deadLetters = kafka.readAll(Topics.deadLetter("result-publisher", "audit-in"));
        assertTrue(deadLetters.stream().anyMatch(v -> v.contains("audit-test-broken-" + project)),
                deadLetters::toString);
        assertTrue(deadLetters.stream().noneMatch(v -> v.contains(before.eventId()) || v.contains(after.eventId())),
                deadLetters::toString);
    }

    private static AuditEvent event(long projectId, String type, String invocationId, Instant occurredAt) {
        String source = type.startsWith("webhook") ? "webhook-ingest" : "trigger-matcher";
        return new AuditEvent(EventIds.derive("audit-test", Long.toString(projectId), type), occurredAt,
                AuditEvent.VERSION, invocationId, source, type, projectId, invocationId, "alice", null,
                Map.of("deliveryId", "delivery-" + type));
    }
}
