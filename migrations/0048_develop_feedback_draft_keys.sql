-- 0048_develop_feedback_draft_keys.sql: the drafts one browser keeps, found by its key.
--
-- A browser (the hash of its key, draft_key) may keep drafts on at most
-- FEEDBACK_DRAFTS_PER_BROWSER links at once (src/develop/feedback.h); a save that would start
-- one more counts the links it keeps drafts on, in both draft tables. Their primary keys start
-- with the invitation, so that count would read every draft: these serve it.

CREATE INDEX develop_feedback_drafts_key ON develop_feedback_drafts(draft_key, invitation_id);
CREATE INDEX develop_feedback_draft_texts_key ON develop_feedback_draft_texts(draft_key, invitation_id);
