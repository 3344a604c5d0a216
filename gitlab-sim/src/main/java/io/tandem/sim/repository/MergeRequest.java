package io.tandem.sim.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A merge request between two branches of one project. */
public class MergeRequest {
    public long id;
    public long iid;
    public long projectId;
    public String title;
    public String description;
    public String state = "opened";
    public String sourceBranch;
    public String targetBranch;
    public long authorId;
    public List<Long> assigneeIds = new ArrayList<>();
    public List<Long> reviewerIds = new ArrayList<>();
    public List<String> labels = new ArrayList<>();
    public boolean removeSourceBranch;
    public boolean squash;
    public Instant createdAt;
    public Instant updatedAt;
    public Instant closedAt;
    public Long closedById;
    public Long updatedById;

    public boolean draft() {
        return DraftTitles.isDraft(title);
    }
}
