-- Epics are group threads: no project, a group (by id, or only by path in some payloads) and the epic's global
-- id, which the epic notes API addresses (null until known: it is then read by the epic's iid).
ALTER TABLE progress_note ALTER COLUMN project_id DROP NOT NULL;
ALTER TABLE progress_note ADD COLUMN group_id BIGINT;
ALTER TABLE progress_note ADD COLUMN group_path TEXT;
ALTER TABLE progress_note ADD COLUMN noteable_id BIGINT;

ALTER TABLE command_reply ALTER COLUMN project_id DROP NOT NULL;
ALTER TABLE command_reply ADD COLUMN group_id BIGINT;
ALTER TABLE command_reply ADD COLUMN group_path TEXT;
ALTER TABLE command_reply ADD COLUMN noteable_id BIGINT;
-- The discussion of the comment that gave the command: the answer is a reply in it.
ALTER TABLE command_reply ADD COLUMN discussion_id VARCHAR(64);
-- Set when trigger-matcher refused the command: the answer says why, and nothing else happens.
ALTER TABLE command_reply ADD COLUMN refused BOOLEAN NOT NULL DEFAULT FALSE;
