package io.tandem.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The classpath of a child JVM that runs the broker or the database: this module's own classes plus the
 * Maven-resolved jars of its runtime dependencies, written at build time into {@code runtime.classpath}.
 */
final class RuntimeClasspath {

    static String get() {
        try (InputStream in = RuntimeClasspath.class.getResourceAsStream("runtime.classpath")) {
            if (in == null) {
                throw new IllegalStateException("runtime.classpath missing: build test-support with Maven first");
            }
            String jars = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return ownLocation() + java.io.File.pathSeparator + jars;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String ownLocation() {
        try {
            Path path = Paths.get(RuntimeClasspath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return path.toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private RuntimeClasspath() {
    }
}
