package io.tandem.launcher.client;

import io.tandem.launcher.config.TandemConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.models.Constants.TokenType;

/**
 * gitlab4j clients acting as a given user (the service account, with its own token), so GitLab checks that
 * user's permissions. One client per token, kept and shared: a client is thread-safe, and a new one costs a
 * Jersey runtime and a fresh connection. Calls on it block; callers do not close it.
 */
@ApplicationScoped
public class GitlabSessions {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** Service accounts are one per agent and group; tokens past this many are mostly rotated ones. */
    private static final int MAX_CLIENTS = 256;

    private final TandemConfig config;
    private final Map<String, GitLabApi> clients = new ConcurrentHashMap<>();

    public GitlabSessions(TandemConfig config) {
        this.config = config;
    }

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
