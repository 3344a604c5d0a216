package io.tandem.launcher.service;

import io.tandem.events.RunState;
import java.util.Locale;

/** GitLab pipeline statuses as run states. */
public final class RunStates {

    /** The run state a pipeline status means, or null when it tells nothing new (created, pending, manual...). */
    public static RunState fromPipelineStatus(String status) {
        if (status == null) {
            return null;
        }
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "running" -> RunState.RUNNING;
            case "success" -> RunState.SUCCEEDED;
            case "failed" -> RunState.FAILED;
            case "canceled", "cancelled", "skipped" -> RunState.CANCELED;
            default -> null;
        };
    }

    /** Runs only move forward, and never out of a terminal state. */
    public static boolean canMove(RunState from, RunState to) {
        return !from.terminal() && to.ordinal() > from.ordinal();
    }

    private RunStates() {
    }
}
