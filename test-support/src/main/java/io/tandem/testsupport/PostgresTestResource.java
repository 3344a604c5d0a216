package io.tandem.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** Starts a real PostgreSQL server for a {@code @QuarkusTest} and points both datasources at it. */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static PostgresServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = PostgresServer.start(Files.createTempDirectory("tandem-pg"), FreePorts.next());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", server.jdbcUrl(),
                "quarkus.datasource.reactive.url", server.reactiveUrl(),
                "quarkus.datasource.username", PostgresServer.USER,
                "quarkus.datasource.password", PostgresServer.PASSWORD);
    }

    public static PostgresServer server() {
        return server;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
