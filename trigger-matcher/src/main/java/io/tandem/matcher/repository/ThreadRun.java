package io.tandem.matcher.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One invocation of an agent in a thread, as the matcher scheduled it: {@code active} (requested, not yet
 * ended), {@code queued} (waits for the active one) or {@code ended}. {@code invocation} is the
 * {@link io.tandem.events.Invocation} as JSON.
 */
@Entity
@Table(name = "thread_run")
public class ThreadRun {

    public static final String QUEUED = "queued";
    public static final String ACTIVE = "active";
    public static final String ENDED = "ended";

    @Id
    @Column(name = "invocation_id")
    public String invocationId;

    @Column(name = "thread_key", nullable = false)
    public String threadKey;

    @Column(name = "agent_id", nullable = false)
    public long agentId;

    @Column(name = "project_id", nullable = false)
    public long projectId;

    @Column(nullable = false)
    public String state;

    @Column(nullable = false)
    public String trigger;

    @Column(nullable = false)
    public String invocation;

    public String follows;

    @Column(name = "end_state")
    public String endState;

    /** Whether the record this state calls for has been acknowledged by the broker. */
    @Column(nullable = false)
    public boolean published;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
