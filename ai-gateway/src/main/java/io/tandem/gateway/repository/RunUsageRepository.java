package io.tandem.gateway.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Tokens per run, provider, model and day ({@code run_usage}), summed in one upsert, so that two requests of a
 * run finishing at once both count.
 */
@ApplicationScoped
public class RunUsageRepository {

    private static final String ADD = """
            insert into gateway.run_usage (run_id, provider, model, day, project_id, group_id, user_name, user_id,
                                           input_tokens, output_tokens, requests, updated_at)
            values (:run, :provider, :model, :day, :project, :group, :user, :userId, :input, :output, 1, now())
            on conflict (run_id, provider, model, day) do update set
                input_tokens  = run_usage.input_tokens + excluded.input_tokens,
                output_tokens = run_usage.output_tokens + excluded.output_tokens,
                requests      = run_usage.requests + 1,
                updated_at    = now()
            """;

    /** The column a scope is summed by; never built from the caller's text. */
    private static final Map<String, String> SCOPE_COLUMN = Map.of("project", "project_id", "group", "group_id",
            "user", "user_id");

    /** Tokens and requests of one provider and model, summed over a scope and days. */
    public record ModelTotal(String provider, String model, long inputTokens, long outputTokens, long requests) {
    }

    @WithTransaction
    public Uni<Void> add(String runId, String provider, String model, LocalDate day, Long projectId, Long groupId,
            String user, Long userId, long input, long output) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(ADD)
                .setParameter("run", runId).setParameter("provider", provider).setParameter("model", model)
                .setParameter("day", day).setParameter("project", projectId).setParameter("group", groupId)
                .setParameter("user", user).setParameter("userId", userId).setParameter("input", input)
                .setParameter("output", output).executeUpdate()).replaceWithVoid();
    }

    /** What a project, group or user used from {@code from} to {@code to} (UTC days, both included). */
    @WithSession
    public Uni<List<ModelTotal>> totals(String scope, long scopeId, LocalDate from, LocalDate to) {
        String column = SCOPE_COLUMN.get(scope);
        if (column == null) {
            return Uni.createFrom().failure(new IllegalArgumentException("unknown usage scope"));
        }
        String sql = "select provider, model, sum(input_tokens)::bigint, sum(output_tokens)::bigint, sum(requests)::bigint"
                + " from gateway.run_usage where " + column + " = :id and day between :from and :to"
                + " group by provider, model order by provider, model";
        return Panache.getSession().flatMap(session -> session.createNativeQuery(sql, Object[].class)
                .setParameter("id", scopeId).setParameter("from", from).setParameter("to", to).getResultList())
                .map(rows -> rows.stream().map(row -> new ModelTotal((String) row[0], (String) row[1],
                        ((Number) row[2]).longValue(), ((Number) row[3]).longValue(), ((Number) row[4]).longValue()))
                        .toList());
    }
}
