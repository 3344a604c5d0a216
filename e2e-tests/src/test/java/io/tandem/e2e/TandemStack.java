package io.tandem.e2e;

import io.tandem.testsupport.FreePorts;
import io.tandem.testsupport.GitlabSimulator;
import io.tandem.testsupport.JavaProcess;
import io.tandem.testsupport.KafkaBroker;
import io.tandem.testsupport.PostgresServer;
import io.tandem.testsupport.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The whole system as production runs it, on free ports: a Kafka broker, a PostgreSQL server, the GitLab
 * simulator and the five services, each in its own JVM from its runner jar, configured by the same
 * environment variables {@code bin/tandem} sets.
 */
final class TandemStack implements AutoCloseable {

    static final List<String> SERVICES = List.of("webhook-ingest", "trigger-matcher", "identity-service",
            "pipeline-launcher", "result-publisher");

    final String webhookSecret = "e2e-webhook-secret";
    final Map<String, Integer> ports = new LinkedHashMap<>();
    final Map<String, JavaProcess> services = new LinkedHashMap<>();
    private final Path dir;
    private final Map<String, String> env = new LinkedHashMap<>();
    KafkaBroker kafka;
    PostgresServer postgres;
    GitlabSimulator gitlab;

    private static TandemStack shared;

    /**
     * One stack for every test class of the run: starting it costs most of a minute, and each class seeds a
     * group and projects of its own, so classes do not see each other's threads. Stopped when the JVM exits.
     */
    static synchronized TandemStack shared() throws Exception {
        if (shared == null) {
            TandemStack stack = new TandemStack();
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "tandem-stack-stop"));
            shared = stack.start();
        }
        return shared;
    }

    TandemStack() throws Exception {
        this.dir = Files.createTempDirectory("tandem-e2e");
    }

    TandemStack start() {
        kafka = KafkaBroker.start(dir.resolve("kafka"), FreePorts.next());
        postgres = PostgresServer.start(dir.resolve("postgres"), FreePorts.next());
        gitlab = GitlabSimulator.start(dir.resolve("gitlab-sim"), FreePorts.next());
        SERVICES.forEach(s -> ports.put(s, FreePorts.next()));

        byte[] key = new byte[32];
        ThreadLocalRandom.current().nextBytes(key);
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("TANDEM_DB_HOST", "127.0.0.1");
        env.put("TANDEM_DB_PORT", Integer.toString(postgres.port()));
        env.put("GITLAB_URL", gitlab.url());
        env.put("TANDEM_GITLAB_TOKEN", GitlabSimulator.ROOT_TOKEN);
        env.put("TANDEM_WEBHOOK_SECRET", webhookSecret);
        env.put("TANDEM_INTERNAL_TOKEN", "e2e-internal-token");
        env.put("TANDEM_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(key));
        env.put("IDENTITY_SERVICE_URL", url("identity-service"));
        // AI_FLOW_GITLAB_HOSTNAME: where a run reaches GitLab, identity-service's proxy
        env.put("TANDEM_LAUNCHER_GITLAB_PROXY_HOSTNAME", "127.0.0.1:" + ports.get("identity-service"));
        env.put("WEBHOOK_INGEST_PORT", ports.get("webhook-ingest").toString());
        env.put("TRIGGER_MATCHER_PORT", ports.get("trigger-matcher").toString());
        env.put("IDENTITY_SERVICE_PORT", ports.get("identity-service").toString());
        env.put("PIPELINE_LAUNCHER_PORT", ports.get("pipeline-launcher").toString());
        env.put("RESULT_PUBLISHER_PORT", ports.get("result-publisher").toString());

        SERVICES.forEach(this::startService);
        SERVICES.forEach(this::awaitReady);
        return this;
    }

    void startService(String service) {
        services.put(service, JavaProcess.startQuarkusApp(service, Workspace.runnerJar(service),
                Map.of("quarkus.http.host", "127.0.0.1"), env, dir.resolve("logs").resolve(service + ".log")));
    }

    void awaitReady(String service) {
        services.get(service).awaitHttpOk(url(service) + "/q/health/ready", Duration.ofMinutes(3));
    }

    /** SIGKILL a service, as a crashed pod, and start it again on the same port and data. */
    void killAndRestart(String service) {
        services.get(service).kill();
        startService(service);
        awaitReady(service);
    }

    /**
     * Another instance of a service, as a second replica: same broker, database and consumer group, its own
     * port. Named {@code <service>-2}, {@code -3}, ...; {@link #url(String)} and {@link #awaitReady(String)}
     * take that name. Returns once the process runs: await its readiness (replicas start side by side).
     */
    String startReplica(String service) {
        String name = service + "-" + (services.keySet().stream().filter(n -> n.startsWith(service)).count() + 1);
        int port = FreePorts.next();
        ports.put(name, port);
        Map<String, String> replicaEnv = new LinkedHashMap<>(env);
        replicaEnv.put(service.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_PORT", Integer.toString(port));
        services.put(name, JavaProcess.startQuarkusApp(name, Workspace.runnerJar(service),
                Map.of("quarkus.http.host", "127.0.0.1"), replicaEnv, dir.resolve("logs").resolve(name + ".log")));
        return name;
    }

    /** Stops a replica gracefully, as a scale-down would: it leaves its consumer groups at once. */
    void stopReplica(String name) {
        services.remove(name).stop();
        ports.remove(name);
    }

    String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    String logs() {
        List<String> tails = new ArrayList<>();
        services.forEach((name, p) -> tails.add("===== " + name + " =====\n" + p.tail()));
        return String.join("\n", tails);
    }

    @Override
    public void close() {
        services.values().forEach(JavaProcess::stop);
        if (gitlab != null) {
            gitlab.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
