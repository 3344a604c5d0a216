package io.tandem.publisher.messaging;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.tandem.events.AuditEvent;
import io.tandem.publisher.service.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Stores the audit events of every service, result-publisher's own among them, and republishes each as a
 * CloudEvent. The CloudEvents go first: a stored event was always published, and a redelivery publishes it
 * again under the same id (consumers drop repeats by {@code source} and {@code id}, as CloudEvents intends).
 *
 * <p>Audit events are most of Tandem's records (14 of the 36 a mention makes in the end-to-end benchmark), so they
 * are taken a poll at a time: the batch's CloudEvents are sent together and its rows written in one transaction.
 * A batch that fails is taken again one event at a time, so only an event that fails alone goes to the dead
 * letters. Each partition's offset is committed once its whole batch is stored.
 */
@ApplicationScoped
public class AuditConsumer {

    private static final Logger LOG = Logger.getLogger(AuditConsumer.class);

    private final AuditLog auditLog;
    private final AuditCloudEventPublisher cloudEvents;
    private final ShutdownGuard shutdown;

    public AuditConsumer(AuditLog auditLog, AuditCloudEventPublisher cloudEvents, ShutdownGuard shutdown) {
        this.auditLog = auditLog;
        this.cloudEvents = cloudEvents;
        this.shutdown = shutdown;
    }

    @Incoming("audit-in")
    public Uni<Void> store(KafkaRecordBatch<String, AuditEvent> batch) {
        RunMdc.tag((String) null);
        List<AuditEvent> events = batch.getPayload();
        return shutdown.guard(() -> storeAll(events).onFailure().recoverWithUni(failure -> {
                    LOG.warnf("a batch of %d audit events failed (%s): storing them one at a time", events.size(),
                            failure.toString());
                    return oneByOne(batch.getRecords());
                }))
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    private Uni<Void> storeAll(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(events.stream().map(this::publish).toList()).andFailFast()
                .chain(() -> auditLog.storeAll(events));
    }

    /** Each record alone; one that fails is dead-lettered by its own nack (unless the replica is stopping). */
    private Uni<Void> oneByOne(List<KafkaRecord<String, AuditEvent>> records) {
        return Multi.createFrom().iterable(records)
                .onItem().transformToUniAndConcatenate(record -> shutdown.guard(() -> {
                            RunMdc.tag(record.getPayload() == null ? null : record.getPayload().invocationId());
                            // a list that takes null: an unreadable payload fails in publish, as any other failure
                            return storeAll(Collections.singletonList(record.getPayload()));
                        })
                        .onFailure().recoverWithUni(failure -> Uni.createFrom().completionStage(
                                record.nack(failure))))
                .collect().last()
                .replaceWithVoid();
    }

    // deferred: building a CloudEvent of a malformed event throws, and that must fail this Uni, not the caller
    private Uni<Void> publish(AuditEvent event) {
        return Uni.createFrom().deferred(() -> cloudEvents.publish(event));
    }
}
