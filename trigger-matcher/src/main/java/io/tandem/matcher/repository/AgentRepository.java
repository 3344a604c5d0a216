package io.tandem.matcher.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class AgentRepository implements PanacheRepositoryBase<Agent, Long> {

    public Uni<List<Agent>> listByProject(long projectId) {
        return list("projectId = ?1 order by id", projectId);
    }

    public Uni<Boolean> nameTaken(long projectId, String name, Long exceptId) {
        return count("projectId = ?1 and lower(name) = lower(?2) and id <> ?3", projectId, name,
                exceptId == null ? -1L : exceptId).map(n -> n > 0);
    }
}
