package io.tandem.publisher.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps a record that fails because this replica is stopping out of the dead letters.
 *
 * <p>On SIGTERM Quarkus closes the database pools, the REST clients and the Kafka producers before SmallRye closes
 * the consumers (they go with the CDI container, last), and a consumer polls and hands out records until then. A
 * record handled in those seconds fails, the {@code dead-letter-queue} strategy sets it aside and its offset is
 * committed: the record is lost (in trigger-matcher, a trigger that never becomes a run). So from
 * {@link ShutdownEvent} on (fired before anything is closed), a record that fails, or has not started yet, is left
 * neither acknowledged nor nacked: the throttled commit strategy commits only the offsets before it, and the
 * partition's next owner handles it again (every consumer is idempotent). A failure while the service runs still
 * goes to the dead letters. docs/kafka.md, "Stopping a replica".
 */
@ApplicationScoped
public class ShutdownGuard {

    private static final Logger LOG = Logger.getLogger(ShutdownGuard.class);

    private volatile boolean stopping;

    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
    }

    /** The handling of one record, held back (never completed) once the service is stopping. */
    public Uni<Void> guard(Supplier<Uni<Void>> handling) {
        if (stopping) {
            LOG.info("A record reached while this replica stops: left uncommitted for the next owner");
            return Uni.createFrom().nothing();
        }
        return Uni.createFrom().deferred(handling::get)
                .onFailure(failure -> stopping).recoverWithUni(failure -> {
                    LOG.infof("A record failed while this replica stops (%s): left uncommitted for the next owner",
                            failure.getClass().getSimpleName());
                    return Uni.createFrom().nothing();
                });
    }
}
