package io.tandem.publisher.client;

import io.tandem.publisher.config.TandemConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.models.Constants.TokenType;

/**
 * gitlab4j-api clients acting as one user, with timeouts so that a hung GitLab cannot hold a run's row lock. One
 * client per token, kept and shared: a client is thread-safe, and a new one costs a Jersey runtime and a fresh
 * connection. Callers do not close it.
 */
@ApplicationScoped
public class GitlabApis {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);
    /** Service accounts are one per agent and group; tokens past this many are mostly rotated ones. */
    private static final int MAX_CLIENTS = 256;

    private final TandemConfig config;
    private final Map<String, GitLabApi> clients = new ConcurrentHashMap<>();

    public GitlabApis(TandemConfig config) {
        this.config = config;
    }

    /** A client acting as the owner of {@code token}. */
    public GitLabApi as(String token) {
        GitLabApi api = clients.get(token);
        if (api != null) {
            return api;
        }
        if (clients.size() >= MAX_CLIENTS) {
            // Not closed: a caller may still be using one. The garbage collector takes them.
            clients.clear();
        }
        return clients.computeIfAbsent(token, t -> RuntimeReusingApiClient.open(config.gitlab().url(),
                TokenType.PRIVATE, t, CONNECT_TIMEOUT, READ_TIMEOUT));
    }
}
