import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * End-to-end benchmark: mention to progress note and mention to pipeline, p50/p95/p99, through the whole stack
 * at steady rates and in a burst; start-up time and resident memory of each service. Run by bench/e2e/run.sh;
 * see bench/e2e/README.md.
 */
public class E2eBenchmark {

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("tandem.root", ".")).toAbsolutePath().normalize();
        Path out = root.resolve(System.getProperty("bench.out", "docs/benchmarks.md"));
        Path plot = out.resolveSibling("benchmarks-latency.png");
        Settings settings = Settings.fromSystemProperties();
        String loadAtStart = BenchMachine.loadAverage();
        Path work = Files.createTempDirectory("tandem-e2e-bench");
        System.out.println("work directory and logs: " + work);

        List<PhaseResult> phases = new ArrayList<>();
        Map<String, Long> startup;
        Map<String, Double> idleRss;
        JsonHttp http = new JsonHttp();
        try (BenchStack stack = new BenchStack(root, work).start()) {
            startup = new LinkedHashMap<>(stack.startupMillis);
            Thread.sleep(3000);
            idleRss = stack.rss();
            System.out.println("idle RSS MiB: " + idleRss);

            BenchSeed seed = new BenchSeed(stack, http);
            String serviceAccount = seed.tandem();
            String status = stack.gitlabUrl() + "/-/sim/projects/%d/pipelines/%d/status";
            try (HookReceiver receiver = new HookReceiver(serviceAccount, (project, pipeline) -> http.postAsync(
                    String.format(Locale.ROOT, status, project, pipeline), null, Map.of("status", "success")));
                    RssSampler sampler = new RssSampler(stack::rss)) {
                CpuAccount cpu = stack.cpuAccount();
                seed.receiverHook(receiver.url());
                long[] iids = seed.issues(settings.mentions());
                System.out.println("seeded " + iids.length + " issues; agent " + serviceAccount);
                MentionLoad load = new MentionLoad(http, seed, iids);
                CreatedTimes times = new CreatedTimes(http, stack.gitlabUrl(), seed.projectId);

                sampler.takePeaks();
                Level level = new Level(receiver, times, sampler, cpu, settings);
                level.measure("warm-up", settings.rates()[0], () -> load.steady(settings.rates()[0],
                        Duration.ofSeconds(settings.warmupSeconds())));
                for (double rate : settings.rates()) {
                    phases.add(level.measure(E2eReport.num(rate) + "/s", rate, () -> load.steady(rate,
                            Duration.ofSeconds(settings.windowSeconds()))));
                }
                phases.add(level.measure("burst of " + settings.burst(), Double.NaN,
                        () -> load.burst(settings.burst())));
            }
        }
        String machine = BenchMachine.describe();
        String loadAtEnd = BenchMachine.loadAverage();
        String section = E2eReport.render(settings, machine, loadAtStart, loadAtEnd, startup, idleRss, phases,
                plot.getFileName().toString(), BenchStack.describeServiceJvm(root));
        System.out.println(section);
        List<PhaseResult> steady = phases.stream().filter(r -> !r.burst()).toList();
        LatencyPlot.write(plot, steady, "Run " + BenchDoc.now() + " UTC, " + machine + ", load average "
                + loadAtStart + " at start");
        BenchDoc.writeSection(out, "e2e", section);
        System.out.println("written to " + out + " and " + plot + "; logs in " + work);
        System.exit(0);
    }

    /** Waits until every accepted mention has its note and pipeline, or the drain time has passed. */
    private static boolean awaitHandled(List<MentionLoad.Mention> mentions, HookReceiver receiver, Settings settings)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(settings.drainSeconds()).toNanos();
        while (System.nanoTime() < deadline) {
            boolean done = mentions.stream().allMatch(m -> m.failed || m.postedAt != 0
                    && receiver.notes.containsKey(m.iid) && receiver.pipelines.containsKey(m.seq));
            if (done) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** What measures a level: the hooks heard, GitLab's times, memory and CPU. */
    private record Level(HookReceiver receiver, CreatedTimes times, RssSampler sampler, CpuAccount cpu,
            Settings settings) {

        /**
         * Sends a level's load and measures it once its mentions are handled (or the drain time is up), then lets
         * a backlog clear (for at most another drain time, not counted in the latencies) and the runs end, so that
         * the next level starts from a quiet stack. Its CPU time is counted to there.
         */
        PhaseResult measure(String name, double rate, LoadRun load) throws Exception {
            Map<String, Double> cpuBefore = cpu.read();
            List<MentionLoad.Mention> mentions = load.run();
            boolean complete = awaitHandled(mentions, receiver, settings);
            times.fill(mentions, receiver);
            PhaseResult result = PhaseResult.of(name, rate, mentions, receiver, sampler.takePeaks());
            if (!complete) {
                System.out.println("backlog left, waiting for it (not counted)");
                awaitHandled(mentions, receiver, settings);
            }
            Thread.sleep(3000);
            sampler.takePeaks();
            return report(result.withCpu(CpuAccount.spent(cpuBefore, cpu.read())));
        }
    }

    @FunctionalInterface
    private interface LoadRun {
        List<MentionLoad.Mention> run() throws Exception;
    }

    private static PhaseResult report(PhaseResult r) {
        System.out.printf(Locale.ROOT, "%-14s n=%-5d note p50 %.0f p99 %.0f ms, pipeline p50 %.0f p99 %.0f ms "
                        + "(delivered: %.0f/%.0f, %.0f/%.0f; mention hook lag p50 %.0f p99 %.0f; after the hook: note "
                        + "%.0f/%.0f, pipeline %.0f/%.0f), missing %d/%d, "
                        + "failed posts %d, peak RSS %s, CPU ms %s%n", r.name(), r.mentions(), r.note().p50(),
                r.note().p99(),
                r.pipeline().p50(), r.pipeline().p99(), r.noteDelivered().p50(), r.noteDelivered().p99(),
                r.pipelineDelivered().p50(), r.pipelineDelivered().p99(), r.hookLag().p50(), r.hookLag().p99(),
                r.noteAfterHook().p50(), r.noteAfterHook().p99(), r.pipelineAfterHook().p50(),
                r.pipelineAfterHook().p99(), r.missingNotes(), r.missingPipelines(), r.failedPosts(), r.peakRss(),
                r.cpuMs());
        return r;
    }
}
