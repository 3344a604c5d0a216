package io.tandem.matcher.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A catalog agent, owned by a project. {@code definition} is the YAML as its author wrote it. */
@Entity
@Table(name = "agent")
public class Agent {

    public static final String PRIVATE = "private";
    public static final String PUBLIC = "public";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "project_id", nullable = false)
    public long projectId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String description;

    @Column(nullable = false)
    public String visibility;

    @Column(nullable = false)
    public String definition;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Turned off by its project's Maintainers: stays enabled everywhere but starts nothing. */
    @Column(nullable = false)
    public boolean disabled;

    public boolean isPublic() {
        return PUBLIC.equals(visibility);
    }
}
