package io.tandem.gateway.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class ProviderKeyRepository implements PanacheRepositoryBase<ProviderKeyEntity, String> {

    @WithSession
    public Uni<List<ProviderKeyEntity>> all() {
        return listAll();
    }

    /** Stores a sealed key, or (all null) the removal of the provider's key. */
    @WithTransaction
    public Uni<ProviderKeyEntity> put(String provider, byte[] sealedKey, String keyId, String fingerprint) {
        return findById(provider).flatMap(stored -> {
            ProviderKeyEntity key = stored != null ? stored : new ProviderKeyEntity();
            key.provider = provider;
            key.sealedKey = sealedKey;
            key.keyId = keyId;
            key.fingerprint = fingerprint;
            key.updatedAt = Instant.now();
            return stored != null ? Uni.createFrom().item(key) : persist(key);
        });
    }
}
