package io.tandem.publisher.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.time.ZoneOffset;

@ApplicationScoped
public class ProgressNoteRepository implements PanacheRepositoryBase<ProgressNote, String> {

    /**
     * Makes sure the run has a row, without failing when a concurrent consumer inserted it first, so that
     * {@link #lockById} always finds a row to lock. Must run inside a transaction.
     */
    public Uni<Void> insertIfAbsent(String invocationId, long projectId, String noteableType, long noteableIid,
            long serviceAccountId, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                INSERT INTO {h-schema}progress_note
                    (invocation_id, project_id, noteable_type, noteable_iid, service_account_id, updated_at)
                VALUES (:invocationId, :projectId, :noteableType, :noteableIid, :serviceAccountId, :now)
                ON CONFLICT (invocation_id) DO NOTHING
                """)
                .setParameter("invocationId", invocationId)
                .setParameter("projectId", projectId)
                .setParameter("noteableType", noteableType)
                .setParameter("noteableIid", noteableIid)
                .setParameter("serviceAccountId", serviceAccountId)
                .setParameter("now", now.atOffset(ZoneOffset.UTC))
                .executeUpdate())
                .replaceWithVoid();
    }

    /** {@code SELECT ... FOR UPDATE}: every other writer of this run waits until this transaction ends. */
    public Uni<ProgressNote> lockById(String invocationId) {
        return findById(invocationId, LockModeType.PESSIMISTIC_WRITE);
    }
}
