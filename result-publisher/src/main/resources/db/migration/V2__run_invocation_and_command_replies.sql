-- The run's invocation (JSON), so that the watchdog can finish a note long after the last record about it.
ALTER TABLE progress_note ADD COLUMN invocation TEXT;
CREATE INDEX progress_note_updated_at_idx ON progress_note (updated_at);

-- One answer per thread command (stop, retry, status), by the command's event id. A row without note_id means
-- no answer is known yet: the next attempt first looks for the answer's marker in the thread.
CREATE TABLE command_reply (
    command_event_id   VARCHAR(64)  PRIMARY KEY,
    verb               VARCHAR(16)  NOT NULL,
    invocation_id      VARCHAR(64),
    project_id         BIGINT       NOT NULL,
    noteable_type      VARCHAR(32)  NOT NULL,
    noteable_iid       BIGINT       NOT NULL,
    service_account_id BIGINT       NOT NULL,
    note_id            BIGINT,
    created_at         TIMESTAMPTZ  NOT NULL
);

-- Audit queries filter by actor and type and page by (occurred_at, event_id).
CREATE INDEX audit_event_actor_idx ON audit_event (actor, occurred_at, event_id);
CREATE INDEX audit_event_type_idx ON audit_event (type, occurred_at, event_id);
