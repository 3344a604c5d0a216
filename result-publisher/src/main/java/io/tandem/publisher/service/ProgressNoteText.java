package io.tandem.publisher.service;

import io.tandem.events.Invocation;
import io.tandem.events.RunState;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a progress note. It starts with the run's hidden marker, which lets the publisher find its note
 * again after a crash and makes trigger-matcher ignore it, followed by a hidden state line, which tells an
 * adopted note's state without trusting the database row that was never written.
 */
@ApplicationScoped
public class ProgressNoteText {

    private static final Pattern URL_AT_END = Pattern.compile("https?://\\S+$");
    private static final Pattern STATE_LINE = Pattern.compile("<!-- tandem:state:([A-Z_]+) -->");

    public static String marker(String invocationId) {
        return "<!-- tandem:run:" + invocationId + " -->";
    }

    public String render(Invocation invocation, RunState state, String detail, String pipelineUrl) {
        return render(invocation, state, detail, pipelineUrl, null);
    }

    /** @param mergeRequest on a successful run that left commits, its merge request; else null */
    public String render(Invocation invocation, RunState state, String detail, String pipelineUrl,
            RunMergeRequest mergeRequest) {
        return marker(invocation.invocationId()) + "\n"
                + "<!-- tandem:state:" + state.name() + " -->\n"
                + sentence(invocation, state, visible(detail), pipelineUrl, mergeRequest);
    }

    /** The state a note written by {@link #render} shows, if it carries the state line. */
    public Optional<RunState> stateOf(String body) {
        Matcher matcher = STATE_LINE.matcher(body == null ? "" : body);
        if (!matcher.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(RunState.valueOf(matcher.group(1)));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    private static String sentence(Invocation invocation, RunState state, String detail, String pipelineUrl,
            RunMergeRequest mergeRequest) {
        String to = invocation.requester() != null && invocation.requester().username() != null
                ? "@" + invocation.requester().username() + " "
                : "";
        String agent = invocation.agentName();
        String where = runsElsewhere(invocation);
        String pipeline = pipelineUrl == null ? "" : " [Pipeline](" + pipelineUrl + ")";
        return switch (state) {
            case QUEUED -> to + agent + " is busy with another request in this thread; yours is queued and"
                    + " starts when that run ends.";
            case PROCESSING -> to + agent + " is processing your request." + where;
            case STARTED -> to + agent + " has started working on your request." + where + pipeline;
            case RUNNING -> to + agent + " is working on your request." + where + pipeline;
            case SUCCEEDED -> to + agent + " has finished your request" + result(mergeRequest) + pipeline;
            case FAILED -> to + agent + " could not finish your request: "
                    + (detail == null ? "the run failed." : fullStop(detail)) + pipeline;
            case CANCELED -> to + "The run of " + agent + " for your request was canceled." + pipeline;
            case TIMED_OUT -> to + agent + " ran out of time on your request."
                    + (detail == null ? "" : " " + fullStop(detail)) + pipeline;
            case REFUSED -> to + "I can't run " + agent + " here: "
                    + (detail == null ? "this request is not allowed." : fullStop(detail));
        };
    }

    private static String result(RunMergeRequest mergeRequest) {
        if (mergeRequest == null) {
            return ".";
        }
        if (mergeRequest.isOpened()) {
            return " and opened merge request !" + mergeRequest.iid() + ": " + mergeRequest.webUrl();
        }
        return ". Its changes are on branch `" + mergeRequest.sourceBranch() + "`, but I could not open a merge"
                + " request for them: " + (mergeRequest.problem() == null ? "GitLab refused." : fullStop(visible(mergeRequest.problem())));
    }

    /** A group thread (an epic) has no repository: the run happens in a project trigger-matcher chose. */
    private static String runsElsewhere(Invocation invocation) {
        boolean groupThread = invocation.thread() != null && invocation.thread().projectId() == null;
        return groupThread && invocation.projectPath() != null
                ? " It runs in project `" + invocation.projectPath() + "`."
                : "";
    }

    /**
     * Reasons come from other services as clauses ("external agents are turned off in group 12") or as
     * sentences; either way the note's sentence ends once.
     */
    static String fullStop(String detail) {
        String trimmed = detail.strip();
        if (URL_AT_END.matcher(trimmed).find()) {
            // "Job `agent` failed: <log link>": a full stop would read as part of the link
            return trimmed;
        }
        char last = trimmed.charAt(trimmed.length() - 1);
        return last == '.' || last == '!' || last == '?' ? trimmed : trimmed + ".";
    }

    /** Detail comes from other services; it must not be able to fake a Tandem marker. */
    private static String visible(String detail) {
        return detail == null || detail.isBlank() ? null : detail.replace("<!--", "&lt;!--");
    }
}
