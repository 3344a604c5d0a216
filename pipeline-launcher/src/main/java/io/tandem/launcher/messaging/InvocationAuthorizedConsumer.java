package io.tandem.launcher.messaging;

import io.smallrye.mutiny.Uni;
import io.tandem.events.InvocationAuthorized;
import io.tandem.launcher.service.RunLauncher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** {@code tandem.invocations.authorized.v1}: one pipeline per invocation. */
@ApplicationScoped
public class InvocationAuthorizedConsumer {

    private static final Logger LOG = Logger.getLogger(InvocationAuthorizedConsumer.class);

    private final RunLauncher launcher;
    private final ShutdownGuard shutdown;

    public InvocationAuthorizedConsumer(RunLauncher launcher, ShutdownGuard shutdown) {
        this.launcher = launcher;
        this.shutdown = shutdown;
    }

    @Incoming("invocations-authorized")
    public Uni<Void> consume(InvocationAuthorized event) {
        RunMdc.tag(event.invocation());
        return shutdown.guard(() -> launcher.launch(event))
                .onFailure().invoke(f -> LOG.errorf(f, "invocation %s failed; it goes to the dead-letter topic",
                        event.invocation().invocationId()));
    }
}
