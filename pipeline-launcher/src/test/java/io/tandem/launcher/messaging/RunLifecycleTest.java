package io.tandem.launcher.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.events.Actor;
import io.tandem.events.AgentDefinition;
import io.tandem.events.AuditEvent;
import io.tandem.events.DiffPosition;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.InvocationAuthorized;
import io.tandem.events.PipelineEvent;
import io.tandem.events.RunState;
import io.tandem.events.RunStatusChanged;
import io.tandem.events.ThreadCommand;
import io.tandem.events.ThreadKey;
import io.tandem.events.ThreadRef;
import io.tandem.events.Topics;
import io.tandem.launcher.service.RunLauncher;
import io.tandem.testsupport.CapturedLogs;
import io.tandem.launcher.support.FakeAiGateway;
import io.tandem.launcher.support.FakeIdentityService;
import io.tandem.launcher.support.JwksVerifier;
import io.tandem.testsupport.Metrics;
import io.tandem.testsupport.ConsumerGroup;
import io.tandem.launcher.support.TopicReader;
import io.tandem.launcher.support.TopicReader.Received;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.GitlabSimulator;
import io.tandem.testsupport.KafkaBroker;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.CommitAction;
import org.gitlab4j.api.models.Epic;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.Note;
import org.gitlab4j.api.models.ImpersonationToken;
import org.gitlab4j.api.models.Job;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.Pipeline;
import org.gitlab4j.api.models.PipelineFilter;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.User;
import org.gitlab4j.api.models.Variable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The launcher against a real Kafka broker, a real PostgreSQL and the GitLab simulator; identity-service is
 * stood in by {@link FakeIdentityService}, which hands out a real personal access token of a service account
 * created in the simulator.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@QuarkusTestResource(FakeIdentityService.class)
@QuarkusTestResource(FakeAiGateway.class)
class RunLifecycleTest {

    private static final String FINISHED = "tandem_runs_finished_total";
    private static final String TO_PIPELINE = "tandem_webhook_to_pipeline_seconds";

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final AgentDefinition DEFINITION = new AgentDefinition("node:22-slim",
            List.of("npm install --global @anthropic-ai/claude-code", "claude -p \"$AI_FLOW_INPUT\""),
            List.of("ANTHROPIC_API_KEY"), true, 15,
            Map.of("GITLAB_OIDC_TOKEN", Map.of("aud", "https://vault.example.com")));

    private static GitLabApi root;
    private static Project project;
    private static User serviceAccount;
    private static Issue issue;
    private static KafkaProducer<String, String> producer;
    private static TopicReader<RunStatusChanged> statuses;
    private static TopicReader<AuditEvent> audits;

    @Inject
    ObjectMapper mapper;

    @Inject
    DataSource dataSource;

    @BeforeAll
    static void seedGitlab() throws Exception {
        root = new GitLabApi(GitlabSimTestResource.url(), GitlabSimulator.ROOT_TOKEN);
        project = root.getProjectApi().createProject(new Project().withName("launcher-app"));
        serviceAccount = root.getUserApi().createUser(new User().withUsername("ai-claude-code-acme")
                .withName("Claude Code (acme)").withEmail("ai-claude-code-acme@example.invalid")
                .withSkipConfirmation(true), "a-long-password-1234", false);
        ImpersonationToken pat = root.getUserApi().createPersonalAccessToken(serviceAccount.getId(), "tandem",
                Date.from(Instant.now().plus(Duration.ofDays(30))),
                new ImpersonationToken.Scope[] {ImpersonationToken.Scope.API});
        root.getProjectApi().addMember(project.getId(), serviceAccount.getId(), AccessLevel.DEVELOPER);
        FakeIdentityService.registerServiceAccount(serviceAccount.getId(), pat.getToken());
        FakeIdentityService.gatewayProjectId(project.getId());

        issue = root.getIssuesApi().createIssue(project.getId(), "The build is red",
                "Since Monday `mvn verify` fails.");
        root.getNotesApi().createIssueNote(project.getId(), issue.getIid(), "First: it fails in the launcher.");
        root.getNotesApi().createIssueNote(project.getId(), issue.getIid(), "@ai-claude-code-acme please fix it");

        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaTestResource.bootstrapServers()), new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void close() {
        if (producer != null) {
            producer.close();
        }
        if (statuses != null) {
            statuses.close();
            audits.close();
        }
        if (root != null) {
            root.close();
        }
    }

