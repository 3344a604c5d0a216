package io.tandem.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart against what the services really read: their application.properties. A variable the chart sets
 * must be one the service reads, one it needs must be set, and every topic it names must have a KafkaTopic.
 */
class ServiceConfigurationTest {

    /** {@code ${NAME}} or {@code ${NAME:default}}: an environment variable, upper case by convention. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:[^}]*)?}");
    private static final Pattern TOPIC = Pattern.compile("^mp\\.messaging\\.\\S+?\\.topic=(\\S+)$");
    /** Read by the JVM itself, not by the service's configuration. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");
    private static final Path REPO = Path.of(System.getProperty("tandem.repo.dir", "..")).toAbsolutePath().normalize();

    @TempDir
    static Path tmp;

    static Manifests defaults;
    static Manifests production;

    @BeforeAll
    static void render() {
        defaults = Chart.render(Chart.valuesFile(tmp, Chart.withSecrets("config")));
        production = Chart.render(Chart.PRODUCTION_VALUES);
    }

    @Test
    void everyVariableTheChartSetsIsOneTheServiceReads() throws IOException {
        for (String service : DeploymentChecks.SERVICES) {
            Set<String> read = variables(service, false);
            Set<String> set = new TreeSet<>(DeploymentChecks.env(defaults.get("Deployment", "tandem-" + service)).keySet());
            set.removeAll(JVM_VARIABLES);

            assertThat(read).as(service + " reads").containsAll(set);
        }
    }

    /** The production values turn tracing and JSON logs on: the services must read what that sets. */
    @Test
    void everyVariableTheChartSetsWithProductionValuesIsOneTheServiceReads() throws IOException {
        for (String service : DeploymentChecks.SERVICES) {
            Set<String> read = variables(service, false);
            Set<String> set = new TreeSet<>(DeploymentChecks.env(production.get("Deployment", "tandem-" + service)).keySet());
            set.removeAll(JVM_VARIABLES);

            assertThat(set).as(service).contains("OTEL_SDK_DISABLED", "QUARKUS_LOG_CONSOLE_JSON");
            assertThat(read).as(service + " reads").containsAll(set);
        }
    }

    @Test
    void everyVariableWithoutADefaultIsSet() throws IOException {
        assertThat(variables("webhook-ingest", true)).contains("TANDEM_WEBHOOK_SECRET");
        for (String service : DeploymentChecks.SERVICES) {
            Set<String> required = variables(service, true);
            for (Manifests manifests : List.of(defaults, production)) {
                assertThat(DeploymentChecks.env(manifests.get("Deployment", "tandem-" + service)).keySet())
                        .as(service).containsAll(required);
            }
        }
    }

    @Test
    void everyServiceListensOnTheContainerPort() throws IOException {
        for (String service : DeploymentChecks.SERVICES) {
            Matcher port = Pattern.compile("(?m)^quarkus\\.http\\.port=\\$\\{([A-Z_]+):\\d+}$").matcher(properties(service));
            assertThat(port.find()).as(service + " quarkus.http.port").isTrue();

            assertThat(DeploymentChecks.env(defaults.get("Deployment", "tandem-" + service)).get(port.group(1)))
                    .containsEntry("value", "8080");
        }
    }

    @Test
    void everyTopicAServiceNamesHasAKafkaTopic() throws IOException {
        Set<String> named = new TreeSet<>();
        for (String service : DeploymentChecks.SERVICES) {
            for (String line : properties(service).split("\n")) {
                Matcher topic = TOPIC.matcher(line.trim());
                if (topic.matches()) {
                    named.add(topic.group(1));
                }
            }
        }
        Set<String> made = new TreeSet<>();
        production.ofKind("KafkaTopic").forEach(t -> made.add(Manifests.name(t)));

        assertThat(named).as("topics in application.properties").anyMatch(t -> t.startsWith("tandem.dlq."));
        assertThat(made).as("KafkaTopics (add the missing ones to kafkaTopics.topics in values.yaml)").containsAll(named);
    }

    private static String properties(String service) throws IOException {
        return Files.readString(REPO.resolve(service).resolve("src/main/resources/application.properties"));
    }

    /** The variables a service's application.properties reads outside %dev/%test lines; optionally only those without default. */
    private static Set<String> variables(String service, boolean withoutDefaultOnly) throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : properties(service).split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || trimmed.startsWith("%")) {
                continue;
            }
            Matcher variable = VARIABLE.matcher(trimmed);
            while (variable.find()) {
                if (!withoutDefaultOnly || variable.group(2) == null) {
                    names.add(variable.group(1));
                }
            }
        }
        return names;
    }

}
