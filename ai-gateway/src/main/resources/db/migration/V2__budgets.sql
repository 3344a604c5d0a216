-- Daily token budgets (input + output, per UTC day) of a project, a top-level group or a user (GitLab ids).
-- id is "<scope>:<scope_id>", so that an upsert is one row by its key.
create table budget (
    id           text primary key,
    scope        text        not null check (scope in ('project', 'group', 'user')),
    scope_id     bigint      not null,
    daily_tokens bigint      not null check (daily_tokens >= 0),
    updated_at   timestamptz not null,
    unique (scope, scope_id)
);