    @Test
    void anIssueMentionStartsOnePipelineOnItsOwnBranch() throws Exception {
        Invocation invocation = invocation(serviceAccount.getId(), "@ai-claude-code-acme please fix $HOME");
        double timedBefore = Metrics.value(TO_PIPELINE + "_count");

        publish(invocation);

        Received<RunStatusChanged> started = awaitStatus(invocation, RunState.STARTED, 1).get(0);
        assertTrue(Metrics.value(TO_PIPELINE + "_count") >= timedBefore + 1, "webhook-to-pipeline timed");
        for (String slo : List.of("0.1", "0.3", "1.0", "5.0")) {
            assertTrue(Metrics.has(TO_PIPELINE + "_bucket", "le", slo), "SLO bucket " + slo);
        }
        String branch = "workloads/" + invocation.invocationId();
        List<Pipeline> pipelines = pipelinesOn(branch);
        assertEquals(1, pipelines.size());
        Pipeline pipeline = pipelines.get(0);

        RunStatusChanged record = started.value();
        assertEquals(ThreadKey.of(invocation.thread()), started.key());
        assertEquals(EventIds.derive("run", invocation.invocationId(), "STARTED"), record.eventId());
        assertEquals(pipeline.getId(), record.pipelineId());
        assertEquals(pipeline.getWebUrl(), record.pipelineUrl());
        assertEquals(invocation, record.invocation());
        assertFalse(started.json().contains(FakeIdentityService.RUN_TOKEN), "run token on Kafka");

        // the branch carries Tandem's CI config, made from the agent definition
        String ci = rawFile(branch, ".gitlab-ci.yml");
        Map<String, Object> config = new Yaml().load(ci);
        @SuppressWarnings("unchecked")
        Map<String, Object> job = (Map<String, Object>) config.get("tandem-agent");
        assertEquals("node:22-slim", job.get("image"));
        assertEquals(DEFINITION.commands(), job.get("script"));
        assertEquals("15 minutes", job.get("timeout"));
        assertEquals(DEFINITION.idTokens(), job.get("id_tokens"));
        assertTrue(String.valueOf(job.get("before_script"))
                .contains("|ANTHROPIC_API_KEY|GITLAB_OIDC_TOKEN|TANDEM_AI_GATEWAY_URL)"), ci);
        assertTrue(config.containsKey("workflow"), ci);
        assertFalse(ci.contains(FakeIdentityService.RUN_TOKEN), "run token committed");

        // the pipeline's variables are the AI_FLOW_* ones and, for this managed definition, the AI gateway's
        Map<String, String> variables = root.getPipelineApi().getPipelineVariables(project.getId(), pipeline.getId())
                .stream().collect(Collectors.toMap(Variable::getKey, Variable::getValue));
        assertEquals(Map.of(
                "AI_FLOW_INPUT", "@ai-claude-code-acme please fix $$HOME",
                "AI_FLOW_EVENT", "mention",
                "AI_FLOW_PROJECT_PATH", project.getPathWithNamespace(),
                "AI_FLOW_GITLAB_HOSTNAME", "127.0.0.1:8082",
                "AI_FLOW_GITLAB_TOKEN", FakeIdentityService.RUN_TOKEN,
                "AI_FLOW_ID", invocation.invocationId(),
                "AI_FLOW_AI_GATEWAY_HEADERS", "X-Tandem-Run-Id: " + invocation.invocationId()
                        + "\nX-Tandem-Project-Id: " + project.getId(),
                "TANDEM_AI_GATEWAY_URL", "http://127.0.0.1:8085"),
                without(without(variables, "AI_FLOW_CONTEXT"), "AI_FLOW_AI_GATEWAY_TOKEN"));
        String gatewayToken = variables.get("AI_FLOW_AI_GATEWAY_TOKEN");
        JsonNode gatewayClaims = JwksVerifier.verifiedClaims(gatewayToken,
                FakeIdentityService.url() + "/.well-known/jwks.json");
        assertEquals("tandem-ai-gateway", gatewayClaims.path("aud").asText());
        assertEquals(invocation.invocationId(), gatewayClaims.path("run_id").asText());
        assertFalse(ci.contains(gatewayToken), "gateway token committed");
        assertFalse(started.json().contains(gatewayToken), "gateway token on Kafka");

        JsonNode context = mapper.readTree(variables.get("AI_FLOW_CONTEXT"));
        assertEquals("Issue", context.get("type").asText());
        assertEquals("The build is red", context.get("issue").get("title").asText());
        assertEquals("Since Monday `mvn verify` fails.", context.get("issue").get("description").asText());
        assertEquals("opened", context.get("issue").get("state").asText());
        assertEquals(issue.getWebUrl(), context.get("issue").get("web_url").asText());
        assertTrue(context.get("issue").get("labels").isArray());
        JsonNode notes = context.get("notes");
        assertEquals(2, notes.size(), notes.toString());
        assertEquals("First: it fails in the launcher.", notes.get(0).get("body").asText());
        assertEquals("root", notes.get(0).get("author").asText());
        assertNotNull(notes.get(0).get("created_at").asText());
        assertNull(context.get("trimmed"));

        List<Received<AuditEvent>> created = awaitAudit(invocation, "pipeline.created");
        assertEquals(branch, created.get(0).value().data().get("branch"));
        assertEquals(String.valueOf(pipeline.getId()), created.get(0).value().data().get("pipelineId"));
        assertFalse(created.get(0).json().contains(FakeIdentityService.RUN_TOKEN));
        assertFalse(created.get(0).json().contains(gatewayToken));
    }

    @Test
    void aDefinitionWithoutManagedCredentialsGetsNoGatewayVariables() throws Exception {
        AgentDefinition unmanaged = new AgentDefinition("node:22-slim", List.of("claude -p \"$AI_FLOW_INPUT\""),
                List.of("ANTHROPIC_API_KEY"), false, 15, Map.of());
        Invocation invocation = invocation(serviceAccount.getId(), "@ai-claude-code-acme with my own key")
                .withDefinition(unmanaged);

        publish(invocation);

        RunStatusChanged started = awaitStatus(invocation, RunState.STARTED, 1).get(0).value();
        Map<String, String> variables = root.getPipelineApi().getPipelineVariables(project.getId(),
                started.pipelineId()).stream().collect(Collectors.toMap(Variable::getKey, Variable::getValue));
        // identity's stand-in offered a gateway token anyway: the definition decides
        assertEquals(invocation.invocationId(), variables.get("AI_FLOW_ID"));
        for (String name : List.of("AI_FLOW_AI_GATEWAY_TOKEN", "AI_FLOW_AI_GATEWAY_HEADERS", "TANDEM_AI_GATEWAY_URL")) {
            assertFalse(variables.containsKey(name), name + " in " + variables.keySet());
        }
        String ci = rawFile("workloads/" + invocation.invocationId(), ".gitlab-ci.yml");
        assertTrue(ci.contains("|ANTHROPIC_API_KEY)"), ci);
        assertFalse(ci.contains("TANDEM_AI_GATEWAY_URL"), ci);
    }

    @Test
    void aManagedRunOverItsTokenBudgetIsRefusedBeforeItsPipelineExists() throws Exception {
        long requesterId = 777;
        FakeAiGateway.overBudget(requesterId);
        Invocation asked = invocation(serviceAccount.getId(), "@ai-claude-code-acme one more, please");
        Invocation invocation = new Invocation(asked.invocationId(), asked.trigger(), asked.agentId(),
                asked.agentName(), asked.serviceAccount(), new Actor(requesterId, "over-budget", "Over Budget"),
                asked.thread(), asked.triggerNoteId(), asked.discussionId(), asked.input(), asked.sourceBranch(),
                asked.defaultBranch(), asked.definition(), asked.position(), null, null);

        publish(invocation);

        RunStatusChanged refused = awaitStatus(invocation, RunState.REFUSED, 1).get(0).value();
        assertEquals(FakeAiGateway.REASON, refused.detail());
        assertNull(refused.pipelineId());
        assertTrue(root.getRepositoryApi().getOptionalBranch(project.getId(), "workloads/" + invocation.invocationId())
                .isEmpty(), "no branch for a refused run");
        // the budgets asked about: the run's project, the service account's group (from the gateway token), the human
        assertTrue(FakeAiGateway.queries().stream().anyMatch(query -> query.contains("projectId=" + project.getId())
                && query.contains("groupId=" + FakeIdentityService.GATEWAY_GROUP_ID)
                && query.contains("userId=" + requesterId)), FakeAiGateway.queries().toString());
        // a redelivery changes nothing: the run stays refused, with no pipeline
        publish(invocation);
        assertEquals(2, awaitStatus(invocation, RunState.REFUSED, 2).size());
        assertTrue(root.getPipelineApi().getPipelines(project.getId()).stream()
                .noneMatch(p -> ("workloads/" + invocation.invocationId()).equals(p.getRef())));
    }

