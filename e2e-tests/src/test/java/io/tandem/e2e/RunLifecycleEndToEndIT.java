package io.tandem.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.restassured.path.json.JsonPath;
import io.tandem.testsupport.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.Commit;
import org.gitlab4j.api.models.CommitAction;
import org.gitlab4j.api.models.DiffRef;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.Job;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.MergeRequestParams;
import org.gitlab4j.api.models.Note;
import org.gitlab4j.api.models.Pipeline;
import org.gitlab4j.api.models.PipelineStatus;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.ProjectHook;
import org.gitlab4j.api.models.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A run's life from the pipeline to its result, end to end: every terminal state (success with a merge
 * request, success with an answer, failed, canceled, timed out), a diff-line answer, GitLab's 429 and a burst
 * of 5xx survived, pipeline-launcher and result-publisher each SIGKILLed in the middle of a run, and an outside
 * analytics consumer rebuilding a run's timeline from {@code tandem.audit.cloudevents.v1}.
 *
 * <p>The test plays the agent: it reads the run token from the pipeline's variables and writes through
 * identity-service's GitLab proxy (commits to {@code workloads/<id>}, notes, diff discussions), then moves the
 * pipeline with the simulator's status endpoint. Each scenario has its own issue or merge request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(1)
class RunLifecycleEndToEndIT {

    static final String AGENT_YAML = """
            image: registry.example.com/agents/claude-code:1.0
            commands:
              - claude --print "$AI_FLOW_INPUT" > .tandem/answer.md
            resultFile: .tandem/answer.md
            """;
    /** The smallest timeout the definition schema allows is one minute. */
    static final String SPRINTER_YAML = """
            image: registry.example.com/agents/sprinter:1.0
            commands:
              - sprint "$AI_FLOW_INPUT"
            timeout: 1
            """;
    static final String SA = "ai-claude-code-life";
    static final String SPRINTER = "ai-sprinter-life";
    static final String CHANGED_FILE = "src/Cache.java";
    static final String CACHE_SOURCE = """
            class Cache {
                int ttl = 60;
                void evict() { }
                void put() { }
            }
            """;
    static final String AUDIT_TOPIC = "tandem.audit.cloudevents.v1";
    static final ObjectMapper JSON = new ObjectMapper();

    TandemStack stack;
    SimGitlab sim;
    GitLabApi root;
    Project project;
    GitLabApi leo;
    /** Started while the class seeds, so that its minute passes while the other scenarios run. */
    Run timedOut;

    /** One run as the test sees it: the thread it was asked in, the comment, its pipeline and variables. */
    record Run(SimThread thread, String webUrl, String input, Pipeline pipeline, Map<String, String> vars) {

        String invocationId() {
            return vars.get("AI_FLOW_ID");
        }

        String branch() {
            return pipeline.getRef();
        }
    }

    @BeforeAll
    void startStackAndSeed() throws Exception {
        stack = TandemStack.shared();
        sim = new SimGitlab(stack.gitlab.url());
        root = sim.root;

        User lina = sim.createUser("lina");
        User leoUser = sim.createUser("leo");
        leo = sim.as(leoUser);

        Group group = root.getGroupApi().addGroup("Life", "life");
        root.getGroupApi().addMember(group.getId(), lina.getId(), AccessLevel.OWNER);
        project = root.getProjectApi().createProject(group.getId(), "shop");
        root.getProjectApi().addMember(project.getId(), leoUser.getId(), AccessLevel.DEVELOPER);

        ProjectHook events = new ProjectHook();
        events.setNoteEvents(true);
        events.setIssuesEvents(true);
        events.setMergeRequestsEvents(true);
        events.setPipelineEvents(true);
        events.setConfidentialNoteEvents(true);
        root.getProjectApi().addHook(project.getId(), stack.url("webhook-ingest") + "/webhooks/gitlab", events,
                false, stack.webhookSecret);

        TandemAdmin owner = new TandemAdmin(stack.url("trigger-matcher"), sim.token(lina));
        long claude = owner.createAgent(project.getId(), "Claude Code", AGENT_YAML);
        assertThat(owner.enableInGroup(group.getId(), claude).username()).isEqualTo(SA);
        owner.enableInProject(project.getId(), claude, List.of("mention"));
        long sprinter = owner.createAgent(project.getId(), "Sprinter", SPRINTER_YAML);
        assertThat(owner.enableInGroup(group.getId(), sprinter).username()).isEqualTo(SPRINTER);
        owner.enableInProject(project.getId(), sprinter, List.of("mention"));

        timedOut = mention("Nightly report", SPRINTER, "build the nightly report life-timeout");
        sim.pipelineStatus(project.getId(), timedOut.pipeline().getId(), "running");
    }

