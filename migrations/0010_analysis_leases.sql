-- 0010_analysis_leases.sql: an analysis run is held by a lease while it runs, and an exercise
-- has at most one run waiting or running.
--
-- lease_until is when the worker running it must have renewed it by (unix time); once it has
-- passed, another worker takes the run over. attempts counts the claims, and doubles as the
-- holder's token: a worker renews and finishes only while attempts is still the number it
-- claimed with, so one that lost its lease cannot write over the run of the one that took it.
ALTER TABLE listen_analysis_runs ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE listen_analysis_runs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;

-- Runs queued twice by the old check-then-insert: keep the oldest of each exercise, so the
-- unique index below can be built. Runs left "running" by a crash keep lease_until 0, which
-- has expired, and are taken over.
UPDATE listen_analysis_runs SET status = 'failed',
    error = 'Not run: another analysis of this exercise was already waiting.'
WHERE status IN ('queued', 'running') AND id > (SELECT min(r.id) FROM listen_analysis_runs r
    WHERE r.exercise_id = listen_analysis_runs.exercise_id AND r.status IN ('queued', 'running'));

-- Enqueueing inserts with ON CONFLICT against this index, one atomic statement, so two
-- servers asked at once make one run between them.
CREATE UNIQUE INDEX listen_analysis_runs_active ON listen_analysis_runs(exercise_id)
    WHERE status IN ('queued', 'running');
