package io.tandem.identity.messaging;

import io.smallrye.mutiny.Uni;
import io.tandem.events.InvocationRequested;
import io.tandem.identity.service.InvocationDecisionService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Decides every requested invocation. The offset is committed once the decision is stored and published;
 * a record that still fails after the retries goes to the channel's dead-letter topic.
 */
@ApplicationScoped
public class InvocationRequestedConsumer {

    private static final int RETRIES = 4;

    private final InvocationDecisionService decisions;

    public InvocationRequestedConsumer(InvocationDecisionService decisions) {
        this.decisions = decisions;
    }

    @Incoming("invocations-requested")
    public Uni<Void> consume(InvocationRequested request) {
        RunMdc.tag(request == null ? null : request.invocation());
        // A retry is safe: a decision stored by an earlier attempt is republished, not taken again.
        // A malformed record (IllegalArgumentException) is not retried: it goes straight to the dead letters.
        return Uni.createFrom().deferred(() -> decisions.handle(request))
                .onFailure(failure -> !(failure instanceof IllegalArgumentException)).retry()
                .withBackOff(Duration.ofMillis(500), Duration.ofSeconds(5)).atMost(RETRIES);
    }
}
