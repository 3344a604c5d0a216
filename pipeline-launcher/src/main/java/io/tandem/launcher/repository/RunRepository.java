package io.tandem.launcher.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.tandem.events.RunState;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

@ApplicationScoped
public class RunRepository implements PanacheRepositoryBase<Run, String> {

    private static final List<RunState> OPEN = Arrays.stream(RunState.values()).filter(s -> !s.terminal()).toList();

    /** Runs with a pipeline that are past their deadline. */
    public Uni<List<Run>> overdue(Instant now) {
        return list("pipelineId is not null and state in ?1 and deadlineAt < ?2", OPEN, now);
    }

    /** Runs with a pipeline whose state has not moved since {@code before} and that were not polled since. */
    public Uni<List<Run>> quiet(Instant before) {
        return list("pipelineId is not null and state in ?1 and updatedAt < ?2 and (polledAt is null or polledAt < ?2)",
                OPEN, before);
    }

    /** Runs that never got a pipeline and are not finished: a launcher stopped half-way through starting them. */
    public Uni<List<Run>> unstarted() {
        return list("pipelineId is null and state in ?1", OPEN);
    }

    public Uni<Run> findByPipeline(long projectId, long pipelineId) {
        return find("projectId = ?1 and pipelineId = ?2", projectId, pipelineId).firstResult();
    }
}
