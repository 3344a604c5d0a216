package io.tandem.publisher.client;

/** A GitLab call failed. The message names the call and GitLab's status, never a token. */
public class GitlabWriteException extends RuntimeException {

    private final int status;

    public GitlabWriteException(String message, int status, Throwable cause) {
        super(message + " (HTTP " + status + ")", cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean unauthorized() {
        return status == 401;
    }

    public boolean notFound() {
        return status == 404;
    }
}
