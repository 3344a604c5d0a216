package io.tandem.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/**
 * Reads what a service published, from the beginning of a topic, with a plain consumer of its own, as JSON trees
 * with their headers; waits up to a minute for what it is asked to see.
 */
public final class TopicReader implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<String, String> consumer;
    private final List<Received> received = new ArrayList<>();

    public TopicReader(String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "topic-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Waits until at least {@code count} records match, and returns all that match. */
    public List<Received> await(Predicate<Received> matching, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    poll();
                    return received.stream().filter(matching).count() >= count;
                });
        return received.stream().filter(matching).toList();
    }

    /** Everything received so far after one more poll. */
    public List<Received> drain(Predicate<Received> matching) {
        poll();
        return received.stream().filter(matching).toList();
    }

    private void poll() {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
            try {
                Map<String, String> headers = new HashMap<>();
                for (Header header : record.headers()) {
                    headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
                }
                received.add(new Received(record.key(), JSON.readTree(record.value()), headers));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }

    /** @param headers the record's Kafka headers, as UTF-8 text ({@code traceparent}, for one) */
    public record Received(String key, JsonNode value, Map<String, String> headers) {

        public static Predicate<Received> invocation(String invocationId) {
            return r -> invocationId.equals(r.value().path("invocation").path("invocationId").asText(null))
                    || invocationId.equals(r.value().path("invocationId").asText(null));
        }
    }
}
