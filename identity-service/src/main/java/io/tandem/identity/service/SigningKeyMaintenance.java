package io.tandem.identity.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** On every replica, on a timer: signing key rotation and retirement, and the verifier's keys kept current. */
@ApplicationScoped
public class SigningKeyMaintenance {

    private static final Logger LOG = Logger.getLogger(SigningKeyMaintenance.class);

    private final SigningKeyManager signingKeys;
    private final RunTokenVerifier verifier;

    public SigningKeyMaintenance(SigningKeyManager signingKeys, RunTokenVerifier verifier) {
        this.signingKeys = signingKeys;
        this.verifier = verifier;
    }

    @Scheduled(every = "${tandem.identity.signing-key-check-interval}",
            delayed = "${tandem.identity.signing-key-check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run().onFailure().invoke(failure -> LOG.warnf("signing key maintenance failed: %s", failure.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    public Uni<Void> run() {
        return signingKeys.maintain().call(verifier::refresh);
    }
}
