package io.tandem.sim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.CommitAction;
import org.gitlab4j.api.models.DiffRef;
import org.gitlab4j.api.models.Discussion;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.GroupParams;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.MergeRequestParams;
import org.gitlab4j.api.models.Note;
import org.gitlab4j.api.models.Position;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.ProjectHook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Discussions API on merge requests (with diff notes) and issues, and the Note Hooks they fire. */
@QuarkusTest
class DiscussionTest {

    @TestHTTPResource("/")
    URL url;

    SimClient sim;
    GitLabApi root;
    WebhookReceiver receiver;
    Project project;

    @BeforeEach
    void setUp() throws Exception {
        sim = new SimClient(url);
        root = sim.root();
        receiver = new WebhookReceiver();
        String path = SimClient.unique("threads");
        Group group = root.getGroupApi().createGroup(new GroupParams().withName(path).withPath(path));
        project = root.getProjectApi().createProject(group.getId(), "code");
        root.getProjectApi().addHook(project.getId(), receiver.url(),
                new ProjectHook().withPushEvents(false).withNoteEvents(true), false, null);
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    @Test
    void diffNoteCarriesItsPositionInTheApiAndTheNoteHook() throws Exception {
        root.getCommitsApi().createCommit(project.getId(), "feature", "Add code", "main", null, null, List.of(
                new CommitAction().withAction(CommitAction.Action.CREATE).withFilePath("src/app.py")
                        .withContent("one\ntwo\nthree\n")));
        MergeRequest mr = root.getMergeRequestApi().createMergeRequest(project.getId(),
                new MergeRequestParams().withSourceBranch("feature").withTargetBranch("main").withTitle("Code"));
        DiffRef refs = root.getMergeRequestApi().getMergeRequest(project.getId(), mr.getIid()).getDiffRefs();
        Position position = new Position().withBaseSha(refs.getBaseSha()).withStartSha(refs.getStartSha())
                .withHeadSha(refs.getHeadSha()).withPositionType(Position.PositionType.TEXT)
                .withOldPath("src/app.py").withNewPath("src/app.py").withNewLine(2);

        Discussion discussion = root.getDiscussionsApi().createMergeRequestDiscussion(project.getId(), mr.getIid(),
                "@ai-claude why two?", null, null, position);
        assertFalse(discussion.getIndividualNote());
        Note first = discussion.getNotes().get(0);
        assertEquals(Note.Type.DIFF_NOTE, first.getType());
        assertEquals(2, first.getPosition().getNewLine());
        assertEquals(refs.getHeadSha(), first.getPosition().getHeadSha());

        Note reply = root.getDiscussionsApi().addMergeRequestThreadNote(project.getId(), mr.getIid(),
                discussion.getId(), "because", null);
        assertEquals(Note.Type.DIFF_NOTE, reply.getType());
        Discussion plain = root.getDiscussionsApi().createMergeRequestDiscussion(project.getId(), mr.getIid(),
                "general remark", null, null, null);
        assertEquals(Note.Type.DISCUSSION_NOTE, plain.getNotes().get(0).getType());
        root.getNotesApi().createMergeRequestNote(project.getId(), mr.getIid(), "standalone", null, null);

        List<Discussion> all = root.getDiscussionsApi().getMergeRequestDiscussions(project.getId(), mr.getIid());
        assertEquals(3, all.size());
        assertEquals(discussion.getId(), all.get(0).getId());
        assertEquals(2, all.get(0).getNotes().size());
        assertTrue(all.get(2).getIndividualNote());

        // a line outside the file, or a file outside the diff, is refused as GitLab does
        GitLabApiException badLine = assertThrows(GitLabApiException.class, () -> root.getDiscussionsApi()
                .createMergeRequestDiscussion(project.getId(), mr.getIid(), "x", null, null,
                        position.withNewLine(99)));
        assertEquals(400, badLine.getHttpStatus());
        GitLabApiException badFile = assertThrows(GitLabApiException.class, () -> root.getDiscussionsApi()
                .createMergeRequestDiscussion(project.getId(), mr.getIid(), "x", null, null,
                        position.withNewLine(1).withNewPath("README.md").withOldPath("README.md")));
        assertEquals(400, badFile.getHttpStatus());

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.events("Note Hook").size() >= 4);
        JsonNode hook = receiver.events("Note Hook").stream().map(WebhookReceiver.Received::json)
                .filter(j -> j.get("object_attributes").get("id").asLong() == first.getId()).findFirst().orElseThrow();
        JsonNode attributes = hook.get("object_attributes");
        assertEquals("DiffNote", attributes.get("type").asText());
        assertEquals(discussion.getId(), attributes.get("discussion_id").asText());
        JsonNode hookPosition = attributes.get("position");
        assertEquals(refs.getBaseSha(), hookPosition.get("base_sha").asText());
        assertEquals(refs.getStartSha(), hookPosition.get("start_sha").asText());
        assertEquals(refs.getHeadSha(), hookPosition.get("head_sha").asText());
        assertEquals("text", hookPosition.get("position_type").asText());
        assertEquals("src/app.py", hookPosition.get("new_path").asText());
        assertEquals(2, hookPosition.get("new_line").asInt());
        assertTrue(hookPosition.get("old_line").isNull());
        assertTrue(attributes.get("line_code").asText().endsWith("__2"));
        assertEquals(mr.getIid().longValue(), hook.get("merge_request").get("iid").asLong());
    }

