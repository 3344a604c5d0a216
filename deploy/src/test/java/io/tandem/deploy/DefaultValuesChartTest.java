package io.tandem.deploy;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.tandem.deploy.Manifests.list;
import static io.tandem.deploy.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chart with its own values.yaml, plus the secrets it cannot make up. */
class DefaultValuesChartTest {

    @TempDir
    static Path tmp;

    static Manifests manifests;

    @BeforeAll
    static void render() {
        manifests = Chart.render(Chart.valuesFile(tmp, Chart.withSecrets("default")));
    }

    @Test
    void lintsStrictlyClean() {
        LintResult lint = Chart.lint();

        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void everyServiceHasAHardenedDeploymentAndAServiceSelectingItsPods() {
        assertThat(manifests.ofKind("Deployment")).hasSize(DeploymentChecks.SERVICES.size());
        assertThat(manifests.ofKind("Service")).hasSize(DeploymentChecks.SERVICES.size());
        for (String service : DeploymentChecks.SERVICES) {
            Map<String, Object> deployment = manifests.get("Deployment", "tandem-" + service);
            DeploymentChecks.assertHardened(deployment);

            Map<String, Object> podLabels = map(deployment, "spec.template.metadata.labels");
            Map<String, Object> svc = manifests.get("Service", "tandem-" + service);
            assertThat(podLabels).containsAllEntriesOf(map(svc, "spec.selector"));
            assertThat(podLabels).containsAllEntriesOf(map(deployment, "spec.selector.matchLabels"));
            assertThat(list(map(svc, "spec"), "ports")).singleElement()
                    .satisfies(port -> assertThat(port).containsEntry("port", 80).containsEntry("targetPort", "http"));
        }
    }

    @Test
    void tracingAndJsonLogsAreOffByDefault() {
        for (String service : DeploymentChecks.SERVICES) {
            assertThat(DeploymentChecks.env(manifests.get("Deployment", "tandem-" + service)))
                    .as(service).doesNotContainKeys("OTEL_SDK_DISABLED", "OTEL_EXPORTER_OTLP_ENDPOINT",
                            "QUARKUS_LOG_CONSOLE_JSON");
        }
    }

    @Test
    void imagesAreNamedAsJibNamesThemTaggedWithTheAppVersion() {
        for (String service : DeploymentChecks.SERVICES) {
            assertThat(DeploymentChecks.image(manifests.get("Deployment", "tandem-" + service)))
                    .isEqualTo("docker.io/tandem/" + service + ":0.1.0-SNAPSHOT");
        }
    }

    @Test
    void ingressRoutesThePublicPathsAndNothingElse() {
        Map<String, Object> ingress = manifests.get("Ingress", "tandem");
        Map<String, Object> rule = list(map(ingress, "spec"), "rules").get(0);

        assertThat(rule).containsEntry("host", "tandem.example.com");
        assertThat(routes(rule)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "/webhooks/gitlab", "tandem-webhook-ingest",
                "/api/v1/audit", "tandem-result-publisher",
                "/api/v1", "tandem-trigger-matcher",
                "/.well-known/jwks.json", "tandem-identity-service"));
        assertThat(map(ingress, "spec")).containsEntry("ingressClassName", "nginx");
    }

