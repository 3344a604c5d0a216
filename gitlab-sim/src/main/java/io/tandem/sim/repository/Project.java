package io.tandem.sim.repository;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A project with its repository (a bare Git repository in the data directory). */
public class Project {
    public long id;
    public String name;
    public String path;
    public String description = "";
    public long namespaceId;
    public String defaultBranch = "main";
    public String visibility = "private";
    public long creatorId;
    public Instant createdAt;
    public Instant lastActivityAt;
    public final Map<Long, Member> members = new ConcurrentHashMap<>();
    public final AtomicLong issueIids = new AtomicLong();
    public final AtomicLong mergeRequestIids = new AtomicLong();
    public final AtomicLong pipelineIids = new AtomicLong();
}
