package io.tandem.launcher.service;

import io.smallrye.mutiny.Uni;
import io.tandem.events.Invocation;
import io.tandem.events.InvocationAuthorized;
import io.tandem.events.RunState;
import io.tandem.events.RunStatusChanged;
import io.tandem.launcher.client.IdentityServiceClient;
import io.tandem.launcher.client.ServiceAccountGitlab;
import io.tandem.launcher.client.ServiceAccountTokens;
import io.tandem.launcher.messaging.AuditPublisher;
import io.tandem.launcher.messaging.RunStatusPublisher;
import io.tandem.launcher.repository.Run;
import io.tandem.launcher.service.WorkloadStarter.StartedPipeline;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Starts exactly one pipeline per authorized invocation. The run row says how far an earlier attempt got: a
 * run with a pipeline only has its STARTED record published again, a run that failed its FAILED record; any
 * other run goes (again) through {@link WorkloadStarter}, which adopts what GitLab already has.
 */
@ApplicationScoped
public class RunLauncher {

    private static final Logger LOG = Logger.getLogger(RunLauncher.class);

    private final RunStore store;
    private final WorkloadStarter starter;
    private final IdentityServiceClient identity;
    private final ServiceAccountTokens tokens;
    private final RunStatusPublisher statuses;
    private final AuditPublisher audit;
    private final Vertx vertx;
    private final GitlabRetry retry;
    private final RunCanceller canceller;
    private final RunMetrics metrics;
    private final BudgetGate budgets;

    /**
     * Invocations this process is starting right now. The consumer and the restart re-drive may both reach
     * one run; two concurrent starts could each find no pipeline and create one, so the second one waits its
     * turn: it is redelivered or re-driven later and then adopts what the first made.
     */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    public RunLauncher(RunStore store, WorkloadStarter starter, @RestClient IdentityServiceClient identity,
            ServiceAccountTokens tokens, RunStatusPublisher statuses, AuditPublisher audit, Vertx vertx,
            GitlabRetry retry, RunCanceller canceller, RunMetrics metrics, BudgetGate budgets) {
        this.store = store;
        this.starter = starter;
        this.identity = identity;
        this.tokens = tokens;
        this.statuses = statuses;
        this.audit = audit;
        this.vertx = vertx;
        this.retry = retry;
        this.canceller = canceller;
        this.metrics = metrics;
        this.budgets = budgets;
    }

    public Uni<Void> launch(InvocationAuthorized event) {
        return launch(event.invocation(), RunMetrics.triggeredAt(event));
    }

    /** A re-drive after a restart is not timed: its latency would be the outage, not the platform. */
    public Uni<Void> launch(Invocation invocation) {
        return launch(invocation, null);
    }

    /** Starts (or finishes starting) the run of {@code invocation}; a no-op while another start of it runs. */
    private Uni<Void> launch(Invocation invocation, Instant triggeredAt) {
        if (!inFlight.add(invocation.invocationId())) {
            LOG.infof("run %s is being started already", invocation.invocationId());
            return Uni.createFrom().voidItem();
        }
        return launchClaimed(invocation, triggeredAt).eventually(() -> inFlight.remove(invocation.invocationId()));
    }

    private Uni<Void> launchClaimed(Invocation invocation, Instant triggeredAt) {
        if (invocation.projectId() == null) {
            return failUnplaced(invocation);
        }
        return store.findOrCreate(invocation).chain(run -> {
            if (run.pipelineId != null) {
                LOG.infof("run %s already has pipeline %d: publishing STARTED again", run.invocationId,
                        run.pipelineId);
                return statuses.publish(started(invocation, run));
            }
            if (run.state.terminal()) {
                return statuses.publish(RunRecords.status(invocation, run.state, run.updatedAt, null, null,
                        run.detail));
            }
            return start(invocation, triggeredAt);
        });
    }

    private Uni<Void> start(Invocation invocation, Instant triggeredAt) {
        return startPipeline(invocation).onItemOrFailure().transformToUni((pipeline, failure) -> failure == null
                ? recordStarted(invocation, pipeline, triggeredAt)
                : failure instanceof RunRefusedException refused ? recordRefused(invocation, refused.getMessage())
                : recordFailed(invocation, failure));
    }

