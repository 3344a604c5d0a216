package io.tandem.ingest.rest;

import static io.restassured.RestAssured.given;
import static io.tandem.ingest.support.PublishedRecords.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.tandem.events.Topics;
import io.tandem.ingest.support.Payloads;
import io.tandem.ingest.support.PublishedRecords;
import io.tandem.testsupport.KafkaTestResource;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * With tracing on (as when OTEL_SDK_DISABLED=false), the record and the audit event of a webhook carry the W3C
 * {@code traceparent} of the webhook's trace, so that consumers continue it. Tests run with tracing on
 * (application.properties, {@code %test}): this class shares the application with GitlabWebhookResourceTest.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TracePropagationTest {

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]");

    private static RequestSpecification noteWebhook(String key) {
        return given().header("X-Gitlab-Token", "test-webhook-secret")
                .header("X-Gitlab-Event", "Note Hook")
                .header("Idempotency-Key", key)
                .contentType("application/json")
                .body(Payloads.bytes("note-issue-event.json"));
    }

    private static Matcher traceparentOf(ConsumerRecord<String, String> record) {
        String traceparent = header(record, "traceparent");
        Matcher matcher = TRACEPARENT.matcher(String.valueOf(traceparent));
        assertTrue(matcher.matches(), "traceparent of " + record.topic() + ": " + traceparent);
        return matcher;
    }

    private static ConsumerRecord<String, String> only(List<ConsumerRecord<String, String>> records) {
        assertEquals(1, records.size(), "records");
        return records.get(0);
    }

    @Test
    void recordAndAuditContinueTheCallersTrace() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String callerSpan = "00f067aa0ba902b7";
        String key = UUID.randomUUID().toString();
        noteWebhook(key).header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .post(GitlabWebhookResource.PATH).then().statusCode(202);

        Matcher note = traceparentOf(only(PublishedRecords.ofDelivery(Topics.GITLAB_NOTES, key)));
        assertEquals(traceId, note.group(1));
        assertNotEquals(callerSpan, note.group(2), "the record's parent is the service's own span");

        ConsumerRecord<String, String> audit = only(PublishedRecords.all(Topics.AUDIT).stream()
                .filter(r -> r.value().contains(key)).toList());
        assertEquals(traceId, traceparentOf(audit).group(1));
    }

    @Test
    void eachWebhookWithoutACallerTraceStartsItsOwn() {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        noteWebhook(first).post(GitlabWebhookResource.PATH).then().statusCode(202);
        noteWebhook(second).post(GitlabWebhookResource.PATH).then().statusCode(202);

        String firstTrace = traceparentOf(only(PublishedRecords.ofDelivery(Topics.GITLAB_NOTES, first))).group(1);
        String secondTrace = traceparentOf(only(PublishedRecords.ofDelivery(Topics.GITLAB_NOTES, second))).group(1);
        assertNotEquals(firstTrace, secondTrace);
    }
}
