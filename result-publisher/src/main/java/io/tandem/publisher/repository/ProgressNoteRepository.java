package io.tandem.publisher.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.tandem.events.RunState;
import io.tandem.events.ThreadRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;

@ApplicationScoped
public class ProgressNoteRepository implements PanacheRepositoryBase<ProgressNote, String> {

    /**
     * Makes sure the run has a row, without failing when a concurrent consumer inserted it first, so that
     * {@link #lockById} always finds a row to lock. Must run inside a transaction.
     */
    public Uni<Void> insertIfAbsent(String invocationId, ThreadRef thread, long serviceAccountId,
            String invocationJson, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                INSERT INTO {h-schema}progress_note
                    (invocation_id, project_id, group_id, group_path, noteable_type, noteable_iid, noteable_id,
                     service_account_id, invocation, updated_at)
                VALUES (:invocationId, :projectId, :groupId, :groupPath, :noteableType, :noteableIid, :noteableId,
                        :serviceAccountId, :invocation, :now)
                ON CONFLICT (invocation_id) DO NOTHING
                """)
                .setParameter("invocationId", invocationId)
                .setParameter("projectId", thread.projectId())
                .setParameter("groupId", thread.groupId())
                .setParameter("groupPath", thread.groupPath())
                .setParameter("noteableType", thread.noteableType())
                .setParameter("noteableIid", thread.noteableIid())
                .setParameter("noteableId", thread.noteableId())
                .setParameter("serviceAccountId", serviceAccountId)
                .setParameter("invocation", invocationJson)
                .setParameter("now", now.atOffset(ZoneOffset.UTC))
                .executeUpdate())
                .replaceWithVoid();
    }

    /**
     * Runs whose note shows a state that is not terminal and has not changed since {@code cutoff}, oldest first.
     * States are compared by name: the column holds names, never ordinals.
     */
    public Uni<List<ProgressNote>> stale(Instant cutoff, Collection<RunState> activeStates, int limit) {
        return find("state in ?1 and updatedAt < ?2 and invocation is not null order by updatedAt",
                List.copyOf(activeStates), cutoff).range(0, limit - 1).list();
    }

    /** {@code SELECT ... FOR UPDATE}: every other writer of this run waits until this transaction ends. */
    public Uni<ProgressNote> lockById(String invocationId) {
        return findById(invocationId, LockModeType.PESSIMISTIC_WRITE);
    }
}
