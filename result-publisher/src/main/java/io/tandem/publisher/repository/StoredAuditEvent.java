package io.tandem.publisher.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One {@code AuditEvent} as stored; read-only here, rows are written by {@link AuditEventRepository#insertIgnoringDuplicate}. */
@Entity
@Table(name = "audit_event")
public class StoredAuditEvent {

    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    public int version;

    @Column(name = "event_key")
    public String key;

    public String source;

    public String type;

    @Column(name = "project_id")
    public Long projectId;

    @Column(name = "invocation_id")
    public String invocationId;

    public String actor;

    @Column(name = "service_account")
    public String serviceAccount;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> data;
}
