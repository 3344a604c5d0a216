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
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Follows Tandem's pipelines through Pipeline Hook events. A status that is news moves the run forward and is
 * published; a repeat of the run's current state is published again with the same ids (the first publish may
 * have been lost in a crash); older news and other pipelines are ignored.
 */
@ApplicationScoped
public class RunTracker {

    private static final Logger LOG = Logger.getLogger(RunTracker.class);

    private final RunStore store;
    private final RunStatusPublisher statuses;
    private final AuditPublisher audit;
    private final BranchCleaner cleaner;

    public RunTracker(RunStore store, RunStatusPublisher statuses, AuditPublisher audit, BranchCleaner cleaner) {
        this.store = store;
        this.statuses = statuses;
        this.audit = audit;
        this.cleaner = cleaner;
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
        return store.advance(projectId, pipelineId, to).chain(advance -> {
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
            Run run = advance.run();
            Invocation invocation = store.invocationOf(run);
            String detail = "GitLab pipeline " + status;
            Uni<Void> published = statuses
                    .publish(RunRecords.status(invocation, to, run.updatedAt, run.pipelineId, run.pipelineUrl, detail))
                    .chain(() -> audit.publish(RunRecords.audit(invocation, RunRecords.auditType(to), run.updatedAt,
                            Map.of("pipelineId", String.valueOf(run.pipelineId), "status", status,
                                    "source", source))));
            return (to.terminal() ? published.chain(() -> cleaner.deleteBranch(run)) : published)
                    .replaceWith(advance.moved());
        });
    }
}
