-- 0045_develop_feedback_unordered.sqlite.sql: 360° answers keep no order of arrival on SQLite.
--
-- Answers carry no time and no sequence (0024), but an SQLite table with a TEXT key is stored
-- by a hidden rowid that counts up as rows arrive, and a copy of the database (or `.dump`)
-- lists rows in that order: whoever read it alongside who answered when could pair answers
-- with raters. WITHOUT ROWID tables are stored in the order of their key, and an answer's key
-- is 128 random bits, so the stored order says nothing. The ratings are rebuilt first and
-- dropped before the answers, so that dropping the old answers' table cascades to nothing.
--
-- PostgreSQL has no such table option: its rows sit in the order they were written, which a
-- dump or a SELECT without ORDER BY shows. There `ahphub remind`, run daily, rewrites the two
-- tables in key order (CLUSTER; src/develop/feedback_db.c, feedback_remind_due).

CREATE TABLE develop_feedback_responses_unordered (
    response_key TEXT PRIMARY KEY,            -- 128 random bits as hex
    request_id BIGINT NOT NULL REFERENCES develop_feedback_requests(id) ON DELETE CASCADE,
    rater_group TEXT NOT NULL CHECK (rater_group IN ('manager', 'peer', 'report', 'other')),
    strengths TEXT NOT NULL DEFAULT '',       -- redacted
    differently TEXT NOT NULL DEFAULT ''      -- redacted
) WITHOUT ROWID;
INSERT INTO develop_feedback_responses_unordered
    SELECT response_key, request_id, rater_group, strengths, differently
    FROM develop_feedback_responses ORDER BY response_key;

CREATE TABLE develop_feedback_ratings_unordered (
    response_key TEXT NOT NULL REFERENCES develop_feedback_responses_unordered(response_key)
        ON DELETE CASCADE,
    behaviour TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating >= -1),
    PRIMARY KEY (response_key, behaviour)
) WITHOUT ROWID;
INSERT INTO develop_feedback_ratings_unordered
    SELECT response_key, behaviour, rating FROM develop_feedback_ratings
    ORDER BY response_key, behaviour;

DROP TABLE develop_feedback_ratings;
DROP TABLE develop_feedback_responses;
ALTER TABLE develop_feedback_responses_unordered RENAME TO develop_feedback_responses;
ALTER TABLE develop_feedback_ratings_unordered RENAME TO develop_feedback_ratings;
CREATE INDEX develop_feedback_responses_request ON develop_feedback_responses(request_id);
