package io.tandem.launcher.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.testsupport.KafkaTestResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what the service published to a topic, from the beginning, as the test's own consumer group. */
public final class TopicReader<T> implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final ObjectMapper mapper;
    private final Class<T> type;
    private final List<Received<T>> received = new ArrayList<>();

    public TopicReader(String topic, Class<T> type, ObjectMapper mapper) {
        this.type = type;
        this.mapper = mapper;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Polls once more and answers every record so far that matches. */
    public synchronized List<Received<T>> matching(Predicate<T> predicate) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            try {
                received.add(new Received<>(record.key(), mapper.readValue(record.value(), type), record.value()));
            } catch (Exception e) {
                throw new IllegalStateException("not a " + type.getSimpleName() + ": " + record.value(), e);
            }
        }
        return received.stream().filter(r -> predicate.test(r.value())).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }

    public record Received<T>(String key, T value, String json) {
    }
}
