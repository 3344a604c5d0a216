package io.tandem.sim.repository;

import java.time.Instant;
import java.util.List;

/** A Git commit as the API shows it. */
public record CommitInfo(String id, String title, String message, String authorName, String authorEmail,
        Instant authoredDate, String committerName, String committerEmail, Instant committedDate,
        List<String> parentIds) {

    public String shortId() {
        return id.substring(0, 8);
    }
}
