package io.tandem.ingest.service;

import static io.tandem.ingest.service.JsonFields.actor;
import static io.tandem.ingest.service.JsonFields.requiredLong;
import static io.tandem.ingest.service.JsonFields.requiredObject;
import static io.tandem.ingest.service.JsonFields.requiredText;
import static io.tandem.ingest.service.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.events.Actor;
import io.tandem.events.PipelineEvent;
import io.tandem.events.ThreadKey;
import java.time.Instant;

/** Pipeline Hook. */
final class PipelineNormalizer {

    static Normalized normalize(JsonNode root, Delivery delivery, Instant receivedAt) {
        JsonNode pipeline = requiredObject(root, "object_attributes", "object_attributes");
        JsonNode project = requiredObject(root, "project", "project");
        long projectId = requiredLong(project, "id", "project.id");
        long pipelineId = requiredLong(pipeline, "id", "object_attributes.id");
        String key = ThreadKey.pipeline(projectId, pipelineId);
        // Only a finished pipeline has a time of its own status change; created_at would date every status back.
        Instant occurredAt = Occurrence.first(pipeline, receivedAt, "finished_at");
        PipelineEvent event = new PipelineEvent(delivery.eventId(), occurredAt, PipelineEvent.VERSION, key,
                delivery.deliveryId(), delivery.gitlabEventUuid(), projectId,
                text(project, "path_with_namespace"), pipelineId, text(pipeline, "ref"),
                requiredText(pipeline, "status", "object_attributes.status"), text(pipeline, "source"),
                text(pipeline, "url"));
        Actor actor = actor(root.path("user"));
        return new Normalized.Publishable("pipeline", event.eventId(), key, projectId, null,
                actor != null ? actor.username() : null, event);
    }

    private PipelineNormalizer() {
    }
}
