/* store.c: every SQL text of the mail module, named, one place to review them
 *
 * The outbox (migrations/0016_mail.sql) is read by the sender through mail_outbox_due
 * (state, next_attempt_at), which also serves the look for expired claims and the purge,
 * and by the outbox page through mail_outbox_state (state, id) or the primary key.
 *
 * Every change a sender makes to a message it claimed names the attempt it claimed it as
 * (attempts = $n): a sender whose claim expired and was dealt with cannot write over what
 * happened since.
 */
#include "mail/store.h"

const char SQL_MAIL_INSERT[] =
    "INSERT INTO mail_outbox (kind, recipient, subject, body_text, body_html, message_key, "
    "next_attempt_at, created_at, topic, expires_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9) RETURNING id";
/* Mail about something that has ended (migration 0049), whatever its state: one being sent
 * may still arrive, and its sender then finds no row to mark. */
const char SQL_MAIL_WITHDRAW[] = "DELETE FROM mail_outbox WHERE topic = $1";
/* Mail still waiting, or failed, when what it is about has ended by itself (a closing date). */
const char SQL_MAIL_PURGE_EXPIRED[] =
    "DELETE FROM mail_outbox WHERE expires_at > 0 AND expires_at <= $1 "
    "AND state IN ('queued', 'failed')";

/* The claim: one statement, and the outer state = 'queued' is checked again on the row it
 * updates, so of two senders that picked the same message only one changes a row. On
 * PostgreSQL the inner SELECT skips rows another sender has locked, so the loser picks the
 * next message instead of finding none; SQLite runs one writer at a time. */
/* The kinds of mail the admins' outbox leaves out (mail.h, above mail_outbox_list): 360°
 * invitations and reminders, and the link to carry on with an anonymous assessment. */
#define UNLISTED "kind IN ('feedback_invite', 'assess_resume')"
/* The sender takes the messages admins see before those, so that a reminder's burst never
 * delays them: how late a listed message went out would otherwise count the reminders queued
 * before it. */
#define CLAIM_ORDER "(" UNLISTED "), next_attempt_at, id"
#define MAIL_CLAIM(lock)                                                                           \
    "UPDATE mail_outbox SET state = 'sending', attempts = attempts + 1, claimed_by = $2, "         \
    "claim_until = $3 WHERE id = (SELECT id FROM mail_outbox WHERE state = 'queued' AND "          \
    "next_attempt_at <= $1 ORDER BY " CLAIM_ORDER " LIMIT 1" lock ") "                             \
    "AND state = 'queued' "                                                                        \
    "RETURNING id, recipient, subject, body_text, body_html, message_key, attempts"
const char SQL_MAIL_CLAIM_SQLITE[] = MAIL_CLAIM("");
const char SQL_MAIL_CLAIM_PG[] = MAIL_CLAIM(" FOR UPDATE SKIP LOCKED");

/* Delivered. Also from 'failed': a claim can run out while the server is still answering
 * (it was then marked failed with MAIL_ERR_STOPPED), and what did happen is the better
 * record. */
const char SQL_MAIL_SENT[] =
    "UPDATE mail_outbox SET state = 'sent', sent_at = $2, last_error = '', claim_until = 0 "
    "WHERE id = $1 AND attempts = $3 AND state IN ('sending', 'failed')";
/* The bodies once delivered, with the links that act for the recipient taken out (redact.c). */
const char SQL_MAIL_REDACT[] =
    "UPDATE mail_outbox SET body_text = $2, body_html = $3 WHERE id = $1";
/* A 360° invitation or reminder, once delivered, forgets whom it went to: a reminder goes
 * only to raters who had not answered, so its address would tell the member's 360 who had
 * (develop/feedback.h, rule 8). So does the link to carry on with an anonymous assessment:
 * its address would say who took part (assess/respond_pages.c). */
