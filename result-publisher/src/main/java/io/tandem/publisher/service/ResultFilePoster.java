package io.tandem.publisher.service;

import io.tandem.events.Invocation;
import io.tandem.publisher.client.JobArtifacts;
import io.tandem.publisher.client.JobArtifacts.ArtifactHead;
import io.tandem.publisher.client.JobArtifacts.PipelineJob;
import io.tandem.publisher.client.NoteThread;
import io.tandem.publisher.client.ThreadNotes;
import io.tandem.publisher.client.ThreadNotes.WrittenNote;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Reads the result file a run's agent job kept as an artifact and posts it in the run's thread, once: the note
 * is looked for by its marker first, so a redelivered end record or a retry after a crash finds the one posted.
 */
@ApplicationScoped
public class ResultFilePoster {

    /** The job pipeline-launcher gives the agent (WorkloadCiConfig.JOB_NAME). */
    static final String AGENT_JOB = "tandem-agent";

    private final JobArtifacts artifacts;
    private final ThreadNotes notes;
    private final ResultFileText text;

    public ResultFilePoster(JobArtifacts artifacts, ThreadNotes notes, ResultFileText text) {
        this.artifacts = artifacts;
        this.notes = notes;
        this.text = text;
    }

    /**
     * Blocking: runs on a worker thread. Empty when the run left no result file (no agent job, or the job kept no
     * such artifact); throws when GitLab may answer differently later.
     *
     * @param token the service account's GitLab token
     */
    public Optional<PostedResult> post(String token, Invocation invocation, long pipelineId) {
        String resultFile = invocation.definition().resultFile();
        Optional<PipelineJob> job = agentJob(artifacts.jobs(token, invocation.projectId(), pipelineId));
        if (job.isEmpty()) {
            return Optional.empty();
        }
        Optional<ArtifactHead> head = artifacts.head(token, invocation.projectId(), job.get().id(), resultFile,
                ResultFileText.MAX_BYTES);
        if (head.isEmpty()) {
            return Optional.empty();
        }
        NoteThread thread = notes.locate(token, NoteThread.of(invocation.thread()));
        String discussionId = ProgressNoteWriter.diffDiscussion(invocation);
        String marker = ResultFileText.marker(invocation.invocationId());
        Optional<WrittenNote> found = notes.findByMarker(token, thread, invocation.serviceAccount().id(), marker);
        boolean foundAgain = found.isPresent();
        WrittenNote note = foundAgain ? found.get()
                : notes.create(token, thread, discussionId, text.render(invocation.invocationId(),
                        head.get().content(), head.get().more(), resultFile, job.get().name(), job.get().webUrl()));
        return Optional.of(new PostedResult(note.id(), discussionId, job.get().id(), job.get().name(), resultFile,
                head.get().content().length, head.get().more(), foundAgain));
    }

    /** The job named {@value #AGENT_JOB}, else the pipeline's first job. */
    static Optional<PipelineJob> agentJob(List<PipelineJob> jobs) {
        return jobs.stream().filter(j -> AGENT_JOB.equals(j.name())).findFirst()
                .or(() -> jobs.stream().findFirst());
    }
}
