package io.tandem.matcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.events.Actor;
import io.tandem.matcher.repository.Agent;
import io.tandem.matcher.repository.EnabledAgent;
import io.tandem.matcher.repository.ExternalAgentSetting;
import io.tandem.matcher.repository.GroupEnablement;
import io.tandem.matcher.repository.ProjectEnablement;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure rules behind verbs, assignments and switches. */
class TriggerRulesTest {

    private static final String ACCOUNT = "ai-claude-code-acme";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
        "@ai-claude-code-acme stop | stop",
        "@AI-Claude-Code-Acme   Retry please | retry",
        "hey @ai-claude-code-acme status? | status",
        "@ai-claude-code-acme please stop | none",
        "@ai-claude-code-acme stopping | none",
        "@ai-claude-code-acme-x stop | none",
        "`@ai-claude-code-acme stop` | none",
        "> @ai-claude-code-acme stop | none",
        "@ai-claude-code-acme | none",
    })
    void verbs(String body, String verb) {
        assertEquals(verb, CommandParser.verb(body, ACCOUNT));
    }

    @Test
    void onlyNewlyAddedUsersCount() {
        Actor account = new Actor(5L, ACCOUNT, null);
        Actor human = new Actor(6L, "dev", null);
        assertEquals(List.of(account), AssignmentMatcher.newlyAdded(List.of(human), List.of(human, account)));
        assertEquals(List.of(), AssignmentMatcher.newlyAdded(List.of(account), List.of(account, human)).stream()
                .filter(a -> a.id() == 5L).toList());
        assertEquals(List.of(account), AssignmentMatcher.newlyAdded(null, List.of(account)));
        assertEquals(List.of(), AssignmentMatcher.newlyAdded(List.of(account), null));
        // payloads without ids are matched by username, any case
        assertTrue(AssignmentMatcher.contains(List.of(new Actor(null, "AI-Claude-Code-Acme", null)), account));
    }

    @Test
    void anEpicRunsInTheOldestProjectEnabledForMentionsPerAgent() {
        EnabledAgent assignOnly = enabled(1, 7, 100, "assign");
        EnabledAgent firstMention = enabled(1, 8, 101, "mention,assign");
        EnabledAgent laterMention = enabled(1, 9, 102, "mention");
        EnabledAgent otherAgent = enabled(2, 9, 103, "mention");
        assertEquals(List.of(firstMention, otherAgent), RunPlacement.oldestMentionEnablements(
                List.of(assignOnly, firstMention, laterMention, otherAgent)));
        assertEquals(List.of(), RunPlacement.oldestMentionEnablements(List.of(assignOnly)));
    }

    @Test
    void theGroupWinsUnlessTheInstanceIsLocked() {
        assertNull(TriggerSwitches.blockedReason(null, null));
        assertTrue(TriggerSwitches.blockedReason(setting(0, false, false), null).contains("instance"));
        assertNull(TriggerSwitches.blockedReason(setting(0, false, false), setting(7, true, false)));
        assertTrue(TriggerSwitches.blockedReason(setting(0, true, false), setting(7, false, false)).contains("group 7"));
        assertTrue(TriggerSwitches.blockedReason(setting(0, false, true), setting(7, true, false)).contains("instance"));
        assertNull(TriggerSwitches.blockedReason(setting(0, true, true), setting(7, false, false)));
    }

    @Test
    void definitionPathsStayInTheFlowsFolder() {
        RepositoryDefinitions.requireValidPath(null);
        RepositoryDefinitions.requireValidPath(".gitlab/duo/flows/review.yaml");
        RepositoryDefinitions.requireValidPath(".gitlab/duo/flows/my_flow.v2.yml");
        for (String bad : List.of("review.yaml", ".gitlab/duo/flows/../../secrets.yaml", ".gitlab/duo/flows/a/b.yaml",
                ".gitlab/duo/flows/.yaml", "/.gitlab/duo/flows/x.yaml", ".gitlab/duo/flows/x.json")) {
            assertEquals(400, assertThrows(ApiException.class, () -> RepositoryDefinitions.requireValidPath(bad))
                    .status(), bad);
        }
    }

    @Test
    void thePublishedSchemaIsTheOneTheServiceServes() throws Exception {
        // docs/schema/ is what users read; the service's copy must not drift from it
        String published = Files.readString(Path.of("../docs/schema/agent-definition.schema.json"));
        try (InputStream served = getClass().getResourceAsStream("/schema/agent-definition.schema.json")) {
            assertEquals(published, new String(served.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static EnabledAgent enabled(long agentId, long projectId, long enablementId, String triggers) {
        Agent agent = new Agent();
        agent.id = agentId;
        ProjectEnablement project = new ProjectEnablement();
        project.id = enablementId;
        project.agentId = agentId;
        project.projectId = projectId;
        project.triggers = triggers;
        return new EnabledAgent(agent, new GroupEnablement(), project);
    }

    private static ExternalAgentSetting setting(long groupId, boolean allowed, boolean locked) {
        ExternalAgentSetting setting = new ExternalAgentSetting();
        setting.groupId = groupId;
        setting.allowed = allowed;
        setting.locked = locked;
        return setting;
    }
}
