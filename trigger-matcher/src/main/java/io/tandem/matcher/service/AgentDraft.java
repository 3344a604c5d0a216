package io.tandem.matcher.service;

/**
 * An agent as a caller submits it. On update, a null field keeps its current value.
 *
 * @param definition the external agent YAML, as text
 */
public record AgentDraft(String name, String description, String visibility, String definition) {
}
