package io.tandem.sim.repository;

import java.time.Instant;

/** A comment on an issue, a merge request or (with {@code groupId} set and {@code projectId} 0) an epic. */
public class Note {
    public long id;
    public long projectId;
    public Long groupId;
    public String body;
    public long authorId;
    /** {@code Issue}, {@code MergeRequest} or {@code Epic}. */
    public String noteableType;
    public long noteableId;
    public long noteableIid;
    public boolean system;
    public boolean internal;
    public String discussionId;
    /** GitLab's note type: null for a standalone comment, {@code DiscussionNote} or {@code DiffNote}. */
    public String type;
    /** Set for {@code DiffNote}s only. */
    public NotePosition position;
    public Instant createdAt;
    public Instant updatedAt;
}
