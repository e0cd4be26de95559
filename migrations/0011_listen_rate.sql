-- 0011_listen_rate.sql: per-participant rate limits, counted on the participant's row.
--
-- A window opens at a participant's first action and lasts 60 seconds; each column counts
-- one kind of action in it. Votes are counted as they happen, so changing a vote on the
-- same contribution counts too (listen_votes keeps one row per contribution and could not
-- tell). Updating these columns is also the row lock that queues one participant's
-- concurrent requests (src/listen/ratelimit.c); no table of events, so nothing to prune.
ALTER TABLE listen_participants ADD COLUMN rate_from BIGINT NOT NULL DEFAULT 0;
ALTER TABLE listen_participants ADD COLUMN rate_posts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE listen_participants ADD COLUMN rate_votes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE listen_participants ADD COLUMN rate_flags INTEGER NOT NULL DEFAULT 0;
