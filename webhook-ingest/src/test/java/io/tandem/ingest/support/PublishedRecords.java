package io.tandem.ingest.support;

import io.tandem.testsupport.KafkaTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what the service published with a plain consumer. The service answers only after the broker acknowledged,
 * so everything it published for a delivery is readable by the time the response arrives: reading each topic up
 * to its current end shows exactly what is there, and what is not.
 *
 * <p>One consumer per topic serves all calls against one broker and keeps what it read: a new consumer per call
 * (its metadata, offset lookups and first fetch) cost about a second each.
 */
public final class PublishedRecords {

    private static final Map<String, TopicRecords> READERS = new HashMap<>();
    private static String bootstrap;

    /** Every record of {@code topic} up to its end offsets at the time of the call. */
    public static synchronized List<ConsumerRecord<String, String>> all(String topic) {
        String current = KafkaTestResource.bootstrapServers();
        if (!current.equals(bootstrap)) {
            READERS.values().forEach(TopicRecords::close);
            READERS.clear();
            bootstrap = current;
        }
        return READERS.computeIfAbsent(topic, t -> new TopicRecords(current, t)).upToEnd();
    }

    /** The records of {@code topic} whose {@code tandem-delivery-id} header is {@code deliveryId}. */
    public static List<ConsumerRecord<String, String>> ofDelivery(String topic, String deliveryId) {
        return all(topic).stream().filter(r -> deliveryId.equals(header(r, "tandem-delivery-id"))).toList();
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static final class TopicRecords {

        final String topic;
        final KafkaConsumer<String, String> consumer;
        final List<ConsumerRecord<String, String>> read = new ArrayList<>();
        List<TopicPartition> partitions = List.of();

        TopicRecords(String bootstrap, String topic) {
            this.topic = topic;
            Properties config = new Properties();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            // a fetch on partitions that are read to the end answers at once instead of after the default 500 ms
            config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
            consumer = new KafkaConsumer<>(config);
        }

        List<ConsumerRecord<String, String>> upToEnd() {
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
                    throw new AssertionError("could not read " + topic + " to its end " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
            return List.copyOf(read);
        }

        void close() {
            consumer.close(Duration.ZERO);
        }
    }

    private PublishedRecords() {
    }
}
