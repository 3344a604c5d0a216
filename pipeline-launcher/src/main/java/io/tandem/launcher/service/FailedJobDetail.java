package io.tandem.launcher.service;

import io.smallrye.mutiny.Uni;
import io.tandem.launcher.client.ServiceAccountGitlab;
import io.tandem.launcher.client.WorkloadGitlabClient;
import io.tandem.launcher.repository.Run;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.gitlab4j.api.models.Job;
import org.jboss.logging.Logger;

/**
 * Names the job that failed a run's pipeline and links its page (where GitLab shows the log), for the thread:
 * "Job `tandem-agent` failed: https://.../-/jobs/42". Null when GitLab names no failed job or cannot answer;
 * the run fails all the same.
 */
@ApplicationScoped
public class FailedJobDetail {

    private static final Logger LOG = Logger.getLogger(FailedJobDetail.class);

    private final ServiceAccountGitlab gitlab;
    private final WorkloadGitlabClient client;
    private final GitlabRetry retry;

    public FailedJobDetail(ServiceAccountGitlab gitlab, WorkloadGitlabClient client, GitlabRetry retry) {
        this.gitlab = gitlab;
        this.client = client;
        this.retry = retry;
    }

    public Uni<RunEnding> find(Run run) {
        return retry.run("listing the failed jobs of run " + run.invocationId,
                () -> gitlab.call(run.serviceAccountId,
                        api -> client.failedJobs(api, run.projectId, run.pipelineId)))
                .map(jobs -> new RunEnding(describe(jobs), null, false))
                .onFailure().recoverWithItem(f -> {
                    LOG.warnf("run %s: could not find the failed job of pipeline %d: %s", run.invocationId,
                            run.pipelineId, FailureDetail.reason(f));
                    return RunEnding.PLAIN;
                });
    }

    /** The first job that failed (the others usually failed because of it), and how many more did. */
    static String describe(List<Job> failed) {
        if (failed.isEmpty()) {
            return null;
        }
        Job first = failed.get(0);
        String detail = "Job `" + first.getName() + "` failed: " + first.getWebUrl();
        return failed.size() == 1 ? detail : detail + " (and " + (failed.size() - 1) + " more failed jobs)";
    }
}
