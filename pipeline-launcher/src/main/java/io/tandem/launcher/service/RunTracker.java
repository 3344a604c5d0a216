package io.tandem.launcher.service;

import io.smallrye.mutiny.Uni;
import io.tandem.events.Invocation;
import io.tandem.events.PipelineEvent;
import io.tandem.events.RunState;
import io.tandem.launcher.messaging.AuditPublisher;
import io.tandem.launcher.messaging.RunMdc;
import io.tandem.launcher.messaging.RunStatusPublisher;
import io.tandem.launcher.repository.Run;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Follows Tandem's pipelines through Pipeline Hook events. A status that is news moves the run forward and is
 * published; a repeat of the run's current state is published again with the same ids and the same content (the
 * first publish may have been lost in a crash); older news and other pipelines are ignored.
 *
 * <p>What an end leaves is decided before the run moves, and stored with the move: a SUCCEEDED run whose agent
 * committed to its branch keeps the branch and names it as {@code resultBranch}; a FAILED run names the job that
 * failed. Any other end deletes the branch.
 */
@ApplicationScoped
public class RunTracker {

    private static final Logger LOG = Logger.getLogger(RunTracker.class);

    private final RunStore store;
    private final RunStatusPublisher statuses;
    private final AuditPublisher audit;
    private final BranchCleaner cleaner;
    private final ResultBranchCheck resultBranch;
    private final FailedJobDetail failedJob;

    public RunTracker(RunStore store, RunStatusPublisher statuses, AuditPublisher audit, BranchCleaner cleaner,
            ResultBranchCheck resultBranch, FailedJobDetail failedJob) {
        this.store = store;
        this.statuses = statuses;
        this.audit = audit;
        this.cleaner = cleaner;
        this.resultBranch = resultBranch;
        this.failedJob = failedJob;
    }

    public Uni<Void> track(PipelineEvent event) {
        return apply(event.projectId(), event.pipelineId(), event.status(), "hook").replaceWithVoid();
    }

    /**
     * Applies a pipeline status, from a Pipeline Hook or from the watchdog's poll ({@code source}).
     * Completes with whether the run moved.
     */
    public Uni<Boolean> apply(long projectId, long pipelineId, String status, String source) {
        RunState to = RunStates.fromPipelineStatus(status);
        if (to == null) {
            return Uni.createFrom().item(false);
        }
        return store.byPipeline(projectId, pipelineId)
                .chain(found -> ending(found, to))
                .chain(ending -> store.advance(projectId, pipelineId, to, ending))
                .chain(advance -> {
                    if (advance == null) {
                        LOG.debugf("pipeline %d of project %d is not a Tandem run", pipelineId, projectId);
                        return Uni.createFrom().item(false);
                    }
                    RunMdc.tag(advance.run().invocationId);
                    if (!advance.inState()) {
                        LOG.debugf("run %s is %s: ignoring pipeline status %s", advance.run().invocationId,
                                advance.run().state, status);
                        return Uni.createFrom().item(false);
                    }
                    return publish(advance.run(), to, status, source).replaceWith(advance.moved());
                });
    }

    /** Looks into GitLab only for a run that is about to end here; repeats reuse what the run row recorded. */
    private Uni<RunEnding> ending(Run run, RunState to) {
        if (run == null || !RunStates.canMove(run.state, to)) {
            return Uni.createFrom().item(RunEnding.PLAIN);
        }
        RunMdc.tag(run.invocationId);
        return switch (to) {
            case SUCCEEDED -> resultBranch.check(run);
            case FAILED -> failedJob.find(run);
            default -> Uni.createFrom().item(RunEnding.PLAIN);
        };
    }

    private Uni<Void> publish(Run run, RunState to, String status, String source) {
        Invocation invocation = store.invocationOf(run);
        String detail = run.detail != null ? run.detail : "GitLab pipeline " + status;
        String result = to == RunState.SUCCEEDED ? run.resultBranch : null;
        Map<String, String> data = new LinkedHashMap<>();
        data.put("pipelineId", String.valueOf(run.pipelineId));
        data.put("status", status);
        data.put("source", source);
        if (result != null) {
            data.put("resultBranch", result);
        }
        if (to.terminal() && run.detail != null) {
            data.put("detail", run.detail);
        }
        Uni<Void> published = statuses
                .publish(RunRecords.status(invocation, to, run.updatedAt, run.pipelineId, run.pipelineUrl, detail,
                        result))
                .chain(() -> audit.publish(RunRecords.audit(invocation, RunRecords.auditType(to), run.updatedAt,
                        data)));
        if (!to.terminal()) {
            return published;
        }
        if (run.branchKept) {
            LOG.infof("run %s: keeping branch %s%s", run.invocationId, run.branch,
                    result != null ? " (it holds the agent's commits)" : "");
            return published;
        }
        return published.chain(() -> cleaner.deleteBranch(run));
    }
}
