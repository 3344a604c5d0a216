package io.tandem.matcher.service;

/** The GitLab user calling the admin API, as GitLab identified them by their own token. */
public record Caller(long id, String username, boolean admin) {
}
