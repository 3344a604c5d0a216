package io.tandem.launcher.service;

import io.smallrye.mutiny.Uni;
import io.tandem.launcher.client.GitlabSessions;
import io.tandem.launcher.client.GitlabStepException;
import io.tandem.launcher.client.IdentityServiceClient;
import io.tandem.launcher.client.WorkloadGitlabClient;
import io.tandem.launcher.repository.Run;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.gitlab4j.api.GitLabApi;
import org.jboss.logging.Logger;

/** Deletes a finished run's branch, as the service account. Best effort: a failure is logged, never raised. */
@ApplicationScoped
public class BranchCleaner {

    private static final Logger LOG = Logger.getLogger(BranchCleaner.class);

    private final IdentityServiceClient identity;
    private final GitlabSessions sessions;
    private final WorkloadGitlabClient gitlab;
    private final Vertx vertx;

    public BranchCleaner(@RestClient IdentityServiceClient identity, GitlabSessions sessions,
            WorkloadGitlabClient gitlab, Vertx vertx) {
        this.identity = identity;
        this.sessions = sessions;
        this.gitlab = gitlab;
        this.vertx = vertx;
    }

    public Uni<Void> deleteBranch(Run run) {
        return identity.serviceAccountToken(run.serviceAccountId)
                .chain(token -> vertx.executeBlocking(Uni.createFrom().item(() -> {
                    try (GitLabApi api = sessions.as(token.token())) {
                        gitlab.deleteBranch(api, run.projectId, run.branch);
                    }
                    return null;
                })))
                .invoke(() -> LOG.infof("run %s: deleted branch %s", run.invocationId, run.branch))
                .onFailure().invoke(f -> {
                    if (f instanceof GitlabStepException e && e.httpStatus() == 404) {
                        LOG.debugf("run %s: branch %s was already gone", run.invocationId, run.branch);
                    } else {
                        LOG.warnf("run %s: could not delete branch %s: %s", run.invocationId, run.branch,
                                FailureDetail.reason(f));
                    }
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
