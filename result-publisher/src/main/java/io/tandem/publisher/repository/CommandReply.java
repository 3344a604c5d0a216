package io.tandem.publisher.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The answer to one thread command. {@code noteId} is null until an answer is known to exist in GitLab. */
@Entity
@Table(name = "command_reply")
public class CommandReply {

    @Id
    @Column(name = "command_event_id")
    public String commandEventId;

    public String verb;

    @Column(name = "invocation_id")
    public String invocationId;

    @Column(name = "project_id")
    public long projectId;

    @Column(name = "noteable_type")
    public String noteableType;

    @Column(name = "noteable_iid")
    public long noteableIid;

    @Column(name = "service_account_id")
    public long serviceAccountId;

    @Column(name = "note_id")
    public Long noteId;

    @Column(name = "created_at")
    public Instant createdAt;
}
