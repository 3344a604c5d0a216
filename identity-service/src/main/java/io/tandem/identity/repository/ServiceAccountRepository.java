package io.tandem.identity.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ServiceAccountRepository implements PanacheRepositoryBase<ServiceAccountEntity, Long> {

    @WithSession
    public Uni<ServiceAccountEntity> findByGroupAndUsername(long groupId, String username) {
        return find("groupId = ?1 and username = ?2", groupId, username).firstResult();
    }

    @WithSession
    public Uni<ServiceAccountEntity> findByUserId(long userId) {
        return findById(userId);
    }

    /** Inserts the account, or replaces the stored one's token and names. */
    @WithTransaction
    public Uni<ServiceAccountEntity> save(ServiceAccountEntity account) {
        return findById(account.userId).flatMap(stored -> {
            if (stored == null) {
                return persist(account);
            }
            stored.groupId = account.groupId;
            stored.username = account.username;
            stored.agentName = account.agentName;
            stored.tokenCiphertext = account.tokenCiphertext;
            stored.tokenKeyId = account.tokenKeyId;
            stored.tokenExpiresAt = account.tokenExpiresAt;
            return Uni.createFrom().item(stored);
        });
    }
}
