package io.tandem.launcher.client;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jakarta.enterprise.context.ApplicationScoped;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.Commit;
import org.gitlab4j.api.models.CommitAction;
import org.gitlab4j.api.models.Diff;
import org.gitlab4j.api.models.Epic;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.Job;
import org.gitlab4j.api.models.JobStatus;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.Note;
import org.gitlab4j.api.models.Pipeline;
import org.gitlab4j.api.models.PipelineFilter;
import org.gitlab4j.api.models.Variable;
import org.gitlab4j.models.Constants.JobScope;

/** The GitLab calls of a run, each blocking and each named for the failure it may report. */
@ApplicationScoped
public class WorkloadGitlabClient {

    public String defaultBranch(GitLabApi api, long projectId) {
        return call("reading the project's default branch",
                () -> api.getProjectApi().getProject(projectId).getDefaultBranch());
    }

    public boolean branchExists(GitLabApi api, long projectId, String branch) {
        return call("looking up branch " + branch,
                () -> api.getRepositoryApi().getOptionalBranch(projectId, branch).isPresent());
    }

    /**
     * Creates {@code branch} from {@code startRef} with {@code filePath} in one commit, so the branch never
     * exists without Tandem's CI configuration.
     */
    public void createBranchWithFile(GitLabApi api, long projectId, String branch, String startRef,
            String filePath, String content, String message) {
        CommitAction create = new CommitAction()
                .withAction(CommitAction.Action.CREATE)
                .withFilePath(filePath)
                .withContent(content);
        call("creating branch " + branch + " from " + startRef,
                () -> api.getCommitsApi().createCommit(projectId, branch, message, startRef, null, null,
                        List.of(create)));
    }

    /** The first pipeline on {@code ref}, if any (normally there is none or exactly one). */
    public Optional<Pipeline> findPipeline(GitLabApi api, long projectId, String ref) {
        return call("listing pipelines of " + ref,
                () -> api.getPipelineApi().getPipelines(projectId, new PipelineFilter().withRef(ref)).stream()
                        .min(Comparator.comparing(Pipeline::getId)));
    }

    public Pipeline createPipeline(GitLabApi api, long projectId, String ref, Map<String, String> variables) {
        List<Variable> list = variables.entrySet().stream().map(e -> new Variable(e.getKey(), e.getValue())).toList();
        return call("creating the pipeline on " + ref, () -> api.getPipelineApi().createPipeline(projectId, ref, list));
    }

    public void deleteBranch(GitLabApi api, long projectId, String branch) {
        call("deleting branch " + branch, () -> {
            api.getRepositoryApi().deleteBranch(projectId, branch);
            return null;
        });
    }

    public Issue issue(GitLabApi api, long projectId, long iid) {
        return call("reading issue #" + iid, () -> api.getIssuesApi().getIssue(projectId, iid));
    }

    public List<Note> issueNotes(GitLabApi api, long projectId, long iid) {
        return call("reading the notes of issue #" + iid,
                () -> api.getNotesApi().getIssueNotesStream(projectId, iid).toList());
    }

    public MergeRequest mergeRequest(GitLabApi api, long projectId, long iid) {
        return call("reading merge request !" + iid, () -> api.getMergeRequestApi().getMergeRequest(projectId, iid));
    }

    public List<Note> mergeRequestNotes(GitLabApi api, long projectId, long iid) {
        return call("reading the notes of merge request !" + iid,
                () -> api.getNotesApi().getMergeRequestNotesStream(projectId, iid).toList());
    }

    /**
     * The merge request's file diffs ({@code GET .../diffs}, paginated, GitLab 15.7+); where that endpoint is
     * missing, the older {@code GET .../changes}.
     */
    public List<Diff> mergeRequestDiffs(GitLabApi api, long projectId, long iid) {
        try {
            return api.getMergeRequestApi().getDiffsStream(projectId, iid).toList();
        } catch (GitLabApiException e) {
            if (e.getHttpStatus() != 404) {
                throw new GitlabStepException("reading the diffs of merge request !" + iid, e);
            }
        }
        return call("reading the changes of merge request !" + iid,
                () -> api.getMergeRequestApi().getMergeRequestChanges(projectId, iid).getChanges());
    }

    /** An epic of a group by its iid; empty when GitLab has no epics there (no license, or no such API). */
    public Optional<Epic> epic(GitLabApi api, Object groupIdOrPath, long iid) {
        try {
            return Optional.of(api.getEpicsApi().getEpic(groupIdOrPath, iid));
        } catch (GitLabApiException e) {
            if (e.getHttpStatus() == 404 || e.getHttpStatus() == 403) {
                return Optional.empty();
            }
            throw new GitlabStepException("reading epic &" + iid, e);
        }
    }

    /** The notes of an epic; GitLab addresses them by the epic's id, not its iid. */
    public List<Note> epicNotes(GitLabApi api, Object groupIdOrPath, long epicId) {
        return call("reading the notes of epic " + epicId,
                () -> api.getNotesApi().getEpicNotes(groupIdOrPath, epicId, 100).all());
    }

    public Pipeline pipeline(GitLabApi api, long projectId, long pipelineId) {
        return call("reading pipeline " + pipelineId, () -> api.getPipelineApi().getPipeline(projectId, pipelineId));
    }

    public Pipeline cancelPipeline(GitLabApi api, long projectId, long pipelineId) {
        return call("cancelling pipeline " + pipelineId,
                () -> api.getPipelineApi().cancelPipelineJobs(projectId, pipelineId));
    }

    /** The commits on {@code to} that {@code from} does not have ({@code GET .../repository/compare}). */
    public List<Commit> commitsBetween(GitLabApi api, long projectId, String from, String to) {
        return call("comparing " + to + " with " + from,
                () -> api.getRepositoryApi().compare(projectId, from, to).getCommits());
    }

    /** The failed jobs of a pipeline, oldest first (GitLab lists them newest first). */
    public List<Job> failedJobs(GitLabApi api, long projectId, long pipelineId) {
        return call("listing the failed jobs of pipeline " + pipelineId,
                () -> api.getJobApi().getJobsForPipeline(projectId, pipelineId, JobScope.FAILED).stream()
                        .filter(job -> job.getStatus() == JobStatus.FAILED)
                        .sorted(Comparator.comparing(Job::getId))
                        .toList());
    }

    private static <T> T call(String step, GitlabCall<T> call) {
        try {
            return call.run();
        } catch (GitLabApiException e) {
            throw new GitlabStepException(step, e);
        }
    }

    @FunctionalInterface
    private interface GitlabCall<T> {
        T run() throws GitLabApiException;
    }
}
