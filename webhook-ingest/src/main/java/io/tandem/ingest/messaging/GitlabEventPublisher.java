package io.tandem.ingest.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tandem.events.AuditEvent;
import io.tandem.events.IssueEvent;
import io.tandem.events.MergeRequestEvent;
import io.tandem.events.NoteEvent;
import io.tandem.events.PipelineEvent;
import io.tandem.ingest.service.Delivery;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes normalised webhooks, one channel per topic. Every returned {@link Uni} completes only once the broker
 * has acknowledged the record ({@code acks=all}), and fails if it does not.
 */
@ApplicationScoped
public class GitlabEventPublisher {

    public static final String DELIVERY_ID_HEADER = "tandem-delivery-id";
    public static final String GITLAB_EVENT_UUID_HEADER = "tandem-gitlab-event-uuid";

    private final MutinyEmitter<NoteEvent> notes;
    private final MutinyEmitter<IssueEvent> issues;
    private final MutinyEmitter<MergeRequestEvent> mergeRequests;
    private final MutinyEmitter<PipelineEvent> pipelines;
    private final MutinyEmitter<AuditEvent> audit;

    public GitlabEventPublisher(@Channel("gitlab-notes") MutinyEmitter<NoteEvent> notes,
            @Channel("gitlab-issues") MutinyEmitter<IssueEvent> issues,
            @Channel("gitlab-merge-requests") MutinyEmitter<MergeRequestEvent> mergeRequests,
            @Channel("gitlab-pipelines") MutinyEmitter<PipelineEvent> pipelines,
            @Channel("audit") MutinyEmitter<AuditEvent> audit) {
        this.notes = notes;
        this.issues = issues;
        this.mergeRequests = mergeRequests;
        this.pipelines = pipelines;
        this.audit = audit;
    }

    /** @param record one of the four webhook records of {@code events} */
    public Uni<Void> publish(Object record, String key, Delivery delivery) {
        if (record instanceof NoteEvent note) {
            return send(notes, note, key, delivery);
        }
        if (record instanceof IssueEvent issue) {
            return send(issues, issue, key, delivery);
        }
        if (record instanceof MergeRequestEvent mergeRequest) {
            return send(mergeRequests, mergeRequest, key, delivery);
        }
        if (record instanceof PipelineEvent pipeline) {
            return send(pipelines, pipeline, key, delivery);
        }
        return Uni.createFrom().failure(new IllegalArgumentException("not a webhook record: " + record.getClass()));
    }

    public Uni<Void> publishAudit(AuditEvent event) {
        return send(audit, event, event.key(), null);
    }

    private static <T> Uni<Void> send(MutinyEmitter<T> emitter, T record, String key, Delivery delivery) {
        RecordHeaders headers = new RecordHeaders();
        if (delivery != null) {
            addHeader(headers, DELIVERY_ID_HEADER, delivery.deliveryId());
            addHeader(headers, GITLAB_EVENT_UUID_HEADER, delivery.gitlabEventUuid());
        }
        Message<T> message = Message.of(record).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(key)
                .withHeaders(headers)
                .build());
        // deferred: an emitter that cannot take the message (buffer full, channel down) throws instead of failing
        return Uni.createFrom().deferred(() -> emitter.sendMessage(message));
    }

    private static void addHeader(RecordHeaders headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
