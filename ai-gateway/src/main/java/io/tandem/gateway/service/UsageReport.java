package io.tandem.gateway.service;

import io.smallrye.mutiny.Uni;
import io.tandem.gateway.repository.RunUsageRepository;
import io.tandem.gateway.repository.RunUsageRepository.ModelTotal;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tokens used by a project, a group or a user over UTC days, by provider and model, from {@code run_usage}. */
@ApplicationScoped
public class UsageReport {

    public static final List<String> SCOPES = List.of("project", "group", "user");

    private final RunUsageRepository usage;

    public UsageReport(RunUsageRepository usage) {
        this.usage = usage;
    }

    public record Totals(long inputTokens, long outputTokens, long requests) {

        Totals plus(ModelTotal total) {
            return new Totals(inputTokens + total.inputTokens(), outputTokens + total.outputTokens(),
                    requests + total.requests());
        }
    }

    public record ProviderTotal(String provider, long inputTokens, long outputTokens, long requests) {
    }

    public record Report(String scope, long id, LocalDate from, LocalDate to, long inputTokens, long outputTokens,
            long requests, List<ProviderTotal> byProvider, List<ModelTotal> byModel) {
    }

    public Uni<Report> report(String scope, long id, LocalDate from, LocalDate to) {
        return usage.totals(scope, id, from, to).map(models -> {
            Totals all = new Totals(0, 0, 0);
            Map<String, Totals> providers = new LinkedHashMap<>();
            for (ModelTotal model : models) {
                all = all.plus(model);
                providers.merge(model.provider(), new Totals(0, 0, 0).plus(model), (a, b) -> new Totals(
                        a.inputTokens() + b.inputTokens(), a.outputTokens() + b.outputTokens(), a.requests() + b.requests()));
            }
            List<ProviderTotal> byProvider = providers.entrySet().stream().map(e -> new ProviderTotal(e.getKey(),
                    e.getValue().inputTokens(), e.getValue().outputTokens(), e.getValue().requests())).toList();
            return new Report(scope, id, from, to, all.inputTokens(), all.outputTokens(), all.requests(), byProvider,
                    models);
        });
    }
}
