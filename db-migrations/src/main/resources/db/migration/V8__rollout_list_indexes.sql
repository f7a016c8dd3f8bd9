-- GET /api/v1/rollouts lists newest first, by phase or not: read a page from an index instead of
-- sorting the whole table for every request, and count from the index (an index-only scan once
-- vacuumed) instead of reading every row with its plan document. By plan: rollout_plan_idx (V4).
CREATE INDEX rollout_created_idx ON rollout (created_at DESC, id);
CREATE INDEX rollout_phase_created_idx ON rollout (phase, created_at DESC, id);
