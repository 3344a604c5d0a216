package io.tandem.sim.repository;

import java.time.Instant;
import java.time.LocalDate;

/** A direct membership of a user in a group or project. */
public class Member {
    public long userId;
    public int accessLevel;
    public LocalDate expiresAt;
    public Instant createdAt;
    public Long createdById;
}
