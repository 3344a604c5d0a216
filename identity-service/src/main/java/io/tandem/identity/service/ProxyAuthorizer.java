package io.tandem.identity.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The composite identity check of one proxied call: a live run, a call inside its project, and a role high
 * enough. The role is the lower of the human's and the service account's: for a write the human's is read
 * again from GitLab (briefly cached), so a demotion takes effect during the run.
 */
@ApplicationScoped
public class ProxyAuthorizer {

    private static final long TOKEN_CACHE_NANOS = Duration.ofMinutes(1).toNanos();

    private final RunAccess runs;
    private final GitlabCallPolicy policy;
    private final HumanRoleCache humanRoles;
    private final ServiceAccountService serviceAccounts;
    private final Map<Long, CachedToken> tokens = new ConcurrentHashMap<>();

    public ProxyAuthorizer(RunAccess runs, GitlabCallPolicy policy, HumanRoleCache humanRoles,
            ServiceAccountService serviceAccounts) {
        this.runs = runs;
        this.policy = policy;
        this.humanRoles = humanRoles;
        this.serviceAccounts = serviceAccounts;
    }

    /** A REST call under {@code /api/v4}; {@code apiPath} is the raw path after it. */
    public Uni<Authorized> api(String token, String method, String apiPath) {
        return runs.open(token).flatMap(run -> {
            ApiCall call = policy.classify(method, apiPath, run);
            return requireLevel(run, call.requiredLevel(), call.write())
                    .flatMap(level -> credentials(run, call, level));
        });
    }

    /** Git smart HTTP on {@code <projectPath>.git}: fetching needs Reporter, pushing Developer. */
    public Uni<Authorized> git(String token, String projectPath, boolean push) {
        return runs.open(token).flatMap(run -> {
            if (run.projectPath() == null
                    || !run.projectPath().toLowerCase(Locale.ROOT).equals(projectPath.toLowerCase(Locale.ROOT))) {
                throw ProxyRefusal.forbidden("the run may only use the repository of its project " + run.projectPath());
            }
            int required = push ? AccessLevels.DEVELOPER : AccessLevels.REPORTER;
            return requireLevel(run, required, push).flatMap(level -> credentials(run, null, level));
        });
    }

    /**
     * The service account's token, kept in memory for a minute: opening it costs a database read and a
     * decryption on every call otherwise. A renewed token is picked up within that minute.
     */
    private Uni<Authorized> credentials(RunContext run, ApiCall call, int level) {
        CachedToken cached = tokens.get(run.serviceAccountId());
        if (cached != null && System.nanoTime() - cached.fetchedAt() < TOKEN_CACHE_NANOS) {
            return Uni.createFrom().item(new Authorized(run, call, level, cached.token()));
        }
        return serviceAccounts.gitlabToken(run.serviceAccountId()).map(token -> {
            tokens.put(run.serviceAccountId(), new CachedToken(token, System.nanoTime()));
            return new Authorized(run, call, level, token);
        });
    }

    private record CachedToken(String token, long fetchedAt) {

        @Override
        public String toString() {
            return "CachedToken[***]";
        }
    }

    private Uni<Integer> requireLevel(RunContext run, int required, boolean write) {
        int decided = run.decision().effectiveAccessLevel;
        Uni<Integer> effective;
        if (!write) {
            effective = Uni.createFrom().item(decided);
        } else if (run.decision().requesterId == null) {
            effective = Uni.createFrom().item(AccessLevels.NONE);
        } else {
            effective = humanRoles.accessLevel(run.projectId(), run.decision().requesterId)
                    .map(human -> Math.min(decided, human));
        }
        return effective.map(level -> {
            if (level < required) {
                throw ProxyRefusal.forbidden("this call needs the " + AccessLevels.roleName(required) + " role; the run acts"
                        + " with the lower of @" + run.humanUsername() + "'s role and " + run.serviceAccountUsername()
                        + "'s in " + run.projectPath() + ", which is " + AccessLevels.roleName(level));
            }
            return level;
        });
    }

    /** A call that may go on to GitLab, with the service account's GitLab token to send it with. */
    public record Authorized(RunContext run, ApiCall call, int effectiveLevel, String serviceAccountToken) {

        @Override
        public String toString() {
            return "Authorized[run=" + run.claims().runId() + ", level=" + effectiveLevel + "]";
        }
    }
}
