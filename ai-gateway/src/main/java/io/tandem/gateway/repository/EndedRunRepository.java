package io.tandem.gateway.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
public class EndedRunRepository implements PanacheRepositoryBase<EndedRunEntity, String> {

    @WithSession
    public Uni<Boolean> hasEnded(String runId) {
        return findById(runId).map(ended -> ended != null);
    }

    /** The first terminal state wins; a repeat (or a later terminal state) leaves the row as it is. */
    @WithTransaction
    public Uni<Void> markEnded(String runId, String state, Instant endedAt) {
        return findById(runId).flatMap(stored -> {
            if (stored != null) {
                return Uni.createFrom().voidItem();
            }
            EndedRunEntity ended = new EndedRunEntity();
            ended.runId = runId;
            ended.state = state;
            ended.endedAt = endedAt;
            return persist(ended).replaceWithVoid();
        });
    }
}
