package io.tandem.gateway.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;

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

    @WithTransaction
    public Uni<Void> add(String runId, String provider, String model, LocalDate day, Long projectId, Long groupId,
            String user, Long userId, long input, long output) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(ADD)
                .setParameter("run", runId).setParameter("provider", provider).setParameter("model", model)
                .setParameter("day", day).setParameter("project", projectId).setParameter("group", groupId)
                .setParameter("user", user).setParameter("userId", userId).setParameter("input", input)
                .setParameter("output", output).executeUpdate()).replaceWithVoid();
    }
}
