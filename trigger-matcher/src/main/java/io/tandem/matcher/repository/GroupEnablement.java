package io.tandem.matcher.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An agent enabled in a top-level group, and the group's service account that acts for it there. */
@Entity
@Table(name = "group_enablement")
public class GroupEnablement {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "agent_id", nullable = false)
    public long agentId;

    @Column(name = "group_id", nullable = false)
    public long groupId;

    @Column(name = "service_account_id", nullable = false)
    public long serviceAccountId;

    @Column(name = "service_account_username", nullable = false)
    public String serviceAccountUsername;

    @Column(name = "enabled_by", nullable = false)
    public String enabledBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
