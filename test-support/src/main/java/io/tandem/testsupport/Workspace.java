package io.tandem.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the reactor's root and the runner jars its Quarkus modules build. */
public final class Workspace {

    public static Path root() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("events/pom.xml")) && Files.exists(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("not inside the Tandem reactor: " + dir);
    }

    /** {@code <module>/target/quarkus-app/quarkus-run.jar}, which {@code ./mvnw package} builds. */
    public static Path runnerJar(String module) {
        Path jar = root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " does not exist: build " + module + " first (./mvnw package)");
        }
        return jar;
    }

    private Workspace() {
    }
}
