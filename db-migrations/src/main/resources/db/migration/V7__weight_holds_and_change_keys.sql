-- The outcome of the last analysis at the current weight (SUCCESS, FAILURE, INCONCLUSIVE, ERROR,
-- UNDECIDED; null after a weight change): traffic rises, and a timed pause ends, only when it is
-- SUCCESS, so missing data holds the weight.
ALTER TABLE rollout ADD COLUMN last_outcome VARCHAR(16) NULL;

-- Counts the traffic changes a rollout asked of its router (a new weight, a correction of drift):
-- with the rollout's id it names a change, the Idempotency-Key of every attempt at it.
ALTER TABLE rollout ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
