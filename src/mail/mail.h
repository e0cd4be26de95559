/* mail.h: the mail the service sends — an outbox in the database and a sender that delivers it
 *
 * Code that tells someone something by mail (an invitation, a password reset, a 360 request,
 * a mentoring match) queues a message built from two templates: templates/mail/NAME.txt
 * (plain text) and templates/mail/NAME.html (the HTML part, in the NHS style), rendered with
 * the caller's model; the subject is the model's "subject". Queueing is one INSERT and joins
 * the caller's transaction when one is open, so the message exists if and only if the change
 * it tells of was committed.
 *
 * Delivery (mail/sender.c) happens later, on the sender thread of whichever server claims the
 * message first: SMTP through libcurl, retried with backoff, each outcome recorded on the
 * message. Without AHPHUB_SMTP_URL nothing is sent and admins read the outbox in the site
 * (/admin/mail), so a demonstration still works.
 *
 * Mail carries links that act for the reader (set a password, answer a 360): those are
 * secrets. The outbox holds them until the message is delivered; docs/deployment.md says who
 * may read the table.
 */
#ifndef AHP_MAIL_H
#define AHP_MAIL_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct app;
struct arena;
struct buf;
struct db;
struct mail_smtp;
struct mail_stop;
struct tpl_set;

#define MAIL_ADDRESS_MAX 254 /* RFC 5321's limit on a path */
#define MAIL_SUBJECT_MAX 200

/* ---- writing a mail template ----------------------------------------------------------------
 *
 * A message kind NAME ("invite", "password_reset") is two files:
 *
 *   templates/mail/NAME.txt    the plain-text part. Rendered in text mode: {{x}} is copied
 *                              as it is, NOT HTML-escaped (so "O'Brien & Co" stays so), and
 *                              {{> mail/button}} includes mail/button.txt. Write short lines
 *                              and put each link on a line of its own.
 *   templates/mail/NAME.html   the HTML part: only what goes inside the message's frame
 *                              (templates/mail/layout.html adds the NHS blue band with the
 *                              service name, the white panel and the footer). {{x}} is escaped
 *                              as on any page. Mail programs ignore stylesheets: give
 *                              headings and paragraphs inline styles, as mail/test.html does.
 *
 * Both are Mustache templates (web/template.h) rendered with the caller's model plus
 * "service_name". The model must have "subject" (one line, at most MAIL_SUBJECT_MAX bytes;
 * not ASCII is fine, the sender encodes it). For a call to action put
 *   "button": {"url": "https://…/full/link", "text": "Set your password"}
 * in the model and write {{#button}}{{> mail/button}}{{/button}} in both files: a green
 * button with the link as plain text under it in HTML, "text:\nurl" in plain text. Links
 * must be absolute (app->cfg.base_url + path), as a mail program has no page to be relative
 * to. Every template is compiled and checked at start (tpl_set_preload), so a mistake stops
 * the server rather than a message. templates/mail/test.* is a small complete example.
 */

/* Renders templates/mail/NAME.txt and NAME.html with model (the caller keeps the model; the
 * renderer adds "service_name") and queues the message to `to` (one address, already
 * checked as an email address). The subject is the model's "subject" string.
 * *id (may be NULL) receives the message's id. Returns 0, APP_E_NOTFOUND (no such template),
 * APP_E_INVALID (no subject, or an address with a line break), APP_E_DB or APP_E_NOMEM. */
int mail_queue(struct db *db, struct tpl_set *tpl, const char *to, const char *name, json_t *model,
               int64_t *id);
/* As mail_queue, for mail about something that ends (migration 0049): topic names it (such as
 * "feedback:12"; not empty), and expires_at (a unix time, or 0) is when it ends by itself. The
 * module that queued it calls mail_withdraw(topic) when it ends early; the hourly purge drops
 * what is still waiting or failed once expires_at has passed. Mail that names someone to
 * people they chose (a 360°'s invitations) must not outlive what it was for. */
int mail_queue_about(struct db *db, struct tpl_set *tpl, const char *to, const char *name,
                     const char *topic, int64_t expires_at, json_t *model, int64_t *id);
/* Deletes every message about topic, in any state (one being sent may still arrive). Inside
 * the caller's transaction. Returns 0 or APP_E_DB. */
int mail_withdraw(struct db *db, const char *topic);

/* Renders message kind name with model as mail_queue() does, appending the plain-text part
 * to text and the HTML part to html, without queueing anything (the command line's test
 * message, tests). Returns 0, APP_E_NOTFOUND, APP_E_INVALID (no subject) or APP_E_NOMEM. */
int mail_render(struct tpl_set *tpl, const char *name, json_t *model, struct buf *text,
                struct buf *html);

/* True for one plain address a@b: no spaces, line breaks, control characters or the
 * characters that would break it out of a header (<>,;"()[]\), at most MAIL_ADDRESS_MAX
 * bytes. Not a full RFC 5322 parser: pages check addresses as F_EMAIL first. */
bool mail_address_ok(const char *to);
/* True for a non-empty one-line subject of at most MAIL_SUBJECT_MAX bytes. */
bool mail_subject_ok(const char *subject);

/* ---- the outbox (outbox.c) ------------------------------------------------------------------ */

/* Retries: the waits after the 1st, 2nd, … failed attempt (1, 5 and 30 minutes, 2 and 12
 * hours); the attempt after the last wait is the last. */
#define MAIL_MAX_ATTEMPTS 6
/* How long a sender holds a claimed message. A send takes at most a minute (smtp.c's
 * timeout); a claim still held after this means the sender stopped mid-send. */
