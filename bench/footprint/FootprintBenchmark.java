import io.tandem.testsupport.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Stack start-up: times {@code bin/tandem up} from a stopped stack to ready (its own readiness checks: every
 * part's health), first from nothing (a new state directory: PostgreSQL's initdb, Kafka's format, the Flyway
 * migrations), then again from the stopped stack, and reads each service's resident memory once it is up and
 * idle. Runs the real bin/tandem against a mirror of the workspace (links to its built modules), with its own
 * state directory and free ports, so it disturbs no stack a developer is running. See bench/footprint/README.md.
 */
public class FootprintBenchmark {

    /** The services bin/tandem starts, all six. */
    static final List<String> SERVICES = List.of("webhook-ingest", "trigger-matcher", "identity-service",
            "pipeline-launcher", "result-publisher", "ai-gateway");
    static final double TARGET_SECONDS = 45;

    record Run(String name, double seconds, Map<String, Double> rss) {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("tandem.root", ".")).toAbsolutePath().normalize();
        Path out = root.resolve(System.getProperty("bench.out", "docs/benchmarks.md"));
        int warmRuns = Integer.getInteger("bench.warm-runs", 2);
        String loadAtStart = BenchMachine.loadAverage();
        Path mirror = mirror(root);
        Map<String, String> env = ports();
        System.out.println("mirror " + mirror + ", ports " + env);

        List<Run> runs = new ArrayList<>();
        try {
            runs.add(up(mirror, env, "from nothing (new state directory)"));
            for (int i = 1; i <= warmRuns; i++) {
                tandem(mirror, env, "down");
                runs.add(up(mirror, env, "from the stopped stack (" + i + ")"));
            }
        } finally {
            tandem(mirror, env, "down");
        }
        String section = report(runs, loadAtStart, BenchMachine.loadAverage());
        System.out.println(section);
        BenchDoc.writeSection(out, "footprint", section);
        System.out.println("written to " + out + "; logs in " + mirror.resolve(".tandem/logs"));
    }

    /** A directory that looks like the workspace to bin/tandem: links to bin/ and the built modules. */
    static Path mirror(Path root) throws IOException {
        Path mirror = Files.createTempDirectory("tandem-footprint");
        List<String> parts = new ArrayList<>(List.of("bin", "test-support", "gitlab-sim"));
        parts.addAll(SERVICES);
        for (String part : parts) {
            Files.createSymbolicLink(mirror.resolve(part), root.resolve(part));
        }
        return mirror;
    }

    static Map<String, String> ports() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : List.of("KAFKA_PORT", "TANDEM_DB_PORT", "GITLAB_SIM_PORT", "WEBHOOK_INGEST_PORT",
                "TRIGGER_MATCHER_PORT", "IDENTITY_SERVICE_PORT", "PIPELINE_LAUNCHER_PORT", "RESULT_PUBLISHER_PORT",
                "AI_GATEWAY_PORT")) {
            env.put(name, Integer.toString(FreePorts.next()));
        }
        return env;
    }

    static Run up(Path mirror, Map<String, String> env, String name) throws Exception {
        long started = System.nanoTime();
        tandem(mirror, env, "up");
        double seconds = (System.nanoTime() - started) / 1e9;
        Thread.sleep(3000);
        Map<String, Double> rss = new LinkedHashMap<>();
        for (String service : SERVICES) {
            long pid = Long.parseLong(Files.readString(mirror.resolve(".tandem/run/" + service + ".pid")).trim());
            rss.put(service, BenchMachine.rssMiB(pid));
        }
        System.out.printf(Locale.ROOT, "bin/tandem up %s: %.1f s, idle RSS MiB %s%n", name, seconds, rss);
        return new Run(name, seconds, rss);
    }

    static void tandem(Path mirror, Map<String, String> env, String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(mirror.resolve("bin/tandem").toString(), command)
                .directory(mirror.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(mirror.resolve("tandem-cli.log").toFile()));
        builder.environment().putAll(env);
        int exit = builder.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("bin/tandem " + command + " exited with " + exit + "; see "
                    + mirror.resolve("tandem-cli.log"));
        }
    }

    static String report(List<Run> runs, String loadAtStart, String loadAtEnd) throws IOException {
        StringBuilder out = new StringBuilder("## Stack start-up and idle memory (`bin/tandem up`)\n\n");
        out.append("Run ").append(BenchDoc.now()).append(" by `bench/run.sh footprint`: the time `bin/tandem up` "
                + "takes to return, that is until Kafka, PostgreSQL, the simulator and all six services answer "
                + "their readiness checks; then each service's resident memory (`VmRSS`, MiB) 3 s later, idle.\n\n");
        out.append("Machine: ").append(BenchMachine.describe()).append(", load average ").append(loadAtStart)
                .append(" at start and ").append(loadAtEnd).append(" at the end.\n\n");
        out.append("| `bin/tandem up` | seconds");
        SERVICES.forEach(s -> out.append(" | ").append(s));
        out.append(" |\n|---|---");
        SERVICES.forEach(s -> out.append("|---"));
        out.append("|\n");
        for (Run run : runs) {
            out.append(String.format(Locale.ROOT, "| %s | %.1f", run.name(), run.seconds()));
            SERVICES.forEach(s -> out.append(String.format(Locale.ROOT, " | %.0f", run.rss().get(s))));
            out.append(" |\n");
        }
        out.append("\nIssue 6's target, `bin/tandem up` ready in under 45 s, on this run:\n\n");
        for (Run run : runs) {
            out.append(String.format(Locale.ROOT, "- %s: **%s** (%.1f s)%n", run.name(),
                    run.seconds() < TARGET_SECONDS ? "met" : "not met", run.seconds()));
        }
        return out.toString();
    }
}
