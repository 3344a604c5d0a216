package io.tandem.events;

import java.time.Instant;

/**
 * A user with the right role told an agent what to do with a thread's run: {@code stop} it, {@code retry} the
 * last one, or report its {@code status}. trigger-matcher checks the role before it publishes a command.
 *
 * @param invocationId the run the command is about (the thread's active run, or its last one)
 * @param noteId the comment that gave the command
 */
public record ThreadCommand(String eventId, Instant occurredAt, int version, String key,
        String verb, String invocationId, long agentId, String agentName, Actor serviceAccount, Actor requester,
        ThreadRef thread, long noteId) {

    public static final int VERSION = 1;

    public static final String STOP = "stop";
    public static final String RETRY = "retry";
    public static final String STATUS = "status";
}
