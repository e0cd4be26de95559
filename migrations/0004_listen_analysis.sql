-- 0004_listen_analysis.sql: analyses of an exercise (themes and opinion groups), run off the
-- request path by the server's worker. A run records its parameters and, when done, its result
-- as one JSON document, so earlier runs stay comparable.
CREATE TABLE listen_analysis_runs (
    id INTEGER PRIMARY KEY,
    exercise_id BIGINT NOT NULL REFERENCES listen_exercises(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    k INTEGER NOT NULL DEFAULT 0,
    seed BIGINT NOT NULL,
    requested_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    contributions INTEGER NOT NULL DEFAULT 0,
    votes INTEGER NOT NULL DEFAULT 0,
    result TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    started_at BIGINT NOT NULL DEFAULT 0,
    finished_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX listen_analysis_runs_exercise ON listen_analysis_runs(exercise_id, id);
CREATE INDEX listen_analysis_runs_status ON listen_analysis_runs(status, id);
