package io.tandem.ingest.service;

import static io.tandem.ingest.service.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * When an event happened, from the payload, so that a retried delivery yields the same record. The time of
 * receipt only when the payload has no readable time.
 */
final class Occurrence {

    static Instant of(JsonNode attributes, Instant receivedAt) {
        return first(attributes, receivedAt, "updated_at", "created_at");
    }

    static Instant first(JsonNode attributes, Instant receivedAt, String... fields) {
        for (String field : fields) {
            var parsed = GitlabTimestamps.parse(text(attributes, field));
            if (parsed.isPresent()) {
                return parsed.get();
            }
        }
        return receivedAt;
    }

    private Occurrence() {
    }
}
