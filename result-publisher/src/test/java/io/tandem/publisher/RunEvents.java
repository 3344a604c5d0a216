package io.tandem.publisher;

import io.tandem.events.Actor;
import io.tandem.events.AgentDefinition;
import io.tandem.events.DiffPosition;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.InvocationDenied;
import io.tandem.events.InvocationQueued;
import io.tandem.events.InvocationRequested;
import io.tandem.events.RunState;
import io.tandem.events.RunStatusChanged;
import io.tandem.events.ThreadCommand;
import io.tandem.events.ThreadKey;
import io.tandem.events.ThreadRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Records as trigger-matcher, identity-service and pipeline-launcher publish them, for the seeded project. */
final class RunEvents {

    static final String AGENT = "Claude Code";

    private final SimulatorSeed seed;

    RunEvents(SimulatorSeed seed) {
        this.seed = seed;
    }

    Invocation invocation(String invocationId, String noteableType, long iid) {
        return invocation(invocationId, noteableType, iid, null);
    }

    Invocation invocation(String invocationId, String noteableType, long iid, String webUrl) {
        ThreadRef thread = new ThreadRef(seed.project.getId(), null, seed.project.getPathWithNamespace(),
                noteableType, iid, null, webUrl, null);
        return invocation(invocationId, thread);
    }

    Invocation invocation(String invocationId, ThreadRef thread) {
        Actor serviceAccount = new Actor(seed.serviceAccount.getId(), seed.serviceAccount.getUsername(), AGENT);
        Actor requester = new Actor(seed.requester.getId(), seed.requester.getUsername(), "Alice Example");
        AgentDefinition definition = new AgentDefinition("alpine:3", List.of("echo hi"), List.of(), true, null,
                Map.of());
        return new Invocation(invocationId, "mention", 7L, AGENT, serviceAccount, requester, thread, 1000L,
                "discussion-1", "@" + seed.serviceAccount.getUsername() + " please fix the bug", null,
                seed.defaultBranch(), definition, null, null, null);
    }

    /**
     * A mention on an epic of the seeded group, run (as trigger-matcher places it) in the seeded project.
     *
     * @param epicId the epic's global id, or null as in payloads that name the epic only by its iid
     * @param byPath whether the thread names its group only by path
     */
    Invocation onEpic(String invocationId, long epicIid, Long epicId, String webUrl, boolean byPath) {
        ThreadRef epic = new ThreadRef(null, byPath ? null : seed.group.getId(), null, "Epic", epicIid, epicId,
                webUrl, seed.group.getFullPath());
        return invocation(invocationId, epic).runIn(seed.project.getId(), seed.project.getPathWithNamespace());
    }

    /** The invocation as if its comment had been on line 1 of a file in the merge request's diff. */
    static Invocation onDiffLine(Invocation invocation, String discussionId) {
        DiffPosition position = new DiffPosition("base", "start", "head", "changes/a.md", "changes/a.md", null, 1,
                "text");
        return new Invocation(invocation.invocationId(), invocation.trigger(), invocation.agentId(),
                invocation.agentName(), invocation.serviceAccount(), invocation.requester(), invocation.thread(),
                invocation.triggerNoteId(), discussionId, invocation.input(), invocation.sourceBranch(),
                invocation.defaultBranch(), invocation.definition(), position, invocation.runProjectId(),
                invocation.runProjectPath());
    }

    /** The invocation as trigger-matcher makes it for a merge request thread: it carries the source branch. */
    static Invocation fromBranch(Invocation invocation, String sourceBranch) {
        return new Invocation(invocation.invocationId(), invocation.trigger(), invocation.agentId(),
                invocation.agentName(), invocation.serviceAccount(), invocation.requester(), invocation.thread(),
                invocation.triggerNoteId(), invocation.discussionId(), invocation.input(), sourceBranch,
                invocation.defaultBranch(), invocation.definition(), invocation.position(), invocation.runProjectId(),
                invocation.runProjectPath());
    }

    /** A successful end whose agent left commits on {@code resultBranch}, as pipeline-launcher reports it. */
    static RunStatusChanged succeededWith(Invocation invocation, String pipelineUrl, String resultBranch) {
        return new RunStatusChanged(EventIds.derive("status", invocation.invocationId(), "SUCCEEDED"), Instant.now(),
                RunStatusChanged.VERSION, ThreadKey.of(invocation.thread()), invocation, RunState.SUCCEEDED, 77L,
                pipelineUrl, null, resultBranch);
    }

    static InvocationQueued queued(Invocation invocation, String activeInvocationId) {
        return new InvocationQueued(EventIds.derive("queued", invocation.invocationId()), Instant.now(),
                InvocationQueued.VERSION, ThreadKey.of(invocation.thread()), invocation, activeInvocationId);
    }

    /** A command given in the invocation's thread by its requester, about that invocation, as a plain note. */
    static ThreadCommand command(Invocation invocation, String verb, String commandId) {
        return command(invocation, verb, commandId, invocation.requester(), null, null);
    }

    /**
     * A command given in the invocation's thread by {@code requester}, in discussion {@code discussionId} (null:
     * a plain note), refused by trigger-matcher with {@code refusal} (null: accepted).
     */
    static ThreadCommand command(Invocation invocation, String verb, String commandId, Actor requester,
            String discussionId, String refusal) {
        return new ThreadCommand(EventIds.derive("command", commandId), Instant.now(), ThreadCommand.VERSION,
                ThreadKey.of(invocation.thread()), verb, invocation.invocationId(), invocation.agentId(),
                invocation.agentName(), invocation.serviceAccount(), requester, invocation.thread(), 2000L,
                discussionId, refusal);
    }

    static InvocationRequested requested(Invocation invocation) {
        return new InvocationRequested(EventIds.derive("requested", invocation.invocationId()), Instant.now(),
                InvocationRequested.VERSION, ThreadKey.of(invocation.thread()), invocation);
    }

    static InvocationDenied denied(Invocation invocation, String reason) {
        return new InvocationDenied(EventIds.derive("denied", invocation.invocationId()), Instant.now(),
                InvocationDenied.VERSION, ThreadKey.of(invocation.thread()), invocation, 20, 30, reason);
    }

    /** A denial by trigger-matcher (a switch, a turned-off agent, a broken definition): nobody's role was read. */
    static InvocationDenied blocked(Invocation invocation, String reason) {
        return new InvocationDenied(EventIds.derive("blocked", invocation.invocationId()), Instant.now(),
                InvocationDenied.VERSION, ThreadKey.of(invocation.thread()), invocation, 0, 0, reason);
    }

    static RunStatusChanged status(Invocation invocation, RunState state, String pipelineUrl, String detail) {
        return new RunStatusChanged(EventIds.derive("status", invocation.invocationId(), String.valueOf(state)),
                Instant.now(), RunStatusChanged.VERSION, ThreadKey.of(invocation.thread()), invocation, state,
                pipelineUrl == null ? null : 77L, pipelineUrl, detail);
    }
}
