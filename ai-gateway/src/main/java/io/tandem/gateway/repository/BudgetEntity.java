package io.tandem.gateway.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A daily token budget of a project, a group or a user. */
@Entity
@Table(name = "budget")
public class BudgetEntity extends PanacheEntityBase {

    /** {@code <scope>:<scopeId>}. */
    @Id
    public String id;
    public String scope;
    @Column(name = "scope_id")
    public long scopeId;
    @Column(name = "daily_tokens")
    public long dailyTokens;
    @Column(name = "updated_at")
    public Instant updatedAt;

    public static String id(String scope, long scopeId) {
        return scope + ":" + scopeId;
    }
}
