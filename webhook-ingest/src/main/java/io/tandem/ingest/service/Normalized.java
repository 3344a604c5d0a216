package io.tandem.ingest.service;

/** What a webhook becomes: one record to publish, or nothing (an event kind Tandem does not use). */
public sealed interface Normalized permits Normalized.Publishable, Normalized.Ignored {

    /**
     * @param kind GitLab's {@code object_kind}, the metric label
     * @param record a {@code NoteEvent}, {@code IssueEvent}, {@code MergeRequestEvent} or {@code PipelineEvent}
     * @param projectId null for group-level threads
     * @param actor the username of the human who caused the event, if known
     */
    record Publishable(String kind, String eventId, String key, Long projectId, Long groupId, String actor,
            Object record) implements Normalized {
    }

    record Ignored(String reason) implements Normalized {
    }
}
