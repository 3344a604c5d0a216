package io.tandem.identity.service;

import io.smallrye.mutiny.Uni;
import io.tandem.events.EventIds;
import io.tandem.identity.client.GitlabCallException;
import io.tandem.identity.client.GitlabServiceAccountsClient;
import io.tandem.identity.client.GitlabServiceAccountsClient.PersonalAccessToken;
import io.tandem.identity.config.TandemConfig;
import io.tandem.identity.messaging.AuditPublisher;
import io.tandem.identity.repository.ServiceAccountEntity;
import io.tandem.identity.repository.ServiceAccountRepository;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Rotates service account tokens through GitLab's rotate endpoint before they expire. One replica rotates a given
 * account (a claim taken by a conditional update), and the successor is stored before the claim ends, so that
 * nothing hands out a token GitLab has already revoked for longer than that one call.
 */
@ApplicationScoped
public class ServiceAccountTokenRotation {

    /** How long a claim holds: longer than a GitLab call may take, short enough to recover from a dead replica. */
    static final Duration CLAIM_LEASE = Duration.ofMinutes(2);
    /** A caller answered 401 during a rotation waits this long, at most this often, for the successor. */
    private static final Duration SUCCESSOR_POLL = Duration.ofMillis(200);
    private static final int SUCCESSOR_POLLS = 25;
    private static final Logger LOG = Logger.getLogger(ServiceAccountTokenRotation.class);

    private final ServiceAccountRepository accounts;
    private final GitlabServiceAccountsClient gitlab;
    private final ServiceAccountTokens tokens;
    private final Blocking blocking;
    private final AuditPublisher audit;
    private final Vertx vertx;
    private final TandemConfig.Identity config;

    public ServiceAccountTokenRotation(ServiceAccountRepository accounts, GitlabServiceAccountsClient gitlab,
            ServiceAccountTokens tokens, Blocking blocking, AuditPublisher audit, Vertx vertx, TandemConfig config) {
        this.accounts = accounts;
        this.gitlab = gitlab;
        this.tokens = tokens;
        this.blocking = blocking;
        this.audit = audit;
        this.vertx = vertx;
        this.config = config.identity();
    }

    public enum Outcome {
        ROTATED, NOT_DUE, BUSY
    }

    public record Rotation(Outcome outcome, ServiceAccountEntity account) {
    }

    /** Whether the account's token is within the renew window of its expiry. */
    public boolean due(ServiceAccountEntity account) {
        return !account.tokenExpiresAt.isAfter(today().plusDays(config.serviceAccountTokenRenewDays()));
    }

    /** Rotates every token due; answers how many this replica rotated (others may have taken some). */
    public Uni<Integer> rotateDue() {
        return accounts.expiringBy(today().plusDays(config.serviceAccountTokenRenewDays())).flatMap(this::rotateEach);
    }

    private Uni<Integer> rotateEach(List<Long> userIds) {
        Uni<Integer> rotated = Uni.createFrom().item(0);
        for (Long userId : userIds) {
            rotated = rotated.flatMap(count -> rotate(userId, false)
                    .map(rotation -> count + (rotation.outcome() == Outcome.ROTATED ? 1 : 0))
                    .onFailure().recoverWithItem(failure -> {
                        // One account GitLab refuses must not keep the others from rotating; the next sweep retries.
                        LOG.warnf("rotating the token of service account %d failed: %s", userId, failure.getMessage());
                        return count;
                    }));
        }
        return rotated;
    }

    /**
     * Rotates the account's token if it is due (or always, with {@code force}). BUSY: another replica holds the
     * claim. Fails with {@link UnknownServiceAccountException} for an account Tandem does not know.
     */
    public Uni<Rotation> rotate(long userId, boolean force) {
        Instant now = Instant.now();
        return accounts.claimRotation(userId, now, now.plus(CLAIM_LEASE))
                .flatMap(claimed -> accounts.findByUserId(userId).flatMap(account -> {
                    if (account == null) {
                        return Uni.createFrom().failure(new UnknownServiceAccountException(userId));
                    }
                    if (!claimed) {
                        return Uni.createFrom().item(new Rotation(Outcome.BUSY, account));
                    }
                    if (!force && !due(account)) {
                        return accounts.releaseClaim(userId).replaceWith(new Rotation(Outcome.NOT_DUE, account));
                    }
                    return rotateClaimed(account)
                            .onFailure().call(() -> accounts.releaseClaim(userId))
                            .map(rotated -> new Rotation(Outcome.ROTATED, rotated));
                }));
    }

