package io.tandem.e2e;

import static io.restassured.RestAssured.given;
import static io.tandem.e2e.StackOutput.hasRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.e2e.StackOutput.Seen;
import io.tandem.events.ThreadKey;
import io.tandem.events.Topics;
import io.tandem.testsupport.GitlabSimulator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.CommitAction;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.Pipeline;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.ProjectHook;
import org.gitlab4j.api.models.User;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Issue 4: no secret in a log line or a Kafka record. One full run (mention, pipeline, the agent commenting and
 * committing through the proxy with its run token, success, final note and merge request), then every line of
 * every service's log and every record of every Tandem topic (see {@link StackOutput}) is searched for each
 * secret the run involved, in each of its {@link SecretForms}, with the organisation's model keys and the gateway
 * tokens of the managed runs other classes played in the same stack. The simulator is GitLab: its log and the
 * pipeline variables it stores are out of scope.
 *
 * <p>Isolated: it runs after every other class, alone, so that its search covers all they made the services do
 * (restarts, replicas, refusals) with the secrets the whole stack shares.
 */
@Isolated
@Order(6)
class SecretLeakEndToEndIT {

    static final String AGENT_YAML = """
            image: registry.example.com/agents/claude-code:1.0
            commands:
              - claude --print "$AI_FLOW_INPUT"
            """;
    static final String SA = "ai-claude-code-vault";

    TandemStack stack;
    SimGitlab sim;

    /** What the run left to look for: its project, pipeline, variables and the humans' and agent's tokens. */
    record Run(long projectId, Pipeline pipeline, Map<String, String> vars, String comment, long serviceAccountId,
            String requesterToken, String ownerToken) {

        String invocationId() {
            return vars.get("AI_FLOW_ID");
        }
    }

    @Test
    void aFullRunLeavesNoSecretInAnyLogLineOrKafkaRecord() throws Exception {
        stack = TandemStack.shared();
        sim = new SimGitlab(stack.gitlab.url());
        Run run = fullRun();

        Map<String, String> secrets = secretsOf(run);
        assertThat(secrets).as("every secret is known").allSatisfy((name, value) -> assertThat(value).as(name)
                .hasSizeGreaterThanOrEqualTo(12));
        String runToken = run.vars().get("AI_FLOW_GITLAB_TOKEN");
        String basicAuth = "Basic " + Base64.getEncoder()
                .encodeToString(("oauth2:" + runToken).getBytes(StandardCharsets.UTF_8));
        assertThat(SecretForms.of(runToken)).as("the forms find a secret inside a longer base64 text")
                .anyMatch(basicAuth::contains);

        // Every step of the run is on its topic before the records are read: nothing of it is still in flight.
        Map<String, List<Seen>> records = await().atMost(SimGitlab.WAIT).pollInterval(SimGitlab.POLL)
                .until(() -> StackOutput.tandemRecords(stack.kafka.bootstrapServers()),
                        r -> hasRecord(r, Topics.AUDIT, run.invocationId(), "merge-request.opened")
                                && hasRecord(r, Topics.AUDIT, run.invocationId(), "note.written", "SUCCEEDED"));
        assertThat(hasRecord(records, Topics.GITLAB_NOTES, run.comment())).as(Topics.GITLAB_NOTES).isTrue();
        assertThat(hasRecord(records, Topics.GITLAB_PIPELINES, ThreadKey.pipeline(run.projectId(),
                run.pipeline().getId()))).as(Topics.GITLAB_PIPELINES).isTrue();
        for (String topic : List.of(Topics.INVOCATIONS_REQUESTED, Topics.INVOCATIONS_AUTHORIZED, Topics.RUNS_STATUS)) {
            assertThat(hasRecord(records, topic, run.invocationId())).as(topic).isTrue();
        }
        assertThat(hasRecord(records, Topics.AUDIT, run.invocationId(), "proxy.write")).as("the proxied writes")
                .isTrue();
        if (!stack.runGatewayTokens.isEmpty()) {
            assertThat(hasRecord(records, Topics.AUDIT, "ai-gateway.usage")).as("the managed runs' model calls")
                    .isTrue();
        }

        Map<String, List<Seen>> logs = StackOutput.serviceLogs(stack);
        assertThat(logs.keySet()).as("a log per service").containsAll(TandemStack.SERVICES);
        assertThat(logs).as("every log has lines from the service's start on").allSatisfy((service, lines) ->
                assertThat(lines).anyMatch(l -> l.text().contains("started in")));

        List<String> leaks = new ArrayList<>();
        secrets.forEach((name, secret) -> {
            Set<String> forms = SecretForms.of(secret);
            records.values().forEach(seen -> leaks.addAll(leaks(name, forms, seen)));
            logs.values().forEach(seen -> leaks.addAll(leaks(name, forms, seen)));
        });
        assertThat(leaks).as("secrets in %d log lines and %d records",
                logs.values().stream().mapToInt(List::size).sum(),
                records.values().stream().mapToInt(List::size).sum()).isEmpty();
    }

