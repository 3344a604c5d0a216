-- How a run's branch ends: kept with the agent's commits for a merge request (result_branch), or kept because
-- it could not be told whether it holds any (branch_kept without result_branch), else deleted. Decided once,
-- when the run ends, so a redelivered Pipeline Hook publishes the same answer after the branch is gone.
ALTER TABLE run ADD COLUMN result_branch TEXT;
ALTER TABLE run ADD COLUMN branch_kept BOOLEAN NOT NULL DEFAULT FALSE;
