package io.tandem.publisher.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tandem.events.AuditEvent;
import io.tandem.publisher.service.AuditCloudEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends every audit event, whichever service took the step, as a CloudEvent to {@code tandem.audit.cloudevents.v1},
 * keyed like the audit event (so one run's steps stay in order on one partition).
 */
@ApplicationScoped
public class AuditCloudEventPublisher {

    private final MutinyEmitter<String> emitter;
    private final ObjectMapper json;

    public AuditCloudEventPublisher(@Channel("audit-cloudevents") MutinyEmitter<String> emitter, ObjectMapper json) {
        this.emitter = emitter;
        this.json = json;
    }

    /** Completes once the broker has acknowledged the record. */
    public Uni<Void> publish(AuditEvent event) {
        String value;
        try {
            value = json.writeValueAsString(AuditCloudEvent.of(event));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("audit event " + event.eventId()
                    + " cannot be written as a CloudEvent", e));
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", AuditCloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        return emitter.sendMessage(Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.key()).withHeaders(headers).build()));
    }
}
