package io.tandem.gateway.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A run that ended: the gateway refuses its token from then on. */
@Entity
@Table(name = "ended_run")
public class EndedRunEntity extends PanacheEntityBase {

    @Id
    @Column(name = "run_id")
    public String runId;
    public String state;
    @Column(name = "ended_at")
    public Instant endedAt;
}
