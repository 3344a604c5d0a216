package io.tandem.launcher.client;

import io.tandem.launcher.config.TandemConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.gitlab4j.api.GitLabApi;

/**
 * Opens gitlab4j clients acting as a given user (the service account, with its own token), so GitLab checks
 * that user's permissions. The caller closes the client; calls on it block.
 */
@ApplicationScoped
public class GitlabSessions {

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 30_000;

    private final TandemConfig config;

    public GitlabSessions(TandemConfig config) {
        this.config = config;
    }

    public GitLabApi as(String token) {
        return new GitLabApi(config.gitlab().url(), token).withRequestTimeout(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
    }
}
