package io.tandem.sim.repository;

import java.time.Instant;

/** A GitLab user: a human, the root admin or a group service account (bot). */
public class User {
    public long id;
    public String username;
    public String name;
    public String email;
    public boolean admin;
    public boolean bot;
    /** The group that owns this service account, or null for ordinary users. */
    public Long serviceAccountGroupId;
    public String state = "active";
    /** Id of the user's personal namespace. */
    public long namespaceId;
    public boolean canCreateGroup = true;
    public Instant createdAt;
}
