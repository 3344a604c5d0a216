package io.tandem.publisher.client;

/** A service account's GitLab personal access token, as identity-service hands it out. */
public record GitlabToken(String token) {

    /** Records print their fields; a token must never reach a log line, so this one does not. */
    @Override
    public String toString() {
        return "GitlabToken[token=***]";
    }
}
