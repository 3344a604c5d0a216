package io.tandem.sim.repository;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A group; its id is also its namespace id. */
public class Group {
    public long id;
    public String name;
    public String path;
    public String description = "";
    public Long parentId;
    public String visibility = "private";
    /** Full path, e.g. {@code parent/child}; fixed at creation (groups cannot be moved here). */
    public String fullPath;
    public String fullName;
    public Instant createdAt;
    public final AtomicLong epicIids = new AtomicLong();
}
