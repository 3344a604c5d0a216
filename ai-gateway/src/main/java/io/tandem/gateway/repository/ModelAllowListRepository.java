package io.tandem.gateway.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class ModelAllowListRepository implements PanacheRepositoryBase<ModelAllowListEntity, String> {

    @WithSession
    public Uni<List<ModelAllowListEntity>> all() {
        return listAll();
    }

    @WithSession
    public Uni<ModelAllowListEntity> find(String scope, long scopeId, String provider) {
        return findById(ModelAllowListEntity.id(scope, scopeId, provider));
    }

    @WithTransaction
    public Uni<ModelAllowListEntity> set(String scope, long scopeId, String provider, List<String> models) {
        String id = ModelAllowListEntity.id(scope, scopeId, provider);
        return findById(id).flatMap(stored -> {
            ModelAllowListEntity list = stored != null ? stored : new ModelAllowListEntity();
            list.id = id;
            list.scope = scope;
            list.scopeId = scopeId;
            list.provider = provider;
            list.models = String.join(",", models);
            list.updatedAt = Instant.now();
            return stored != null ? Uni.createFrom().item(list) : persist(list);
        });
    }

    @WithTransaction
    public Uni<Boolean> remove(String scope, long scopeId, String provider) {
        return deleteById(ModelAllowListEntity.id(scope, scopeId, provider));
    }
}
