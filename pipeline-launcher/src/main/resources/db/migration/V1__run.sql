-- One row per authorized invocation: the run's identity in GitLab (branch, pipeline) and where it is.
CREATE TABLE run (
    invocation_id      TEXT PRIMARY KEY,
    project_id         BIGINT      NOT NULL,
    thread_key         TEXT        NOT NULL,
    branch             TEXT        NOT NULL,
    start_ref          TEXT,
    pipeline_id        BIGINT,
    pipeline_url       TEXT,
    state              TEXT        NOT NULL,
    detail             TEXT,
    service_account_id BIGINT      NOT NULL,
    invocation         JSONB       NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    started_at         TIMESTAMPTZ,
    updated_at         TIMESTAMPTZ NOT NULL
);

-- Pipeline Hook events find their run by the pipeline GitLab reports.
CREATE UNIQUE INDEX run_project_pipeline ON run (project_id, pipeline_id) WHERE pipeline_id IS NOT NULL;
