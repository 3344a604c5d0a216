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

    public boolean conflict() {
        return status == 409;
    }

    /** GitLab understood the call and said no: asking again will not change its mind. */
    public boolean refused() {
        return status == 400 || status == 403 || status == 404 || status == 405 || status == 422;
    }
}
