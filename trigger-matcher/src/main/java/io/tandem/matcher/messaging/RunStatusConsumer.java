package io.tandem.matcher.messaging;

import io.smallrye.mutiny.Uni;
import io.tandem.events.RunStatusChanged;
import io.tandem.matcher.service.RunEnds;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code tandem.runs.status.v1}; the offset is committed once the record is handled
 * (not when it fails because the service is stopping: {@link ShutdownGuard}).
 */
@ApplicationScoped
public class RunStatusConsumer {

    private final RunEnds runEnds;
    private final ShutdownGuard shutdown;

    public RunStatusConsumer(RunEnds runEnds, ShutdownGuard shutdown) {
        this.runEnds = runEnds;
        this.shutdown = shutdown;
    }

    @Incoming("runs-status")
    public Uni<Void> consume(RunStatusChanged record) {
        RunMdc.tag(record.invocation());
        return shutdown.guard(() -> runEnds.onStatus(record));
    }
}
