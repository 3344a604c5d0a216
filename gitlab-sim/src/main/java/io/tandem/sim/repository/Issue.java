package io.tandem.sim.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An issue of a project. */
public class Issue {
    public long id;
    public long iid;
    public long projectId;
    public String title;
    public String description;
    public String state = "opened";
    public long authorId;
    public List<Long> assigneeIds = new ArrayList<>();
    public List<String> labels = new ArrayList<>();
    public boolean confidential;
    public boolean discussionLocked;
    public Instant createdAt;
    public Instant updatedAt;
    public Instant closedAt;
    public Long closedById;
    public Long updatedById;
}
