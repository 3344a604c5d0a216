package io.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * All the stack's services wrote, as text to search: every line of every service log (replicas and restarts
 * included) and every record of every {@code tandem.*} topic (key, value and headers), each by its source.
 */
final class StackOutput {

    /** One line or record and where it was: a log file and line, or a topic, partition and offset. */
    record Seen(String where, String text) {
    }

    /** Every line of every service log, by file name without {@code .log} (a replica is its own entry). */
    static Map<String, List<Seen>> serviceLogs(TandemStack stack) throws IOException {
        Map<String, List<Seen>> logs = new LinkedHashMap<>();
        for (Path file : stack.serviceLogFiles()) {
            List<String> lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
            List<Seen> seen = new ArrayList<>(lines.size());
            for (int i = 0; i < lines.size(); i++) {
                seen.add(new Seen(file.getFileName() + ":" + (i + 1), lines.get(i)));
            }
            logs.put(file.getFileName().toString().replaceFirst("\\.log$", ""), seen);
        }
        return logs;
    }

    /** Every record of every {@code tandem.*} topic, read from its beginning to its end now, by topic. */
    static Map<String, List<Seen>> tandemRecords(String bootstrapServers) throws Exception {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Map<String, List<Seen>> records = new LinkedHashMap<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : admin.listTopics().names().get()) {
                if (topic.startsWith("tandem.")) {
                    records.put(topic, new ArrayList<>());
                    consumer.partitionsFor(topic)
                            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plusSeconds(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                assertThat(Instant.now()).as("the topics read to their end").isBefore(deadline);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    records.get(record.topic()).add(new Seen(record.topic() + "-" + record.partition() + "@"
                            + record.offset(), text(record)));
                }
            }
        }
        return records;
    }

    /** Whether a record of the topic contains every one of the strings. */
    static boolean hasRecord(Map<String, List<Seen>> records, String topic, String... containing) {
        return records.getOrDefault(topic, List.of()).stream()
                .anyMatch(s -> List.of(containing).stream().allMatch(s.text()::contains));
    }

    private static String text(ConsumerRecord<byte[], byte[]> record) {
        StringBuilder text = new StringBuilder().append(string(record.key())).append('\n')
                .append(string(record.value()));
        for (Header header : record.headers()) {
            text.append('\n').append(header.key()).append(": ").append(string(header.value()));
        }
        return text.toString();
    }

    private static String string(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    private StackOutput() {
    }
}
