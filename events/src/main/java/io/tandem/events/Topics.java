package io.tandem.events;

/**
 * Kafka topic names. A topic carries exactly one record type; its name ends in the record's major version
 * so that an incompatible change gets a new topic instead of breaking consumers of the old one.
 */
public final class Topics {

    /** {@link NoteEvent}, key {@link ThreadKey}: notes on issues, merge requests, epics and work items. */
    public static final String GITLAB_NOTES = "tandem.gitlab.notes.v1";
    /** {@link IssueEvent}, key {@link ThreadKey}. */
    public static final String GITLAB_ISSUES = "tandem.gitlab.issues.v1";
    /** {@link MergeRequestEvent}, key {@link ThreadKey}. */
    public static final String GITLAB_MERGE_REQUESTS = "tandem.gitlab.merge-requests.v1";
    /** {@link PipelineEvent}, key {@code <projectId>/pipeline/<pipelineId>}. */
    public static final String GITLAB_PIPELINES = "tandem.gitlab.pipelines.v1";

    /** {@link InvocationRequested}, key {@link ThreadKey}: trigger-matcher asks for a run. */
    public static final String INVOCATIONS_REQUESTED = "tandem.invocations.requested.v1";
    /** {@link InvocationQueued}, key {@link ThreadKey}: a mention waits for the thread's active run to end. */
    public static final String INVOCATIONS_QUEUED = "tandem.invocations.queued.v1";
    /** {@link ThreadCommand}, key {@link ThreadKey}: {@code stop}, {@code retry} or {@code status} in a thread. */
    public static final String THREAD_COMMANDS = "tandem.thread-commands.v1";
    /** {@link InvocationAuthorized}, key {@link ThreadKey}: identity-service allowed it. */
    public static final String INVOCATIONS_AUTHORIZED = "tandem.invocations.authorized.v1";
    /** {@link InvocationDenied}, key {@link ThreadKey}: identity-service refused it. */
    public static final String INVOCATIONS_DENIED = "tandem.invocations.denied.v1";
    /** {@link RunStatusChanged}, key {@link ThreadKey}: pipeline-launcher follows the run's pipeline. */
    public static final String RUNS_STATUS = "tandem.runs.status.v1";

    /** {@link AuditEvent}, key: the invocation id, or the project id for steps outside a run. Never compacted. */
    public static final String AUDIT = "tandem.audit.v1";

    /** Dead-letter topic of a service's channel: records its consumer could not handle after retries. */
    public static String deadLetter(String service, String channel) {
        return "tandem.dlq." + service + "." + channel;
    }

    private Topics() {
    }
}
