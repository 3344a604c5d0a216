package io.tandem.launcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void aManagedDefinitionGetsTheGatewayTokenHeadersAndUrl() {
        AgentDefinition managed = new AgentDefinition("alpine", List.of("true"), List.of(), true, null, Map.of());
        Invocation invocation = invocation(managed);
        PipelineVariables.GatewayCredentials gateway = new PipelineVariables.GatewayCredentials("eyJ.gw.sig",
                "X-Tandem-Run-Id: inv-11\nX-Tandem-Project-Id: 42", "http://gw:8085/$path");

        Map<String, String> variables = PipelineVariables.forPipeline(invocation, "{}", "proxy:8082", "jwt.token",
                gateway);

        assertEquals("eyJ.gw.sig", variables.get("AI_FLOW_AI_GATEWAY_TOKEN"));
        assertEquals("X-Tandem-Run-Id: inv-11\nX-Tandem-Project-Id: 42", variables.get("AI_FLOW_AI_GATEWAY_HEADERS"));
        assertEquals("http://gw:8085/$$path", variables.get("TANDEM_AI_GATEWAY_URL"), "escaped like every literal");
        assertFalse(gateway.toString().contains("eyJ.gw.sig"), gateway.toString());

        Map<String, String> noUrl = PipelineVariables.forPipeline(invocation, "{}", "proxy:8082", "jwt.token",
                new PipelineVariables.GatewayCredentials("eyJ.gw.sig", "X-Tandem-Run-Id: inv-11", null));
        assertTrue(noUrl.containsKey("AI_FLOW_AI_GATEWAY_TOKEN"));
        assertFalse(noUrl.containsKey("TANDEM_AI_GATEWAY_URL"), "no gateway configured: no URL");

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> PipelineVariables.forPipeline(invocation, "{}", "proxy:8082", "jwt.token", null));
        assertTrue(missing.getMessage().contains("minted no AI gateway token"), missing.getMessage());
    }

    @Test
    void aDefinitionWithoutTheFlagGetsNoGatewayVariablesWhateverIdentityAnswered() {
        Map<String, String> variables = PipelineVariables.forPipeline(invocation(DEFINITION), "{}", "proxy:8082",
                "jwt.token", new PipelineVariables.GatewayCredentials("eyJ.gw.sig", "X-Tandem-Run-Id: x", "http://gw"));

        assertFalse(variables.keySet().stream().anyMatch(name -> name.contains("GATEWAY")), variables.keySet()
                .toString());
    }

    private static Invocation invocation(AgentDefinition definition) {
        return new Invocation("inv-11", "mention", 1, "Claude", new Actor(7L, "sa", "SA"),
                new Actor(3L, "alice", "Alice"), new ThreadRef(42L, null, "grp/app", "Issue", 5, 500L, "http://x", null),
                79, "d3", "@ai go", null, "main", definition, null, null, null);
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
