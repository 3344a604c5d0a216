package io.tandem.publisher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.events.Actor;
import io.tandem.events.AuditEvent;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.RunState;
import io.tandem.events.ThreadCommand;
import io.tandem.events.ThreadKey;
import io.tandem.events.ThreadRef;
import io.tandem.events.Topics;
import io.tandem.publisher.service.CommandReplyWriter;
import io.tandem.publisher.service.PublisherAuditEvents;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reads the CloudEvents audit topic as an outside analytics consumer would: its own consumer group, plain JSON,
 * and only the schemas published in docs/schema/audit.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@QuarkusTestResource(IdentityServiceStandInResource.class)
class AuditCloudEventsTest {

    private static final String TOPIC = "tandem.audit.cloudevents.v1";
    private static final Path SCHEMAS = AuditSchemas.DIRECTORY;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper PLAIN = new ObjectMapper();

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
    void everyPublishedSchemaCompilesAndNamesItsType() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(SCHEMAS)) {
            files = listing.filter(p -> p.toString().endsWith(".schema.json")).sorted().toList();
        }
        assertTrue(files.size() >= 20, "one schema per audit type: " + files);
        for (Path file : files) {
            String type = file.getFileName().toString().replace(".schema.json", "");
            JsonNode schema = PLAIN.readTree(file.toFile());
            assertEquals("io.tandem." + type, schema.at("/properties/type/const").asText(), file.toString());
            schemaFor(type);
        }
    }

    @Test
    void everyServicesAuditEventsArePublishedAsCloudEventsThatMatchTheirSchemas() throws Exception {
        Instant at = Instant.parse("2026-04-01T08:00:00Z");
        String run = "ce-run-" + UUID.randomUUID();
        SimulatorSeed seed = SimulatorSeed.shared();
        // result-publisher's own events about an epic run, as its code builds them
        Invocation epicRun = new RunEvents(seed).onEpic("ce-epic-" + UUID.randomUUID(), 4, 40L, null, false);
        ThreadCommand refused = RunEvents.command(epicRun, ThreadCommand.STOP, "ce-" + run,
                new Actor(seed.guest.getId(), seed.guest.getUsername(), "Gus Guest"), "discussion-7",
                "'stop' requires the Developer role or higher; gus is Guest");
        PublisherAuditEvents publisherEvents = new PublisherAuditEvents();
        CommandReplyWriter.Outcome answered = new CommandReplyWriter.Outcome(501L, true, null,
                seed.project.getId());
        List<AuditEvent> sent = List.of(
                publisherEvents.noteWritten(epicRun, RunState.PROCESSING, 500L),
                publisherEvents.commandRefusalAnswered(refused, answered),
                new AuditEvent(EventIds.derive("ce", run, "1"), at, 1, "920001", "webhook-ingest",
                        "webhook.accepted", 920_001L, null, "alice", null,
                        Map.of("kind", "note", "recordEventId", "r-1", "recordKey", "920001/Issue/1")),
                new AuditEvent(EventIds.derive("ce", run, "2"), at.plusSeconds(1), 1, run, "trigger-matcher",
                        "trigger.matched", 920_001L, run, "alice", "ai-claude-code-acme", Map.of()),
                new AuditEvent(EventIds.derive("ce", run, "3"), at.plusSeconds(2), 1, run, "identity-service",
                        "invocation.authorized", 920_001L, run, "alice", "ai-claude-code-acme",
                        Map.of("requesterAccessLevel", "30", "requesterRole", "Developer",
                                "serviceAccountAccessLevel", "30", "serviceAccountRole", "Developer",
                                "effectiveAccessLevel", "30")),
                new AuditEvent(EventIds.derive("ce", run, "4"), at.plusSeconds(3), 1, run, "pipeline-launcher",
                        "pipeline.created", 920_001L, run, "alice", "ai-claude-code-acme",
                        Map.of("pipelineId", "5", "branch", "workloads/" + run)),
                new AuditEvent(EventIds.derive("ce", run, "5"), at.plusSeconds(4), 1, "group:7", "identity-service",
                        "service-account.created", null, null, null, "ai-claude-code-acme",
                        Map.of("groupId", "7", "agentName", "Claude Code", "userId", "12")));
        sent.forEach(event -> kafka.send(Topics.AUDIT, event.key(), event));

        // And one result-publisher writes itself: an invocation in a thread it cannot write to (a snippet).
        Invocation snippet = new RunEvents(seed).invocation("ce-snippet-" + UUID.randomUUID(),
                new ThreadRef(seed.project.getId(), null, seed.project.getPathWithNamespace(), "Snippet", 4, null,
                        null, null));
        kafka.send(Topics.INVOCATIONS_REQUESTED, ThreadKey.of(snippet.thread()), RunEvents.requested(snippet));

        Map<String, ConsumerRecord<String, String>> received = new HashMap<>();
        try (KafkaConsumer<String, String> analytics = analyticsConsumer()) {
            await().atMost(WAIT).until(() -> {
                analytics.poll(Duration.ofMillis(500)).forEach(record -> received.put(id(record), record));
                return sent.stream().allMatch(e -> received.containsKey(e.eventId()))
                        && received.values().stream().anyMatch(r -> r.value().contains(snippet.invocationId()));
            });
        }

        for (ConsumerRecord<String, String> record : received.values()) {
            JsonNode event = PLAIN.readTree(record.value());
            String type = event.path("type").asText().substring("io.tandem.".length());
            Set<ValidationMessage> errors = schemaFor(type).validate(event);
            assertTrue(errors.isEmpty(), type + ": " + errors + " in " + record.value());
            Header contentType = record.headers().lastHeader("content-type");
            assertEquals("application/cloudevents+json; charset=UTF-8",
                    new String(contentType.value(), StandardCharsets.UTF_8));
        }

        JsonNode epicNote = PLAIN.readTree(received.get(sent.get(0).eventId()).value());
        assertEquals(seed.project.getId().longValue(), epicNote.at("/data/projectId").asLong(),
                "an epic's steps are filed under the run's project");
        assertEquals(seed.group.getId().toString(), epicNote.at("/data/details/groupId").asText());
        JsonNode refusal = PLAIN.readTree(received.get(sent.get(1).eventId()).value());
        assertEquals("io.tandem.command.refused.answered", refusal.path("type").asText());
        assertEquals(refused.refusal(), refusal.at("/data/details/refusal").asText());

        AuditEvent authorized = sent.get(4);
        JsonNode event = PLAIN.readTree(received.get(authorized.eventId()).value());
        assertEquals(run, received.get(authorized.eventId()).key(), "keyed like the audit event");
        assertEquals("1.0", event.path("specversion").asText());
        assertEquals("/tandem/identity-service", event.path("source").asText());
        assertEquals("io.tandem.invocation.authorized", event.path("type").asText());
        assertEquals("2026-04-01T08:00:02Z", event.path("time").asText());
        assertEquals(run, event.path("subject").asText());
        assertEquals("application/json", event.path("datacontenttype").asText());
        assertEquals("Developer", event.at("/data/details/requesterRole").asText());
        assertEquals(920_001L, event.at("/data/projectId").asLong());
        assertEquals("group:7", PLAIN.readTree(received.get(sent.get(6).eventId()).value()).path("subject").asText(),
                "a step outside a run is about its key");
        assertTrue(received.values().stream().anyMatch(r -> r.value().contains("\"io.tandem.note.unsupported\"")
                && r.value().contains(snippet.invocationId())), "result-publisher's own steps are published too");
    }

    @Test
    void theSchemasRejectWhatIsNotTheirEvent() throws Exception {
        ObjectNode valid = (ObjectNode) PLAIN.readTree("""
                {"specversion":"1.0","id":"e-1","source":"/tandem/identity-service",
                 "type":"io.tandem.run-token.minted","time":"2026-04-01T08:00:00Z","subject":"run-1",
                 "datacontenttype":"application/json",
                 "data":{"eventVersion":1,"key":"run-1","projectId":5,"invocationId":"run-1","actor":"alice",
                         "serviceAccount":"ai-x","details":{"jti":"j","kid":"k","expiresAt":"2026-04-01T09:00:00Z"}}}
                """);
        JsonSchema schema = schemaFor("run-token.minted");
        assertTrue(schema.validate(valid).isEmpty(), schema.validate(valid).toString());

        assertFalse(schema.validate(valid.deepCopy().put("type", "io.tandem.pipeline.created")).isEmpty());
        assertFalse(schema.validate(valid.deepCopy().put("source", "/tandem/trigger-matcher")).isEmpty());
        ObjectNode withoutId = valid.deepCopy();
        withoutId.remove("id");
        assertFalse(schema.validate(withoutId).isEmpty());
        ObjectNode numericDetail = valid.deepCopy();
        ((ObjectNode) numericDetail.at("/data/details")).put("jti", 5);
        assertFalse(schema.validate(numericDetail).isEmpty(), "details are strings");
        assertFalse(schema.validate(valid.deepCopy().put("time", "yesterday")).isEmpty(), "time is a date-time");
    }

    @Test
    void theTopicKeepsEventsLongAndIsNeverCompacted() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaTestResource.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
            Config config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
            assertEquals("delete", config.get("cleanup.policy").value());
            assertEquals("-1", config.get("retention.ms").value());
        }
    }

    private static JsonSchema schemaFor(String type) throws IOException {
        return AuditSchemas.schemaFor(type);
    }

    private static String id(ConsumerRecord<String, String> record) {
        try {
            return PLAIN.readTree(record.value()).path("id").asText();
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + record.value(), e);
        }
    }

    private static KafkaConsumer<String, String> analyticsConsumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "audit-analytics-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer());
        consumer.subscribe(List.of(TOPIC));
        return consumer;
    }
}
