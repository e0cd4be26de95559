-- 0046_mail_outbox_key.sql: admins find a message in the outbox by its message_key, never by
-- its row id (src/mail/store.c, MAIL_COLS): the ids come from one sequence with 360° mail,
-- which admins do not see, so gaps between the ids shown would count it.
CREATE INDEX mail_outbox_key ON mail_outbox(message_key);
