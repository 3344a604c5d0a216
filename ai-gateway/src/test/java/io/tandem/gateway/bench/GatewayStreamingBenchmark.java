package io.tandem.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.gateway.support.GatewayTokens;
import io.tandem.gateway.support.StandInProviders;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The gateway's added latency to first byte and its throughput of streamed answers, next to calling the
 * stand-in provider directly (the ceiling), in the same run: bench/gateway/README.md. Not part of the suite
 * (the name does not end in {@code Test}); run by {@code bench/run.sh gateway}. Writes its section of
 * docs/benchmarks.md.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(StandInProviders.class)
class GatewayStreamingBenchmark {

    private static final String MODEL = "claude-sonnet-4-20250514";

    @TestHTTPResource("/ai/v1/proxy/anthropic/v1/messages")
    URL gatewayUrl;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private int events;

    /** Where a stream is asked for, and with what credential. */
    private record Target(String name, URI uri, String credential) {
    }

    /** One streamed call: time to its first body byte, to its last, and its size. */
    private record Call(long firstByteNanos, long totalNanos, long bytes) {
    }

    @Test
    void measure() throws Exception {
        events = Integer.getInteger("bench.events", 200);
        int warmup = Integer.getInteger("bench.warmup", 200);
        int rounds = Integer.getInteger("bench.rounds", 500);
        int seconds = Integer.getInteger("bench.seconds", 10);
        int[] levels = Arrays.stream(System.getProperty("bench.levels", "1,4,16").split(","))
                .mapToInt(level -> Integer.parseInt(level.trim())).toArray();
        Path out = Path.of(System.getProperty("bench.out", "../docs/benchmarks.md"));
        String loadAtStart = loadAverage();
        String started = Instant.now().toString().substring(0, 16).replace('T', ' ');

        Target direct = new Target("stand-in directly", URI.create(StandInProviders.baseUrl() + "/anthropic/v1/messages"),
                StandInProviders.ANTHROPIC_ORG_KEY);
        Target gateway = new Target("through the gateway", gatewayUrl.toURI(), GatewayTokens.token(GatewayTokens.runId()));
        long streamBytes = call(direct).bytes();
        assertEquals(streamBytes, call(gateway).bytes(), "the gateway must pass the stream through unchanged");
        for (int i = 0; i < warmup; i++) {
            call(direct);
            call(gateway);
        }

        // Latency: one call at a time, alternating, so that the machine's load weighs on both sides alike.
        long[][] firstByte = new long[2][rounds];
        long[][] total = new long[2][rounds];
        for (int i = 0; i < rounds; i++) {
            Call d = call(direct);
            Call g = call(gateway);
            firstByte[0][i] = d.firstByteNanos();
            total[0][i] = d.totalNanos();
            firstByte[1][i] = g.firstByteNanos();
            total[1][i] = g.totalNanos();
        }

        StringBuilder doc = new StringBuilder();
        doc.append("## AI gateway (streaming)\n\n");
        doc.append("Run ").append(started).append(" by `bench/run.sh gateway`: an Anthropic Messages stream of ")
                .append(events).append(" text deltas (").append(events + 6).append(" server-sent events, ")
                .append(String.format(Locale.ROOT, "%.1f", streamBytes / 1024.0))
                .append(" KiB) from the test suite's stand-in provider, asked for directly (the ceiling) and through "
                        + "the gateway (token checks, budget and allow-list lookups, usage counted, stored and audited), "
                        + "in the same JVM and run. ").append(warmup).append(" warm-up calls each.\n\n");
        doc.append("Machine: ").append(machine()).append(", load average at start ").append(loadAtStart).append(".\n\n");
        doc.append("Latency, one call at a time (").append(rounds).append(" calls each, alternating), ms:\n\n");
        doc.append("| target | first byte p50 | p95 | p99 | whole stream p50 | p95 |\n|---|---|---|---|---|---|\n");
        for (int side = 0; side < 2; side++) {
            Arrays.sort(firstByte[side]);
            Arrays.sort(total[side]);
            doc.append("| ").append(side == 0 ? direct.name() : gateway.name()).append(" | ")
                    .append(ms(pct(firstByte[side], 50))).append(" | ").append(ms(pct(firstByte[side], 95))).append(" | ")
                    .append(ms(pct(firstByte[side], 99))).append(" | ").append(ms(pct(total[side], 50))).append(" | ")
                    .append(ms(pct(total[side], 95))).append(" |\n");
        }
        doc.append("| added by the gateway | ").append(ms(pct(firstByte[1], 50) - pct(firstByte[0], 50))).append(" | ")
                .append(ms(pct(firstByte[1], 95) - pct(firstByte[0], 95))).append(" | ")
                .append(ms(pct(firstByte[1], 99) - pct(firstByte[0], 99))).append(" | ")
                .append(ms(pct(total[1], 50) - pct(total[0], 50))).append(" | ")
                .append(ms(pct(total[1], 95) - pct(total[0], 95))).append(" |\n");
        doc.append("| gateway / direct | ").append(ratio(pct(firstByte[1], 50), pct(firstByte[0], 50))).append(" | ")
                .append(ratio(pct(firstByte[1], 95), pct(firstByte[0], 95))).append(" | ")
                .append(ratio(pct(firstByte[1], 99), pct(firstByte[0], 99))).append(" | ")
                .append(ratio(pct(total[1], 50), pct(total[0], 50))).append(" | ")
                .append(ratio(pct(total[1], 95), pct(total[0], 95))).append(" |\n\n");

        doc.append("Throughput, closed loop, ").append(seconds).append(" s per level and target (each client its own "
                + "run and token through the gateway):\n\n");
        doc.append("| concurrent streams | direct streams/s | gateway streams/s | gateway / direct | direct MiB/s | "
                + "gateway MiB/s | direct first byte p50 ms | gateway first byte p50 ms | errors |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (int level : levels) {
            Load d = load(direct, level, seconds, streamBytes);
            Load g = load(gateway, level, seconds, streamBytes);
            doc.append("| ").append(level).append(" | ").append(fixed(d.perSecond(), 0)).append(" | ")
                    .append(fixed(g.perSecond(), 0)).append(" | ").append(fixed(g.perSecond() / d.perSecond(), 2))
                    .append(" | ").append(fixed(d.mibPerSecond(), 1)).append(" | ").append(fixed(g.mibPerSecond(), 1))
                    .append(" | ").append(ms(d.firstByteP50())).append(" | ").append(ms(g.firstByteP50())).append(" | ")
                    .append(d.errors() + g.errors()).append(" |\n");
        }
        doc.append("\nThe client, the gateway, the stand-in, Kafka and PostgreSQL share the machine's cores (the "
                + "direct figures are therefore a ceiling of this machine, not of a provider). Load average at the end "
                + loadAverage() + ".\n");
        System.out.println("BENCH\n" + doc);
        writeSection(out, doc.toString());
    }

