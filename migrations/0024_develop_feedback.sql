-- 0024_develop_feedback.sql: 360° feedback on a member's self-assessment.
--
-- A request belongs to its member and to one submitted self-assessment (and so to that
-- framework version). It takes answers until closes_at (the first moment it is closed:
-- midnight after the closing day) or until the member closes it early (closed_at).
--
-- The tables are split so that no answer can reach a rater (src/develop/feedback.h):
--   develop_feedback_invitations  who was asked: email, group, the BLAKE2b hash of the link's
--                                 token, and the answers a rater has saved so far (drafts
--                                 below). On submission, in the transaction that stores the
--                                 answer, the email and the saved text are cleared and the
--                                 drafts deleted; the row keeps only its group and "used".
--   develop_feedback_responses    submitted answers: the request, the group and the two
--                                 redacted texts, keyed by a random response_key. There is no
--                                 invitation id, no time and no sequence, so neither a join
--                                 nor an order leads from an answer to an invitation.
--   develop_feedback_ratings      one rating per behaviour of a response, by response_key.

CREATE TABLE develop_feedback_requests (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    self_id BIGINT NOT NULL REFERENCES develop_self_assessments(id) ON DELETE CASCADE,
    framework_id BIGINT NOT NULL REFERENCES develop_frameworks(id),
    created_at BIGINT NOT NULL,
    closes_at BIGINT NOT NULL,
    closed_at BIGINT NOT NULL DEFAULT 0,      -- closed early by the member; 0 otherwise
    reminded_at BIGINT NOT NULL DEFAULT 0,    -- the member's last reminder
    auto_reminded INTEGER NOT NULL DEFAULT 0  -- the automatic reminder before closing was sent
);
CREATE INDEX develop_feedback_requests_user ON develop_feedback_requests(user_id, id);
CREATE INDEX develop_feedback_requests_self ON develop_feedback_requests(self_id);
-- `ahphub remind` looks for open requests closing soon.
CREATE INDEX develop_feedback_requests_closing ON develop_feedback_requests(closes_at)
    WHERE closed_at = 0 AND auto_reminded = 0;

CREATE TABLE develop_feedback_invitations (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES develop_feedback_requests(id) ON DELETE CASCADE,
    rater_group TEXT NOT NULL CHECK (rater_group IN ('manager', 'peer', 'report', 'other')),
    email TEXT NOT NULL DEFAULT '',           -- '' once used
    token_hash TEXT NOT NULL UNIQUE,
    used INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1)),
    draft_strengths TEXT NOT NULL DEFAULT '', -- '' once used
    draft_differently TEXT NOT NULL DEFAULT ''
);
CREATE INDEX develop_feedback_invitations_request ON develop_feedback_invitations(request_id);

-- A rater's saved, not yet submitted ratings (deleted on submission).
CREATE TABLE develop_feedback_drafts (
    invitation_id BIGINT NOT NULL REFERENCES develop_feedback_invitations(id) ON DELETE CASCADE,
    behaviour TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating >= -1),
    PRIMARY KEY (invitation_id, behaviour)
);

CREATE TABLE develop_feedback_responses (
    response_key TEXT PRIMARY KEY,            -- 128 random bits as hex
    request_id BIGINT NOT NULL REFERENCES develop_feedback_requests(id) ON DELETE CASCADE,
    rater_group TEXT NOT NULL CHECK (rater_group IN ('manager', 'peer', 'report', 'other')),
    strengths TEXT NOT NULL DEFAULT '',       -- redacted
    differently TEXT NOT NULL DEFAULT ''      -- redacted
);
CREATE INDEX develop_feedback_responses_request ON develop_feedback_responses(request_id);

CREATE TABLE develop_feedback_ratings (
    response_key TEXT NOT NULL REFERENCES develop_feedback_responses(response_key)
        ON DELETE CASCADE,
    behaviour TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating >= -1),
    PRIMARY KEY (response_key, behaviour)
);
