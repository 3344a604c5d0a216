import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The end-to-end section of docs/benchmarks.md: latencies per load, start-up and memory, and the targets. */
final class E2eReport {

    /** Issue 6's targets. 200 MB taken as 200 * 10^6 bytes. */
    static final double NOTE_P99_MS = 300;
    static final double PIPELINE_P99_MS = 1000;
    static final double RSS_LIMIT_MIB = 200e6 / (1024 * 1024);
    static final double TARGET_RATE = 50;

    static String render(Settings settings, String machine, String loadAtStart, String loadAtEnd,
            Map<String, Long> startupMillis, Map<String, Double> idleRss, List<PhaseResult> phases, String plotName,
            String serviceJvm) {
        StringBuilder out = new StringBuilder();
        out.append("## End to end (mention to progress note and to pipeline)\n\n");
        out.append(String.format(Locale.ROOT, "Run %s by `bench/run.sh e2e`: Kafka, PostgreSQL, the GitLab simulator "
                + "and the five services, each in its own JVM with the options `bin/tandem` gives them "
                + "(`bin/jvm/*.options`, unless the run set `BENCH_SERVICE_JVM`): %s. "
                + "Mentions of the agent's service account are posted through the simulator's API, each to an issue "
                + "of its own, at each steady rate for %d s (open loop, after a %d s warm-up at %s/s that is not "
                + "counted), then %d at once as a burst. The benchmark's own project hook receives the "
                + "simulator's Note Hook for the service account's first note in the issue (the progress note) and "
                + "the pipeline's first Pipeline Hook; every pipeline is moved to `success` as soon as its hook "
                + "arrives, so every run ends.%n%n",
                BenchDoc.now(), serviceJvm, settings.windowSeconds(), settings.warmupSeconds(),
                num(settings.rates()[0]),
                settings.burst()));
        out.append("Machine: ").append(machine).append(", load average ").append(loadAtStart)
                .append(" at start and ").append(loadAtEnd).append(" at the end.\n\n");

        out.append("Latency as GitLab recorded it: from the mention's `created_at` to the progress note's and the "
                + "pipeline's `created_at` (milliseconds, read back through the API after each level), in ms:\n\n");
        out.append("| load | mentions | to note p50 | p95 | p99 | to pipeline p50 | p95 | p99 | no note | "
                + "no pipeline |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (PhaseResult r : phases) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %d | %d |%n",
                    r.name(), r.mentions() - r.failedPosts(), ms(r.note().p50()), ms(r.note().p95()),
                    ms(r.note().p99()), ms(r.pipeline().p50()), ms(r.pipeline().p95()), ms(r.pipeline().p99()),
                    r.missingNotes(), r.missingPipelines()));
        }
        out.append("\n\"no note\" / \"no pipeline\": mentions still without one ").append(settings.drainSeconds())
                .append(" s after the level's last mention; a level that leaves a backlog gets up to as long again "
                        + "for it to clear (not counted) before the next level starts.\n\n");
        out.append("Where the time goes, in ms. The simulator sends every webhook from one thread, one after the "
                + "other, to Tandem's hook and to the benchmark's alike, so under load its queue delays both what "
                + "Tandem receives and what the benchmark hears. \"mention hook lag\": from the mention's POST "
                + "returning to its own Note Hook reaching the benchmark (sent right after Tandem's copy was "
                + "accepted). \"Tandem: hook to note / pipeline\": from that arrival to the progress note's and the "
                + "pipeline's `created_at`, Tandem's own share. \"Hooks\": from the POST returning to the note's and "
                + "the pipeline's hooks reaching the benchmark. \"POST\": how long the simulator took to accept a "
                + "mention.\n\n");
        out.append("| load | mention hook lag p50 | p99 | Tandem: hook to note p50 | p99 | hook to pipeline p50 | "
                + "p99 | note hook p99 | pipeline hook p99 | POST p99 |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (PhaseResult r : phases) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", r.name(),
                    ms(r.hookLag().p50()), ms(r.hookLag().p99()), ms(r.noteAfterHook().p50()),
                    ms(r.noteAfterHook().p99()), ms(r.pipelineAfterHook().p50()), ms(r.pipelineAfterHook().p99()),
                    ms(r.noteDelivered().p99()), ms(r.pipelineDelivered().p99()), ms(r.post().p99())));
        }
        out.append("\n");
        out.append("![latency against offered load](").append(plotName).append(")\n\n");

        out.append("Start-up (JVM start to the first 200 on `/q/health/ready`, each service started alone after the "
                + "previous one was ready, Kafka, PostgreSQL and the simulator already up) and resident memory "
                + "(`VmRSS`, MiB; idle = after start, before any traffic; then the peak during each level and its drain):\n\n");
        out.append("| service | start-up s | RSS idle");
        phases.forEach(r -> out.append(" | RSS ").append(r.name()));
        out.append(" |\n|---|---|---");
        phases.forEach(r -> out.append("|---"));
        out.append("|\n");
        for (String service : startupMillis.keySet()) {
            out.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f", service, startupMillis.get(service) / 1000.0,
                    idleRss.getOrDefault(service, Double.NaN)));
            phases.forEach(r -> out.append(String.format(Locale.ROOT, " | %.0f",
                    r.peakRss().getOrDefault(service, Double.NaN))));
            out.append(" |\n");
        }

        cpu(out, phases);

        out.append("\nIssue 6's targets at ").append(num(TARGET_RATE)).append(" mentions/s sustained, on this run:\n\n");
        PhaseResult atTarget = phases.stream().filter(r -> r.offeredPerSecond() == TARGET_RATE).findFirst()
                .orElse(null);
        if (atTarget == null) {
            out.append("- not measured: no level at ").append(num(TARGET_RATE)).append("/s in this run.\n");
        } else {
            boolean complete = atTarget.missingNotes() == 0 && atTarget.missingPipelines() == 0
                    && atTarget.failedPosts() == 0;
            out.append(verdict("mention to progress note under 300 ms at p99", atTarget.note().p99() < NOTE_P99_MS
                    && complete, measured(atTarget.note().p99())));
            out.append(verdict("mention to pipeline created under 1 s at p99", atTarget.pipeline().p99()
                    < PIPELINE_P99_MS && complete, measured(atTarget.pipeline().p99())));
            double worst = atTarget.peakRss().values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
            String worstService = atTarget.peakRss().entrySet().stream().filter(e -> e.getValue() == worst)
                    .map(Map.Entry::getKey).findFirst().orElse("?");
            out.append(verdict("each service under 200 MB (190.7 MiB) resident under that load", worst
                    < RSS_LIMIT_MIB, String.format(Locale.ROOT, "largest %.0f MiB (%s)", worst, worstService)));
            if (!complete) {
                out.append("- at ").append(num(TARGET_RATE)).append("/s some mentions got no note or no pipeline "
                        + "in time, so the latency targets count as not met.\n");
            }
        }
        out.append("\nThe load generator, the hook receiver, the simulator, the broker, PostgreSQL and the five "
                + "services share the machine's cores; a busy machine inflates every figure.\n");
        return out.toString();
    }

    /** CPU per mention by part of the stack, and how busy the machine was (and how much the host took back). */
    private static void cpu(StringBuilder out, List<PhaseResult> phases) {
        List<String> parts = phases.get(0).cpuMs().keySet().stream()
                .filter(p -> !p.equals(CpuAccount.WALL) && !p.equals(CpuAccount.STEAL)).toList();
        out.append("\nCPU time per mention, ms (user + system, from /proc, from a level's first mention until its "
                + "backlog cleared and its runs ended, divided by its mentions; each part's idle work over that time is "
                + "counted too, which weighs most at low rates). \"machine busy\" is every process on the machine, "
                + "so what it has beyond the parts is the rest of this machine; \"busy %\" is the machine's use of "
                + "its cores over the level, \"steal %\" the time the hypervisor gave to other machines on the "
                + "host:\n\n| load");
        parts.forEach(p -> out.append(" | ").append(p));
        out.append(" | the services together | busy % | steal % |\n|---");
        parts.forEach(p -> out.append("|---"));
        out.append("|---|---|---|\n");
        int cores = Runtime.getRuntime().availableProcessors();
        for (PhaseResult r : phases) {
            int handled = r.mentions() - r.failedPosts();
            out.append("| ").append(r.name());
            parts.forEach(p -> out.append(String.format(Locale.ROOT, " | %.1f",
                    r.cpuMs().getOrDefault(p, Double.NaN) / handled)));
            double services = BenchStack.SERVICES.stream()
                    .mapToDouble(service -> r.cpuMs().getOrDefault(service, Double.NaN)).sum();
            double capacity = r.cpuMs().getOrDefault(CpuAccount.WALL, Double.NaN) * cores;
            out.append(String.format(Locale.ROOT, " | %.1f | %.0f | %.0f |%n", services / handled,
                    100 * r.cpuMs().getOrDefault(CpuAccount.MACHINE, Double.NaN) / capacity,
                    100 * r.cpuMs().getOrDefault(CpuAccount.STEAL, Double.NaN) / capacity));
        }
    }

    private static String verdict(String target, boolean met, String measured) {
        return "- " + target + ": **" + (met ? "met" : "not met") + "** (" + measured + ")\n";
    }

    private static String measured(double p99) {
        return Double.isNaN(p99) ? "none arrived" : ms(p99) + " ms";
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, value < 100 ? "%.1f" : "%.0f", value);
    }

    static String num(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private E2eReport() {
    }
}
