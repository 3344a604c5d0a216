package io.tandem.publisher.service;

import io.tandem.events.AuditEvent;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.RunState;
import io.tandem.events.ThreadCommand;
import io.tandem.events.ThreadRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The audit events of result-publisher's own steps. Ids are derived, so a repeated step repeats the id. */
@ApplicationScoped
public class PublisherAuditEvents {

    public static final String SOURCE = "result-publisher";

    public AuditEvent noteWritten(Invocation invocation, RunState state, Long noteId) {
        Map<String, String> data = threadData(invocation, state);
        if (noteId != null) {
            data.put("noteId", noteId.toString());
        }
        return event("note.written", invocation, state, data);
    }

    /** The run's merge request exists (opened now, or found again on a repeat: then the same event id). */
    public AuditEvent mergeRequestOpened(Invocation invocation, RunMergeRequest mergeRequest) {
        Map<String, String> data = mergeRequestData(invocation, mergeRequest);
        data.put("mergeRequestIid", mergeRequest.iid().toString());
        data.put("webUrl", mergeRequest.webUrl());
        return event("merge-request.opened", invocation, RunState.SUCCEEDED, data);
    }

    /** GitLab refused the run's merge request; the note says so and names the branch. */
    public AuditEvent mergeRequestNotOpened(Invocation invocation, RunMergeRequest mergeRequest) {
        Map<String, String> data = mergeRequestData(invocation, mergeRequest);
        data.put("reason", mergeRequest.problem());
        return event("merge-request.not-opened", invocation, RunState.SUCCEEDED, data);
    }

    /**
     * The run's result file is in its thread (posted now, or found again on a repeat: then the same event id). One
     * per run whatever state ended it, so the id leaves the state out.
     */
    public AuditEvent resultPosted(Invocation invocation, RunState state, PostedResult posted) {
        Map<String, String> data = threadData(invocation, state);
        data.put("noteId", Long.toString(posted.noteId()));
        data.put("jobId", Long.toString(posted.jobId()));
        data.put("jobName", posted.jobName());
        data.put("resultFile", posted.resultFile());
        data.put("bytes", Integer.toString(posted.bytes()));
        data.put("truncated", Boolean.toString(posted.cut()));
        if (posted.discussionId() != null) {
            data.put("discussionId", posted.discussionId());
        }
        String invocationId = invocation.invocationId();
        return new AuditEvent(EventIds.derive(SOURCE, "result.posted", invocationId), Instant.now(),
                AuditEvent.VERSION, invocationId, SOURCE, "result.posted", invocation.projectId(), invocationId,
                invocation.requester() == null ? null : invocation.requester().username(),
                invocation.serviceAccount() == null ? null : invocation.serviceAccount().username(), data);
    }

    public AuditEvent noteUnsupported(Invocation invocation, RunState state) {
        return event("note.unsupported", invocation, state, threadData(invocation, state));
    }

    /** The watchdog finished a run that had stopped moving. */
    public AuditEvent watchdogTimedOut(Invocation invocation, RunState before, Duration staleAfter) {
        Map<String, String> data = threadData(invocation, RunState.TIMED_OUT);
        data.put("previousState", before.name());
        data.put("staleAfter", staleAfter.toString());
        return event("run.watchdog-timed-out", invocation, RunState.TIMED_OUT, data);
    }

    /** result-publisher answered a thread command ({@code stop}, {@code retry}, {@code status}). */
    public AuditEvent commandAnswered(ThreadCommand command, CommandReplyWriter.Outcome outcome) {
        Map<String, String> data = commandData(command);
        data.put("noteId", Long.toString(outcome.noteId()));
        if (outcome.runState() != null) {
            data.put("state", outcome.runState().name());
        }
        return commandEvent("command.answered", command, outcome.runProjectId(), data);
    }

    /** result-publisher told the user why trigger-matcher refused the command; nothing else happened. */
    public AuditEvent commandRefusalAnswered(ThreadCommand command, CommandReplyWriter.Outcome outcome) {
        Map<String, String> data = commandData(command);
        data.put("noteId", Long.toString(outcome.noteId()));
        data.put("refusal", command.refusal());
        return commandEvent("command.refused.answered", command, outcome.runProjectId(), data);
    }

    public AuditEvent commandUnsupported(ThreadCommand command) {
        Map<String, String> data = new HashMap<>();
        data.put("verb", command.verb());
        data.put("commandEventId", command.eventId());
        data.put("noteableType", String.valueOf(command.thread().noteableType()));
        return commandEvent("command.unsupported", command, command.thread().projectId(), data);
    }

    private static Map<String, String> commandData(ThreadCommand command) {
        Map<String, String> data = new HashMap<>();
        data.put("verb", command.verb());
        data.put("commandEventId", command.eventId());
        data.put("noteableType", String.valueOf(command.thread().noteableType()));
        data.put("noteableIid", Long.toString(command.thread().noteableIid()));
        putGroup(data, command.thread());
        if (command.discussionId() != null) {
            data.put("discussionId", command.discussionId());
        }
        return data;
    }

    /** @param projectId the run's project; for a command in an epic the thread has none */
    private static AuditEvent commandEvent(String type, ThreadCommand command, Long projectId,
            Map<String, String> data) {
        String key = command.invocationId() != null ? command.invocationId() : command.key();
        return new AuditEvent(EventIds.derive(SOURCE, type, command.eventId()), Instant.now(), AuditEvent.VERSION,
                key, SOURCE, type, projectId, command.invocationId(),
                command.requester() == null ? null : command.requester().username(),
                command.serviceAccount() == null ? null : command.serviceAccount().username(), data);
    }

    private static AuditEvent event(String type, Invocation invocation, RunState state, Map<String, String> data) {
        String invocationId = invocation.invocationId();
        return new AuditEvent(EventIds.derive(SOURCE, type, invocationId, state.name()), Instant.now(),
                AuditEvent.VERSION, invocationId, SOURCE, type, invocation.projectId(), invocationId,
                invocation.requester() == null ? null : invocation.requester().username(),
                invocation.serviceAccount() == null ? null : invocation.serviceAccount().username(), data);
    }

    private static Map<String, String> mergeRequestData(Invocation invocation, RunMergeRequest mergeRequest) {
        Map<String, String> data = threadData(invocation, RunState.SUCCEEDED);
        data.remove("state");
        data.put("sourceBranch", mergeRequest.sourceBranch());
        if (mergeRequest.targetBranch() != null) {
            data.put("targetBranch", mergeRequest.targetBranch());
        }
        if (invocation.requester() != null && invocation.requester().username() != null) {
            data.put("assignee", invocation.requester().username());
        }
        return data;
    }

    private static Map<String, String> threadData(Invocation invocation, RunState state) {
        Map<String, String> data = new HashMap<>();
        data.put("state", state.name());
        data.put("noteableType", String.valueOf(invocation.thread().noteableType()));
        data.put("noteableIid", Long.toString(invocation.thread().noteableIid()));
        putGroup(data, invocation.thread());
        return data;
    }

    /** A group thread (an epic) is named by its group; the event's projectId is the run's project. */
    private static void putGroup(Map<String, String> data, ThreadRef thread) {
        if (thread.projectId() != null) {
            return;
        }
        if (thread.groupId() != null) {
            data.put("groupId", thread.groupId().toString());
        }
        if (thread.groupPath() != null) {
            data.put("groupPath", thread.groupPath());
        }
    }
}
