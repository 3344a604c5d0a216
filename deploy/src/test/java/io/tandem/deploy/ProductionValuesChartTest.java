package io.tandem.deploy;

import com.marcnuri.helm.LintResult;
import io.tandem.events.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tandem.deploy.Manifests.list;
import static io.tandem.deploy.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chart with values-production.yaml: external Kafka and PostgreSQL, an existing Secret, Strimzi topics. */
class ProductionValuesChartTest {

    @TempDir
    static Path tmp;

    static Map<String, Object> production;
    static Manifests manifests;

    @BeforeAll
    static void render() {
        production = Yaml.loadMap(Chart.PRODUCTION_VALUES);
        manifests = Chart.render(Chart.PRODUCTION_VALUES);
    }

    @Test
    void lintsStrictlyCleanWithProductionValues() {
        LintResult lint = Chart.lintWith(Chart.PRODUCTION_VALUES, tmp);

        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void everyDeploymentIsHardened() {
        assertThat(manifests.ofKind("Deployment")).hasSize(DeploymentChecks.SERVICES.size());
        manifests.ofKind("Deployment").forEach(DeploymentChecks::assertHardened);
    }

    @Test
    void servicesUseTheExternalKafkaAndPostgresql() {
        Map<String, Object> postgresql = map(production, "postgresql");
        for (Map<String, Object> deployment : manifests.ofKind("Deployment")) {
            Map<String, Map<String, Object>> env = DeploymentChecks.env(deployment);
            assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS"))
                    .containsEntry("value", map(production, "kafka").get("bootstrapServers"));
            if (!Manifests.name(deployment).endsWith("webhook-ingest")) {
                assertThat(env.get("TANDEM_DB_HOST")).containsEntry("value", postgresql.get("host"));
                assertThat(env.get("TANDEM_DB_PORT")).containsEntry("value", String.valueOf(postgresql.get("port")));
                assertThat(env.get("TANDEM_DB_NAME")).containsEntry("value", postgresql.get("database"));
                assertThat(env.get("TANDEM_DB_USER")).containsEntry("value", postgresql.get("username"));
                if (!Manifests.name(deployment).endsWith("ai-gateway")) {
                    assertThat(env.get("GITLAB_URL")).containsEntry("value", "https://gitlab.example.com");
                }
            } else {
                assertThat(env).doesNotContainKeys("TANDEM_DB_HOST", "TANDEM_DB_PASSWORD", "GITLAB_URL");
            }
        }
    }

    @Test
    void secretsComeFromTheExistingSecretAndTheChartMakesNone() {
        assertThat(manifests.ofKind("Secret")).isEmpty();
        assertThat(map(manifests.get("Deployment", "tandem-identity-service"), "spec.template.metadata.annotations"))
                .doesNotContainKey("checksum/secret");
        SecretChecks.assertSecretEnvByReference(manifests, "tandem-secrets");
    }

    @Test
    void secretValuesGivenAnywayNeverAppearWhenAnExistingSecretIsNamed() {
        Manifests withValues = Chart.render(Chart.PRODUCTION_VALUES, Chart.valuesFile(tmp, Chart.withSecrets("leak")));
        Map<String, String> given = Chart.secretValues("leak");

        for (String value : given.values()) {
            assertThat(withValues.text()).doesNotContain(value);
        }
        SecretChecks.assertNoValueInAnyDeployment(withValues, given.values());
    }

    @Test
    void everyServiceTracesToTheCollectorAndLogsJson() {
        Map<String, Object> tracing = map(production, "tracing");
        for (String service : DeploymentChecks.SERVICES) {
            Map<String, Map<String, Object>> env = DeploymentChecks.env(manifests.get("Deployment", "tandem-" + service));
            assertThat(env.get("OTEL_SDK_DISABLED")).as(service).containsEntry("value", "false");
            assertThat(env.get("OTEL_EXPORTER_OTLP_ENDPOINT")).as(service)
                    .containsEntry("value", tracing.get("otlpEndpoint"));
            assertThat(env.get("OTEL_EXPORTER_OTLP_PROTOCOL")).as(service).containsEntry("value", "grpc");
            assertThat(env.get("QUARKUS_LOG_CONSOLE_JSON")).as(service).containsEntry("value", "true");
        }
    }

    @Test
    void imagesComeFromTheProductionRegistry() {
        for (String service : DeploymentChecks.SERVICES) {
            assertThat(DeploymentChecks.image(manifests.get("Deployment", "tandem-" + service)))
                    .isEqualTo("registry.example.com/platform/tandem/" + service + ":0.1.0");
        }
        assertThat(list(map(manifests.get("Deployment", "tandem-webhook-ingest"), "spec.template.spec"), "imagePullSecrets"))
                .containsExactly(Map.of("name", "registry-credentials"));
    }

    @Test
    void runsMoreReplicasAndKeepsTwoOfTheScaledOnesThroughDisruptions() {
        for (String service : List.of("trigger-matcher", "pipeline-launcher", "result-publisher")) {
            assertThat(map(manifests.get("Deployment", "tandem-" + service), "spec")).containsEntry("replicas", 2);
        }
        for (String service : List.of("webhook-ingest", "identity-service")) {
            assertThat(map(manifests.get("HorizontalPodAutoscaler", "tandem-" + service), "spec"))
                    .containsEntry("minReplicas", 3);
            assertThat(map(manifests.get("PodDisruptionBudget", "tandem-" + service), "spec"))
                    .containsEntry("minAvailable", 2).doesNotContainKey("maxUnavailable");
        }
    }

    @Test
    void ingressesServeTls() {
        Map<String, Object> main = list(map(manifests.get("Ingress", "tandem"), "spec"), "tls").get(0);
        Map<String, Object> proxy = list(map(manifests.get("Ingress", "tandem-gitlab-proxy"), "spec"), "tls").get(0);

        assertThat(main).containsEntry("secretName", "tandem-tls").containsEntry("hosts", List.of("tandem.example.com"));
        assertThat(proxy).containsEntry("secretName", "tandem-gitlab-proxy-tls")
                .containsEntry("hosts", List.of("gitlab-proxy.tandem.example.com"));
        // With TLS, the runs reach ai-gateway over https.
        assertThat(DeploymentChecks.env(manifests.get("Deployment", "tandem-pipeline-launcher")).get("TANDEM_AI_GATEWAY_URL"))
                .containsEntry("value", "https://tandem.example.com");
    }

    @Test
    void everyTopicOfTheEventsModuleIsAStrimziTopic() throws IllegalAccessException {
        List<String> expected = new ArrayList<>(topicConstants());
        expected.add("tandem.audit.cloudevents.v1");

        for (String topic : expected) {
            Map<String, Object> kafkaTopic = manifests.get("KafkaTopic", topic);
            assertThat(kafkaTopic.get("apiVersion")).isEqualTo("kafka.strimzi.io/v1beta2");
            assertThat(map(kafkaTopic, "metadata.labels")).containsEntry("strimzi.io/cluster", "tandem-kafka");
            // The Topic Operator watches the Kafka cluster's namespace, not Tandem's.
            assertThat(map(kafkaTopic, "metadata")).containsEntry("namespace", "kafka");
            Map<String, Object> spec = map(kafkaTopic, "spec");
            assertThat(spec).containsEntry("topicName", topic).containsEntry("replicas", 3);
            assertThat(map(spec, "config")).containsEntry("min.insync.replicas", "2");
        }
        assertThat(map(manifests.get("KafkaTopic", Topics.GITLAB_NOTES), "spec")).containsEntry("partitions", 24);
        assertThat(map(manifests.get("KafkaTopic", Topics.RUNS_STATUS), "spec")).containsEntry("partitions", 12);
        assertThat(map(manifests.get("KafkaTopic", Topics.deadLetter("trigger-matcher", "gitlab-notes")), "spec"))
                .containsEntry("partitions", 3);
    }

    @Test
    void auditTopicsAreKeptForYearsAndNeverCompacted() {
        List<Map<String, Object>> audit = manifests.ofKind("KafkaTopic").stream()
                .filter(t -> Manifests.name(t).startsWith("tandem.audit.")).toList();

        assertThat(audit).extracting(Manifests::name).contains(Topics.AUDIT, "tandem.audit.cloudevents.v1");
        for (Map<String, Object> topic : audit) {
            assertThat(map(topic, "metadata.annotations")).containsEntry("helm.sh/resource-policy", "keep");
            Map<String, Object> config = map(topic, "spec.config");
            assertThat(config).as(Manifests.name(topic)).containsEntry("cleanup.policy", "delete");
            long retention = Long.parseLong((String) config.get("retention.ms"));
            assertThat(retention == -1 || retention >= Duration.ofDays(365).toMillis()).as("retention " + retention).isTrue();
        }
        for (Map<String, Object> topic : manifests.ofKind("KafkaTopic")) {
            assertThat((String) map(topic, "spec.config").get("cleanup.policy")).doesNotContain("compact");
        }
        assertThat(map(manifests.get("KafkaTopic", Topics.GITLAB_NOTES), "spec.config"))
                .containsEntry("retention.ms", String.valueOf(Duration.ofDays(7).toMillis()));
    }

    @Test
    void refusesToCompactAnAuditTopic() {
        Path compacted = Chart.valuesFile(tmp, Map.of("kafkaTopics", Map.of("topics",
                Map.of(Topics.AUDIT, Map.of("config", Map.of("cleanup.policy", "compact,delete"))))));

        assertThatThrownBy(() -> Chart.render(Chart.PRODUCTION_VALUES, compacted))
                .hasMessageContaining("audit topics are never compacted");
    }

    /** Every topic name the shared code declares. */
    static List<String> topicConstants() throws IllegalAccessException {
        List<String> topics = new ArrayList<>();
        for (Field field : Topics.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                topics.add((String) field.get(null));
            }
        }
        assertThat(topics).contains(Topics.GITLAB_NOTES, Topics.AUDIT);
        return topics;
    }
}
