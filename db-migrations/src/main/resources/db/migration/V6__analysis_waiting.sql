-- Since when the current step has waited on its analysis without a person stepping in: a
-- sequential judge's undecided step acts (pause or roll back) after the analysis's maxDuration,
-- counted from the step's start or the last resume, whichever is later.
ALTER TABLE rollout ADD COLUMN step_waiting_since TIMESTAMP WITH TIME ZONE NULL;
UPDATE rollout SET step_waiting_since = step_started_at;
