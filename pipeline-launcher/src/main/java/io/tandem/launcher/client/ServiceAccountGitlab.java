package io.tandem.launcher.client;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.gitlab4j.api.GitLabApi;

/**
 * Runs blocking GitLab calls as a run's service account: its token is fetched from identity-service, the calls
 * run on a worker thread, and the answer comes back on the caller's Vert.x context (Hibernate Reactive needs it).
 */
@ApplicationScoped
public class ServiceAccountGitlab {

    private final IdentityServiceClient identity;
    private final GitlabSessions sessions;
    private final Vertx vertx;

    public ServiceAccountGitlab(@RestClient IdentityServiceClient identity, GitlabSessions sessions, Vertx vertx) {
        this.identity = identity;
        this.sessions = sessions;
        this.vertx = vertx;
    }

    public <T> Uni<T> call(long serviceAccountId, Function<GitLabApi, T> calls) {
        return identity.serviceAccountToken(serviceAccountId)
                .chain(token -> vertx.executeBlocking(Uni.createFrom().item(() -> {
                    try (GitLabApi api = sessions.as(token.token())) {
                        return calls.apply(api);
                    }
                })));
    }
}
