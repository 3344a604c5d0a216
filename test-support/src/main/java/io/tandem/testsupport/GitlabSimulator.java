package io.tandem.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import java.time.Duration;
import java.util.Map;

/** The GitLab simulator (module {@code gitlab-sim}) in a child JVM, from its built runner jar. */
public final class GitlabSimulator implements AutoCloseable {

    public static final String ROOT_TOKEN = "sim-root-token";

    private final JavaProcess process;
    private final int port;

    private GitlabSimulator(JavaProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static GitlabSimulator start(Path dataDir, int port) {
        JavaProcess process = JavaProcess.startQuarkusApp("gitlab-sim", privateCopy(dataDir),
                Map.of("quarkus.http.port", Integer.toString(port),
                        "quarkus.http.host", "127.0.0.1",
                        "tandem.sim.data-dir", dataDir.toString(),
                        "tandem.sim.root-token", ROOT_TOKEN),
                Map.of(), dataDir.resolve("gitlab-sim.log"));
        process.awaitHttpOk("http://127.0.0.1:" + port + "/q/health/ready", Duration.ofMinutes(2));
        return new GitlabSimulator(process, port);
    }

    /**
     * Runs a copy of the built application: rebuilding {@code gitlab-sim} (another module's build, a developer's
     * {@code mvn package}) rewrites its {@code target/quarkus-app} and would break a simulator running from it.
     */
    private static Path privateCopy(Path dataDir) {
        Path built = Workspace.runnerJar("gitlab-sim").getParent();
        Path copy = dataDir.resolve("app");
        try {
            if (Files.exists(copy)) {
                try (Stream<Path> old = Files.walk(copy)) {
                    old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(dataDir);
            try (Stream<Path> files = Files.walk(built)) {
                for (Path source : (Iterable<Path>) files::iterator) {
                    Files.copy(source, copy.resolve(built.relativize(source).toString()),
                            StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the simulator from " + built, e);
        }
        return copy.resolve("quarkus-run.jar");
    }

    /** Base URL, as gitlab4j-api takes it (without {@code /api/v4}). */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.stop();
    }
}