    @Test
    void aServiceAccountTokenRotatedAwayIsFetchedAgainAfterGitlabSays401() throws Exception {
        // an account of its own: the watchdog's polls of other runs must not take the stale token first
        User rotated = root.getUserApi().createUser(new User().withUsername("ai-rotated-acme")
                .withName("Rotated (acme)").withEmail("ai-rotated-acme@example.invalid")
                .withSkipConfirmation(true), "a-long-password-1234", false);
        ImpersonationToken current = root.getUserApi().createPersonalAccessToken(rotated.getId(), "tandem",
                Date.from(Instant.now().plus(Duration.ofDays(30))),
                new ImpersonationToken.Scope[] {ImpersonationToken.Scope.API});
        root.getProjectApi().addMember(project.getId(), rotated.getId(), AccessLevel.DEVELOPER);
        FakeIdentityService.registerServiceAccount(rotated.getId(), current.getToken());
        FakeIdentityService.handOutStaleTokenOnce(rotated.getId(), "glpat-rotated-away-0000");
        Invocation invocation = invocation(rotated.getId(), "@ai-rotated-acme after the rotation");

        publish(invocation);

        RunStatusChanged started = awaitStatus(invocation, RunState.STARTED, 1).get(0).value();
        assertEquals(1, pipelinesOn("workloads/" + invocation.invocationId()).size());
        assertEquals(started.pipelineId(), pipelinesOn("workloads/" + invocation.invocationId()).get(0).getId());
        assertTrue(FakeIdentityService.tokenAsks(rotated.getId()) >= 2, "asked once more after the 401");
        assertTrue(statuses.matching(s -> s.state() == RunState.FAILED
                && s.invocation().invocationId().equals(invocation.invocationId())).isEmpty());

        // later calls as the service account (here: cancelling on stop) also ask again after a 401
        FakeIdentityService.handOutStaleTokenOnce(rotated.getId(), "glpat-rotated-away-0001");
        publish(command(invocation, ThreadCommand.STOP, new Actor(5L, "alice", "Alice"), null));
        awaitStatus(invocation, RunState.CANCELED, 1);
        await().atMost(WAIT).until(() -> "canceled".equals(root.getPipelineApi()
                .getPipeline(project.getId(), started.pipelineId()).getStatus().toValue()));
    }

    @Test
    void aMessageDeliveredThreeTimesStartsOnePipeline() throws Exception {
        Invocation invocation = invocation(serviceAccount.getId(), "@ai-claude-code-acme once please");

        publish(invocation);
        publish(invocation);
        publish(invocation);

        List<Received<RunStatusChanged>> started = awaitStatus(invocation, RunState.STARTED, 3);
        assertEquals(1, started.stream().map(r -> r.value().eventId()).distinct().count());
        assertEquals(1, started.stream().map(r -> r.value().pipelineId()).distinct().count());
        List<Pipeline> pipelines = pipelinesOn("workloads/" + invocation.invocationId());
        assertEquals(1, pipelines.size());
        assertEquals(pipelines.get(0).getId(), started.get(0).value().pipelineId());
    }

    /**
     * Several consumers read the authorized invocations (LAUNCHER_CONSUMER_CONCURRENCY), one per partition.
     * Invocations on two threads of every partition, each delivered twice, all at once: each starts one pipeline,
     * and its second delivery, handled after the first on its partition, publishes the same STARTED again (handled
     * alongside the first, it would have found it in flight and published nothing).
     */
    @Test
    void invocationsOnThreadsOfEveryPartitionEachStartOnePipelineInOrder() throws Exception {
        int concurrency = ConfigProvider.getConfig().getValue(
                "mp.messaging.incoming.invocations-authorized.concurrency", Integer.class);
        await().atMost(WAIT).untilAsserted(() -> assertEquals(Math.min(concurrency, KafkaBroker.PARTITIONS),
                ConsumerGroup.membersReading("pipeline-launcher", Topics.INVOCATIONS_AUTHORIZED)));
        List<Invocation> invocations = new ArrayList<>();
        int[] perPartition = new int[KafkaBroker.PARTITIONS];
        while (invocations.size() < 2 * KafkaBroker.PARTITIONS) {
            Issue other = root.getIssuesApi().createIssue(project.getId(), "Thread " + invocations.size(), "");
            Invocation invocation = invocation(serviceAccount.getId(), "@ai-claude-code-acme go", other);
            int partition = ConsumerGroup.partitionOf(ThreadKey.of(invocation.thread()));
            if (perPartition[partition] < 2) {
                perPartition[partition]++;
                invocations.add(invocation);
            }
        }

        for (int delivery = 0; delivery < 2; delivery++) {
            for (Invocation invocation : invocations) {
                publish(invocation);
            }
        }

        for (Invocation invocation : invocations) {
            List<Received<RunStatusChanged>> started = awaitStatus(invocation, RunState.STARTED, 2);
            assertEquals(1, started.stream().map(r -> r.value().eventId()).distinct().count());
            List<Pipeline> pipelines = pipelinesOn("workloads/" + invocation.invocationId());
            assertEquals(1, pipelines.size());
            assertEquals(pipelines.get(0).getId(), started.get(1).value().pipelineId());
        }
    }

    @Test
    void aSuccessfulPipelineSucceedsTheRunAndRemovesItsBranch() throws Exception {
        Invocation invocation = invocation(serviceAccount.getId(), "@ai-claude-code-acme run and finish");
        double succeededBefore = Metrics.value(FINISHED, "state", "succeeded");
        publish(invocation);
        long pipelineId = awaitStatus(invocation, RunState.STARTED, 1).get(0).value().pipelineId();
        String branch = "workloads/" + invocation.invocationId();

        publish(pipelineEvent(pipelineId, "running", branch));
        publish(pipelineEvent(pipelineId, "success", branch));

        Received<RunStatusChanged> running = awaitStatus(invocation, RunState.RUNNING, 1).get(0);
        Received<RunStatusChanged> succeeded = awaitStatus(invocation, RunState.SUCCEEDED, 1).get(0);
        assertEquals(EventIds.derive("run", invocation.invocationId(), "SUCCEEDED"), succeeded.value().eventId());
        assertEquals(pipelineId, succeeded.value().pipelineId());
        assertEquals(ThreadKey.of(invocation.thread()), succeeded.key());
        assertNull(succeeded.value().resultBranch(), "only Tandem's CI-file commit is on the branch");
        assertEquals(pipelineId, running.value().pipelineId());
        assertNull(awaitAudit(invocation, "run.succeeded").get(0).value().data().get("resultBranch"));
        assertTrue(Metrics.value(FINISHED, "state", "succeeded") >= succeededBefore + 1, "runs finished");
        await().atMost(WAIT).until(() -> root.getRepositoryApi().getOptionalBranch(project.getId(), branch).isEmpty());

        // a late "failed" for a finished run changes nothing; the repeated "success" behind it (same key, same
        // partition, so handled after it) is published again with the same id
        publish(pipelineEvent(pipelineId, "failed", branch));
        publish(pipelineEvent(pipelineId, "success", branch));
        List<Received<RunStatusChanged>> twice = awaitStatus(invocation, RunState.SUCCEEDED, 2);
        assertEquals(1, twice.stream().map(r -> r.value().eventId()).distinct().count());
        assertNull(twice.get(1).value().resultBranch());
        assertTrue(statuses.matching(s -> s.invocation().invocationId().equals(invocation.invocationId())
                && s.state() == RunState.FAILED).isEmpty());
    }

