package io.tandem.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.CommitAction;
import org.gitlab4j.api.models.DiffRef;
import org.gitlab4j.api.models.Epic;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.GroupHookParams;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.MergeRequestParams;
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
 * Every trigger on every kind of thread, end to end: one agent enabled with {@code mention}, {@code assign} and
 * {@code assign_reviewer} in a project, and the webhooks the simulator fires as the only input. Each case checks
 * the pipeline's {@code AI_FLOW_*} variables and where the progress note lands.
 *
 * <p>Comments reach Tandem through a GROUP webhook (as a group owner installs it; an epic's comments have no
 * project hook to go to), issue, merge request and pipeline events through the project's hook. The project hook
 * does not subscribe to comments, so every comment is delivered once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(3)
class TriggerKindsEndToEndIT {

    static final String AGENT_YAML = """
            image: registry.example.com/agents/claude-code:1.0
            commands:
              - claude --print "$AI_FLOW_INPUT"
            """;
    static final String SERVICE_ACCOUNT = "ai-claude-code-kinds";
    static final String CHANGED_FILE = "src/Cache.java";
    static final ObjectMapper JSON = new ObjectMapper();

    TandemStack stack;
    SimGitlab sim;
    GitLabApi root;
    Group group;
    Project project;
    GitLabApi kim;
    GitLabApi kurt;
    long serviceAccountId;
    int branches;

    @BeforeAll
    void startStackAndSeed() throws Exception {
        stack = TandemStack.shared();
        sim = new SimGitlab(stack.gitlab.url());
        root = sim.root;

        User kate = sim.createUser("kate");
        User kimUser = sim.createUser("kim");
        User kurtUser = sim.createUser("kurt");
        kim = sim.as(kimUser);
        kurt = sim.as(kurtUser);

        group = root.getGroupApi().addGroup("Kinds", "kinds");
        root.getGroupApi().addMember(group.getId(), kate.getId(), AccessLevel.OWNER);
        // Group members, so that they can also write epics (Reporter or higher in the group).
        root.getGroupApi().addMember(group.getId(), kimUser.getId(), AccessLevel.DEVELOPER);
        root.getGroupApi().addMember(group.getId(), kurtUser.getId(), AccessLevel.MAINTAINER);
        project = root.getProjectApi().createProject(group.getId(), "app");

        ProjectHook events = new ProjectHook();
        events.setPushEvents(false);
        events.setIssuesEvents(true);
        events.setConfidentialIssuesEvents(true);
        events.setMergeRequestsEvents(true);
        events.setPipelineEvents(true);
        root.getProjectApi().addHook(project.getId(), stack.url("webhook-ingest") + "/webhooks/gitlab", events,
                false, stack.webhookSecret);
        GroupHookParams comments = new GroupHookParams()
                .setUrl(stack.url("webhook-ingest") + "/webhooks/gitlab")
                .setToken(stack.webhookSecret)
                .setPushEvents(false)
                .setNoteEvents(true)
                .setConfidentialNoteEvents(true)
                .setEnableSslVerification(false);
        root.getGroupApi().addWebhook(group.getId(), comments);

        TandemAdmin admin = new TandemAdmin(stack.url("trigger-matcher"), sim.token(kate));
        long agentId = admin.createAgent(project.getId(), "Claude Code", AGENT_YAML);
        TandemAdmin.ServiceAccount account = admin.enableInGroup(group.getId(), agentId);
        assertThat(account.username()).isEqualTo(SERVICE_ACCOUNT);
        serviceAccountId = account.id();
        admin.enableInProject(project.getId(), agentId, List.of("mention", "assign", "assign_reviewer"));

        // A second project of the group, enabled later: an epic's run belongs in the OLDEST enabled project.
        Project later = root.getProjectApi().createProject(group.getId(), "later");
        admin.enableInProject(later.getId(), agentId, List.of("mention"));
    }

