package io.tandem.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A child JVM with its output in a log file: a broker, the simulator or a Tandem service. */
public final class JavaProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private JavaProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java <jvmArgs> <args>}; the child dies with this JVM (see {@link ChildMain}) only if
     * it is run through it, otherwise a shutdown hook stops it.
     */
    public static JavaProcess start(String name, List<String> jvmArgs, List<String> args, Map<String, String> env,
            Path log) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            JavaProcess child = new JavaProcess(name, builder.start(), log);
            Runtime.getRuntime().addShutdownHook(new java.lang.Thread(child::destroyQuietly, "stop-" + name));
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Starts a Quarkus application from its {@code target/quarkus-app/quarkus-run.jar}. */
    public static JavaProcess startQuarkusApp(String name, Path runnerJar, Map<String, String> systemProperties,
            Map<String, String> env, Path log) {
        List<String> jvmArgs = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        systemProperties.forEach((k, v) -> jvmArgs.add("-D" + k + "=" + v));
        return start(name, jvmArgs, List.of("-jar", runnerJar.toString()), env, log);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until {@code GET url} answers 200, failing early if the process dies. */
    public JavaProcess awaitHttpOk(String url, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return await(() -> {
            try {
                HttpRequest request = HttpRequest.newBuilder(new URI(url)).timeout(Duration.ofSeconds(5)).build();
                return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException | URISyntaxException e) {
                return false;
            } catch (InterruptedException e) {
                java.lang.Thread.currentThread().interrupt();
                return false;
            }
        }, timeout, "GET " + url + " answering 200");
    }

    /** Waits until the log contains {@code text}. */
    public JavaProcess awaitLog(String text, Duration timeout) {
        return await(() -> {
            try {
                return Files.exists(log) && Files.readString(log).contains(text);
            } catch (IOException e) {
                return false;
            }
        }, timeout, "'" + text + "' in " + log);
    }

    private JavaProcess await(BooleanSupplier ready, Duration timeout, String what) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (ready.getAsBoolean()) {
                return this;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before " + what
                        + "; its log:\n" + tail());
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + ": waited for " + what
                + "; its log:\n" + tail());
    }

    /** Waits for the process to end and returns its exit code. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " still running after " + timeout + "; log:\n" + tail());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, then SIGKILL if it has not ended within 20 s. */
    public void stop() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            kill();
        }
    }

    /** SIGKILL: the process gets no chance to clean up, as when a machine or a container dies. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
        }
    }

    public String tail() {
        try {
            if (!Files.exists(log)) {
                return "(no log)";
            }
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private void destroyQuietly() {
        if (process.isAlive()) {
            stop();
        }
    }

    @Override
    public void close() {
        stop();
    }

    static void sleep(long millis) {
        try {
            java.lang.Thread.sleep(millis);
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
