package io.tandem.sim.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A pipeline; it only changes status when moved through the simulator endpoint or cancelled. */
public class Pipeline {
    public long id;
    public long iid;
    public long projectId;
    public String ref;
    public String sha;
    public String beforeSha = "0000000000000000000000000000000000000000";
    public String status = "pending";
    public String source = "api";
    public long userId;
    public List<PipelineVariable> variables = new ArrayList<>();
    public List<Job> jobs = new ArrayList<>();
    public Instant createdAt;
    public Instant updatedAt;
    public Instant startedAt;
    public Instant finishedAt;

    public boolean finished() {
        return "success".equals(status) || "failed".equals(status) || "canceled".equals(status)
                || "skipped".equals(status);
    }
}
