package io.tandem.events;

import java.time.Instant;

/** pipeline-launcher's view of a run: the pipeline was created, or it moved. */
public record RunStatusChanged(String eventId, Instant occurredAt, int version, String key,
        Invocation invocation, RunState state, Long pipelineId, String pipelineUrl, String detail) {

    public static final int VERSION = 2;
}
