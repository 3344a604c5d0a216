package io.tandem.launcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.events.Actor;
import io.tandem.events.AgentDefinition;
import io.tandem.events.Invocation;
import io.tandem.events.ThreadRef;
import io.tandem.launcher.client.GitlabSessions;
import io.tandem.launcher.support.FakeIdentityService;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.GitlabSimulator;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.Commit;
import org.gitlab4j.api.models.CommitAction;
import org.gitlab4j.api.models.Epic;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.ImpersonationToken;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.MergeRequestParams;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code AI_FLOW_CONTEXT} of the threads GitLab's own webhook payloads describe (the samples of
 * ../shared/gitlab-payloads, copied to src/test/resources/gitlab-payloads): each issue, merge request and comment
 * is made in the simulator as its payload has it, then {@link ThreadContextReader} reads it back through gitlab4j
 * as the service account, the way a run does, and the result must match the published schema and carry what the
 * payload says. There is no epic payload among the samples; the epic comes from the simulator's epics API.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@QuarkusTestResource(FakeIdentityService.class)
class ThreadContextFromPayloadsTest {

    private static final Path SCHEMA = Path.of("..", "docs", "schema", "flow-context.schema.json");
    private static final AgentDefinition DEFINITION = new AgentDefinition("alpine", List.of("true"), List.of(),
            false, null, Map.of());
    private static final ObjectMapper JSON = new ObjectMapper();

    private static GitLabApi root;
    private static Group group;
    private static Project project;
    private static User serviceAccount;
    private static String serviceAccountToken;
    private static JsonSchema schema;

    @Inject
    ThreadContextReader reader;

    @Inject
    GitlabSessions sessions;

    @Inject
    ObjectMapper mapper;

