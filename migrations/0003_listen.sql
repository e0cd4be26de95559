-- 0003_listen.sql: anonymous listening exercises.
--
-- Privacy by construction: a participant is a random token (stored only as a hash) scoped to
-- one exercise, with optional self-described audience, profession and region. Nothing here
-- refers to a user account, an email address or a network address; tests/unit/listen/
-- anonymity_test.c reads this schema and fails if that ever changes. The one link to an
-- account is the moderator's, on moderation decisions.

CREATE TABLE listen_exercises (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary_md TEXT NOT NULL DEFAULT '',
    audiences TEXT NOT NULL DEFAULT 'citizen,ahp,staff',
    opens_at BIGINT NOT NULL DEFAULT 0,
    closes_at BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed', 'published')),
    moderation TEXT NOT NULL CHECK (moderation IN ('pre', 'post')),
    flag_threshold INTEGER NOT NULL DEFAULT 3,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX listen_exercises_status ON listen_exercises(status);

CREATE TABLE listen_prompts (
    id INTEGER PRIMARY KEY,
    exercise_id BIGINT NOT NULL REFERENCES listen_exercises(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (exercise_id, position)
);

CREATE TABLE listen_participants (
    id INTEGER PRIMARY KEY,
    exercise_id BIGINT NOT NULL REFERENCES listen_exercises(id) ON DELETE CASCADE,
    token_hash TEXT UNIQUE,
    pseudonym TEXT NOT NULL,
    audience TEXT NOT NULL DEFAULT '',
    profession TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (exercise_id, pseudonym)
);

CREATE TABLE listen_contributions (
    id INTEGER PRIMARY KEY,
    exercise_id BIGINT NOT NULL REFERENCES listen_exercises(id) ON DELETE CASCADE,
    prompt_id BIGINT REFERENCES listen_prompts(id) ON DELETE SET NULL,
    parent_id BIGINT REFERENCES listen_contributions(id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES listen_participants(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    original TEXT,
    redactions TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
    hidden INTEGER NOT NULL DEFAULT 0,
    reviewed INTEGER NOT NULL DEFAULT 0,
    hold_reason TEXT NOT NULL DEFAULT '',
    reject_reason TEXT NOT NULL DEFAULT '',
    flag_count INTEGER NOT NULL DEFAULT 0,
    vote_count INTEGER NOT NULL DEFAULT 0,
    agree_count INTEGER NOT NULL DEFAULT 0,
    disagree_count INTEGER NOT NULL DEFAULT 0,
    pass_count INTEGER NOT NULL DEFAULT 0,
    source_id TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX listen_contributions_feed ON listen_contributions(exercise_id, status, vote_count);
CREATE INDEX listen_contributions_participant ON listen_contributions(participant_id, created_at);
CREATE INDEX listen_contributions_parent ON listen_contributions(parent_id);

CREATE TABLE listen_votes (
    contribution_id BIGINT NOT NULL REFERENCES listen_contributions(id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES listen_participants(id) ON DELETE CASCADE,
    vote INTEGER NOT NULL CHECK (vote IN (-1, 0, 1)),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (contribution_id, participant_id)
);
CREATE INDEX listen_votes_participant ON listen_votes(participant_id, updated_at);

CREATE TABLE listen_flags (
    id INTEGER PRIMARY KEY,
    contribution_id BIGINT NOT NULL REFERENCES listen_contributions(id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES listen_participants(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (contribution_id, participant_id)
);
CREATE INDEX listen_flags_participant ON listen_flags(participant_id, created_at);

CREATE TABLE listen_moderation_log (
    id INTEGER PRIMARY KEY,
    exercise_id BIGINT NOT NULL REFERENCES listen_exercises(id) ON DELETE CASCADE,
    contribution_id BIGINT REFERENCES listen_contributions(id) ON DELETE CASCADE,
    moderator_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL
);
CREATE INDEX listen_moderation_log_exercise ON listen_moderation_log(exercise_id, at);

-- Words that hold a contribution for review, whatever the exercise's moderation mode.
CREATE TABLE listen_hold_words (
    word TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);
