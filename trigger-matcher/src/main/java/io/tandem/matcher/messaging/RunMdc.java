package io.tandem.matcher.messaging;

import io.tandem.events.Invocation;
import org.jboss.logging.MDC;

/**
 * Tags the logging context of the record in hand with its run id ({@code runId}: the invocation id), so that
 * every line logged about the run carries it ({@code mdc.runId} in JSON logs). Quarkus keeps the MDC on the
 * record's Vert.x duplicated context: it follows the work to worker threads and back, and ends with the record.
 */
public final class RunMdc {

    public static final String RUN_ID = "runId";

    private RunMdc() {
    }

    public static void tag(Invocation invocation) {
        tag(invocation == null ? null : invocation.invocationId());
    }

    /** A record about no known run clears the key, so that nothing stale is carried over. */
    public static void tag(String invocationId) {
        if (invocationId == null) {
            MDC.remove(RUN_ID);
        } else {
            MDC.put(RUN_ID, invocationId);
        }
    }
}
