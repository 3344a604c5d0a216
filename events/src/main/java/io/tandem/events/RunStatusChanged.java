package io.tandem.events;

import java.time.Instant;

/**
 * pipeline-launcher's view of a run: the pipeline was created, or it moved.
 *
 * @param detail why the run failed or was cancelled, in words for the thread (for a failed job: its name and a
 *        link to its log); null otherwise
 * @param resultBranch on a successful end, the run's branch when the agent left commits on it (kept for a merge
 *        request); null when the run changed nothing or did not succeed
 */
public record RunStatusChanged(String eventId, Instant occurredAt, int version, String key,
        Invocation invocation, RunState state, Long pipelineId, String pipelineUrl, String detail,
        String resultBranch) {

    public static final int VERSION = 2;

    /** A change that leaves no branch behind. */
    public RunStatusChanged(String eventId, Instant occurredAt, int version, String key, Invocation invocation,
            RunState state, Long pipelineId, String pipelineUrl, String detail) {
        this(eventId, occurredAt, version, key, invocation, state, pipelineId, pipelineUrl, detail, null);
    }
}
