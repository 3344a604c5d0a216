package io.tandem.events;

import java.time.Instant;

/**
 * One request to run an agent for a human in a thread: what every later step of the run needs to know.
 *
 * @param invocationId deterministic per triggering event and agent, so a redelivery yields the same id
 * @param trigger {@code mention}, {@code assign} or {@code assign_reviewer}
 * @param input AI_FLOW_INPUT: the comment text for a mention
 * @param sourceBranch for a merge request thread its source branch, else null (the default branch is used)
 * @param position the diff line the triggering comment is on, so the answer can go to the same line; else null
 * @param runProjectId the project the run's pipeline, branch and token belong to: the thread's own project, or
 *        for a group-level thread (an epic) the project trigger-matcher chose in that group; null in records
 *        written before version 2, where it is the thread's project
 * @param runProjectPath that project's full path
 * @param triggeredAt when Tandem accepted the webhook that asked for the run (the broker's timestamp of the
 *        triggering record), from which the services measure how long a user waits; null if unknown
 */
public record Invocation(String invocationId, String trigger, long agentId, String agentName,
        Actor serviceAccount, Actor requester, ThreadRef thread, long triggerNoteId, String discussionId,
        String input, String sourceBranch, String defaultBranch, AgentDefinition definition,
        DiffPosition position, Long runProjectId, String runProjectPath, Instant triggeredAt) {

    /** A request whose trigger time is unknown (tests, records written before it was carried). */
    public Invocation(String invocationId, String trigger, long agentId, String agentName, Actor serviceAccount,
            Actor requester, ThreadRef thread, long triggerNoteId, String discussionId, String input,
            String sourceBranch, String defaultBranch, AgentDefinition definition, DiffPosition position,
            Long runProjectId, String runProjectPath) {
        this(invocationId, trigger, agentId, agentName, serviceAccount, requester, thread, triggerNoteId,
                discussionId, input, sourceBranch, defaultBranch, definition, position, runProjectId, runProjectPath,
                null);
    }

    /** The project the run happens in (see {@code runProjectId}); null only for a group thread not yet placed. */
    public Long projectId() {
        return runProjectId != null ? runProjectId : thread == null ? null : thread.projectId();
    }

    /** The full path of {@link #projectId()}. */
    public String projectPath() {
        return runProjectPath != null ? runProjectPath : thread == null ? null : thread.projectPath();
    }

    /** The same request, run in the given project. */
    public Invocation runIn(long projectId, String projectPath) {
        return new Invocation(invocationId, trigger, agentId, agentName, serviceAccount, requester, thread,
                triggerNoteId, discussionId, input, sourceBranch, defaultBranch, definition, position, projectId,
                projectPath, triggeredAt);
    }

    /** The same request, asked for by a webhook Tandem accepted at {@code at}. */
    public Invocation withTriggeredAt(Instant at) {
        return new Invocation(invocationId, trigger, agentId, agentName, serviceAccount, requester, thread,
                triggerNoteId, discussionId, input, sourceBranch, defaultBranch, definition, position, runProjectId,
                runProjectPath, at);
    }

    /** The same request with the definition it runs. */
    public Invocation withDefinition(AgentDefinition runDefinition) {
        return new Invocation(invocationId, trigger, agentId, agentName, serviceAccount, requester, thread,
                triggerNoteId, discussionId, input, sourceBranch, defaultBranch, runDefinition, position,
                runProjectId, runProjectPath, triggeredAt);
    }
}
