-- 0023_cohorts.sql: cohorts, the named groups of members a programme lead works with.
--
-- A leadership programme, a matching round and a split into action learning sets each run
-- over a cohort (src/account/cohort.h). A cohort names members by account: it goes when
-- they go (ON DELETE CASCADE), and a deleted cohort takes only its membership rows with it.
-- Names differ ignoring case, so two leads cannot make "NW leaders 2026" twice.
CREATE TABLE cohorts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX cohorts_name ON cohorts(lower(name));

CREATE TABLE cohort_members (
    cohort_id BIGINT NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (cohort_id, user_id)
);
-- The cohorts a member is in (their data: export and deletion).
CREATE INDEX cohort_members_user ON cohort_members(user_id);
