package io.tandem.matcher.service;

import io.smallrye.mutiny.Uni;
import io.tandem.events.AuditEvent;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.InvocationDenied;
import io.tandem.events.ThreadKey;
import io.tandem.matcher.messaging.AuditPublisher;
import io.tandem.matcher.messaging.InvocationDeniedPublisher;
import io.tandem.matcher.repository.EnabledAgent;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Starts an agent for a trigger that matched: checks the switches, reads and validates the definition as it is
 * now (the catalog's may have stopped validating since it was written; a repository file may have changed or
 * vanished), then hands the invocation to the {@link RunScheduler}. A blocked trigger is answered with an
 * {@link InvocationDenied} (both access levels 0: nobody's role was read) that says why. Every outcome is audited.
 * A trigger decided on before goes straight to the scheduler, which publishes only what is still unpublished.
 */
@ApplicationScoped
public class TriggerStarter {

    private static final Logger LOG = Logger.getLogger(TriggerStarter.class);

    private final TriggerSwitches switches;
    private final RunScheduler scheduler;
    private final AuditPublisher audit;
    private final RepositoryDefinitions definitions;
    private final InvocationDeniedPublisher denials;
    private final TriggerMetrics metrics;

    public TriggerStarter(TriggerSwitches switches, RunScheduler scheduler, AuditPublisher audit,
            RepositoryDefinitions definitions, InvocationDeniedPublisher denials, TriggerMetrics metrics) {
        this.switches = switches;
        this.scheduler = scheduler;
        this.audit = audit;
        this.definitions = definitions;
        this.denials = denials;
        this.metrics = metrics;
    }

    /**
     * @param invocation the run to start, placed in its run project, without its definition (it is read here)
     * @param noteId the triggering comment, recorded as processed; null for other triggers
     */
    public Uni<RunScheduler.Decision> start(EnabledAgent target, Invocation invocation, Long noteId) {
        return scheduler.decidedBefore(invocation, noteId).chain(before -> before
                ? schedule(invocation, noteId)
                : judge(target, invocation, noteId));
    }

    private Uni<RunScheduler.Decision> judge(EnabledAgent target, Invocation invocation, Long noteId) {
        return switches.blockedReason(target).chain(blocked -> {
            if (blocked != null) {
                return blocked(invocation, noteId, blocked);
            }
            return definitions.definitionFor(target, invocation)
                    .map(invocation::withDefinition)
                    .onItemOrFailure().transformToUni((ready, failure) -> {
                        if (failure instanceof InvalidDefinitionException invalid) {
                            return blocked(invocation, noteId,
                                    "the definition does not validate: " + invalid.getMessage());
                        }
                        if (failure != null) {
                            return Uni.createFrom().failure(failure);
                        }
                        return schedule(ready, noteId);
                    });
        });
    }

    private Uni<RunScheduler.Decision> schedule(Invocation invocation, Long noteId) {
        return scheduler.schedule(invocation, noteId)
                .call(decision -> decision.outcome() == RunScheduler.Outcome.NOTHING ? Uni.createFrom().voidItem()
                        : audit.publish(matched(invocation.invocationId(), decision)))
                .invoke(decision -> metrics.decided(invocation.trigger(), decision.outcome()))
                .invoke(decision -> LOG.infof("%s of %s in %s: %s (run %s)", invocation.trigger(),
                        invocation.serviceAccount().username(), ThreadKey.of(invocation.thread()),
                        decision.outcome(), decision.invocation().invocationId()));
    }

    /**
     * Denies the trigger, audits it, then records it as a refused run. A crash before the record makes a repeat
     * deny it again, with the same eventId.
     */
    private Uni<RunScheduler.Decision> blocked(Invocation invocation, Long noteId, String reason) {
        LOG.infof("%s of agent %d blocked: %s", invocation.trigger(), invocation.agentId(), reason);
        Map<String, String> data = describe(invocation);
        data.put("reason", reason);
        String id = invocation.invocationId();
        InvocationDenied denied = new InvocationDenied(EventIds.derive("trigger-denied", id), Instant.now(),
                InvocationDenied.VERSION, ThreadKey.of(invocation.thread()), invocation, AccessLevels.NONE,
                AccessLevels.NONE, reason);
        return denials.publish(denied)
                .call(() -> audit.publish(AuditEvents.of("trigger.blocked", invocation.projectId(), id,
                        invocation.requester().username(), invocation.serviceAccount().username(), id, data, id)))
                .call(() -> scheduler.refused(invocation, noteId))
                .invoke(() -> metrics.blocked(invocation.trigger()))
                .replaceWith(new RunScheduler.Decision(RunScheduler.Outcome.NOTHING, invocation, null, false));
    }

    private static AuditEvent matched(String triggerInvocationId, RunScheduler.Decision decision) {
        Invocation run = decision.invocation();
        Map<String, String> data = describe(run);
        data.put("outcome", decision.outcome().name().toLowerCase(Locale.ROOT));
        if (decision.activeInvocationId() != null) {
            data.put("activeInvocationId", decision.activeInvocationId());
        }
        if (!triggerInvocationId.equals(run.invocationId())) {
            data.put("coalescedInvocationId", triggerInvocationId);
        }
        return AuditEvents.of("trigger.matched", run.projectId(), run.invocationId(),
                run.requester().username(), run.serviceAccount().username(), run.invocationId(), data,
                triggerInvocationId);
    }

    static Map<String, String> describe(Invocation invocation) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("trigger", invocation.trigger());
        data.put("agentId", Long.toString(invocation.agentId()));
        data.put("agentName", invocation.agentName());
        if (invocation.triggerNoteId() > 0) {
            data.put("noteId", Long.toString(invocation.triggerNoteId()));
        }
        data.put("thread", ThreadKey.of(invocation.thread()));
        return data;
    }
}
