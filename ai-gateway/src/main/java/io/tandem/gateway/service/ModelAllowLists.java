package io.tandem.gateway.service;

import io.smallrye.mutiny.Uni;
import io.tandem.events.EventIds;
import io.tandem.gateway.config.GatewayConfig;
import io.tandem.gateway.messaging.AuditPublisher;
import io.tandem.gateway.repository.ModelAllowListEntity;
import io.tandem.gateway.repository.ModelAllowListRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The allow-lists of groups and agents, set through the internal API. A request reads them from a copy in
 * memory ({@link CachedSnapshot}), so they cost no query per request; a change applies at once on the replica
 * that took it and within {@code tandem.gateway.settings-cache-ttl} on the others.
 */
@ApplicationScoped
public class ModelAllowLists {

    public static final List<String> SCOPES = List.of("group", "agent");

    private final ModelAllowListRepository lists;
    private final AuditPublisher audit;
    private final CachedSnapshot<Map<String, List<String>>> cached;

    public ModelAllowLists(ModelAllowListRepository lists, AuditPublisher audit, GatewayConfig config) {
        this.lists = lists;
        this.audit = audit;
        this.cached = new CachedSnapshot<>(config.gateway().settingsCacheTtl(), () -> lists.all().map(all -> all.stream()
                .collect(Collectors.toMap(list -> list.id, ModelAllowListEntity::modelList, (a, b) -> a))));
    }

    /** A group's or an agent's list that applies to a request. */
    public record ScopedList(String scope, long id, List<String> models) {
    }

    /** The lists of the run's group and agent for the provider, those that are set. */
    public Uni<List<ScopedList>> listsFor(Provider provider, GatewayClaims run) {
        return cached.get().map(all -> {
            List<ScopedList> found = new ArrayList<>(2);
            addIfSet(found, all, "group", run.groupId(), provider);
            addIfSet(found, all, "agent", run.agentId(), provider);
            return found;
        });
    }

    public Uni<ModelAllowListEntity> find(String scope, long id, Provider provider) {
        return lists.find(scope, id, provider.id());
    }

    public Uni<ModelAllowListEntity> set(String scope, long id, Provider provider, List<String> models) {
        return lists.set(scope, id, provider.id(), models).invoke(cached::invalidate).call(saved -> audit.publish(
                EventIds.derive("model-allow-list.set", saved.id, saved.models, saved.updatedAt.toString()),
                auditKey(scope, id), "model-allow-list.set", null, null, null, null,
                Map.of("scope", scope, "id", Long.toString(id), "provider", provider.id(), "models", saved.models)));
    }

    public Uni<Boolean> remove(String scope, long id, Provider provider) {
        return lists.remove(scope, id, provider.id()).invoke(cached::invalidate).call(removed -> !removed
                ? Uni.createFrom().voidItem()
                : audit.publish(EventIds.derive("model-allow-list.removed", ModelAllowListEntity.id(scope, id,
                        provider.id()), Instant.now().toString()), auditKey(scope, id), "model-allow-list.removed",
                        null, null, null, null, Map.of("scope", scope, "id", Long.toString(id), "provider", provider.id())));
    }

    private static String auditKey(String scope, long id) {
        return scope + ":" + id;
    }

    private static void addIfSet(List<ScopedList> found, Map<String, List<String>> all, String scope, Long id,
            Provider provider) {
        if (id == null) {
            return;
        }
        List<String> models = all.get(ModelAllowListEntity.id(scope, id, provider.id()));
        if (models != null) {
            found.add(new ScopedList(scope, id, models));
        }
    }
}
