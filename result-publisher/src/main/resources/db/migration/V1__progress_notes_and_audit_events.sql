-- One progress note per run. A row without note_id means no note is known yet: the next writer first looks
-- for the marker in the thread before creating one.
CREATE TABLE progress_note (
    invocation_id      VARCHAR(64)  PRIMARY KEY,
    project_id         BIGINT       NOT NULL,
    noteable_type      VARCHAR(32)  NOT NULL,
    noteable_iid       BIGINT       NOT NULL,
    service_account_id BIGINT       NOT NULL,
    note_id            BIGINT,
    state              VARCHAR(16),
    detail             TEXT,
    pipeline_url       TEXT,
    updated_at         TIMESTAMPTZ  NOT NULL
);

-- Every service's audit events, stored once by event id.
CREATE TABLE audit_event (
    event_id        VARCHAR(64)  PRIMARY KEY,
    occurred_at     TIMESTAMPTZ  NOT NULL,
    version         INTEGER      NOT NULL,
    event_key       VARCHAR(255),
    source          VARCHAR(64)  NOT NULL,
    type            VARCHAR(128) NOT NULL,
    project_id      BIGINT,
    invocation_id   VARCHAR(64),
    actor           VARCHAR(255),
    service_account VARCHAR(255),
    data            JSONB        NOT NULL DEFAULT '{}'::jsonb,
    stored_at       TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE INDEX audit_event_occurred_at_idx ON audit_event (occurred_at, event_id);
CREATE INDEX audit_event_project_idx ON audit_event (project_id, occurred_at, event_id);
CREATE INDEX audit_event_invocation_idx ON audit_event (invocation_id);
