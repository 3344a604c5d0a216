package io.tandem.launcher.service;

import io.smallrye.mutiny.Uni;
import io.tandem.launcher.client.ServiceAccountGitlab;
import io.tandem.launcher.client.WorkloadGitlabClient;
import io.tandem.launcher.repository.Run;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.gitlab4j.api.models.Commit;
import org.jboss.logging.Logger;

/**
 * Tells whether a successful run's agent left work on the run's branch: commits on it that the branch the run
 * started from does not have, other than Tandem's own CI-file commit. Such a branch is kept for a merge request.
 * When GitLab cannot answer (after the retries), the branch is kept too: deleting it could lose the agent's
 * work, and a leftover branch costs little.
 */
@ApplicationScoped
public class ResultBranchCheck {

    private static final Logger LOG = Logger.getLogger(ResultBranchCheck.class);

    private final ServiceAccountGitlab gitlab;
    private final WorkloadGitlabClient client;
    private final GitlabRetry retry;

    public ResultBranchCheck(ServiceAccountGitlab gitlab, WorkloadGitlabClient client, GitlabRetry retry) {
        this.gitlab = gitlab;
        this.client = client;
        this.retry = retry;
    }

    public Uni<RunEnding> check(Run run) {
        if (run.startRef == null) {
            LOG.warnf("run %s: no start branch recorded, keeping branch %s", run.invocationId, run.branch);
            return Uni.createFrom().item(new RunEnding(null, null, true));
        }
        return retry.run("comparing branch " + run.branch + " of run " + run.invocationId,
                () -> gitlab.call(run.serviceAccountId,
                        api -> client.commitsBetween(api, run.projectId, run.startRef, run.branch)))
                .map(commits -> {
                    long agentCommits = agentCommits(commits, run.invocationId);
                    LOG.infof("run %s: %d commit(s) of the agent on %s", run.invocationId, agentCommits, run.branch);
                    return agentCommits > 0 ? new RunEnding(null, run.branch, true) : RunEnding.PLAIN;
                })
                .onFailure().recoverWithItem(f -> {
                    LOG.warnf("run %s: could not tell whether %s holds the agent's work, keeping it: %s",
                            run.invocationId, run.branch, FailureDetail.reason(f));
                    return new RunEnding(null, null, true);
                });
    }

    /** Commits that are not Tandem's own "Tandem run <invocationId> ..." CI-file commit. */
    static long agentCommits(List<Commit> commits, String invocationId) {
        String tandemCommit = WorkloadStarter.commitMessagePrefix(invocationId);
        return commits == null ? 0 : commits.stream()
                .filter(c -> c.getMessage() == null || !c.getMessage().startsWith(tandemCommit))
                .count();
    }
}
