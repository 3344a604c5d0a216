package io.tandem.launcher.client;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.jboss.logging.Logger;

/**
 * Runs blocking GitLab calls as a run's service account: its token is fetched from identity-service, the calls
 * run on a worker thread, and the answer comes back on the caller's Vert.x context (Hibernate Reactive needs it).
 * identity-service rotates these tokens, so a 401 from GitLab fetches the token once more and repeats the calls
 * (GitLab did nothing on a 401); a second 401 is the answer.
 */
@ApplicationScoped
public class ServiceAccountGitlab {

    private static final Logger LOG = Logger.getLogger(ServiceAccountGitlab.class);

    private final ServiceAccountTokens tokens;
    private final GitlabSessions sessions;
    private final Vertx vertx;

    public ServiceAccountGitlab(ServiceAccountTokens tokens, GitlabSessions sessions, Vertx vertx) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.vertx = vertx;
    }

    public <T> Uni<T> call(long serviceAccountId, Function<GitLabApi, T> calls) {
        return callOnce(serviceAccountId, calls).onFailure(ServiceAccountGitlab::unauthorized)
                .recoverWithUni(unauthorized -> {
                    LOG.warnf("GitLab refused service account %d's token (401); fetching it again", serviceAccountId);
                    tokens.invalidate(serviceAccountId);
                    return callOnce(serviceAccountId, calls);
                });
    }

    /** Whether GitLab answered 401 somewhere in this failure's chain of causes. */
    public static boolean unauthorized(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof GitlabStepException e) {
                return e.httpStatus() == 401;
            }
            if (t instanceof GitLabApiException e) {
                return e.getHttpStatus() == 401;
            }
        }
        return false;
    }

    private <T> Uni<T> callOnce(long serviceAccountId, Function<GitLabApi, T> calls) {
        return tokens.tokenFor(serviceAccountId)
                .chain(token -> vertx.executeBlocking(Uni.createFrom().item(() -> calls.apply(sessions.as(token)))));
    }
}