    /**
     * Val mentions the agent; the test plays the agent with the run token through identity-service's proxy (a
     * comment, a commit to the run's branch) and ends the pipeline; returns once the final note links the
     * merge request Tandem opened.
     */
    private Run fullRun() throws Exception {
        GitLabApi root = sim.root;
        User vera = sim.createUser("vera");
        User valUser = sim.createUser("val");
        String veraToken = sim.token(vera);
        String valToken = sim.token(valUser);
        Group group = root.getGroupApi().addGroup("Vault", "vault");
        root.getGroupApi().addMember(group.getId(), vera.getId(), AccessLevel.OWNER);
        Project project = root.getProjectApi().createProject(group.getId(), "safe");
        root.getProjectApi().addMember(project.getId(), valUser.getId(), AccessLevel.DEVELOPER);
        ProjectHook events = new ProjectHook();
        events.setNoteEvents(true);
        events.setPipelineEvents(true);
        root.getProjectApi().addHook(project.getId(), stack.url("webhook-ingest") + "/webhooks/gitlab", events,
                false, stack.webhookSecret);
        TandemAdmin owner = new TandemAdmin(stack.url("trigger-matcher"), veraToken);
        long agentId = owner.createAgent(project.getId(), "Claude Code", AGENT_YAML);
        TandemAdmin.ServiceAccount account = owner.enableInGroup(group.getId(), agentId);
        assertThat(account.username()).isEqualTo(SA);
        owner.enableInProject(project.getId(), agentId, List.of("mention"));

        GitLabApi val = new GitLabApi(sim.url(), valToken);
        Issue issue = val.getIssuesApi().createIssue(project.getId(), "Session expiry", "Users are logged out.");
        String comment = "@" + SA + " make sessions last a day vault-run";
        val.getNotesApi().createIssueNote(project.getId(), issue.getIid(), comment);
        Pipeline pipeline = sim.awaitPipelineFor(project.getId(), comment);
        Map<String, String> vars = sim.variables(project.getId(), pipeline);
        SimThread thread = SimThread.issue(sim.url(), project.getId(), issue.getIid());
        SimThread.Note progress = thread.awaitNote(n -> n.author().equals(SA)
                && n.body().contains(pipeline.getWebUrl()));

        GitLabApi agent = new GitLabApi("http://" + vars.get("AI_FLOW_GITLAB_HOSTNAME"),
                vars.get("AI_FLOW_GITLAB_TOKEN"));
        agent.getNotesApi().createIssueNote(project.getId(), issue.getIid(), "Raising the session TTL to 24 h.");
        agent.getCommitsApi().createCommit(project.getId(), pipeline.getRef(), "Sessions last a day", null, null,
                null, new CommitAction().withAction(CommitAction.Action.CREATE).withFilePath("src/Session.java")
                        .withContent("class Session { int ttlHours = 24; }\n"));
        sim.pipelineStatus(project.getId(), pipeline.getId(), "running");
        sim.pipelineStatus(project.getId(), pipeline.getId(), "success");

        SimThread.Note done = thread.awaitNote(n -> n.id() == progress.id() && n.isState("SUCCEEDED"));
        List<MergeRequest> opened = root.getMergeRequestApi().getMergeRequests(project.getId()).stream()
                .filter(mr -> pipeline.getRef().equals(mr.getSourceBranch())).toList();
        assertThat(opened).as("the run's merge request").hasSize(1);
        assertThat(done.body()).contains("merge request !" + opened.get(0).getIid());
        return new Run(project.getId(), pipeline, vars, comment, account.id(), valToken, veraToken);
    }

    /** Each secret the run involved, by a name to report it under. */
    private Map<String, String> secretsOf(Run run) {
        String serviceAccountToken = given().header("X-Tandem-Internal-Token", stack.internalToken)
                .post(stack.url("identity-service") + "/internal/v1/service-accounts/" + run.serviceAccountId()
                        + "/gitlab-token")
                .then().statusCode(200).extract().jsonPath().getString("token");
        String runToken = run.vars().get("AI_FLOW_GITLAB_TOKEN");
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("the run token", runToken);
        // The signature is the part of a JWT that makes it usable: it must not leak on its own either.
        secrets.put("the run token's signature", runToken.substring(runToken.lastIndexOf('.') + 1));
        secrets.put("the service account's GitLab token", serviceAccountToken);
        secrets.put("the internal token", stack.internalToken);
        secrets.put("the webhook secret", stack.webhookSecret);
        secrets.put("the encryption key", stack.encryptionKey);
        secrets.put("Tandem's GitLab admin token", GitlabSimulator.ROOT_TOKEN);
        secrets.put("the requester's GitLab token", run.requesterToken());
        secrets.put("the group owner's GitLab token", run.ownerToken());
        if (run.vars().containsKey("AI_FLOW_AI_GATEWAY_TOKEN")) {
            secrets.put("the AI gateway token", run.vars().get("AI_FLOW_AI_GATEWAY_TOKEN"));
        }
        // The organisation's model keys: only ai-gateway holds them, and only the provider may see them.
        secrets.put("the Anthropic organisation key", TandemStack.ANTHROPIC_ORG_KEY);
        secrets.put("the OpenAI organisation key", TandemStack.OPENAI_ORG_KEY);
        // The managed runs other classes played in this stack (none when this class runs alone).
        int managed = 0;
        for (String gatewayToken : stack.runGatewayTokens) {
            managed++;
            secrets.put("managed run " + managed + "'s AI gateway token", gatewayToken);
            secrets.put("managed run " + managed + "'s AI gateway token's signature",
                    gatewayToken.substring(gatewayToken.lastIndexOf('.') + 1));
        }
        return secrets;
    }

    private static List<String> leaks(String name, Set<String> forms, List<Seen> seen) {
        String plain = forms.iterator().next();
        List<String> found = new ArrayList<>();
        for (Seen s : seen) {
            forms.stream().filter(s.text()::contains).findFirst().ifPresent(form -> found.add(name
                    + (form.equals(plain) ? "" : " (encoded)") + " in " + s.where()));
        }
        return found;
    }
}