    private Uni<StartedPipeline> startPipeline(Invocation invocation) {
        return retry.run("run " + invocation.invocationId(), () -> startOnce(invocation)
                .onFailure(ServiceAccountGitlab::unauthorized).recoverWithUni(unauthorized -> {
                    // identity-service rotates service account tokens: the one fetched may have just been
                    // replaced. Ask once more; a second 401 is final.
                    LOG.warnf("run %s: GitLab refused the service account's token (401); fetching it again",
                            invocation.invocationId());
                    tokens.invalidate(invocation.serviceAccount().id());
                    return startOnce(invocation);
                }));
    }

    private Uni<StartedPipeline> startOnce(Invocation invocation) {
        return tokens.tokenFor(invocation.serviceAccount().id())
                .chain(accountToken -> identity.runToken(invocation.invocationId())
                        .chain(run -> budgets.check(invocation, run)
                                .chain(() -> vertx.executeBlocking(Uni.createFrom().item(
                                        () -> starter.start(invocation, accountToken, run))))));
    }

    private Uni<Void> recordStarted(Invocation invocation, StartedPipeline pipeline, Instant triggeredAt) {
        return store.markStarted(invocation.invocationId(), pipeline).chain(run -> {
            if (run.state.terminal()) {
                // stopped while it was starting: the pipeline it got must not run
                LOG.infof("run %s ended (%s) while starting: cancelling pipeline %d", run.invocationId, run.state,
                        run.pipelineId);
                return canceller.cancelLate(run);
            }
            metrics.pipelineCreated(triggeredAt);
            Map<String, String> data = new LinkedHashMap<>();
            data.put("branch", run.branch);
            data.put("startRef", run.startRef);
            data.put("pipelineId", String.valueOf(run.pipelineId));
            data.put("pipelineUrl", run.pipelineUrl);
            data.put("adopted", String.valueOf(pipeline.adopted()));
            return statuses.publish(started(invocation, run))
                    .chain(() -> audit.publish(RunRecords.audit(invocation, "pipeline.created", run.startedAt,
                            data)));
        });
    }

    private Uni<Void> recordFailed(Invocation invocation, Throwable failure) {
        String detail = FailureDetail.of(failure);
        LOG.errorf("run %s failed to start: %s", invocation.invocationId(), detail);
        return store.markFailed(invocation.invocationId(), detail).chain(run -> statuses
                .publish(RunRecords.status(invocation, run.state, run.updatedAt, null, null, run.detail))
                .chain(() -> audit.publish(RunRecords.audit(invocation, RunRecords.auditType(RunState.FAILED),
                        run.updatedAt, Map.of("reason", run.detail == null ? "" : run.detail)))));
    }

    /** Over a token budget: no pipeline, and the requester is told why (result-publisher answers REFUSED). */
    private Uni<Void> recordRefused(Invocation invocation, String reason) {
        LOG.infof("run %s refused before it started: %s", invocation.invocationId(), reason);
        return store.markUnstarted(invocation.invocationId(), RunState.REFUSED, reason).chain(run -> statuses
                .publish(RunRecords.status(invocation, run.state, run.updatedAt, null, null, run.detail))
                .chain(() -> audit.publish(RunRecords.audit(invocation, RunRecords.auditType(run.state),
                        run.updatedAt, Map.of("reason", run.detail == null ? "" : run.detail)))));
    }

    /**
     * A group-level thread (an epic) that trigger-matcher did not place in a project: there is nowhere to run
     * the pipeline. No run row (it needs a project); the FAILED record answers the thread, and its id, derived
     * from the invocation, is the same on a redelivery.
     */
    private Uni<Void> failUnplaced(Invocation invocation) {
        String detail = "Could not start the pipeline: the " + invocation.thread().noteableType()
                + " belongs to no project, and no project to run in was chosen";
        LOG.errorf("run %s: %s", invocation.invocationId(), detail);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        metrics.runFinished(RunState.FAILED);
        return statuses.publish(RunRecords.status(invocation, RunState.FAILED, at, null, null, detail))
                .chain(() -> audit.publish(RunRecords.audit(invocation, RunRecords.auditType(RunState.FAILED), at,
                        Map.of("reason", detail))));
    }

    private static RunStatusChanged started(Invocation invocation, Run run) {
        return RunRecords.status(invocation, RunState.STARTED, run.startedAt, run.pipelineId, run.pipelineUrl,
                null);
    }
}
