-- API tokens issued by Aviary. Only a SHA-256 hash of each token is kept: tokens are 256 random
-- bits, so a fast hash is as strong as a slow one and lets a request be checked with one lookup.
CREATE TABLE api_token (
    id            uuid PRIMARY KEY,
    name          varchar(63)  NOT NULL,
    role          varchar(16)  NOT NULL CHECK (role IN ('viewer', 'operator', 'pipeline', 'admin')),
    token_hash    char(64)     NOT NULL UNIQUE,
    token_hint    varchar(16)  NOT NULL,
    description   varchar(500) NOT NULL DEFAULT '',
    plans         jsonb        NOT NULL DEFAULT '[]',
    plan_selector jsonb        NOT NULL DEFAULT '{}',
    created_at    timestamptz  NOT NULL,
    created_by    varchar(200) NOT NULL,
    expires_at    timestamptz,
    revoked_at    timestamptz,
    revoked_by    varchar(200),
    last_used_at  timestamptz
);

-- A name addresses the one active token that bears it; revoked tokens stay for the record.
CREATE UNIQUE INDEX api_token_active_name ON api_token (name) WHERE revoked_at IS NULL;

-- Security-relevant changes that are not rollout events or plan revisions: tokens issued and
-- revoked, the bootstrap admin token.
CREATE TABLE audit_log (
    id     bigserial    PRIMARY KEY,
    at     timestamptz  NOT NULL,
    actor  varchar(200) NOT NULL,
    action varchar(64)  NOT NULL,
    target varchar(200) NOT NULL,
    detail jsonb        NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_log_actor ON audit_log (actor, id);
