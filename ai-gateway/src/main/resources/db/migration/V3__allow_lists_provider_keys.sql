-- Model allow-lists of a top-level group or an agent definition (GitLab group id, Tandem agent id), per provider.
-- A request's model must be in every list that applies (instance, token, group, agent). models is a
-- comma-separated list (model names contain no commas: the API refuses them).
create table model_allow_list (
    id         text primary key,
    scope      text        not null check (scope in ('group', 'agent')),
    scope_id   bigint      not null,
    provider   text        not null,
    models     text        not null,
    updated_at timestamptz not null,
    unique (scope, scope_id, provider)
);

-- The organisation's provider keys, sealed with AES-256-GCM (IV prepended, associated data "provider-key:<provider>")
-- under the encryption key named by key_id. A row without sealed_key is a key removed through the API: the
-- provider's front door answers 503, whatever the configuration says.
create table provider_key (
    provider    text primary key,
    sealed_key  bytea,
    key_id      text,
    fingerprint text,
    updated_at  timestamptz not null,
    check ((sealed_key is null) = (key_id is null))
);
