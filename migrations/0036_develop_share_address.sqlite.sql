-- 0036_develop_share_address.sqlite.sql: a portfolio is shared with an email address, not with
-- an account found by it (the PostgreSQL file of the same number says why). SQLite cannot drop
-- a NOT NULL in place, so the shares table is rebuilt, with its entries table, in this
-- migration's transaction:
--  - the new tables are made under other names, the new entries table referring to the new
--    shares table, and the rows copied with their ids;
--  - the old entries table is dropped first, then the old shares table, which nothing refers
--    to by then (with foreign keys on, dropping a table deletes its rows first, and that
--    delete would cascade into any table still referring to it);
--  - renaming the new shares table rewrites the new entries table's reference to the new name
--    (SQLite 3.26 and later, with legacy_alter_table off, as it is by default).
CREATE TABLE develop_portfolio_shares_0036 (
    id INTEGER PRIMARY KEY,
    owner_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reviewer_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    whole INTEGER NOT NULL DEFAULT 1 CHECK (whole IN (0, 1)),
    created_at BIGINT NOT NULL,
    reviewer_address TEXT NOT NULL DEFAULT ''
);
INSERT INTO develop_portfolio_shares_0036 (id, owner_id, reviewer_id, whole, created_at,
                                           reviewer_address)
    SELECT s.id, s.owner_id, s.reviewer_id, s.whole, s.created_at,
           (SELECT u.email FROM users u WHERE u.id = s.reviewer_id)
    FROM develop_portfolio_shares s;
CREATE TABLE develop_portfolio_share_entries_0036 (
    share_id BIGINT NOT NULL REFERENCES develop_portfolio_shares_0036(id) ON DELETE CASCADE,
    entry_id BIGINT NOT NULL REFERENCES develop_portfolio_entries(id) ON DELETE CASCADE,
    PRIMARY KEY (share_id, entry_id)
);
INSERT INTO develop_portfolio_share_entries_0036 (share_id, entry_id)
    SELECT share_id, entry_id FROM develop_portfolio_share_entries;
DROP TABLE develop_portfolio_share_entries;
DROP TABLE develop_portfolio_shares;
ALTER TABLE develop_portfolio_shares_0036 RENAME TO develop_portfolio_shares;
ALTER TABLE develop_portfolio_share_entries_0036 RENAME TO develop_portfolio_share_entries;
CREATE INDEX develop_portfolio_shares_reviewer ON develop_portfolio_shares(reviewer_id, id);
CREATE UNIQUE INDEX develop_portfolio_shares_address
    ON develop_portfolio_shares(owner_id, reviewer_address);
CREATE INDEX develop_portfolio_shares_waiting ON develop_portfolio_shares(reviewer_address)
    WHERE reviewer_id IS NULL;
CREATE INDEX develop_portfolio_share_entries_entry ON develop_portfolio_share_entries(entry_id);
