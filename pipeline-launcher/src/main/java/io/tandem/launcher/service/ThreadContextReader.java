package io.tandem.launcher.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tandem.events.Invocation;
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

    public String read(GitLabApi api, Invocation invocation) {
        ThreadRef thread = invocation.thread();
        long iid = thread.noteableIid();
        ObjectNode context = switch (thread.noteableType()) {
            case "Issue" -> builder.issue(thread, gitlab.issue(api, thread.projectId(), iid),
                    gitlab.issueNotes(api, thread.projectId(), iid));
            case "MergeRequest" -> builder.mergeRequest(thread, gitlab.mergeRequest(api, thread.projectId(), iid),
                    gitlab.mergeRequestNotes(api, thread.projectId(), iid),
                    gitlab.mergeRequestDiffs(api, thread.projectId(), iid), invocation.position());
            case "Epic" -> epic(api, thread);
            default -> builder.other(thread);
        };
        return trimmer.trim(context);
    }

    private ObjectNode epic(GitLabApi api, ThreadRef thread) {
        Object group = thread.groupId() != null ? thread.groupId() : thread.groupPath();
        if (group == null) {
            return builder.other(thread);
        }
        return gitlab.epic(api, group, thread.noteableIid())
                .map(epic -> builder.epic(thread, epic, gitlab.epicNotes(api, group, epic.getId())))
                .orElseGet(() -> builder.other(thread));
    }
}
