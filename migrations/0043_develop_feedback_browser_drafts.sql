-- 0043_develop_feedback_browser_drafts.sql: a 360° rater's saved answers belong to the link
-- and the browser that saved them (src/develop/feedback.h, rule 9).
--
-- Until now a link had one draft, held by the first browser that saved (0031's draft_key).
-- The member who asked holds every link, so they could open one in a fresh browser, save,
-- and reload: their save showed when the rater had never saved and was dropped when the
-- rater had, which told them whether the rater had started (and locked out a rater who had
-- not). Now every browser keeps its own draft of a link, keyed by the hash of its key (a
-- cookie), and sees and submits only that; the first submission stands.
--
--   develop_feedback_drafts       ratings: one per (invitation, browser, behaviour)
--   develop_feedback_draft_texts  the two comments: one row per (invitation, browser)
-- The invitation's own draft columns go. A draft saved before this through the API (which
-- then kept no key) moves under the key '', which no browser has: it is forgotten when the
-- request closes, as every unsubmitted draft is.

CREATE TABLE develop_feedback_browser_drafts (
    invitation_id BIGINT NOT NULL REFERENCES develop_feedback_invitations(id) ON DELETE CASCADE,
    draft_key TEXT NOT NULL,                  -- BLAKE2b of the saving browser's key, as hex
    behaviour TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating >= -1),
    PRIMARY KEY (invitation_id, draft_key, behaviour)
);
INSERT INTO develop_feedback_browser_drafts (invitation_id, draft_key, behaviour, rating)
    SELECT d.invitation_id, i.draft_key, d.behaviour, d.rating FROM develop_feedback_drafts d
    JOIN develop_feedback_invitations i ON i.id = d.invitation_id;
DROP TABLE develop_feedback_drafts;
ALTER TABLE develop_feedback_browser_drafts RENAME TO develop_feedback_drafts;

CREATE TABLE develop_feedback_draft_texts (
    invitation_id BIGINT NOT NULL REFERENCES develop_feedback_invitations(id) ON DELETE CASCADE,
    draft_key TEXT NOT NULL,
    strengths TEXT NOT NULL DEFAULT '',
    differently TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (invitation_id, draft_key)
);
INSERT INTO develop_feedback_draft_texts (invitation_id, draft_key, strengths, differently)
    SELECT id, draft_key, draft_strengths, draft_differently FROM develop_feedback_invitations
    WHERE draft_strengths <> '' OR draft_differently <> '';

ALTER TABLE develop_feedback_invitations DROP COLUMN draft_strengths;
ALTER TABLE develop_feedback_invitations DROP COLUMN draft_differently;
ALTER TABLE develop_feedback_invitations DROP COLUMN draft_key;
