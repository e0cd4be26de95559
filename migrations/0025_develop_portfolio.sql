-- 0025_develop_portfolio.sql: a member's leadership portfolio, who it is shared with, and the
-- non-medical CV built from it.
--
-- An entry is one thing the member did or learnt (src/develop/portfolio.h names the kinds:
-- reflection, achievement, project, role, training, feedback). Its dates are days as unix
-- times at 00:00 UTC, 0 when not given; an entry with a start and no end is ongoing. body is
-- the member's Markdown, rendered safely when shown. skills and domains are the entry's tags
-- as comma-separated codes from small closed lists (the CV's non-clinical skills, and
-- "<framework>:<domain>" areas of a leadership framework): they are read and written with
-- the entry and never queried by tag. on_cv marks the entries the member chose for the CV.
--
-- A portfolio is private. A share lets one named reviewer (another account) read the whole
-- portfolio (whole = 1) or only the entries listed for that share; withdrawing deletes the
-- share and with it the reviewer's access. The CV profile holds the words that head the CV.
-- Everything here is the member's data: deleting their account deletes it (and a share made
-- to a reviewer goes when the reviewer's account goes).

CREATE TABLE develop_portfolio_entries (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('reflection', 'achievement', 'project', 'role',
        'training', 'feedback')),
    title TEXT NOT NULL,
    context TEXT NOT NULL DEFAULT '',
    started_on BIGINT NOT NULL DEFAULT 0,
    ended_on BIGINT NOT NULL DEFAULT 0,
    body TEXT NOT NULL DEFAULT '',
    skills TEXT NOT NULL DEFAULT '',
    domains TEXT NOT NULL DEFAULT '',
    on_cv INTEGER NOT NULL DEFAULT 0 CHECK (on_cv IN (0, 1)),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- A member's portfolio, newest first.
CREATE INDEX develop_portfolio_entries_user ON develop_portfolio_entries(user_id, started_on, id);

CREATE TABLE develop_portfolio_shares (
    id INTEGER PRIMARY KEY,
    owner_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reviewer_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    whole INTEGER NOT NULL DEFAULT 1 CHECK (whole IN (0, 1)),
    created_at BIGINT NOT NULL,
    UNIQUE (owner_id, reviewer_id)
);
-- What has been shared with a reviewer.
CREATE INDEX develop_portfolio_shares_reviewer ON develop_portfolio_shares(reviewer_id, id);

CREATE TABLE develop_portfolio_share_entries (
    share_id BIGINT NOT NULL REFERENCES develop_portfolio_shares(id) ON DELETE CASCADE,
    entry_id BIGINT NOT NULL REFERENCES develop_portfolio_entries(id) ON DELETE CASCADE,
    PRIMARY KEY (share_id, entry_id)
);
CREATE INDEX develop_portfolio_share_entries_entry ON develop_portfolio_share_entries(entry_id);

CREATE TABLE develop_cv_profiles (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    headline TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);
