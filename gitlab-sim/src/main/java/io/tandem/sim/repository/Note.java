package io.tandem.sim.repository;

import java.time.Instant;

/** A comment on an issue or merge request. */
public class Note {
    public long id;
    public long projectId;
    public String body;
    public long authorId;
    /** {@code Issue} or {@code MergeRequest}. */
    public String noteableType;
    public long noteableId;
    public long noteableIid;
    public boolean system;
    public boolean internal;
    public String discussionId;
    public Instant createdAt;
    public Instant updatedAt;
}
