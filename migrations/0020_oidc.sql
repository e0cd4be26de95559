-- 0020_oidc.sql: sign-in with the organisation's identity provider (OpenID Connect).
--
-- oidc_logins: one row per sign-in under way, between the redirect to the provider and its
-- return (at most ten minutes). Keyed by the BLAKE2b-256 hex of the random value in the
-- browser's cookie, so a leaked database cannot be used to finish someone's sign-in; the
-- callback deletes the row as it reads it, so each one is used once.
CREATE TABLE oidc_logins (
    key_hash TEXT NOT NULL PRIMARY KEY,
    state TEXT NOT NULL,
    nonce TEXT NOT NULL,
    code_verifier TEXT NOT NULL,
    next_path TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX oidc_logins_expires ON oidc_logins(expires_at);

-- oidc_identities: the provider's account (issuer, subject: the token's iss and sub, which
-- together never change or get reused) that signs in as one of our users.
CREATE TABLE oidc_identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_used BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX oidc_identities_user ON oidc_identities(user_id);

-- oidc_domains: email domains the admin has said belong to the provider's organisation.
-- An address there is trusted as the provider states it (Entra ID sends no email_verified),
-- so it may be linked to the account with that address, or get a new member account.
CREATE TABLE oidc_domains (
    domain TEXT NOT NULL PRIMARY KEY,
    added_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    added_at BIGINT NOT NULL
);
