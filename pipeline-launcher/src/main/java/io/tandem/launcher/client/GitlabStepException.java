package io.tandem.launcher.client;

import org.gitlab4j.api.GitLabApiException;

/**
 * A GitLab call that failed, named by the step it was part of. The message carries GitLab's status and
 * reason only (never request headers), so it is safe for logs and for the run's failure detail.
 */
public class GitlabStepException extends RuntimeException {

    private final int httpStatus;

    public GitlabStepException(String step, GitLabApiException cause) {
        super(step + " failed: " + describe(cause), cause);
        this.httpStatus = cause.getHttpStatus();
    }

    /** GitLab's HTTP status, 0 when no answer came (connection refused, timeout). */
    public int httpStatus() {
        return httpStatus;
    }

    private static String describe(GitLabApiException e) {
        if (e.getHttpStatus() == 0) {
            return "GitLab did not answer (" + e.getCause() + ")";
        }
        return "GitLab answered " + e.getHttpStatus() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
