-- Service account tokens are rotated through GitLab (.../personal_access_tokens/:token_id/rotate): the token's
-- GitLab id is kept beside it. Rows from before V3 have none: their next renewal mints a new token instead.
alter table service_account add column token_id bigint;
-- SHA-256 (hex) of the current token and of the one it replaced: lets the proxy, answered 401 for a token that was
-- rotated meanwhile, find its replacement without ever storing a token in the clear. Digests of random 160-bit
-- tokens, as GitLab itself keeps them.
alter table service_account add column token_digest text;
alter table service_account add column previous_token_digest text;
alter table service_account add column token_rotated_at timestamptz;
-- A replica rotating the token holds this claim (a conditional update) so that no other replica rotates it too;
-- a claim older than its lease (a replica that died mid-rotation) may be taken over.
alter table service_account add column rotation_claimed_until timestamptz;

create index service_account_token_digest on service_account (token_digest);
create index service_account_previous_token_digest on service_account (previous_token_digest);
create index service_account_token_expires_at on service_account (token_expires_at);
