package io.tandem.publisher.client;

import io.smallrye.mutiny.Uni;
import io.tandem.publisher.config.TandemConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The GitLab tokens of service accounts, fetched from identity-service and kept for a short while, so that
 * a burst of status changes does not ask for the same token again and again, and a rotated token is picked
 * up soon.
 */
@ApplicationScoped
public class ServiceAccountTokens {

    private record Cached(String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "Cached[expiresAt=" + expiresAt + "]";
        }
    }

    private final IdentityServiceClient identityService;
    private final TandemConfig config;
    private final Clock clock = Clock.systemUTC();
    private final Map<Long, Cached> cache = new ConcurrentHashMap<>();

    public ServiceAccountTokens(@RestClient IdentityServiceClient identityService, TandemConfig config) {
        this.identityService = identityService;
        this.config = config;
    }

    public Uni<String> tokenFor(long serviceAccountId) {
        Cached cached = cache.get(serviceAccountId);
        if (cached != null && clock.instant().isBefore(cached.expiresAt())) {
            return Uni.createFrom().item(cached.token());
        }
        return identityService.gitlabToken(serviceAccountId, config.internalToken())
                .map(GitlabToken::token)
                .invoke(token -> cache.put(serviceAccountId,
                        new Cached(token, clock.instant().plus(config.publisher().tokenCacheTtl()))));
    }

    /** Forgets a token GitLab no longer accepts, so that the next attempt fetches the current one. */
    public void invalidate(long serviceAccountId) {
        cache.remove(serviceAccountId);
    }
}
