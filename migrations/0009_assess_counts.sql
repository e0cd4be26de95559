-- 0009_assess_counts.sql: each round keeps the number of its submitted responses, changed in
-- the same transaction as every submission, import and demo load. The shared benchmark of a
-- round (src/assess/results.c) is keyed by it: one row read per page view tells whether the
-- round has changed, where counting its index entries cost milliseconds at 70,000 responses.
ALTER TABLE assess_rounds ADD COLUMN submitted BIGINT NOT NULL DEFAULT 0;
UPDATE assess_rounds SET submitted = (SELECT COUNT(*) FROM assess_responses s
    WHERE s.round_id = assess_rounds.id AND s.submitted_at > 0);