    /** Faults never outlive their test; a run a failed test left behind ends (the timed-out run must not). */
    @AfterEach
    void clearFaultsAndFinishLeftoverRuns() throws GitLabApiException {
        sim.clearFaults();
        for (Pipeline p : sim.pipelines(project.getId(), vars -> true)) {
            boolean open = p.getStatus() == PipelineStatus.PENDING || p.getStatus() == PipelineStatus.RUNNING;
            if (open && !p.getId().equals(timedOut.pipeline().getId())) {
                sim.pipelineStatus(project.getId(), p.getId(), "success");
            }
        }
    }

    @Test
    @Order(1)
    void commitsOnTheRunBranchBecomeOneReadyMergeRequestLinkedFromTheNote() throws Exception {
        Run run = mention("Add a health endpoint", SA, "add a GET /health endpoint life-mr");
        assertThat(run.branch()).isEqualTo("workloads/" + run.invocationId());
        SimThread.Note progress = awaitProgress(run, SA);

        agent(run).getCommitsApi().createCommit(project.getId(), run.branch(), "Add the health endpoint", null,
                null, null, create("src/Health.java", "class Health {}\n"));
        finish(run, "success");

        SimThread.Note done = run.thread().awaitNote(n -> n.id() == progress.id() && n.isState("SUCCEEDED"));
        List<MergeRequest> opened = mergeRequestsFrom(run.branch());
        assertThat(opened).as("one merge request from the run's branch").hasSize(1);
        MergeRequest mr = root.getMergeRequestApi().getMergeRequest(project.getId(), opened.get(0).getIid());
        assertThat(mr.getTargetBranch()).as("back to the branch the run started from").isEqualTo("main");
        assertThat(mr.getAuthor().getUsername()).as("the agent is the author").isEqualTo(SA);
        assertThat(mr.getDraft()).as("ready to merge").isNotEqualTo(Boolean.TRUE);
        assertThat(mr.getTitle()).isEqualTo("Claude Code: Add a health endpoint");
        assertThat(mr.getDescription()).contains(run.webUrl()).contains("Requested by @leo")
                .contains("<!-- tandem:run:" + run.invocationId() + " -->");
        assertThat(mr.getAssignee()).as("the human is recorded as the requester").isNotNull();
        assertThat(mr.getAssignee().getUsername()).isEqualTo("leo");
        assertThat(done.body()).as("the terminal note links the merge request")
                .contains("merge request !" + mr.getIid()).contains(mr.getWebUrl());

        // GitLab sends the success hook again: the run ends once, so its merge request stays one.
        sim.redeliver(successHookOf(run));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInterval(SimGitlab.POLL)
                .until(() -> mergeRequestsFrom(run.branch()).size() == 1);

        assertThat(root.getRepositoryApi().getOptionalBranch(project.getId(), run.branch()))
                .as("a branch with the agent's work is kept").isPresent();
        assertThat(root.getRepositoryFileApi().getFile(project.getId(), "src/Health.java", run.branch())
                .getDecodedContentAsString()).isEqualTo("class Health {}\n");
        assertThat(progressNotes(run.thread(), SA)).as("one progress note per run").hasSize(1);
    }

