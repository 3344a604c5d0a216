package io.tandem.identity.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

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
            stored.tokenId = account.tokenId;
            stored.tokenDigest = account.tokenDigest;
            return Uni.createFrom().item(stored);
        });
    }

    /** Accounts whose token expires on or before {@code day}. */
    @WithSession
    public Uni<List<Long>> expiringBy(LocalDate day) {
        return list("tokenExpiresAt <= ?1", Sort.by("userId"), day)
                .map(accounts -> accounts.stream().map(account -> account.userId).toList());
    }

    /**
     * Claims the account's token for rotation until {@code until}, unless another replica holds an unexpired claim:
     * one conditional update, so that of several replicas exactly one rotates.
     */
    @WithTransaction
    public Uni<Boolean> claimRotation(long userId, Instant now, Instant until) {
        return update("rotationClaimedUntil = ?1 where userId = ?2 and (rotationClaimedUntil is null"
                + " or rotationClaimedUntil < ?3)", until, userId, now).map(count -> count == 1);
    }

    /** Stores the rotated token and ends the claim, in one transaction: nothing hands the token out before. */
    @WithTransaction
    public Uni<ServiceAccountEntity> storeRotated(ServiceAccountEntity rotated, String previousTokenDigest, Instant at) {
        return findById(rotated.userId).map(stored -> {
            stored.tokenCiphertext = rotated.tokenCiphertext;
            stored.tokenKeyId = rotated.tokenKeyId;
            stored.tokenExpiresAt = rotated.tokenExpiresAt;
            stored.tokenId = rotated.tokenId;
            stored.tokenDigest = rotated.tokenDigest;
            stored.previousTokenDigest = previousTokenDigest;
            stored.tokenRotatedAt = at;
            stored.rotationClaimedUntil = null;
            return stored;
        });
    }

    @WithTransaction
    public Uni<Void> releaseClaim(long userId) {
        return update("rotationClaimedUntil = null where userId = ?1", userId).replaceWithVoid();
    }

    /** The account whose current token, or whose token before the last rotation, has this digest. */
    @WithSession
    public Uni<ServiceAccountEntity> findByTokenDigest(String digest) {
        return find("tokenDigest = ?1 or previousTokenDigest = ?1", digest).firstResult();
    }
}
