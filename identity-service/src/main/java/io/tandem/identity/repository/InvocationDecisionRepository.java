package io.tandem.identity.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class InvocationDecisionRepository implements PanacheRepositoryBase<InvocationDecisionEntity, String> {

    @WithSession
    public Uni<InvocationDecisionEntity> findByInvocationId(String invocationId) {
        return findById(invocationId);
    }

    /** Stores a new decision; if one was stored meanwhile, that one wins and is returned. */
    @WithTransaction
    public Uni<InvocationDecisionEntity> insertIfAbsent(InvocationDecisionEntity decision) {
        return findById(decision.invocationId)
                .flatMap(stored -> stored != null ? Uni.createFrom().item(stored) : persist(decision));
    }
}