    @Test
    void gitlabProxyHasItsOwnHostServingGitlabPathsFromIdentityService() {
        Map<String, Object> proxy = manifests.get("Ingress", "tandem-gitlab-proxy");
        Map<String, Object> rule = list(map(proxy, "spec"), "rules").get(0);

        assertThat(rule).containsEntry("host", "gitlab-proxy.example.com");
        Map<String, String> routes = routes(rule);
        assertThat(routes.values()).containsOnly("tandem-identity-service");
        assertThat(routes).containsKey("/api/v4");
        // ingress-nginx matches these paths as case-insensitive regular expressions anchored at the start.
        List<Pattern> paths = routes.keySet().stream().map(p -> Pattern.compile("^" + p, Pattern.CASE_INSENSITIVE)).toList();
        assertThat(paths).anyMatch(p -> p.matcher("/group/sub/project.git/info/refs").find());
        assertThat(paths).anyMatch(p -> p.matcher("/group/project.git/git-receive-pack").find());
        assertThat(paths).anyMatch(p -> p.matcher("/api/v4/projects/42/issues").find());
        assertThat(paths).noneMatch(p -> p.matcher("/internal/v1/service-accounts").find());
        assertThat(paths).noneMatch(p -> p.matcher("/q/metrics").find());
        // Clones of hundreds of megabytes stream through: no body limit, no buffering.
        assertThat(map(proxy, "metadata.annotations"))
                .containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "0")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-request-buffering", "off");
    }

    @Test
    void aiGatewayServesItsTwoDoorsOnTheMainHostWithoutBuffering() {
        Map<String, Object> gateway = manifests.get("Ingress", "tandem-ai-gateway");
        Map<String, Object> rule = list(map(gateway, "spec"), "rules").get(0);

        assertThat(rule).containsEntry("host", "tandem.example.com");
        assertThat(routes(rule)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "/ai/v1/proxy/anthropic", "tandem-ai-gateway",
                "/ai/v1/proxy/openai/v1", "tandem-ai-gateway"));
        // Server-sent events must reach the agent as they come.
        assertThat(map(gateway, "metadata.annotations"))
                .containsEntry("nginx.ingress.kubernetes.io/proxy-buffering", "off")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-request-buffering", "off");
        assertThat(DeploymentChecks.env(manifests.get("Deployment", "tandem-ai-gateway")).get("IDENTITY_SERVICE_URL"))
                .containsEntry("value", "http://tandem-identity-service:80");
        // pipeline-launcher asks the gateway about budgets inside the cluster...
        assertThat(DeploymentChecks.env(manifests.get("Deployment", "tandem-pipeline-launcher")).get("AI_GATEWAY_URL"))
                .containsEntry("value", "http://tandem-ai-gateway:80");
        // ...and tells the runs the public host, where the doors are.
        assertThat(DeploymentChecks.env(manifests.get("Deployment", "tandem-pipeline-launcher")).get("TANDEM_AI_GATEWAY_URL"))
                .containsEntry("value", "http://tandem.example.com");
    }

    @Test
    void providerKeysAreOptionalSecretsOnlyTheGatewayReads() {
        Map<String, Object> values = new LinkedHashMap<>(Chart.secretValues("keys"));
        values.put("anthropicApiKey", "sk-ant-keys-Zq7");
        Manifests withKeys = Chart.render(Chart.valuesFile(tmp, Map.of("secrets", values)));

        assertThat(SecretChecks.decoded(withKeys.get("Secret", "tandem-secrets")))
                .containsEntry("anthropic-api-key", "sk-ant-keys-Zq7").doesNotContainKey("openai-api-key");
        Map<String, Map<String, Object>> env = DeploymentChecks.env(withKeys.get("Deployment", "tandem-ai-gateway"));
        assertThat(map(env.get("TANDEM_OPENAI_API_KEY"), "valueFrom.secretKeyRef"))
                .containsEntry("key", "openai-api-key").containsEntry("optional", true);
        for (String service : DeploymentChecks.SERVICES) {
            if (!service.equals("ai-gateway")) {
                assertThat(DeploymentChecks.env(withKeys.get("Deployment", "tandem-" + service)))
                        .as(service).doesNotContainKeys("TANDEM_ANTHROPIC_API_KEY", "TANDEM_OPENAI_API_KEY");
            }
        }
        SecretChecks.assertNoValueInAnyDeployment(withKeys, List.of("sk-ant-keys-Zq7"));
    }

    @Test
    void webhookIngestAndTheProxyAutoscaleAndLeaveTheirReplicaCountToTheAutoscaler() {
        Map<String, String> targets = new LinkedHashMap<>();
        for (Map<String, Object> hpa : manifests.ofKind("HorizontalPodAutoscaler")) {
            assertThat(hpa.get("apiVersion")).isEqualTo("autoscaling/v2");
            Map<String, Object> spec = map(hpa, "spec");
            assertThat((Integer) spec.get("minReplicas")).isGreaterThanOrEqualTo(2).isLessThan((Integer) spec.get("maxReplicas"));
            targets.put(Manifests.name(hpa), (String) map(spec, "scaleTargetRef").get("name"));
        }

        assertThat(targets).containsExactlyInAnyOrderEntriesOf(Map.of(
                "tandem-webhook-ingest", "tandem-webhook-ingest",
                "tandem-identity-service", "tandem-identity-service",
                "tandem-ai-gateway", "tandem-ai-gateway"));
        assertThat(map(manifests.get("Deployment", "tandem-webhook-ingest"), "spec")).doesNotContainKey("replicas");
        assertThat(map(manifests.get("Deployment", "tandem-trigger-matcher"), "spec")).containsEntry("replicas", 1);
    }

    @Test
    void everyServiceHasADisruptionBudgetOverItsPods() {
        for (String service : DeploymentChecks.SERVICES) {
            Map<String, Object> pdb = manifests.get("PodDisruptionBudget", "tandem-" + service);
            assertThat(map(pdb, "spec")).containsEntry("maxUnavailable", 1);
            assertThat(map(manifests.get("Deployment", "tandem-" + service), "spec.template.metadata.labels"))
                    .containsAllEntriesOf(map(pdb, "spec.selector.matchLabels"));
        }
    }

    @Test
    void secretsReachTheServicesOnlyByReference() {
        Map<String, Object> secret = manifests.get("Secret", "tandem-secrets");
        Map<String, String> given = Chart.secretValues("default");

        SecretChecks.assertNoValueInAnyDeployment(manifests, given.values());
        assertThat(map(secret, "data")).containsOnlyKeys(SecretChecks.KEYS);
        assertThat(SecretChecks.decoded(secret)).containsValues(given.values().toArray(String[]::new));
        SecretChecks.assertSecretEnvByReference(manifests, "tandem-secrets");
    }

    @Test
    void aChangedSecretRollsThePods() {
        Map<String, String> changed = Chart.secretValues("default");
        changed.put("internalToken", "rotated-internal-token");
        Manifests rotated = Chart.render(Chart.valuesFile(tmp, Map.of("secrets", changed)));

        for (String service : DeploymentChecks.SERVICES) {
            Object before = map(manifests.get("Deployment", "tandem-" + service), "spec.template.metadata.annotations")
                    .get("checksum/secret");
            Object after = map(rotated.get("Deployment", "tandem-" + service), "spec.template.metadata.annotations")
                    .get("checksum/secret");
            assertThat(before).as(service).isNotNull().isNotEqualTo(after);
        }
    }

    @Test
    void refusesToRenderWhileASecretIsMissing() {
        Map<String, String> values = Chart.secretValues("partial");
        values.remove("encryptionKey");

        assertThatThrownBy(() -> Chart.render(Chart.valuesFile(tmp, Map.of("secrets", values))))
                .hasMessageContaining("secrets.encryptionKey is required");
    }

    @Test
    void schemaRefusesAMisspeltServiceAndAGitlabUrlWithoutScheme() {
        Path secrets = Chart.valuesFile(tmp, Chart.withSecrets("schema"));
        Path misspelt = Chart.valuesFile(tmp, Map.of("services", Map.of("webhook-ingester", Map.of("replicas", 3))));
        Path noScheme = Chart.valuesFile(tmp, Map.of("gitlab", Map.of("url", "gitlab.example.com")));

        assertThatThrownBy(() -> Chart.render(secrets, misspelt)).hasMessageContaining("webhook-ingester");
        assertThatThrownBy(() -> Chart.render(secrets, noScheme)).hasMessageContaining("url");
    }

    @Test
    void servicesFindIdentityServiceThroughItsClusterAddress() {
        for (String service : List.of("trigger-matcher", "pipeline-launcher", "result-publisher")) {
            assertThat(DeploymentChecks.env(manifests.get("Deployment", "tandem-" + service)).get("IDENTITY_SERVICE_URL"))
                    .containsEntry("value", "http://tandem-identity-service:80");
        }
        assertThat(DeploymentChecks.env(manifests.get("Deployment", "tandem-pipeline-launcher"))
                .get("TANDEM_LAUNCHER_GITLAB_PROXY_HOSTNAME")).containsEntry("value", "gitlab-proxy.example.com");
    }

    @Test
    void makesNoKafkaTopicsUnlessAsked() {
        assertThat(manifests.ofKind("KafkaTopic")).isEmpty();
    }

    /** path -> backend service name of one Ingress rule. */
    static Map<String, String> routes(Map<String, Object> rule) {
        Map<String, String> routes = new LinkedHashMap<>();
        for (Map<String, Object> path : list(map(rule, "http"), "paths")) {
            routes.put((String) path.get("path"), (String) map(path, "backend.service").get("name"));
            assertThat(map(path, "backend.service.port")).containsEntry("number", 80);
        }
        return routes;
    }
}
