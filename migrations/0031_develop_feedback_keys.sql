-- 0031_develop_feedback_keys.sql: two keys that keep a 360° requester out of their raters'
-- answers (src/develop/feedback.h, rules 9 and 10).
--
-- draft_key: the hash of a random key the rater's browser holds (a cookie set when they first
-- save). A rater's link is shown to the member who asked, so the link alone must not show
-- what the rater has saved: saved answers are shown back only to the browser whose key
-- matches. '' until the first save through the pages.
-- email_mark: the hash of the request and the address asked, kept when the address itself is
-- cleared on use, so that asking the same address again is refused the same way whether or
-- not they have answered (the refusal must not tell the member who has answered). It names
-- no answer: answers are stored apart from invitations.
ALTER TABLE develop_feedback_invitations ADD COLUMN draft_key TEXT NOT NULL DEFAULT '';
ALTER TABLE develop_feedback_invitations ADD COLUMN email_mark TEXT NOT NULL DEFAULT '';
CREATE INDEX develop_feedback_invitations_mark ON develop_feedback_invitations(request_id, email_mark);
