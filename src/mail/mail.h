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
#include <stdbool.h>
#include <stdint.h>

struct buf;
struct db;
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
int mail_queue(struct db *db, struct tpl_set *tpl, const char *to, const char *name,
               json_t *model, int64_t *id);

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

/* Tells this process's sender thread that a message was queued, so it looks now rather than
 * at its next round (at most a few seconds later). Harmless when no sender runs. */
void mail_sender_wake(void);

#endif
