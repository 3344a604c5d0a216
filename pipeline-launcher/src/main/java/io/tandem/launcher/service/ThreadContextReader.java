package io.tandem.launcher.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tandem.events.ThreadRef;
import io.tandem.launcher.client.WorkloadGitlabClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.gitlab4j.api.GitLabApi;

/** Reads the thread from GitLab, as the service account, and turns it into {@code AI_FLOW_CONTEXT}. Blocking. */
@ApplicationScoped
public class ThreadContextReader {

    private final WorkloadGitlabClient gitlab;
    private final FlowContextBuilder builder;
    private final FlowContextTrimmer trimmer;

    public ThreadContextReader(WorkloadGitlabClient gitlab, FlowContextBuilder builder, FlowContextTrimmer trimmer) {
        this.gitlab = gitlab;
        this.builder = builder;
        this.trimmer = trimmer;
    }

    public String read(GitLabApi api, ThreadRef thread) {
        long projectId = thread.projectId();
        long iid = thread.noteableIid();
        ObjectNode context = switch (thread.noteableType()) {
            case "Issue" -> builder.issue(thread, gitlab.issue(api, projectId, iid),
                    gitlab.issueNotes(api, projectId, iid));
            case "MergeRequest" -> builder.mergeRequest(thread, gitlab.mergeRequest(api, projectId, iid),
                    gitlab.mergeRequestNotes(api, projectId, iid));
            default -> builder.other(thread);
        };
        return trimmer.trim(context);
    }
}
