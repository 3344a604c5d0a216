package io.tandem.sim.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The thread a webhook belongs to, for ordering=thread: notes go with their issue, jobs with their pipeline. */
class WebhookThreadsTest {

    @Test
    void eventsOfOneThreadShareAKey() {
        assertEquals("Issue:7", WebhookThreads.of(Map.of("object_kind", "issue", "object_attributes", Map.of("id", 7))));
        assertEquals("Issue:7", WebhookThreads.of(Map.of("object_kind", "note",
                "object_attributes", Map.of("noteable_type", "Issue", "noteable_id", 7))));
        assertEquals("MergeRequest:7", WebhookThreads.of(Map.of("object_kind", "note",
                "object_attributes", Map.of("noteable_type", "MergeRequest", "noteable_id", 7))));
        assertEquals("Pipeline:3", WebhookThreads.of(Map.of("object_kind", "pipeline",
                "object_attributes", Map.of("id", 3))));
        assertEquals("Pipeline:3", WebhookThreads.of(Map.of("object_kind", "build", "pipeline_id", 3)));
        assertEquals("Push:1:refs/heads/main", WebhookThreads.of(Map.of("object_kind", "push", "project_id", 1,
                "ref", "refs/heads/main")));
    }
}