    @Test
    void aRunWhoseAgentCommittedSucceedsWithItsBranchKeptAsTheResult() throws Exception {
        Invocation invocation = invocation(serviceAccount.getId(), "@ai-claude-code-acme fix it on a branch");
        publish(invocation);
        long pipelineId = awaitStatus(invocation, RunState.STARTED, 1).get(0).value().pipelineId();
        String branch = "workloads/" + invocation.invocationId();
        // the agent's work: a commit on the run's branch besides Tandem's own "Tandem run <id>" one
        root.getCommitsApi().createCommit(project.getId(), branch, "Fix the build", null, null, null,
                List.of(new CommitAction().withAction(CommitAction.Action.CREATE).withFilePath("FIX.md")
                        .withContent("the fix\n")));
        // GitLab stumbles while the launcher compares the branch: retried, not taken for "no commits"
        injectFault("GET", "/projects/" + project.getId() + "/repository/compare", 503, 2, null);

        publish(pipelineEvent(pipelineId, "success", branch));

        RunStatusChanged succeeded = awaitStatus(invocation, RunState.SUCCEEDED, 1).get(0).value();
        assertEquals(branch, succeeded.resultBranch());
        assertEquals(pipelineId, succeeded.pipelineId());
        assertEquals(branch, awaitAudit(invocation, "run.succeeded").get(0).value().data().get("resultBranch"));
        assertEquals("[]", faults());

        // a repeated hook (same key, so handled after the first one, branch step included) says the same
        publish(pipelineEvent(pipelineId, "success", branch));
        List<Received<RunStatusChanged>> twice = awaitStatus(invocation, RunState.SUCCEEDED, 2);
        assertEquals(1, twice.stream().map(r -> r.value().eventId()).distinct().count());
        assertEquals(branch, twice.get(1).value().resultBranch());
        assertTrue(root.getRepositoryApi().getOptionalBranch(project.getId(), branch).isPresent(),
                "the branch with the agent's commits was deleted");
        assertEquals("the fix\n", rawFile(branch, "FIX.md"));
    }

