package io.tandem.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.Pipeline;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.ProjectHook;
import org.gitlab4j.api.models.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Two replicas of webhook-ingest and of trigger-matcher on the real broker. The project has a webhook to each
 * ingest replica, so every comment reaches Tandem twice, through different instances, as when GitLab retries a
 * delivery through a load balancer; the matcher replicas share the notes topic's partitions. Every mention
 * still becomes exactly one run.
 *
 * <p>Then one matcher replica is stopped (SIGTERM, as a scale-down or a rolling deploy does) in the middle of a
 * burst of mentions and assignments: the records it was handling, or had fetched, go to the other replica, and
 * every trigger still becomes exactly one run, with nothing in the dead letters (docs/kafka.md, "Stopping a
 * replica").
 *
 * <p>Isolated: it runs alone, after the classes that run side by side. Starting and stopping replicas rebalances
 * the consumer groups every other class's runs go through.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Isolated
@Order(5)
class ScaleOutEndToEndIT {

    static final String NOTES_TOPIC = "tandem.gitlab.notes.v1";
    static final String ISSUES_TOPIC = "tandem.gitlab.issues.v1";
    static final String MATCHER_DEAD_LETTERS = "tandem.dlq.trigger-matcher.";
    static final int MENTIONS = 12;
    /** Threads of the stop case: every other one gets a mention, the rest an assignment. */
    static final int BURST = 24;
    static final String AGENT_YAML = """
            image: registry.example.com/agents/opencode:1.0
            commands:
              - opencode run "$AI_FLOW_INPUT"
            """;

    TandemStack stack;
    SimGitlab sim;
    Project project;
    GitLabApi sid;
    User sidUser;
    Group scale;
    long agentId;
    TandemAdmin admin;
    TandemAdmin.ServiceAccount serviceAccount;
    final List<String> replicas = new ArrayList<>();

    @BeforeAll
    void seedAndScaleOut() throws Exception {
        stack = TandemStack.shared();
        sim = new SimGitlab(stack.gitlab.url());
        replicas.add(stack.startReplica("webhook-ingest"));
        replicas.add(stack.startReplica("trigger-matcher"));
        replicas.forEach(stack::awaitReady);

        User sam = sim.createUser("sam");
        sidUser = sim.createUser("sid");
        sid = sim.as(sidUser);
        scale = sim.root.getGroupApi().addGroup("Scale", "scale");
        sim.root.getGroupApi().addMember(scale.getId(), sam.getId(), AccessLevel.OWNER);
        project = sim.root.getProjectApi().createProject(scale.getId(), "app");
        sim.root.getProjectApi().addMember(project.getId(), sidUser.getId(), AccessLevel.DEVELOPER);
        hookToBothIngests(project);

        admin = new TandemAdmin(stack.url("trigger-matcher"), sim.token(sam));
        agentId = admin.createAgent(project.getId(), "Opencode", AGENT_YAML);
        serviceAccount = admin.enableInGroup(scale.getId(), agentId);
        admin.enableInProject(project.getId(), agentId, List.of("mention"));
    }

    private void hookToBothIngests(Project target) throws Exception {
        for (String ingest : List.of("webhook-ingest", replicas.get(0))) {
            ProjectHook hook = new ProjectHook();
            hook.setNoteEvents(true);
            hook.setIssuesEvents(true);
            hook.setPipelineEvents(true);
            sim.root.getProjectApi().addHook(target.getId(), stack.url(ingest) + "/webhooks/gitlab", hook, false,
                    stack.webhookSecret);
        }
    }

    @AfterAll
    void scaleIn() {
        stack.stopReplicas(replicas);
    }

    @Test
    @Order(1)
    void everyMentionDeliveredThroughBothReplicasBecomesExactlyOneRun() throws Exception {
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < MENTIONS; i++) {
            Issue issue = sid.getIssuesApi().createIssue(project.getId(), "Scale issue " + i, "number " + i);
            String input = "@" + serviceAccount.username() + " look at issue " + i;
            sid.getNotesApi().createIssueNote(project.getId(), issue.getIid(), input);
            inputs.add(input);
        }

        await().atMost(SimGitlab.WAIT).pollInterval(SimGitlab.POLL).untilAsserted(() -> assertThat(
                sim.pipelines(project.getId(), vars -> inputs.contains(vars.get("AI_FLOW_INPUT"))))
                .hasSize(MENTIONS));

        // Both copies of every comment were accepted, and every accepted record has been consumed: any
        // duplicate run would exist by now.
        await().atMost(SimGitlab.WAIT).untilAsserted(() -> assertThat(noteDeliveries())
                .hasSize(2 * MENTIONS).allSatisfy(d -> assertThat(d.get("delivered")).isEqualTo(true)));
        await().atMost(SimGitlab.WAIT).untilAsserted(() -> assertThat(matcherLag(NOTES_TOPIC)).isZero());

        List<Pipeline> runs = sim.pipelines(project.getId(), vars -> inputs.contains(vars.get("AI_FLOW_INPUT")));
        Map<String, Long> perInput = runs.stream().collect(Collectors.groupingBy(
                p -> sim.variables(project.getId(), p).get("AI_FLOW_INPUT"), Collectors.counting()));
        assertThat(perInput).hasSize(MENTIONS).allSatisfy((input, count) -> assertThat(count)
                .as("runs for %s", input).isEqualTo(1L));
        assertThat(acceptedNotes("webhook-ingest")).as("notes accepted by the first replica")
                .isGreaterThanOrEqualTo(MENTIONS);
        assertThat(acceptedNotes(replicas.get(0))).as("notes accepted by the second replica")
                .isGreaterThanOrEqualTo(MENTIONS);
        runs.forEach(p -> sim.pipelineStatus(project.getId(), p.getId(), "success"));
    }

    @Test
    @Order(2)
    void aMatcherReplicaStoppedInTheMiddleOfABurstLosesNoTrigger() throws Exception {
        Project burst = sim.root.getProjectApi().createProject(scale.getId(), "burst");
        sim.root.getProjectApi().addMember(burst.getId(), sidUser.getId(), AccessLevel.DEVELOPER);
        hookToBothIngests(burst);
        admin.enableInProject(burst.getId(), agentId, List.of("mention", "assign"));
        long deadLettersBefore = matcherDeadLetters();
        String stopping = replicas.stream().filter(r -> r.startsWith("trigger-matcher")).findFirst().orElseThrow();

        // One key per trigger: the mention's text, or "assign <iid>".
        List<String> triggers = new ArrayList<>();
        CompletableFuture<Void> stopped = null;
        for (int i = 0; i < BURST; i++) {
            Issue issue = sid.getIssuesApi().createIssue(burst.getId(), "Burst issue " + i, "number " + i);
            if (i % 2 == 0) {
                String input = "@" + serviceAccount.username() + " look at burst issue " + i;
                sid.getNotesApi().createIssueNote(burst.getId(), issue.getIid(), input);
                triggers.add(input);
            } else {
                given().header("PRIVATE-TOKEN", sid.getAuthToken()).contentType("application/json")
                        .body(Map.of("assignee_ids", List.of(serviceAccount.id())))
                        .put(sim.url() + "/api/v4/projects/" + burst.getId() + "/issues/" + issue.getIid())
                        .then().statusCode(200);
                triggers.add("assign " + issue.getIid());
            }
            if (i == BURST / 4) {
                // SIGTERM while the replica handles the first threads' records and fetches the next ones
                stopped = CompletableFuture.runAsync(() -> stack.stopReplicas(List.of(stopping)));
            }
        }
        stopped.join();
        replicas.remove(stopping);

        await().atMost(SimGitlab.WAIT).pollInterval(SimGitlab.POLL)
                .untilAsserted(() -> assertThat(runsPerTrigger(burst)).containsOnlyKeys(triggers));
        await().atMost(SimGitlab.WAIT).untilAsserted(() -> assertThat(matcherLag(NOTES_TOPIC, ISSUES_TOPIC)).isZero());
        Map<String, Long> runs = runsPerTrigger(burst);
        assertThat(runs).containsOnlyKeys(triggers).allSatisfy((trigger, count) -> assertThat(count)
                .as("runs for %s", trigger).isEqualTo(1L));
        assertThat(matcherDeadLetters()).as("records in trigger-matcher's dead-letter topics")
                .isEqualTo(deadLettersBefore);
        sim.pipelines(burst.getId(), vars -> true)
                .forEach(p -> sim.pipelineStatus(burst.getId(), p.getId(), "success"));
    }

    /** The project's runs by trigger: a mention's text, or "assign <iid>". */
    private Map<String, Long> runsPerTrigger(Project target) throws Exception {
        return sim.pipelines(target.getId(), vars -> true).stream()
                .map(p -> sim.variables(target.getId(), p))
                .collect(Collectors.groupingBy(vars -> "assign".equals(vars.get("AI_FLOW_EVENT"))
                        ? "assign " + vars.get("AI_FLOW_INPUT") : vars.get("AI_FLOW_INPUT"), Collectors.counting()));
    }

    /** The deliveries of sid's comments (not of the progress notes the agent writes in reply). */
    private List<Map<String, Object>> noteDeliveries() {
        long projectId = project.getId();
        return sim.deliveries().stream().filter(d -> "Note Hook".equals(d.get("event")))
                .filter(d -> d.get("payload") instanceof Map<?, ?> payload
                        && payload.get("project_id") instanceof Number n && n.longValue() == projectId
                        && payload.get("user") instanceof Map<?, ?> user && "sid".equals(user.get("username"))
                        && payload.get("object_attributes") instanceof Map<?, ?> note
                        && "create".equals(note.get("action")))
                .toList();
    }

    /** What the replica's own Prometheus counter says it accepted and published of note events. */
    private double acceptedNotes(String ingest) {
        String metrics = given().get(stack.url(ingest) + "/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("tandem_webhooks_accepted_total") && l.contains("note"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Records of the topics that trigger-matcher's consumer group has not committed yet. */
    private long matcherLag(String... topics) throws Exception {
        try (Admin kafka = kafkaAdmin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = kafka
                    .listConsumerGroupOffsets("trigger-matcher").partitionsToOffsetAndMetadata().get();
            return endOffsets(kafka, List.of(topics)).entrySet().stream().mapToLong(e -> {
                OffsetAndMetadata done = committed.get(e.getKey());
                return e.getValue() - (done == null ? 0 : done.offset());
            }).sum();
        }
    }

    /** How many records trigger-matcher's dead-letter topics hold (those that exist yet). */
    private long matcherDeadLetters() throws Exception {
        try (Admin kafka = kafkaAdmin()) {
            List<String> topics = kafka.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(MATCHER_DEAD_LETTERS)).toList();
            return endOffsets(kafka, topics).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private Admin kafkaAdmin() {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers());
        return Admin.create(config);
    }

    private static Map<TopicPartition, Long> endOffsets(Admin kafka, List<String> topics) throws Exception {
        if (topics.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> latest = kafka.describeTopics(topics).allTopicNames().get().values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = kafka.listOffsets(latest).all().get();
        return ends.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