const char SQL_MAIL_FORGET_RECIPIENT[] =
    "UPDATE mail_outbox SET recipient = '', subject = CASE WHEN kind = 'feedback_invite' THEN "
    "'Feedback request' ELSE 'Link to carry on with an assessment' END "
    "WHERE id = $1 AND " UNLISTED;
const char SQL_MAIL_RETRY[] =
    "UPDATE mail_outbox SET state = 'queued', next_attempt_at = $2, last_error = $3, "
    "claim_until = 0 WHERE id = $1 AND attempts = $4 AND state = 'sending'";
const char SQL_MAIL_FAIL[] =
    "UPDATE mail_outbox SET state = 'failed', last_error = $2, claim_until = 0 "
    "WHERE id = $1 AND attempts = $3 AND state = 'sending'";
/* The server is stopping and nothing was sent: back in the queue, the attempt not counted. */
const char SQL_MAIL_RELEASE[] =
    "UPDATE mail_outbox SET state = 'queued', attempts = attempts - 1, claim_until = 0 "
    "WHERE id = $1 AND attempts = $2 AND state = 'sending'";
const char SQL_MAIL_EXPIRE[] =
    "UPDATE mail_outbox SET state = 'failed', last_error = $2, claim_until = 0 "
    "WHERE state = 'sending' AND claim_until < $1";
const char SQL_MAIL_PURGE[] =
    "UPDATE mail_outbox SET body_text = '', body_html = '', bodies_purged_at = $1 "
    "WHERE state = 'sent' AND sent_at < $2 AND bodies_purged_at = 0";
/* Mail admins do not see that failed for good: no one can send it again, so its address and
 * the link in it serve nothing (the member reminds, the respondent asks again). */
const char SQL_MAIL_PURGE_UNLISTED_FAILED[] =
    "UPDATE mail_outbox SET recipient = '', body_text = '', body_html = '', "
    "bodies_purged_at = $1 WHERE state = 'failed' AND bodies_purged_at = 0 AND " UNLISTED;

/* Admins know a message by its message_key, never its id: ids come from one sequence with the
 * mail left out below, so the gaps between the ids shown would count it. */
#define MAIL_COLS                                                                                  \
    "message_key, kind, recipient, subject, state, last_error, claimed_by, attempts, "             \
    "created_at, next_attempt_at, sent_at, COALESCE((SELECT f.message_key FROM mail_outbox f "     \
    "WHERE f.id = mail_outbox.resent_from), ''), bodies_purged_at"
/* The admins' outbox leaves out the UNLISTED kinds (mail.h, above mail_outbox_list). */
#define LISTED "NOT (" UNLISTED ")"
const char SQL_MAIL_LIST[] = "SELECT " MAIL_COLS " FROM mail_outbox WHERE ($1 = '' OR state = $1) "
                             "AND " LISTED " ORDER BY id DESC LIMIT $2 OFFSET $3";
const char SQL_MAIL_COUNT[] =
    "SELECT count(*) FROM mail_outbox WHERE ($1 = '' OR state = $1) AND " LISTED;
const char SQL_MAIL_GET[] = "SELECT " MAIL_COLS ", body_text, body_html FROM mail_outbox WHERE "
                            "message_key = $1 AND " LISTED;
const char SQL_MAIL_RESEND[] =
    "INSERT INTO mail_outbox (kind, recipient, subject, body_text, body_html, message_key, "
    "next_attempt_at, created_at, resent_from) "
    "SELECT kind, recipient, subject, body_text, body_html, $2, $3, $3, id FROM mail_outbox "
    "WHERE message_key = $1 AND state = 'failed' AND bodies_purged_at = 0 AND " LISTED
    " RETURNING id";

/* ---- data rights (rights.c): the messages addressed to a member, by their address ---- */
const char SQL_MAIL_RIGHTS_LIST[] =
    "SELECT kind, subject, state, created_at, sent_at FROM mail_outbox WHERE recipient = $1 "
    "ORDER BY created_at, id";
const char SQL_MAIL_RIGHTS_DELETE[] = "DELETE FROM mail_outbox WHERE recipient = $1";
