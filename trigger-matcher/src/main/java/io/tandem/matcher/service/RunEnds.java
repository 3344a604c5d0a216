package io.tandem.matcher.service;

import io.smallrye.mutiny.Uni;
import io.tandem.events.Invocation;
import io.tandem.events.InvocationDenied;
import io.tandem.events.RunState;
import io.tandem.events.RunStatusChanged;
import io.tandem.matcher.messaging.AuditPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Ends a thread's active run when its pipeline reaches a terminal state or identity-service refuses it, and
 * starts the follow-up that waited for it.
 */
@ApplicationScoped
public class RunEnds {

    private static final Logger LOG = Logger.getLogger(RunEnds.class);

    private final RunScheduler scheduler;
    private final AuditPublisher audit;

    public RunEnds(RunScheduler scheduler, AuditPublisher audit) {
        this.scheduler = scheduler;
        this.audit = audit;
    }

    public Uni<Void> onStatus(RunStatusChanged status) {
        if (status.state() == null || !status.state().terminal() || status.invocation() == null) {
            return Uni.createFrom().voidItem();
        }
        return end(status.invocation(), status.state());
    }

    /**
     * A denial ends the run it names and nothing else: trigger-matcher reads its own denials of blocked triggers
     * here too, and a run it never scheduled (or recorded as refused already) has no slot to free.
     */
    public Uni<Void> onDenied(InvocationDenied denied) {
        return denied.invocation() == null ? Uni.createFrom().voidItem() : end(denied.invocation(), RunState.REFUSED);
    }

    private Uni<Void> end(Invocation ended, RunState state) {
        return scheduler.end(ended, state).chain(next -> {
            if (next == null) {
                return Uni.createFrom().voidItem();
            }
            LOG.infof("run %s ended (%s): follow-up %s requested", ended.invocationId(), state, next.invocationId());
            Map<String, String> data = TriggerStarter.describe(next);
            data.put("after", ended.invocationId());
            return audit.publish(AuditEvents.of("trigger.dequeued", next.projectId(), next.invocationId(),
                    next.requester().username(), next.serviceAccount().username(), next.invocationId(), data,
                    next.invocationId()));
        });
    }
}