    private record Load(double perSecond, double mibPerSecond, long firstByteP50, long errors) {
    }

    private Load load(Target target, int concurrency, int seconds, long streamBytes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicLong errors = new AtomicLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Future<List<Long>>> clients = new ArrayList<>();
        long begin = System.nanoTime();
        for (int c = 0; c < concurrency; c++) {
            Target own = target.credential().equals(StandInProviders.ANTHROPIC_ORG_KEY) ? target
                    : new Target(target.name(), target.uri(), GatewayTokens.token(GatewayTokens.runId()));
            clients.add(pool.submit(() -> {
                List<Long> firstBytes = new ArrayList<>();
                while (System.nanoTime() < deadline) {
                    try {
                        Call done = call(own);
                        if (done.bytes() != streamBytes) {
                            errors.incrementAndGet();
                        }
                        firstBytes.add(done.firstByteNanos());
                    } catch (IOException | IllegalStateException e) {
                        errors.incrementAndGet();
                    }
                }
                return firstBytes;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> each : clients) {
            all.addAll(each.get());
        }
        double elapsed = (System.nanoTime() - begin) / 1e9;
        pool.shutdown();
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        double perSecond = sorted.length / elapsed;
        return new Load(perSecond, perSecond * streamBytes / (1024.0 * 1024.0), sorted.length == 0 ? 0 : pct(sorted, 50),
                errors.get());
    }

    private Call call(Target target) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(target.uri()).timeout(Duration.ofSeconds(60))
                .header("x-api-key", target.credential()).header("anthropic-version", "2023-06-01")
                .header("content-type", "application/json").header("x-stand-in-events", Integer.toString(events))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + MODEL + "\",\"max_tokens\":4096,"
                        + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Count.\"}]}"))
                .build();
        long start = System.nanoTime();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IllegalStateException(target.name() + " answered " + response.statusCode());
            }
            if (body.read() < 0) {
                throw new IllegalStateException(target.name() + " sent an empty body");
            }
            long firstByte = System.nanoTime() - start;
            long bytes = 1;
            byte[] buffer = new byte[16384];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                bytes += n;
            }
            return new Call(firstByte, System.nanoTime() - start, bytes);
        }
    }

    private static long pct(long[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    private static String ratio(long a, long b) {
        return b == 0 ? "-" : String.format(Locale.ROOT, "%.2f", (double) a / b);
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        String memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .map(l -> Long.parseLong(l.replaceAll("\\D+", "")) / 1024 / 1024 + " GiB").findFirst().orElse("?");
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memory + " RAM, Java "
                + System.getProperty("java.version");
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    /** Replaces the section between the {@code bench:gateway} markers (as bench/common/BenchDoc does). */
    private static void writeSection(Path file, String section) throws IOException {
        String begin = "<!-- bench:gateway:begin -->";
        String end = "<!-- bench:gateway:end -->";
        String block = begin + "\n" + section + end + "\n";
        String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\n";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from >= 0 && to > from) {
            text = text.substring(0, from) + block + text.substring(to + end.length()).replaceFirst("^\n", "");
        } else {
            text = text + (text.endsWith("\n\n") ? "" : "\n") + block;
        }
        Files.writeString(file, text);
    }
}
