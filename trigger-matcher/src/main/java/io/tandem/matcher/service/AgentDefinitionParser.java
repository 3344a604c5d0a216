package io.tandem.matcher.service;

import io.tandem.events.AgentDefinition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Validates the external agent YAML and turns it into the {@link AgentDefinition} that travels with every
 * invocation. Only plain YAML (SafeConstructor) is read: a definition is user input and must never build
 * arbitrary Java objects.
 */
public final class AgentDefinitionParser {

    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    static final Set<String> ALLOWED_KEYS = Set.of("image", "commands", "variables", "injectGatewayToken", "timeout",
            "id_tokens", "resultFile", "allowCiChanges");

    private static final Pattern VARIABLE_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
    private static final Pattern DURATION_PART = Pattern.compile(
            "(\\d+)\\s*(d|days?|h|hrs?|hours?|m|mins?|minutes?)", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("^(\\s*" + DURATION_PART.pattern() + ")+\\s*$",
            Pattern.CASE_INSENSITIVE);
    /** A month, GitLab's own upper bound for a job timeout. */
    private static final int MAX_TIMEOUT_MINUTES = 30 * 24 * 60;
    /** pipeline-launcher refuses longer paths (counted in UTF-16 units, as {@link String#length()} does). */
    static final int MAX_RESULT_FILE_LENGTH = 255;
    /**
     * GitLab expands these in {@code artifacts:paths} (wildcards, {@code $VARIABLES}), so the artifact kept would
     * not be at the path result-publisher asks GitLab for.
     */
    private static final String RESULT_FILE_SPECIAL = "*?[]{}$";

    private final int maxBytes;

    public AgentDefinitionParser(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    public AgentDefinitionParser() {
        this(DEFAULT_MAX_BYTES);
    }

    public AgentDefinition parse(String yamlText) {
        if (yamlText == null || yamlText.isBlank()) {
            throw invalid("definition is required");
        }
        if (yamlText.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw invalid("definition is larger than " + maxBytes + " bytes");
        }
        Object root = load(yamlText);
        if (!(root instanceof Map<?, ?> map)) {
            throw invalid("definition must be a YAML mapping");
        }
        for (Object key : map.keySet()) {
            if (!(key instanceof String name) || !ALLOWED_KEYS.contains(name)) {
                throw invalid("definition has unknown key '" + key + "' (allowed: "
                        + String.join(", ", new TreeSet<>(ALLOWED_KEYS)) + ")");
            }
        }
        String image = image(map.get("image"));
        List<String> commands = commands(map.get("commands"));
        List<String> variables = variables(map.get("variables"));
        boolean injectGatewayToken = flag(map.get("injectGatewayToken"), "injectGatewayToken");
        boolean allowCiChanges = flag(map.get("allowCiChanges"), "allowCiChanges");
        Integer timeout = timeoutMinutes(map.get("timeout"));
        Map<String, Map<String, Object>> idTokens = idTokens(map.get("id_tokens"));
        String resultFile = resultFile(map.get("resultFile"));
        return new AgentDefinition(image, commands, variables, injectGatewayToken, timeout, idTokens, resultFile,
                allowCiChanges);
    }

    private Object load(String yamlText) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(maxBytes);
        try {
            return new Yaml(new SafeConstructor(options)).load(yamlText);
        } catch (YAMLException e) {
            throw invalid("definition is not valid YAML: " + firstLine(e.getMessage()));
        }
    }

    private static String image(Object value) {
        if (value == null) {
            throw invalid("definition: 'image' is required");
        }
        if (!(value instanceof String image) || image.isBlank()) {
            throw invalid("definition: 'image' must be a non-empty string");
        }
        if (image.chars().anyMatch(Character::isWhitespace)) {
            throw invalid("definition: 'image' must not contain whitespace");
        }
        return image;
    }

    private static List<String> commands(Object value) {
        if (value == null) {
            throw invalid("definition: 'commands' is required");
        }
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw invalid("definition: 'commands' must be a non-empty list of strings");
        }
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String command) || command.isBlank()) {
                throw invalid("definition: 'commands' item " + (i + 1) + " must be a non-empty string");
            }
            commands.add(command);
        }
        return List.copyOf(commands);
    }

    private static List<String> variables(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw invalid("definition: 'variables' must be a list of CI/CD variable names");
        }
        List<String> names = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String name) || !VARIABLE_NAME.matcher(name).matches()) {
                throw invalid("definition: 'variables' item '" + item
                        + "' is not a CI/CD variable name (letters, digits and _, not starting with a digit)");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private static boolean flag(Object value, String key) {
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean flag)) {
            throw invalid("definition: '" + key + "' must be true or false");
        }
        return flag;
    }

    static Integer timeoutMinutes(Object value) {
        if (value == null) {
            return null;
        }
        long minutes;
        if (value instanceof Integer || value instanceof Long) {
            minutes = ((Number) value).longValue();
        } else if (value instanceof String text && DURATION.matcher(text).matches()) {
            minutes = durationMinutes(text);
        } else {
            throw invalid("definition: 'timeout' must be a positive number of minutes or a duration like '2h 30m'");
        }
        if (minutes <= 0 || minutes > MAX_TIMEOUT_MINUTES) {
            throw invalid("definition: 'timeout' must be between 1 minute and " + MAX_TIMEOUT_MINUTES + " minutes");
        }
        return (int) minutes;
    }

    private static long durationMinutes(String text) {
        long minutes = 0;
        Matcher part = DURATION_PART.matcher(text);
        while (part.find()) {
            long amount = Long.parseLong(part.group(1).length() > 9 ? "999999999" : part.group(1));
            char unit = Character.toLowerCase(part.group(2).charAt(0));
            minutes += switch (unit) {
                case 'd' -> amount * 24 * 60;
                case 'h' -> amount * 60;
                default -> amount;
            };
        }
        return minutes;
    }

    /** The {@code id_tokens} mapping as GitLab CI takes it, copied so that it cannot change under the record. */
    private static Map<String, Map<String, Object>> idTokens(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> tokens)) {
            throw invalid("definition: 'id_tokens' must be a mapping of token names to settings");
        }
        Map<String, Map<String, Object>> idTokens = new LinkedHashMap<>();
        for (Map.Entry<?, ?> token : tokens.entrySet()) {
            if (!(token.getKey() instanceof String name) || !VARIABLE_NAME.matcher(name).matches()) {
                throw invalid("definition: 'id_tokens' name '" + token.getKey() + "' is not a CI/CD variable name");
            }
            if (!(token.getValue() instanceof Map<?, ?> settings)) {
                throw invalid("definition: 'id_tokens." + name + "' must be a mapping (for example with 'aud')");
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> setting : settings.entrySet()) {
                if (!(setting.getKey() instanceof String key)) {
                    throw invalid("definition: 'id_tokens." + name + "' has a key that is not a string");
                }
                copy.put(key, setting.getValue());
            }
            idTokens.put(name, Collections.unmodifiableMap(copy));
        }
        return Collections.unmodifiableMap(idTokens);
    }

    /**
     * Where the job leaves its answer: one file inside the job's working directory, because GitLab keeps it as the
     * job's artifact and result-publisher reads it back by exactly this path.
     */
    private static String resultFile(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String path) || path.isBlank()) {
            throw invalid("definition: 'resultFile' must be a non-empty relative file path, e.g. '.tandem/answer.md'");
        }
        if (path.length() > MAX_RESULT_FILE_LENGTH) {
            throw invalid("definition: 'resultFile' must be at most " + MAX_RESULT_FILE_LENGTH + " characters");
        }
        if (path.startsWith("/")) {
            throw invalid("definition: 'resultFile' must be relative to the job's working directory (no leading '/')");
        }
        if (path.contains("\\")) {
            throw invalid("definition: 'resultFile' must separate directories with '/', not '\\'");
        }
        if (path.chars().anyMatch(Character::isISOControl)) {
            throw invalid("definition: 'resultFile' must not contain control characters");
        }
        if (path.chars().anyMatch(c -> RESULT_FILE_SPECIAL.indexOf(c) >= 0)) {
            throw invalid("definition: 'resultFile' must name one file, without wildcards or variables ("
                    + String.join(" ", RESULT_FILE_SPECIAL.split("")) + ")");
        }
        List<String> segments = List.of(path.split("/", -1));
        if (segments.contains("..")) {
            throw invalid("definition: 'resultFile' must stay inside the job's working directory (no '..')");
        }
        if (path.endsWith("/")) {
            throw invalid("definition: 'resultFile' must name a file, not a directory (no trailing '/')");
        }
        if (segments.contains("") || segments.contains(".")) {
            throw invalid("definition: 'resultFile' must not contain empty or '.' path segments");
        }
        return path;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static InvalidDefinitionException invalid(String reason) {
        return new InvalidDefinitionException(reason);
    }
}