    @Test
    @Order(1)
    void mentionInAnIssueComment() throws Exception {
        Issue issue = kim.getIssuesApi().createIssue(project.getId(), "Cache misses on cold start",
                "The first request after a deploy is slow.");
        String comment = "@" + SERVICE_ACCOUNT + " why does the cache miss on cold start?";
        kim.getNotesApi().createIssueNote(project.getId(), issue.getIid(), comment);

        Pipeline pipeline = sim.awaitPipelineFor(project.getId(), comment);
        Map<String, String> vars = variables(pipeline);
        assertThat(vars).containsEntry("AI_FLOW_EVENT", "mention")
                .containsEntry("AI_FLOW_INPUT", comment)
                .containsEntry("AI_FLOW_PROJECT_PATH", "kinds/app");
        JsonNode context = context(vars);
        assertThat(context.path("type").asText()).isEqualTo("Issue");
        assertThat(context.path("iid").asLong()).isEqualTo(issue.getIid());
        assertThat(context.path("issue").path("title").asText()).isEqualTo("Cache misses on cold start");
        assertThat(requester(vars)).isEqualTo("kim");

        SimThread thread = SimThread.issue(sim.url(), project.getId(), issue.getIid());
        SimThread.Note progress = thread.awaitNote(n -> n.body().contains(pipeline.getWebUrl()));
        assertThat(progress.author()).isEqualTo(SERVICE_ACCOUNT);
        finish(pipeline, thread, progress);
    }

    @Test
    @Order(2)
    void mentionInAMergeRequestComment() throws Exception {
        MergeRequest mr = mergeRequest(kurt, "Cache with a TTL");
        String comment = "@" + SERVICE_ACCOUNT + " review the TTL handling please";
        kim.getNotesApi().createMergeRequestNote(project.getId(), mr.getIid(), comment, null, null);

        Pipeline pipeline = sim.awaitPipelineFor(project.getId(), comment);
        Map<String, String> vars = variables(pipeline);
        assertThat(vars).containsEntry("AI_FLOW_EVENT", "mention")
                .containsEntry("AI_FLOW_INPUT", comment)
                .containsEntry("AI_FLOW_PROJECT_PATH", "kinds/app");
        JsonNode context = context(vars);
        assertThat(context.path("type").asText()).isEqualTo("MergeRequest");
        assertThat(context.path("iid").asLong()).isEqualTo(mr.getIid());
        JsonNode node = context.path("merge_request");
        assertThat(node.path("title").asText()).isEqualTo("Cache with a TTL");
        assertDiffRefs(node.path("diff_refs"), mr.getDiffRefs());
        assertThat(node.path("changes").findValuesAsText("new_path")).contains(CHANGED_FILE);
        assertThat(context.has("position")).as("a plain comment has no diff position").isFalse();

        SimThread thread = SimThread.mergeRequest(sim.url(), project.getId(), mr.getIid());
        SimThread.Note progress = thread.awaitNote(n -> n.body().contains(pipeline.getWebUrl()));
        assertThat(progress.author()).isEqualTo(SERVICE_ACCOUNT);
        finish(pipeline, thread, progress);
    }

    @Test
    @Order(3)
    void diffNoteKeepsItsPositionAndIsAnsweredInItsDiscussion() throws Exception {
        MergeRequest mr = mergeRequest(kurt, "Cache eviction");
        DiffRef refs = mr.getDiffRefs();
        String comment = "@" + SERVICE_ACCOUNT + " is this eviction order right?";
        JsonPath discussion = given().header("PRIVATE-TOKEN", kim.getAuthToken())
                .formParam("body", comment)
                .formParam("position[position_type]", "text")
                .formParam("position[base_sha]", refs.getBaseSha())
                .formParam("position[start_sha]", refs.getStartSha())
                .formParam("position[head_sha]", refs.getHeadSha())
                .formParam("position[old_path]", CHANGED_FILE)
                .formParam("position[new_path]", CHANGED_FILE)
                .formParam("position[new_line]", 3)
                .post(sim.url() + "/api/v4/projects/" + project.getId() + "/merge_requests/" + mr.getIid()
                        + "/discussions")
                .then().statusCode(201).extract().jsonPath();
        String discussionId = discussion.getString("id");
        assertThat(discussion.getString("notes[0].type")).isEqualTo("DiffNote");

        Pipeline pipeline = sim.awaitPipelineFor(project.getId(), comment);
        Map<String, String> vars = variables(pipeline);
        assertThat(vars).containsEntry("AI_FLOW_EVENT", "mention").containsEntry("AI_FLOW_INPUT", comment);
        JsonNode context = context(vars);
        assertThat(context.path("type").asText()).isEqualTo("MergeRequest");
        JsonNode position = context.path("position");
        assertThat(position.path("new_path").asText()).isEqualTo(CHANGED_FILE);
        assertThat(position.path("new_line").asInt()).isEqualTo(3);
        assertThat(position.path("position_type").asText()).isEqualTo("text");
        assertThat(position.path("head_sha").asText()).isEqualTo(refs.getHeadSha());
        assertThat(position.path("base_sha").asText()).isEqualTo(refs.getBaseSha());
        assertThat(position.path("start_sha").asText()).isEqualTo(refs.getStartSha());

        SimThread thread = SimThread.mergeRequest(sim.url(), project.getId(), mr.getIid());
        SimThread.Note progress = thread.awaitNote(n -> n.body().contains(pipeline.getWebUrl()));
        assertThat(progress.author()).isEqualTo(SERVICE_ACCOUNT);
        // GitLab's notes API does not say which discussion a note is in; its discussions API does.
        List<Long> inDiscussion = given().header("PRIVATE-TOKEN", kim.getAuthToken())
                .get(sim.url() + "/api/v4/projects/" + project.getId() + "/merge_requests/" + mr.getIid()
                        + "/discussions/" + discussionId)
                .then().statusCode(200).extract().jsonPath().getList("notes.id", Long.class);
        assertThat(inDiscussion).as("the answer sits on the commented line, in its discussion")
                .contains(progress.id());
        finish(pipeline, thread, progress);
    }

