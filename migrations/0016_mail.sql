-- 0016_mail.sql: the outbox. Every message the service sends is a row here first (queued in
-- the transaction of the change it tells of), and a sender thread delivers it (src/mail/).
--
-- state: queued (waiting for next_attempt_at), sending (claimed by one sender until
-- claim_until; claimed_by names the process for the operator), sent, failed. A message is
-- only ever claimed from 'queued' by one UPDATE that checks the state, so two servers never
-- send it twice; a claim that runs out while 'sending' means the sender died mid-send and the
-- message is marked failed, not sent again (the outcome is unknown).
--
-- The bodies hold links that act for the recipient (set a password, answer a 360) until the
-- message is sent; the sender clears the bodies of messages sent more than 30 days ago
-- (bodies_purged_at). message_key makes the Message-ID, the same on every attempt.
-- resent_from is the message an admin sent again as this copy.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    message_key TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_by TEXT NOT NULL DEFAULT '',
    claim_until BIGINT NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    sent_at BIGINT NOT NULL DEFAULT 0,
    bodies_purged_at BIGINT NOT NULL DEFAULT 0,
    resent_from BIGINT REFERENCES mail_outbox(id) ON DELETE SET NULL
);
-- The sender's claim (state = 'queued' AND next_attempt_at <= now, oldest due first), its
-- look for expired claims (state = 'sending' AND claim_until < now) and the purge
-- (state = 'sent' AND sent_at < …).
CREATE INDEX mail_outbox_due ON mail_outbox(state, next_attempt_at);
-- The outbox page, newest first, optionally of one state.
CREATE INDEX mail_outbox_state ON mail_outbox(state, id);
