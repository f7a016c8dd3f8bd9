-- Dashboard sign-ins. The browser holds only a random session id (an HttpOnly cookie); the row keeps
-- its SHA-256 hash. A session opened with an API token lives no longer than the token: revoking or
-- deleting the token ends it (the join at every request, and the cascade). A session opened through
-- OIDC keeps the caller the identity provider vouched for, until the ID token's expiry at the latest.
CREATE TABLE dashboard_session (
    id_hash    char(64)     PRIMARY KEY,
    token_id   uuid         REFERENCES api_token (id) ON DELETE CASCADE,
    actor      varchar(200) NOT NULL,
    caller     jsonb,
    csrf       char(43)     NOT NULL,
    created_at timestamptz  NOT NULL,
    expires_at timestamptz  NOT NULL,
    CHECK ((token_id IS NULL) <> (caller IS NULL))
);

CREATE INDEX dashboard_session_expiry ON dashboard_session (expires_at);
