package io.tandem.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.models.CommitAction;
import org.gitlab4j.api.models.CompareResults;
import org.gitlab4j.api.models.Diff;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.GroupParams;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.MergeRequestParams;
import org.gitlab4j.api.models.Project;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Merge request changes/diffs and the compare API, computed by JGit from the branches. */
@QuarkusTest
class DiffTest {

    @TestHTTPResource("/")
    URL url;

    SimClient sim;
    GitLabApi root;
    Project project;

    @BeforeEach
    void setUp() throws Exception {
        sim = new SimClient(url);
        root = sim.root();
        String path = SimClient.unique("diff");
        Group group = root.getGroupApi().createGroup(new GroupParams().withName(path).withPath(path));
        project = root.getProjectApi().createProject(group.getId(), "code");
        root.getCommitsApi().createCommit(project.getId(), "main", "Add files", null, null, null, List.of(
                new CommitAction().withAction(CommitAction.Action.CREATE).withFilePath("old.txt").withContent("a\nb\nc\n"),
                new CommitAction().withAction(CommitAction.Action.CREATE).withFilePath("gone.txt").withContent("bye\n")));
        root.getCommitsApi().createCommit(project.getId(), "feature", "Change things", "main", null, null, List.of(
                new CommitAction().withAction(CommitAction.Action.UPDATE).withFilePath("README.md").withContent("new readme\n"),
                new CommitAction().withAction(CommitAction.Action.MOVE).withPreviousPath("old.txt").withFilePath("new.txt"),
                new CommitAction().withAction(CommitAction.Action.DELETE).withFilePath("gone.txt"),
                new CommitAction().withAction(CommitAction.Action.CREATE).withFilePath("run.sh").withContent("echo hi\n")
                        .withExecuteFilemode(true)));
    }

    @Test
    void mergeRequestChangesAndDiffsComeFromGit() throws Exception {
        // main moves on after the branch point: the MR diff must still start at the merge base
        root.getCommitsApi().createCommit(project.getId(), "main", "Main only", null, null, null, List.of(
                new CommitAction().withAction(CommitAction.Action.CREATE).withFilePath("main-only.txt").withContent("x\n")));
        MergeRequest mr = root.getMergeRequestApi().createMergeRequest(project.getId(),
                new MergeRequestParams().withSourceBranch("feature").withTargetBranch("main").withTitle("Feature"));

        MergeRequest changes = root.getMergeRequestApi().getMergeRequestChanges(project.getId(), mr.getIid());
        assertEquals("4", changes.getChangesCount());
        Map<String, Diff> byPath = byNewPath(changes.getChanges());
        assertFalse(byPath.containsKey("main-only.txt"));
        assertDiffs(byPath);

        List<Diff> diffs = root.getMergeRequestApi().getDiffs(project.getId(), mr.getIid());
        assertDiffs(byNewPath(diffs));

        // the diff_refs of the MR match the base the diff was taken from
        JsonNode raw = sim.send("GET", "/api/v4/projects/" + project.getId() + "/merge_requests/" + mr.getIid()
                + "/changes", SimClient.ROOT_TOKEN, null).json();
        assertFalse(raw.get("overflow").asBoolean());
        String base = raw.get("diff_refs").get("base_sha").asText();
        assertEquals(root.getRepositoryApi().getMergeBase(project.getId(), List.of("main", "feature")).getId(), base);
    }

    @Test
    void compareListsCommitsAndDiffs() throws Exception {
        CompareResults compare = root.getRepositoryApi().compare(project.getId(), "main", "feature");
        assertEquals(1, compare.getCommits().size());
        assertEquals("Change things", compare.getCommit().getTitle());
        assertFalse(compare.getCompareSameRef());
        assertDiffs(byNewPath(compare.getDiffs()));

        CompareResults same = root.getRepositoryApi().compare(project.getId(), "main", "main");
        assertTrue(same.getCompareSameRef());
        assertTrue(same.getDiffs().isEmpty());

        assertEquals(404, sim.send("GET", "/api/v4/projects/" + project.getId()
                + "/repository/compare?from=main&to=nope", SimClient.ROOT_TOKEN, null).status());
    }

    private static Map<String, Diff> byNewPath(List<Diff> diffs) {
        return diffs.stream().collect(Collectors.toMap(Diff::getNewPath, Function.identity()));
    }

    private static void assertDiffs(Map<String, Diff> byPath) {
        assertEquals(4, byPath.size());
        Diff readme = byPath.get("README.md");
        assertTrue(readme.getDiff().startsWith("@@ "), readme.getDiff());
        assertTrue(readme.getDiff().contains("\n+new readme\n"), readme.getDiff());
        assertEquals("100644", readme.getAMode());
        assertFalse(readme.getNewFile());

        Diff renamed = byPath.get("new.txt");
        assertTrue(renamed.getRenamedFile());
        assertEquals("old.txt", renamed.getOldPath());

        Diff deleted = byPath.get("gone.txt");
        assertTrue(deleted.getDeletedFile());
        assertEquals("0", deleted.getBMode());
        assertTrue(deleted.getDiff().contains("-bye"), deleted.getDiff());

        Diff created = byPath.get("run.sh");
        assertTrue(created.getNewFile());
        assertEquals("0", created.getAMode());
        assertEquals("100755", created.getBMode());
        assertEquals("@@ -0,0 +1 @@\n+echo hi\n", created.getDiff());
    }
}
