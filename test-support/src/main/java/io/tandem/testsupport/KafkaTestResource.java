package io.tandem.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** Starts a real Kafka broker for a {@code @QuarkusTest} and points the Kafka connector at it. */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private static KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        try {
            broker = KafkaBroker.start(Files.createTempDirectory("tandem-kafka"), FreePorts.next());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    /** The running broker's address, for test clients. */
    public static String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
