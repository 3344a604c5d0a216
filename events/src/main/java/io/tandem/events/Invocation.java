package io.tandem.events;

/**
 * One request to run an agent for a human in a thread: what every later step of the run needs to know.
 *
 * @param invocationId deterministic per triggering event and agent, so a redelivery yields the same id
 * @param trigger {@code mention}, {@code assign} or {@code assign_reviewer}
 * @param input AI_FLOW_INPUT: the comment text for a mention
 * @param sourceBranch for a merge request thread its source branch, else null (the default branch is used)
 * @param position the diff line the triggering comment is on, so the answer can go to the same line; else null
 */
public record Invocation(String invocationId, String trigger, long agentId, String agentName,
        Actor serviceAccount, Actor requester, ThreadRef thread, long triggerNoteId, String discussionId,
        String input, String sourceBranch, String defaultBranch, AgentDefinition definition,
        DiffPosition position) {
}
