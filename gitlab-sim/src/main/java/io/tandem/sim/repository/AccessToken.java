package io.tandem.sim.repository;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** A personal access token (also used for the root token and service account tokens). */
public class AccessToken {
    public long id;
    public long userId;
    public String name;
    public String description;
    public List<String> scopes;
    public LocalDate expiresAt;
    public String token;
    public boolean revoked;
    public Instant createdAt;
    public Instant lastUsedAt;

    public boolean active(LocalDate today) {
        return !revoked && (expiresAt == null || expiresAt.isAfter(today));
    }
}
