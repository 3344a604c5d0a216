-- Every invocation the matcher started or queued, per thread and agent: at most one active and one queued
-- run per thread and agent. The invocation travels as JSON so that a queued run can be requested later and
-- `retry` can re-run the last one's input.
create table thread_run (
    invocation_id varchar(36)   primary key,
    thread_key    varchar(512)  not null,
    agent_id      bigint        not null,
    project_id    bigint        not null,
    state         varchar(16)   not null check (state in ('queued', 'active', 'ended')),
    trigger       varchar(32)   not null,
    invocation    text          not null,
    -- for a run that was queued: the run it waited for
    follows       varchar(36),
    -- the RunState that ended it (SUCCEEDED, FAILED, CANCELED, TIMED_OUT, REFUSED)
    end_state     varchar(16),
    created_at    timestamptz   not null,
    updated_at    timestamptz   not null
);
create unique index thread_run_one_active_uq on thread_run (thread_key, agent_id) where state = 'active';
create unique index thread_run_one_queued_uq on thread_run (thread_key, agent_id) where state = 'queued';
create index thread_run_thread_idx on thread_run (thread_key, agent_id, created_at);
create index thread_run_follows_idx on thread_run (follows);

-- "Allow external agents": one row for the instance (group_id 0) and one per top-level group that set it.
create table external_agent_setting (
    group_id   bigint       primary key,
    allowed    boolean      not null,
    locked     boolean      not null default false,
    changed_by varchar(255) not null,
    changed_at timestamptz  not null
);

-- An agent turned off by its project's Maintainers starts nothing anywhere, but stays enabled.
alter table agent add column disabled boolean not null default false;

-- Whether the record this row's state calls for (InvocationRequested when active, InvocationQueued when
-- queued) was acknowledged by the broker: a decision is stored first and published after, and a repeat of
-- the triggering event publishes what is still unpublished, so a crash in between loses nothing.
alter table thread_run add column published boolean not null default false;

-- A project enablement may take its definition from the project's repository instead of the catalog:
-- .gitlab/duo/flows/<name>.yaml, read from the default branch whenever the agent starts.
alter table project_enablement add column definition_path varchar(255);
