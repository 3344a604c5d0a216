package io.tandem.ingest.rest;

import static io.restassured.RestAssured.given;
import static io.tandem.ingest.support.PublishedRecords.header;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.tandem.events.Actor;
import io.tandem.events.AuditEvent;
import io.tandem.events.IssueEvent;
import io.tandem.events.MergeRequestEvent;
import io.tandem.events.NoteEvent;
import io.tandem.events.PipelineEvent;
import io.tandem.events.Topics;
import io.tandem.ingest.support.ExpectedRecords;
import io.tandem.ingest.support.Payloads;
import io.tandem.ingest.support.PublishedRecords;
import io.tandem.testsupport.KafkaTestResource;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.ConfigValue;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class GitlabWebhookResourceTest {

    private static final String SECRET = "test-webhook-secret";
    private static final List<String> WEBHOOK_TOPICS = List.of(Topics.GITLAB_NOTES, Topics.GITLAB_ISSUES,
            Topics.GITLAB_MERGE_REQUESTS, Topics.GITLAB_PIPELINES, Topics.AUDIT);

    @Inject
    ObjectMapper mapper;

    @TestHTTPResource(GitlabWebhookResource.PATH)
    URI webhookUrl;

    private static RequestSpecification webhook(String gitlabEvent, String key, String uuid) {
        return given().header("X-Gitlab-Token", SECRET)
                .header("X-Gitlab-Event", gitlabEvent)
                .header("Idempotency-Key", key)
                .header("X-Gitlab-Event-UUID", uuid)
                .contentType("application/json");
    }

    /** Posts a payload, expects 202, and returns the one record published for the delivery on {@code topic}. */
    private <T> T acceptedRecord(String gitlabEvent, byte[] payload, String topic, String expectedKey,
            Class<T> type, String key, String uuid) throws IOException {
        webhook(gitlabEvent, key, uuid).body(payload).post(GitlabWebhookResource.PATH)
                .then().statusCode(202)
                .body("status", equalTo("accepted"))
                .body("eventId", equalTo(ExpectedRecords.eventId(key)));

        List<ConsumerRecord<String, String>> records = PublishedRecords.ofDelivery(topic, key);
        assertEquals(1, records.size(), "records of delivery " + key + " on " + topic);
        ConsumerRecord<String, String> record = records.get(0);
        assertEquals(expectedKey, record.key());
        assertEquals(uuid, header(record, "tandem-gitlab-event-uuid"));
        assertAudited(ExpectedRecords.eventId(key));
        return mapper.readValue(record.value(), type);
    }

    private void assertAudited(String recordEventId) throws IOException {
        List<AuditEvent> audits = PublishedRecords.all(Topics.AUDIT).stream()
                .map(r -> readAudit(r.value()))
                .filter(a -> recordEventId.equals(a.data().get("recordEventId")))
                .toList();
        assertEquals(1, audits.size(), "webhook.accepted audit events for " + recordEventId);
        assertEquals("webhook.accepted", audits.get(0).type());
        assertEquals("webhook-ingest", audits.get(0).source());
    }

    private AuditEvent readAudit(String json) {
        try {
            return mapper.readValue(json, AuditEvent.class);
        } catch (IOException e) {
            throw new AssertionError("unreadable audit record " + json, e);
        }
    }

    private static void assertNothingPublishedFor(String deliveryId) {
        for (String topic : WEBHOOK_TOPICS) {
            assertEquals(List.of(), PublishedRecords.ofDelivery(topic, deliveryId), topic);
        }
    }

    private static String newKey() {
        return UUID.randomUUID().toString();
    }

    @Test
    void noteOnIssueIsPublishedOnTheNotesTopicKeyedByItsThread() throws IOException {
        String key = newKey();
        String uuid = newKey();
        NoteEvent note = acceptedRecord("Note Hook", Payloads.bytes("note-issue-event.json"), Topics.GITLAB_NOTES,
                "5/Issue/17", NoteEvent.class, key, uuid);
        assertEquals(ExpectedRecords.noteOnIssue(key, uuid), note);
    }

    /**
     * TracePropagationTest shows the other side: with the SDK on, records continue the webhook's trace. The tests
     * run with it on, so the packaged service's configuration is resolved here as it resolves it: the prod profile
     * of application.properties, with this process's environment and system properties.
     */
    @Test
    void withoutOtelSdkDisabledFalseTheTracingSdkIsOff() throws IOException {
        SmallRyeConfig prod = new SmallRyeConfigBuilder().withProfile("prod")
                .addDefaultSources().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(
                        GitlabWebhookResourceTest.class.getResource("/application.properties"), 250))
                .build();
        ConfigValue sdkDisabled = prod.getConfigValue("quarkus.otel.sdk.disabled");
        assertEquals("true", sdkDisabled.getValue());
        assertEquals("${OTEL_SDK_DISABLED:true}", sdkDisabled.getRawValue());
        assertEquals("false", ConfigProvider.getConfig().getValue("quarkus.otel.sdk.disabled", String.class),
                "tests run with tracing on");
    }

    @Test
    void noteOnMergeRequestIsPublishedOnTheNotesTopic() throws IOException {
        String key = newKey();
        String uuid = newKey();
        NoteEvent note = acceptedRecord("Note Hook", Payloads.bytes("note-merge-request-event.json"),
                Topics.GITLAB_NOTES, "5/MergeRequest/1", NoteEvent.class, key, uuid);
        assertEquals(ExpectedRecords.noteOnMergeRequest(key, uuid), note);
    }

    @Test
    void issueIsPublishedOnTheIssuesTopic() throws IOException {
        String key = newKey();
        String uuid = newKey();
        IssueEvent issue = acceptedRecord("Issue Hook", Payloads.bytes("issue-event.json"), Topics.GITLAB_ISSUES,
                "14/Issue/23", IssueEvent.class, key, uuid);
        assertEquals(ExpectedRecords.issue(key, uuid), issue);
    }

    @Test
    void workItemIsPublishedOnTheIssuesTopic() throws IOException {
        String key = newKey();
        String uuid = newKey();
        IssueEvent workItem = acceptedRecord("Work Item Hook", Payloads.bytes("workitem-event.json"),
                Topics.GITLAB_ISSUES, "group:a-group/Epic/1", IssueEvent.class, key, uuid);
        assertEquals(ExpectedRecords.workItem(key, uuid), workItem);
    }

    @Test
    void diffNoteIsPublishedWithItsPosition() throws IOException {
        String key = newKey();
        String uuid = newKey();
        NoteEvent note = acceptedRecord("Note Hook", Payloads.bytes(Payloads.diffNoteOnMergeRequest()),
                Topics.GITLAB_NOTES, "5/MergeRequest/1", NoteEvent.class, key, uuid);
        assertEquals(ExpectedRecords.diffNoteOnMergeRequest(key, uuid), note);
    }

    @Test
    void confidentialNoteHookIsPublishedAsAConfidentialNote() throws IOException {
        String key = newKey();
        NoteEvent note = acceptedRecord("Confidential Note Hook", Payloads.bytes("note-issue-event.json"),
                Topics.GITLAB_NOTES, "5/Issue/17", NoteEvent.class, key, newKey());
        assertTrue(note.confidential());
        assertEquals("Hello world", note.body());
    }

    @Test
    void confidentialIssueHookIsPublishedAsAConfidentialIssue() throws IOException {
        String key = newKey();
        IssueEvent issue = acceptedRecord("Confidential Issue Hook", Payloads.bytes("issue-event.json"),
                Topics.GITLAB_ISSUES, "14/Issue/23", IssueEvent.class, key, newKey());
        assertTrue(issue.confidential());
        assertEquals("open", issue.action());
    }

    @Test
    void mergeRequestIsPublishedOnTheMergeRequestsTopic() throws IOException {
        String key = newKey();
        String uuid = newKey();
        MergeRequestEvent mergeRequest = acceptedRecord("Merge Request Hook", Payloads.bytes("merge-request-event.json"),
                Topics.GITLAB_MERGE_REQUESTS, "1/MergeRequest/1", MergeRequestEvent.class, key, uuid);
        assertEquals(ExpectedRecords.mergeRequest(key, uuid), mergeRequest);
    }

    @Test
    void pipelineIsPublishedOnThePipelinesTopic() throws IOException {
        String key = newKey();
        String uuid = newKey();
        PipelineEvent pipeline = acceptedRecord("Pipeline Hook", Payloads.bytes("pipeline-event.json"),
                Topics.GITLAB_PIPELINES, "1/pipeline/31", PipelineEvent.class, key, uuid);
        assertEquals(ExpectedRecords.pipeline(key, uuid), pipeline);
    }

    @Test
    void issueAssigneeChangesFillPreviousAndCurrent() throws IOException {
        ObjectNode payload = Payloads.tree("issue-event.json");
        ((ObjectNode) payload.path("object_attributes")).put("action", "update");
        ObjectNode assignees = ((ObjectNode) payload.path("changes")).putObject("assignees");
        assignees.putArray("previous");
        assignees.putArray("current").addObject().put("id", 91).put("username", "ai-claude-code-acme")
                .put("name", "Claude Code");
        String key = newKey();

        IssueEvent issue = acceptedRecord("Issue Hook", Payloads.bytes(payload), Topics.GITLAB_ISSUES, "14/Issue/23",
                IssueEvent.class, key, newKey());

        assertEquals(List.of(), issue.previousAssignees());
        assertEquals(List.of(new Actor(91L, "ai-claude-code-acme", "Claude Code")), issue.currentAssignees());
    }

    @Test
    void sameIdempotencyKeyGivesTheSameEventId() {
        String key = newKey();
        byte[] payload = Payloads.bytes("note-issue-event.json");
        String first = webhook("Note Hook", key, newKey()).body(payload).post(GitlabWebhookResource.PATH)
                .then().statusCode(202).extract().path("eventId");
        String retry = webhook("Note Hook", key, newKey()).body(payload).post(GitlabWebhookResource.PATH)
                .then().statusCode(202).extract().path("eventId");

        assertEquals(first, retry);
        List<ConsumerRecord<String, String>> records = PublishedRecords.ofDelivery(Topics.GITLAB_NOTES, key);
        assertEquals(2, records.size());
        for (ConsumerRecord<String, String> record : records) {
            assertTrue(record.value().contains("\"eventId\":\"" + first + "\""), record.value());
        }
    }

    @Test
    void unusedEventKindIsAnsweredWithoutPublishing() {
        String key = newKey();
        webhook("Push Hook", key, newKey()).body(Payloads.bytes("push-event.json")).post(GitlabWebhookResource.PATH)
                .then().statusCode(200)
                .body("status", equalTo("ignored"))
                .body("eventId", nullValue());

        assertNothingPublishedFor(key);
    }

    @Test
    void wrongOrMissingTokenIsRejectedBeforeAnythingElse() {
        String key = newKey();
        given().header("X-Gitlab-Token", SECRET + "x").header("X-Gitlab-Event", "Note Hook")
                .header("Idempotency-Key", key)
                .body(Payloads.bytes("note-issue-event.json")).post(GitlabWebhookResource.PATH)
                .then().statusCode(401)
                .body("error", containsString("X-Gitlab-Token"));
        // Not even a malformed body gets past a missing token: the token is checked first.
        given().header("X-Gitlab-Event", "Note Hook").header("Idempotency-Key", key)
                .body("not json").post(GitlabWebhookResource.PATH)
                .then().statusCode(401);

        assertNothingPublishedFor(key);
    }

    @Test
    void bodiesThatAreNotGitlabEventsAre400WithAReason() {
        String key = newKey();
        webhook("Note Hook", key, newKey()).body("{\"object_kind\": \"note\",").post(GitlabWebhookResource.PATH)
                .then().statusCode(400).body("error", containsString("not valid JSON"));
        webhook("Note Hook", key, newKey()).body("[]").post(GitlabWebhookResource.PATH)
                .then().statusCode(400).body("error", containsString("not a JSON object"));
        webhook("Note Hook", key, newKey()).body("{\"id\": 5}").post(GitlabWebhookResource.PATH)
                .then().statusCode(400).body("error", containsString("no object_kind"));
        given().header("X-Gitlab-Token", SECRET).header("Idempotency-Key", key)
                .body(Payloads.bytes("note-issue-event.json")).post(GitlabWebhookResource.PATH)
                .then().statusCode(400).body("error", containsString("X-Gitlab-Event"));
        ObjectNode withoutIid = Payloads.tree("note-issue-event.json");
        ((ObjectNode) withoutIid.path("issue")).remove("iid");
        webhook("Note Hook", key, newKey()).body(Payloads.bytes(withoutIid)).post(GitlabWebhookResource.PATH)
                .then().statusCode(400).body("error", equalTo("missing or non-numeric issue.iid"));

        assertNothingPublishedFor(key);
    }

    /**
     * Sent over HTTP/1.1 with java.net.http, which never resends a POST (Apache's client behind RestAssured
     * resends a body the server cut off, and each resend would be counted again). The server answers 413 as soon
     * as it sees the size and may close the connection while the client is still uploading; the client then sees
     * the close instead of the answer. The too_large counter, taken from the status the server sent, tells that
     * each request got its 413 either way.
     */
    @Test
    void bodyPastTheLimitIs413() {
        double before = rejected("too_large");
        byte[] oversized = oversizedNote();

        assertAnswered413(HttpRequest.BodyPublishers.ofByteArray(oversized));
        // Without Content-Length (chunked), the limit must hold as well.
        assertAnswered413(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(oversized)));

        assertEquals(before + 2, rejected("too_large"));
    }

    private void assertAnswered413(HttpRequest.BodyPublisher body) {
        HttpRequest request = HttpRequest.newBuilder(webhookUrl)
                .header("X-Gitlab-Token", SECRET).header("X-Gitlab-Event", "Note Hook")
                .header("Idempotency-Key", newKey())
                .header("Content-Type", "application/json")
                .POST(body)
                .build();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            assertEquals(413, client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (IOException closedWhileUploading) {
            // the server closed the connection after its 413: checked through the counter
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void bodyJustUnderTheLimitIsAccepted() {
        ObjectNode payload = Payloads.tree("note-issue-event.json");
        byte[] plain = Payloads.bytes(payload);
        ((ObjectNode) payload.path("object_attributes")).put("description", "x".repeat(1024 * 1024 - plain.length
                - "\"description\":\"\",".length()));
        byte[] body = Payloads.bytes(payload);
        assertEquals(1024 * 1024, body.length);

        webhook("Note Hook", newKey(), newKey()).body(body).post(GitlabWebhookResource.PATH).then().statusCode(202);
    }

    @Test
    void outcomesAreCounted() {
        double unauthorized = rejected("unauthorized");
        double malformed = rejected("malformed");
        double ignored = rejected("ignored");
        double acceptedPipelines = counter("tandem_webhooks_accepted_total", "kind", "pipeline");

        given().header("X-Gitlab-Event", "Note Hook").body("{}").post(GitlabWebhookResource.PATH)
                .then().statusCode(401);
        webhook("Note Hook", newKey(), newKey()).body("nope").post(GitlabWebhookResource.PATH)
                .then().statusCode(400);
        webhook("Job Hook", newKey(), newKey()).body(Payloads.bytes("job-event.json")).post(GitlabWebhookResource.PATH)
                .then().statusCode(200);
        webhook("Pipeline Hook", newKey(), newKey()).body(Payloads.bytes("pipeline-event.json"))
                .post(GitlabWebhookResource.PATH).then().statusCode(202);

        assertEquals(unauthorized + 1, rejected("unauthorized"));
        assertEquals(malformed + 1, rejected("malformed"));
        assertEquals(ignored + 1, rejected("ignored"));
        assertEquals(acceptedPipelines + 1, counter("tandem_webhooks_accepted_total", "kind", "pipeline"));
    }

    @Test
    void theTokenNeverReachesTheRecords() {
        String key = newKey();
        webhook("Note Hook", key, newKey()).body(Payloads.bytes("note-issue-event.json"))
                .post(GitlabWebhookResource.PATH).then().statusCode(202);

        for (String topic : WEBHOOK_TOPICS) {
            for (ConsumerRecord<String, String> record : PublishedRecords.all(topic)) {
                assertFalse(record.value().contains(SECRET), topic);
            }
        }
    }

    private static byte[] oversizedNote() {
        ObjectNode payload = Payloads.tree("note-issue-event.json");
        ((ObjectNode) payload.path("object_attributes")).put("note", "x".repeat(1024 * 1024));
        return Payloads.bytes(payload);
    }

    private static double rejected(String reason) {
        return counter("tandem_webhooks_rejected_total", "reason", reason);
    }

    private static double counter(String name, String tag, String value) {
        Response metrics = given().get("/q/metrics");
        // with tracing on, a sample may end with an exemplar: "... 2.0 # {span_id=...,trace_id=...} 1.0 <time>"
        Matcher matcher = Pattern.compile("(?m)^" + name + "\\{[^}]*" + tag + "=\"" + value
                + "\"[^}]*} (\\S+)( # .*)?$").matcher(metrics.asString());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
