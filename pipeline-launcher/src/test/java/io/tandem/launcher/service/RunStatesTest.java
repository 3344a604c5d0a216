package io.tandem.launcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.events.RunState;
import org.junit.jupiter.api.Test;

class RunStatesTest {

    @Test
    void mapsGitlabStatuses() {
        assertEquals(RunState.RUNNING, RunStates.fromPipelineStatus("running"));
        assertEquals(RunState.SUCCEEDED, RunStates.fromPipelineStatus("success"));
        assertEquals(RunState.FAILED, RunStates.fromPipelineStatus("failed"));
        assertEquals(RunState.CANCELED, RunStates.fromPipelineStatus("canceled"));
        assertEquals(RunState.CANCELED, RunStates.fromPipelineStatus("skipped"));
        assertNull(RunStates.fromPipelineStatus("pending"));
        assertNull(RunStates.fromPipelineStatus("created"));
    }

    @Test
    void movesOnlyForwardAndNeverOutOfATerminalState() {
        assertTrue(RunStates.canMove(RunState.STARTED, RunState.RUNNING));
        assertTrue(RunStates.canMove(RunState.RUNNING, RunState.SUCCEEDED));
        assertFalse(RunStates.canMove(RunState.RUNNING, RunState.STARTED));
        assertFalse(RunStates.canMove(RunState.SUCCEEDED, RunState.FAILED));
        assertFalse(RunStates.canMove(RunState.RUNNING, RunState.RUNNING));
    }
}