    private Uni<ServiceAccountEntity> rotateClaimed(ServiceAccountEntity account) {
        String previousDigest = ServiceAccountTokens.digest(tokens.open(account));
        Long previousTokenId = account.tokenId;
        return blocking.call(() -> successor(account))
                .flatMap(token -> accounts.storeRotated(tokens.store(copy(account), token), previousDigest, Instant.now()))
                .call(stored -> audit.publish(
                        EventIds.derive("audit", "service-account.token-rotated", Long.toString(stored.userId),
                                String.valueOf(stored.tokenId)),
                        Instant.now(), "group:" + stored.groupId, "service-account.token-rotated", null, null, null,
                        stored.username, Map.of("userId", Long.toString(stored.userId),
                                "groupId", Long.toString(stored.groupId),
                                "previousTokenId", String.valueOf(previousTokenId),
                                "tokenId", String.valueOf(stored.tokenId),
                                "expiresAt", stored.tokenExpiresAt.toString())))
                .invoke(stored -> LOG.infof("rotated the GitLab token of service account %s (token %s -> %s)",
                        stored.username, previousTokenId, stored.tokenId));
    }

    /** Blocking. The rotated token, or a new one where there is nothing GitLab can rotate. */
    private PersonalAccessToken successor(ServiceAccountEntity account) {
        LocalDate expiresAt = today().plusDays(config.serviceAccountTokenDays());
        if (account.tokenId == null) {
            // Stored before token ids were kept: the old token simply runs out.
            return gitlab.createToken(account.groupId, account.userId, expiresAt);
        }
        try {
            return gitlab.rotateToken(account.groupId, account.userId, account.tokenId, expiresAt);
        } catch (GitlabCallException e) {
            if (e.status() == 400 || e.status() == 404) {
                // Revoked or gone already (e.g. a rotation whose answer never reached the database): start afresh.
                LOG.warnf("token %d of service account %d cannot be rotated (%d): a new one is created",
                        account.tokenId, account.userId, e.status());
                return gitlab.createToken(account.groupId, account.userId, expiresAt);
            }
            throw e;
        }
    }

    /**
     * The token that replaced {@code token} in a rotation, or null if it was not rotated. While a rotation of it is
     * under way, waits (briefly) for the successor to be stored. Must run on a Vert.x context.
     */
    public Uni<String> successorOf(String token) {
        return successorOf(ServiceAccountTokens.digest(token), SUCCESSOR_POLLS);
    }

    private Uni<String> successorOf(String digest, int pollsLeft) {
        return accounts.findByTokenDigest(digest).flatMap(account -> {
            if (account == null) {
                return Uni.createFrom().nullItem();
            }
            if (digest.equals(account.previousTokenDigest)) {
                return Uni.createFrom().item(tokens.open(account));
            }
            boolean rotating = account.rotationClaimedUntil != null && account.rotationClaimedUntil.isAfter(Instant.now());
            if (!rotating || pollsLeft == 0) {
                return Uni.createFrom().nullItem();
            }
            return Uni.createFrom().<Void>emitter(done -> vertx.setTimer(SUCCESSOR_POLL.toMillis(), id -> done.complete(null)))
                    .flatMap(ignored -> successorOf(digest, pollsLeft - 1));
        });
    }

    private static ServiceAccountEntity copy(ServiceAccountEntity account) {
        ServiceAccountEntity copy = new ServiceAccountEntity();
        copy.userId = account.userId;
        copy.groupId = account.groupId;
        copy.username = account.username;
        return copy;
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }
}
