package io.tandem.identity.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class SigningKeyRepository implements PanacheRepositoryBase<SigningKeyEntity, String> {

    @WithSession
    public Uni<SigningKeyEntity> findActive() {
        return find("status", SigningKeyEntity.ACTIVE).firstResult();
    }

    /** The keys that verify tokens: every one not retired, newest first. */
    @WithSession
    public Uni<List<SigningKeyEntity>> findPublished() {
        return list("status <> ?1", Sort.descending("createdAt"), SigningKeyEntity.RETIRED);
    }

    /** Fails on the unique index if another replica made its key active first. */
    @WithTransaction
    public Uni<SigningKeyEntity> insert(SigningKeyEntity key) {
        return persist(key);
    }
}
