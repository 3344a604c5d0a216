package io.tandem.identity.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** On every replica, on a timer: rotates the service account tokens due (the claim keeps replicas apart). */
@ApplicationScoped
public class ServiceAccountTokenSweep {

    private static final Logger LOG = Logger.getLogger(ServiceAccountTokenSweep.class);

    private final ServiceAccountTokenRotation rotation;

    public ServiceAccountTokenSweep(ServiceAccountTokenRotation rotation) {
        this.rotation = rotation;
    }

    @Scheduled(every = "${tandem.identity.token-rotation-interval}", delayed = "${tandem.identity.token-rotation-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return rotation.rotateDue()
                .invoke(rotated -> LOG.debugf("token rotation sweep: %d rotated", rotated))
                .onFailure().invoke(failure -> LOG.warnf("token rotation sweep failed: %s", failure.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
