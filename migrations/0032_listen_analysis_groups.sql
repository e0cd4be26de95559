-- 0032_listen_analysis_groups.sql: the opinion group of each participant placed by an
-- analysis run, so exports can give Pol.is's per-participant group-id and the next run can
-- keep group numbers stable (Pol.is carries its groups from one update to the next).
--
-- group_no is 0-based, Pol.is's group-id: the page's "Group 1" is group_no 0 (the pages show
-- group_no + 1). Only runs that found two groups or more have rows, and only for the
-- participants the fit placed. A participant here is Listen's pseudonymous participant row,
-- which nothing links to an account (DESIGN.md section 5), so no member's data-rights export
-- or deletion has anything to find in it. Rows go with their run and with their participant.
CREATE TABLE listen_analysis_groups (
    run_id BIGINT NOT NULL REFERENCES listen_analysis_runs(id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES listen_participants(id) ON DELETE CASCADE,
    group_no INTEGER NOT NULL CHECK (group_no >= 0),
    PRIMARY KEY (run_id, participant_id)
);
CREATE INDEX listen_analysis_groups_participant ON listen_analysis_groups(participant_id);