    @Test
    void aSuccessfulRunWhoseBranchGitlabCannotCompareKeepsItWithoutNamingAResult() throws Exception {
        Invocation invocation = invocation(serviceAccount.getId(), "@ai-claude-code-acme while compare is down");
        publish(invocation);
        long pipelineId = awaitStatus(invocation, RunState.STARTED, 1).get(0).value().pipelineId();
        String branch = "workloads/" + invocation.invocationId();
        // longer than the retries: the launcher cannot tell whether the agent left work
        injectFault("GET", "/projects/" + project.getId() + "/repository/compare", 500, 4, null);
        try {
            publish(pipelineEvent(pipelineId, "success", branch));

            RunStatusChanged succeeded = awaitStatus(invocation, RunState.SUCCEEDED, 1).get(0).value();
            assertNull(succeeded.resultBranch());
            assertEquals("[]", faults());
            publish(pipelineEvent(pipelineId, "success", branch));
            awaitStatus(invocation, RunState.SUCCEEDED, 2);
            assertTrue(root.getRepositoryApi().getOptionalBranch(project.getId(), branch).isPresent(),
                    "a branch that may hold the agent's work was deleted");
        } finally {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(GitlabSimTestResource.url()
                    + "/-/sim/faults")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void aFailedPipelineNamesTheFailedJobAndLinksItsLog() throws Exception {
        Invocation invocation = invocation(serviceAccount.getId(), "@ai-claude-code-acme this will break");
        double failedBefore = Metrics.value(FINISHED, "state", "failed");
        publish(invocation);
        long pipelineId = awaitStatus(invocation, RunState.STARTED, 1).get(0).value().pipelineId();
        String branch = "workloads/" + invocation.invocationId();
        // the runner fails the job; GitLab's Pipeline Hook follows
        simulatePipelineStatus(pipelineId, "failed");
        publish(pipelineEvent(pipelineId, "failed", branch));

        RunStatusChanged failed = awaitStatus(invocation, RunState.FAILED, 1).get(0).value();
        List<Job> jobs = root.getJobApi().getJobsForPipeline(project.getId(), pipelineId);
        assertEquals(1, jobs.size());
        Job job = jobs.get(0);
        assertEquals("tandem-agent", job.getName(), "the job of Tandem's generated CI config");
        assertEquals("Job `tandem-agent` failed: " + job.getWebUrl(), failed.detail());
        assertTrue(job.getWebUrl().endsWith("/-/jobs/" + job.getId()), job.getWebUrl());
        assertTrue(root.getJobApi().getTrace(project.getId(), job.getId()).contains("Job failed: script_failure"),
                "the log behind the link");
        assertEquals(pipelineId, failed.pipelineId());
        assertNull(failed.resultBranch());
        assertEquals(failed.detail(), awaitAudit(invocation, "run.failed").get(0).value().data().get("detail"));
        assertTrue(Metrics.value(FINISHED, "state", "failed") >= failedBefore + 1, "runs finished");
        await().atMost(WAIT).until(() -> root.getRepositoryApi().getOptionalBranch(project.getId(), branch).isEmpty());

        // the hook again, after the branch is gone: the same record, job and link included
        publish(pipelineEvent(pipelineId, "failed", branch));
        List<Received<RunStatusChanged>> twice = awaitStatus(invocation, RunState.FAILED, 2);
        assertEquals(failed.detail(), twice.get(1).value().detail());
        assertEquals(1, twice.stream().map(r -> r.value().eventId()).distinct().count());
    }

    @Test
    void aRestartHalfWayAdoptsTheBranchAndThePipelineItFinds() throws Exception {
        Invocation invocation = invocation(serviceAccount.getId(), "@ai-claude-code-acme again");
        String branch = "workloads/" + invocation.invocationId();
        // what a launcher that crashed before recording anything would have left behind
        root.getRepositoryApi().createBranch(project.getId(), branch, "main");
        Pipeline earlier = root.getPipelineApi().createPipeline(project.getId(), branch);

        publish(invocation);

        RunStatusChanged started = awaitStatus(invocation, RunState.STARTED, 1).get(0).value();
        assertEquals(earlier.getId(), started.pipelineId());
        assertEquals(1, pipelinesOn(branch).size());
        List<Received<AuditEvent>> created = awaitAudit(invocation, "pipeline.created");
        assertEquals("true", created.get(0).value().data().get("adopted"));
    }

    @Test
    void aServiceAccountIdentityServiceDoesNotKnowFailsTheRunWithAReason() throws Exception {
        Invocation invocation = invocation(987_654L, "@ai-claude-code-acme hello");
        double failedBefore = Metrics.value(FINISHED, "state", "failed");

        try (CapturedLogs logs = CapturedLogs.of(RunLauncher.class)) {
            publish(invocation);

            // logged after the calls to identity-service: the run id stayed in the record's logging context
            CapturedLogs.Line line = logs.await("run " + invocation.invocationId() + " failed to start");
            assertEquals(invocation.invocationId(), line.mdc().get(RunMdc.RUN_ID), "MDC: " + line.mdc());
        }
        RunStatusChanged failed = awaitStatus(invocation, RunState.FAILED, 1).get(0).value();
        assertNull(failed.pipelineId());
        assertTrue(failed.detail().contains("404"), failed.detail());
        assertTrue(Metrics.value(FINISHED, "state", "failed") >= failedBefore + 1, "runs finished");
        assertTrue(root.getRepositoryApi().getOptionalBranch(project.getId(),
                "workloads/" + invocation.invocationId()).isEmpty());
    }

    @Test
    void aMergeRequestDiffFarOverTheBudgetIsTrimmedLargestFirstAndSaysSo() throws Exception {
        String source = "feature/huge-" + UUID.randomUUID().toString().substring(0, 8);
        List<CommitAction> files = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            files.add(new CommitAction().withAction(CommitAction.Action.CREATE).withFilePath("data/big" + i + ".txt")
                    .withContent(("line " + i + " of a generated file\n").repeat(1_500 + i * 100)));
        }
        files.add(new CommitAction().withAction(CommitAction.Action.CREATE).withFilePath("src/Small.java")
                .withContent("class Small {\n    int answer() { return 41; }\n}\n"));
        root.getCommitsApi().createCommit(project.getId(), source, "Generate data", "main", null, null, files);
        MergeRequest mr = root.getMergeRequestApi().createMergeRequest(project.getId(), source, "main",
                "Add generated data", "Twelve big files and one small one", null);
        root.getNotesApi().createMergeRequestNote(project.getId(), mr.getIid(), "Looks big.", null, null);
        MergeRequest withRefs = root.getMergeRequestApi().getMergeRequest(project.getId(), mr.getIid());
        DiffPosition position = new DiffPosition(withRefs.getDiffRefs().getBaseSha(),
                withRefs.getDiffRefs().getStartSha(), withRefs.getDiffRefs().getHeadSha(), "src/Small.java",
                "src/Small.java", null, 2, "text");
        ThreadRef thread = new ThreadRef(project.getId(), null, project.getPathWithNamespace(), "MergeRequest",
                mr.getIid(), mr.getId(), mr.getWebUrl(), null);
        String id = UUID.randomUUID().toString();
        Invocation invocation = new Invocation(id, "mention", 11, "Claude Code", new Actor(serviceAccount.getId(),
                serviceAccount.getUsername(), serviceAccount.getName()), new Actor(1L, "root", "Administrator"),
                thread, 99, "d-" + id, "@ai-claude-code-acme why 41?", source, "main", DEFINITION, position, null, null);

        publish(invocation);

        long pipelineId = awaitStatus(invocation, RunState.STARTED, 1).get(0).value().pipelineId();
        String json = root.getPipelineApi().getPipelineVariables(project.getId(), pipelineId).stream()
                .filter(v -> v.getKey().equals("AI_FLOW_CONTEXT")).findFirst().orElseThrow().getValue();
        assertTrue(json.getBytes(StandardCharsets.UTF_8).length <= 65_536, "size " + json.length());
        JsonNode context = mapper.readTree(json);
        JsonNode node = context.get("merge_request");
        assertEquals(source, node.get("source_branch").asText());
        assertEquals(withRefs.getDiffRefs().getHeadSha(), node.get("diff_refs").get("head_sha").asText());
        assertEquals(2, context.get("position").get("new_line").asInt());
        assertEquals("src/Small.java", context.get("position").get("new_path").asText());
        JsonNode changes = node.get("changes");
        assertEquals(13, changes.size(), "every changed path is listed");
        JsonNode trimmed = context.get("trimmed");
        assertEquals(13, trimmed.get("diffs_total").asInt());
        int trimmedDiffs = trimmed.get("trimmed_diffs").asInt();
        assertTrue(trimmedDiffs > 0, trimmed.toString());
        Map<String, JsonNode> byPath = new java.util.HashMap<>();
        changes.forEach(c -> byPath.put(c.get("new_path").asText(), c));
        assertTrue(byPath.get("src/Small.java").get("diff").asText().contains("return 41"));
        assertTrue(byPath.get("data/big11.txt").get("diff_trimmed").asBoolean(), "the largest went first");
        assertFalse(byPath.get("data/big11.txt").has("diff"));
        assertEquals(1, context.get("notes").size());
        assertEquals("Looks big.", context.get("notes").get(0).get("body").asText());
    }

    @Test
    void aRunPastItsTimeoutIsCancelledInGitlabAndTimedOut() throws Exception {
        Invocation invocation = invocation(serviceAccount.getId(), "@ai-claude-code-acme take your time");
        publish(invocation);
        long pipelineId = awaitStatus(invocation, RunState.STARTED, 1).get(0).value().pipelineId();
        Instant deadline = (Instant) sql("select deadline_at from launcher.run where invocation_id = ?",
                invocation.invocationId());
        Instant started = (Instant) sql("select started_at from launcher.run where invocation_id = ?",
                invocation.invocationId());
        assertEquals(Duration.ofMinutes(15), Duration.between(started, deadline), "the definition's timeout");

        // fifteen minutes later, as far as the launcher can tell
        sql("update launcher.run set deadline_at = now() - interval '1 second' where invocation_id = ?",
                invocation.invocationId());

        RunStatusChanged timedOut = awaitStatus(invocation, RunState.TIMED_OUT, 1).get(0).value();
        assertEquals("Timed out after 15 minutes", timedOut.detail());
        assertEquals(pipelineId, timedOut.pipelineId());
        assertEquals("canceled", root.getPipelineApi().getPipeline(project.getId(), pipelineId).getStatus().toValue());
        awaitAudit(invocation, "run.timed_out");
        String branch = "workloads/" + invocation.invocationId();
        await().atMost(WAIT).until(() -> root.getRepositoryApi().getOptionalBranch(project.getId(), branch).isEmpty());
    }

    @Test
    void aMissedPipelineHookIsMadeUpForByThePoll() throws Exception {
        Invocation invocation = invocation(serviceAccount.getId(), "@ai-claude-code-acme quick one");
        publish(invocation);
        long pipelineId = awaitStatus(invocation, RunState.STARTED, 1).get(0).value().pipelineId();

        // GitLab ends the pipeline; its Pipeline Hook never reaches Tandem (no webhook-ingest here)
        simulatePipelineStatus(pipelineId, "success");

        RunStatusChanged succeeded = awaitStatus(invocation, RunState.SUCCEEDED, 1).get(0).value();
        assertEquals(pipelineId, succeeded.pipelineId());
        assertEquals("poll", awaitAudit(invocation, "run.succeeded").get(0).value().data().get("source"));
    }

    @Test
    void stopCancelsTheRunsPipelineOnceHoweverOftenItIsSaid() throws Exception {
        Invocation invocation = invocation(serviceAccount.getId(), "@ai-claude-code-acme do something long");
        publish(invocation);
        long pipelineId = awaitStatus(invocation, RunState.STARTED, 1).get(0).value().pipelineId();
        simulatePipelineStatus(pipelineId, "running");

        ThreadCommand stop = command(invocation, ThreadCommand.STOP, new Actor(5L, "alice", "Alice"), null);
        publish(stop);
        publish(stop);

        List<Received<RunStatusChanged>> canceled = awaitStatus(invocation, RunState.CANCELED, 2);
        assertEquals(1, canceled.stream().map(r -> r.value().eventId()).distinct().count());
        assertEquals("stopped by @alice", canceled.get(0).value().detail());
        assertEquals("canceled", root.getPipelineApi().getPipeline(project.getId(), pipelineId).getStatus().toValue());
        assertEquals("@alice", awaitAudit(invocation, "run.canceled").get(0).value().data().get("stoppedBy"));
        assertEquals(1, pipelinesOn("workloads/" + invocation.invocationId()).size());
    }

    @Test
    void aRefusedStopCancelsNothing() throws Exception {
        Invocation running = invocation(serviceAccount.getId(), "@ai-claude-code-acme keep going");
        Invocation other = invocation(serviceAccount.getId(), "@ai-claude-code-acme something else");
        publish(running);
        publish(other);
        long pipelineId = awaitStatus(running, RunState.STARTED, 1).get(0).value().pipelineId();
        awaitStatus(other, RunState.STARTED, 1);
        simulatePipelineStatus(pipelineId, "running");

        publish(command(running, ThreadCommand.STOP, new Actor(9L, "gus", "Gus"),
                "'stop' requires the Developer role or higher; gus is Guest"));
        // same thread, same partition: once this accepted stop is handled, the refused one before it was too
        publish(command(other, ThreadCommand.STOP, new Actor(5L, "alice", "Alice"), null));
        awaitStatus(other, RunState.CANCELED, 1);

        assertTrue(statuses.matching(s -> s.invocation().invocationId().equals(running.invocationId())
                && s.state() == RunState.CANCELED).isEmpty(), "a refused stop ended the run");
        assertTrue(audits.matching(a -> running.invocationId().equals(a.invocationId())
                && "run.canceled".equals(a.type())).isEmpty());
        assertEquals("running", root.getPipelineApi().getPipeline(project.getId(), pipelineId).getStatus().toValue());
        assertTrue(root.getRepositoryApi().getOptionalBranch(project.getId(),
                "workloads/" + running.invocationId()).isPresent(), "the branch of a run that goes on stays");
    }

    @Test
    void anEpicMentionRunsInTheProjectTriggerMatcherChose() throws Exception {
        Group group = root.getGroupApi().addGroup("Launcher Epics", "launcher-epics");
        Project runProject = root.getProjectApi().createProject(new Project().withName("epic-runner")
                .withNamespaceId(group.getId()));
        root.getProjectApi().addMember(runProject.getId(), serviceAccount.getId(), AccessLevel.DEVELOPER);
        Epic epic = root.getEpicsApi().createEpic(group.getId(), "Faster builds", "roadmap,ci",
                "Cut the build time in half this quarter.", null, null, null);
        Note mention = root.getNotesApi().createEpicNote(group.getId(), epic.getId(),
                "@ai-claude-code-acme plan the first step");
        ThreadRef thread = new ThreadRef(null, group.getId(), null, "Epic", epic.getIid(), epic.getId(),
                epic.getWebUrl(), group.getFullPath());
        String id = UUID.randomUUID().toString();
        // no default branch in the invocation: the run project's own is read
        Invocation invocation = new Invocation(id, "mention", 11, "Claude Code", new Actor(serviceAccount.getId(),
                serviceAccount.getUsername(), serviceAccount.getName()), new Actor(1L, "root", "Administrator"),
                thread, mention.getId(), "d-" + id, mention.getBody(), null, null, DEFINITION, null,
                runProject.getId(), runProject.getPathWithNamespace());

        publish(invocation);

        Received<RunStatusChanged> started = awaitStatus(invocation, RunState.STARTED, 1).get(0);
        assertEquals(ThreadKey.of(thread), started.key());
        assertTrue(started.key().startsWith("group:" + group.getId() + "/Epic/"), started.key());
        String branch = "workloads/" + id;
        List<Pipeline> pipelines = pipelinesOn(runProject.getId(), branch);
        assertEquals(1, pipelines.size());
        assertEquals(pipelines.get(0).getId(), started.value().pipelineId());
        assertTrue(pipelinesOn(branch).isEmpty(), "nothing in another project");

        Map<String, String> variables = root.getPipelineApi()
                .getPipelineVariables(runProject.getId(), pipelines.get(0).getId()).stream()
                .collect(Collectors.toMap(Variable::getKey, Variable::getValue));
        assertEquals(runProject.getPathWithNamespace(), variables.get("AI_FLOW_PROJECT_PATH"));
        assertEquals("mention", variables.get("AI_FLOW_EVENT"));
        assertEquals("@ai-claude-code-acme plan the first step", variables.get("AI_FLOW_INPUT"));
        JsonNode context = mapper.readTree(variables.get("AI_FLOW_CONTEXT"));
        assertEquals("Epic", context.get("type").asText());
        assertTrue(context.get("project").isNull());
        assertEquals(group.getId().longValue(), context.get("group").get("id").asLong());
        assertEquals("Faster builds", context.get("epic").get("title").asText());
        assertEquals("Cut the build time in half this quarter.", context.get("epic").get("description").asText());
        assertEquals(List.of("roadmap", "ci"), mapper.convertValue(context.get("epic").get("labels"), List.class));
        assertEquals("@ai-claude-code-acme plan the first step", context.get("notes").get(0).get("body").asText());
        String ci = rawFile(runProject.getId(), branch, ".gitlab-ci.yml");
        assertTrue(ci.contains(runProject.getPathWithNamespace()), ci);
        AuditEvent created = awaitAudit(invocation, "pipeline.created").get(0).value();
        assertEquals(runProject.getId(), created.projectId());
        assertEquals("main", created.data().get("startRef"));

        // the run project's Pipeline Hook finds the run, which ends and cleans up there
        publish(pipelineEvent(runProject, pipelines.get(0).getId(), "success", branch));
        awaitStatus(invocation, RunState.SUCCEEDED, 1);
        await().atMost(WAIT).until(() -> root.getRepositoryApi().getOptionalBranch(runProject.getId(), branch)
                .isEmpty());
    }

    @Test
    void anEpicRunWithoutAProjectFailsWithAReasonAndStartsNothing() throws Exception {
        ThreadRef thread = new ThreadRef(null, 999_999L, null, "Epic", 4, 40_000L, "http://sim/groups/x/-/epics/4",
                "x");
        String id = UUID.randomUUID().toString();
        Invocation invocation = new Invocation(id, "mention", 11, "Claude Code", new Actor(serviceAccount.getId(),
                serviceAccount.getUsername(), serviceAccount.getName()), new Actor(1L, "root", "Administrator"),
                thread, 77, "d-" + id, "@ai-claude-code-acme hi", null, null, DEFINITION, null, null, null);

        publish(invocation);

        RunStatusChanged failed = awaitStatus(invocation, RunState.FAILED, 1).get(0).value();
        assertNull(failed.pipelineId());
        assertTrue(failed.detail().contains("no project to run in"), failed.detail());
        assertEquals(failed.detail(), awaitAudit(invocation, "run.failed").get(0).value().data().get("reason"));
    }

    @Test
    void aRunLeftWithABranchButNoPipelineByAKilledLauncherIsCompletedWithOnePipeline() throws Exception {
        Invocation invocation = invocation(serviceAccount.getId(), "@ai-claude-code-acme after the crash");
        String branch = "workloads/" + invocation.invocationId();
        // what a launcher killed after creating the branch leaves: the run row and the branch, no pipeline,
        // and no message left to redeliver (its offset was committed, or it went to the dead-letter topic)
        root.getRepositoryApi().createBranch(project.getId(), branch, "main");
        sql("insert into launcher.run (invocation_id, project_id, thread_key, branch, state, service_account_id,"
                + " invocation, created_at, updated_at) values (?, ?, ?, ?, 'PROCESSING', ?, ?::jsonb,"
                + " now() - interval '1 hour', now() - interval '1 hour')", invocation.invocationId(),
                project.getId(), ThreadKey.of(invocation.thread()), branch, serviceAccount.getId(),
                mapper.writeValueAsString(invocation));

        RunStatusChanged started = awaitStatus(invocation, RunState.STARTED, 1).get(0).value();
        List<Pipeline> pipelines = pipelinesOn(branch);
        assertEquals(1, pipelines.size());
        assertEquals(pipelines.get(0).getId(), started.pipelineId());
    }

    @Test
    void aRateLimitedPipelineCreationWaitsWhatRetryAfterSaysAndStartsOnePipeline() throws Exception {
        Invocation invocation = invocation(serviceAccount.getId(), "@ai-claude-code-acme despite the rate limit");
        injectFault("POST", "/projects/" + project.getId() + "/pipeline$", 429, 1, 1);

        publish(invocation);

        RunStatusChanged started = awaitStatus(invocation, RunState.STARTED, 1).get(0).value();
        assertEquals(1, pipelinesOn("workloads/" + invocation.invocationId()).size());
        assertEquals(started.pipelineId(), pipelinesOn("workloads/" + invocation.invocationId()).get(0).getId());
        Instant created = (Instant) sql("select created_at from launcher.run where invocation_id = ?",
                invocation.invocationId());
        Instant startedAt = (Instant) sql("select started_at from launcher.run where invocation_id = ?",
                invocation.invocationId());
        // the back-off alone is 50 ms here: a second means GitLab's Retry-After was followed
        assertTrue(Duration.between(created, startedAt).compareTo(Duration.ofSeconds(1)) >= 0,
                "started after " + Duration.between(created, startedAt));
        assertEquals("[]", faults());
    }

    @Test
    void aBurstOfServerErrorsOnPipelineCreationIsRetriedAndStartsOnePipeline() throws Exception {
        Invocation invocation = invocation(serviceAccount.getId(), "@ai-claude-code-acme while GitLab hiccups");
        // as many failures in a row as tandem.launcher.gitlab-retries (3) allows
        injectFault("POST", "/projects/" + project.getId() + "/pipeline$", 502, 1, null);
        injectFault("POST", "/projects/" + project.getId() + "/pipeline$", 503, 1, null);
        injectFault("POST", "/projects/" + project.getId() + "/pipeline$", 500, 1, null);

        publish(invocation);

        RunStatusChanged started = awaitStatus(invocation, RunState.STARTED, 1).get(0).value();
        List<Pipeline> pipelines = pipelinesOn("workloads/" + invocation.invocationId());
        assertEquals(1, pipelines.size());
        assertEquals(started.pipelineId(), pipelines.get(0).getId());
        assertEquals("[]", faults());
        assertEquals("false", awaitAudit(invocation, "pipeline.created").get(0).value().data().get("adopted"));
    }

    @Test
    void aBurstOfServerErrorsIsRetriedAndOneTooLongEndsTheRunWithTheReason() throws Exception {
        Invocation survives = invocation(serviceAccount.getId(), "@ai-claude-code-acme through the storm");
        injectFault("POST", "/projects/" + project.getId() + "/repository/commits$", 502, 2, null);
        injectFault("GET", "/projects/" + project.getId() + "/pipelines$", 503, 1, null);
        publish(survives);
        RunStatusChanged started = awaitStatus(survives, RunState.STARTED, 1).get(0).value();
        assertEquals(1, pipelinesOn("workloads/" + survives.invocationId()).size());
        assertEquals(started.pipelineId(), pipelinesOn("workloads/" + survives.invocationId()).get(0).getId());
        assertEquals("[]", faults());

        Invocation fails = invocation(serviceAccount.getId(), "@ai-claude-code-acme through a longer storm");
        injectFault("POST", "/projects/" + project.getId() + "/repository/commits$", 500, 10, null);
        try {
            publish(fails);
            RunStatusChanged failed = awaitStatus(fails, RunState.FAILED, 1).get(0).value();
            assertTrue(failed.detail().contains("creating branch workloads/" + fails.invocationId()), failed.detail());
            assertTrue(failed.detail().contains("500"), failed.detail());
            assertTrue(pipelinesOn("workloads/" + fails.invocationId()).isEmpty());
            // one first attempt and three retries took four of the ten failures
            assertTrue(faults().contains("\"remaining\":6"), faults());
        } finally {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(GitlabSimTestResource.url()
                    + "/-/sim/faults")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private Invocation invocation(long serviceAccountId, String input) {
        return invocation(serviceAccountId, input, issue);
    }

    private Invocation invocation(long serviceAccountId, String input, Issue on) {
        String id = UUID.randomUUID().toString();
        ThreadRef thread = new ThreadRef(project.getId(), null, project.getPathWithNamespace(), "Issue",
                on.getIid(), on.getId(), on.getWebUrl(), null);
        return new Invocation(id, "mention", 11, "Claude Code", new Actor(serviceAccountId,
                serviceAccount.getUsername(), serviceAccount.getName()), new Actor(1L, "root", "Administrator"),
                thread, 1234, "d-" + id, input, null, "main", DEFINITION, null, null, null);
    }

    private PipelineEvent pipelineEvent(long pipelineId, String status, String ref) {
        return pipelineEvent(project, pipelineId, status, ref);
    }

    private static PipelineEvent pipelineEvent(Project in, long pipelineId, String status, String ref) {
        return new PipelineEvent(UUID.randomUUID().toString(), Instant.now(), PipelineEvent.VERSION,
                ThreadKey.pipeline(in.getId(), pipelineId), "delivery-" + UUID.randomUUID(),
                UUID.randomUUID().toString(), in.getId(), in.getPathWithNamespace(), pipelineId, ref, status,
                "api", in.getWebUrl() + "/-/pipelines/" + pipelineId);
    }

    /** A command on the invocation's thread; {@code refusal} non-null makes it one trigger-matcher refused. */
    private static ThreadCommand command(Invocation invocation, String verb, Actor requester, String refusal) {
        return new ThreadCommand(EventIds.derive("command", invocation.invocationId(), verb, requester.username()),
                Instant.now(), ThreadCommand.VERSION, ThreadKey.of(invocation.thread()), verb,
                invocation.invocationId(), 11, "Claude Code", invocation.serviceAccount(), requester,
                invocation.thread(), 4321, "disc-" + invocation.invocationId(), refusal);
    }

    private void publish(Invocation invocation) throws Exception {
        InvocationAuthorized event = new InvocationAuthorized(EventIds.derive("authorized", invocation.invocationId()),
                Instant.now(), InvocationAuthorized.VERSION, ThreadKey.of(invocation.thread()), invocation, 50, 30, 30);
        producer.send(new ProducerRecord<>(Topics.INVOCATIONS_AUTHORIZED, event.key(),
                mapper.writeValueAsString(event))).get();
    }

    private void publish(ThreadCommand command) throws Exception {
        producer.send(new ProducerRecord<>(Topics.THREAD_COMMANDS, command.key(), mapper.writeValueAsString(command)))
                .get();
    }

    /** The simulator's stand-in for a runner: moves the pipeline and fires GitLab's Pipeline Hook (to nobody here). */
    private void simulatePipelineStatus(long pipelineId, String status) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                GitlabSimTestResource.url() + "/-/sim/projects/" + project.getId() + "/pipelines/" + pipelineId
                        + "/status"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"" + status + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }

    private void injectFault(String method, String pathPattern, int status, int times, Integer retryAfterSeconds)
            throws Exception {
        String body = mapper.writeValueAsString(retryAfterSeconds == null
                ? Map.of("method", method, "pathPattern", pathPattern, "status", status, "times", times)
                : Map.of("method", method, "pathPattern", pathPattern, "status", status, "times", times,
                        "retryAfterSeconds", retryAfterSeconds));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                GitlabSimTestResource.url() + "/-/sim/faults")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
    }

    private String faults() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(GitlabSimTestResource.url()
                + "/-/sim/faults")).GET().build(), HttpResponse.BodyHandlers.ofString()).body().replace(" ", "");
    }

    /** Runs one statement on the launcher's database; answers the first column of the first row of a query. */
    private Object sql(String statement, Object... parameters) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement ps = connection.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            if (!ps.execute()) {
                return ps.getUpdateCount();
            }
            try (ResultSet rs = ps.getResultSet()) {
                return rs.next() ? rs.getObject(1, OffsetDateTime.class).toInstant() : null;
            }
        }
    }

    private void publish(PipelineEvent event) throws Exception {
        producer.send(new ProducerRecord<>(Topics.GITLAB_PIPELINES, event.key(), mapper.writeValueAsString(event)))
                .get();
    }

    private List<Received<RunStatusChanged>> awaitStatus(Invocation invocation, RunState state, int count) {
        synchronized (RunLifecycleTest.class) {
            if (statuses == null) {
                statuses = new TopicReader<>(Topics.RUNS_STATUS, RunStatusChanged.class, mapper);
                audits = new TopicReader<>(Topics.AUDIT, AuditEvent.class, mapper);
            }
        }
        return await().atMost(WAIT).until(() -> statuses.matching(s -> s.state() == state
                && s.invocation().invocationId().equals(invocation.invocationId())), l -> l.size() >= count);
    }

    private List<Received<AuditEvent>> awaitAudit(Invocation invocation, String type) {
        return await().atMost(WAIT).until(() -> audits.matching(a -> type.equals(a.type())
                && invocation.invocationId().equals(a.invocationId())), l -> !l.isEmpty());
    }

    private List<Pipeline> pipelinesOn(String ref) throws Exception {
        return pipelinesOn(project.getId(), ref);
    }

    private List<Pipeline> pipelinesOn(long projectId, String ref) throws Exception {
        return root.getPipelineApi().getPipelines(projectId, new PipelineFilter().withRef(ref));
    }

    private String rawFile(String ref, String path) throws Exception {
        return rawFile(project.getId(), ref, path);
    }

    private String rawFile(long projectId, String ref, String path) throws Exception {
        try (InputStream in = root.getRepositoryFileApi().getRawFile(projectId, ref, path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, String> without(Map<String, String> map, String key) {
        return map.entrySet().stream().filter(e -> !e.getKey().equals(key))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
