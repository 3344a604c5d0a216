package io.tandem.publisher.repository;

import io.tandem.events.RunState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The one progress note of one run. {@code noteId} and {@code state} are null until a note is known. */
@Entity
@Table(name = "progress_note")
public class ProgressNote {

    @Id
    @Column(name = "invocation_id")
    public String invocationId;

    /** The thread's project; null for a group thread (an epic). */
    @Column(name = "project_id")
    public Long projectId;

    @Column(name = "group_id")
    public Long groupId;

    @Column(name = "group_path")
    public String groupPath;

    @Column(name = "noteable_type")
    public String noteableType;

    @Column(name = "noteable_iid")
    public long noteableIid;

    /** The epic's global id, once known (the epic notes API needs it); unused for project threads. */
    @Column(name = "noteable_id")
    public Long noteableId;

    @Column(name = "service_account_id")
    public long serviceAccountId;

    @Column(name = "note_id")
    public Long noteId;

    @Enumerated(EnumType.STRING)
    public RunState state;

    public String detail;

    @Column(name = "pipeline_url")
    public String pipelineUrl;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** The run's {@code Invocation} as JSON; null only for rows written before it was kept. */
    public String invocation;
}
