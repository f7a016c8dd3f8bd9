-- Hooks: at a gate (before the rollout, before a weight increase, before promotion) a rollout waits
-- for each of the plan's hooks there to say go. The gate in progress is kept with the rollout, so a
-- restarted controller asks the same hook again (with the same Idempotency-Key) rather than anew.
ALTER TABLE rollout
    ADD COLUMN hook_gate     VARCHAR(96)              NULL,
    ADD COLUMN hook_name     VARCHAR(63)              NULL,
    ADD COLUMN hook_since    TIMESTAMP WITH TIME ZONE NULL,
    ADD COLUMN hook_failures INTEGER                  NOT NULL DEFAULT 0,
    ADD COLUMN hook_next_at  TIMESTAMP WITH TIME ZONE NULL;

ALTER TABLE rollout DROP CONSTRAINT rollout_rollback_cause_check;
ALTER TABLE rollout ADD CONSTRAINT rollout_rollback_cause_check
    CHECK (rollback_cause IN ('CANARY_FAILED', 'NOT_JUDGED', 'UNDECIDED', 'NO_PROGRESS', 'ROUTER',
                              'ABORTED', 'PARALLEL_RUN_MISMATCH', 'REJECTED', 'NOT_APPROVED',
                              'HOOK_FAILED'));
