package io.tandem.launcher.client;

import io.smallrye.mutiny.Uni;
import io.tandem.launcher.config.TandemConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The GitLab tokens of service accounts, fetched from identity-service and kept for a short while: starting a run
 * and following its pipeline take several GitLab steps as the same account, and each asked identity-service for
 * the token again. identity-service rotates tokens; a 401 from GitLab {@link #invalidate}s the kept one.
 */
@ApplicationScoped
public class ServiceAccountTokens {

    private record Cached(String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "Cached[expiresAt=" + expiresAt + "]";
        }
    }

    private final IdentityServiceClient identity;
    private final TandemConfig config;
    private final Clock clock = Clock.systemUTC();
    private final Map<Long, Cached> cache = new ConcurrentHashMap<>();

    public ServiceAccountTokens(@RestClient IdentityServiceClient identity, TandemConfig config) {
        this.identity = identity;
        this.config = config;
    }

    public Uni<String> tokenFor(long serviceAccountId) {
        Cached cached = cache.get(serviceAccountId);
        if (cached != null && clock.instant().isBefore(cached.expiresAt())) {
            return Uni.createFrom().item(cached.token());
        }
        return identity.serviceAccountToken(serviceAccountId)
                .map(IdentityServiceClient.TokenResponse::token)
                .invoke(token -> cache.put(serviceAccountId,
                        new Cached(token, clock.instant().plus(config.launcher().tokenCacheTtl()))));
    }

    /** Forgets a token GitLab no longer accepts, so that the next attempt fetches the current one. */
    public void invalidate(long serviceAccountId) {
        cache.remove(serviceAccountId);
    }
}
