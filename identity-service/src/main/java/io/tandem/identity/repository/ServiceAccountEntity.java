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
    @Column(name = "created_at")
    public Instant createdAt;
}
