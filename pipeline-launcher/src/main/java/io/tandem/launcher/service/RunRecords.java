package io.tandem.launcher.service;

import io.tandem.events.AuditEvent;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.RunState;
import io.tandem.events.RunStatusChanged;
import io.tandem.events.ThreadKey;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** The records a run produces. Ids derive from the invocation and the step, so a repeat yields the same ids. */
public final class RunRecords {

    public static final String SOURCE = "pipeline-launcher";

    public static RunStatusChanged status(Invocation invocation, RunState state, Instant at, Long pipelineId,
            String pipelineUrl, String detail) {
        return status(invocation, state, at, pipelineId, pipelineUrl, detail, null);
    }

    /** @param resultBranch a SUCCEEDED run's branch with the agent's commits, else null */
    public static RunStatusChanged status(Invocation invocation, RunState state, Instant at, Long pipelineId,
            String pipelineUrl, String detail, String resultBranch) {
        return new RunStatusChanged(EventIds.derive("run", invocation.invocationId(), state.name()), at,
                RunStatusChanged.VERSION, ThreadKey.of(invocation.thread()), invocation, state,
                pipelineId, pipelineUrl, detail, resultBranch);
    }

    public static AuditEvent audit(Invocation invocation, String type, Instant at, Map<String, String> data) {
        return new AuditEvent(EventIds.derive("audit", SOURCE, invocation.invocationId(), type), at,
                AuditEvent.VERSION, invocation.invocationId(), SOURCE, type, invocation.projectId(),
                invocation.invocationId(),
                invocation.requester() == null ? null : invocation.requester().username(),
                invocation.serviceAccount() == null ? null : invocation.serviceAccount().username(), data);
    }

    /** {@code run.succeeded}, {@code run.failed}, ... */
    public static String auditType(RunState state) {
        return "run." + state.name().toLowerCase(Locale.ROOT);
    }

    private RunRecords() {
    }
}
