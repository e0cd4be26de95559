/* store.c: every SQL text of the mail module, named, one place to review them
 *
 * The outbox (migrations/0016_mail.sql) is read by the sender through mail_outbox_due
 * (state, next_attempt_at) and by the outbox page through mail_outbox_state (state, id) or
 * the primary key.
 */
#include "mail/store.h"

const char SQL_MAIL_INSERT[] =
    "INSERT INTO mail_outbox (kind, recipient, subject, body_text, body_html, message_key, "
    "next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id";

/* ---- data rights (rights.c): the messages addressed to a member, by their address ---- */
const char SQL_MAIL_RIGHTS_LIST[] =
    "SELECT kind, subject, state, created_at, sent_at FROM mail_outbox WHERE recipient = $1 "
    "ORDER BY created_at, id";
const char SQL_MAIL_RIGHTS_DELETE[] = "DELETE FROM mail_outbox WHERE recipient = $1";
