package io.tandem.launcher.messaging;

import io.smallrye.mutiny.Uni;
import io.tandem.events.PipelineEvent;
import io.tandem.launcher.service.RunTracker;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** {@code tandem.gitlab.pipelines.v1}: the pipelines' status changes. */
@ApplicationScoped
public class PipelineEventConsumer {

    private static final Logger LOG = Logger.getLogger(PipelineEventConsumer.class);

    private final RunTracker tracker;
    private final ShutdownGuard shutdown;

    public PipelineEventConsumer(RunTracker tracker, ShutdownGuard shutdown) {
        this.tracker = tracker;
        this.shutdown = shutdown;
    }

    @Incoming("pipeline-events")
    public Uni<Void> consume(PipelineEvent event) {
        // The run is known once the tracker has found the pipeline's run (it tags the MDC then).
        RunMdc.tag((String) null);
        return shutdown.guard(() -> tracker.track(event))
                .onFailure().invoke(f -> LOG.errorf(f, "pipeline event %s (pipeline %d) failed; it goes to the"
                        + " dead-letter topic", event.eventId(), event.pipelineId()));
    }
}
