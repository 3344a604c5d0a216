package io.tandem.publisher.messaging;

import io.quarkus.runtime.StartupEvent;
import io.tandem.publisher.config.TandemConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The CloudEvents audit topic is the record auditors rebuild runs from: it must keep records for a long time and
 * never be compacted (compaction would drop all but the last event of a key, i.e. of a run). A topic a broker
 * created on first use would get the broker's defaults, so it is created, or corrected, at start-up.
 */
@ApplicationScoped
public class AuditCloudEventsTopic {

    private static final Logger LOG = Logger.getLogger(AuditCloudEventsTopic.class);
    private static final long TIMEOUT_SECONDS = 15;

    private final TandemConfig config;
    private final String bootstrapServers;

    public AuditCloudEventsTopic(TandemConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    void onStart(@Observes StartupEvent start) {
        TandemConfig.AuditCloudevents topic = config.publisher().auditCloudevents();
        Map<String, String> settings = Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(topic.retentionMs()));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            try {
                admin.createTopics(List.of(new NewTopic(topic.topic(), Optional.of(topic.partitions()), Optional.empty())
                        .configs(settings))).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                LOG.infof("created %s (%s)", topic.topic(), settings);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.topic());
                Collection<AlterConfigOp> ops = settings.entrySet().stream()
                        .map(s -> new AlterConfigOp(new ConfigEntry(s.getKey(), s.getValue()), AlterConfigOp.OpType.SET))
                        .toList();
                admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                LOG.debugf("%s exists; settings made sure of (%s)", topic.topic(), settings);
            }
        } catch (ExecutionException | TimeoutException e) {
            // Not fatal: the events still flow; an operator must then set the topic's retention by hand.
            LOG.warnf("could not create or configure %s: %s", topic.topic(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
