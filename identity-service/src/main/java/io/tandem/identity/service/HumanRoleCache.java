package io.tandem.identity.service;

import io.smallrye.mutiny.Uni;
import io.tandem.identity.client.GitlabDirectory;
import io.tandem.identity.config.TandemConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The human's current role in the project, read again from GitLab when a cached one is older than
 * {@code tandem.proxy.role-cache-ttl}: a demotion reaches the proxy's write checks within that time.
 */
@ApplicationScoped
public class HumanRoleCache {

    private final GitlabDirectory gitlab;
    private final Blocking blocking;
    private final Duration ttl;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public HumanRoleCache(GitlabDirectory gitlab, Blocking blocking, TandemConfig config) {
        this.gitlab = gitlab;
        this.blocking = blocking;
        this.ttl = config.proxy().roleCacheTtl();
    }

    public Uni<Integer> accessLevel(long projectId, long userId) {
        String key = projectId + "/" + userId;
        Cached cached = cache.get(key);
        long now = System.nanoTime();
        if (cached != null && now - cached.readAt() < ttl.toNanos()) {
            return Uni.createFrom().item(cached.level());
        }
        return blocking.call(() -> gitlab.projectAccessLevel(projectId, userId)).invoke(level -> {
            cache.put(key, new Cached(level, System.nanoTime()));
            if (cache.size() > 10_000) {
                cache.clear();
            }
        });
    }

    private record Cached(int level, long readAt) {
    }
}
