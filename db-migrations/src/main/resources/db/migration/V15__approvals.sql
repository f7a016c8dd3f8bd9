-- An approval step can end a release: a person rejects it, or nobody answers in time and the step
-- says rollback. Who answered, when and why are rollout events (type APPROVAL) and audit entries.
ALTER TABLE rollout DROP CONSTRAINT rollout_rollback_cause_check;
ALTER TABLE rollout ADD CONSTRAINT rollout_rollback_cause_check
    CHECK (rollback_cause IN ('CANARY_FAILED', 'NOT_JUDGED', 'UNDECIDED', 'NO_PROGRESS', 'ROUTER',
                              'ABORTED', 'PARALLEL_RUN_MISMATCH', 'REJECTED', 'NOT_APPROVED'));
