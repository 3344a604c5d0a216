package io.tandem.matcher.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
public class ProcessedNoteRepository implements PanacheRepositoryBase<ProcessedNote, ProcessedNote.Key> {

    public Uni<Boolean> processed(long noteId, long agentId) {
        return count("noteId = ?1 and agentId = ?2", noteId, agentId).map(n -> n > 0);
    }

    /**
     * Records the note as handled, in the same transaction as the run it started or joined
     * ({@code {h-schema}}: native SQL does not get the default schema otherwise). A repeat is a no-op instead of
     * a failure, so a verb's final record after its retry run was recorded does not fail either.
     */
    public Uni<Void> record(long noteId, long agentId, String invocationId, long projectId, Instant at) {
        return getSession().chain(session -> session.createNativeQuery("""
                insert into {h-schema}processed_note (note_id, agent_id, invocation_id, project_id, processed_at)
                values (?1, ?2, ?3, ?4, ?5)
                on conflict (note_id, agent_id) do nothing""")
                .setParameter(1, noteId)
                .setParameter(2, agentId)
                .setParameter(3, invocationId)
                .setParameter(4, projectId)
                .setParameter(5, at)
                .executeUpdate())
                .replaceWithVoid();
    }
}
