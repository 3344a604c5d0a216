import io.tandem.testsupport.FreePorts;
import io.tandem.testsupport.JavaProcess;
import io.tandem.testsupport.KafkaBroker;
import io.tandem.testsupport.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The whole system on free ports: a Kafka broker, PostgreSQL, the GitLab simulator and the five services, each
 * in its own JVM from its runner jar with the JVM options and environment bin/tandem gives it. The services
 * start one after the other, so that each one's start-up time is its own and not a share of a crowd's.
 */
final class BenchStack implements AutoCloseable {

    static final List<String> SERVICES = List.of("webhook-ingest", "trigger-matcher", "identity-service",
            "pipeline-launcher", "result-publisher");
    static final String ROOT_TOKEN = "sim-root-token";

    /**
     * As bin/tandem starts each service: the common options file and the service's own, if any, unless
     * {@code bench.service-jvm} names others.
     */
    static List<String> serviceJvm(Path root, String service) {
        String override = System.getProperty("bench.service-jvm", "").trim();
        if (!override.isEmpty()) {
            return List.of(override.split("\\s+"));
        }
        List<String> files = new ArrayList<>(List.of("@" + root.resolve("bin/jvm/services.options")));
        if (Files.exists(root.resolve("bin/jvm/" + service + ".options"))) {
            files.add("@" + root.resolve("bin/jvm/" + service + ".options"));
        }
        return files;
    }

    /** The options {@link #serviceJvm} gives each service, spelled out for the report. */
    static String describeServiceJvm(Path root) {
        List<String> described = new ArrayList<>();
        for (String service : SERVICES) {
            List<String> options = new ArrayList<>();
            for (String arg : serviceJvm(root, service)) {
                options.addAll(arg.startsWith("@") ? optionsIn(Path.of(arg.substring(1))) : List.of(arg));
            }
            described.add(service + ": " + String.join(" ", options));
        }
        return String.join("; ", described);
    }

