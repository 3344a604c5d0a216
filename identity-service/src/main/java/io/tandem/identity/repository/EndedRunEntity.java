package io.tandem.identity.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A run that ended: the GitLab proxy refuses its token from then on. */
@Entity
@Table(name = "ended_run")
public class EndedRunEntity extends PanacheEntityBase {

    @Id
    @Column(name = "invocation_id")
    public String invocationId;
    public String state;
    @Column(name = "ended_at")
    public Instant endedAt;
}
