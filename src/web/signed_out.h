/* signed_out.h: the page a browser sees when it sends a form after its session has ended
 *
 * A session ends after session_ttl without use (12 hours by default) or when its owner logs
 * out in another tab. A form sent after that cannot be saved: it is not known whose it is, and
 * its CSRF token belonged to the old session. Redirecting to the login page, as a page read
 * does, would throw away what was typed (a self-assessment note, a portfolio entry, a plan's
 * reflection), so instead the answer is this page: it says the form was not sent, shows the text
 * that was typed so it can be copied, and links to log in and come back.
 *
 * Only to the browser that typed it: the page is shown only when the request carries one of
 * our cookies: the ended session's (titled "You have been logged out"), with the CSRF token
 * that session's pages carried, which only this server can make; or the pre-session CSRF
 * cookie, which is all a log-out in another tab leaves ("You are not logged in", since that
 * is all that is known then; the form's token belonged to the session that is gone, so it
 * cannot be checked). Both cookies are SameSite=Lax, so a form another site posts arrives
 * without them and gets the plain redirect. What is left is the risk web/csrf.c names: a
 * sibling subdomain that plants a pre-session cookie could have its words shown, escaped and
 * under "What you wrote", to a visitor who is logged out. Nothing is stored, the answer is
 * no-store like every other (dispatch.c), and password fields are never shown.
 */
#ifndef AHP_SIGNED_OUT_H
#define AHP_SIGNED_OUT_H

#include <stddef.h>

#include "http/handler.h"

/* For a page write refused because no one is logged in (APP_E_UNAUTH): answers 401 with the
 * page above when the request carries one of our cookies and typed text in raw[0..nraw) (a
 * non-empty field the route declares F_LONGTEXT, F_EMAIL, or F_TEXT of more than a few
 * characters; never F_PASSWORD, never a choice). APP_OK when it answered; APP_E_NOTFOUND when
 * there is nothing to keep (the caller redirects to log in as before); APP_E_NOMEM. */
int signed_out_keep_form(struct ctx *c, const struct kv *raw, size_t nraw);

#endif
