package io.tandem.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.utils.Utils;

/** A service's consumer group as the test broker sees it, and the partition a key's records go to. */
public final class ConsumerGroup {

    /** How many members of {@code group} have partitions of {@code topic} assigned right now. */
    public static long membersReading(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaTestResource.bootstrapServers()))) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups()
                    .get(group).get(10, TimeUnit.SECONDS);
            return description.members().stream()
                    .filter(m -> m.assignment().topicPartitions().stream().anyMatch(p -> topic.equals(p.topic())))
                    .count();
        }
    }

    /** The partition Kafka's default partitioner picks for {@code key} on the test broker's topics. */
    public static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % KafkaBroker.PARTITIONS;
    }

    private ConsumerGroup() {
    }
}
