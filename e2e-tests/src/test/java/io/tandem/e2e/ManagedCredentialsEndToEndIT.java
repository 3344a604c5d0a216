package io.tandem.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.Pipeline;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.ProjectHook;
import org.gitlab4j.api.models.User;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issues 4 and 7: a run on the organisation's model keys, end to end. The agent's definition asks for
 * {@code injectGatewayToken}; the test plays the agent with nothing but the pipeline's
 * {@code AI_FLOW_AI_GATEWAY_TOKEN}, {@code AI_FLOW_AI_GATEWAY_HEADERS} and {@code TANDEM_AI_GATEWAY_URL}, calls
 * Anthropic's Messages API through ai-gateway (a JSON and a streamed answer from the {@link StandInProvider}), and
 * checks what reached the provider, the usage in the audit log, the token's end with its run, that neither run
 * token opens the other door, and a daily token budget: used up mid-run, then refusing the next run before it starts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(4)
class ManagedCredentialsEndToEndIT {

    static final String AGENT_YAML = """
            image: registry.example.com/agents/claude-code:1.0
            commands:
              - claude --print "$AI_FLOW_INPUT"
            injectGatewayToken: true
            """;
    static final String SA = "ai-claude-code-atelier";
    static final String MODEL = "claude-sonnet-4-5-20250929";
    static final String MESSAGES = "/ai/v1/proxy/anthropic/v1/messages";

    TandemStack stack;
    SimGitlab sim;
    Project project;
    User mia;
    GitLabApi miaApi;

    /** A managed run as the agent sees it: its thread, pipeline and variables. */
    record Run(SimThread thread, String input, Pipeline pipeline, Map<String, String> vars) {

        String invocationId() {
            return vars.get("AI_FLOW_ID");
        }

        String gatewayToken() {
            return vars.get("AI_FLOW_AI_GATEWAY_TOKEN");
        }

        /** {@code AI_FLOW_AI_GATEWAY_HEADERS}: {@code Key: Value} lines, as GitLab passes them. */
        Map<String, String> gatewayHeaders() {
            Map<String, String> headers = new LinkedHashMap<>();
            vars.get("AI_FLOW_AI_GATEWAY_HEADERS").lines().filter(l -> !l.isBlank()).forEach(line -> {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            });
            return headers;
        }
    }

    @BeforeAll
    void startStackAndSeed() throws Exception {
        stack = TandemStack.shared();
        sim = new SimGitlab(stack.gitlab.url());
        GitLabApi root = sim.root;
        User olga = sim.createUser("olga");
        mia = sim.createUser("mia");
        miaApi = sim.as(mia);
        Group group = root.getGroupApi().addGroup("Atelier", "atelier");
        root.getGroupApi().addMember(group.getId(), olga.getId(), AccessLevel.OWNER);
        project = root.getProjectApi().createProject(group.getId(), "loom");
        root.getProjectApi().addMember(project.getId(), mia.getId(), AccessLevel.DEVELOPER);
        ProjectHook events = new ProjectHook();
        events.setNoteEvents(true);
        events.setPipelineEvents(true);
        root.getProjectApi().addHook(project.getId(), stack.url("webhook-ingest") + "/webhooks/gitlab", events,
                false, stack.webhookSecret);
        TandemAdmin owner = new TandemAdmin(stack.url("trigger-matcher"), sim.token(olga));
        long agentId = owner.createAgent(project.getId(), "Claude Code", AGENT_YAML);
        assertThat(owner.enableInGroup(group.getId(), agentId).username()).isEqualTo(SA);
        owner.enableInProject(project.getId(), agentId, List.of("mention"));
    }

    /** A budget outlives its class: the shared stack is left without one. */
    @AfterAll
    void removeBudget() {
        if (stack != null && mia != null) {
            internal().delete(budgetUrl()).then().statusCode(Matchers.oneOf(204, 404));
        }
    }

