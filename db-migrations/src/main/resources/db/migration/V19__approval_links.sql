-- One-time approval links sent with "approval needed" notifications: a random token in the link,
-- only its SHA-256 here. A link answers one approval step of one rollout, once, before it expires;
-- whoever follows it still signs in and needs the step's rights.
CREATE TABLE approval_link
(
    token_hash CHAR(64)                 PRIMARY KEY,
    rollout_id UUID                     NOT NULL REFERENCES rollout (id) ON DELETE CASCADE,
    step_index INTEGER                  NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at    TIMESTAMP WITH TIME ZONE NULL,
    used_by    TEXT                     NULL,
    answer     VARCHAR(8)               NULL CHECK (answer IN ('approved', 'rejected'))
);

CREATE INDEX approval_link_rollout_idx ON approval_link (rollout_id);
