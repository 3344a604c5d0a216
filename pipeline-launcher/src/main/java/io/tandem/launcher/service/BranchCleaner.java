package io.tandem.launcher.service;

import io.smallrye.mutiny.Uni;
import io.tandem.launcher.client.GitlabStepException;
import io.tandem.launcher.client.ServiceAccountGitlab;
import io.tandem.launcher.client.WorkloadGitlabClient;
import io.tandem.launcher.repository.Run;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Deletes a finished run's branch, as the service account. Best effort: a failure is logged, never raised. */
@ApplicationScoped
public class BranchCleaner {

    private static final Logger LOG = Logger.getLogger(BranchCleaner.class);

    private final ServiceAccountGitlab serviceAccount;
    private final WorkloadGitlabClient gitlab;

    public BranchCleaner(ServiceAccountGitlab serviceAccount, WorkloadGitlabClient gitlab) {
        this.serviceAccount = serviceAccount;
        this.gitlab = gitlab;
    }

    public Uni<Void> deleteBranch(Run run) {
        return serviceAccount.call(run.serviceAccountId, api -> {
                    gitlab.deleteBranch(api, run.projectId, run.branch);
                    return null;
                })
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
