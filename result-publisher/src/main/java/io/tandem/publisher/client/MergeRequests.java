package io.tandem.publisher.client;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.Optional;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.MergeRequestFilter;
import org.gitlab4j.api.models.MergeRequestParams;
import org.gitlab4j.models.Constants.MergeRequestState;

/**
 * Merge requests, and the few facts about projects and threads needed to open one, read and written as a
 * service account through gitlab4j-api. Every method blocks: call it from a worker thread, never the event loop.
 */
@ApplicationScoped
public class MergeRequests {

    /** A merge request as far as the publisher cares. */
    public record Found(long iid, String webUrl, String sourceBranch, String targetBranch) {
    }

    /**
     * What to open.
     *
     * @param assigneeId the human who asked for the run, null if unknown
     */
    public record Request(long projectId, String sourceBranch, String targetBranch, String title, String description,
            Long assigneeId) {
    }

    private final GitlabApis apis;

    public MergeRequests(GitlabApis apis) {
        this.apis = apis;
    }

    /**
     * The newest merge request from {@code sourceBranch}, in any state: a run's branch is its own, so one that was
     * already merged or closed must not be opened again.
     */
    public Optional<Found> findBySourceBranch(String token, long projectId, String sourceBranch) {
        MergeRequestFilter filter = new MergeRequestFilter().withProjectId(projectId).withSourceBranch(sourceBranch)
                .withState(MergeRequestState.ALL);
        GitLabApi api = apis.as(token);
        try {
            return api.getMergeRequestApi().getMergeRequests(filter).stream()
                    .filter(mr -> sourceBranch.equals(mr.getSourceBranch()))
                    .max(Comparator.comparing(MergeRequest::getIid))
                    .map(MergeRequests::found);
        } catch (GitLabApiException e) {
            throw failure("listing the merge requests from " + sourceBranch + " in project " + projectId, e);
        }
    }

    /** Opens it, ready to merge (not draft); the source branch is removed when it is merged. */
    public Found open(String token, Request request) {
        MergeRequestParams params = new MergeRequestParams()
                .withSourceBranch(request.sourceBranch())
                .withTargetBranch(request.targetBranch())
                .withTitle(request.title())
                .withDescription(request.description())
                .withAssigneeId(request.assigneeId())
                .withRemoveSourceBranch(true);
        GitLabApi api = apis.as(token);
        try {
            return found(api.getMergeRequestApi().createMergeRequest(request.projectId(), params));
        } catch (GitLabApiException e) {
            throw failure("opening a merge request from " + request.sourceBranch() + " in project "
                    + request.projectId(), e);
        }
    }

    public String defaultBranch(String token, long projectId) {
        GitLabApi api = apis.as(token);
        try {
            return api.getProjectApi().getProject(projectId).getDefaultBranch();
        } catch (GitLabApiException e) {
            throw failure("reading project " + projectId, e);
        }
    }

    /** The title of the issue, merge request or epic a run was asked for in. */
    public String titleOf(String token, NoteThread thread) {
        GitLabApi api = apis.as(token);
        try {
            return switch (thread.noteableType()) {
                case NoteThread.ISSUE -> api.getIssuesApi().getIssue(thread.projectId(), thread.iid()).getTitle();
                case NoteThread.EPIC -> api.getEpicsApi().getEpic(thread.group(), thread.iid()).getTitle();
                default -> api.getMergeRequestApi().getMergeRequest(thread.projectId(), thread.iid()).getTitle();
            };
        } catch (GitLabApiException e) {
            throw failure("reading the title of " + thread, e);
        }
    }

    private static Found found(MergeRequest mr) {
        return new Found(mr.getIid(), mr.getWebUrl(), mr.getSourceBranch(), mr.getTargetBranch());
    }

    private static GitlabWriteException failure(String what, GitLabApiException e) {
        return new GitlabWriteException("GitLab refused " + what + ": " + e.getMessage(), e.getHttpStatus(), e);
    }
}