    @Test
    @Order(4)
    void mentionInAnInternalNote() throws Exception {
        Issue issue = kim.getIssuesApi().createIssue(project.getId(), "Rotate the cache password", "Ops only.");
        String comment = "@" + SERVICE_ACCOUNT + " where is the cache password used?";
        Note note = kim.getNotesApi().createIssueNote(project.getId(), issue.getIid(), comment, null, true);
        assertThat(note.getInternal()).as("the simulator took the note as internal").isTrue();
        await(() -> delivered("Confidential Note Hook", "Issue", comment));

        Pipeline pipeline = sim.awaitPipelineFor(project.getId(), comment);
        Map<String, String> vars = variables(pipeline);
        assertThat(vars).containsEntry("AI_FLOW_EVENT", "mention").containsEntry("AI_FLOW_INPUT", comment);
        assertThat(context(vars).path("issue").path("title").asText()).isEqualTo("Rotate the cache password");

        SimThread thread = SimThread.issue(sim.url(), project.getId(), issue.getIid());
        SimThread.Note progress = thread.awaitNote(n -> n.body().contains(pipeline.getWebUrl()));
        assertThat(progress.author()).isEqualTo(SERVICE_ACCOUNT);
        finish(pipeline, thread, progress);
    }

    @Test
    @Order(5)
    void assigningAnIssueStartsOneRunAndLaterUpdatesDoNot() throws Exception {
        Issue issue = kim.getIssuesApi().createIssue(project.getId(), "Warm the cache at startup", "Before traffic.");
        long iid = issue.getIid();
        SimThread thread = SimThread.issue(sim.url(), project.getId(), iid);
        updateIssue(kim, iid, Map.of("assignee_ids", List.of(serviceAccountId)));

        Pipeline first = awaitRun("assign", "Issue", iid);
        Map<String, String> vars = variables(first);
        assertThat(vars).containsEntry("AI_FLOW_EVENT", "assign")
                .containsEntry("AI_FLOW_INPUT", Long.toString(iid))
                .containsEntry("AI_FLOW_PROJECT_PATH", "kinds/app");
        assertThat(context(vars).path("issue").path("title").asText()).isEqualTo("Warm the cache at startup");
        assertThat(requester(vars)).isEqualTo("kim");
        SimThread.Note progress = thread.awaitNote(n -> n.body().contains(first.getWebUrl()));
        assertThat(progress.author()).isEqualTo(SERVICE_ACCOUNT);
        finish(first, thread, progress);

        // Still assigned: a title change is no new assignment.
        updateIssue(kim, iid, Map.of("title", "Warm the cache at startup, before traffic"));
        // The sentinel travels the same way (Issue Hook, same thread): once the account's removal and
        // re-assignment have their run, the title change before them was handled and started nothing.
        updateIssue(kim, iid, Map.of("assignee_ids", List.of()));
        updateIssue(kim, iid, Map.of("assignee_ids", List.of(serviceAccountId)));
        Pipeline second = await(() -> runs("assign", "Issue", iid), found -> found.size() >= 2).get(1);
        assertThat(second.getId()).isNotEqualTo(first.getId());
        finish(second, thread, thread.awaitNote(n -> n.body().contains(second.getWebUrl())));

        // And a mention in the same thread still gets its run, with no further assign run.
        String mention = "@" + SERVICE_ACCOUNT + " sentinel after the title change";
        kim.getNotesApi().createIssueNote(project.getId(), iid, mention);
        Pipeline sentinel = sim.awaitPipelineFor(project.getId(), mention);
        finish(sentinel, thread, thread.awaitNote(n -> n.body().contains(sentinel.getWebUrl())));
        assertThat(runs("assign", "Issue", iid)).as("one run per assignment, none for the title change")
                .hasSize(2);
    }

