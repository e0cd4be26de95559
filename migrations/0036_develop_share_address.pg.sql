-- 0036_develop_share_address.pg.sql: a portfolio is shared with an email address, not with an
-- account found by it. Sharing used to answer "There is no AHP Hub account with that email
-- address", which told any member whether a colleague had an account (and so whether they had
-- chosen to stay out of the Connect directory). Now every share keeps the address it was made
-- with (reviewer_address, lower-case) and answers the same whatever the address is; the share
-- gets its reviewer_id when an active account with that address first lists what was shared
-- with it (develop_share_claim), and only then can anyone read through it.
-- The SQLite file of the same number makes the same schema by rebuilding the table, which
-- SQLite needs to drop a NOT NULL.
ALTER TABLE develop_portfolio_shares ALTER COLUMN reviewer_id DROP NOT NULL;
ALTER TABLE develop_portfolio_shares ADD COLUMN reviewer_address TEXT NOT NULL DEFAULT '';
UPDATE develop_portfolio_shares SET reviewer_address =
    (SELECT u.email FROM users u WHERE u.id = develop_portfolio_shares.reviewer_id);
ALTER TABLE develop_portfolio_shares
    DROP CONSTRAINT develop_portfolio_shares_owner_id_reviewer_id_key;
CREATE UNIQUE INDEX develop_portfolio_shares_address
    ON develop_portfolio_shares(owner_id, reviewer_address);
-- Shares waiting for their reviewer's account, found by the address at each claim.
CREATE INDEX develop_portfolio_shares_waiting ON develop_portfolio_shares(reviewer_address)
    WHERE reviewer_id IS NULL;
