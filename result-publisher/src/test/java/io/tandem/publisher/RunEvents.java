package io.tandem.publisher;

import io.tandem.events.Actor;
import io.tandem.events.AgentDefinition;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.InvocationDenied;
import io.tandem.events.InvocationRequested;
import io.tandem.events.RunState;
import io.tandem.events.RunStatusChanged;
import io.tandem.events.ThreadKey;
import io.tandem.events.ThreadRef;
import java.time.Instant;
import java.util.List;

/** Records as trigger-matcher, identity-service and pipeline-launcher publish them, for the seeded project. */
final class RunEvents {

    static final String AGENT = "Claude Code";

    private final SimulatorSeed seed;

    RunEvents(SimulatorSeed seed) {
        this.seed = seed;
    }

    Invocation invocation(String invocationId, String noteableType, long iid) {
        ThreadRef thread = new ThreadRef(seed.project.getId(), null, seed.project.getPathWithNamespace(),
                noteableType, iid, null, null);
        return invocation(invocationId, thread);
    }

    Invocation invocation(String invocationId, ThreadRef thread) {
        Actor serviceAccount = new Actor(seed.serviceAccount.getId(), seed.serviceAccount.getUsername(), AGENT);
        Actor requester = new Actor(seed.requester.getId(), seed.requester.getUsername(), "Alice Example");
        AgentDefinition definition = new AgentDefinition("alpine:3", List.of("echo hi"), List.of(), true, null);
        return new Invocation(invocationId, "mention", 7L, AGENT, serviceAccount, requester, thread, 1000L,
                "discussion-1", "@" + seed.serviceAccount.getUsername() + " please fix the bug", null,
                seed.defaultBranch(), definition);
    }

    static InvocationRequested requested(Invocation invocation) {
        return new InvocationRequested(EventIds.derive("requested", invocation.invocationId()), Instant.now(),
                InvocationRequested.VERSION, ThreadKey.of(invocation.thread()), invocation);
    }

    static InvocationDenied denied(Invocation invocation, String reason) {
        return new InvocationDenied(EventIds.derive("denied", invocation.invocationId()), Instant.now(),
                InvocationDenied.VERSION, ThreadKey.of(invocation.thread()), invocation, 20, 30, reason);
    }

    static RunStatusChanged status(Invocation invocation, RunState state, String pipelineUrl, String detail) {
        return new RunStatusChanged(EventIds.derive("status", invocation.invocationId(), String.valueOf(state)),
                Instant.now(), RunStatusChanged.VERSION, ThreadKey.of(invocation.thread()), invocation, state,
                pipelineUrl == null ? null : 77L, pipelineUrl, detail);
    }
}
