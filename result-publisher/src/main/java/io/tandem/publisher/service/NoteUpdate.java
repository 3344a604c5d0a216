package io.tandem.publisher.service;

import io.tandem.events.Invocation;
import io.tandem.events.RunState;
import java.time.Instant;

/**
 * What one incoming record says about a run's progress note.
 *
 * @param detail the refusal reason or the failure detail, null if the record has none
 * @param pipelineUrl the pipeline's web URL, null if the record has none
 * @param triggeredAt when the run's triggering webhook was accepted ({@link NoteMetrics#triggeredAt}), null if
 *        unknown: what the first note's latency is measured from
 * @param resultBranch on SUCCEEDED, the branch the agent left commits on: it gets a merge request; else null
 */
public record NoteUpdate(Invocation invocation, RunState state, String detail, String pipelineUrl,
        Instant triggeredAt, String resultBranch) {

    /** News that leaves no branch behind. */
    public NoteUpdate(Invocation invocation, RunState state, String detail, String pipelineUrl, Instant triggeredAt) {
        this(invocation, state, detail, pipelineUrl, triggeredAt, null);
    }
}
