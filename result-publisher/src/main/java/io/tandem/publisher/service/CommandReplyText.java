package io.tandem.publisher.service;

import io.tandem.events.RunState;
import io.tandem.events.ThreadCommand;
import io.tandem.publisher.repository.ProgressNote;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/**
 * The text of an answer to a thread command. It starts with a hidden marker naming the command, which finds the
 * answer again after a crash and, like every note Tandem writes, makes trigger-matcher ignore it.
 */
@ApplicationScoped
public class CommandReplyText {

    public static String marker(String commandEventId) {
        return "<!-- tandem:reply:" + commandEventId + " -->";
    }

    /**
     * {@code run} is the progress note's row of the command's run, null if the publisher knows no such run. A
     * refused command is answered with trigger-matcher's reason and nothing about the run.
     */
    public String render(ThreadCommand command, ProgressNote run) {
        String to = command.requester() != null && command.requester().username() != null
                ? "@" + command.requester().username() + " "
                : "";
        String agent = command.agentName();
        if (command.refused()) {
            return marker(command.eventId()) + "\n" + to + "I can't " + action(command.verb()) + " " + agent
                    + " here: " + refusal(command.refusal());
        }
        String sentence = switch (command.verb()) {
            case ThreadCommand.STOP -> to + "Stopping the run of " + agent
                    + " in this thread; its progress note will say when it is canceled.";
            case ThreadCommand.RETRY -> to + "Running " + agent + " again for this thread; a new progress note"
                    + " follows.";
            default -> to + status(command, agent, run);
        };
        return marker(command.eventId()) + "\n" + sentence;
    }

    /** What the verb asks of the agent, as it reads after "I can't". */
    private static String action(String verb) {
        return ThreadCommand.STATUS.equals(verb) ? "report the status of" : verb;
    }

    /** trigger-matcher's reason, as one sentence that cannot fake a Tandem marker. */
    private static String refusal(String reason) {
        String visible = reason.replace("<!--", "&lt;!--");
        return visible.isBlank() ? "you are not allowed to." : ProgressNoteText.fullStop(visible);
    }

    private static String status(ThreadCommand command, String agent, ProgressNote run) {
        if (run == null || run.state == null) {
            return agent + " has no run in this thread that I know of.";
        }
        StringBuilder text = new StringBuilder("The run of ").append(agent).append(" in this thread is **")
                .append(describe(run.state)).append("**.");
        if (run.pipelineUrl != null) {
            text.append(" [Pipeline](").append(run.pipelineUrl).append(")");
        }
        String threadUrl = command.thread().webUrl();
        if (run.noteId != null && threadUrl != null) {
            text.append(run.pipelineUrl != null ? " · " : " ")
                    .append("[Progress note](").append(threadUrl).append("#note_").append(run.noteId).append(")");
        }
        return text.toString();
    }

    static String describe(RunState state) {
        return state.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
