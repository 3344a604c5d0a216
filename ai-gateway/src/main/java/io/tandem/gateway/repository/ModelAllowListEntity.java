package io.tandem.gateway.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** The models a group or an agent may use with one provider. */
@Entity
@Table(name = "model_allow_list")
public class ModelAllowListEntity extends PanacheEntityBase {

    /** {@code <scope>:<scopeId>:<provider>}. */
    @Id
    public String id;
    public String scope;
    @Column(name = "scope_id")
    public long scopeId;
    public String provider;
    /** Comma-separated. */
    public String models;
    @Column(name = "updated_at")
    public Instant updatedAt;

    public static String id(String scope, long scopeId, String provider) {
        return scope + ":" + scopeId + ":" + provider;
    }

    public List<String> modelList() {
        return models.isEmpty() ? List.of() : Arrays.asList(models.split(","));
    }
}
