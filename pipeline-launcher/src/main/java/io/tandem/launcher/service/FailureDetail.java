package io.tandem.launcher.service;

import io.tandem.launcher.client.GitlabStepException;
import jakarta.ws.rs.WebApplicationException;

/**
 * Why a run could not start, in words for the thread. Built only from what is known to carry no secret:
 * GitLab's status and reason, identity-service's status, or the kind of error.
 */
public final class FailureDetail {

    public static String of(Throwable failure) {
        return "Could not start the pipeline: " + reason(failure);
    }

    /** The reason alone, for steps other than starting (polling, cancelling). */
    public static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof GitlabStepException e) {
                return e.getMessage();
            }
            if (t instanceof WebApplicationException e) {
                int status = e.getResponse() == null ? 0 : e.getResponse().getStatus();
                return "identity-service answered " + status + " when asked for the run's credentials";
            }
            if (t instanceof IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        return "unexpected " + failure.getClass().getSimpleName()
                + (TransientFailures.isTransient(failure) ? " (GitLab or identity-service did not answer)" : "");
    }

    private FailureDetail() {
    }
}
