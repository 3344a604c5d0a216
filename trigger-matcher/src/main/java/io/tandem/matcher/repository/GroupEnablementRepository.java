package io.tandem.matcher.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class GroupEnablementRepository implements PanacheRepositoryBase<GroupEnablement, Long> {

    public Uni<GroupEnablement> find(long agentId, long groupId) {
        return find("agentId = ?1 and groupId = ?2", agentId, groupId).firstResult();
    }

    public Uni<List<GroupEnablement>> listByAgent(long agentId) {
        return list("agentId", agentId);
    }

    /** Whether a GitLab user is one of Tandem's service accounts: their comments never trigger an agent. */
    public Uni<Boolean> isServiceAccount(Long userId, String username) {
        return count("serviceAccountId = ?1 or lower(serviceAccountUsername) = lower(?2)",
                userId == null ? -1L : userId, username == null ? "" : username).map(n -> n > 0);
    }
}
