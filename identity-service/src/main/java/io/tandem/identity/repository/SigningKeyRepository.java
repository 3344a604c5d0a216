package io.tandem.identity.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
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

    /**
     * Makes {@code next} the active key and the one that was active ({@code activeKid}) previous, in one
     * transaction. Fails if {@code activeKid} is no longer active (another replica rotated first) or if another
     * key became active meanwhile (the unique index).
     */
    @WithTransaction
    public Uni<SigningKeyEntity> rotate(String activeKid, SigningKeyEntity next) {
        return update("status = ?1 where kid = ?2 and status = ?3", SigningKeyEntity.PREVIOUS, activeKid,
                SigningKeyEntity.ACTIVE).flatMap(demoted -> {
                    if (demoted != 1) {
                        return Uni.createFrom().failure(new IllegalStateException(
                                "signing key " + activeKid + " is no longer the active one"));
                    }
                    return persistAndFlush(next);
                });
    }

    /** Retires previous keys: no longer published nor accepted. Answers how many it changed. */
    @WithTransaction
    public Uni<Integer> retire(List<String> kids, Instant at) {
        if (kids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return update("status = ?1, retiredAt = ?2 where kid in ?3 and status = ?4", SigningKeyEntity.RETIRED, at,
                kids, SigningKeyEntity.PREVIOUS);
    }
}
