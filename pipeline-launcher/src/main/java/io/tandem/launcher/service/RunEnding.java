package io.tandem.launcher.service;

/**
 * What a run's end leaves behind, decided once when it ends and kept on the run row.
 *
 * @param detail for the thread: which job failed and where its log is; null when there is nothing to add
 * @param resultBranch the branch holding the agent's commits (SUCCEEDED only); null otherwise
 * @param keepBranch the branch must not be deleted
 */
public record RunEnding(String detail, String resultBranch, boolean keepBranch) {

    /** An end that leaves nothing: the branch goes. */
    public static final RunEnding PLAIN = new RunEnding(null, null, false);
}
