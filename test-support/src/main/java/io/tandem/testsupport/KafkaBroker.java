package io.tandem.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A real Apache Kafka broker in KRaft mode (one node, broker and controller), run in a child JVM from the
 * Maven-resolved {@code kafka_2.13} jars. Topics are created on first use with {@value #PARTITIONS} partitions.
 */
public final class KafkaBroker implements AutoCloseable {

    public static final int PARTITIONS = 3;

    private final JavaProcess process;
    private final int port;

    private KafkaBroker(JavaProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a broker that dies with this JVM. */
    public static KafkaBroker start(Path dir, int port) {
        return start(dir, port, true);
    }

    /**
     * Starts a broker keeping its data in {@code dir}; formats the storage the first time. With
     * {@code exitWithParent} the broker ends when this JVM ends.
     */
    public static KafkaBroker start(Path dir, int port, boolean exitWithParent) {
        int controllerPort = FreePorts.next();
        Path config = dir.resolve("server.properties");
        Path data = dir.resolve("data");
        try {
            Files.createDirectories(data);
            Files.writeString(config, properties(port, controllerPort, data));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String classpath = RuntimeClasspath.get();
        List<String> jvm = List.of("-Xmx512m", "-XX:+UseSerialGC", "-cp", classpath,
                "-Dtandem.exitWithParent=" + exitWithParent);
        if (!Files.exists(data.resolve("meta.properties"))) {
            int code = JavaProcess.start("kafka-format", jvm,
                    List.of(ChildMain.class.getName(), "kafka.tools.StorageTool", "format", "-t", clusterId(),
                            "-c", config.toString()),
                    Map.of(), dir.resolve("format.log")).waitFor(Duration.ofMinutes(2));
            if (code != 0) {
                throw new IllegalStateException("kafka storage format failed, see " + dir.resolve("format.log"));
            }
        }
        JavaProcess broker = JavaProcess.start("kafka", jvm,
                List.of(ChildMain.class.getName(), "kafka.Kafka", config.toString()), Map.of(),
                dir.resolve("kafka.log"));
        broker.awaitLog("Kafka Server started", Duration.ofMinutes(2));
        return new KafkaBroker(broker, port);
    }

    static String properties(int port, int controllerPort, Path data) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + data,
                "num.partitions=" + PARTITIONS,
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=" + PARTITIONS,
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.retention.hours=-1",
                "") ;
    }

    private static String clusterId() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        // A leading '-' would read as an option to the storage tool; a clear top bit keeps the first
        // base64 character a letter.
        bytes[0] &= 0x7F;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public JavaProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.stop();
    }
}
