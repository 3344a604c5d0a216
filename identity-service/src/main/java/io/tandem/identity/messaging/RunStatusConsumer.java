package io.tandem.identity.messaging;

import io.smallrye.mutiny.Uni;
import io.tandem.events.RunStatusChanged;
import io.tandem.identity.repository.EndedRunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Revokes run tokens: once pipeline-launcher reports a run in a terminal state, the GitLab proxy refuses its
 * token. Idempotent: the first terminal state is kept, a redelivery changes nothing.
 */
@ApplicationScoped
public class RunStatusConsumer {

    private static final int RETRIES = 4;

    private final EndedRunRepository endedRuns;

    public RunStatusConsumer(EndedRunRepository endedRuns) {
        this.endedRuns = endedRuns;
    }

    @Incoming("runs-status")
    public Uni<Void> consume(RunStatusChanged status) {
        RunMdc.tag(status == null ? null : status.invocation());
        if (status == null || status.state() == null || !status.state().terminal() || status.invocation() == null
                || status.invocation().invocationId() == null) {
            return Uni.createFrom().voidItem();
        }
        Instant endedAt = status.occurredAt() != null ? status.occurredAt() : Instant.now();
        return Uni.createFrom().deferred(() -> endedRuns.markEnded(status.invocation().invocationId(),
                        status.state().name(), endedAt))
                .onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(5)).atMost(RETRIES);
    }
}
