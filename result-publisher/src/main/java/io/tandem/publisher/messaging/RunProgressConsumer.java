package io.tandem.publisher.messaging;

import io.smallrye.mutiny.Uni;
import io.tandem.events.InvocationDenied;
import io.tandem.events.InvocationQueued;
import io.tandem.events.InvocationRequested;
import io.tandem.events.RunState;
import io.tandem.events.RunStatusChanged;
import io.tandem.publisher.service.NoteUpdate;
import io.tandem.publisher.service.ProgressNotes;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Turns what the other services say about a run into updates of its progress note. */
@ApplicationScoped
public class RunProgressConsumer {

    private final ProgressNotes progressNotes;

    public RunProgressConsumer(ProgressNotes progressNotes) {
        this.progressNotes = progressNotes;
    }

    @Incoming("invocations-requested")
    public Uni<Void> requested(InvocationRequested record) {
        return progressNotes.apply(new NoteUpdate(record.invocation(), RunState.PROCESSING, null, null));
    }

    /** The thread has an active run of this agent; the note says this request waits for it. */
    @Incoming("invocations-queued")
    public Uni<Void> queued(InvocationQueued record) {
        return progressNotes.apply(new NoteUpdate(record.invocation(), RunState.QUEUED, null, null));
    }

    @Incoming("invocations-denied")
    public Uni<Void> denied(InvocationDenied record) {
        return progressNotes.apply(new NoteUpdate(record.invocation(), RunState.REFUSED, record.reason(), null));
    }

    @Incoming("runs-status")
    public Uni<Void> statusChanged(RunStatusChanged record) {
        return progressNotes.apply(
                new NoteUpdate(record.invocation(), record.state(), record.detail(), record.pipelineUrl()));
    }
}
