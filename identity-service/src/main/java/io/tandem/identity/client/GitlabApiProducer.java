package io.tandem.identity.client;

import io.tandem.identity.config.TandemConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.gitlab4j.api.GitLabApi;

/** One gitlab4j client with Tandem's admin token, shared: it is thread-safe, and blocking. */
@ApplicationScoped
public class GitlabApiProducer {

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 30_000;

    @Produces
    @Singleton
    GitLabApi adminGitlabApi(TandemConfig config) {
        GitLabApi api = new GitLabApi(config.gitlab().url(), config.gitlab().token());
        api.setRequestTimeout(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
        return api;
    }

    void close(@Disposes GitLabApi api) {
        api.close();
    }
}
