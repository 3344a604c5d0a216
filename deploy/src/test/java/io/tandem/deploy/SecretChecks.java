package io.tandem.deploy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.tandem.deploy.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;

/** Secrets reach a pod only through a secretKeyRef: never as a literal in a Deployment. */
final class SecretChecks {

    static final List<String> KEYS = List.of("webhook-secret", "gitlab-token", "internal-token", "encryption-key", "db-password");

    /** The variables the services read secrets from, and the Secret key each comes from. */
    static final Map<String, String> SECRET_ENV = Map.of(
            "TANDEM_WEBHOOK_SECRET", "webhook-secret",
            "TANDEM_GITLAB_TOKEN", "gitlab-token",
            "TANDEM_INTERNAL_TOKEN", "internal-token",
            "TANDEM_ENCRYPTION_KEY", "encryption-key",
            "TANDEM_DB_PASSWORD", "db-password",
            "TANDEM_ANTHROPIC_API_KEY", "anthropic-api-key",
            "TANDEM_OPENAI_API_KEY", "openai-api-key");

    private SecretChecks() {
    }

    static void assertNoValueInAnyDeployment(Manifests manifests, Collection<String> secretValues) {
        for (Map<String, Object> deployment : manifests.ofKind("Deployment")) {
            String text = Yaml.parser().dump(deployment);
            for (String value : secretValues) {
                String base64 = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
                assertThat(text).as(Manifests.name(deployment)).doesNotContain(value).doesNotContain(base64);
            }
        }
    }

    static void assertSecretEnvByReference(Manifests manifests, String secretName) {
        int references = 0;
        for (Map<String, Object> deployment : manifests.ofKind("Deployment")) {
            for (Map.Entry<String, Map<String, Object>> env : DeploymentChecks.env(deployment).entrySet()) {
                String key = SECRET_ENV.get(env.getKey());
                if (key == null) {
                    continue;
                }
                assertThat(env.getValue()).as(Manifests.name(deployment) + " " + env.getKey()).doesNotContainKey("value");
                assertThat(map(env.getValue(), "valueFrom.secretKeyRef"))
                        .containsEntry("name", secretName).containsEntry("key", key);
                references++;
            }
        }
        // webhook-ingest 1, identity-service 4, three others 3 each, ai-gateway 5 (two of them optional).
        assertThat(references).isEqualTo(19);
    }

    static Map<String, String> decoded(Map<String, Object> secret) {
        Map<String, String> decoded = new LinkedHashMap<>();
        map(secret, "data").forEach((key, value) ->
                decoded.put(key, new String(Base64.getDecoder().decode((String) value), StandardCharsets.UTF_8)));
        return decoded;
    }
}
