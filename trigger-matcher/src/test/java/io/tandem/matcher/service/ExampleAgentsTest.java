package io.tandem.matcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.tandem.events.AgentDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The agent definitions users copy from {@code examples/agents/} are what the catalog accepts: each one passes
 * trigger-matcher's own parser and the published JSON Schema, and the five promised agents are all there.
 */
class ExampleAgentsTest {

    /** The agents issue 5 promises, by file name; each may also have a {@code -managed} variant. */
    private static final List<String> REQUIRED = List.of("claude-code.yaml", "codex.yaml", "opencode.yaml",
            "amazon-q.yaml", "gemini-cli.yaml");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path root;
    private static JsonSchema schema;

    private final AgentDefinitionParser parser = new AgentDefinitionParser();

    @BeforeAll
    static void loadSchema() throws IOException {
        root = repositoryRoot();
        try (InputStream in = Files.newInputStream(root.resolve("docs/schema/agent-definition.schema.json"))) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(repositoryRoot().resolve("examples/agents"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @Test
    void everyPromisedAgentHasAnExample() throws IOException {
        List<String> names = examples().map(f -> f.getFileName().toString()).toList();
        assertTrue(names.containsAll(REQUIRED), "examples/agents has " + names + ", needs at least " + REQUIRED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void parsesAndMatchesTheSchema(Path example) throws IOException {
        String yaml = Files.readString(example);
        AgentDefinition definition = parser.parse(yaml);

        Set<ValidationMessage> errors = schema.validate(asJson(yaml));
        assertEquals(Set.of(), errors, example.getFileName() + " does not match the schema");
        assertFalse(definition.commands().isEmpty());
        assertTrue(yaml.contains("$AI_FLOW_INPUT") && yaml.contains("$AI_FLOW_CONTEXT"),
                example.getFileName() + " must hand the agent the request and its thread");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void managedVariantsUseTheGatewayAndOthersTheirOwnKey(Path example) throws IOException {
        AgentDefinition definition = parser.parse(Files.readString(example));
        boolean managed = example.getFileName().toString().endsWith("-managed.yaml");

        assertEquals(managed, definition.injectGatewayToken(), example.getFileName() + ": injectGatewayToken");
        if (managed) {
            assertTrue(definition.variables().stream().noneMatch(v -> v.endsWith("_API_KEY")),
                    example.getFileName() + " must not need a provider key: " + definition.variables());
            assertTrue(definition.commands().stream().anyMatch(c -> c.contains("AI_FLOW_AI_GATEWAY_TOKEN")),
                    example.getFileName() + " never uses the gateway token");
        } else {
            assertFalse(definition.variables().isEmpty(), example.getFileName() + " names no CI/CD variable");
        }
    }

    @Test
    void readmeExplainsEveryExample() throws IOException {
        String readme = Files.readString(root.resolve("examples/agents/README.md"));
        examples().forEach(example -> assertTrue(readme.contains("`" + example.getFileName() + "`"),
                "README.md does not mention " + example.getFileName()));
    }

    /** Guards the test itself: a definition with an unknown key must fail the schema check above. */
    @Test
    void schemaCheckRejectsWhatTheParserRejects() throws IOException {
        ObjectNode broken = (ObjectNode) asJson(Files.readString(root.resolve("examples/agents/" + REQUIRED.get(0))));
        broken.put("script", "echo not a definition key");
        assertNotEquals(Set.of(), schema.validate(broken));
    }

    /** The schema's {@code resultFile} pattern is hand-written: it must accept exactly what the parser accepts. */
    @ParameterizedTest(name = "resultFile \"{0}\"")
    @ValueSource(strings = {"answer.md", ".tandem-run/answer.md", "out/summary v2.md", "..a", "a/b..c/d.md",
        "réponse.md", "", " ", "/a.md", "a\\b.md", "../a.md", "a/../b.md", "a/..", ".", "..", "./a.md", "a/./b.md",
        "a//b.md", "a/", "*.md", "a?.md", "[a].md", "{a,b}.md", "$CI_JOB_ID/a.md", "a\u0007.md", "a\nb.md"})
    void schemaAndParserAgreeOnResultFiles(String path) throws IOException {
        assertAgreement(path);
    }

    @Test
    void schemaAndParserAgreeOnTheResultFileLength() throws IOException {
        assertAgreement("a".repeat(255));
        assertAgreement("a".repeat(256));
    }

    private void assertAgreement(String path) throws IOException {
        String yaml = "image: a\ncommands: [b]\nresultFile: " + JSON.writeValueAsString(path) + "\n";
        boolean parserAccepts;
        try {
            parserAccepts = path.equals(parser.parse(yaml).resultFile());
        } catch (InvalidDefinitionException e) {
            parserAccepts = false;
        }
        Set<ValidationMessage> errors = schema.validate(asJson(yaml));
        assertEquals(parserAccepts, errors.isEmpty(), "parser " + (parserAccepts ? "accepts" : "refuses")
                + " resultFile " + JSON.writeValueAsString(path) + ", schema says " + errors);
    }

    private static JsonNode asJson(String yaml) {
        Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        return JSON.valueToTree(tree);
    }

    /** The reactor root: the first directory above the working directory that holds {@code events/pom.xml}. */
    private static Path repositoryRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("events/pom.xml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new UncheckedIOException(new IOException("no events/pom.xml above " + System.getProperty("user.dir")));
        }
        return dir;
    }
}
