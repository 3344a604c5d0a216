package io.tandem.launcher.service;

import io.smallrye.mutiny.Uni;
import io.tandem.events.Invocation;
import io.tandem.events.RunState;
import io.tandem.launcher.client.ServiceAccountGitlab;
import io.tandem.launcher.client.WorkloadGitlabClient;
import io.tandem.launcher.messaging.AuditPublisher;
import io.tandem.launcher.messaging.RunStatusPublisher;
import io.tandem.launcher.repository.Run;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Ends a run from Tandem's side (timed out, stopped): the run is marked first, so a Pipeline Hook
 * {@code canceled} that the cancellation itself causes finds it ended already; then its pipeline is
 * cancelled in GitLab as the service account, the end is published and the branch deleted. Doing it again
 * (a redelivered command) finds the run in that state and repeats the GitLab call and the publish, with the
 * same ids.
 */
@ApplicationScoped
public class RunCanceller {

    private static final Logger LOG = Logger.getLogger(RunCanceller.class);

    private final RunStore store;
    private final ServiceAccountGitlab serviceAccount;
    private final WorkloadGitlabClient gitlab;
    private final GitlabRetry retry;
    private final RunStatusPublisher statuses;
    private final AuditPublisher audit;
    private final BranchCleaner cleaner;

    public RunCanceller(RunStore store, ServiceAccountGitlab serviceAccount, WorkloadGitlabClient gitlab,
            GitlabRetry retry, RunStatusPublisher statuses, AuditPublisher audit, BranchCleaner cleaner) {
        this.store = store;
        this.serviceAccount = serviceAccount;
        this.gitlab = gitlab;
        this.retry = retry;
        this.statuses = statuses;
        this.audit = audit;
        this.cleaner = cleaner;
    }

    /**
     * Ends the run in {@code to} with {@code detail}. Does nothing when the run is unknown or ended otherwise
     * (it succeeded before the stop came, say).
     */
    public Uni<Void> end(String invocationId, RunState to, String detail, Map<String, String> auditData) {
        return store.finish(invocationId, to, detail).chain(advance -> {
            if (advance == null || !advance.inState()) {
                LOG.infof("run %s: not ending it as %s (%s)", invocationId, to,
                        advance == null ? "unknown run" : "it is " + advance.run().state);
                return Uni.createFrom().voidItem();
            }
            Run run = advance.run();
            Invocation invocation = store.invocationOf(run);
            Map<String, String> data = new LinkedHashMap<>(auditData);
            data.put("pipelineId", String.valueOf(run.pipelineId));
            return cancelInGitlab(run)
                    .chain(() -> statuses.publish(RunRecords.status(invocation, to, run.updatedAt, run.pipelineId,
                            run.pipelineUrl, run.detail)))
                    .chain(() -> audit.publish(RunRecords.audit(invocation, RunRecords.auditType(to), run.updatedAt,
                            data)))
                    .chain(() -> run.pipelineId == null ? Uni.createFrom().voidItem() : cleaner.deleteBranch(run));
        });
    }

    /** A run that ended while it was starting got its pipeline anyway: cancel it and remove the branch. */
    public Uni<Void> cancelLate(Run run) {
        return cancelInGitlab(run).chain(() -> cleaner.deleteBranch(run));
    }

    /**
     * Cancels the run's pipeline in GitLab (retrying transient failures). Best effort: when GitLab refuses, the
     * run is still ended for Tandem, and the job's own {@code timeout} ends the pipeline at the latest.
     */
    public Uni<Void> cancelInGitlab(Run run) {
        if (run.pipelineId == null) {
            return Uni.createFrom().voidItem();
        }
        return retry.run("cancelling pipeline " + run.pipelineId + " of run " + run.invocationId,
                () -> serviceAccount.call(run.serviceAccountId,
                        api -> gitlab.cancelPipeline(api, run.projectId, run.pipelineId)))
                .invoke(p -> LOG.infof("run %s: cancelled pipeline %d (now %s)", run.invocationId, run.pipelineId,
                        p == null ? "?" : p.getStatus()))
                .onFailure().invoke(f -> LOG.warnf("run %s: could not cancel pipeline %d: %s", run.invocationId,
                        run.pipelineId, FailureDetail.reason(f)))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
