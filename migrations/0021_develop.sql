-- 0021_develop.sql: leadership frameworks (versioned) and members' self-assessments against them.
--
-- A framework version is immutable once stored: editing stores the next version, and a
-- self-assessment keeps the version it was started with. Ratings are kept per behaviour id of
-- that version (src/develop/develop.h): rating is the scale point's position 1…n, 0 not rated,
-- -1 "I have not had the chance to show this"; importance 0 when not given. Results are
-- computed from the ratings when shown, never stored. A self-assessment belongs to one member
-- and goes with their account.

CREATE TABLE develop_frameworks (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (code, version)
);

CREATE TABLE develop_self_assessments (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    framework_id BIGINT NOT NULL REFERENCES develop_frameworks(id),
    started_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT NOT NULL DEFAULT 0
);
-- A member's list, newest first, and their draft.
CREATE INDEX develop_self_assessments_user ON develop_self_assessments(user_id, submitted_at, id);
CREATE INDEX develop_self_assessments_framework ON develop_self_assessments(framework_id);
-- One draft per member at a time, even when two starts race.
CREATE UNIQUE INDEX develop_self_assessments_draft ON develop_self_assessments(user_id)
    WHERE submitted_at = 0;

CREATE TABLE develop_ratings (
    assessment_id BIGINT NOT NULL REFERENCES develop_self_assessments(id) ON DELETE CASCADE,
    behaviour TEXT NOT NULL,
    rating INTEGER NOT NULL DEFAULT 0 CHECK (rating >= -1),
    importance INTEGER NOT NULL DEFAULT 0 CHECK (importance >= 0),
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (assessment_id, behaviour)
);
