package io.tandem.matcher.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The "allow external agents" switch of the instance ({@code groupId} {@value #INSTANCE}) or of one top-level
 * group. {@code locked} only means something on the instance row: groups cannot override it then.
 */
@Entity
@Table(name = "external_agent_setting")
public class ExternalAgentSetting {

    public static final long INSTANCE = 0L;

    @Id
    @Column(name = "group_id")
    public Long groupId;

    @Column(nullable = false)
    public boolean allowed;

    @Column(nullable = false)
    public boolean locked;

    @Column(name = "changed_by", nullable = false)
    public String changedBy;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;
}
