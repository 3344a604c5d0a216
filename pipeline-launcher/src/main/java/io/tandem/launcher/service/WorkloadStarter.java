package io.tandem.launcher.service;

import io.tandem.events.Invocation;
import io.tandem.launcher.client.GitlabSessions;
import io.tandem.launcher.client.GitlabStepException;
import io.tandem.launcher.client.IdentityServiceClient.RunTokenResponse;
import io.tandem.launcher.client.WorkloadGitlabClient;
import io.tandem.launcher.config.TandemConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.models.Pipeline;
import org.jboss.logging.Logger;

/**
 * The GitLab side of starting a run, as the service account. Every step looks before it creates, so running
 * it again after a crash or a redelivery adopts the branch and the pipeline of the first attempt. Blocking:
 * call it on a worker thread.
 */
@ApplicationScoped
public class WorkloadStarter {

    private static final Logger LOG = Logger.getLogger(WorkloadStarter.class);

    private final GitlabSessions sessions;
    private final WorkloadGitlabClient gitlab;
    private final WorkloadCiConfig ciConfig;
    private final ThreadContextReader contextReader;
    private final TandemConfig config;

    public WorkloadStarter(GitlabSessions sessions, WorkloadGitlabClient gitlab, WorkloadCiConfig ciConfig,
            ThreadContextReader contextReader, TandemConfig config) {
        this.sessions = sessions;
        this.gitlab = gitlab;
        this.ciConfig = ciConfig;
        this.contextReader = contextReader;
        this.config = config;
    }

    public static String branchOf(String invocationId) {
        return "workloads/" + invocationId;
    }

    /** How Tandem's own commit on the branch (the CI file) begins; the agent's commits are the others. */
    public static String commitMessagePrefix(String invocationId) {
        return "Tandem run " + invocationId;
    }

    /** @param runToken identity-service's answer: the run token, and the AI gateway token if the run gets one */
    public StartedPipeline start(Invocation invocation, String serviceAccountToken, RunTokenResponse runToken) {
        long projectId = invocation.projectId();
        String branch = branchOf(invocation.invocationId());
        GitLabApi api = sessions.as(serviceAccountToken);
        String startRef = startRef(api, invocation);
        ensureBranch(api, invocation, projectId, branch, startRef);

        Optional<Pipeline> existing = gitlab.findPipeline(api, projectId, branch);
        if (existing.isPresent()) {
            LOG.infof("run %s: adopting pipeline %d on %s", invocation.invocationId(), existing.get().getId(),
                    branch);
            return new StartedPipeline(existing.get().getId(), existing.get().getWebUrl(), startRef, true);
        }
        String context = contextReader.read(api, invocation);
        Pipeline pipeline = gitlab.createPipeline(api, projectId, branch, PipelineVariables.forPipeline(
                invocation, context, config.launcher().gitlabProxyHostname(), runToken.token(),
                gateway(runToken)));
        LOG.infof("run %s: created pipeline %d on %s", invocation.invocationId(), pipeline.getId(), branch);
        return new StartedPipeline(pipeline.getId(), pipeline.getWebUrl(), startRef, false);
    }

    private PipelineVariables.GatewayCredentials gateway(RunTokenResponse runToken) {
        if (runToken.gateway() == null) {
            return null;
        }
        return new PipelineVariables.GatewayCredentials(runToken.gateway().token(), runToken.gateway().headers(),
                config.launcher().aiGatewayUrl().orElse(null));
    }

    private String startRef(GitLabApi api, Invocation invocation) {
        if (invocation.sourceBranch() != null && !invocation.sourceBranch().isBlank()) {
            return invocation.sourceBranch();
        }
        if (invocation.defaultBranch() != null && !invocation.defaultBranch().isBlank()) {
            return invocation.defaultBranch();
        }
        return gitlab.defaultBranch(api, invocation.projectId());
    }

    private void ensureBranch(GitLabApi api, Invocation invocation, long projectId, String branch, String startRef) {
        if (gitlab.branchExists(api, projectId, branch)) {
            LOG.infof("run %s: reusing branch %s", invocation.invocationId(), branch);
            return;
        }
        Integer timeout = invocation.definition().timeoutMinutes();
        String yaml = ciConfig.render(invocation.invocationId(), invocation.definition(),
                timeout != null && timeout > 0 ? timeout : config.launcher().defaultTimeoutMinutes(),
                PipelineVariables.runFacts(invocation, config.launcher().gitlabProxyHostname()));
        try {
            gitlab.createBranchWithFile(api, projectId, branch, startRef, WorkloadCiConfig.FILE_PATH, yaml,
                    commitMessagePrefix(invocation.invocationId()) + " (" + invocation.agentName() + ")");
        } catch (GitlabStepException e) {
            // Another attempt may have created it between our look-up and our commit.
            if (!gitlab.branchExists(api, projectId, branch)) {
                throw e;
            }
        }
    }

    /** @param adopted true when the pipeline already existed from an earlier attempt */
    public record StartedPipeline(long id, String webUrl, String startRef, boolean adopted) {
    }
}
