package io.tandem.matcher.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A note that was turned into an invocation of an agent: the proof that a redelivery must be skipped. */
@Entity
@Table(name = "processed_note")
@IdClass(ProcessedNote.Key.class)
public class ProcessedNote {

    @Id
    @Column(name = "note_id")
    public long noteId;

    @Id
    @Column(name = "agent_id")
    public long agentId;

    @Column(name = "invocation_id", nullable = false)
    public String invocationId;

    @Column(name = "project_id", nullable = false)
    public long projectId;

    @Column(name = "processed_at", nullable = false)
    public Instant processedAt;

    /** The composite primary key (note, agent). */
    public static class Key implements Serializable {

        public long noteId;
        public long agentId;

        public Key() {
        }

        public Key(long noteId, long agentId) {
            this.noteId = noteId;
            this.agentId = agentId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.noteId == noteId && key.agentId == agentId;
        }

        @Override
        public int hashCode() {
            return Objects.hash(noteId, agentId);
        }
    }
}
