package io.tandem.events;

import java.util.List;
import java.util.Map;

/**
 * The runnable part of an external agent definition, as validated by trigger-matcher.
 *
 * @param variables names of the project CI/CD variables the job may see
 * @param timeoutMinutes job timeout, null for the default
 * @param idTokens the definition's {@code id_tokens}, as GitLab CI takes them (name to settings); empty if none
 */
public record AgentDefinition(String image, List<String> commands, List<String> variables,
        boolean injectGatewayToken, Integer timeoutMinutes, Map<String, Map<String, Object>> idTokens) {
}
