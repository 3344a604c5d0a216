package io.tandem.publisher.messaging;

import io.smallrye.mutiny.Uni;
import io.tandem.events.InvocationDenied;
import io.tandem.events.InvocationQueued;
import io.tandem.events.InvocationRequested;
import io.tandem.events.RunState;
import io.tandem.events.RunStatusChanged;
import io.tandem.publisher.service.NoteMetrics;
import io.tandem.publisher.service.NoteUpdate;
import io.tandem.publisher.service.ProgressNotes;
import io.tandem.publisher.service.ResultFiles;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Turns what the other services say about a run into updates of its progress note. */
@ApplicationScoped
public class RunProgressConsumer {

    private final ProgressNotes progressNotes;
    private final ResultFiles resultFiles;
    private final ShutdownGuard shutdown;

    public RunProgressConsumer(ProgressNotes progressNotes, ResultFiles resultFiles, ShutdownGuard shutdown) {
        this.progressNotes = progressNotes;
        this.resultFiles = resultFiles;
        this.shutdown = shutdown;
    }

    @Incoming("invocations-requested")
    public Uni<Void> requested(InvocationRequested record) {
        RunMdc.tag(record.invocation());
        return shutdown.guard(() -> progressNotes.apply(new NoteUpdate(record.invocation(), RunState.PROCESSING,
                null, null, NoteMetrics.triggeredAt(record.invocation(), record.occurredAt()))));
    }

    /** The thread has an active run of this agent; the note says this request waits for it. */
    @Incoming("invocations-queued")
    public Uni<Void> queued(InvocationQueued record) {
        RunMdc.tag(record.invocation());
        return shutdown.guard(() -> progressNotes.apply(new NoteUpdate(record.invocation(), RunState.QUEUED,
                null, null, NoteMetrics.triggeredAt(record.invocation(), record.occurredAt()))));
    }

    @Incoming("invocations-denied")
    public Uni<Void> denied(InvocationDenied record) {
        RunMdc.tag(record.invocation());
        return shutdown.guard(() -> progressNotes.apply(new NoteUpdate(record.invocation(), RunState.REFUSED,
                record.reason(), null, NoteMetrics.triggeredAt(record.invocation(), record.occurredAt()))));
    }

    @Incoming("runs-status")
    public Uni<Void> statusChanged(RunStatusChanged record) {
        RunMdc.tag(record.invocation());
        // only a successful run's branch is the agent's result; the field has no meaning in other states
        String resultBranch = record.state() == RunState.SUCCEEDED ? record.resultBranch() : null;
        return shutdown.guard(() -> progressNotes.apply(new NoteUpdate(record.invocation(), record.state(),
                record.detail(),
                record.pipelineUrl(), NoteMetrics.triggeredAt(record.invocation(), record.occurredAt()),
                resultBranch))
                // after the note that says the run ended, the answer the agent left
                .chain(() -> resultFiles.publish(record)));
    }
}
