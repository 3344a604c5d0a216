package io.tandem.launcher.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.tandem.events.RunState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** One run of one authorized invocation: its branch and pipeline in GitLab and where it is. */
@Entity
@Table(name = "run")
public class Run extends PanacheEntityBase {

    @Id
    @Column(name = "invocation_id")
    public String invocationId;

    @Column(name = "project_id", nullable = false)
    public long projectId;

    @Column(name = "thread_key", nullable = false)
    public String threadKey;

    @Column(nullable = false)
    public String branch;

    @Column(name = "start_ref")
    public String startRef;

    @Column(name = "pipeline_id")
    public Long pipelineId;

    @Column(name = "pipeline_url")
    public String pipelineUrl;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RunState state;

    /** Why the run failed (before it had a pipeline, or which job failed) or was ended; never a secret. */
    public String detail;

    @Column(name = "service_account_id", nullable = false)
    public long serviceAccountId;

    /**
     * The {@code Invocation} as JSON: every later status record carries it. Bound as text and cast by
     * PostgreSQL: a String bound straight to a jsonb parameter would be stored as a JSON string.
     */
    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(read = "invocation::text", write = "(?::text)::jsonb")
    public String invocation;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** started_at plus the run's timeout: past it, the watchdog cancels the pipeline. */
    @Column(name = "deadline_at")
    public Instant deadlineAt;

    /** When the watchdog last asked GitLab for the pipeline's status. */
    @Column(name = "polled_at")
    public Instant polledAt;

    /** A SUCCEEDED run's branch when the agent left commits on it; null otherwise. */
    @Column(name = "result_branch")
    public String resultBranch;

    /** The branch stays when the run ends: it holds the result, or whether it does could not be told. */
    @Column(name = "branch_kept", nullable = false)
    public boolean branchKept;
}
