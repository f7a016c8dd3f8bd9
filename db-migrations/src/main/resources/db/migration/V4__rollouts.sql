-- A rollout: one release of a new version through a plan. The plan is copied in at start so that
-- editing the plan never changes a rollout already under way.
CREATE TABLE rollout
(
    id                  UUID PRIMARY KEY,
    plan_name           VARCHAR(63)              NOT NULL,
    plan_revision       INTEGER                  NOT NULL,
    plan_spec           JSONB                    NOT NULL,
    phase               VARCHAR(16)              NOT NULL,
    abort_requested     BOOLEAN                  NOT NULL DEFAULT FALSE,
    step_index          INTEGER                  NOT NULL,
    step_entered        BOOLEAN                  NOT NULL DEFAULT FALSE,
    step_started_at     TIMESTAMP WITH TIME ZONE NULL,
    step_successes      INTEGER                  NOT NULL DEFAULT 0,
    desired_weight      INTEGER                  NOT NULL DEFAULT 0 CHECK (desired_weight BETWEEN 0 AND 100),
    canary_weight       INTEGER                  NOT NULL DEFAULT 0 CHECK (canary_weight BETWEEN 0 AND 100),
    weight_verified     BOOLEAN                  NOT NULL DEFAULT TRUE,
    weight_changed_at   TIMESTAMP WITH TIME ZONE NULL,
    pause_until         TIMESTAMP WITH TIME ZONE NULL,
    failures            INTEGER                  NOT NULL DEFAULT 0,
    inconclusives       INTEGER                  NOT NULL DEFAULT 0,
    consecutive_errors  INTEGER                  NOT NULL DEFAULT 0,
    router_failures     INTEGER                  NOT NULL DEFAULT 0,
    last_progress_at    TIMESTAMP WITH TIME ZONE NULL,
    last_analysis_end   TIMESTAMP WITH TIME ZONE NULL,
    last_verdict        VARCHAR(16)              NULL,
    last_score          DOUBLE PRECISION         NULL,
    judge_state         JSONB                    NOT NULL DEFAULT '{}'::jsonb,
    reason              TEXT                     NULL,
    canary              JSONB                    NOT NULL,
    baseline            JSONB                    NOT NULL,
    metadata            JSONB                    NOT NULL,
    idempotency_key     VARCHAR(200)             NULL UNIQUE,
    request_fingerprint VARCHAR(64)              NULL,
    next_tick_at        TIMESTAMP WITH TIME ZONE NULL,
    created_by          VARCHAR(200)             NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at         TIMESTAMP WITH TIME ZONE NULL,
    version             BIGINT                   NOT NULL,
    CONSTRAINT rollout_phase CHECK (phase IN ('PENDING', 'PROGRESSING', 'PAUSED', 'SUCCEEDED',
                                              'ROLLING_BACK', 'ROLLED_BACK', 'ABORTED', 'FAILED'))
);

-- One active rollout per plan, enforced by the database, whatever the number of replicas.
CREATE UNIQUE INDEX rollout_one_active_per_plan ON rollout (plan_name)
    WHERE phase IN ('PENDING', 'PROGRESSING', 'PAUSED', 'ROLLING_BACK');
-- The scheduler's queue: rollouts due for a tick.
CREATE INDEX rollout_due_idx ON rollout (next_tick_at) WHERE next_tick_at IS NOT NULL;
CREATE INDEX rollout_plan_idx ON rollout (plan_name, created_at DESC);

-- The audit trail: every transition, weight change, action and noteworthy fact, in order.
CREATE TABLE rollout_event
(
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rollout_id  UUID                     NOT NULL REFERENCES rollout (id) ON DELETE CASCADE,
    at          TIMESTAMP WITH TIME ZONE NOT NULL,
    type        VARCHAR(32)              NOT NULL,
    from_phase  VARCHAR(16)              NULL,
    to_phase    VARCHAR(16)              NULL,
    from_weight INTEGER                  NULL,
    to_weight   INTEGER                  NULL,
    step_index  INTEGER                  NULL,
    actor       VARCHAR(200)             NOT NULL,
    reason      TEXT                     NOT NULL
);

CREATE INDEX rollout_event_rollout_idx ON rollout_event (rollout_id, id);

-- Every analysis tick's measurement: the values fetched, each metric's classification, the verdict.
CREATE TABLE rollout_analysis
(
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rollout_id   UUID                     NOT NULL REFERENCES rollout (id) ON DELETE CASCADE,
    at           TIMESTAMP WITH TIME ZONE NOT NULL,
    step_index   INTEGER                  NOT NULL,
    weight       INTEGER                  NOT NULL,
    window_start TIMESTAMP WITH TIME ZONE NOT NULL,
    window_end   TIMESTAMP WITH TIME ZONE NOT NULL,
    outcome      VARCHAR(16)              NOT NULL,
    verdict      VARCHAR(16)              NULL,
    score        DOUBLE PRECISION         NULL,
    result       JSONB                    NOT NULL
);

CREATE INDEX rollout_analysis_rollout_idx ON rollout_analysis (rollout_id, id);

-- Webhook deliveries, written in the same transaction as the event they report and sent by a
-- separate job: a slow or dead receiver never holds up a rollout, and no notification is lost or
-- sent for a decision that was not committed.
CREATE TABLE notification_outbox
(
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rollout_id      UUID                     NOT NULL REFERENCES rollout (id) ON DELETE CASCADE,
    event_id        BIGINT                   NOT NULL REFERENCES rollout_event (id) ON DELETE CASCADE,
    url             TEXT                     NOT NULL,
    format          VARCHAR(16)              NOT NULL,
    signing_secret  JSONB                    NULL,
    payload         JSONB                    NOT NULL,
    attempts        INTEGER                  NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    delivered_at    TIMESTAMP WITH TIME ZONE NULL,
    given_up_at     TIMESTAMP WITH TIME ZONE NULL,
    last_error      TEXT                     NULL
);

CREATE INDEX notification_outbox_due_idx ON notification_outbox (next_attempt_at)
    WHERE delivered_at IS NULL AND given_up_at IS NULL;
