package io.tandem.identity.client;

/** GitLab answered a call with an error, or could not be reached. Never carries a token. */
public class GitlabCallException extends RuntimeException {

    private final int status;

    public GitlabCallException(int status, String message) {
        super(message);
        this.status = status;
    }

    public GitlabCallException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** GitLab's HTTP status, 0 when there was no answer. */
    public int status() {
        return status;
    }
}
