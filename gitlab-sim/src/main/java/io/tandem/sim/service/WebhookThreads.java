package io.tandem.sim.service;

import java.util.Map;

/**
 * Which GitLab thread a webhook payload belongs to: the issue, merge request or epic of a note or of the event
 * itself, a pipeline (with its jobs), or a pushed branch. With {@code ordering=thread} each hook has one lane per
 * thread, so a thread's deliveries stay in order while different threads go out at once.
 */
final class WebhookThreads {

    private WebhookThreads() {
    }

    static String of(Map<String, Object> payload) {
        Map<?, ?> attributes = payload.get("object_attributes") instanceof Map<?, ?> m ? m : Map.of();
        return switch (String.valueOf(payload.get("object_kind"))) {
            case "note" -> attributes.get("noteable_type") + ":" + attributes.get("noteable_id");
            case "issue" -> "Issue:" + attributes.get("id");
            case "merge_request" -> "MergeRequest:" + attributes.get("id");
            case "pipeline" -> "Pipeline:" + attributes.get("id");
            case "build" -> "Pipeline:" + payload.get("pipeline_id");
            case "push" -> "Push:" + payload.get("project_id") + ":" + payload.get("ref");
            default -> "";
        };
    }
}
