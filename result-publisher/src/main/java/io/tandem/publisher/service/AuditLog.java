package io.tandem.publisher.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tandem.events.AuditEvent;
import io.tandem.publisher.repository.AuditEventRepository;
import io.tandem.publisher.repository.StoredAuditEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** Every service's audit events: stored once each, served oldest first. */
@ApplicationScoped
public class AuditLog {

    private static final int EXPORT_PAGE = 500;

    private final AuditEventRepository repository;

    public AuditLog(AuditEventRepository repository) {
        this.repository = repository;
    }

    /** Stores each event that is not stored yet, all in one transaction. */
    @WithTransaction
    public Uni<Void> storeAll(List<AuditEvent> events) {
        return Multi.createFrom().iterable(events)
                .onItem().transformToUniAndConcatenate(repository::insertIgnoringDuplicate)
                .collect().last()
                .replaceWithVoid();
    }

    /** One page; the cursor of its last event lets the next page continue after it. */
    @WithSession
    public Uni<List<AuditEvent>> search(AuditQuery query) {
        AuditCursor after = query.after();
        return repository.search(new AuditEventRepository.Filter(query.projectId(), query.since(), query.until(),
                        query.invocationId(), query.type(), query.actor(),
                        after == null ? null : after.occurredAt(), after == null ? null : after.eventId()),
                        query.limit())
                .map(rows -> rows.stream().map(AuditLog::toEvent).toList());
    }

    /** Every matching event, oldest first, read page by page so that memory stays flat however many match. */
    public Multi<AuditEvent> export(AuditQuery query) {
        AtomicReference<AuditCursor> position = new AtomicReference<>(query.after());
        return Multi.createBy().repeating()
                .uni(() -> search(query.from(position.get(), EXPORT_PAGE))
                        .invoke(page -> {
                            if (!page.isEmpty()) {
                                position.set(cursorOf(page.get(page.size() - 1)));
                            }
                        }))
                .whilst(page -> page.size() == EXPORT_PAGE)
                .onItem().<AuditEvent>disjoint();
    }

    public static AuditCursor cursorOf(AuditEvent event) {
        return new AuditCursor(event.occurredAt(), event.eventId());
    }

    private static AuditEvent toEvent(StoredAuditEvent row) {
        return new AuditEvent(row.eventId, row.occurredAt, row.version, row.key, row.source, row.type,
                row.projectId, row.invocationId, row.actor, row.serviceAccount,
                row.data == null ? Map.of() : row.data);
    }
}
