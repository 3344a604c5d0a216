package io.tandem.identity.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An RSA key pair that signs run tokens; the private half sealed (see {@code SecretBox}). */
@Entity
@Table(name = "signing_key")
public class SigningKeyEntity extends PanacheEntityBase {

    public static final String ACTIVE = "active";
    public static final String PREVIOUS = "previous";
    public static final String RETIRED = "retired";

    @Id
    public String kid;
    public String algorithm;
    /** X.509 SubjectPublicKeyInfo, DER. */
    @Column(name = "public_key")
    public byte[] publicKey;
    /** PKCS#8, DER, sealed. */
    @Column(name = "private_key_ciphertext")
    public byte[] privateKeyCiphertext;
    @Column(name = "private_key_key_id")
    public String privateKeyKeyId;
    public String status;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "retired_at")
    public Instant retiredAt;
}
