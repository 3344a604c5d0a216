package io.tandem.matcher.client;

/** What Tandem needs to know about a GitLab user. */
public record GitlabUser(long id, String username, String name, boolean admin, boolean bot) {
}