    @Test
    @Order(1)
    void theAgentReachesTheModelWithItsRunBoundTokenAloneAndTheTokenEndsWithTheRun() throws Exception {
        Run run = mention("Summarise the weaving log", "summarise the weaving log managed-run");
        assertThat(run.vars()).as("the gateway variables of a managed run")
                .containsKeys("AI_FLOW_AI_GATEWAY_TOKEN", "AI_FLOW_AI_GATEWAY_HEADERS")
                .containsEntry("TANDEM_AI_GATEWAY_URL", stack.url("ai-gateway"));
        assertThat(run.gatewayHeaders()).containsExactly(Map.entry("X-Tandem-Run-Id", run.invocationId()),
                Map.entry("X-Tandem-Project-Id", project.getId().toString()));
        SimThread.Note progress = run.thread().awaitNote(n -> n.author().equals(SA)
                && n.body().contains(run.pipeline().getWebUrl()));
        int receivedBefore = stack.provider.received().size();

        Response json = messages(run, false);
        assertThat(json.statusCode()).as(json.asString()).isEqualTo(200);
        assertThat(json.jsonPath().getString("content[0].text")).isEqualTo("Hello from the stand-in.");
        Response stream = messages(run, true);
        assertThat(stream.statusCode()).as(stream.asString()).isEqualTo(200);
        assertThat(stream.contentType()).startsWith("text/event-stream");
        assertThat(stream.asString()).as("the stream, event by event").containsSubsequence("event: message_start",
                "\"text\":\"Hello\"", "\"text\":\" stream.\"", "event: message_delta", "event: message_stop");

        List<StandInProvider.Received> received = stack.provider.received();
        List<StandInProvider.Received> calls = received.subList(receivedBefore, received.size());
        assertThat(calls).as("both calls reached the provider").hasSize(2).allSatisfy(call -> {
            assertThat(call.path()).isEqualTo("/v1/messages");
            assertThat(call.header("x-api-key")).as("the organisation's key").isEqualTo(TandemStack.ANTHROPIC_ORG_KEY);
            assertThat(call.header("anthropic-version")).as("the caller's API version").isEqualTo("2023-06-01");
            assertThat(call.headers().keySet()).as("no Tandem header").noneMatch(h -> h.startsWith("x-tandem-"));
            assertThat(call.headers().values().stream().flatMap(List::stream))
                    .as("the gateway token never reaches the provider")
                    .noneMatch(v -> v.contains(signature(run.gatewayToken())));
            assertThat(call.body()).doesNotContain(signature(run.gatewayToken()));
        });

        // Neither token opens the other door.
        given().header("PRIVATE-TOKEN", run.gatewayToken())
                .get(proxyUrl(run) + "/api/v4/projects/" + project.getId())
                .then().statusCode(401);
        Response runTokenAtGateway = call(run, run.vars().get("AI_FLOW_GITLAB_TOKEN"), false);
        assertThat(runTokenAtGateway.statusCode()).isEqualTo(401);
        assertThat(runTokenAtGateway.jsonPath().getString("error.type")).isEqualTo("authentication_error");
        Response otherRun = request(run.gatewayToken()).header("X-Tandem-Run-Id", "another-run")
                .body(body(false)).post(stack.url("ai-gateway") + MESSAGES);
        assertThat(otherRun.statusCode()).as("a run id header that is not the token's").isEqualTo(401);
        assertThat(stack.provider.received()).as("refused calls reach no provider")
                .hasSize(receivedBefore + 2);

        // The usage reaches the audit log, counted from the JSON answer and from the stream.
        List<Map<String, Object>> usage = await().atMost(SimGitlab.WAIT).pollInterval(SimGitlab.POLL)
                .until(() -> audit(run, "ai-gateway.usage"), events -> events.size() >= 2);
        assertThat(usage).extracting(e -> ((Map<?, ?>) e.get("data")).get("inputTokens") + "/"
                + ((Map<?, ?>) e.get("data")).get("outputTokens"))
                .containsExactlyInAnyOrder(StandInProvider.JSON_INPUT_TOKENS + "/" + StandInProvider.JSON_OUTPUT_TOKENS,
                        StandInProvider.STREAM_INPUT_TOKENS + "/" + StandInProvider.STREAM_OUTPUT_TOKENS);
        assertThat(usage).allSatisfy(e -> {
            assertThat(e.get("source")).isEqualTo("ai-gateway");
            assertThat(e.get("actor")).as("the human").isEqualTo("mia");
            assertThat(e.get("serviceAccount")).isEqualTo(SA);
            assertThat(((Number) e.get("projectId")).longValue()).isEqualTo(project.getId());
            assertThat(((Map<?, ?>) e.get("data")).get("model")).isEqualTo(MODEL);
            assertThat(((Map<?, ?>) e.get("data")).get("provider")).isEqualTo("anthropic");
        });

        finish(run);
        run.thread().awaitNote(n -> n.id() == progress.id() && n.isState("SUCCEEDED"));
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> messages(run, false).statusCode() == 401);
        Response ended = messages(run, false);
        assertThat(ended.jsonPath().getString("error.type")).isEqualTo("authentication_error");
        assertThat(ended.jsonPath().getString("error.message")).contains("ended");
    }

    @Test
    @Order(2)
    void aUsedUpBudgetRefusesTheNextModelCallMidRun() throws Exception {
        Run run = mention("Sort the thread colours", "sort the thread colours managed-budget");
        // The day's use so far, then a budget one token above it: the next call crosses it, the one after is refused.
        long used = setBudget(1).getLong("usedTokensToday");
        assertThat(setBudget(used + 1).getLong("dailyTokens")).isEqualTo(used + 1);

        assertThat(messages(run, false).statusCode()).as("the call that crosses the budget completes").isEqualTo(200);
        Response refused = await().atMost(Duration.ofSeconds(10)).pollInterval(SimGitlab.POLL)
                .until(() -> messages(run, false), r -> r.statusCode() != 200);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.jsonPath().getString("error.type")).isEqualTo("rate_limit_error");
        assertThat(refused.jsonPath().getString("error.message")).contains("model tokens for today");

        finish(run);
        run.thread().awaitState(SA, "SUCCEEDED");
    }

    @Test
    @Order(3)
    void aMentionOverBudgetIsRefusedInTheThreadWithoutAPipeline() throws Exception {
        assertThat(setBudget(1).getLong("usedTokensToday")).as("the budget is used up").isGreaterThanOrEqualTo(1);
        Issue issue = miaApi.getIssuesApi().createIssue(project.getId(), "Dye the warp", "Indigo, please.");
        String comment = "@" + SA + " dye the warp indigo managed-refused";
        miaApi.getNotesApi().createIssueNote(project.getId(), issue.getIid(), comment);

        SimThread thread = SimThread.issue(sim.url(), project.getId(), issue.getIid());
        SimThread.Note refused = thread.awaitState(SA, "REFUSED");
        assertThat(refused.body()).as("the thread says why").contains("model tokens for today");
        assertThat(sim.pipelinesFor(project.getId(), comment)).as("no pipeline").isEmpty();
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** Mia mentions the agent in a new issue; returns once the run's pipeline exists. */
    private Run mention(String title, String request) throws GitLabApiException {
        Issue issue = miaApi.getIssuesApi().createIssue(project.getId(), title, title + ", see the loom.");
        String comment = "@" + SA + " " + request;
        miaApi.getNotesApi().createIssueNote(project.getId(), issue.getIid(), comment);
        Pipeline pipeline = sim.awaitPipelineFor(project.getId(), comment);
        Run run = new Run(SimThread.issue(sim.url(), project.getId(), issue.getIid()), comment, pipeline,
                sim.variables(project.getId(), pipeline));
        if (run.gatewayToken() != null) {
            stack.runGatewayTokens.add(run.gatewayToken());
        }
        return run;
    }

    /** A Messages API call as the agent makes it: the gateway token as {@code x-api-key}, plus the run's headers. */
    private Response messages(Run run, boolean stream) {
        return call(run, run.gatewayToken(), stream);
    }

    private Response call(Run run, String token, boolean stream) {
        RequestSpecification request = request(token);
        run.gatewayHeaders().forEach(request::header);
        return request.body(body(stream)).post(run.vars().get("TANDEM_AI_GATEWAY_URL") + MESSAGES);
    }

    private static RequestSpecification request(String token) {
        return given().header("x-api-key", token).header("anthropic-version", "2023-06-01")
                .contentType(ContentType.JSON);
    }

    private static Map<String, Object> body(boolean stream) {
        return Map.of("model", MODEL, "max_tokens", 256, "stream", stream,
                "messages", List.of(Map.of("role", "user", "content", "Summarise the weaving log.")));
    }

    private void finish(Run run) {
        sim.pipelineStatus(project.getId(), run.pipeline().getId(), "running");
        sim.pipelineStatus(project.getId(), run.pipeline().getId(), "success");
    }

    private static String proxyUrl(Run run) {
        return "http://" + run.vars().get("AI_FLOW_GITLAB_HOSTNAME");
    }

    /** The signature: the part of a JWT only its holder has (a header and claims alone are not a token). */
    private static String signature(String jwt) {
        return jwt.substring(jwt.lastIndexOf('.') + 1);
    }

    private List<Map<String, Object>> audit(Run run, String type) {
        return given().queryParam("invocationId", run.invocationId()).queryParam("type", type)
                .get(stack.url("result-publisher") + "/api/v1/audit")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    private RequestSpecification internal() {
        return given().header("X-Tandem-Internal-Token", stack.internalToken);
    }

    private String budgetUrl() {
        return stack.url("ai-gateway") + "/internal/v1/budgets/user/" + mia.getId();
    }

    private JsonPath setBudget(long dailyTokens) {
        return internal().contentType(ContentType.JSON).body(Map.of("dailyTokens", dailyTokens)).put(budgetUrl())
                .then().statusCode(200).extract().jsonPath();
    }
}