    @BeforeAll
    static void seed() throws Exception {
        root = new GitLabApi(GitlabSimTestResource.url(), GitlabSimulator.ROOT_TOKEN);
        group = root.getGroupApi().addGroup("Payload Samples", "payload-samples");
        // the samples' projects use "master"
        project = root.getProjectApi().createProject(new Project().withName("gitlab-test")
                .withNamespaceId(group.getId()).withDefaultBranch("master"));
        serviceAccount = root.getUserApi().createUser(new User().withUsername("ai-claude-code-payload-samples")
                .withName("Claude Code (payload samples)").withEmail("ai-payload-samples@example.invalid")
                .withSkipConfirmation(true), "a-long-password-1234", false);
        serviceAccountToken = root.getUserApi().createPersonalAccessToken(serviceAccount.getId(), "tandem",
                Date.from(Instant.now().plus(Duration.ofDays(30))),
                new ImpersonationToken.Scope[] {ImpersonationToken.Scope.API}).getToken();
        // only a project member, as service accounts are: that is enough to read the group's epics
        root.getProjectApi().addMember(project.getId(), serviceAccount.getId(), AccessLevel.DEVELOPER);
        try (InputStream in = Files.newInputStream(SCHEMA)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    @AfterAll
    static void close() {
        if (root != null) {
            root.close();
        }
    }

    @Test
    void anIssueAsTheIssueHookDescribesIt() throws Exception {
        JsonNode payload = payload("issue-event.json").get("object_attributes");
        List<String> labels = titles(payload.get("labels"));
        Issue issue = root.getIssuesApi().createIssue(project.getId(), payload.get("title").asText(),
                payload.get("description").asText(), null, null, null, String.join(",", labels), null, null, null,
                null);

        JsonNode context = read(thread("Issue", issue.getIid(), issue.getId(), issue.getWebUrl()), null);

        assertEquals("Issue", context.get("type").asText());
        assertEquals(project.getId().longValue(), context.get("project").get("id").asLong());
        assertEquals(project.getPathWithNamespace(), context.get("project").get("path_with_namespace").asText());
        JsonNode node = context.get("issue");
        assertEquals("New API: create/update/delete file", node.get("title").asText());
        assertEquals(payload.get("title").asText(), node.get("title").asText());
        assertEquals(payload.get("description").asText(), node.get("description").asText());
        assertEquals(List.of("API"), labels);
        assertEquals(labels, texts(node.get("labels")));
        assertEquals(payload.get("state").asText(), node.get("state").asText());
        assertEquals(issue.getIid().longValue(), node.get("iid").asLong());
        assertEquals(0, context.get("notes").size());
    }

    @Test
    void aClosedIssueAndTheCommentTheNoteHookCarries() throws Exception {
        JsonNode payload = payload("note-issue-event.json");
        JsonNode described = payload.get("issue");
        Issue issue = root.getIssuesApi().createIssue(project.getId(), described.get("title").asText(),
                described.get("description").asText());
        root.getNotesApi().createIssueNote(project.getId(), issue.getIid(), "Earlier: can you reproduce it?");
        root.getNotesApi().createIssueNote(project.getId(), issue.getIid(),
                payload.get("object_attributes").get("note").asText());
        root.getIssuesApi().closeIssue(project.getId(), issue.getIid());

        JsonNode context = read(thread("Issue", issue.getIid(), issue.getId(), issue.getWebUrl()), null);

        JsonNode node = context.get("issue");
        assertEquals(described.get("title").asText(), node.get("title").asText());
        assertEquals(described.get("description").asText(), node.get("description").asText());
        assertEquals("closed", described.get("state").asText());
        assertEquals(described.get("state").asText(), node.get("state").asText());
        List<String> bodies = bodies(context);
        assertEquals(List.of("Earlier: can you reproduce it?", "Hello world"), bodies, "comments oldest first");
        assertEquals(payload.get("object_attributes").get("note").asText(), bodies.get(1));
        assertEquals("root", context.get("notes").get(1).get("author").asText());
    }

    @Test
    void aMergeRequestAsTheMergeRequestHookDescribesItWithItsDiffRefs() throws Exception {
        JsonNode payload = payload("merge-request-event.json").get("object_attributes");
        String source = payload.get("source_branch").asText();
        String target = payload.get("target_branch").asText();
        Commit last = root.getCommitsApi().createCommit(project.getId(), source,
                payload.get("last_commit").get("message").asText(), target, null, null,
                List.of(new CommitAction().withAction(CommitAction.Action.UPDATE).withFilePath("README.md")
                        .withContent("# gitlab-test\n\nThe viewport meta tag is set.\n")));
        String base = root.getRepositoryApi().getBranch(project.getId(), target).getCommit().getId();
        List<String> labels = titles(payload.get("labels"));
        MergeRequest mr = root.getMergeRequestApi().createMergeRequest(project.getId(), new MergeRequestParams()
                .withSourceBranch(source).withTargetBranch(target).withTitle(payload.get("title").asText())
                .withDescription(payload.get("description").asText()).withLabels(labels));

        JsonNode context = read(thread("MergeRequest", mr.getIid(), mr.getId(), mr.getWebUrl()), null);

        assertEquals("MergeRequest", context.get("type").asText());
        JsonNode node = context.get("merge_request");
        assertEquals("MS-Viewport", node.get("title").asText());
        assertEquals(payload.get("title").asText(), node.get("title").asText());
        assertEquals(payload.get("description").asText(), textOrEmpty(node.get("description")));
        assertEquals(List.of("API"), texts(node.get("labels")));
        assertEquals(source, node.get("source_branch").asText());
        assertEquals(target, node.get("target_branch").asText());
        assertEquals(payload.get("state").asText(), node.get("state").asText());
        JsonNode refs = node.get("diff_refs");
        assertNotNull(refs, node.toString());
        assertEquals(last.getId(), refs.get("head_sha").asText());
        assertEquals(base, refs.get("base_sha").asText());
        assertEquals(base, refs.get("start_sha").asText());
        JsonNode changes = node.get("changes");
        assertEquals(1, changes.size(), changes.toString());
        assertEquals("README.md", changes.get(0).get("new_path").asText());
        assertTrue(changes.get(0).get("diff").asText().contains("+The viewport meta tag is set."),
                changes.toString());
    }

    @Test
    void aMergeRequestAndTheCommentTheNoteHookCarries() throws Exception {
        JsonNode payload = payload("note-merge-request-event.json");
        JsonNode described = payload.get("merge_request");
        String source = described.get("source_branch").asText();
        String target = described.get("target_branch").asText();
        // the sample merges the default branch into "markdown": "markdown" branches off before the last commit
        root.getRepositoryApi().createBranch(project.getId(), target, source);
        Commit last = root.getCommitsApi().createCommit(project.getId(), source,
                described.get("last_commit").get("message").asText(), null, null, null,
                List.of(new CommitAction().withAction(CommitAction.Action.CREATE).withFilePath("docs/test.md")
                        .withContent("Check in this test\n")));
        MergeRequest mr = root.getMergeRequestApi().createMergeRequest(project.getId(), new MergeRequestParams()
                .withSourceBranch(source).withTargetBranch(target).withTitle(described.get("title").asText())
                .withDescription(described.get("description").asText()));
        root.getNotesApi().createMergeRequestNote(project.getId(), mr.getIid(),
                payload.get("object_attributes").get("note").asText(), null, null);

        JsonNode context = read(thread("MergeRequest", mr.getIid(), mr.getId(), mr.getWebUrl()), null);

        JsonNode node = context.get("merge_request");
        assertEquals(described.get("title").asText(), node.get("title").asText());
        assertEquals(described.get("description").asText(), node.get("description").asText());
        assertEquals(source, node.get("source_branch").asText());
        assertEquals(target, node.get("target_branch").asText());
        assertEquals(last.getId(), node.get("diff_refs").get("head_sha").asText());
        assertEquals(List.of("docs/test.md"), texts(node.get("changes").findValues("new_path")));
        assertEquals(List.of("This MR needs work."), bodies(context));
        assertEquals(payload.get("object_attributes").get("note").asText(), bodies(context).get(0));
    }

    @Test
    void anEpicOfTheGroupWithItsComments() throws Exception {
        Epic epic = root.getEpicsApi().createEpic(group.getId(), "Repository files API", "API,roadmap",
                "Create, update and delete files through the API.", null, null, null);
        root.getNotesApi().createEpicNote(group.getId(), epic.getId(), "Issue #23 is the first step.");
        root.getNotesApi().createEpicNote(group.getId(), epic.getId(), "@ai-claude-code-payload-samples plan it");
        ThreadRef thread = new ThreadRef(null, group.getId(), null, "Epic", epic.getIid(), epic.getId(),
                epic.getWebUrl(), group.getFullPath());

        JsonNode context = read(thread, project);

        assertEquals("Epic", context.get("type").asText());
        assertTrue(context.get("project").isNull(), "an epic's thread is the group's, not the run project's");
        assertEquals(group.getId().longValue(), context.get("group").get("id").asLong());
        assertEquals(group.getFullPath(), context.get("group").get("full_path").asText());
        assertEquals(epic.getIid().longValue(), context.get("iid").asLong());
        JsonNode node = context.get("epic");
        assertEquals("Repository files API", node.get("title").asText());
        assertEquals("Create, update and delete files through the API.", node.get("description").asText());
        assertEquals(List.of("API", "roadmap"), texts(node.get("labels")));
        assertEquals("opened", node.get("state").asText());
        assertEquals(epic.getWebUrl(), node.get("web_url").asText());
        assertEquals(List.of("Issue #23 is the first step.", "@ai-claude-code-payload-samples plan it"),
                bodies(context));
    }

    /**
     * Reads the thread as the service account, as a run does, and checks the result against the schema.
     *
     * @param runProject the project the run happens in when the thread has none (an epic), else null
     */
    private JsonNode read(ThreadRef thread, Project runProject) throws Exception {
        Invocation invocation = new Invocation("ctx-" + thread.noteableType() + "-" + thread.noteableIid(), "mention",
                11, "Claude Code", new Actor(serviceAccount.getId(), serviceAccount.getUsername(),
                        serviceAccount.getName()), new Actor(1L, "root", "Administrator"), thread, 1, null, "hi",
                null, null, DEFINITION, null, runProject == null ? null : runProject.getId(),
                runProject == null ? null : runProject.getPathWithNamespace());
        // the session is shared by everything acting as this account: never closed by a caller
        String json = reader.read(sessions.as(serviceAccountToken), invocation);
        JsonNode context = mapper.readTree(json);
        assertEquals(Set.of(), schema.validate(context), json);
        assertNull(context.get("trimmed"), "the samples fit the budget");
        assertEquals(thread.noteableIid(), context.get("iid").asLong());
        return context;
    }

    private ThreadRef thread(String type, long iid, long id, String webUrl) {
        return new ThreadRef(project.getId(), null, project.getPathWithNamespace(), type, iid, id, webUrl, null);
    }

    private static JsonNode payload(String name) throws Exception {
        try (InputStream in = ThreadContextFromPayloadsTest.class.getResourceAsStream("/gitlab-payloads/" + name)) {
            assertNotNull(in, name);
            return JSON.readTree(in);
        }
    }

    /** The {@code title}s of a payload's label objects. */
    private static List<String> titles(JsonNode labels) {
        List<String> titles = new ArrayList<>();
        labels.forEach(l -> titles.add(l.get("title").asText()));
        assertFalse(titles.isEmpty(), "the sample has labels");
        return titles;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static List<String> texts(List<JsonNode> nodes) {
        return nodes.stream().map(JsonNode::asText).toList();
    }

    private static List<String> bodies(JsonNode context) {
        return texts(context.get("notes").findValues("body"));
    }

    /** GitLab answers an empty description as {@code ""} or {@code null}. */
    private static String textOrEmpty(JsonNode node) {
        return node == null || node.isNull() ? "" : node.asText();
    }
}