    private static List<String> optionsIn(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    final String webhookSecret = "bench-webhook-secret";
    final Map<String, Integer> ports = new LinkedHashMap<>();
    final Map<String, JavaProcess> services = new LinkedHashMap<>();
    /** Milliseconds from starting the JVM to its first 200 on /q/health/ready. */
    final Map<String, Long> startupMillis = new LinkedHashMap<>();
    private final Path root;
    private final Path dir;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private KafkaBroker kafka;
    private PostgresServer postgres;
    private JavaProcess gitlab;
    private int gitlabPort;

    BenchStack(Path root, Path dir) {
        this.root = root;
        this.dir = dir;
    }

    BenchStack start() throws Exception {
        kafka = KafkaBroker.start(dir.resolve("kafka"), FreePorts.next());
        postgres = PostgresServer.start(dir.resolve("postgres"), FreePorts.next());
        startSimulator();
        SERVICES.forEach(s -> ports.put(s, FreePorts.next()));

        byte[] key = new byte[32];
        ThreadLocalRandom.current().nextBytes(key);
        env.put("MALLOC_ARENA_MAX", "2"); // as bin/tandem sets it
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("TANDEM_DB_HOST", "127.0.0.1");
        env.put("TANDEM_DB_PORT", Integer.toString(postgres.port()));
        env.put("GITLAB_URL", gitlabUrl());
        env.put("TANDEM_GITLAB_TOKEN", ROOT_TOKEN);
        env.put("TANDEM_WEBHOOK_SECRET", webhookSecret);
        env.put("TANDEM_INTERNAL_TOKEN", "bench-internal-token");
        env.put("TANDEM_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(key));
        env.put("IDENTITY_SERVICE_URL", url("identity-service"));
        env.put("WEBHOOK_INGEST_PORT", ports.get("webhook-ingest").toString());
        env.put("TRIGGER_MATCHER_PORT", ports.get("trigger-matcher").toString());
        env.put("IDENTITY_SERVICE_PORT", ports.get("identity-service").toString());
        env.put("PIPELINE_LAUNCHER_PORT", ports.get("pipeline-launcher").toString());
        env.put("RESULT_PUBLISHER_PORT", ports.get("result-publisher").toString());

        for (String service : SERVICES) {
            // a private copy: a build of the module during the run would delete the jars under the service
            Path app = copy(runnerJar(service).getParent(), dir.resolve(service + "/app"));
            long started = System.nanoTime();
            JavaProcess process = JavaProcess.start(service, serviceJvm(root, service),
                    List.of("-Dquarkus.http.host=127.0.0.1", "-jar", app.resolve("quarkus-run.jar").toString()), env,
                    dir.resolve("logs").resolve(service + ".log"));
            services.put(service, process);
            awaitReady(process, url(service) + "/q/health/ready", Duration.ofMinutes(3));
            startupMillis.put(service, (System.nanoTime() - started) / 1_000_000);
            System.out.printf("%s ready in %d ms (pid %d)%n", service, startupMillis.get(service), process.pid());
        }
        return this;
    }

    /**
     * The simulator from a private copy of its build (a rebuild of gitlab-sim must not pull it from under a
     * run), with a larger heap than bin/tandem's: it keeps every webhook delivery it sent, and a run sends tens
     * of thousands. It is the stand-in for GitLab, not a subject of the benchmark.
     */
    private void startSimulator() throws IOException {
        gitlabPort = FreePorts.next();
        Path app = copy(runnerJar("gitlab-sim").getParent(), dir.resolve("gitlab-sim/app"));
        gitlab = JavaProcess.start("gitlab-sim", List.of("-Xmx1g", "-XX:+UseSerialGC",
                        "-Dquarkus.http.port=" + gitlabPort, "-Dquarkus.http.host=127.0.0.1",
                        "-Dtandem.sim.data-dir=" + dir.resolve("gitlab-sim/data"),
                        "-Dtandem.sim.root-token=" + ROOT_TOKEN,
                        // as GitLab's many Sidekiq workers: threads in parallel, each in order (Tandem orders
                        // by thread through its Kafka keys)
                        "-Dtandem.sim.webhook.ordering=thread"),
                List.of("-jar", app.resolve("quarkus-run.jar").toString()), Map.of(),
                dir.resolve("logs/gitlab-sim.log"));
        awaitReady(gitlab, gitlabUrl() + "/q/health/ready", Duration.ofMinutes(2));
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    private Path runnerJar(String module) {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the modules first "
                    + "(./mvnw -B -o package -DskipTests)");
        }
        return jar;
    }

    /** Polls every 20 ms, so that a start-up time is accurate to about that. */
    private void awaitReady(JavaProcess process, String url, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(process.name() + " exited while starting:\n" + process.tail());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(process.name() + " not ready after " + timeout + ":\n" + process.tail());
    }

    String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    String gitlabUrl() {
        return "http://127.0.0.1:" + gitlabPort;
    }

    /** Resident memory of each service now, in MiB. */
    Map<String, Double> rss() {
        Map<String, Double> rss = new LinkedHashMap<>();
        services.forEach((name, process) -> rss.put(name, BenchMachine.rssMiB(process.pid())));
        return rss;
    }

    Path dir() {
        return dir;
    }

    /** Counts the CPU time of the five services, the broker, the simulator, PostgreSQL and this benchmark. */
    CpuAccount cpuAccount() throws IOException {
        long postmaster = Long.parseLong(Files.readAllLines(dir.resolve("postgres/postmaster.pid")).get(0).trim());
        return new CpuAccount(() -> {
            Map<String, Long> pids = new LinkedHashMap<>();
            services.forEach((name, process) -> pids.put(name, process.pid()));
            pids.put("Kafka", kafka.process().pid());
            pids.put("simulator", gitlab.pid());
            pids.put("benchmark", ProcessHandle.current().pid());
            return pids;
        }, postmaster);
    }

    @Override
    public void close() {
        services.values().forEach(JavaProcess::stop);
        if (gitlab != null) {
            gitlab.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
