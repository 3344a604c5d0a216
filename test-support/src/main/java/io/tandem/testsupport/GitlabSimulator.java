package io.tandem.testsupport;

import java.nio.file.Path;
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
        JavaProcess process = JavaProcess.startQuarkusApp("gitlab-sim", Workspace.runnerJar("gitlab-sim"),
                Map.of("quarkus.http.port", Integer.toString(port),
                        "quarkus.http.host", "127.0.0.1",
                        "tandem.sim.data-dir", dataDir.toString(),
                        "tandem.sim.root-token", ROOT_TOKEN),
                Map.of(), dataDir.resolve("gitlab-sim.log"));
        process.awaitHttpOk("http://127.0.0.1:" + port + "/q/health/ready", Duration.ofMinutes(2));
        return new GitlabSimulator(process, port);
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
