package io.tandem.publisher.service;

import io.tandem.events.Invocation;
import io.tandem.events.RunState;

/**
 * What one incoming record says about a run's progress note.
 *
 * @param detail the refusal reason or the failure detail, null if the record has none
 * @param pipelineUrl the pipeline's web URL, null if the record has none
 */
public record NoteUpdate(Invocation invocation, RunState state, String detail, String pipelineUrl) {
}
