package io.tandem.launcher.service;

import io.tandem.launcher.client.GitlabStepException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** Which failures are worth a retry: no answer, a server error or rate limiting. Anything else is final. */
public final class TransientFailures {

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof GitlabStepException e) {
                return transientStatus(e.httpStatus());
            }
            if (t instanceof WebApplicationException e) {
                return transientStatus(e.getResponse() == null ? 0 : e.getResponse().getStatus());
            }
            if (t instanceof ProcessingException || t instanceof IOException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static boolean transientStatus(int status) {
        return status == 0 || status == 408 || status == 429 || status >= 500;
    }

    private TransientFailures() {
    }
}
