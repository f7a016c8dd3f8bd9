-- A dashboard sign-in through the OIDC issuer in progress: between the redirect to the issuer and
-- the browser's return. Keyed by the hash of its state (also held by that browser in a cookie, so
-- a returning request from another browser is refused); the PKCE verifier and the nonce stay here,
-- never in the browser. Used once, gone after ten minutes.
CREATE TABLE oidc_sign_in (
    state_hash char(64)     PRIMARY KEY,
    verifier   varchar(128) NOT NULL,
    nonce      varchar(64)  NOT NULL,
    next       varchar(500) NOT NULL,
    expires_at timestamptz  NOT NULL
);
