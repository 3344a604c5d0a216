package io.tandem.launcher.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.testsupport.KafkaTestResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what the service published to a topic, from the beginning, as a consumer of all its partitions without a
 * group (no group join to wait for). Each call reads up to the topic's end offsets at that moment, so a check that
 * something was not published sees everything published before it.
 */
public final class TopicReader<T> implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final String topic;
    private final ObjectMapper mapper;
    private final Class<T> type;
    private final List<Received<T>> received = new ArrayList<>();
    private List<TopicPartition> partitions = List.of();

    public TopicReader(String topic, Class<T> type, ObjectMapper mapper) {
        this.topic = topic;
        this.type = type;
        this.mapper = mapper;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                // a fetch on partitions read to the end answers at once, not after the default 500 ms
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10"),
                new StringDeserializer(), new StringDeserializer());
    }

    /** Reads up to the topic's current end and answers every record so far that matches. */
    public synchronized List<Received<T>> matching(Predicate<T> predicate) {
        if (partitions.isEmpty()) {
            // a topic nothing was published to may not exist yet: nothing to read, look again next time
            partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                return List.of();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " to its end " + end);
            }
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                try {
                    received.add(new Received<>(record.key(), mapper.readValue(record.value(), type),
                            record.value()));
                } catch (Exception e) {
                    throw new IllegalStateException("not a " + type.getSimpleName() + ": " + record.value(), e);
                }
            }
        }
        return received.stream().filter(r -> predicate.test(r.value())).toList();
    }

    @Override
    public void close() {
        consumer.close(Duration.ZERO);
    }

    public record Received<T>(String key, T value, String json) {
    }
}
