-- Rollout plans: the reusable definition of how a service is released.
-- spec holds the whole validated plan document (canonical JSON, defaults filled in);
-- labels are copied out of it for label-selector queries.
CREATE TABLE plan
(
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        VARCHAR(63)              NOT NULL UNIQUE,
    revision    INTEGER                  NOT NULL,
    version     BIGINT                   NOT NULL,
    labels      JSONB                    NOT NULL DEFAULT '{}'::jsonb,
    spec        JSONB                    NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX plan_labels_idx ON plan USING GIN (labels jsonb_path_ops);

-- Every change to a plan, the deletion included, kept for reading back. Revision numbers keep
-- counting when a deleted plan's name is used again.
CREATE TABLE plan_revision
(
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_name   VARCHAR(63)              NOT NULL,
    revision    INTEGER                  NOT NULL,
    change      VARCHAR(16)              NOT NULL,
    spec        JSONB                    NULL,
    actor       VARCHAR(200)             NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT plan_revision_unique UNIQUE (plan_name, revision),
    CONSTRAINT plan_revision_change CHECK (change IN ('CREATED', 'UPDATED', 'DELETED'))
);
