-- 0027_connect_mentoring.sql: Connect's mentoring and coaching — profiles for connecting,
-- matching rounds over a cohort, matches with their reasons, relationships and meetings.
--
-- A profile is the member's own and opt-in: nothing here exists until they save one, and
-- every row goes with the account (ON DELETE CASCADE). Lists of areas are stored as codes
-- separated by ";" (src/connect/profile.h names them). A round keeps its own copy of who
-- took part and of the candidate pairs it scored, so its results stay explainable after
-- profiles change or a cohort is deleted. Scores are thousandths of a point (match.h).
CREATE TABLE connect_profiles (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    matching INTEGER NOT NULL DEFAULT 0,       -- 1: may be matched in rounds
    in_directory INTEGER NOT NULL DEFAULT 0,   -- 1: listed in the directory of roles
    directory_role TEXT NOT NULL DEFAULT '',
    offers_mentoring INTEGER NOT NULL DEFAULT 0,
    offers_coaching INTEGER NOT NULL DEFAULT 0,
    coach_accredited INTEGER NOT NULL DEFAULT 0,
    offers TEXT NOT NULL DEFAULT '',
    seeks_kind TEXT NOT NULL DEFAULT '',       -- '', 'mentoring' or 'coaching'
    seeks TEXT NOT NULL DEFAULT '',
    profession TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT '',
    band TEXT NOT NULL DEFAULT '',
    hours_month INTEGER NOT NULL DEFAULT 0,
    max_mentees INTEGER NOT NULL DEFAULT 0,
    preference TEXT NOT NULL DEFAULT 'any',    -- 'other', 'any' or 'same'
    outside_org INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);
-- The directory: opted-in members by region and role.
CREATE INDEX connect_profiles_directory ON connect_profiles(in_directory, region, directory_role);

-- "Must not be matched with": both directions are kept apart (conflict.h).
CREATE TABLE connect_exclusions (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    excluded_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, excluded_id)
);
CREATE INDEX connect_exclusions_excluded ON connect_exclusions(excluded_id);

CREATE TABLE connect_rounds (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    cohort_id BIGINT REFERENCES cohorts(id) ON DELETE SET NULL,
    cohort_name TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,                        -- 'mentoring' or 'coaching'
    min_mentor_band INTEGER NOT NULL DEFAULT 0, -- score_band() rank, 0 = any
    need_accreditation INTEGER NOT NULL DEFAULT 0,
    self_select INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    run_at BIGINT NOT NULL DEFAULT 0,
    total BIGINT NOT NULL DEFAULT 0
);

-- Who took part in a run, on which side, and for a mentee left unmatched, why.
CREATE TABLE connect_round_people (
    round_id BIGINT NOT NULL REFERENCES connect_rounds(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    side TEXT NOT NULL,                        -- 'mentee' or 'mentor'
    capacity INTEGER NOT NULL DEFAULT 0,
    profession TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (round_id, side, user_id)
);
CREATE INDEX connect_round_people_user ON connect_round_people(user_id);

-- The pruned candidate pairs of a run (the best CONNECT_CANDIDATES per mentee) with the
-- sentence that explains each score: rematches and self-select read them.
CREATE TABLE connect_candidates (
    round_id BIGINT NOT NULL REFERENCES connect_rounds(id) ON DELETE CASCADE,
    mentee_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    mentor_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    score BIGINT NOT NULL,
    why TEXT NOT NULL,
    PRIMARY KEY (round_id, mentee_id, mentor_id)
);
CREATE INDEX connect_candidates_mentor ON connect_candidates(mentor_id);

-- A proposed pair. status: 'proposed' until both accept ('accepted'), 'declined' when
-- either declines, 'replaced' when a mentee chose another from their five.
CREATE TABLE connect_matches (
    id INTEGER PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES connect_rounds(id) ON DELETE CASCADE,
    mentee_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    mentor_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    score BIGINT NOT NULL,
    why TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'proposed',
    mentee_answer TEXT NOT NULL DEFAULT '',
    mentor_answer TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    decided_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX connect_matches_round ON connect_matches(round_id, status);
CREATE INDEX connect_matches_mentee ON connect_matches(mentee_id);
CREATE INDEX connect_matches_mentor ON connect_matches(mentor_id);
-- A pair is proposed at most once a round: a declined pair is never proposed again.
CREATE UNIQUE INDEX connect_matches_pair ON connect_matches(round_id, mentee_id, mentor_id);

-- A relationship starts when both accept. The agreement's text is confirmed by each side;
-- a change to it takes both confirmations back.
CREATE TABLE connect_relationships (
    id INTEGER PRIMARY KEY,
    match_id BIGINT NOT NULL UNIQUE REFERENCES connect_matches(id) ON DELETE CASCADE,
    mentee_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    mentor_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    goals TEXT NOT NULL DEFAULT '',
    frequency TEXT NOT NULL DEFAULT '',
    mentee_confirmed_at BIGINT NOT NULL DEFAULT 0,
    mentor_confirmed_at BIGINT NOT NULL DEFAULT 0,
    closed_at BIGINT NOT NULL DEFAULT 0,
    mentee_feedback TEXT NOT NULL DEFAULT '',
    mentor_feedback TEXT NOT NULL DEFAULT ''
);
CREATE INDEX connect_relationships_mentee ON connect_relationships(mentee_id);
CREATE INDEX connect_relationships_mentor ON connect_relationships(mentor_id);

CREATE TABLE connect_meetings (
    id INTEGER PRIMARY KEY,
    relationship_id BIGINT NOT NULL REFERENCES connect_relationships(id) ON DELETE CASCADE,
    met_on BIGINT NOT NULL,
    minutes INTEGER NOT NULL,
    logged_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX connect_meetings_relationship ON connect_meetings(relationship_id, met_on);
