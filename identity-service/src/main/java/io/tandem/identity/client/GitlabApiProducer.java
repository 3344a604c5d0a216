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

    @Produces
    @Singleton
    GitLabApi adminGitlabApi(TandemConfig config) {
        GitLabApi api = new GitLabApi(config.gitlab().url(), config.gitlab().token());
        // Applied to every request gitlab4j makes: a GitLab that accepts the connection and never answers
        // must fail the call, not hold a worker thread and the record behind it.
        api.setRequestTimeout((int) config.gitlab().connectTimeout().toMillis(),
                (int) config.gitlab().readTimeout().toMillis());
        return api;
    }

    void close(@Disposes GitLabApi api) {
        api.close();
    }
}
