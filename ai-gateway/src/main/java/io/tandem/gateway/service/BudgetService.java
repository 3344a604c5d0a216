package io.tandem.gateway.service;

import io.smallrye.mutiny.Uni;
import io.tandem.events.EventIds;
import io.tandem.gateway.config.GatewayConfig;
import io.tandem.gateway.messaging.AuditPublisher;
import io.tandem.gateway.repository.BudgetEntity;
import io.tandem.gateway.repository.BudgetRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Daily token budgets of projects, groups and users (UTC days, input plus output tokens). A run may start, and a
 * request go on, only while every budget that applies to it has tokens left; the check is made before a request,
 * so the request that crosses a budget completes and the next one is refused. The budgets themselves are read
 * from a copy in memory ({@link CachedSnapshot}): a request of a run without budgets costs no query; a change
 * applies at once on the replica that took it, within {@code tandem.gateway.settings-cache-ttl} on the others.
 */
@ApplicationScoped
public class BudgetService {

    public static final List<String> SCOPES = List.of("project", "group", "user");

    private final BudgetRepository budgets;
    private final AuditPublisher audit;
    private final CachedSnapshot<Map<String, BudgetEntity>> cached;

    public BudgetService(BudgetRepository budgets, AuditPublisher audit, GatewayConfig config) {
        this.budgets = budgets;
        this.audit = audit;
        this.cached = new CachedSnapshot<>(config.gateway().settingsCacheTtl(), () -> budgets.all()
                .map(all -> all.stream().collect(Collectors.toMap(budget -> budget.id, budget -> budget))));
    }

    /** A budget with what its scope used today. */
    public record Status(String scope, long id, long dailyTokens, long usedTokens) {

        public boolean exhausted() {
            return usedTokens >= dailyTokens;
        }
    }

    /** The budgets that apply to a run of this project, group and user (any may be null), with today's use. */
    public Uni<List<Status>> statuses(Long projectId, Long groupId, Long userId) {
        Map<String, Long> scopes = new LinkedHashMap<>();
        putIfKnown(scopes, "project", projectId);
        putIfKnown(scopes, "group", groupId);
        putIfKnown(scopes, "user", userId);
        List<String> ids = scopes.entrySet().stream().map(e -> BudgetEntity.id(e.getKey(), e.getValue())).toList();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return cached.get().flatMap(all -> {
            List<BudgetEntity> ordered = new ArrayList<>(ids.stream().map(all::get).filter(Objects::nonNull).toList());
            ordered.sort((a, b) -> Integer.compare(SCOPES.indexOf(a.scope), SCOPES.indexOf(b.scope)));
            Uni<List<Status>> result = Uni.createFrom().item(new ArrayList<>());
            for (BudgetEntity budget : ordered) {
                result = result.flatMap(list -> budgets.used(budget.scope, budget.scopeId, today).map(used -> {
                    list.add(new Status(budget.scope, budget.scopeId, budget.dailyTokens, used));
                    return list;
                }));
            }
            return result;
        });
    }

    /** Fails with a 429 refusal when a budget that applies is used up. */
    public Uni<Void> requireTokensLeft(GatewayClaims run) {
        return statuses(run.projectId(), run.groupId(), run.userId()).map(list -> {
            String reason = refusalReason(list);
            if (reason != null) {
                throw new GatewayRefusal(GatewayRefusal.Kind.OVER_BUDGET, reason);
            }
            return null;
        });
    }

    /** Why a run may not use models now, or null. */
    public static String refusalReason(List<Status> statuses) {
        return statuses.stream().filter(Status::exhausted).findFirst().map(status -> "the " + status.scope() + " "
                + status.id() + " has used " + status.usedTokens() + " of its " + status.dailyTokens()
                + " model tokens for today (UTC); the Tandem AI gateway refuses model requests until the day ends "
                + "or the budget is raised").orElse(null);
    }

    public Uni<BudgetEntity> set(String scope, long id, long dailyTokens) {
        return budgets.set(scope, id, dailyTokens).invoke(cached::invalidate).call(saved -> audit.publish(
                EventIds.derive("budget.set", saved.id, Long.toString(dailyTokens), saved.updatedAt.toString()),
                saved.id, "budget.set", "project".equals(scope) ? id : null, null, null, null,
                Map.of("scope", scope, "id", Long.toString(id), "dailyTokens", Long.toString(dailyTokens))));
    }

    public Uni<Boolean> remove(String scope, long id) {
        return budgets.remove(scope, id).invoke(cached::invalidate).call(removed -> !removed ? Uni.createFrom().voidItem() : audit.publish(
                EventIds.derive("budget.removed", BudgetEntity.id(scope, id), Instant.now().toString()),
                BudgetEntity.id(scope, id), "budget.removed", "project".equals(scope) ? id : null, null, null, null,
                Map.of("scope", scope, "id", Long.toString(id))));
    }

    public Uni<Status> status(String scope, long id) {
        return budgets.find(scope, id).flatMap(budget -> budget == null ? Uni.createFrom().nullItem()
                : budgets.used(scope, id, LocalDate.now(ZoneOffset.UTC))
                        .map(used -> new Status(scope, id, budget.dailyTokens, used)));
    }

    private static void putIfKnown(Map<String, Long> scopes, String scope, Long id) {
        if (id != null) {
            scopes.put(scope, id);
        }
    }
}
