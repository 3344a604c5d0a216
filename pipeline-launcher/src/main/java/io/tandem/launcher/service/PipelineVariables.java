package io.tandem.launcher.service;

import io.tandem.events.Invocation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code AI_FLOW_*} variables of a run's pipeline.
 *
 * <p>GitLab resolves {@code $NAME} and {@code ${NAME}} references in pipeline variables, and the Pipelines API
 * cannot mark a variable raw (only {@code .gitlab-ci.yml} variables with {@code expand: false} and project or
 * group variables can be). The input and the context are written by people in the thread: unescaped, a
 * comment saying {@code $CI_JOB_TOKEN} would hand the agent the job's token. Every {@code $} is therefore
 * sent as {@code $$}, GitLab's escape, which the runner turns back into one {@code $}.
 *
 * <p>A definition with {@code injectGatewayToken} also gets the run's AI gateway token and headers, and the
 * gateway's URL when one is configured; the job's variable scrub keeps them ({@link WorkloadCiConfig}).
 */
public final class PipelineVariables {

    public static final String CONTEXT = "AI_FLOW_CONTEXT";
    public static final String INPUT = "AI_FLOW_INPUT";
    public static final String EVENT = "AI_FLOW_EVENT";
    public static final String PROJECT_PATH = "AI_FLOW_PROJECT_PATH";
    public static final String GITLAB_HOSTNAME = "AI_FLOW_GITLAB_HOSTNAME";
    public static final String GITLAB_TOKEN = "AI_FLOW_GITLAB_TOKEN";
    public static final String ID = "AI_FLOW_ID";
    public static final String AI_GATEWAY_TOKEN = "AI_FLOW_AI_GATEWAY_TOKEN";
    public static final String AI_GATEWAY_HEADERS = "AI_FLOW_AI_GATEWAY_HEADERS";
    public static final String AI_GATEWAY_URL = "TANDEM_AI_GATEWAY_URL";

    /** The non-secret facts of the run, also written (raw) into the committed CI config. */
    public static Map<String, String> runFacts(Invocation invocation, String gitlabHostname) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put(ID, invocation.invocationId());
        facts.put(EVENT, nullToEmpty(invocation.trigger()));
        facts.put(PROJECT_PATH, nullToEmpty(invocation.projectPath()));
        facts.put(GITLAB_HOSTNAME, gitlabHostname);
        return facts;
    }

    /** Everything the pipeline of a run without managed model credentials gets. */
    public static Map<String, String> forPipeline(Invocation invocation, String context, String gitlabHostname,
            String runToken) {
        return forPipeline(invocation, context, gitlabHostname, runToken, null);
    }

    /**
     * Everything the pipeline gets, escaped for GitLab's variable expansion.
     *
     * @param gateway the run's AI gateway credentials; used only if the definition asks for them, and then required
     * @throws IllegalArgumentException if the definition asks for managed model credentials and none were minted
     *     (its message is the run's failure detail)
     */
    public static Map<String, String> forPipeline(Invocation invocation, String context, String gitlabHostname,
            String runToken, GatewayCredentials gateway) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put(CONTEXT, literal(context));
        variables.put(INPUT, literal(nullToEmpty(invocation.input())));
        runFacts(invocation, gitlabHostname).forEach((name, value) -> variables.put(name, literal(value)));
        variables.put(GITLAB_TOKEN, runToken);
        if (invocation.definition() != null && invocation.definition().injectGatewayToken()) {
            if (gateway == null || gateway.token() == null || gateway.headers() == null) {
                throw new IllegalArgumentException("the agent definition asks for managed model credentials"
                        + " (injectGatewayToken), but identity-service minted no AI gateway token");
            }
            // A JWT has no '$'; escaped all the same, like every value GitLab could otherwise expand.
            variables.put(AI_GATEWAY_TOKEN, literal(gateway.token()));
            variables.put(AI_GATEWAY_HEADERS, literal(gateway.headers()));
            if (gateway.url() != null && !gateway.url().isBlank()) {
                variables.put(AI_GATEWAY_URL, literal(gateway.url()));
            }
        }
        return variables;
    }

    /**
     * A run's AI gateway token and headers from identity-service, and where the gateway is (null if not
     * configured). The token is a bearer secret: never log it.
     */
    public record GatewayCredentials(String token, String headers, String url) {

        @Override
        public String toString() {
            return "GatewayCredentials[token=***, headers=" + headers + ", url=" + url + "]";
        }
    }

    /** A value GitLab passes through unchanged: {@code $} becomes {@code $$}. */
    public static String literal(String value) {
        return value.replace("$", "$$");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private PipelineVariables() {
    }
}
