-- Release freezes: while one is in force for a plan (every plan, or those carrying all its labels),
-- the plan's rollouts hold their weight: they never raise traffic, and still roll back on bad
-- metrics. Lifted or ended freezes stay as history.
CREATE TABLE release_freeze
(
    id         UUID PRIMARY KEY,
    reason     TEXT                     NOT NULL,
    labels     JSONB                    NOT NULL DEFAULT '{}'::jsonb,
    starts_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    ends_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by VARCHAR(200)             NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    lifted_at  TIMESTAMP WITH TIME ZONE NULL,
    lifted_by  VARCHAR(200)             NULL,
    CONSTRAINT freeze_ends_after_start CHECK (ends_at > starts_at)
);

CREATE INDEX release_freeze_in_force_idx ON release_freeze (ends_at) WHERE lifted_at IS NULL;

-- Why a rollout may not raise traffic now (a freeze, outside its plan's release windows); null
-- when nothing holds it. Changes are rollout events.
ALTER TABLE rollout ADD COLUMN gate_hold TEXT NULL;
