package io.tandem.ingest.service;

/** How one webhook delivery ended. */
public sealed interface IngestResult {

    /** The record and its audit event are in Kafka. */
    record Accepted(String eventId) implements IngestResult {
    }

    /** A GitLab event Tandem does not use: nothing was published. */
    record Ignored(String reason) implements IngestResult {
    }

    record Unauthorized() implements IngestResult {
    }

    /** {@code reason} is safe to show the caller: it names fields, never values. */
    record Malformed(String reason) implements IngestResult {
    }

    /** Kafka did not acknowledge in time; GitLab should retry. */
    record Unavailable() implements IngestResult {
    }
}
