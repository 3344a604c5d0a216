package io.tandem.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.models.CommitAction;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.GroupParams;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.TreeItem;
import org.junit.jupiter.api.Test;

/** {@code GET /projects/:id/repository/tree}: one level or recursive, at a ref or SHA, paginated, 404 for no tree. */
@QuarkusTest
class TreeTest {

    @TestHTTPResource("/")
    URL url;

    @Test
    void listsTheTreeAsGitlabDoes() throws Exception {
        SimClient sim = new SimClient(url);
        GitLabApi root = sim.root();
        String path = SimClient.unique("tree");
        Group group = root.getGroupApi().createGroup(new GroupParams().withName(path).withPath(path));
        Project project = root.getProjectApi().createProject(group.getId(), "code");
        String before = root.getRepositoryApi().getBranch(project.getId(), "main").getCommit().getId();
        String after = root.getCommitsApi().createCommit(project.getId(), "main", "CI", null, null, null, List.of(
                new CommitAction().withAction(CommitAction.Action.CREATE).withFilePath(".gitlab-ci.yml").withContent("a: 1\n"),
                new CommitAction().withAction(CommitAction.Action.CREATE).withFilePath(".gitlab/ci/x.yml").withContent("b: 2\n"),
                new CommitAction().withAction(CommitAction.Action.CREATE).withFilePath(".gitlab/ci/y.yml").withContent("c: 3\n")))
                .getId();

        List<TreeItem> top = root.getRepositoryApi().getTree(project.getId(), null, "main", false);
        assertEquals(List.of(".gitlab", ".gitlab-ci.yml", "README.md"), top.stream().map(TreeItem::getName).toList(),
                "trees first, then blobs");
        assertEquals(TreeItem.Type.TREE, top.get(0).getType());
        assertEquals("040000", top.get(0).getMode());
        assertEquals("100644", top.get(1).getMode());
        String ciBlob = top.get(1).getId();
        assertEquals(ciBlob, root.getRepositoryFileApi().getFile(project.getId(), ".gitlab-ci.yml", "main").getBlobId());

        List<TreeItem> ci = root.getRepositoryApi().getTree(project.getId(), ".gitlab", after, true);
        assertEquals(List.of(".gitlab/ci", ".gitlab/ci/x.yml", ".gitlab/ci/y.yml"), ci.stream().map(TreeItem::getPath).toList());

        SimClient.Reply page = sim.send("GET", "/api/v4/projects/" + project.getId()
                + "/repository/tree?recursive=true&per_page=2&page=2", SimClient.ROOT_TOKEN, null);
        assertEquals(200, page.status());
        assertEquals("6", page.raw().headers().firstValue("X-Total").orElseThrow());
        assertEquals("3", page.raw().headers().firstValue("X-Total-Pages").orElseThrow());
        assertEquals("3", page.raw().headers().firstValue("X-Next-Page").orElseThrow());
        assertEquals(2, page.json().size());
        assertTrue(page.json().get(0).has("mode"));

        SimClient.Reply old = sim.send("GET", "/api/v4/projects/" + project.getId() + "/repository/tree?ref=" + before
                + "&path=.gitlab", SimClient.ROOT_TOKEN, null);
        assertEquals(404, old.status());
        assertEquals("404 Tree Not Found", old.json().path("message").asText());
        SimClient.Reply noRef = sim.send("GET", "/api/v4/projects/" + project.getId() + "/repository/tree?ref=nope",
                SimClient.ROOT_TOKEN, null);
        assertEquals(404, noRef.status());
    }
}
