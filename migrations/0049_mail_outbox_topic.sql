-- 0049_mail_outbox_topic.sql: mail that is of no use once something ends is taken back then
-- (src/mail/mail.h, mail_queue_about). A 360° request's invitations and reminders name it
-- ("feedback:12") and its closing time: when the member closes or deletes the request, or
-- deletes their account, its mail goes (mail_withdraw), sent or not, and the hourly purge
-- drops what is still waiting when the time has passed. They held the member's name and the
-- raters' addresses, and without a mail server they waited unsent for ever.
--   topic       '' for mail about nothing that ends
--   expires_at  0 for mail that stays useful
ALTER TABLE mail_outbox ADD COLUMN topic TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_outbox ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX mail_outbox_topic ON mail_outbox(topic) WHERE topic <> '';
CREATE INDEX mail_outbox_expires ON mail_outbox(expires_at) WHERE expires_at > 0;
