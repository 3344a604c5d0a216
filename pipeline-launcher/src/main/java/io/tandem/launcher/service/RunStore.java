package io.tandem.launcher.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.tandem.events.Invocation;
import io.tandem.events.RunState;
import io.tandem.events.ThreadKey;
import io.tandem.launcher.repository.Run;
import io.tandem.launcher.repository.RunRepository;
import io.tandem.launcher.service.WorkloadStarter.StartedPipeline;
import jakarta.enterprise.context.ApplicationScoped;
import io.tandem.launcher.config.TandemConfig;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The run table's transitions, each in its own transaction; a run's end is counted where it happens. */
@ApplicationScoped
public class RunStore {

    private final RunRepository runs;
    private final ObjectMapper mapper;
    private final TandemConfig config;
    private final RunMetrics metrics;

    public RunStore(RunRepository runs, ObjectMapper mapper, TandemConfig config, RunMetrics metrics) {
        this.runs = runs;
        this.mapper = mapper;
        this.config = config;
        this.metrics = metrics;
    }

    /** The run of this invocation, created in state PROCESSING when it is new. */
    @WithTransaction
    public Uni<Run> findOrCreate(Invocation invocation) {
        return runs.findById(invocation.invocationId()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(existing);
            }
            Instant now = now();
            Run run = new Run();
            run.invocationId = invocation.invocationId();
            run.projectId = invocation.projectId();
            run.threadKey = ThreadKey.of(invocation.thread());
            run.branch = WorkloadStarter.branchOf(invocation.invocationId());
            run.state = RunState.PROCESSING;
            run.serviceAccountId = invocation.serviceAccount().id();
            run.invocation = write(invocation);
            run.createdAt = now;
            run.updatedAt = now;
            return runs.persist(run);
        });
    }

    /** Records the pipeline; a run that already has one keeps it (and its state). */
    @WithTransaction
    public Uni<Run> markStarted(String invocationId, StartedPipeline pipeline) {
        return runs.findById(invocationId).invoke(run -> {
            if (run.pipelineId != null) {
                return;
            }
            Instant now = now();
            run.pipelineId = pipeline.id();
            run.pipelineUrl = pipeline.webUrl();
            run.startRef = pipeline.startRef();
            run.startedAt = now;
            run.updatedAt = now;
            run.deadlineAt = now.plus(timeout(invocationOf(run)));
            if (RunStates.canMove(run.state, RunState.STARTED)) {
                run.state = RunState.STARTED;
            }
        });
    }

    /** Ends a run that could not get a pipeline. */
    public Uni<Run> markFailed(String invocationId, String detail) {
        return markUnstarted(invocationId, RunState.FAILED, detail);
    }

    /** Ends a run before it got a pipeline, in {@code state} (FAILED, or REFUSED when it must not start). */
    @WithTransaction
    public Uni<Run> markUnstarted(String invocationId, RunState state, String detail) {
        return runs.findById(invocationId).invoke(run -> {
            if (run.state.terminal()) {
                return;
            }
            run.state = state;
            run.detail = detail;
            run.updatedAt = now();
            metrics.runFinished(state);
        });
    }

    /** The run of a pipeline, or null when the pipeline is not Tandem's. */
    @WithSession
    public Uni<Run> byPipeline(long projectId, long pipelineId) {
        return runs.findByPipeline(projectId, pipelineId);
    }

    /**
     * Moves the run of a pipeline forward to {@code to}, recording what its end leaves ({@code ending}, ignored
     * when the run does not move). Null when the pipeline is not Tandem's; otherwise the run and whether it now
     * is in {@code to} (it moved, or it already was there: a redelivered event).
     */
    @WithTransaction
    public Uni<Advance> advance(long projectId, long pipelineId, RunState to, RunEnding ending) {
        return runs.findByPipeline(projectId, pipelineId).map(run -> {
            if (run == null) {
                return null;
            }
            boolean moved = RunStates.canMove(run.state, to);
            if (moved) {
                run.state = to;
                run.updatedAt = now();
                if (ending.detail() != null) {
                    run.detail = ending.detail();
                }
                run.resultBranch = ending.resultBranch();
                run.branchKept = ending.keepBranch();
                if (to.terminal()) {
                    metrics.runFinished(to);
                }
            }
            return new Advance(run, moved, run.state == to);
        });
    }

    /**
     * Ends a run in the terminal state {@code to} (timed out, stopped) unless it already ended; the answer says
     * whether it is in {@code to} now, so a repeated command publishes the same record again.
     */
    @WithTransaction
    public Uni<Advance> finish(String invocationId, RunState to, String detail) {
        return runs.findById(invocationId).map(run -> {
            if (run == null) {
                return null;
            }
            boolean moved = RunStates.canMove(run.state, to);
            if (moved) {
                run.state = to;
                run.detail = detail;
                run.updatedAt = now();
                if (to.terminal()) {
                    metrics.runFinished(to);
                }
            }
            return new Advance(run, moved, run.state == to);
        });
    }

    /** Open runs with a pipeline past their deadline. */
    @WithSession
    public Uni<List<Run>> overdue(Instant now) {
        return runs.overdue(now);
    }

    /** Open runs with a pipeline whose state has not moved, and that were not polled, since {@code before}. */
    @WithSession
    public Uni<List<Run>> quiet(Instant before) {
        return runs.quiet(before);
    }

    /** Open runs without a pipeline. */
    @WithSession
    public Uni<List<Run>> unstarted() {
        return runs.unstarted();
    }

    /** Notes that GitLab was asked about the run's pipeline and had nothing new. */
    @WithTransaction
    public Uni<Void> markPolled(String invocationId) {
        return runs.findById(invocationId).invoke(run -> {
            if (run != null) {
                run.polledAt = now();
            }
        }).replaceWithVoid();
    }

    /** The run's timeout: the definition's {@code timeoutMinutes}, else {@code tandem.launcher.default-timeout-minutes}. */
    public Duration timeout(Invocation invocation) {
        Integer minutes = invocation.definition() == null ? null : invocation.definition().timeoutMinutes();
        return Duration.ofMinutes(minutes != null && minutes > 0 ? minutes : config.launcher().defaultTimeoutMinutes());
    }

    public Invocation invocationOf(Run run) {
        try {
            return mapper.readValue(run.invocation, Invocation.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String write(Invocation invocation) {
        try {
            return mapper.writeValueAsString(invocation);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Microseconds: what PostgreSQL keeps, so a republished record carries the very same time. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * @param moved the run moved to the new state now
     * @param inState the run is in the new state (moved now, or earlier)
     */
    public record Advance(Run run, boolean moved, boolean inState) {
    }
}