#define MAIL_CLAIM_SECS 600
/* Sent messages keep their bodies (which hold links that act for the recipient) this long. */
#define MAIL_KEEP_SENT_SECS (30 * 24 * 3600)
#define MAIL_ERR_STOPPED                                                                           \
    "The server stopped while sending this message; it may or may not have arrived"

/* A message as the outbox page shows it. Strings are in the arena. key is its message_key
 * (32 hex digits, which make its Message-ID), the only name admins see it by (store.c,
 * MAIL_COLS). The bodies are filled by mail_outbox_get() only ("" in a list) and are "" once
 * purged (bodies_purged_at set). resent_from is the key of the message it copies, "" for an
 * original. */
struct mail_item {
    const char *key, *kind, *recipient, *subject, *state, *last_error, *claimed_by;
    int64_t attempts, created_at, next_attempt_at, sent_at, bodies_purged_at;
    const char *resent_from, *body_text, *body_html;
};

/* True for "queued", "sending", "sent" and "failed". */
bool mail_state_ok(const char *state);
/* The outbox functions below (the admins' outbox page and its API) leave out two kinds of
 * mail entirely, as if they were not there, and once delivered each forgets its address:
 *  - 360° invitations and reminders (kind "feedback_invite"): the member who asked may be an
 *    admin, knows when they pressed "remind", and the messages queued then — however little
 *    of each is shown — would count the raters who had not answered (develop/feedback.h,
 *    rule 7);
 *  - the link to carry on with an anonymous assessment (kind "assess_resume"): its address
 *    beside the round's name says who took part in a round that promised anonymity, and
 *    without a mail server (where admins read the links) the link opens the answers. The
 *    respondent has the link on the page that sent it.
 * The sender still sends them, retries them and logs failures by message id; a member whose
 * rater's mail failed reminds again, a respondent asks for the link again. */
/* A page of the outbox, newest first; state NULL or "" for every state (else it must pass
 * mail_state_ok). *total counts the messages the filter matches. Returns 0, APP_E_DB or
 * APP_E_NOMEM. */
int mail_outbox_list(struct db *db, struct arena *a, const char *state, int offset, int limit,
                     struct mail_item **out, size_t *n, int64_t *total);
/* The message whose key is key, with its bodies. APP_E_NOTFOUND when there is none. */
int mail_outbox_get(struct db *db, struct arena *a, const char *key, struct mail_item *out);
/* Queues a new copy of the failed message whose key is key (same recipient, subject and
 * bodies, a new key and so Message-ID, resent from it) and audits it as actor, in one
 * transaction. new_key gets the copy's key. Returns 0, APP_E_NOTFOUND, APP_E_CONFLICT (the
 * message has not failed, or its bodies were cleared), APP_E_DB. */
int mail_outbox_resend(struct db *db, int64_t actor, const char *key, char new_key[33]);
/* Clears the bodies of messages sent before now - MAIL_KEEP_SENT_SECS, and the bodies and
 * address of the kinds left out of the outbox (above) that failed for good, and deletes mail
 * still waiting or failed whose expires_at has passed (mail_queue_about). *n (may be NULL)
 * gets how many. Returns 0 or APP_E_DB. */
int mail_outbox_purge(struct db *db, int64_t now, int64_t *n);

/* ---- the sender (sender.c) --------------------------------------------------------------------
 */

/* What one mail_sender_run_once() did. */
struct mail_run {
    int sent;    /* delivered */
    int retried; /* a temporary failure: queued again for later */
    int failed;  /* refused for good, out of attempts, or of unknown outcome */
    int expired; /* claims found expired: their senders stopped mid-send (marked failed) */
};

/* Delivers every message due at now (0: the clock, read again for each message), one after
 * another, through smtp: each is claimed first (one UPDATE that only one sender can win, so
 * no message is ever sent twice, however many servers share the database), then sent, then
 * marked sent, queued again with the next wait, or failed, with the server's answer or the
 * error in last_error. Claims that expired
 * (a sender died mid-send) are marked failed with MAIL_ERR_STOPPED first. who names this
 * process in claimed_by. Stops early when stop (may be NULL; smtp.h) is set: between
 * messages, or in the middle of one, which is then put back if none of it had gone out, and after
 * 100 messages (call again). Does nothing when smtp->url is NULL. *out may be NULL. Returns 0,
 * APP_E_DB or APP_E_NOMEM (what was done before stays done). */
int mail_sender_run_once(struct db *db, const struct mail_smtp *smtp, const char *who, int64_t now,
                         struct mail_stop *stop, struct mail_run *out);

/* The thread every `ahphub serve` runs: mail_sender_run_once() as soon as something is
 * queued in this process (mail_sender_wake) and otherwise every 5 seconds, and once an hour
 * mail_outbox_purge(). With its own database connection. Without cfg.smtp_url no thread is
 * started (*out is NULL, 0 returned): messages stay queued for the outbox page. Returns 0,
 * APP_E_DB or APP_E_NOMEM. */
struct mail_sender;
int mail_sender_start(const struct app *app, struct mail_sender **out);
/* Stops the thread and frees it; NULL is allowed. A message being sent is abandoned within a
 * few seconds: put back untouched if none of it had gone out, else marked failed (its
 * outcome is unknown). */
void mail_sender_stop(struct mail_sender *s);

/* Tells this process's sender thread that a message was queued, so it looks now rather than
 * at its next round (at most 5 seconds later; also when the wake came before the queueing
 * transaction committed). Harmless when no sender runs. mail_queue() calls it. */
void mail_sender_wake(void);

/* text with every link token (a run of exactly 64 lower-case hex digits) replaced by
 * MAIL_REDACTED, in the arena; NULL when out of memory or text is NULL (redact.c). */
#define MAIL_REDACTED "[hidden]"
const char *mail_redact_links(struct arena *a, const char *text);

#endif
