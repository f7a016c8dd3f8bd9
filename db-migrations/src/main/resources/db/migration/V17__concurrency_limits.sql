-- At most max_active rollouts at a time of the plans carrying all of labels (an admin's decision);
-- a rollout past the limit waits in PENDING, at 0 %, oldest first.
CREATE TABLE concurrency_limit
(
    id         UUID PRIMARY KEY,
    labels     JSONB                    NOT NULL,
    max_active INTEGER                  NOT NULL CHECK (max_active >= 1),
    reason     TEXT                     NOT NULL,
    created_by VARCHAR(200)             NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Counting a label's active rollouts reads the labels of the plan each rollout runs.
CREATE INDEX rollout_active_labels_idx ON rollout USING gin ((plan_spec -> 'labels'))
    WHERE phase IN ('PENDING', 'PROGRESSING', 'PAUSED', 'ROLLING_BACK');
