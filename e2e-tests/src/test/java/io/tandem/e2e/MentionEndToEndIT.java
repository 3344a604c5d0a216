package io.tandem.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.notNullValue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.Note;
import org.gitlab4j.api.models.Pipeline;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.ProjectHook;
import org.gitlab4j.api.models.User;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A mention handled end to end: a comment posted through the simulator's API travels through all five
 * services over the real broker and becomes a pipeline with the right variables and a progress note by the
 * agent's service account, which reaches its terminal state when the pipeline ends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(4)
class MentionEndToEndIT {

    static final String AGENT_YAML = """
            image: registry.example.com/agents/claude-code:1.0
            commands:
              - claude --print "$AI_FLOW_INPUT"
            variables:
              - ANTHROPIC_API_KEY
            """;
    static final String SERVICE_ACCOUNT = "ai-claude-code-acme";

    TandemStack stack;
    SimGitlab sim;
    GitLabApi root;
    Project project;
    GitLabApi alice;
    GitLabApi gus;
    long serviceAccountId;

    @BeforeAll
    void startStackAndSeed() throws Exception {
        stack = TandemStack.shared();
        sim = new SimGitlab(stack.gitlab.url());
        root = sim.root;

        User maria = sim.createUser("maria");
        User aliceUser = sim.createUser("alice");
        User gusUser = sim.createUser("gus");
        alice = sim.as(aliceUser);
        gus = sim.as(gusUser);

        Group acme = root.getGroupApi().addGroup("Acme", "acme");
        root.getGroupApi().addMember(acme.getId(), maria.getId(), AccessLevel.OWNER);
        project = root.getProjectApi().createProject(acme.getId(), "app");
        root.getProjectApi().addMember(project.getId(), aliceUser.getId(), AccessLevel.DEVELOPER);
        root.getProjectApi().addMember(project.getId(), gusUser.getId(), AccessLevel.GUEST);

        ProjectHook events = new ProjectHook();
        events.setNoteEvents(true);
        events.setIssuesEvents(true);
        events.setMergeRequestsEvents(true);
        events.setPipelineEvents(true);
        events.setConfidentialNoteEvents(true);
        root.getProjectApi().addHook(project.getId(), stack.url("webhook-ingest") + "/webhooks/gitlab", events,
                false, stack.webhookSecret);

        TandemAdmin admin = new TandemAdmin(stack.url("trigger-matcher"), sim.token(maria));
        long agentId = admin.createAgent(project.getId(), "Claude Code", AGENT_YAML);
        TandemAdmin.ServiceAccount account = admin.enableInGroup(acme.getId(), agentId);
        assertThat(account.username()).isEqualTo(SERVICE_ACCOUNT);
        serviceAccountId = account.id();
        admin.enableInProject(project.getId(), agentId, List.of("mention"));
        assertThat(root.getProjectApi().getMember(project.getId(), serviceAccountId, true).getAccessLevel())
                .isEqualTo(AccessLevel.DEVELOPER);
    }

    @Test
    @Order(1)
    void mentionBecomesPipelineWithProgressNoteThatReachesItsEnd() throws Exception {
        Issue issue = alice.getIssuesApi().createIssue(project.getId(), "Login page crashes",
                "Steps: open /login, press enter.");
        String comment = "@" + SERVICE_ACCOUNT + " please find why the login page crashes";
        alice.getNotesApi().createIssueNote(project.getId(), issue.getIid(), comment);

        Pipeline pipeline = awaitPipelineFor(comment);
        Map<String, String> vars = variables(pipeline);
        assertThat(vars).containsEntry("AI_FLOW_INPUT", comment)
                .containsEntry("AI_FLOW_EVENT", "mention")
                .containsEntry("AI_FLOW_PROJECT_PATH", "acme/app")
                .containsKeys("AI_FLOW_CONTEXT", "AI_FLOW_GITLAB_HOSTNAME", "AI_FLOW_GITLAB_TOKEN");
        assertThat(vars.get("AI_FLOW_CONTEXT")).contains("Login page crashes");
        assertThat(pipeline.getRef()).startsWith("workloads/");
        assertThat(pipeline.getSource()).isEqualTo("api");

        // The run token is a JWT naming the service account and, in `act`, the human it acts for.
        String[] jwt = vars.get("AI_FLOW_GITLAB_TOKEN").split("\\.");
        assertThat(jwt).hasSize(3);
        JsonPath claims = JsonPath.from(new String(Base64.getUrlDecoder().decode(jwt[1])));
        assertThat(claims.getString("sub")).isEqualTo(SERVICE_ACCOUNT);
        assertThat(claims.getString("act.sub")).isEqualTo("alice");
        given().get(stack.url("identity-service") + "/.well-known/jwks.json")
                .then().statusCode(200).body("keys[0].kid", notNullValue());

        // The pipeline runs the definition's image and commands from a CI file generated on the branch.
        String ci = root.getRepositoryFileApi().getFile(project.getId(), ".gitlab-ci.yml", pipeline.getRef())
                .getDecodedContentAsString();
        assertThat(ci).contains("registry.example.com/agents/claude-code:1.0").contains("claude --print");

        SimThread thread = issueThread(issue.getIid());
        SimThread.Note started = thread.awaitNote(n -> n.body().contains(pipeline.getWebUrl()));
        assertThat(started.author()).isEqualTo(SERVICE_ACCOUNT);

        simStatus(pipeline, "running");
        simStatus(pipeline, "success");
        SimThread.Note done = thread.awaitNote(n -> n.id() == started.id() && n.isState("SUCCEEDED"));
        assertThat(thread.notesBy(SERVICE_ACCOUNT)).as("one progress note per run").hasSize(1);
        assertThat(done.body()).contains("has finished your request").contains(pipeline.getWebUrl());

        await().atMost(SimGitlab.WAIT).untilAsserted(() -> assertThat(auditTypes()).contains(
                "trigger.matched", "invocation.authorized", "run-token.minted", "pipeline.created", "note.written"));
    }

