package io.tandem.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import org.gitlab4j.api.Constants;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.CommitAction;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.GroupParams;
import org.gitlab4j.api.models.Job;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.MergeRequestParams;
import org.gitlab4j.api.models.Pipeline;
import org.gitlab4j.api.models.PipelineStatus;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.Variable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real Git behind the repository API; pipelines with variables; merge requests on branches. */
@QuarkusTest
class RepositoryAndPipelineTest {

    @TestHTTPResource("/")
    URL url;

    SimClient sim;
    GitLabApi root;
    Project project;

    @BeforeEach
    void setUp() throws Exception {
        sim = new SimClient(url);
        root = sim.root();
        String path = SimClient.unique("repo");
        Group group = root.getGroupApi().createGroup(new GroupParams().withName(path).withPath(path));
        project = root.getProjectApi().createProject(group.getId(), "code");
    }

    @Test
    void commitWithActionsCreatesTheBranch() throws Exception {
        String ci = "stages: [agent]\nrun-agent:\n  stage: agent\n  script: [echo hi]\n";
        var commit = root.getCommitsApi().createCommit(project.getId(), "tandem/run-1", "Add CI", "main", null, null,
                List.of(new CommitAction().withAction(CommitAction.Action.CREATE).withFilePath(".gitlab-ci.yml").withContent(ci),
                        new CommitAction().withAction(CommitAction.Action.UPDATE).withFilePath("README.md").withContent("changed\n")));
        assertEquals("Add CI", commit.getTitle());
        assertEquals(commit.getId(), root.getRepositoryApi().getBranch(project.getId(), "tandem/run-1").getCommit().getId());
        assertEquals(ci, root.getRepositoryFileApi().getFile(project.getId(), ".gitlab-ci.yml", "tandem/run-1").getDecodedContentAsString());
        assertEquals(1, root.getCommitsApi().getCommit(project.getId(), commit.getId()).getParentIds().size());
        // main is untouched
        assertTrue(root.getRepositoryFileApi().getFile(project.getId(), "README.md", "main").getDecodedContentAsString().startsWith("# code"));

        GitLabApiException exists = assertThrows(GitLabApiException.class, () -> root.getCommitsApi().createCommit(
                project.getId(), "tandem/run-1", "again", "main", null, null,
                List.of(new CommitAction().withAction(CommitAction.Action.CREATE).withFilePath("x").withContent("x"))));
        assertEquals(400, exists.getHttpStatus());
        assertTrue(exists.getMessage().contains("already exists"));

        // a pipeline on that branch: pending, with its variables, job named after the CI file's job
        Pipeline pipeline = root.getPipelineApi().createPipeline(project.getId(), "tandem/run-1",
                List.of(new Variable("AI_FLOW_INPUT", "fix it"), new Variable("AI_FLOW_EVENT", "mention")));
        assertEquals(PipelineStatus.PENDING, pipeline.getStatus());
        assertEquals(commit.getId(), pipeline.getSha());
        assertEquals("api", pipeline.getSource().toString().toLowerCase());
        List<Variable> variables = root.getPipelineApi().getPipelineVariables(project.getId(), pipeline.getId());
        assertEquals(2, variables.size());
        assertEquals("fix it", variables.stream().filter(v -> v.getKey().equals("AI_FLOW_INPUT")).findFirst().orElseThrow().getValue());
        List<Job> jobs = root.getJobApi().getJobsForPipeline(project.getId(), pipeline.getId());
        assertEquals("run-agent", jobs.get(0).getName());

        SimClient.Reply moved = sim.send("POST", "/-/sim/projects/" + project.getId() + "/pipelines/" + pipeline.getId()
                + "/status", null, "{\"status\":\"success\"}");
        assertEquals(200, moved.status());
        assertEquals(PipelineStatus.SUCCESS, root.getPipelineApi().getPipeline(project.getId(), pipeline.getId()).getStatus());
        List<Pipeline> listed = root.getPipelineApi().getPipelines(project.getId(), Constants.PipelineScope.FINISHED,
                PipelineStatus.SUCCESS, "tandem/run-1", false, null, null, null, null);
        assertEquals(1, listed.size());
    }

    @Test
    void pipelineWithoutVariablesAndCancel() throws Exception {
        Pipeline pipeline = root.getPipelineApi().createPipeline(project.getId(), "main");
        assertEquals(0, root.getPipelineApi().getPipelineVariables(project.getId(), pipeline.getId()).size());
        assertEquals("agent", root.getJobApi().getJobsForPipeline(project.getId(), pipeline.getId()).get(0).getName());
        assertEquals(PipelineStatus.CANCELED, root.getPipelineApi().cancelPipelineJobs(project.getId(), pipeline.getId()).getStatus());
        assertEquals(400, assertThrows(GitLabApiException.class,
                () -> root.getPipelineApi().createPipeline(project.getId(), "no-such-branch")).getHttpStatus());
    }

    @Test
    void mergeRequestHasDiffRefsAndReviewers() throws Exception {
        root.getRepositoryApi().createBranch(project.getId(), "feature", "main");
        var commit = root.getCommitsApi().createCommit(project.getId(), "feature", "work", null, null, null,
                List.of(new CommitAction().withAction(CommitAction.Action.CREATE).withFilePath("a.txt").withContent("a")));
        var me = root.getUserApi().getCurrentUser();
        MergeRequest mr = root.getMergeRequestApi().createMergeRequest(project.getId(), new MergeRequestParams()
                .withSourceBranch("feature").withTargetBranch("main").withTitle("Draft: feature")
                .withReviewerIds(List.of(me.getId())));
        assertEquals(commit.getId(), mr.getSha());
        assertEquals(commit.getId(), mr.getDiffRefs().getHeadSha());
        assertEquals(root.getRepositoryApi().getBranch(project.getId(), "main").getCommit().getId(), mr.getDiffRefs().getBaseSha());
        assertTrue(mr.getDraft());
        assertEquals(me.getId(), mr.getReviewers().get(0).getId());
        MergeRequest updated = root.getMergeRequestApi().updateMergeRequest(project.getId(), mr.getIid(),
                new MergeRequestParams().withAssigneeIds(List.of(me.getId())));
        assertEquals(me.getId(), updated.getAssignees().get(0).getId());
        assertEquals(1, root.getMergeRequestApi().getMergeRequests(project.getId(),
                org.gitlab4j.api.Constants.MergeRequestState.OPENED).size());
    }
}
