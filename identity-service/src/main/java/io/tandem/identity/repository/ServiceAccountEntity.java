package io.tandem.identity.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;

/** A group service account and its GitLab token, sealed (see {@code SecretBox}). */
@Entity
@Table(name = "service_account")
public class ServiceAccountEntity extends PanacheEntityBase {

    @Id
    @Column(name = "user_id")
    public Long userId;
    @Column(name = "group_id")
    public long groupId;
    public String username;
    @Column(name = "agent_name")
    public String agentName;
    @Column(name = "token_ciphertext")
    public byte[] tokenCiphertext;
    @Column(name = "token_key_id")
    public String tokenKeyId;
    @Column(name = "token_expires_at")
    public LocalDate tokenExpiresAt;
    /** GitLab's id of the token, to rotate it; null for tokens stored before rotation existed. */
    @Column(name = "token_id")
    public Long tokenId;
    /** SHA-256 (hex) of the token: finds the account of a token without opening every row. */
    @Column(name = "token_digest")
    public String tokenDigest;
    /** SHA-256 (hex) of the token the last rotation replaced. */
    @Column(name = "previous_token_digest")
    public String previousTokenDigest;
    @Column(name = "token_rotated_at")
    public Instant tokenRotatedAt;
    /** Set while a replica rotates the token. */
    @Column(name = "rotation_claimed_until")
    public Instant rotationClaimedUntil;
    @Column(name = "created_at")
    public Instant createdAt;
}
