package io.tandem.events;

import java.util.List;

/**
 * The runnable part of an external agent definition, as validated by trigger-matcher.
 *
 * @param variables names of the project CI/CD variables the job may see
 * @param timeoutMinutes job timeout, null for the default
 */
public record AgentDefinition(String image, List<String> commands, List<String> variables,
        boolean injectGatewayToken, Integer timeoutMinutes) {
}
