-- Why a rollout went back to stable, so that a pipeline can tell "the canary failed" from "the
-- canary could not be judged" (a metrics backend down) without parsing the reason's words.
ALTER TABLE rollout ADD COLUMN rollback_cause text
    CHECK (rollback_cause IN ('CANARY_FAILED', 'NOT_JUDGED', 'UNDECIDED', 'NO_PROGRESS', 'ROUTER', 'ABORTED'));
-- A person's hold on top of a timed pause: while set, the timer no longer ends the pause.
ALTER TABLE rollout ADD COLUMN held_by text;
