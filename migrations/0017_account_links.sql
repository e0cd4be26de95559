-- 0017_account_links.sql: single-use links mailed to people (an invitation to set a first
-- password, a password reset), and accounts that can be closed without being deleted.
--
-- A link's token exists in clear only in the mail; the table keeps its BLAKE2b-256 hex. A link
-- is used once: using it sets used_at in the same UPDATE that checks it is unused and
-- unexpired (account/links.c), so two clicks racing get one success. Issuing a new link of the
-- same purpose ends the older ones by moving their expires_at to the moment of issue.
CREATE TABLE account_links (
    id INTEGER PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX account_links_user ON account_links(user_id, purpose);
CREATE INDEX account_links_expires ON account_links(expires_at);

-- 0 while the account is open; the time it was closed otherwise. A closed account keeps its
-- data (and its name in the audit log) but cannot log in and has no sessions or API tokens.
ALTER TABLE users ADD COLUMN deactivated_at BIGINT NOT NULL DEFAULT 0;
-- The last successful login, for the admin's page about the user (0: never).
ALTER TABLE users ADD COLUMN last_login_at BIGINT NOT NULL DEFAULT 0;

-- A lock per account let anyone lock anyone out and told them which accounts exist;
-- account/throttle.c counts per network client instead, and these were never read since.
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;
