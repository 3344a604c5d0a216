package io.tandem.publisher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.ValidationMessage;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.events.AgentDefinition;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.RunState;
import io.tandem.events.RunStatusChanged;
import io.tandem.events.ThreadKey;
import io.tandem.events.Topics;
import io.tandem.publisher.service.ProgressNoteText;
import io.tandem.publisher.service.ResultFileText;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.GitlabSimulator;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.gitlab4j.api.models.CommitAction;
import org.gitlab4j.api.models.Discussion;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.Job;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.Note;
import org.gitlab4j.api.models.Pipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run whose definition names a result file ends with that file, as its agent job kept it, posted in the thread
 * once by the service account; on a diff line of a merge request, in the asking discussion.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@QuarkusTestResource(IdentityServiceStandInResource.class)
class ResultFileTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String RESULT_FILE = ".tandem/answer.md";
    private static final String CLOUDEVENTS_TOPIC = "tandem.audit.cloudevents.v1";
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SimulatorSeed seed;

    @Inject
    ObjectMapper json;

    private KafkaRecords kafka;
    private RunEvents events;

    @BeforeAll
    static void seedSimulator() throws Exception {
        seed = SimulatorSeed.shared();
    }

    @BeforeEach
    void clients() {
        kafka = new KafkaRecords(json);
        events = new RunEvents(seed);
    }

    @AfterEach
    void closeClients() {
        kafka.close();
    }

    @Test
    void theAgentJobsResultFileIsPostedOnceInTheThread() throws Exception {
        Issue issue = seed.issue("Explain the rounding");
        Invocation invocation = withResultFile(events.invocation(EventIds.derive("test", "result-issue"), "Issue",
                issue.getIid(), issue.getWebUrl()));
        Pipeline pipeline = agentPipeline(invocation);
        String answer = "## Why it rounds\n\nBecause `Math.round` rounds half up.\n/close\n";
        upload(agentJob(pipeline), answer);
        RunStatusChanged succeeded = end(invocation, RunState.SUCCEEDED, pipeline);

        kafka.send(Topics.RUNS_STATUS, key(invocation), succeeded);

        Note result = await().atMost(WAIT).until(() -> resultNotes(issueNotes(invocation), invocation),
                notes -> notes.size() == 1).get(0);
        assertEquals(ResultFileText.marker(invocation.invocationId()) + "\n"
                + "## Why it rounds\n\nBecause `Math.round` rounds half up.\n\\/close\n", result.getBody(),
                "the file as the agent wrote it, its quick action made inert");
        assertEquals(seed.serviceAccount.getId(), result.getAuthor().getId(), "posted as the service account");
        assertTrue(issueNotes(invocation).stream().anyMatch(n -> n.getBody().startsWith(
                ProgressNoteText.marker(invocation.invocationId())) && n.getBody().contains("has finished")),
                "the progress note says the run ended");

        // A redelivered end posts no second answer.
        kafka.send(Topics.RUNS_STATUS, key(invocation), succeeded);
        await().atMost(WAIT).until(() -> kafka.consumedAll(Topics.RUNS_STATUS));
        assertEquals(1, resultNotes(issueNotes(invocation), invocation).size(), "still one answer");

        String jobId = Long.toString(agentJob(pipeline).getId());
        await().atMost(WAIT).untilAsserted(() -> given()
                .queryParam("invocationId", invocation.invocationId()).queryParam("type", "result.posted")
                .get("/api/v1/audit")
                .then().statusCode(200)
                .body("data.noteId", contains(result.getId().toString()))
                .body("data.jobId", contains(jobId))
                .body("data.resultFile", contains(RESULT_FILE))
                .body("data.truncated", contains("false")));
        JsonNode cloudEvent = awaitCloudEvent("io.tandem.result.posted", invocation.invocationId());
        Set<ValidationMessage> errors = AuditSchemas.schemaFor("result.posted").validate(cloudEvent);
        assertTrue(errors.isEmpty(), errors + " in " + cloudEvent);
        assertEquals(Integer.toString(answer.getBytes(StandardCharsets.UTF_8).length),
                cloudEvent.at("/data/details/bytes").asText());
    }

    @Test
    void anAnswerAboutADiffLineIsPostedInTheAskingDiscussion() throws Exception {
        MergeRequest mergeRequest = seed.mergeRequest("result-diff-line");
        Discussion asked = seed.root.getDiscussionsApi().createMergeRequestDiscussion(seed.project.getId(),
                mergeRequest.getIid(), "@" + seed.serviceAccount.getUsername() + " is this line right?", null, null,
                null);
        Invocation invocation = withResultFile(RunEvents.onDiffLine(events.invocation(
                EventIds.derive("test", "result-diff-line"), "MergeRequest", mergeRequest.getIid()), asked.getId()));
        Pipeline pipeline = agentPipeline(invocation);
        upload(agentJob(pipeline), "Yes: line 1 is right.\n");

        kafka.send(Topics.RUNS_STATUS, key(invocation), end(invocation, RunState.SUCCEEDED, pipeline));

        List<Note> discussion = await().atMost(WAIT).until(() -> seed.root.getDiscussionsApi()
                .getMergeRequestDiscussion(seed.project.getId(), mergeRequest.getIid(), asked.getId()).getNotes(),
                notes -> !resultNotes(notes, invocation).isEmpty());
        Note result = resultNotes(discussion, invocation).get(0);
        assertTrue(result.getBody().endsWith("Yes: line 1 is right.\n"), result.getBody());
        List<Note> everywhere = seed.root.getNotesApi().getMergeRequestNotes(seed.project.getId(),
                mergeRequest.getIid());
        assertEquals(1, resultNotes(everywhere, invocation).size(), "one answer, in the discussion");
        await().atMost(WAIT).untilAsserted(() -> given()
                .queryParam("invocationId", invocation.invocationId()).queryParam("type", "result.posted")
                .get("/api/v1/audit")
                .then().statusCode(200)
                .body("data.discussionId", contains(asked.getId())));
    }

    @Test
    void aRunThatLeftNoResultFilePostsNothing() throws Exception {
        Issue issue = seed.issue("No answer left");
        Invocation invocation = withResultFile(events.invocation(EventIds.derive("test", "result-none"), "Issue",
                issue.getIid(), issue.getWebUrl()));
        Pipeline pipeline = agentPipeline(invocation);

        kafka.send(Topics.RUNS_STATUS, key(invocation), end(invocation, RunState.FAILED, pipeline));

        await().atMost(WAIT).until(() -> issueNotes(invocation).stream()
                .anyMatch(n -> n.getBody().contains("could not finish your request")));
        await().atMost(WAIT).until(() -> kafka.consumedAll(Topics.RUNS_STATUS));
        assertTrue(resultNotes(issueNotes(invocation), invocation).isEmpty(), "no answer posted");
        given().queryParam("invocationId", invocation.invocationId()).queryParam("type", "result.posted")
                .get("/api/v1/audit")
                .then().statusCode(200)
                .body("size()", is(0));
    }

    @Test
    void aResultFileOver64KibIsCutAndSaysSo() throws Exception {
        Issue issue = seed.issue("A long answer");
        Invocation invocation = withResultFile(events.invocation(EventIds.derive("test", "result-long"), "Issue",
                issue.getIid(), issue.getWebUrl()));
        Pipeline pipeline = agentPipeline(invocation);
        Job job = agentJob(pipeline);
        StringBuilder longAnswer = new StringBuilder();
        for (int line = 0; longAnswer.length() < 80_000; line++) {
            longAnswer.append("Line ").append(line).append(": grüße aus der Ausgabe.\n");
        }
        upload(job, longAnswer.toString());

        // a failed run's answer is posted too: it may say why the agent gave up
        kafka.send(Topics.RUNS_STATUS, key(invocation), end(invocation, RunState.FAILED, pipeline));

        Note result = await().atMost(WAIT).until(() -> resultNotes(issueNotes(invocation), invocation),
                notes -> notes.size() == 1).get(0);
        String body = result.getBody();
        String marker = ResultFileText.marker(invocation.invocationId()) + "\n";
        int notice = body.indexOf("\n\n---\n_This answer was cut at 64 KiB.");
        assertTrue(notice > 0, "says it was cut: " + body.substring(Math.max(0, body.length() - 300)));
        String kept = body.substring(marker.length(), notice);
        assertTrue(longAnswer.toString().startsWith(kept), "the file's beginning, unchanged");
        int keptBytes = kept.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(keptBytes <= 64 * 1024 && keptBytes > 64 * 1024 - 4, "cut at 64 KiB: " + keptBytes);
        assertTrue(body.endsWith("The whole file, `" + RESULT_FILE + "`, is in the artifacts of job [tandem-agent]("
                + job.getWebUrl() + ")._"), body.substring(notice));
        await().atMost(WAIT).untilAsserted(() -> given()
                .queryParam("invocationId", invocation.invocationId()).queryParam("type", "result.posted")
                .get("/api/v1/audit")
                .then().statusCode(200)
                .body("data.truncated", contains("true"))
                .body("data.state", contains("FAILED"))
                .body("data.bytes", contains(Integer.toString(64 * 1024))));
    }

    /** The invocation as trigger-matcher makes it for a definition that names {@value #RESULT_FILE}. */
    private static Invocation withResultFile(Invocation invocation) {
        AgentDefinition d = invocation.definition();
        return invocation.withDefinition(new AgentDefinition(d.image(), d.commands(), d.variables(),
                d.injectGatewayToken(), d.timeoutMinutes(), d.idTokens(), RESULT_FILE));
    }

    /**
     * A pipeline as pipeline-launcher creates it: on the run's branch, whose CI configuration has a job before
     * the agent's, so that the agent's job is found by name, not by place.
     */
    private static Pipeline agentPipeline(Invocation invocation) throws Exception {
        String branch = "workloads/" + invocation.invocationId();
        String ci = "prepare:\n  script: [\"echo prepare\"]\n"
                + "tandem-agent:\n  script: [\"echo answer\"]\n"
                + "  artifacts:\n    paths: [\"" + RESULT_FILE + "\"]\n    when: always\n";
        CommitAction config = new CommitAction().withAction(CommitAction.Action.CREATE)
                .withFilePath(".gitlab-ci.yml").withContent(ci);
        seed.root.getCommitsApi().createCommit(seed.project.getId(), branch, "Run " + invocation.invocationId(),
                seed.defaultBranch(), null, null, List.of(config));
        return seed.root.getPipelineApi().createPipeline(seed.project.getId(), branch);
    }

    private static Job agentJob(Pipeline pipeline) throws Exception {
        List<Job> jobs = seed.root.getJobApi().getJobsForPipeline(seed.project.getId(), pipeline.getId());
        assertEquals(List.of("prepare", "tandem-agent"), jobs.stream().map(Job::getName).toList());
        return jobs.get(1);
    }

    /** Plays the runner that uploads the agent job's artifact, through the simulator's own endpoint. */
    private static void upload(Job job, String content) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(GitlabSimTestResource.url() + "/-/sim/projects/"
                        + seed.project.getId() + "/jobs/" + job.getId() + "/artifacts/" + RESULT_FILE))
                .header("PRIVATE-TOKEN", GitlabSimulator.ROOT_TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString(content, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
    }

    private static RunStatusChanged end(Invocation invocation, RunState state, Pipeline pipeline) {
        String detail = state == RunState.FAILED ? "Job `tandem-agent` failed: " + pipeline.getWebUrl() : null;
        return new RunStatusChanged(EventIds.derive("status", invocation.invocationId(), state.name()),
                Instant.now(), RunStatusChanged.VERSION, key(invocation), invocation, state, pipeline.getId(),
                pipeline.getWebUrl(), detail);
    }

    private static List<Note> issueNotes(Invocation invocation) throws Exception {
        return seed.root.getNotesApi().getIssueNotes(seed.project.getId(), invocation.thread().noteableIid());
    }

    private static List<Note> resultNotes(List<Note> notes, Invocation invocation) {
        String marker = ResultFileText.marker(invocation.invocationId());
        return notes.stream().filter(n -> n.getBody() != null && n.getBody().startsWith(marker)).toList();
    }

    /** The CloudEvent of {@code type} about run {@code invocationId}, read as an outside analytics consumer. */
    private static JsonNode awaitCloudEvent(String type, String invocationId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "audit-analytics-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<JsonNode> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(CLOUDEVENTS_TOPIC));
            await().atMost(WAIT).until(() -> {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode event = PLAIN.readTree(record.value());
                    if (type.equals(event.path("type").asText())
                            && invocationId.equals(event.path("subject").asText())) {
                        found.add(event);
                    }
                }
                return !found.isEmpty();
            });
        }
        return found.get(0);
    }

    private static String key(Invocation invocation) {
        return ThreadKey.of(invocation.thread());
    }
}
