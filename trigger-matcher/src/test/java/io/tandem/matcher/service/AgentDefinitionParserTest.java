package io.tandem.matcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.events.AgentDefinition;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AgentDefinitionParserTest {

    private final AgentDefinitionParser parser = new AgentDefinitionParser();

    @Test
    void fullDefinition() {
        AgentDefinition definition = parser.parse("""
                image: node:20
                commands:
                  - npm install -g @anthropic-ai/claude-code
                  - claude -p "$AI_FLOW_INPUT"
                variables: [ANTHROPIC_API_KEY, _PRIVATE_2]
                injectGatewayToken: true
                timeout: 45
                id_tokens:
                  GITLAB_OIDC_TOKEN:
                    aud: https://tandem.example
                resultFile: .tandem/answer.md
                allowCiChanges: true
                """);
        assertEquals("node:20", definition.image());
        assertEquals(List.of("npm install -g @anthropic-ai/claude-code", "claude -p \"$AI_FLOW_INPUT\""),
                definition.commands());
        assertEquals(List.of("ANTHROPIC_API_KEY", "_PRIVATE_2"), definition.variables());
        assertTrue(definition.injectGatewayToken());
        assertEquals(45, definition.timeoutMinutes());
        assertEquals(Map.of("GITLAB_OIDC_TOKEN", Map.of("aud", "https://tandem.example")), definition.idTokens());
        assertEquals(".tandem/answer.md", definition.resultFile());
        assertTrue(definition.allowCiChanges());
    }

    @Test
    void minimalDefinitionHasDefaults() {
        AgentDefinition definition = parser.parse("image: alpine\ncommands: [echo hi]\n");
        assertEquals(List.of(), definition.variables());
        assertFalse(definition.injectGatewayToken());
        assertNull(definition.timeoutMinutes());
        assertEquals(Map.of(), definition.idTokens());
        assertNull(definition.resultFile());
        assertFalse(definition.allowCiChanges());
    }

    @ParameterizedTest(name = "resultFile {0}")
    @ValueSource(strings = {"answer.md", ".tandem-run/answer.md", "out/reports/summary v2.md", "..answer",
        "a/b..c/d.md", "réponse.md"})
    void resultFiles(String path) {
        assertEquals(path, parser.parse("image: a\ncommands: [b]\nresultFile: \"" + path + "\"\n").resultFile());
    }

    @Test
    void resultFileMayBeAsLongAsPipelineLauncherAllows() {
        String longest = "d/".repeat(100) + "a".repeat(55);
        assertEquals(longest, parser.parse("image: a\ncommands: [b]\nresultFile: " + longest + "\n").resultFile());
    }

    @ParameterizedTest(name = "timeout {0} -> {1} minutes")
    @CsvSource(delimiter = '|', value = {
        "90 | 90",
        "'2h' | 120",
        "'1h 30m' | 90",
        "'45 minutes' | 45",
        "'1d' | 1440",
    })
    void timeouts(String timeout, int minutes) {
        assertEquals(minutes, parser.parse("image: a\ncommands: [b]\ntimeout: " + timeout + "\n").timeoutMinutes());
    }

    static Stream<Arguments> invalidDefinitions() {
        return Stream.of(
                Arguments.of("", "definition is required"),
                Arguments.of("- a\n- b", "must be a YAML mapping"),
                Arguments.of("just text", "must be a YAML mapping"),
                Arguments.of("image: [unclosed", "not valid YAML"),
                Arguments.of("commands: [a]", "'image' is required"),
                Arguments.of("image: \ncommands: [a]", "'image' is required"),
                Arguments.of("image: \"\"\ncommands: [a]", "'image' must be a non-empty string"),
                Arguments.of("image: 42\ncommands: [a]", "'image' must be a non-empty string"),
                Arguments.of("image: [a]\ncommands: [a]", "'image' must be a non-empty string"),
                Arguments.of("image: \"a b\"\ncommands: [a]", "'image' must not contain whitespace"),
                Arguments.of("image: a", "'commands' is required"),
                Arguments.of("image: a\ncommands: []", "'commands' must be a non-empty list"),
                Arguments.of("image: a\ncommands: echo hi", "'commands' must be a non-empty list"),
                Arguments.of("image: a\ncommands: [echo, 3]", "'commands' item 2 must be a non-empty string"),
                Arguments.of("image: a\ncommands: [{run: x}]", "'commands' item 1 must be a non-empty string"),
                Arguments.of("image: a\ncommands: [a]\nvariables: TOKEN", "'variables' must be a list"),
                Arguments.of("image: a\ncommands: [a]\nvariables: [1ABC]", "'1ABC' is not a CI/CD variable name"),
                Arguments.of("image: a\ncommands: [a]\nvariables: [A-B]", "'A-B' is not a CI/CD variable name"),
                Arguments.of("image: a\ncommands: [a]\ninjectGatewayToken: 1",
                        "'injectGatewayToken' must be true or false"),
                Arguments.of("image: a\ncommands: [a]\nallowCiChanges: \"yes\"",
                        "'allowCiChanges' must be true or false"),
                Arguments.of("image: a\ncommands: [a]\ntimeout: 0", "'timeout' must be between"),
                Arguments.of("image: a\ncommands: [a]\ntimeout: -5", "'timeout' must be between"),
                Arguments.of("image: a\ncommands: [a]\ntimeout: 1.5", "'timeout' must be a positive number"),
                Arguments.of("image: a\ncommands: [a]\ntimeout: soon", "'timeout' must be a positive number"),
                Arguments.of("image: a\ncommands: [a]\nid_tokens: [x]", "'id_tokens' must be a mapping"),
                Arguments.of("image: a\ncommands: [a]\nid_tokens: {T: x}", "'id_tokens.T' must be a mapping"),
                Arguments.of("image: a\ncommands: [a]\nresultFile: 42", "'resultFile' must be a non-empty relative"),
                Arguments.of("image: a\ncommands: [a]\nresultFile: [a.md]",
                        "'resultFile' must be a non-empty relative"),
                Arguments.of("image: a\ncommands: [a]\nresultFile: \" \"", "'resultFile' must be a non-empty relative"),
                Arguments.of("image: a\ncommands: [a]\nresultFile: " + "a".repeat(256), "at most 255 characters"),
                Arguments.of("image: a\ncommands: [a]\nresultFile: /tmp/answer.md", "no leading '/'"),
                Arguments.of("image: a\ncommands: [a]\nresultFile: 'out\\answer.md'", "not '\\'"),
                Arguments.of("image: a\ncommands: [a]\nresultFile: \"a\\nb.md\"", "control characters"),
                Arguments.of("image: a\ncommands: [a]\nresultFile: \"out/*.md\"", "without wildcards or variables"),
                Arguments.of("image: a\ncommands: [a]\nresultFile: $CI_JOB_ID/a.md", "without wildcards or variables"),
                Arguments.of("image: a\ncommands: [a]\nresultFile: ../answer.md", "no '..'"),
                Arguments.of("image: a\ncommands: [a]\nresultFile: out/../../answer.md", "no '..'"),
                Arguments.of("image: a\ncommands: [a]\nresultFile: out/..", "no '..'"),
                Arguments.of("image: a\ncommands: [a]\nresultFile: out/", "no trailing '/'"),
                Arguments.of("image: a\ncommands: [a]\nresultFile: ./answer.md", "empty or '.' path segments"),
                Arguments.of("image: a\ncommands: [a]\nresultFile: out//answer.md", "empty or '.' path segments"),
                Arguments.of("image: a\ncommands: [a]\nresultfile: a.md", "unknown key 'resultfile'"),
                Arguments.of("image: a\ncommands: [a]\nscript: [x]", "unknown key 'script'"),
                Arguments.of("image: a\ncommands: [a]\nscript: [x]",
                        "(allowed: allowCiChanges, commands, id_tokens, image, injectGatewayToken, resultFile, timeout, variables)"),
                Arguments.of("image: a\nimage: b\ncommands: [a]", "not valid YAML"),
                Arguments.of("!!java.net.URL [http://x]", "not valid YAML"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource
    void invalidDefinitions(String yaml, String reason) {
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> parser.parse(yaml));
        assertTrue(e.getMessage().contains(reason), () -> "'" + e.getMessage() + "' should contain '" + reason + "'");
    }

    @Test
    void refusesDefinitionsOverTheSizeLimit() {
        String big = "image: a\ncommands:\n" + "  - echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n".repeat(1100);
        InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> parser.parse(big));
        assertTrue(e.getMessage().contains("larger than 65536 bytes"), e.getMessage());
    }

    @Test
    void refusesAliasBombs() {
        StringBuilder yaml = new StringBuilder("image: a\ncommands: [a]\nid_tokens:\n  T: {aud: x}\n");
        yaml.append("x0: &a0 [lol]\n");
        for (int i = 1; i < 15; i++) {
            yaml.append("x").append(i).append(": &a").append(i).append(" [")
                    .append(("*a" + (i - 1) + ",").repeat(9)).append("*a").append(i - 1).append("]\n");
        }
        assertThrows(InvalidDefinitionException.class, () -> parser.parse(yaml.toString()));
    }
}
