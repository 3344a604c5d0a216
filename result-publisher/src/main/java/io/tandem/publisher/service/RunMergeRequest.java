package io.tandem.publisher.service;

/**
 * The merge request of a run that left commits on its branch: opened (or found again), or refused by GitLab.
 *
 * @param iid null when GitLab refused to open it
 * @param problem why it could not be opened, in words for the thread; null when it was
 */
public record RunMergeRequest(String sourceBranch, String targetBranch, Long iid, String webUrl, String problem) {

    static RunMergeRequest opened(String sourceBranch, String targetBranch, long iid, String webUrl) {
        return new RunMergeRequest(sourceBranch, targetBranch, iid, webUrl, null);
    }

    static RunMergeRequest notOpened(String sourceBranch, String targetBranch, String problem) {
        return new RunMergeRequest(sourceBranch, targetBranch, null, null, problem);
    }

    public boolean isOpened() {
        return iid != null;
    }
}
