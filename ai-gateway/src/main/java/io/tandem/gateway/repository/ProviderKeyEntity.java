package io.tandem.gateway.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The organisation's key for a provider, sealed; without {@code sealedKey}, a key removed through the API. */
@Entity
@Table(name = "provider_key")
public class ProviderKeyEntity extends PanacheEntityBase {

    @Id
    public String provider;
    /** IV, then AES-GCM ciphertext and tag. */
    @Column(name = "sealed_key")
    public byte[] sealedKey;
    /** The id of the encryption key that sealed it. */
    @Column(name = "key_id")
    public String keyId;
    /** A short hash of the key, to tell keys apart in audits and answers; never the key. */
    public String fingerprint;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