    @Test
    @Order(2)
    void anAnswerNoteThroughTheProxyIsTheResultAndNoMergeRequestIsOpened() throws Exception {
        Run run = mention("Checkout is slow", SA, "why is checkout slow? life-answer");
        SimThread.Note progress = awaitProgress(run, SA);

        String answerText = "Checkout calls the tax service once per line item; batch the calls.";
        Note answer = agent(run).getNotesApi().createIssueNote(project.getId(), issueIid(run), answerText);
        finish(run, "success");

        SimThread.Note done = run.thread().awaitNote(n -> n.id() == progress.id() && n.isState("SUCCEEDED"));
        assertThat(done.body()).contains("has finished your request").doesNotContain("merge request");
        assertThat(run.thread().notes()).filteredOn(n -> n.id() == answer.getId()).singleElement()
                .satisfies(n -> {
                    assertThat(n.author()).as("the answer is the agent's").isEqualTo(SA);
                    assertThat(n.body()).isEqualTo(answerText);
                });
        awaitBranchGone(run.branch());
        assertThat(mergeRequestsFrom(run.branch())).as("nothing to merge: no merge request").isEmpty();
        assertThat(progressNotes(run.thread(), SA)).hasSize(1);
    }

    @Test
    @Order(2)
    void aResultFileTheJobLeavesIsPostedInTheThreadOnce() throws Exception {
        Run run = mention("Flaky login test", SA, "why is the login test flaky? life-result-file");
        SimThread.Note progress = awaitProgress(run, SA);

        // the runner keeps the file the definition names as the job's artifact
        String answerText = "The login test races the session cache: await the cache warm-up first.";
        Job job = root.getJobApi().getJobsForPipeline(project.getId(), run.pipeline().getId()).get(0);
        given().body(answerText).put(sim.url() + "/-/sim/projects/" + project.getId() + "/jobs/" + job.getId()
                + "/artifacts/.tandem/answer.md").then().statusCode(201);
        finish(run, "success");

        run.thread().awaitNote(n -> n.id() == progress.id() && n.isState("SUCCEEDED"));
        SimThread.Note result = run.thread().awaitNote(n -> n.author().equals(SA) && n.body().contains(answerText));
        assertThat(result.id()).as("the answer is a note of its own").isNotEqualTo(progress.id());
        sim.redeliver(successHookOf(run));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                run.thread().notes()).filteredOn(n -> n.body().contains(answerText)).hasSize(1));
    }

    @Test
    @Order(3)
    void anAnswerAboutADiffLineSitsOnThatLine() throws Exception {
        MergeRequest mr = mergeRequest("life-cache", "Cache eviction");
        DiffRef refs = mr.getDiffRefs();
        String comment = "@" + SA + " is this eviction order right? life-diff";
        JsonPath asked = given().header("PRIVATE-TOKEN", leo.getAuthToken()).formParam("body", comment)
                .formParam("position[position_type]", "text")
                .formParam("position[base_sha]", refs.getBaseSha())
                .formParam("position[start_sha]", refs.getStartSha())
                .formParam("position[head_sha]", refs.getHeadSha())
                .formParam("position[old_path]", CHANGED_FILE)
                .formParam("position[new_path]", CHANGED_FILE)
                .formParam("position[new_line]", 3)
                .post(discussionsUrl(sim.url(), mr)).then().statusCode(201).extract().jsonPath();
        String askedIn = asked.getString("id");

        Pipeline pipeline = sim.awaitPipelineFor(project.getId(), comment);
        Run run = new Run(SimThread.mergeRequest(sim.url(), project.getId(), mr.getIid()), mr.getWebUrl(), comment,
                pipeline, sim.variables(project.getId(), pipeline));
        SimThread.Note progress = awaitProgress(run, SA);
        assertThat(discussionNoteIds(mr, askedIn)).as("the progress note answers in the asker's discussion")
                .contains(progress.id());

        // The agent answers on the line the context names, as a diff discussion of its own, through the proxy.
        JsonNode position = JSON.readTree(run.vars().get("AI_FLOW_CONTEXT")).path("position");
        String oldPath = position.path("old_path").asText(position.path("new_path").asText());
        assertThat(position.path("new_line").asInt()).isEqualTo(3);
        String answerText = "Evict the oldest entry first: put() should move the key to the end.";
        JsonPath answered = given().header("PRIVATE-TOKEN", run.vars().get("AI_FLOW_GITLAB_TOKEN"))
                .formParam("body", answerText)
                .formParam("position[position_type]", "text")
                .formParam("position[base_sha]", position.path("base_sha").asText())
                .formParam("position[start_sha]", position.path("start_sha").asText())
                .formParam("position[head_sha]", position.path("head_sha").asText())
                .formParam("position[old_path]", oldPath)
                .formParam("position[new_path]", position.path("new_path").asText())
                .formParam("position[new_line]", position.path("new_line").asInt())
                .post(discussionsUrl(proxyUrl(run), mr)).then().statusCode(201).extract().jsonPath();
        String answerDiscussion = answered.getString("id");

        JsonPath onLine = given().header("PRIVATE-TOKEN", "sim-root-token")
                .get(discussionsUrl(sim.url(), mr) + "/" + answerDiscussion)
                .then().statusCode(200).extract().jsonPath();
        assertThat(onLine.getString("notes[0].type")).isEqualTo("DiffNote");
        assertThat(onLine.getString("notes[0].author.username")).isEqualTo(SA);
        assertThat(onLine.getString("notes[0].body")).isEqualTo(answerText);
        assertThat(onLine.getString("notes[0].position.new_path")).isEqualTo(CHANGED_FILE);
        assertThat(onLine.getInt("notes[0].position.new_line")).isEqualTo(3);

        finish(run, "success");
        run.thread().awaitNote(n -> n.id() == progress.id() && n.isState("SUCCEEDED"));
    }

    @Test
    @Order(4)
    void aFailedPipelineNamesTheFailedJobAndLinksItsLog() throws Exception {
        Run run = mention("Flaky build", SA, "fix the flaky build life-failed");
        SimThread.Note progress = awaitProgress(run, SA);
        finish(run, "failed");

        List<Job> jobs = root.getJobApi().getJobsForPipeline(project.getId(), run.pipeline().getId());
        assertThat(jobs).extracting(Job::getName).containsExactly("tandem-agent");
        SimThread.Note done = run.thread().awaitNote(n -> n.id() == progress.id() && n.isState("FAILED"));
        assertThat(done.body()).contains("could not finish your request")
                .contains("Job `tandem-agent` failed").contains(jobs.get(0).getWebUrl())
                .contains(run.pipeline().getWebUrl());
        awaitBranchGone(run.branch());
        assertThat(progressNotes(run.thread(), SA)).hasSize(1);
    }

    @Test
    @Order(5)
    void aPipelineCanceledInGitlabEndsTheRunCanceled() throws Exception {
        Run run = mention("Old dashboards", SA, "remove the old dashboards life-canceled");
        SimThread.Note progress = awaitProgress(run, SA);
        finish(run, "canceled");

        SimThread.Note done = run.thread().awaitNote(n -> n.id() == progress.id() && n.isState("CANCELED"));
        assertThat(done.body()).contains("was canceled").contains(run.pipeline().getWebUrl());
        awaitBranchGone(run.branch());
        assertThat(progressNotes(run.thread(), SA)).hasSize(1);
    }

    @Test
    @Order(6)
    void a429IsWaitedOutForAsLongAsRetryAfterSays() throws Exception {
        long fault = sim.injectFault("POST", pipelineCreation(), 429, 3, 1);
        Run run = mention("Rate limits", SA, "explain our rate limits life-429");
        assertThat(sim.faultRemaining(fault)).as("the launcher met the 429").isZero();
        assertThat(sim.pipelinesFor(project.getId(), run.input())).hasSize(1);

        // The branch's head is the launcher's CI-file commit, made just before the refused pipeline call.
        Commit ciCommit = root.getCommitsApi().getCommits(project.getId(), run.branch(), null, null).get(0);
        long waitedMillis = run.pipeline().getCreatedAt().getTime() - ciCommit.getCreatedAt().getTime();
        assertThat(waitedMillis).as("Retry-After: 3 was honoured (a backoff alone waits under a second)")
                .isGreaterThanOrEqualTo(2_500);

        SimThread.Note progress = awaitProgress(run, SA);
        finish(run, "success");
        run.thread().awaitNote(n -> n.id() == progress.id() && n.isState("SUCCEEDED"));
        assertThat(progressNotes(run.thread(), SA)).hasSize(1);
    }

    @Test
    @Order(7)
    void aBurstOf5xxIsSurvivedByTheLauncherAndThePublisher() throws Exception {
        long launcherFault = sim.injectFault("POST", pipelineCreation(), 502, null, 3);
        Run run = mention("Search ranking", SA, "tune the search ranking life-5xx");
        assertThat(sim.faultRemaining(launcherFault)).as("three 502s on pipeline creation").isZero();
        assertThat(sim.pipelinesFor(project.getId(), run.input())).as("retries adopt, never duplicate").hasSize(1);

        SimThread.Note progress = awaitProgress(run, SA);
        sim.pipelineStatus(project.getId(), run.pipeline().getId(), "running");
        run.thread().awaitNote(n -> n.id() == progress.id() && n.isState("RUNNING"));
        long publisherFault = sim.injectFault("PUT", noteEdits(issueIid(run)), 503, null, 3);
        sim.pipelineStatus(project.getId(), run.pipeline().getId(), "success");

        run.thread().awaitNote(n -> n.id() == progress.id() && n.isState("SUCCEEDED"));
        assertThat(sim.faultRemaining(publisherFault)).as("three 503s on the note's edit").isZero();
        assertThat(progressNotes(run.thread(), SA)).hasSize(1);
    }

    @Test
    @Order(8)
    void aLauncherKilledWhileStartingARunMakesExactlyOnePipelineAndOneEnd() throws Exception {
        // A long Retry-After holds the launcher between creating the branch and creating the pipeline.
        long fault = sim.injectFault("POST", pipelineCreation(), 429, 40, 1);
        Issue issue = leo.getIssuesApi().createIssue(project.getId(), "Invoice totals", "off by one cent");
        String comment = "@" + SA + " fix the invoice rounding life-kill-launcher";
        leo.getNotesApi().createIssueNote(project.getId(), issue.getIid(), comment);
        await().atMost(SimGitlab.WAIT).pollInterval(Duration.ofMillis(100)).until(() -> sim.faultRemaining(fault) == 0);

        stack.services.get("pipeline-launcher").kill();
        List<Pipeline> atTheKill = sim.pipelinesFor(project.getId(), comment);
        stack.startService("pipeline-launcher");
        stack.awaitReady("pipeline-launcher");
        assertThat(atTheKill).as("killed before the pipeline existed").isEmpty();

        Pipeline pipeline = sim.awaitPipelineFor(project.getId(), comment);
        Run run = new Run(SimThread.issue(sim.url(), project.getId(), issue.getIid()), issue.getWebUrl(), comment,
                pipeline, sim.variables(project.getId(), pipeline));
        SimThread.Note progress = awaitProgress(run, SA);
        finish(run, "success");
        run.thread().awaitNote(n -> n.id() == progress.id() && n.isState("SUCCEEDED"));
        assertThat(sim.pipelinesFor(project.getId(), comment)).as("exactly one pipeline").hasSize(1);
        assertThat(progressNotes(run.thread(), SA)).as("exactly one progress note").hasSize(1);
    }

    @Test
    @Order(9)
    void aPublisherKilledWhileWritingTheEndLeavesExactlyOneTerminalNote() throws Exception {
        Run run = mention("Password reset", SA, "why do reset mails bounce? life-kill-publisher");
        SimThread.Note progress = awaitProgress(run, SA);
        sim.pipelineStatus(project.getId(), run.pipeline().getId(), "running");
        run.thread().awaitNote(n -> n.id() == progress.id() && n.isState("RUNNING"));

        // The first failed edit shows the publisher is writing the end; it backs off, and dies meanwhile.
        long fault = sim.injectFault("PUT", noteEdits(issueIid(run)), 503, null, 3);
        sim.pipelineStatus(project.getId(), run.pipeline().getId(), "success");
        await().atMost(SimGitlab.WAIT).pollInterval(Duration.ofMillis(20)).until(() -> sim.faultRemaining(fault) < 3);
        stack.services.get("result-publisher").kill();
        List<SimThread.Note> atTheKill = run.thread().notes();
        stack.startService("result-publisher");
        stack.awaitReady("result-publisher");
        assertThat(atTheKill).filteredOn(n -> n.id() == progress.id()).singleElement()
                .as("killed before the end was written").matches(n -> n.isState("RUNNING"));

        SimThread.Note done = run.thread().awaitNote(n -> n.id() == progress.id() && n.isState("SUCCEEDED"));
        assertThat(done.body()).contains("has finished your request");
        assertThat(progressNotes(run.thread(), SA)).as("exactly one progress note").hasSize(1);
        assertThat(run.thread().notesBy(SA)).as("and nothing else by the agent").hasSize(1);
        assertThat(sim.pipelinesFor(project.getId(), run.input())).as("exactly one pipeline").hasSize(1);
    }

    @Test
    @Order(10)
    void anOutsideAnalyticsConsumerRebuildsARunsTimelineFromThePublishedSchemasOnly() throws Exception {
        Run run = mention("Add a metrics endpoint", SA, "add a /metrics endpoint life-audit");
        SimThread.Note progress = awaitProgress(run, SA);
        agent(run).getCommitsApi().createCommit(project.getId(), run.branch(), "Add the metrics endpoint", null,
                null, null, create("src/Metrics.java", "class Metrics {}\n"));
        finish(run, "success");
        run.thread().awaitNote(n -> n.id() == progress.id() && n.isState("SUCCEEDED"));

        Map<String, JsonNode> events = new LinkedHashMap<>();
        try (KafkaConsumer<String, String> consumer = analyticsConsumer()) {
            consumer.subscribe(List.of(AUDIT_TOPIC));
            await().atMost(SimGitlab.WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                collect(consumer, run.invocationId(), events);
                return events.values().stream().anyMatch(e -> isStep(e, "note.written")
                        && "SUCCEEDED".equals(e.path("data").path("details").path("state").asText()));
            });
            // The merge request is opened before the final note is written; its step may arrive a little later.
            for (Instant end = Instant.now().plusSeconds(10); Instant.now().isBefore(end)
                    && events.values().stream().noneMatch(e -> isStep(e, "merge-request.opened"));) {
                collect(consumer, run.invocationId(), events);
            }
        }

        List<JsonNode> timeline = new ArrayList<>(events.values());
        timeline.sort(Comparator.comparing(e -> OffsetDateTime.parse(e.path("time").asText()).toInstant()));
        List<String> steps = timeline.stream().map(e -> e.path("type").asText().substring("io.tandem.".length()))
                .distinct().toList();
        assertThat(steps).as("the run's steps").contains("trigger.matched", "invocation.authorized",
                "run-token.minted", "pipeline.created", "proxy.write", "run.running", "run.succeeded", "note.written");
        assertThat(steps).as("in causal order").containsSubsequence("trigger.matched", "invocation.authorized",
                "run-token.minted", "pipeline.created", "proxy.write", "run.succeeded");
        assertThat(timeline).as("every step is the run's and names its project").allSatisfy(e -> {
            assertThat(e.path("subject").asText()).isEqualTo(run.invocationId());
            assertThat(e.path("data").path("projectId").asLong()).isEqualTo(project.getId());
        });

        JsonNode authorized = first(timeline, "invocation.authorized");
        assertThat(authorized.path("data").path("actor").asText()).isEqualTo("leo");
        assertThat(authorized.path("data").path("serviceAccount").asText()).isEqualTo(SA);
        assertThat(authorized.path("data").path("details").path("requesterRole").asText()).isEqualTo("Developer");
        assertThat(authorized.path("data").path("details").path("serviceAccountRole").asText()).isEqualTo("Developer");
        JsonNode write = first(timeline, "proxy.write");
        assertThat(write.path("data").path("actor").asText()).as("the write names the human").isEqualTo("leo");
        assertThat(write.path("data").path("serviceAccount").asText()).as("and the agent").isEqualTo(SA);
        assertThat(first(timeline, "pipeline.created").path("data").path("details").path("pipelineId").asText())
                .isEqualTo(run.pipeline().getId().toString());

        for (JsonNode event : timeline) {
            String type = event.path("type").asText();
            Path schema = Workspace.root().resolve("docs/schema/audit")
                    .resolve(type.substring("io.tandem.".length()) + ".schema.json");
            assertThat(schema).as("a published schema for " + type).exists();
            assertThat(publishedSchema(schema).validate(event))
                    .as(type + " matches its published schema").isEmpty();
        }

        assertThat(steps).as("the agent's commits became a merge request, after the run succeeded")
                .containsSubsequence("proxy.write", "run.succeeded", "merge-request.opened");
        assertThat(mergeRequestsFrom(run.branch())).as("the merge request the step reports").hasSize(1);
    }

    @Test
    @Order(11)
    void aRunPastItsTimeoutIsCanceledInGitlabAndMarkedTimedOut() throws Exception {
        SimThread.Note progress = awaitProgress(timedOut, SPRINTER);
        SimThread.Note done = timedOut.thread().awaitNote(n -> n.id() == progress.id() && n.isState("TIMED_OUT"));
        assertThat(done.body()).contains("ran out of time").contains("Timed out after 1 minute")
                .contains(timedOut.pipeline().getWebUrl());
        await().atMost(SimGitlab.WAIT).pollInterval(SimGitlab.POLL).until(() -> root.getPipelineApi()
                .getPipeline(project.getId(), timedOut.pipeline().getId()).getStatus() == PipelineStatus.CANCELED);
        awaitBranchGone(timedOut.branch());
        assertThat(progressNotes(timedOut.thread(), SPRINTER)).hasSize(1);
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** Leo opens an issue and mentions {@code agent} in it; returns once the run's pipeline exists. */
    private Run mention(String title, String agent, String request) throws GitLabApiException {
        Issue issue = leo.getIssuesApi().createIssue(project.getId(), title, title + ", see the logs.");
        String comment = "@" + agent + " " + request;
        leo.getNotesApi().createIssueNote(project.getId(), issue.getIid(), comment);
        Pipeline pipeline = sim.awaitPipelineFor(project.getId(), comment);
        return new Run(SimThread.issue(sim.url(), project.getId(), issue.getIid()), issue.getWebUrl(), comment,
                pipeline, sim.variables(project.getId(), pipeline));
    }

    /** The agent's GitLab client, as a job makes it: the run token at {@code AI_FLOW_GITLAB_HOSTNAME}. */
    private GitLabApi agent(Run run) {
        return new GitLabApi(proxyUrl(run), run.vars().get("AI_FLOW_GITLAB_TOKEN"));
    }

    private String proxyUrl(Run run) {
        assertThat(run.vars()).containsKeys("AI_FLOW_GITLAB_HOSTNAME", "AI_FLOW_GITLAB_TOKEN");
        return "http://" + run.vars().get("AI_FLOW_GITLAB_HOSTNAME");
    }

    private void finish(Run run, String status) {
        sim.pipelineStatus(project.getId(), run.pipeline().getId(), "running");
        sim.pipelineStatus(project.getId(), run.pipeline().getId(), status);
    }

    private static SimThread.Note awaitProgress(Run run, String agent) {
        return run.thread().awaitNote(n -> n.author().equals(agent) && isProgress(n)
                && n.body().contains(run.pipeline().getWebUrl()));
    }

    private static boolean isProgress(SimThread.Note note) {
        return note.body().contains("<!-- tandem:state:");
    }

    private static List<SimThread.Note> progressNotes(SimThread thread, String agent) {
        return thread.notesBy(agent).stream().filter(RunLifecycleEndToEndIT::isProgress).toList();
    }

    private static long issueIid(Run run) {
        return Long.parseLong(run.thread().path().substring(run.thread().path().lastIndexOf('/') + 1));
    }

    /** The launcher's {@code POST /projects/:id/pipeline}, by numeric id or path. */
    private String pipelineCreation() {
        return "^/api/v4/projects/(" + project.getId() + "|life(/|%2F)shop)/pipeline$";
    }

    /** The publisher's edits of notes in one issue. */
    private String noteEdits(long issueIid) {
        return "^/api/v4/projects/(" + project.getId() + "|life(/|%2F)shop)/issues/" + issueIid + "/notes/\\d+$";
    }

    /** The idempotency key of the Pipeline Hook that told Tandem the run's pipeline succeeded. */
    private String successHookOf(Run run) {
        return sim.deliveries().stream().filter(d -> "Pipeline Hook".equals(d.get("event")))
                .filter(d -> {
                    Map<?, ?> attributes = (Map<?, ?>) ((Map<?, ?>) d.get("payload")).get("object_attributes");
                    return run.pipeline().getId().equals(((Number) attributes.get("id")).longValue())
                            && "success".equals(attributes.get("status"));
                })
                .map(d -> (String) d.get("idempotencyKey")).findFirst().orElseThrow();
    }

    private List<MergeRequest> mergeRequestsFrom(String sourceBranch) throws GitLabApiException {
        return root.getMergeRequestApi().getMergeRequests(project.getId()).stream()
                .filter(mr -> sourceBranch.equals(mr.getSourceBranch())).toList();
    }

    private void awaitBranchGone(String branch) {
        await().atMost(SimGitlab.WAIT).pollInterval(SimGitlab.POLL).until(() -> root.getRepositoryApi()
                .getOptionalBranch(project.getId(), branch).isEmpty());
    }

    private static CommitAction create(String path, String content) {
        return new CommitAction().withAction(CommitAction.Action.CREATE).withFilePath(path).withContent(content);
    }

    /** A merge request by Leo from a new branch with one commit that adds {@link #CHANGED_FILE}. */
    private MergeRequest mergeRequest(String branch, String title) throws GitLabApiException {
        leo.getRepositoryApi().createBranch(project.getId(), branch, "main");
        leo.getCommitsApi().createCommit(project.getId(), branch, "Add the cache", null, null, null,
                create(CHANGED_FILE, CACHE_SOURCE));
        MergeRequest created = leo.getMergeRequestApi().createMergeRequest(project.getId(),
                new MergeRequestParams().withSourceBranch(branch).withTargetBranch("main").withTitle(title)
                        .withDescription(title + ", as discussed."));
        return leo.getMergeRequestApi().getMergeRequest(project.getId(), created.getIid());
    }

    private String discussionsUrl(String base, MergeRequest mr) {
        return base + "/api/v4/projects/" + project.getId() + "/merge_requests/" + mr.getIid() + "/discussions";
    }

    private List<Long> discussionNoteIds(MergeRequest mr, String discussionId) {
        return given().header("PRIVATE-TOKEN", "sim-root-token")
                .get(discussionsUrl(sim.url(), mr) + "/" + discussionId)
                .then().statusCode(200).extract().jsonPath().getList("notes.id", Long.class);
    }

    /** A consumer as an analytics team would run it: its own group, from the start of the topic, JSON text. */
    private KafkaConsumer<String, String> analyticsConsumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "life-analytics-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    /** Adds the run's CloudEvents from one poll; a repeat carries the same (source, id) and counts once. */
    private static void collect(KafkaConsumer<String, String> consumer, String invocationId,
            Map<String, JsonNode> events) throws IOException {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
            JsonNode event = JSON.readTree(record.value());
            if (invocationId.equals(event.path("data").path("invocationId").asText())) {
                events.putIfAbsent(event.path("source").asText() + " " + event.path("id").asText(), event);
            }
        }
    }

    private static boolean isStep(JsonNode event, String step) {
        return event.path("type").asText().equals("io.tandem." + step);
    }

    private static JsonNode first(List<JsonNode> timeline, String step) {
        return timeline.stream().filter(e -> isStep(e, step)).findFirst().orElseThrow();
    }

    /** A published schema as an analytics consumer loads it: JSON Schema 2020-12, formats asserted. */
    private static JsonSchema publishedSchema(Path file) throws IOException {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = Files.newInputStream(file)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        }
    }
}
