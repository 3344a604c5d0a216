package io.tandem.identity.messaging;

import io.smallrye.mutiny.Uni;
import io.tandem.events.RunStatusChanged;
import io.tandem.identity.config.TandemConfig;
import io.tandem.identity.repository.EndedRunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Revokes run tokens: once pipeline-launcher reports a run in a terminal state, the GitLab proxy refuses its
 * token. Idempotent: the first terminal state is kept, a redelivery changes nothing.
 */
@ApplicationScoped
public class RunStatusConsumer {

    private static final Logger LOG = Logger.getLogger(RunStatusConsumer.class);
    /** One database write: far more than it ever needs, so that only a stuck attempt reaches it. */
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(30);

    private final EndedRunRepository endedRuns;
    private final Duration firstBackOff;
    private final ShutdownGuard shutdown;

    public RunStatusConsumer(EndedRunRepository endedRuns, TandemConfig config, ShutdownGuard shutdown) {
        this.endedRuns = endedRuns;
        this.firstBackOff = config.identity().retryBackOff();
        this.shutdown = shutdown;
    }

    @Incoming("runs-status")
    public Uni<Void> consume(RunStatusChanged status) {
        RunMdc.tag(status == null ? null : status.invocation());
        if (status == null || status.state() == null || !status.state().terminal() || status.invocation() == null
                || status.invocation().invocationId() == null) {
            return Uni.createFrom().voidItem();
        }
        Instant endedAt = status.occurredAt() != null ? status.occurredAt() : Instant.now();
        String invocationId = status.invocation().invocationId();
        return shutdown.guard(() -> RecordAttempts.run("end of run " + invocationId,
                () -> endedRuns.markEnded(invocationId, status.state().name(), endedAt), ATTEMPT_TIMEOUT,
                firstBackOff, failure -> true, LOG));
    }
}
