package io.tandem.publisher.service;

import io.tandem.events.Invocation;
import io.tandem.events.ThreadRef;
import io.tandem.publisher.client.NoteThread;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The title and description of a run's merge request. The description starts with the run's hidden marker, so
 * trigger-matcher ignores it and a reader (or a later Tandem) can tell which run it came from.
 */
@ApplicationScoped
public class MergeRequestText {

    static final int MAX_SUBJECT = 100;

    /**
     * "{@code <agent>: <subject>}", the subject being the thread's title, else the first line of the request
     * without the mention that asked for it. Starting with the agent's name also keeps a thread title such as
     * "Draft: ..." from making the merge request a draft.
     */
    public String title(Invocation invocation, String threadTitle) {
        String subject = oneLine(threadTitle);
        if (subject.isEmpty()) {
            subject = firstLineOfRequest(invocation.input());
        }
        if (subject.isEmpty()) {
            subject = "changes for " + reference(invocation.thread());
        }
        return invocation.agentName() + ": " + trimmed(subject);
    }

    public String description(Invocation invocation, String pipelineUrl) {
        ThreadRef thread = invocation.thread();
        String where = thread.webUrl() != null ? thread.webUrl() : reference(thread);
        StringBuilder text = new StringBuilder()
                .append(ProgressNoteText.marker(invocation.invocationId())).append('\n')
                .append(invocation.agentName()).append(" made these changes for ").append(where).append(".\n\n");
        if (invocation.requester() != null && invocation.requester().username() != null) {
            text.append("Requested by @").append(invocation.requester().username()).append(".\n");
        }
        if (pipelineUrl != null) {
            text.append("\n[Pipeline](").append(pipelineUrl).append(")\n");
        }
        return text.toString();
    }

    /** The thread as a GitLab reference, which GitLab renders as a link: {@code group/project#5}, {@code !5}, {@code group&5}. */
    static String reference(ThreadRef thread) {
        if (NoteThread.EPIC.equals(thread.noteableType())) {
            String group = thread.groupPath() != null ? thread.groupPath() : String.valueOf(thread.groupId());
            return group + "&" + thread.noteableIid();
        }
        String project = thread.projectPath() != null ? thread.projectPath() : "";
        String sign = NoteThread.MERGE_REQUEST.equals(thread.noteableType()) ? "!" : "#";
        return project + sign + thread.noteableIid();
    }

    static String firstLineOfRequest(String input) {
        for (String line : (input == null ? "" : input).split("\\R")) {
            // the request opens with the mention of the agent; the subject is what follows it
            String subject = oneLine(line.replaceFirst("^\\s*(@[\\w.\\-]+[,:]?\\s*)+", ""));
            if (!subject.isEmpty()) {
                return subject;
            }
        }
        return "";
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").strip();
    }

    private static String trimmed(String subject) {
        return subject.length() <= MAX_SUBJECT ? subject : subject.substring(0, MAX_SUBJECT - 1).stripTrailing() + "…";
    }
}
