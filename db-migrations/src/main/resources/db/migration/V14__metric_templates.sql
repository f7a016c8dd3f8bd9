-- Metric templates of one's own: a metric's provider and queries, with named parameters, stored
-- once and named by plans ("template": "checkout-errors"). Versioned like plans: every change is a
-- revision, kept forever, so that a rollout that started on revision 3 reads revision 3 to the end.
CREATE TABLE metric_template
(
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        VARCHAR(63)              NOT NULL UNIQUE,
    revision    INTEGER                  NOT NULL,
    version     BIGINT                   NOT NULL,
    spec        JSONB                    NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE metric_template_revision
(
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    template_name  VARCHAR(63)              NOT NULL,
    revision       INTEGER                  NOT NULL,
    change         VARCHAR(16)              NOT NULL,
    spec           JSONB                    NULL,
    actor          VARCHAR(200)             NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT metric_template_revision_unique UNIQUE (template_name, revision),
    CONSTRAINT metric_template_revision_change CHECK (change IN ('CREATED', 'UPDATED', 'DELETED'))
);
