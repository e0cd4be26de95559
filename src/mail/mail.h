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
#include <stdint.h>

struct db;
struct tpl_set;

/* Renders templates/mail/NAME.txt and NAME.html with model (the caller keeps the model; the
 * renderer adds "service_name") and queues the message to `to` (one address, already
 * checked as an email address). The subject is the model's "subject" string.
 * *id (may be NULL) receives the message's id. Returns 0, APP_E_NOTFOUND (no such template),
 * APP_E_INVALID (no subject, or an address with a line break), APP_E_DB or APP_E_NOMEM. */
int mail_queue(struct db *db, struct tpl_set *tpl, const char *to, const char *name,
               json_t *model, int64_t *id);

#endif
