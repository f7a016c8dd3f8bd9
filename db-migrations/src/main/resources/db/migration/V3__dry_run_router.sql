-- What the dry-run router was asked to do: one row per change of a plan's canary weight.
CREATE TABLE dry_run_weight
(
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_name   VARCHAR(63)              NOT NULL,
    rollout_id  VARCHAR(64)              NULL,
    weight      INTEGER                  NOT NULL CHECK (weight BETWEEN 0 AND 100),
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX dry_run_weight_plan_idx ON dry_run_weight (plan_name, id);