    @Test
    void diffNoteOverJsonBody() {
        SimClient.Reply commit = sim.send("POST", "/api/v4/projects/" + project.getId() + "/repository/commits",
                SimClient.ROOT_TOKEN, "{\"branch\":\"f\",\"start_branch\":\"main\",\"commit_message\":\"m\","
                        + "\"actions\":[{\"action\":\"update\",\"file_path\":\"README.md\",\"content\":\"x\\ny\\n\"}]}");
        assertEquals(201, commit.status());
        JsonNode mr = sim.send("POST", "/api/v4/projects/" + project.getId() + "/merge_requests", SimClient.ROOT_TOKEN,
                "{\"source_branch\":\"f\",\"target_branch\":\"main\",\"title\":\"t\"}").json();
        JsonNode refs = mr.get("diff_refs");
        String body = "{\"body\":\"old side\",\"position\":{\"base_sha\":\"" + refs.get("base_sha").asText()
                + "\",\"start_sha\":\"" + refs.get("start_sha").asText() + "\",\"head_sha\":\""
                + refs.get("head_sha").asText() + "\",\"position_type\":\"text\",\"old_path\":\"README.md\","
                + "\"new_path\":\"README.md\",\"old_line\":1}}";
        SimClient.Reply created = sim.send("POST", "/api/v4/projects/" + project.getId() + "/merge_requests/"
                + mr.get("iid").asLong() + "/discussions", SimClient.ROOT_TOKEN, body);
        assertEquals(201, created.status());
        JsonNode note = created.json().get("notes").get(0);
        assertEquals(1, note.get("position").get("old_line").asInt());
        assertTrue(note.get("position").get("new_line").isNull());
        assertTrue(note.get("resolvable").asBoolean());
    }

    @Test
    void issueThreadsAndReplies() throws Exception {
        Issue issue = root.getIssuesApi().createIssue(project.getId(), "bug", "desc");
        Discussion discussion = root.getDiscussionsApi().createIssueDiscussion(project.getId(), issue.getIid(),
                "first", null);
        assertEquals(Note.Type.DISCUSSION_NOTE, discussion.getNotes().get(0).getType());
        assertNull(discussion.getNotes().get(0).getPosition());
        Note reply = root.getDiscussionsApi().addIssueThreadNote(project.getId(), issue.getIid(), discussion.getId(),
                "second", null);
        List<Discussion> all = root.getDiscussionsApi().getIssueDiscussions(project.getId(), issue.getIid());
        assertEquals(1, all.size());
        assertEquals(List.of("first", "second"), all.get(0).getNotes().stream().map(Note::getBody).toList());

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.events("Note Hook").size() >= 2);
        JsonNode replyHook = receiver.events("Note Hook").stream().map(WebhookReceiver.Received::json)
                .filter(j -> j.get("object_attributes").get("id").asLong() == reply.getId()).findFirst().orElseThrow();
        assertEquals(discussion.getId(), replyHook.get("object_attributes").get("discussion_id").asText());
        assertEquals("DiscussionNote", replyHook.get("object_attributes").get("type").asText());

        assertEquals(404, sim.send("POST", "/api/v4/projects/" + project.getId() + "/issues/" + issue.getIid()
                + "/discussions/nope/notes", SimClient.ROOT_TOKEN, "{\"body\":\"x\"}").status());
    }
}
