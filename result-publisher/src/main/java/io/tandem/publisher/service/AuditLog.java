package io.tandem.publisher.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.tandem.events.AuditEvent;
import io.tandem.publisher.repository.AuditEventRepository;
import io.tandem.publisher.repository.StoredAuditEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/** Every service's audit events: stored once each, served oldest first. */
@ApplicationScoped
public class AuditLog {

    private final AuditEventRepository repository;

    public AuditLog(AuditEventRepository repository) {
        this.repository = repository;
    }

    /** Answers whether the event was new. */
    @WithTransaction
    public Uni<Boolean> store(AuditEvent event) {
        return repository.insertIgnoringDuplicate(event);
    }

    @WithSession
    public Uni<List<AuditEvent>> search(AuditQuery query) {
        return repository.search(query.projectId(), query.since(), query.invocationId(), query.type(), query.limit())
                .map(rows -> rows.stream().map(AuditLog::toEvent).toList());
    }

    private static AuditEvent toEvent(StoredAuditEvent row) {
        return new AuditEvent(row.eventId, row.occurredAt, row.version, row.key, row.source, row.type,
                row.projectId, row.invocationId, row.actor, row.serviceAccount,
                row.data == null ? Map.of() : row.data);
    }
}
