package io.tandem.identity.service;

/** The GitLab proxy refuses a call; the message is for the agent and never carries a token. */
public class ProxyRefusal extends RuntimeException {

    private final int status;

    public ProxyRefusal(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static ProxyRefusal unauthorized(String message) {
        return new ProxyRefusal(401, message);
    }

    public static ProxyRefusal forbidden(String message) {
        return new ProxyRefusal(403, message);
    }

    public int status() {
        return status;
    }
}
