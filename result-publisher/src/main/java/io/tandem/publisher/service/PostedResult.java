package io.tandem.publisher.service;

/**
 * A run's result file, in the thread: posted now, or found again by its marker on a repeat.
 *
 * @param discussionId the discussion it answers in, null for a plain note in the thread
 * @param bytes how many bytes of the file the note carries
 * @param cut whether the file was longer than a note may carry
 */
public record PostedResult(long noteId, String discussionId, long jobId, String jobName, String resultFile,
        int bytes, boolean cut, boolean foundAgain) {
}
