package io.tandem.identity.client;

import io.tandem.identity.config.TandemConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.models.Constants.TokenType;

/** One gitlab4j client with Tandem's admin token, shared: it is thread-safe, and blocking. */
@ApplicationScoped
public class GitlabApiProducer {

    @Produces
    @Singleton
    GitLabApi adminGitlabApi(TandemConfig config) {
        // The timeouts apply to every request gitlab4j makes: a GitLab that accepts the connection and never
        // answers must fail the call, not hold a worker thread and the record behind it.
        return RuntimeReusingApiClient.open(config.gitlab().url(), TokenType.PRIVATE, config.gitlab().token(),
                config.gitlab().connectTimeout(), config.gitlab().readTimeout());
    }

    void close(@Disposes GitLabApi api) {
        api.close();
    }
}