    @Test
    @Order(6)
    void assigningAndAskingForAReviewOnAMergeRequest() throws Exception {
        MergeRequest mr = mergeRequest(kim, "Cache metrics");
        long iid = mr.getIid();
        SimThread thread = SimThread.mergeRequest(sim.url(), project.getId(), iid);

        kurt.getMergeRequestApi().updateMergeRequest(project.getId(), iid,
                new MergeRequestParams().withAssigneeIds(List.of(serviceAccountId)));
        Pipeline assigned = awaitRun("assign", "MergeRequest", iid);
        Map<String, String> vars = variables(assigned);
        assertThat(vars).containsEntry("AI_FLOW_EVENT", "assign").containsEntry("AI_FLOW_INPUT", Long.toString(iid));
        assertDiffRefs(context(vars).path("merge_request").path("diff_refs"), mr.getDiffRefs());
        assertThat(requester(vars)).as("the run acts for who assigned it").isEqualTo("kurt");
        finish(assigned, thread, thread.awaitNote(n -> n.body().contains(assigned.getWebUrl())));

        kurt.getMergeRequestApi().updateMergeRequest(project.getId(), iid,
                new MergeRequestParams().withReviewerIds(List.of(serviceAccountId)));
        Pipeline review = awaitRun("assign_reviewer", "MergeRequest", iid);
        Map<String, String> reviewVars = variables(review);
        assertThat(reviewVars).containsEntry("AI_FLOW_EVENT", "assign_reviewer")
                .containsEntry("AI_FLOW_INPUT", Long.toString(iid))
                .containsEntry("AI_FLOW_PROJECT_PATH", "kinds/app");
        assertThat(context(reviewVars).path("type").asText()).isEqualTo("MergeRequest");
        SimThread.Note progress = thread.awaitNote(n -> n.body().contains(review.getWebUrl()));
        assertThat(progress.author()).isEqualTo(SERVICE_ACCOUNT);
        finish(review, thread, progress);
        assertThat(runs("assign", "MergeRequest", iid)).as("the reviewer request is no second assignment")
                .hasSize(1);
    }

