package io.tandem.identity.service;

import io.smallrye.mutiny.Uni;
import io.tandem.events.EventIds;
import io.tandem.identity.client.GitlabCallException;
import io.tandem.identity.client.GitlabDirectory;
import io.tandem.identity.client.GitlabServiceAccountsClient;
import io.tandem.identity.client.GitlabServiceAccountsClient.PersonalAccessToken;
import io.tandem.identity.client.GitlabServiceAccountsClient.ServiceAccount;
import io.tandem.identity.config.TandemConfig;
import io.tandem.identity.messaging.AuditPublisher;
import io.tandem.identity.repository.ServiceAccountEntity;
import io.tandem.identity.repository.ServiceAccountRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/**
 * Group service accounts: created in GitLab once per agent and group (or adopted if GitLab already has one),
 * their personal access token kept sealed, and added to or removed from projects.
 */
@ApplicationScoped
public class ServiceAccountService {

    private final ServiceAccountRepository accounts;
    private final GitlabServiceAccountsClient serviceAccounts;
    private final GitlabDirectory directory;
    private final Blocking blocking;
    private final ServiceAccountTokens tokens;
    private final ServiceAccountTokenRotation rotation;
    private final AuditPublisher audit;
    private final TandemConfig.Identity config;

    public ServiceAccountService(ServiceAccountRepository accounts, GitlabServiceAccountsClient serviceAccounts,
            GitlabDirectory directory, Blocking blocking, ServiceAccountTokens tokens,
            ServiceAccountTokenRotation rotation, AuditPublisher audit, TandemConfig config) {
        this.accounts = accounts;
        this.serviceAccounts = serviceAccounts;
        this.directory = directory;
        this.blocking = blocking;
        this.tokens = tokens;
        this.rotation = rotation;
        this.audit = audit;
        this.config = config.identity();
    }

    /** The agent's service account in the group, created or adopted on first use. */
    public Uni<ServiceAccountEntity> ensure(long groupId, String agentName) {
        return blocking.call(() -> directory.groupPath(groupId))
                .map(groupPath -> Slugs.serviceAccountUsername(agentName, groupPath))
                .flatMap(username -> accounts.findByGroupAndUsername(groupId, username)
                        .flatMap(stored -> stored != null ? Uni.createFrom().item(stored)
                                : provision(groupId, agentName, username)));
    }

    public Uni<Void> addToProject(long userId, long projectId) {
        return known(userId)
                .call(account -> blocking.run(() -> directory.addDeveloper(projectId, userId)))
                .call(account -> projectAudit("service-account.added-to-project", account, projectId))
                .replaceWithVoid();
    }

    public Uni<Void> removeFromProject(long userId, long projectId) {
        return known(userId)
                .call(account -> blocking.run(() -> directory.removeMember(projectId, userId)))
                .call(account -> projectAudit("service-account.removed-from-project", account, projectId))
                .replaceWithVoid();
    }

    /**
     * The account's GitLab token. One within the renew window is rotated first (the sweep normally did that
     * already); if that fails, a token that has not expired yet is still handed out.
     */
    public Uni<String> gitlabToken(long userId) {
        return known(userId).flatMap(account -> {
            if (!rotation.due(account)) {
                return Uni.createFrom().item(tokens.open(account));
            }
            return rotation.rotate(userId, false).flatMap(rotated -> known(userId)).map(tokens::open)
                    .onFailure(failure -> !(failure instanceof UnknownServiceAccountException)
                            && account.tokenExpiresAt.isAfter(today()))
                    .recoverWithItem(() -> tokens.open(account));
        });
    }

    private Uni<ServiceAccountEntity> known(long userId) {
        return accounts.findByUserId(userId).onItem().ifNull().failWith(() -> new UnknownServiceAccountException(userId));
    }

    private Uni<ServiceAccountEntity> provision(long groupId, String agentName, String username) {
        return blocking.call(() -> provisionInGitlab(groupId, agentName, username))
                .flatMap(provisioned -> {
                    ServiceAccountEntity account = new ServiceAccountEntity();
                    account.userId = provisioned.account().id();
                    account.groupId = groupId;
                    account.username = provisioned.account().username();
                    account.agentName = agentName;
                    account.createdAt = Instant.now();
                    return accounts.save(tokens.store(account, provisioned.token()))
                            .call(saved -> audit.publish(
                                    EventIds.derive("audit", provisioned.type(), Long.toString(saved.userId)),
                                    Instant.now(), "group:" + groupId, provisioned.type(), null, null, null,
                                    saved.username, Map.of("groupId", Long.toString(groupId), "agentName", agentName,
                                            "userId", Long.toString(saved.userId))));
                });
    }

    /** Blocking. Adopts an account GitLab already has (its old token is lost to Tandem: a new one is minted). */
    private Provisioned provisionInGitlab(long groupId, String agentName, String username) {
        ServiceAccount existing = serviceAccounts.find(groupId, username).orElse(null);
        String type = "service-account.adopted";
        if (existing == null) {
            try {
                existing = serviceAccounts.create(groupId, agentName, username);
                type = "service-account.created";
            } catch (GitlabCallException e) {
                // Another request may have created it a moment ago.
                existing = serviceAccounts.find(groupId, username).orElseThrow(() -> e);
            }
        }
        PersonalAccessToken token = serviceAccounts.createToken(groupId, existing.id(), tokenExpiry());
        return new Provisioned(existing, token, type);
    }

    /** Each change is its own step (a repeated request that changes nothing still yields a new event id). */
    private Uni<Void> projectAudit(String type, ServiceAccountEntity account, long projectId) {
        return audit.publish(UUID.randomUUID().toString(), Instant.now(), Long.toString(projectId), type, projectId,
                null, null, account.username, Map.of("userId", Long.toString(account.userId),
                        "groupId", Long.toString(account.groupId)));
    }

    private LocalDate tokenExpiry() {
        return today().plusDays(config.serviceAccountTokenDays());
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private record Provisioned(ServiceAccount account, PersonalAccessToken token, String type) {
    }
}
