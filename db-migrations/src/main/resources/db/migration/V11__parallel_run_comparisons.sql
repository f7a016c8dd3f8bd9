-- Parallel runs: what comparing proxies and in-process experiments report, per rollout.
-- Reports are deltas; (rollout, source, sequence) is unique so a report sent again after a lost
-- answer counts once. Counts are kept as the report's JSON (endpoints, paths, signatures).
CREATE TABLE comparison_report
(
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rollout_id  UUID                     NOT NULL REFERENCES rollout (id) ON DELETE CASCADE,
    source      VARCHAR(200)             NOT NULL,
    sequence    BIGINT                   NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    from_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    to_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    compared    BIGINT                   NOT NULL,
    counts      JSONB                    NOT NULL,
    CONSTRAINT comparison_report_once UNIQUE (rollout_id, source, sequence)
);

CREATE INDEX comparison_report_rollout_idx ON comparison_report (rollout_id, received_at);

-- A few redacted examples of mismatching exchanges per rollout, endpoint and first differing path.
CREATE TABLE comparison_sample
(
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rollout_id  UUID                     NOT NULL REFERENCES rollout (id) ON DELETE CASCADE,
    endpoint    VARCHAR(300)             NOT NULL,
    path        VARCHAR(500)             NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    sample      JSONB                    NOT NULL
);

CREATE INDEX comparison_sample_rollout_idx ON comparison_sample (rollout_id, endpoint, path);

-- A parallel run that found the candidate answering differently rolls the release back.
ALTER TABLE rollout DROP CONSTRAINT rollout_rollback_cause_check;
ALTER TABLE rollout ADD CONSTRAINT rollout_rollback_cause_check
    CHECK (rollback_cause IN ('CANARY_FAILED', 'NOT_JUDGED', 'UNDECIDED', 'NO_PROGRESS', 'ROUTER',
                              'ABORTED', 'PARALLEL_RUN_MISMATCH'));
