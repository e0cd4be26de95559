-- 0019_rights.sql: indexes for a member's data rights (src/account/rights.h). A member's copy
-- of their data and the deletion of their account find every row that names them by these
-- columns; without an index each would read its whole table.
CREATE INDEX audit_log_actor ON audit_log(actor_id);
CREATE INDEX audit_log_subject ON audit_log(subject_id);
CREATE INDEX listen_exercises_created_by ON listen_exercises(created_by);
CREATE INDEX listen_moderation_log_moderator ON listen_moderation_log(moderator_id);
CREATE INDEX listen_analysis_runs_requested_by ON listen_analysis_runs(requested_by);
CREATE INDEX listen_actions_created_by ON listen_actions(created_by);
CREATE INDEX listen_reports_published_by ON listen_reports(published_by);
CREATE INDEX listen_theme_edits_updated_by ON listen_theme_edits(updated_by);
CREATE INDEX assess_instruments_created_by ON assess_instruments(created_by);
CREATE INDEX assess_rounds_created_by ON assess_rounds(created_by);
