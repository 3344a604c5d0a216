package io.tandem.identity.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The one decision taken for an invocation, with everything needed to republish it and to mint its run token. */
@Entity
@Table(name = "invocation_decision")
public class InvocationDecisionEntity extends PanacheEntityBase {

    @Id
    @Column(name = "invocation_id")
    public String invocationId;
    @Column(name = "event_id")
    public String eventId;
    @Column(name = "thread_key")
    public String threadKey;
    @Column(name = "project_id")
    public Long projectId;
    @Column(name = "group_id")
    public Long groupId;
    @Column(name = "project_path")
    public String projectPath;
    @Column(name = "requester_id")
    public Long requesterId;
    @Column(name = "requester_username")
    public String requesterUsername;
    @Column(name = "service_account_id")
    public Long serviceAccountId;
    @Column(name = "service_account_username")
    public String serviceAccountUsername;
    @Column(name = "requester_access_level")
    public int requesterAccessLevel;
    @Column(name = "service_account_access_level")
    public int serviceAccountAccessLevel;
    @Column(name = "effective_access_level")
    public int effectiveAccessLevel;
    public boolean allowed;
    public String reason;
    /** The {@code Invocation} as it came, JSON: republished unchanged on a repeat. */
    @Column(name = "invocation_json")
    public String invocationJson;
    @Column(name = "decided_at")
    public Instant decidedAt;
}
