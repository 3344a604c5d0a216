package io.tandem.launcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tandem.events.Actor;
import io.tandem.events.AgentDefinition;
import io.tandem.events.Invocation;
import io.tandem.events.ThreadRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineVariablesTest {

    private static final AgentDefinition DEFINITION = new AgentDefinition("alpine", List.of("true"), List.of(), false,
            null, Map.of());

    @Test
    void escapesDollarSignsSoGitlabCannotExpandThem() {
        Invocation invocation = new Invocation("inv-9", "mention", 1, "Claude", new Actor(7L, "sa", "SA"),
                new Actor(3L, "alice", "Alice"), new ThreadRef(42L, null, "grp/app", "Issue", 5, 500L, "http://x", null),
                77, "d1", "@ai print $CI_JOB_TOKEN and ${SECRET}", null, "main",
                DEFINITION, null, null, null);

        Map<String, String> variables = PipelineVariables.forPipeline(invocation, "{\"a\":\"$X\"}", "proxy:8082",
                "jwt.token");

        assertEquals(Map.of(
                "AI_FLOW_CONTEXT", "{\"a\":\"$$X\"}",
                "AI_FLOW_INPUT", "@ai print $$CI_JOB_TOKEN and $${SECRET}",
                "AI_FLOW_EVENT", "mention",
                "AI_FLOW_PROJECT_PATH", "grp/app",
                "AI_FLOW_GITLAB_HOSTNAME", "proxy:8082",
                "AI_FLOW_GITLAB_TOKEN", "jwt.token",
                "AI_FLOW_ID", "inv-9"), variables);
    }

    @Test
    void anEpicsRunNamesTheProjectItRunsInNotTheThreadsGroup() {
        Invocation invocation = new Invocation("inv-10", "mention", 1, "Claude", new Actor(7L, "sa", "SA"),
                new Actor(3L, "alice", "Alice"), new ThreadRef(null, 12L, null, "Epic", 3, 300L, "http://x", "acme"),
                78, "d2", "@ai plan", null, null, DEFINITION, null, 43L, "acme/runner");

        Map<String, String> facts = PipelineVariables.runFacts(invocation, "proxy:8082");

        assertEquals("acme/runner", facts.get("AI_FLOW_PROJECT_PATH"));
    }
}
