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

    /** The discussion of the commanding comment, which the answer replies in; null for none. */
    @Column(name = "discussion_id")
    public String discussionId;

    /** trigger-matcher refused the command: the answer gives its reason. */
    public boolean refused;

    @Column(name = "note_id")
    public Long noteId;

    @Column(name = "created_at")
    public Instant createdAt;
}
