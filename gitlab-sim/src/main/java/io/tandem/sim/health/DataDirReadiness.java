package io.tandem.sim.health;

import io.tandem.sim.config.SimConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the repositories directory exists and is writable. */
@Readiness
@ApplicationScoped
public class DataDirReadiness implements HealthCheck {

    private final Path repositories;

    public DataDirReadiness(SimConfig config) {
        this.repositories = Paths.get(config.sim().dataDir()).toAbsolutePath().resolve("repositories");
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("gitlab-sim-data-dir")
                .status(Files.isDirectory(repositories) && Files.isWritable(repositories)).build();
    }
}
