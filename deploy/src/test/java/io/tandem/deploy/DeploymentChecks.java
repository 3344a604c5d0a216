package io.tandem.deploy;

import java.util.List;
import java.util.Map;

import static io.tandem.deploy.Manifests.list;
import static io.tandem.deploy.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;

/** What every rendered Deployment must be, whatever the values: probed, bounded, non-root and read-only. */
final class DeploymentChecks {

    static final List<String> SERVICES =
            List.of("webhook-ingest", "trigger-matcher", "identity-service", "pipeline-launcher", "result-publisher",
                    "ai-gateway");

    private DeploymentChecks() {
    }

    static void assertHardened(Map<String, Object> deployment) {
        String name = Manifests.name(deployment);
        Map<String, Object> pod = map(deployment, "spec.template.spec");
        List<Map<String, Object>> containers = list(pod, "containers");
        assertThat(containers).as(name + " containers").hasSize(1);
        Map<String, Object> container = containers.get(0);

        assertThat(map(container, "livenessProbe.httpGet").get("path")).as(name + " liveness").isEqualTo("/q/health/live");
        assertThat(map(container, "readinessProbe.httpGet").get("path")).as(name + " readiness").isEqualTo("/q/health/ready");
        assertThat(map(container, "livenessProbe.httpGet").get("port")).isEqualTo("http");
        assertThat(list(container, "ports")).singleElement()
                .satisfies(port -> assertThat(port).containsEntry("name", "http").containsEntry("containerPort", 8080));

        assertThat(map(container, "resources.requests")).as(name + " requests").containsKeys("cpu", "memory");
        assertThat(map(container, "resources.limits")).as(name + " limits").containsKeys("cpu", "memory");

        assertThat(map(pod, "securityContext")).as(name + " pod securityContext").containsEntry("runAsNonRoot", true);
        Map<String, Object> security = map(container, "securityContext");
        assertThat(security).as(name + " container securityContext")
                .containsEntry("runAsNonRoot", true)
                .containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false);
        assertThat(map(security, "capabilities").get("drop")).asList().contains("ALL");

        // A read-only root needs a writable /tmp, and it must be an emptyDir, not a host path.
        assertThat(list(container, "volumeMounts"))
                .anySatisfy(mount -> assertThat(mount).containsEntry("name", "tmp").containsEntry("mountPath", "/tmp"));
        assertThat(list(pod, "volumes"))
                .anySatisfy(volume -> assertThat(volume).containsEntry("name", "tmp").containsKey("emptyDir"));
        assertThat(pod).containsEntry("automountServiceAccountToken", false);
    }

    /** The container's environment as name -> entry ({@code value} or {@code valueFrom}). */
    static Map<String, Map<String, Object>> env(Map<String, Object> deployment) {
        Map<String, Object> container = list(map(deployment, "spec.template.spec"), "containers").get(0);
        Map<String, Map<String, Object>> env = new java.util.LinkedHashMap<>();
        for (Map<String, Object> entry : list(container, "env")) {
            env.put((String) entry.get("name"), entry);
        }
        return env;
    }

    static String image(Map<String, Object> deployment) {
        return (String) list(map(deployment, "spec.template.spec"), "containers").get(0).get("image");
    }
}
