package io.tandem.launcher.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class RunRepository implements PanacheRepositoryBase<Run, String> {

    public Uni<Run> findByPipeline(long projectId, long pipelineId) {
        return find("projectId = ?1 and pipelineId = ?2", projectId, pipelineId).firstResult();
    }
}
