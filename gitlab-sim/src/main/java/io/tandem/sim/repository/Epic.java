package io.tandem.sim.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A group epic (GitLab's legacy epics API); iids count per group. */
public class Epic {
    public long id;
    public long iid;
    public long groupId;
    public String title;
    public String description;
    public String state = "opened";
    public long authorId;
    public List<String> labels = new ArrayList<>();
    public boolean confidential;
    public Instant createdAt;
    public Instant updatedAt;
}
