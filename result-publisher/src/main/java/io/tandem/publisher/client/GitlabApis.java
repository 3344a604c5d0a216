package io.tandem.publisher.client;

import io.tandem.publisher.config.TandemConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.gitlab4j.api.GitLabApi;

/** gitlab4j-api clients acting as one user, with timeouts so that a hung GitLab cannot hold a run's row lock. */
@ApplicationScoped
public class GitlabApis {

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 20_000;

    private final TandemConfig config;

    public GitlabApis(TandemConfig config) {
        this.config = config;
    }

    /** A client acting as the owner of {@code token}; close it after use. */
    public GitLabApi as(String token) {
        GitLabApi api = new GitLabApi(config.gitlab().url(), token);
        api.setRequestTimeout(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
        return api;
    }
}
