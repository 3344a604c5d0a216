package io.tandem.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * Starts the GitLab simulator for a {@code @QuarkusTest} and sets {@code tandem.gitlab.url} and
 * {@code tandem.gitlab.token} (the simulator's root token) for the service under test.
 */
public class GitlabSimTestResource implements QuarkusTestResourceLifecycleManager {

    private static GitlabSimulator simulator;

    @Override
    public Map<String, String> start() {
        try {
            simulator = GitlabSimulator.start(Files.createTempDirectory("tandem-sim"), FreePorts.next());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("tandem.gitlab.url", simulator.url(), "tandem.gitlab.token", GitlabSimulator.ROOT_TOKEN);
    }

    /** The running simulator's base URL, for test clients. */
    public static String url() {
        return simulator.url();
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
