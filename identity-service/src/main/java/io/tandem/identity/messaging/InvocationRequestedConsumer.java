package io.tandem.identity.messaging;

import io.smallrye.mutiny.Uni;
import io.tandem.events.InvocationRequested;
import io.tandem.identity.config.TandemConfig;
import io.tandem.identity.service.InvocationDecisionService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Decides every requested invocation. The offset is committed once the decision is stored and published;
 * a record that still fails after the retries (each attempt bounded in time) goes to the channel's dead-letter
 * topic, its reason logged.
 */
@ApplicationScoped
public class InvocationRequestedConsumer {

    private static final Logger LOG = Logger.getLogger(InvocationRequestedConsumer.class);

    private final InvocationDecisionService decisions;
    private final Duration attemptTimeout;
    private final Duration firstBackOff;
    private final ShutdownGuard shutdown;

    public InvocationRequestedConsumer(InvocationDecisionService decisions, TandemConfig config,
            ShutdownGuard shutdown) {
        this.decisions = decisions;
        this.attemptTimeout = config.identity().decisionAttemptTimeout();
        this.firstBackOff = config.identity().retryBackOff();
        this.shutdown = shutdown;
    }

    @Incoming("invocations-requested")
    public Uni<Void> consume(InvocationRequested request) {
        RunMdc.tag(request == null ? null : request.invocation());
        String invocationId = request == null || request.invocation() == null ? "(none)"
                : request.invocation().invocationId();
        // A retry is safe: a decision stored by an earlier attempt is republished, not taken again.
        // A malformed record (IllegalArgumentException) is not retried: it goes straight to the dead letters.
        return shutdown.guard(() -> RecordAttempts.run("invocation " + invocationId, () -> decisions.handle(request),
                attemptTimeout, firstBackOff, failure -> !(failure instanceof IllegalArgumentException), LOG));
    }
}
