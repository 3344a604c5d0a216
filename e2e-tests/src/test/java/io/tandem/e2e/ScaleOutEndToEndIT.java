package io.tandem.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Two replicas of webhook-ingest and of trigger-matcher on the real broker. The project has a webhook to each
 * ingest replica, so every comment reaches Tandem twice, through different instances, as when GitLab retries a
 * delivery through a load balancer; the matcher replicas share the notes topic's partitions. Every mention
 * still becomes exactly one run.
 *
 * <p>Isolated: it runs alone, after the classes that run side by side. Starting and stopping replicas rebalances
 * the consumer groups every other class's runs go through, and a replica stopped while it handles a record of
 * another class's run sends that record to its dead-letter topic (seen: an assignment lost), which is a
 * trigger-matcher matter, not this class's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Isolated
@Order(5)
class ScaleOutEndToEndIT {

    static final String NOTES_TOPIC = "tandem.gitlab.notes.v1";
    static final int MENTIONS = 12;
    static final String AGENT_YAML = """
            image: registry.example.com/agents/opencode:1.0
            commands:
              - opencode run "$AI_FLOW_INPUT"
            """;

    TandemStack stack;
    SimGitlab sim;
    Project project;
    GitLabApi sid;
    String serviceAccount;
    final List<String> replicas = new ArrayList<>();

    @BeforeAll
    void seedAndScaleOut() throws Exception {
        stack = TandemStack.shared();
        sim = new SimGitlab(stack.gitlab.url());
        replicas.add(stack.startReplica("webhook-ingest"));
        replicas.add(stack.startReplica("trigger-matcher"));
        replicas.forEach(stack::awaitReady);

        User sam = sim.createUser("sam");
        User sidUser = sim.createUser("sid");
        sid = sim.as(sidUser);
        Group scale = sim.root.getGroupApi().addGroup("Scale", "scale");
        sim.root.getGroupApi().addMember(scale.getId(), sam.getId(), AccessLevel.OWNER);
        project = sim.root.getProjectApi().createProject(scale.getId(), "app");
        sim.root.getProjectApi().addMember(project.getId(), sidUser.getId(), AccessLevel.DEVELOPER);
        for (String ingest : List.of("webhook-ingest", replicas.get(0))) {
            ProjectHook hook = new ProjectHook();
            hook.setNoteEvents(true);
            hook.setPipelineEvents(true);
            sim.root.getProjectApi().addHook(project.getId(), stack.url(ingest) + "/webhooks/gitlab", hook, false,
                    stack.webhookSecret);
        }

        TandemAdmin admin = new TandemAdmin(stack.url("trigger-matcher"), sim.token(sam));
        long agentId = admin.createAgent(project.getId(), "Opencode", AGENT_YAML);
        serviceAccount = admin.enableInGroup(scale.getId(), agentId).username();
        admin.enableInProject(project.getId(), agentId, List.of("mention"));
    }

    @AfterAll
    void scaleIn() {
        stack.stopReplicas(replicas);
    }

    @Test
    void everyMentionDeliveredThroughBothReplicasBecomesExactlyOneRun() throws Exception {
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < MENTIONS; i++) {
            Issue issue = sid.getIssuesApi().createIssue(project.getId(), "Scale issue " + i, "number " + i);
            String input = "@" + serviceAccount + " look at issue " + i;
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
        await().atMost(SimGitlab.WAIT).untilAsserted(() -> assertThat(matcherLag()).isZero());

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

    /** Records of the notes topic that trigger-matcher's consumer group has not committed yet. */
    private long matcherLag() throws Exception {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets("trigger-matcher").partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(List.of(NOTES_TOPIC)).allTopicNames().get()
                    .get(NOTES_TOPIC).partitions().stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(NOTES_TOPIC, p.partition()),
                            p -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
            return ends.entrySet().stream().mapToLong(e -> {
                OffsetAndMetadata done = committed.get(e.getKey());
                return e.getValue().offset() - (done == null ? 0 : done.offset());
            }).sum();
        }
    }
}
