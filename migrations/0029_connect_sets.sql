-- 0029_connect_sets.sql: action learning sets — a cohort split into sets of 5 to 8, each
-- with a facilitator, a meeting schedule and a record of meetings held (dates and themes).
--
-- A split keeps its own copy of who is in which set and of the keep-apart pairs it was made
-- with (src/connect/set.h): the cohort may change or go (cohort_id is then NULL) and the
-- sets stay as published. A member's rows go with their account (ON DELETE CASCADE) and the
-- data-rights part (src/connect/set_rights.c) removes them explicitly as well; a facilitator
-- or recorder who leaves is unlinked, the set and its record stay.
CREATE TABLE connect_splits (
    id INTEGER PRIMARY KEY,
    cohort_id BIGINT REFERENCES cohorts(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    target INTEGER NOT NULL CHECK (target BETWEEN 5 AND 8),
    seed BIGINT NOT NULL,
    score INTEGER NOT NULL,
    random_score INTEGER NOT NULL,
    published_at BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- The list, newest first; the splits a lead made (data rights).
CREATE INDEX connect_splits_created ON connect_splits(created_at, id);
CREATE INDEX connect_splits_created_by ON connect_splits(created_by);
CREATE INDEX connect_splits_cohort ON connect_splits(cohort_id);

CREATE TABLE connect_sets (
    id INTEGER PRIMARY KEY,
    split_id BIGINT NOT NULL REFERENCES connect_splits(id) ON DELETE CASCADE,
    number INTEGER NOT NULL CHECK (number >= 1),
    facilitator_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    UNIQUE (split_id, number)
);
CREATE INDEX connect_sets_facilitator ON connect_sets(facilitator_id);

-- One set per person per split: the primary key makes a move an update, never a copy.
CREATE TABLE connect_set_members (
    split_id BIGINT NOT NULL REFERENCES connect_splits(id) ON DELETE CASCADE,
    set_id BIGINT NOT NULL REFERENCES connect_sets(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (split_id, user_id)
);
CREATE INDEX connect_set_members_set ON connect_set_members(set_id);
CREATE INDEX connect_set_members_user ON connect_set_members(user_id);

-- The pairs the split keeps apart, the smaller id first.
CREATE TABLE connect_split_apart (
    split_id BIGINT NOT NULL REFERENCES connect_splits(id) ON DELETE CASCADE,
    user_a BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    user_b BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (split_id, user_a, user_b),
    CHECK (user_a < user_b)
);
CREATE INDEX connect_split_apart_a ON connect_split_apart(user_a);
CREATE INDEX connect_split_apart_b ON connect_split_apart(user_b);

-- Dates and themes only: what is said in a set stays there.
CREATE TABLE connect_set_meetings (
    id INTEGER PRIMARY KEY,
    set_id BIGINT NOT NULL REFERENCES connect_sets(id) ON DELETE CASCADE,
    meets_on BIGINT NOT NULL,
    held INTEGER NOT NULL DEFAULT 0,
    theme TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    recorded_at BIGINT NOT NULL,
    UNIQUE (set_id, meets_on)
);
CREATE INDEX connect_set_meetings_recorded_by ON connect_set_meetings(recorded_by);