    @Test
    @Order(7)
    void epicCommentThroughTheGroupHookRunsInTheGroupsOldestEnabledProject() throws Exception {
        Epic draft = new Epic();
        draft.setTitle("Caching roadmap");
        draft.setDescription("Everything we plan for the cache this quarter.");
        Epic epic = kim.getEpicsApi().createEpic(group.getId(), draft);
        String comment = "@" + SERVICE_ACCOUNT + " split this epic into issues";
        // Epic notes are addressed by the epic's id (GitLab's notes API), not its iid.
        kim.getNotesApi().createEpicNote(group.getId(), epic.getId(), comment);
        await(() -> delivered("Note Hook", "Epic", comment));

        Pipeline pipeline = sim.awaitPipelineFor(project.getId(), comment);
        Map<String, String> vars = variables(pipeline);
        assertThat(vars).containsEntry("AI_FLOW_EVENT", "mention")
                .containsEntry("AI_FLOW_INPUT", comment)
                .containsEntry("AI_FLOW_PROJECT_PATH", "kinds/app");
        JsonNode context = context(vars);
        assertThat(context.path("type").asText()).isEqualTo("Epic");
        assertThat(context.path("epic").path("title").asText()).isEqualTo("Caching roadmap");
        assertThat(context.path("epic").path("description").asText()).contains("this quarter");
        assertThat(context.path("group").path("full_path").asText()).isEqualTo("kinds");
        assertThat(requester(vars)).isEqualTo("kim");

        SimThread thread = SimThread.epic(sim.url(), group.getId(), epic.getId());
        SimThread.Note progress = thread.awaitNote(n -> n.body().contains(pipeline.getWebUrl()));
        assertThat(progress.author()).isEqualTo(SERVICE_ACCOUNT);
        finish(pipeline, thread, progress);
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** A merge request from a new branch with one commit that adds {@link #CHANGED_FILE}, as GitLab shows it. */
    private MergeRequest mergeRequest(GitLabApi author, String title) throws GitLabApiException {
        String branch = "kinds-" + (++branches);
        author.getRepositoryApi().createBranch(project.getId(), branch, "main");
        CommitAction add = new CommitAction().withAction(CommitAction.Action.CREATE).withFilePath(CHANGED_FILE)
                .withContent("class Cache {\n    int ttl = 60;\n    void evict() { }\n    void put() { }\n}\n");
        author.getCommitsApi().createCommit(project.getId(), branch, "Add the cache", null, null, null, add);
        MergeRequest created = author.getMergeRequestApi().createMergeRequest(project.getId(),
                new MergeRequestParams().withSourceBranch(branch).withTargetBranch("main").withTitle(title)
                        .withDescription(title + ", as discussed."));
        MergeRequest mr = author.getMergeRequestApi().getMergeRequest(project.getId(), created.getIid());
        assertThat(mr.getDiffRefs()).as("the simulator serves diff_refs").isNotNull();
        assertThat(mr.getDiffRefs().getHeadSha()).isNotBlank();
        return mr;
    }

    private void updateIssue(GitLabApi as, long iid, Map<String, Object> changes) {
        given().header("PRIVATE-TOKEN", as.getAuthToken()).contentType(ContentType.JSON).body(changes)
                .put(sim.url() + "/api/v4/projects/" + project.getId() + "/issues/" + iid)
                .then().statusCode(200);
    }

    /** Ends the run as a runner would and waits until the progress note says so. */
    private void finish(Pipeline pipeline, SimThread thread, SimThread.Note progress) {
        sim.pipelineStatus(project.getId(), pipeline.getId(), "running");
        sim.pipelineStatus(project.getId(), pipeline.getId(), "success");
        thread.awaitNote(n -> n.id() == progress.id() && n.isState("SUCCEEDED"));
    }

    private Map<String, String> variables(Pipeline pipeline) {
        return sim.variables(project.getId(), pipeline);
    }

    /** {@code AI_FLOW_CONTEXT} as the job reads it (the launcher sends every {@code $} as {@code $$}). */
    private static JsonNode context(Map<String, String> vars) throws Exception {
        assertThat(vars).containsKey("AI_FLOW_CONTEXT");
        return JSON.readTree(vars.get("AI_FLOW_CONTEXT").replace("$$", "$"));
    }

    /** The human a run acts for: {@code act.sub} of its run token. */
    private static String requester(Map<String, String> vars) {
        String[] jwt = vars.get("AI_FLOW_GITLAB_TOKEN").split("\\.");
        assertThat(jwt).hasSize(3);
        return JsonPath.from(new String(Base64.getUrlDecoder().decode(jwt[1]))).getString("act.sub");
    }

    private static void assertDiffRefs(JsonNode diffRefs, DiffRef expected) {
        assertThat(diffRefs.path("base_sha").asText()).isEqualTo(expected.getBaseSha());
        assertThat(diffRefs.path("start_sha").asText()).isEqualTo(expected.getStartSha());
        assertThat(diffRefs.path("head_sha").asText()).isEqualTo(expected.getHeadSha());
    }

    /** Pipelines of one trigger on one thread, oldest first. */
    private List<Pipeline> runs(String trigger, String noteableType, long iid) throws GitLabApiException {
        return sim.pipelines(project.getId(), vars -> trigger.equals(vars.get("AI_FLOW_EVENT"))
                && Long.toString(iid).equals(vars.get("AI_FLOW_INPUT")) && isThread(vars, noteableType, iid));
    }

    private Pipeline awaitRun(String trigger, String noteableType, long iid) {
        return await(() -> runs(trigger, noteableType, iid), found -> !found.isEmpty()).get(0);
    }

    private static boolean isThread(Map<String, String> vars, String noteableType, long iid) {
        if (!vars.containsKey("AI_FLOW_CONTEXT")) {
            return false;
        }
        try {
            JsonNode context = context(vars);
            return noteableType.equals(context.path("type").asText()) && context.path("iid").asLong() == iid;
        } catch (Exception e) {
            return false;
        }
    }

    /** GitLab sent the comment to Tandem's hook as that event, on that kind of thread. */
    private boolean delivered(String event, String noteableType, String comment) {
        return sim.deliveries().stream().anyMatch(d -> event.equals(d.get("event"))
                && d.get("payload") instanceof Map<?, ?> payload
                && payload.get("object_attributes") instanceof Map<?, ?> note
                && noteableType.equals(note.get("noteable_type")) && comment.equals(note.get("note")));
    }

    private static void await(Callable<Boolean> holds) {
        poll().until(holds);
    }

    /** {@code read} once it gives a value that satisfies {@code until}. */
    private static <T> T await(Callable<T> read, Predicate<T> until) {
        return poll().until(read, until);
    }

    private static ConditionFactory poll() {
        return Awaitility.await().atMost(SimGitlab.WAIT).pollInterval(SimGitlab.POLL);
    }
}
