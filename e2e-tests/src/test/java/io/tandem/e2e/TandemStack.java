package io.tandem.e2e;

import io.tandem.testsupport.FreePorts;
import io.tandem.testsupport.GitlabSimulator;
import io.tandem.testsupport.JavaProcess;
import io.tandem.testsupport.KafkaBroker;
import io.tandem.testsupport.PostgresServer;
import io.tandem.testsupport.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The whole system as production runs it, on free ports: a Kafka broker, a PostgreSQL server, the GitLab
 * simulator and the six services, each in its own JVM from its runner jar, configured by the same
 * environment variables {@code bin/tandem} sets. ai-gateway forwards to a {@link StandInProvider} with fake
 * organisation keys.
 */
final class TandemStack implements AutoCloseable {

    static final List<String> SERVICES = List.of("webhook-ingest", "trigger-matcher", "identity-service",
            "pipeline-launcher", "result-publisher", "ai-gateway");

    /** The organisation's provider keys: fake, recognisable, and known only to ai-gateway. */
    static final String ANTHROPIC_ORG_KEY = "sk-ant-api03-e2e-fake-org-key-anthropic";
    static final String OPENAI_ORG_KEY = "sk-proj-e2e-fake-org-key-openai";

    final String webhookSecret = "e2e-webhook-secret";
    final String internalToken = "e2e-internal-token";
    /** AES key for the secrets identity-service keeps, new for every stack. */
    String encryptionKey;
    /** By service or replica name; concurrent: test classes run side by side, and some start or kill services. */
    final Map<String, Integer> ports = new ConcurrentHashMap<>();
    final Map<String, JavaProcess> services = new ConcurrentHashMap<>();
    private final Path dir;
    private final Map<String, String> env = new LinkedHashMap<>();
    KafkaBroker kafka;
    PostgresServer postgres;
    GitlabSimulator gitlab;
    /** Anthropic as ai-gateway sees it. */
    StandInProvider provider;
    /** The gateway tokens of the managed runs the classes played: secrets the leak search looks for. */
    final Queue<String> runGatewayTokens = new ConcurrentLinkedQueue<>();

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

    /**
     * The broker, the database and the simulator start side by side; the services start as soon as the broker
     * and the database are up (they do not call GitLab before a request asks them to).
     */
    TandemStack start() {
        int kafkaPort = FreePorts.next();
        int postgresPort = FreePorts.next();
        int gitlabPort = FreePorts.next();
        // a thread each: the common pool may have a single thread on a small machine
        ExecutorService starter = Executors.newFixedThreadPool(3);
        CompletableFuture<KafkaBroker> kafkaStarting = CompletableFuture
                .supplyAsync(() -> KafkaBroker.start(dir.resolve("kafka"), kafkaPort), starter);
        CompletableFuture<PostgresServer> postgresStarting = CompletableFuture
                .supplyAsync(() -> PostgresServer.start(dir.resolve("postgres"), postgresPort), starter);
        CompletableFuture<GitlabSimulator> gitlabStarting = CompletableFuture
                .supplyAsync(() -> GitlabSimulator.start(dir.resolve("gitlab-sim"), gitlabPort), starter);
        starter.shutdown();
        SERVICES.forEach(s -> ports.put(s, FreePorts.next()));
        provider = StandInProvider.start();

        byte[] key = new byte[32];
        ThreadLocalRandom.current().nextBytes(key);
        encryptionKey = Base64.getEncoder().encodeToString(key);
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafkaPort);
        env.put("TANDEM_DB_HOST", "127.0.0.1");
        env.put("TANDEM_DB_PORT", Integer.toString(postgresPort));
        env.put("GITLAB_URL", "http://127.0.0.1:" + gitlabPort);
        env.put("TANDEM_GITLAB_TOKEN", GitlabSimulator.ROOT_TOKEN);
        env.put("TANDEM_WEBHOOK_SECRET", webhookSecret);
        env.put("TANDEM_INTERNAL_TOKEN", internalToken);
        env.put("TANDEM_ENCRYPTION_KEY", encryptionKey);
        env.put("IDENTITY_SERVICE_URL", url("identity-service"));
        // AI_FLOW_GITLAB_HOSTNAME: where a run reaches GitLab, identity-service's proxy
        env.put("TANDEM_LAUNCHER_GITLAB_PROXY_HOSTNAME", "127.0.0.1:" + ports.get("identity-service"));
        env.put("WEBHOOK_INGEST_PORT", ports.get("webhook-ingest").toString());
        env.put("TRIGGER_MATCHER_PORT", ports.get("trigger-matcher").toString());
        env.put("IDENTITY_SERVICE_PORT", ports.get("identity-service").toString());
        env.put("PIPELINE_LAUNCHER_PORT", ports.get("pipeline-launcher").toString());
        env.put("RESULT_PUBLISHER_PORT", ports.get("result-publisher").toString());
        env.put("AI_GATEWAY_PORT", ports.get("ai-gateway").toString());
        // where runs reach the gateway (a pipeline variable), and where pipeline-launcher asks it about budgets
        env.put("TANDEM_AI_GATEWAY_URL", url("ai-gateway"));
        env.put("AI_GATEWAY_URL", url("ai-gateway"));
        env.put("TANDEM_ANTHROPIC_URL", provider.url());
        env.put("TANDEM_ANTHROPIC_API_KEY", ANTHROPIC_ORG_KEY);
        // the stand-in plays Anthropic only: an OpenAI call reaches it and gets a 404
        env.put("TANDEM_OPENAI_URL", provider.url() + "/v1");
        env.put("TANDEM_OPENAI_API_KEY", OPENAI_ORG_KEY);

        try {
            kafka = kafkaStarting.join();
            postgres = postgresStarting.join();
            SERVICES.forEach(this::startService);
            gitlab = gitlabStarting.join();
        } catch (CompletionException e) {
            // what did start is stopped by close(); a server still starting dies with this JVM
            kafka = kafkaStarting.getNow(null);
            postgres = postgresStarting.getNow(null);
            gitlab = gitlabStarting.getNow(null);
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
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
    synchronized String startReplica(String service) {
        String name = service + "-" + (services.keySet().stream().filter(n -> n.startsWith(service)).count() + 1);
        int port = FreePorts.next();
        ports.put(name, port);
        Map<String, String> replicaEnv = new LinkedHashMap<>(env);
        replicaEnv.put(service.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_PORT", Integer.toString(port));
        services.put(name, JavaProcess.startQuarkusApp(name, Workspace.runnerJar(service),
                Map.of("quarkus.http.host", "127.0.0.1"), replicaEnv, dir.resolve("logs").resolve(name + ".log")));
        return name;
    }

    /** Stops replicas gracefully and side by side, as a scale-down would: each leaves its consumer groups at once. */
    void stopReplicas(List<String> names) {
        CompletableFuture.allOf(names.stream().map(name -> CompletableFuture.runAsync(() -> {
            services.remove(name).stop();
            ports.remove(name);
        }, runnable -> new Thread(runnable, "stop-" + name).start())).toArray(CompletableFuture[]::new)).join();
    }

    /** The log file of every service instance this stack ever ran (replicas and restarts included). */
    List<Path> serviceLogFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("logs"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
        }
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
        if (provider != null) {
            provider.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
