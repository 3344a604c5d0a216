-- When the run is past its timeout (started_at + the definition's timeoutMinutes), and when GitLab was last
-- asked about its pipeline (the poll that stands in for missed Pipeline Hooks).
ALTER TABLE run ADD COLUMN deadline_at TIMESTAMPTZ;
ALTER TABLE run ADD COLUMN polled_at TIMESTAMPTZ;

CREATE INDEX run_open ON run (state) WHERE state NOT IN ('SUCCEEDED', 'FAILED', 'CANCELED', 'TIMED_OUT', 'REFUSED');