    @Test
    @Order(2)
    void guestMentionStartsNothingAndIsAnsweredWithTheReason() throws Exception {
        Issue issue = gus.getIssuesApi().createIssue(project.getId(), "Typo in README", "teh");
        String comment = "@" + SERVICE_ACCOUNT + " fix the typo please";
        gus.getNotesApi().createIssueNote(project.getId(), issue.getIid(), comment);

        SimThread thread = issueThread(issue.getIid());
        SimThread.Note refusal = thread.awaitState(SERVICE_ACCOUNT, "REFUSED");
        assertThat(refusal.body()).contains("@gus").contains("Guest").contains("Developer");
        assertThat(thread.notesBy(SERVICE_ACCOUNT)).as("the refusal is the progress note").hasSize(1);
        assertThat(pipelineFor(comment)).as("a Guest's mention starts no pipeline").isEmpty();
    }

    @Test
    @Order(3)
    void theAgentsOwnNoteStartsNothing() throws Exception {
        GitLabApi agent = sim.as(root.getUserApi().getUser(serviceAccountId));
        Issue issue = alice.getIssuesApi().createIssue(project.getId(), "Flaky test", "sometimes red");
        String own = "@" + SERVICE_ACCOUNT + " note to self: look at this";
        agent.getNotesApi().createIssueNote(project.getId(), issue.getIid(), own);

        // Notes of one thread are handled in order: once a later human mention has its pipeline, the
        // agent's own note has been handled too.
        String sentinel = "@" + SERVICE_ACCOUNT + " sentinel after own note";
        alice.getNotesApi().createIssueNote(project.getId(), issue.getIid(), sentinel);
        awaitPipelineFor(sentinel);
        assertThat(pipelineFor(own)).isEmpty();
    }

    @Test
    @Order(4)
    void theSameDeliverySentThreeTimesStartsOnePipeline() throws Exception {
        Issue issue = alice.getIssuesApi().createIssue(project.getId(), "Slow search", "p99 is 3 s");
        String comment = "@" + SERVICE_ACCOUNT + " profile the search endpoint";
        alice.getNotesApi().createIssueNote(project.getId(), issue.getIid(), comment);
        Pipeline first = awaitPipelineFor(comment);

        String key = noteDelivery(comment);
        for (int i = 0; i < 2; i++) {
            sim.redeliver(key);
        }
        // One run per thread: the sentinel below starts once this run has ended.
        simStatus(first, "success");
        String sentinel = "@" + SERVICE_ACCOUNT + " sentinel after redeliveries";
        alice.getNotesApi().createIssueNote(project.getId(), issue.getIid(), sentinel);
        awaitPipelineFor(sentinel);
        await().atMost(SimGitlab.WAIT).until(() -> sim.deliveries().stream()
                .filter(d -> key.equals(d.get("idempotencyKey")))
                .mapToInt(d -> ((Number) d.get("attempts")).intValue()).sum() >= 3);
        assertThat(pipelinesFor(comment)).as("three deliveries of one note").hasSize(1);
    }

    @Test
    @Order(5)
    void aWrongWebhookTokenIsRefused() {
        given().header("X-Gitlab-Token", "wrong").header("X-Gitlab-Event", "Note Hook")
                .contentType(ContentType.JSON).body("{\"object_kind\":\"note\"}")
                .post(stack.url("webhook-ingest") + "/webhooks/gitlab")
                .then().statusCode(401);
    }

    // --- helpers ---------------------------------------------------------------------------------

    private Pipeline awaitPipelineFor(String input) {
        return sim.awaitPipelineFor(project.getId(), input);
    }

    private Optional<Pipeline> pipelineFor(String input) throws GitLabApiException {
        return pipelinesFor(input).stream().findFirst();
    }

    private List<Pipeline> pipelinesFor(String input) throws GitLabApiException {
        return sim.pipelinesFor(project.getId(), input);
    }

    private Map<String, String> variables(Pipeline pipeline) {
        return sim.variables(project.getId(), pipeline);
    }

    private SimThread issueThread(long issueIid) {
        return SimThread.issue(sim.url(), project.getId(), issueIid);
    }

    private void simStatus(Pipeline pipeline, String status) {
        sim.pipelineStatus(project.getId(), pipeline.getId(), status);
    }

    /** The delivery of the Note Hook for the comment with that text in this project (classes run side by side). */
    private String noteDelivery(String comment) {
        long projectId = project.getId();
        return sim.deliveries().stream().filter(d -> "Note Hook".equals(d.get("event")))
                .filter(d -> d.get("payload") instanceof Map<?, ?> payload
                        && payload.get("project_id") instanceof Number n && n.longValue() == projectId
                        && payload.get("object_attributes") instanceof Map<?, ?> note
                        && comment.equals(note.get("note")))
                .map(d -> (String) d.get("idempotencyKey")).findFirst().orElseThrow();
    }

    private List<String> auditTypes() {
        return given().queryParam("projectId", project.getId()).queryParam("limit", 1000)
                .get(stack.url("result-publisher") + "/api/v1/audit")
                .then().statusCode(200).extract().jsonPath().getList("type");
    }
}
