package io.tandem.ingest.service;

/**
 * The body is not a GitLab event Tandem can use. The message is shown to the caller (GitLab's webhook log),
 * so it names fields, never their values.
 */
public class MalformedWebhookException extends RuntimeException {

    public MalformedWebhookException(String reason) {
        super(reason, null, false, false);
    }
}
