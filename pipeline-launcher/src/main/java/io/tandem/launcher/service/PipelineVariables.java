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
 */
public final class PipelineVariables {

    public static final String CONTEXT = "AI_FLOW_CONTEXT";
    public static final String INPUT = "AI_FLOW_INPUT";
    public static final String EVENT = "AI_FLOW_EVENT";
    public static final String PROJECT_PATH = "AI_FLOW_PROJECT_PATH";
    public static final String GITLAB_HOSTNAME = "AI_FLOW_GITLAB_HOSTNAME";
    public static final String GITLAB_TOKEN = "AI_FLOW_GITLAB_TOKEN";
    public static final String ID = "AI_FLOW_ID";

    /** The non-secret facts of the run, also written (raw) into the committed CI config. */
    public static Map<String, String> runFacts(Invocation invocation, String gitlabHostname) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put(ID, invocation.invocationId());
        facts.put(EVENT, nullToEmpty(invocation.trigger()));
        facts.put(PROJECT_PATH, nullToEmpty(invocation.projectPath()));
        facts.put(GITLAB_HOSTNAME, gitlabHostname);
        return facts;
    }

    /** Everything the pipeline gets, escaped for GitLab's variable expansion. */
    public static Map<String, String> forPipeline(Invocation invocation, String context, String gitlabHostname,
            String runToken) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put(CONTEXT, literal(context));
        variables.put(INPUT, literal(nullToEmpty(invocation.input())));
        runFacts(invocation, gitlabHostname).forEach((name, value) -> variables.put(name, literal(value)));
        variables.put(GITLAB_TOKEN, runToken);
        return variables;
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
