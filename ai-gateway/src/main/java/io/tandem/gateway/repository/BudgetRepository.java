package io.tandem.gateway.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class BudgetRepository implements PanacheRepositoryBase<BudgetEntity, String> {

    /** The usage column each scope is summed by; never built from the caller's text. */
    private static final Map<String, String> USAGE_COLUMN = Map.of("project", "project_id", "group", "group_id",
            "user", "user_id");

    @WithSession
    public Uni<BudgetEntity> find(String scope, long scopeId) {
        return findById(BudgetEntity.id(scope, scopeId));
    }

    @WithSession
    public Uni<List<BudgetEntity>> all() {
        return listAll();
    }

    @WithTransaction
    public Uni<BudgetEntity> set(String scope, long scopeId, long dailyTokens) {
        String id = BudgetEntity.id(scope, scopeId);
        return findById(id).flatMap(stored -> {
            BudgetEntity budget = stored != null ? stored : new BudgetEntity();
            budget.id = id;
            budget.scope = scope;
            budget.scopeId = scopeId;
            budget.dailyTokens = dailyTokens;
            budget.updatedAt = Instant.now();
            return stored != null ? Uni.createFrom().item(budget) : persist(budget);
        });
    }

    @WithTransaction
    public Uni<Boolean> remove(String scope, long scopeId) {
        return deleteById(BudgetEntity.id(scope, scopeId));
    }

    /** Input and output tokens the scope used on {@code day}, from {@code run_usage}. */
    @WithSession
    public Uni<Long> used(String scope, long scopeId, LocalDate day) {
        String column = USAGE_COLUMN.get(scope);
        if (column == null) {
            return Uni.createFrom().failure(new IllegalArgumentException("unknown budget scope"));
        }
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "select coalesce(sum(input_tokens + output_tokens), 0) from gateway.run_usage where day = :day and "
                                + column + " = :id", Long.class)
                .setParameter("day", day).setParameter("id", scopeId).getSingleResult())
                .map(Number::longValue);
    }
}
