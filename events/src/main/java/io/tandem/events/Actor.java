package io.tandem.events;

/** A GitLab user as a webhook names it. {@code id} may be null: older GitLab payloads omit it. */
public record Actor(Long id, String username, String name) {
}
