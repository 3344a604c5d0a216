import io.tandem.testsupport.FreePorts;
import io.tandem.testsupport.JavaProcess;
import io.tandem.testsupport.KafkaBroker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Intake benchmark: webhooks per second and p50/p99 latency of one webhook-ingest instance on a real broker, at
 * rising concurrency, side by side with this machine's ceilings measured in the same run: a do-nothing HTTP
 * server that answers 202 (Vert.x, the same HTTP stack as Quarkus), and the Kafka producer alone doing the two
 * acknowledged writes webhook-ingest does per webhook. Run by bench/intake/run.sh; see bench/intake/README.md.
 *
 * Each load level is a closed loop: {@code c} clients, each sending its next request when the previous answered.
 */
public class IntakeBenchmark {

    private static final String SECRET = "bench-webhook-secret";

    /**
     * One target at one level. The CPU figures are microseconds of CPU (user + system, from /proc) per counted
     * operation over the measured window: of the server (NaN for the producer alone, which has none), the broker
     * and this JVM (the load generator, and for the producer alone the producer too).
     */
    record Result(String target, int concurrency, double perSecond, double p50Ms, double p99Ms, long errors,
            double serverCpuUs, double brokerCpuUs, double clientCpuUs) {
    }

    /** The processes whose CPU time a level counts; {@code server} is -1 when there is none. */
    record Processes(long server, long broker) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("noop-server")) {
            noopServer(Integer.parseInt(args[1]));
            return;
        }
        Path root = Paths.get(System.getProperty("tandem.root", ".")).toAbsolutePath().normalize();
        int[] levels = Arrays.stream(System.getProperty("bench.levels", "1,4,16,64").split(","))
                .mapToInt(Integer::parseInt).toArray();
        Duration warmup = Duration.ofSeconds(Long.getLong("bench.warmup", 5));
        Duration measure = Duration.ofSeconds(Long.getLong("bench.seconds", 15));
        // HotSpot's C2 keeps compiling the hot paths of a Quarkus service for tens of seconds (seen: 25
        // compilations taking 6.4 s of CPU in a 15 s window, 25 s after the start): once, before the first level,
        // every target runs uncounted at the highest concurrency, so the levels measure compiled code
        Duration jitWarmup = Duration.ofSeconds(Long.getLong("bench.jit-warmup", 30));
        Path work = Files.createTempDirectory("tandem-intake-bench");
        byte[] payload = Files.readAllBytes(
                root.resolve("webhook-ingest/src/test/resources/gitlab-payloads/note-issue-event.json"));
        String load = loadAverage();

        List<Result> results = new ArrayList<>();
        try (KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"), FreePorts.next())) {
            int ingestPort = FreePorts.next();
            int noopPort = FreePorts.next();
            List<String> jvm = List.of("-Xmx256m");
            try (JavaProcess ingest = JavaProcess.start("webhook-ingest", jvm, List.of("-Dquarkus.http.port=" + ingestPort,
                    "-Dkafka.bootstrap.servers=" + broker.bootstrapServers(),
                    "-jar", root.resolve("webhook-ingest/target/quarkus-app/quarkus-run.jar").toString()),
                    Map.of("TANDEM_WEBHOOK_SECRET", SECRET), work.resolve("webhook-ingest.log"));
                    JavaProcess noop = JavaProcess.start("noop-server", List.of("-Xmx256m", "-cp",
                            System.getProperty("java.class.path")),
                            List.of(System.getProperty("bench.source"), "noop-server", Integer.toString(noopPort)),
                            Map.of(), work.resolve("noop.log"))) {
                ingest.awaitHttpOk("http://127.0.0.1:" + ingestPort + "/q/health/ready", Duration.ofMinutes(3));
                noop.awaitLog("listening", Duration.ofMinutes(2));
                Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
                Processes atIngest = new Processes(ingest.pid(), broker.process().pid());
                Processes atNoop = new Processes(noop.pid(), broker.process().pid());
                Processes atProducer = new Processes(-1, broker.process().pid());
                try (KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
                    if (!jitWarmup.isZero()) {
                        int top = Arrays.stream(levels).max().orElseThrow();
                        Duration rest = Duration.ofSeconds(1);
                        System.out.println("JIT warm-up, not counted:");
                        http(vertx, "webhook-ingest", ingestPort, top, payload, jitWarmup, rest, atIngest);
                        http(vertx, "do-nothing 202 server", noopPort, top, payload, jitWarmup, rest, atNoop);
                        kafka(producer, top, payload, jitWarmup, rest, atProducer);
                    }
                    for (int c : levels) {
                        results.add(http(vertx, "webhook-ingest", ingestPort, c, payload, warmup, measure, atIngest));
                        results.add(http(vertx, "do-nothing 202 server", noopPort, c, payload, warmup, measure,
                                atNoop));
                        results.add(kafka(producer, c, payload, warmup, measure, atProducer));
                    }
                } finally {
                    vertx.close().toCompletionStage().toCompletableFuture().get();
                }
            }
        }
        String report = report(results, levels, jitWarmup, warmup, measure, load);
        System.out.println(report);
        Path out = root.resolve(System.getProperty("bench.out", "docs/benchmarks.md"));
        writeSection(out, report);
        System.out.println("written to " + out + "; logs in " + work);
    }

    /** The ceiling of an HTTP server on this machine: reads the body, answers 202, does nothing else. */
    static void noopServer(int port) throws Exception {
        Vertx vertx = Vertx.vertx();
        vertx.createHttpServer()
                .requestHandler(request -> request.body().onComplete(body -> request.response().setStatusCode(202)
                        .putHeader("content-type", "application/json").end("{\"status\":\"accepted\"}")))
                .listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        System.out.println("listening on " + port);
    }

    /** The same producer settings as webhook-ingest's application.properties, and the same variables. */
    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        config.put(ProducerConfig.LINGER_MS_CONFIG, System.getenv().getOrDefault("TANDEM_KAFKA_LINGER_MS", "1"));
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG,
                System.getenv().getOrDefault("TANDEM_KAFKA_COMPRESSION", "lz4"));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(config);
    }

    static Result http(Vertx vertx, String target, int port, int concurrency, byte[] payload, Duration warmup,
            Duration measure, Processes processes) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(concurrency));
        Buffer body = Buffer.buffer(payload);
        try {
            return closedLoop(target, concurrency, warmup, measure, processes, () -> {
                RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
                        .setPort(port).setURI("/webhooks/gitlab")
                        .putHeader("Content-Type", "application/json")
                        .putHeader("X-Gitlab-Token", SECRET)
                        .putHeader("X-Gitlab-Event", "Note Hook")
                        .putHeader("Idempotency-Key", UUID.randomUUID().toString());
                CompletableFuture<Boolean> done = new CompletableFuture<>();
                // Requests are created on the client's event loop, like a real asynchronous client would.
                vertx.runOnContext(ignored -> client.request(options)
                        .compose(request -> request.send(body))
                        .compose(response -> response.body().map(b -> response.statusCode() == 202))
                        .onComplete(result -> done.complete(result.succeeded() && result.result())));
                return done;
            });
        } finally {
            client.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    /** One operation = the record and its audit event, both acknowledged, as webhook-ingest does per webhook. */
    static Result kafka(KafkaProducer<String, byte[]> producer, int concurrency, byte[] payload, Duration warmup,
            Duration measure, Processes processes) throws Exception {
        return closedLoop("Kafka producer alone", concurrency, warmup, measure, processes, () -> {
            String key = "5/Issue/" + (System.nanoTime() % 1000);
            CompletableFuture<Boolean> record = new CompletableFuture<>();
            CompletableFuture<Boolean> audit = new CompletableFuture<>();
            producer.send(new ProducerRecord<>("bench.notes", key, payload),
                    (metadata, error) -> record.complete(error == null));
            producer.send(new ProducerRecord<>("bench.audit", "5", Arrays.copyOf(payload, 600)),
                    (metadata, error) -> audit.complete(error == null));
            return record.thenCombine(audit, Boolean::logicalAnd);
        });
    }

    /** {@code concurrency} clients in a closed loop; only operations started after the warm-up are counted. */
    static Result closedLoop(String target, int concurrency, Duration warmup, Duration measure, Processes processes,
            Supplier<CompletableFuture<Boolean>> operation) throws Exception {
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        CompletableFuture<long[]> cpuAtStart = CompletableFuture.supplyAsync(() -> cpuTicks(processes),
                CompletableFuture.delayedExecutor(warmup.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong errors = new AtomicLong();
        long[][] latencies = new long[concurrency][];
        int[] counts = new int[concurrency];
        CompletableFuture<?>[] clients = new CompletableFuture<?>[concurrency];
        for (int i = 0; i < concurrency; i++) {
            int client = i;
            latencies[i] = new long[1 << 16];
            CompletableFuture<Void> finished = new CompletableFuture<>();
            clients[i] = finished;
            Runnable[] next = new Runnable[1];
            next[0] = () -> {
                long sent = System.nanoTime();
                if (sent >= end || !running.get()) {
                    finished.complete(null);
                    return;
                }
                operation.get().whenComplete((ok, failure) -> {
                    long took = System.nanoTime() - sent;
                    if (sent >= measureFrom) {
                        if (ok != null && ok) {
                            if (counts[client] == latencies[client].length) {
                                latencies[client] = Arrays.copyOf(latencies[client], counts[client] * 2);
                            }
                            latencies[client][counts[client]++] = took;
                        } else {
                            errors.incrementAndGet();
                        }
                    }
                    next[0].run();
                });
            };
            next[0].run();
        }
        CompletableFuture.allOf(clients).get();
        long[] cpuAtEnd = cpuTicks(processes);
        running.set(false);
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int i = 0; i < concurrency; i++) {
            System.arraycopy(latencies[i], 0, all, at, counts[i]);
            at += counts[i];
        }
        Arrays.sort(all);
        long[] cpuFrom = cpuAtStart.get();
        double[] cpuUs = new double[3];
        for (int i = 0; i < 3; i++) {
            cpuUs[i] = cpuFrom[i] < 0 || total == 0 ? Double.NaN
                    : (cpuAtEnd[i] - cpuFrom[i]) * MICROS_PER_TICK / total;
        }
        Result result = new Result(target, concurrency, total / (measure.toNanos() / 1e9), percentile(all, 0.50),
                percentile(all, 0.99), errors.get(), cpuUs[0], cpuUs[1], cpuUs[2]);
        System.out.printf(Locale.ROOT, "%-24s c=%-4d %9.0f/s p50 %7.2f ms p99 %7.2f ms errors %d, CPU us/op "
                        + "server %.0f broker %.0f client %.0f%n", target, concurrency, result.perSecond(),
                result.p50Ms(), result.p99Ms(), result.errors(), cpuUs[0], cpuUs[1], cpuUs[2]);
        return result;
    }

    /** USER_HZ: /proc reports CPU times in ticks of 10 ms on Linux. */
    private static final double MICROS_PER_TICK = 10_000;

    /** utime + stime of the server, the broker and this JVM, in ticks; -1 for a process that is not there. */
    static long[] cpuTicks(Processes processes) {
        return new long[] {cpuTicks(processes.server()), cpuTicks(processes.broker()),
                cpuTicks(ProcessHandle.current().pid())};
    }

    static long cpuTicks(long pid) {
        if (pid < 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
            // after the command name, which may hold spaces: fields 3 onwards of proc(5); utime and stime are 14, 15
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException e) {
            return -1;
        }
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    static String report(List<Result> results, int[] levels, Duration jitWarmup, Duration warmup, Duration measure,
            String load) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("## Intake (webhook-ingest)\n\n");
        out.append(String.format(Locale.ROOT, "Run %s by `bench/intake/run.sh`: closed loop, after %d s of "
                + "uncounted load per target at the highest concurrency (the JIT compiler's warm-up), %d s warm-up "
                + "and %d s measured per level, the `note-issue-event.json` webhook (%s).%n%n", Instant.now()
                .toString().substring(0, 16).replace('T', ' '), jitWarmup.toSeconds(), warmup.toSeconds(),
                measure.toSeconds(), "a new Idempotency-Key each"));
        out.append("Machine: ").append(machine()).append(", load average at start ").append(load).append(".\n\n");
        out.append("CPU per request (µs of user + system time over the measured window, from /proc, divided by the "
                + "requests answered): of the server, of the broker, and of the benchmark's JVM (the load generator; "
                + "for the producer alone, the producer too).\n\n");
        out.append("| target | concurrency | req/s | p50 ms | p99 ms | errors | server CPU µs | broker CPU µs | "
                + "client CPU µs |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %d | %s | %s | %s |%n",
                    r.target(), r.concurrency(), r.perSecond(), r.p50Ms(), r.p99Ms(), r.errors(),
                    micros(r.serverCpuUs()), micros(r.brokerCpuUs()), micros(r.clientCpuUs())));
        }
        out.append("\nRatios of webhook-ingest's throughput to the ceilings at the same concurrency:\n\n");
        out.append("| concurrency | ingest / do-nothing HTTP | ingest / Kafka producer alone |\n|---|---|---|\n");
        for (int c : levels) {
            double ingest = find(results, "webhook-ingest", c);
            out.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f |%n", c,
                    ingest / find(results, "do-nothing 202 server", c),
                    ingest / find(results, "Kafka producer alone", c)));
        }
        out.append("\nThe load generator, the broker, webhook-ingest and the do-nothing server share the machine's "
                + "cores. Issue 6's target for one instance: at least 5,000 webhooks/s with p99 under 25 ms, and at "
                + "least a third of the do-nothing ceiling.\n");
        return out.toString();
    }

    static String micros(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }

    static double find(List<Result> results, String target, int concurrency) {
        return results.stream().filter(r -> r.target().equals(target) && r.concurrency() == concurrency)
                .mapToDouble(Result::perSecond).findFirst().orElse(Double.NaN);
    }

    static String machine() throws IOException {
        String cpu = Files.readAllLines(Paths.get("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst().orElse("unknown CPU");
        String memory = Files.readAllLines(Paths.get("/proc/meminfo")).stream()
                .filter(l -> l.startsWith("MemTotal")).map(l -> l.replaceAll("\\D+", ""))
                .map(kb -> Long.parseLong(kb) / 1024 / 1024 + " GiB").findFirst().orElse("?");
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memory + " RAM, Java "
                + System.getProperty("java.version");
    }

    static String loadAverage() throws IOException {
        return Files.readString(Paths.get("/proc/loadavg")).split(" ")[0];
    }

    /** Replaces the intake section of docs/benchmarks.md (between its markers), or appends it. */
    static void writeSection(Path file, String section) throws IOException {
        String begin = "<!-- bench:intake:begin -->";
        String endMarker = "<!-- bench:intake:end -->";
        String block = begin + "\n" + section + endMarker + "\n";
        String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\n";
        int from = text.indexOf(begin);
        int to = text.indexOf(endMarker);
        if (from >= 0 && to > from) {
            text = text.substring(0, from) + block + text.substring(to + endMarker.length()).replaceFirst("^\n", "");
        } else {
            text = text + (text.endsWith("\n\n") ? "" : "\n") + block;
        }
        Files.writeString(file, text);
    }
}
