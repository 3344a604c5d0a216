package io.tandem.gateway.messaging;

import io.smallrye.mutiny.Uni;
import io.tandem.events.RunStatusChanged;
import io.tandem.gateway.repository.EndedRunRepository;
import io.tandem.gateway.service.EndedRuns;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Revokes gateway tokens: once pipeline-launcher reports a run in a terminal state, the gateway refuses its
 * token. Idempotent: the first terminal state is kept, a redelivery changes nothing.
 */
@ApplicationScoped
public class RunStatusConsumer {

    private static final Logger LOG = Logger.getLogger(RunStatusConsumer.class);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(30);
    private static final int RETRIES = 4;

    private final EndedRunRepository repository;
    private final EndedRuns endedRuns;
    private final ShutdownGuard shutdown;

    public RunStatusConsumer(EndedRunRepository repository, EndedRuns endedRuns, ShutdownGuard shutdown) {
        this.repository = repository;
        this.endedRuns = endedRuns;
        this.shutdown = shutdown;
    }

    @Incoming("runs-status")
    public Uni<Void> consume(RunStatusChanged status) {
        if (status == null || status.state() == null || !status.state().terminal() || status.invocation() == null
                || status.invocation().invocationId() == null) {
            return Uni.createFrom().voidItem();
        }
        String runId = status.invocation().invocationId();
        Instant endedAt = status.occurredAt() != null ? status.occurredAt() : Instant.now();
        // A record that never completes would hold back its partition: a stuck write fails, is retried, and at
        // last goes to the dead letters. Each attempt (also after a back-off, which fires on another thread)
        // starts on the record's Vert.x context, where Hibernate Reactive needs it.
        Executor onRecordContext = recordContext();
        return shutdown.guard(() -> Uni.createFrom()
                .deferred(() -> repository.markEnded(runId, status.state().name(), endedAt))
                .runSubscriptionOn(onRecordContext)
                .ifNoItem().after(ATTEMPT_TIMEOUT).fail()
                .onFailure().invoke(failure -> LOG.warnf("end of run %s: attempt failed: %s", runId, failure))
                .onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(5)).atMost(RETRIES)
                .invoke(() -> endedRuns.remember(runId))
                .emitOn(onRecordContext));
    }

    private static Executor recordContext() {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Runnable::run;
        }
        return task -> context.runOnContext(ignored -> task.run());
    }
}
