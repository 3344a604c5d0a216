package io.tandem.matcher.messaging;

import io.smallrye.mutiny.Uni;
import io.tandem.events.InvocationDenied;
import io.tandem.matcher.service.RunEnds;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code tandem.invocations.denied.v1}; the offset is committed once the record is handled
 * (not when it fails because the service is stopping: {@link ShutdownGuard}).
 */
@ApplicationScoped
public class InvocationDeniedConsumer {

    private final RunEnds runEnds;
    private final ShutdownGuard shutdown;

    public InvocationDeniedConsumer(RunEnds runEnds, ShutdownGuard shutdown) {
        this.runEnds = runEnds;
        this.shutdown = shutdown;
    }

    @Incoming("invocations-denied")
    public Uni<Void> consume(InvocationDenied record) {
        RunMdc.tag(record.invocation());
        return shutdown.guard(() -> runEnds.onDenied(record));
    }
}
