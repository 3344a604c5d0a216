-- Group service accounts Tandem created (or adopted) in GitLab, with their personal access token sealed
-- by AES-256-GCM (IV prepended to the ciphertext; key id beside it so the key can be rotated).
create table service_account (
    user_id          bigint primary key,
    group_id         bigint      not null,
    username         text        not null,
    agent_name       text        not null,
    token_ciphertext bytea       not null,
    token_key_id     text        not null,
    token_expires_at date        not null,
    created_at       timestamptz not null,
    constraint service_account_group_username unique (group_id, username)
);

-- One decision per invocation: a redelivered request republishes this row instead of deciding again.
create table invocation_decision (
    invocation_id                text primary key,
    event_id                     text        not null,
    thread_key                   text        not null,
    project_id                   bigint,
    group_id                     bigint,
    project_path                 text,
    requester_id                 bigint,
    requester_username           text        not null,
    service_account_id           bigint,
    service_account_username     text        not null,
    requester_access_level       integer     not null,
    service_account_access_level integer     not null,
    effective_access_level       integer     not null,
    allowed                      boolean     not null,
    reason                       text,
    invocation_json              text        not null,
    decided_at                   timestamptz not null
);

-- RSA keys that sign run tokens. 'active' signs; 'previous' only verifies (still in the JWKS);
-- 'retired' is gone from the JWKS.
create table signing_key (
    kid                    text primary key,
    algorithm              text        not null,
    public_key             bytea       not null,
    private_key_ciphertext bytea       not null,
    private_key_key_id     text        not null,
    status                 text        not null check (status in ('active', 'previous', 'retired')),
    created_at             timestamptz not null,
    retired_at             timestamptz
);

-- Two replicas starting together may both generate a key: only one can become active.
create unique index signing_key_single_active on signing_key (status) where status = 'active';
