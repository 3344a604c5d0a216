package io.tandem.launcher.messaging;

import io.smallrye.mutiny.Uni;
import io.tandem.events.ThreadCommand;
import io.tandem.launcher.service.RunStopper;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * {@code tandem.thread-commands.v1}: the launcher acts on {@code stop}; {@code retry} and {@code status} are not
 * its. A refused command (the user's role is too low) is result-publisher's to answer and changes no run.
 */
@ApplicationScoped
public class ThreadCommandConsumer {

    private static final Logger LOG = Logger.getLogger(ThreadCommandConsumer.class);

    private final RunStopper stopper;
    private final ShutdownGuard shutdown;

    public ThreadCommandConsumer(RunStopper stopper, ShutdownGuard shutdown) {
        this.stopper = stopper;
        this.shutdown = shutdown;
    }

    @Incoming("thread-commands")
    public Uni<Void> consume(ThreadCommand command) {
        RunMdc.tag(command.invocationId());
        if (command.refused()) {
            LOG.debugf("command %s on run %s was refused by trigger-matcher: ignoring it", command.verb(),
                    command.invocationId());
            return Uni.createFrom().voidItem();
        }
        if (!ThreadCommand.STOP.equals(command.verb())) {
            return Uni.createFrom().voidItem();
        }
        return shutdown.guard(() -> stopper.stop(command))
                .onFailure().invoke(f -> LOG.errorf(f, "stop of run %s failed; it goes to the dead-letter topic",
                        command.invocationId()));
    }
}
