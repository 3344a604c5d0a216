-- Runs that reached a terminal state (from tandem.runs.status.v1): their gateway tokens are refused from then on,
-- whatever their expiry says. One row per run; a redelivered status changes nothing.
create table ended_run (
    run_id   text primary key,
    state    text        not null,
    ended_at timestamptz not null
);

-- Tokens a run used, per provider, model and (UTC) day, as the providers reported them.
-- Summed per project, group or user by the indexes below.
create table run_usage (
    run_id        text        not null,
    provider      text        not null,
    model         text        not null,
    day           date        not null,
    project_id    bigint,
    group_id      bigint,
    user_name     text,
    user_id       bigint,
    input_tokens  bigint      not null default 0,
    output_tokens bigint      not null default 0,
    requests      integer     not null default 0,
    updated_at    timestamptz not null,
    primary key (run_id, provider, model, day)
);
create index run_usage_project_day on run_usage (project_id, day);
create index run_usage_group_day on run_usage (group_id, day);
create index run_usage_user_day on run_usage (user_name, day);
