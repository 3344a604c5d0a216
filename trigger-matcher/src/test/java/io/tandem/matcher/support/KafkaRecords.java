package io.tandem.matcher.support;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tandem.testsupport.KafkaTestResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for tests: what webhook-ingest would publish, and what this service published. */
public final class KafkaRecords {

    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static KafkaProducer<String, String> producer;
    private static String producerBootstrap;

    public static void send(String topic, String key, Object value) {
        try {
            producer().send(new ProducerRecord<>(topic, key, JSON.writeValueAsString(value))).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    /** One producer for the broker of the running tests: a new one per record cost its start-up and metadata. */
    private static synchronized KafkaProducer<String, String> producer() {
        String bootstrap = KafkaTestResource.bootstrapServers();
        if (producer == null || !bootstrap.equals(producerBootstrap)) {
            if (producer != null) {
                producer.close(Duration.ZERO);
            }
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
            producerBootstrap = bootstrap;
        }
        return producer;
    }

    /**
     * A consumer of every partition of {@code topic}, from its beginning, without a group (no group join to wait
     * for). Each {@link #poll()} reads up to the topic's end offsets at the time of the call: everything published
     * and acknowledged before it, and so also what was not.
     */
    public static final class Reader<T> implements AutoCloseable {

        private final KafkaConsumer<String, String> consumer;
        private final String topic;
        private final Class<T> type;
        private final List<Keyed<T>> seen = new ArrayList<>();
        private List<TopicPartition> partitions = List.of();

        public Reader(String topic, Class<T> type) {
            this.topic = topic;
            this.type = type;
            this.consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                    // a fetch on partitions read to the end answers at once, not after the default 500 ms
                    ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10"),
                    new StringDeserializer(), new StringDeserializer());
        }

        /** Everything read so far, after reading up to the topic's current end. */
        public List<Keyed<T>> poll() {
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
                        seen.add(new Keyed<>(record.key(), JSON.readValue(record.value(), type)));
                    } catch (Exception e) {
                        throw new IllegalStateException("unreadable record " + record.value(), e);
                    }
                }
            }
            return List.copyOf(seen);
        }

        @Override
        public void close() {
            consumer.close(Duration.ZERO);
        }
    }

    public record Keyed<T>(String key, T value) {
    }

    private KafkaRecords() {
    }
}
