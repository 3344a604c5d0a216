package io.tandem.publisher.service;

import io.tandem.events.Invocation;
import io.tandem.publisher.client.GitlabWriteException;
import io.tandem.publisher.client.MergeRequests;
import io.tandem.publisher.client.MergeRequests.Found;
import io.tandem.publisher.client.NoteThread;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Makes sure a run that left commits on its branch has exactly one merge request, from that branch to the branch
 * the run started from, opened by the agent's service account and assigned to the human who asked. Safe to repeat:
 * a merge request from the branch is looked for first, so a redelivered record or a retry after a crash finds the
 * one already opened.
 */
@ApplicationScoped
public class RunMergeRequests {

    private static final Logger LOG = Logger.getLogger(RunMergeRequests.class);

    private final MergeRequests mergeRequests;
    private final MergeRequestText text;

    public RunMergeRequests(MergeRequests mergeRequests, MergeRequestText text) {
        this.mergeRequests = mergeRequests;
        this.text = text;
    }

    /**
     * Blocking: runs on a worker thread. Throws when GitLab may answer differently later (so the record is
     * retried); answers {@link RunMergeRequest#notOpened} when GitLab refused for good.
     *
     * @param token the service account's GitLab token
     * @param thread the run's thread, located (an epic's title is read by its iid)
     */
    public RunMergeRequest ensure(String token, Invocation invocation, NoteThread thread, String resultBranch,
            String pipelineUrl) {
        Long projectId = invocation.projectId();
        if (projectId == null) {
            return RunMergeRequest.notOpened(resultBranch, null, "the run has no project");
        }
        Optional<Found> existing = mergeRequests.findBySourceBranch(token, projectId, resultBranch);
        if (existing.isPresent()) {
            return opened(existing.get());
        }
        String target = invocation.sourceBranch() != null ? invocation.sourceBranch()
                : invocation.defaultBranch() != null ? invocation.defaultBranch()
                : mergeRequests.defaultBranch(token, projectId);
        MergeRequests.Request request = new MergeRequests.Request(projectId, resultBranch, target,
                text.title(invocation, titleOf(token, thread)), text.description(invocation, pipelineUrl),
                invocation.requester() == null ? null : invocation.requester().id());
        try {
            return opened(mergeRequests.open(token, request));
        } catch (GitlabWriteException e) {
            if (e.conflict()) {
                // opened by a concurrent attempt between the search and here
                return mergeRequests.findBySourceBranch(token, projectId, resultBranch).map(RunMergeRequests::opened)
                        .orElseThrow(() -> e);
            }
            if (!e.refused()) {
                throw e;
            }
            LOG.warnf("run %s: no merge request from %s to %s (%s)", invocation.invocationId(), resultBranch, target,
                    e.getMessage());
            return RunMergeRequest.notOpened(resultBranch, target, "GitLab answered HTTP " + e.status()
                    + (e.getCause() == null || e.getCause().getMessage() == null ? ""
                            : " (" + e.getCause().getMessage().strip() + ")"));
        }
    }

    /** The thread's title; empty when it cannot be read (then the request's first line names the change). */
    private String titleOf(String token, NoteThread thread) {
        try {
            return mergeRequests.titleOf(token, thread);
        } catch (GitlabWriteException e) {
            if (!e.refused()) {
                throw e;
            }
            return "";
        }
    }

    private static RunMergeRequest opened(Found found) {
        return RunMergeRequest.opened(found.sourceBranch(), found.targetBranch(), found.iid(), found.webUrl());
    }
}
