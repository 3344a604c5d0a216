package io.tandem.identity.bench;

import static io.tandem.identity.support.GitCli.git;
import static io.tandem.identity.support.InternalApi.internal;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.tandem.events.InvocationRequested;
import io.tandem.identity.support.GitCli.Result;
import io.tandem.identity.support.GitlabWorld;
import io.tandem.identity.support.InternalApi;
import io.tandem.identity.support.Invocations;
import io.tandem.identity.support.Runs;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.GitlabSimulator;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.Project;
import org.junit.jupiter.api.Test;

/**
 * Not part of the test suite (the name does not end in Test): the proxy's heap and resident memory while the
 * stock git clones and pushes a repository of {@code bench.mb} MB (default 200) of incompressible files through
 * it. The app runs in this JVM; git and the simulator in their own processes. See bench/README.md.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
class ProxyMemoryBenchmark {

    private static final int MB = 1024 * 1024;
    private static final int TIMEOUT_SECONDS = 900;

    @Test
    void measure() throws Exception {
        int size = Integer.getInteger("bench.mb", 200);
        GitlabWorld world = GitlabWorld.get();
        Project project = world.root.getProjectApi().createProject(world.group.getId(), "mem-" + world.suffix);
        world.root.getProjectApi().addMember(project.getId(), world.developer.getId(), AccessLevel.DEVELOPER);
        Map<String, Object> account = InternalApi.ensureServiceAccount(world.group.getId(), "Bench Agent");
        long accountId = ((Number) account.get("id")).longValue();
        internal().put("/internal/v1/service-accounts/" + accountId + "/projects/" + project.getId())
                .then().statusCode(204);
        InvocationRequested request = Invocations.mentionIn(project.getId(), project.getPathWithNamespace(), 1,
                world.developer, true, accountId, (String) account.get("username"));
        String invocationId = request.invocation().invocationId();
        String token = Runs.authorized(request).token();

        // Seed the repository straight into the simulator (not through the proxy).
        Path home = Files.createTempDirectory("git-bench");
        try {
            cloneAndPush(home, project, token, invocationId, size);
        } finally {
            try (Stream<Path> paths = Files.walk(home)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void cloneAndPush(Path home, Project project, String token, String invocationId, int size)
            throws Exception {
        String direct = GitlabSimTestResource.url().replace("://", "://oauth2:" + GitlabSimulator.ROOT_TOKEN + "@")
                + "/" + project.getPathWithNamespace() + ".git";
        check(git(home, home, TIMEOUT_SECONDS, "clone", direct, "seed"));
        Path seed = home.resolve("seed");
        randomFiles(seed.resolve("data"), size, 1);
        check(git(home, seed, "add", "-A"));
        check(git(home, seed, "commit", "-q", "-m", "data"));
        check(git(home, seed, TIMEOUT_SECONDS, "push", "-q", "origin", "HEAD:main"));

        String proxy = "http://oauth2:" + token + "@127.0.0.1:" + RestAssured.port + "/"
                + project.getPathWithNamespace() + ".git";
        Peak clone = measure(() -> check(git(home, home, TIMEOUT_SECONDS, "clone", "-q", proxy, "clone")));
        report("clone", size, clone);

        Path work = home.resolve("clone");
        randomFiles(work.resolve("more"), size, 2);
        check(git(home, work, "add", "-A"));
        check(git(home, work, "commit", "-q", "-m", "more data"));
        Peak push = measure(() -> check(git(home, work, TIMEOUT_SECONDS, "push", "-q", "origin",
                "HEAD:refs/heads/workloads/" + invocationId)));
        report("push (spooled, pack checked)", size, push);
    }

    private interface Step {
        void run() throws Exception;
    }

    private record Peak(long seconds, long baselineHeap, long peakHeap, long baselineRss, long peakRss) {
    }

    /** Samples the heap in use every 10 ms and reads the kernel's peak resident size, reset before the step. */
    private static Peak measure(Step step) throws Exception {
        System.gc();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long baselineHeap = memory.getHeapMemoryUsage().getUsed();
        resetPeakRss();
        long baselineRss = status("VmRSS:");
        AtomicLong peakHeap = new AtomicLong(baselineHeap);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long start = System.nanoTime();
        step.run();
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        sampler.interrupt();
        sampler.join();
        return new Peak(seconds, baselineHeap, peakHeap.get(), baselineRss, status("VmHWM:"));
    }

    private static void report(String what, int size, Peak peak) {
        System.out.printf("BENCH %s of %d MB in %d s: heap used %d MB before, peak %d MB (+%d MB); RSS %d MB before,"
                + " peak %d MB (+%d MB)%n", what, size, peak.seconds(), peak.baselineHeap() / MB, peak.peakHeap() / MB,
                (peak.peakHeap() - peak.baselineHeap()) / MB, peak.baselineRss() / MB, peak.peakRss() / MB,
                (peak.peakRss() - peak.baselineRss()) / MB);
    }

    private static void randomFiles(Path directory, int megabytes, long seed) throws IOException {
        Files.createDirectories(directory);
        Random random = new Random(seed);
        byte[] chunk = new byte[MB];
        for (int i = 0; i < megabytes; i++) {
            random.nextBytes(chunk);
            try (OutputStream out = Files.newOutputStream(directory.resolve("blob-" + i + ".bin"))) {
                out.write(chunk);
            }
        }
    }

    private static void check(Result result) {
        if (result.code() != 0) {
            throw new IllegalStateException("git failed: " + result.output());
        }
    }

    /** Writing 5 to clear_refs resets the process's peak resident size (VmHWM). */
    private static void resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException e) {
            // Not Linux, or not allowed: the peak is then the process's lifetime peak.
        }
    }

    /** A size in bytes from /proc/self/status, e.g. {@code VmRSS:}. */
    private static long status(String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(line -> line.startsWith(field))
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024).findFirst().orElse(-1L);
    }
}
