package io.tandem.launcher.service;

import io.smallrye.mutiny.Uni;
import io.tandem.events.RunState;
import io.tandem.events.ThreadCommand;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code @agent stop}: cancels the run's pipeline and ends the run {@code CANCELED} ("stopped by @user").
 * trigger-matcher checked the user's role before it published the command. A run that already ended stays as
 * it is; a repeated command repeats the publish with the same ids.
 */
@ApplicationScoped
public class RunStopper {

    private final RunCanceller canceller;

    public RunStopper(RunCanceller canceller) {
        this.canceller = canceller;
    }

    public Uni<Void> stop(ThreadCommand command) {
        String by = command.requester() == null || command.requester().username() == null ? "a user"
                : "@" + command.requester().username();
        Map<String, String> data = new LinkedHashMap<>();
        data.put("stoppedBy", by);
        data.put("commandNoteId", String.valueOf(command.noteId()));
        return canceller.end(command.invocationId(), RunState.CANCELED, "stopped by " + by, data);
    }
}
