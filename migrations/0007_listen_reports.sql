-- 0007_listen_reports.sql: the published "What we heard" report of an exercise. Publishing
-- freezes the analysis run the report shows, so later runs change the draft a facilitator
-- sees, never what the public reads, until it is published again.
CREATE TABLE listen_reports (
    exercise_id BIGINT PRIMARY KEY REFERENCES listen_exercises(id) ON DELETE CASCADE,
    run_id BIGINT NOT NULL REFERENCES listen_analysis_runs(id),
    published_at BIGINT NOT NULL DEFAULT 0,
    published_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);
