package io.tandem.events;

import java.time.Instant;

/**
 * A user told an agent what to do with a thread's run: {@code stop} it, {@code retry} the last one, or report its
 * {@code status}. trigger-matcher checks the role before it publishes a command; a user without it gets a command
 * with a {@code refusal}, which only result-publisher acts on (it answers with the reason).
 *
 * @param invocationId the run the command is about (the thread's active run, or its last one)
 * @param noteId the comment that gave the command
 * @param discussionId the discussion of that comment, so the answer can go into it; null for a plain note
 * @param refusal why the command is refused (the user's role is too low), written for the user; null when the
 *        command is to be carried out. A refused command changes nothing: only its answer is written.
 */
public record ThreadCommand(String eventId, Instant occurredAt, int version, String key,
        String verb, String invocationId, long agentId, String agentName, Actor serviceAccount, Actor requester,
        ThreadRef thread, long noteId, String discussionId, String refusal) {

    public static final int VERSION = 2;

    public static final String STOP = "stop";
    public static final String RETRY = "retry";
    public static final String STATUS = "status";

    public boolean refused() {
        return refusal != null;
    }
}
