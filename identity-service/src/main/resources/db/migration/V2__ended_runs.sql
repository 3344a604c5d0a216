-- Runs that reached a terminal state (from tandem.runs.status.v1): their run tokens are refused from then on,
-- whatever their expiry says. One row per run; a redelivered status changes nothing.
create table ended_run (
    invocation_id text primary key,
    state         text        not null,
    ended_at      timestamptz not null
);
