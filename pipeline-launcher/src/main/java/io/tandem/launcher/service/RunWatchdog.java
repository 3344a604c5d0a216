package io.tandem.launcher.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tandem.events.RunState;
import io.tandem.launcher.client.ServiceAccountGitlab;
import io.tandem.launcher.client.WorkloadGitlabClient;
import io.tandem.launcher.config.TandemConfig;
import io.tandem.launcher.repository.Run;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Makes every run end, whatever GitLab or a crash did: on each tick it
 * <ul>
 * <li>times out runs past their deadline (cancels the pipeline, {@code TIMED_OUT});</li>
 * <li>asks GitLab for the pipeline of runs whose state has not moved for {@code poll-after}, in case a
 * Pipeline Hook was lost;</li>
 * <li>starts again runs that have no pipeline yet and nobody is starting: all of them on the first tick after
 * a restart (the launcher that started them was killed), later only those quiet for {@code poll-after}.
 * {@link WorkloadStarter} adopts the branch and any pipeline the killed attempt left, so this never makes a
 * second pipeline.</li>
 * </ul>
 */
@ApplicationScoped
public class RunWatchdog {

    private static final Logger LOG = Logger.getLogger(RunWatchdog.class);

    private final RunStore store;
    private final RunCanceller canceller;
    private final RunTracker tracker;
    private final RunLauncher launcher;
    private final ServiceAccountGitlab serviceAccount;
    private final WorkloadGitlabClient gitlab;
    private final TandemConfig config;
    private final AtomicBoolean firstTick = new AtomicBoolean(true);

    public RunWatchdog(RunStore store, RunCanceller canceller, RunTracker tracker,
            RunLauncher launcher, ServiceAccountGitlab serviceAccount, WorkloadGitlabClient gitlab,
            TandemConfig config) {
        this.store = store;
        this.canceller = canceller;
        this.tracker = tracker;
        this.launcher = launcher;
        this.serviceAccount = serviceAccount;
        this.gitlab = gitlab;
        this.config = config;
    }

    @Scheduled(every = "${tandem.launcher.watch-interval:30s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> tick() {
        Instant now = Instant.now();
        Instant quietSince = now.minus(config.launcher().pollAfter());
        boolean afterRestart = firstTick.getAndSet(false);
        return eachOf(store.overdue(now), this::timeOut)
                .chain(() -> eachOf(store.quiet(quietSince), this::poll))
                .chain(() -> eachOf(store.unstarted(),
                        run -> afterRestart || run.updatedAt.isBefore(quietSince) ? redrive(run)
                                : Uni.createFrom().voidItem()));
    }

    private Uni<Void> timeOut(Run run) {
        long minutes = store.timeout(store.invocationOf(run)).toMinutes();
        LOG.infof("run %s is past its timeout of %d minutes: cancelling pipeline %d", run.invocationId, minutes,
                run.pipelineId);
        return canceller.end(run.invocationId, RunState.TIMED_OUT, "Timed out after " + minutes + " minutes",
                Map.of("timeoutMinutes", String.valueOf(minutes)));
    }

    private Uni<Void> poll(Run run) {
        return serviceAccount.call(run.serviceAccountId,
                        api -> gitlab.pipeline(api, run.projectId, run.pipelineId).getStatus().toValue())
                .chain(status -> tracker.apply(run.projectId, run.pipelineId, status, "poll").chain(moved -> {
                    if (moved) {
                        LOG.infof("run %s: the poll found pipeline %d %s (a Pipeline Hook was missed)",
                                run.invocationId, run.pipelineId, status);
                        return Uni.createFrom().voidItem();
                    }
                    return store.markPolled(run.invocationId);
                }));
    }

    private Uni<Void> redrive(Run run) {
        LOG.infof("run %s has no pipeline yet: starting it again", run.invocationId);
        return launcher.launch(store.invocationOf(run));
    }

    /** One run after the other; a run that fails is logged and the others still get their turn. */
    private static Uni<Void> eachOf(Uni<List<Run>> found, Function<Run, Uni<Void>> action) {
        return found.onItem().transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem().transformToUniAndConcatenate(run -> action.apply(run)
                        .onFailure().invoke(f -> LOG.warnf("run %s: watchdog step failed: %s", run.invocationId,
                                FailureDetail.reason(f)))
                        .onFailure().recoverWithNull())
                .collect().last().replaceWithVoid();
    }
}
