package io.tandem.events;

import java.util.List;
import java.util.Map;

/**
 * The runnable part of an external agent definition, as validated by trigger-matcher.
 *
 * @param variables names of the project CI/CD variables the job may see
 * @param timeoutMinutes job timeout, null for the default
 * @param idTokens the definition's {@code id_tokens}, as GitLab CI takes them (name to settings); empty if none
 * @param resultFile a path in the job's working directory where the agent may leave its answer (Markdown); the
 *        job keeps it as an artifact and result-publisher posts it in the thread. Null if the definition names none
 * @param allowCiChanges whether a run may change the project's CI configuration ({@code .gitlab-ci.yml},
 *        {@code .gitlab/ci/**}) through Tandem's GitLab proxy; false unless the definition says so, because a
 *        pushed CI change runs code with the project's CI/CD variables
 */
public record AgentDefinition(String image, List<String> commands, List<String> variables,
        boolean injectGatewayToken, Integer timeoutMinutes, Map<String, Map<String, Object>> idTokens,
        String resultFile, boolean allowCiChanges) {

    /** A definition that may not change CI configuration. */
    public AgentDefinition(String image, List<String> commands, List<String> variables, boolean injectGatewayToken,
            Integer timeoutMinutes, Map<String, Map<String, Object>> idTokens, String resultFile) {
        this(image, commands, variables, injectGatewayToken, timeoutMinutes, idTokens, resultFile, false);
    }

    /** A definition without a result file. */
    public AgentDefinition(String image, List<String> commands, List<String> variables, boolean injectGatewayToken,
            Integer timeoutMinutes, Map<String, Map<String, Object>> idTokens) {
        this(image, commands, variables, injectGatewayToken, timeoutMinutes, idTokens, null);
    }
}
