/* csrf.h: CSRF tokens for every form, tied to the session (or pre-session cookie) they were
 * issued to */
#ifndef AHP_CSRF_H
#define AHP_CSRF_H

#include <stdbool.h>
#include <stddef.h>

#include "http/handler.h"

#define CSRF_COOKIE "ahp_csrf"
#define CSRF_FIELD  "csrf_token"
#define CSRF_TOKEN_HEX 64

struct app;

/* Sets c->csrf_token (in the arena) for this request's session, or for the visitor's
 * pre-session cookie when anonymous, making and setting that cookie when it is missing or
 * not ours. Call after session_authenticate(). */
int csrf_prepare(struct ctx *c);
/* Makes a new pre-session cookie and sets c->csrf_token from it (after logout, so the
 * logged-out browser starts afresh). */
int csrf_rotate(struct ctx *c);
/* After login: a new pre-session cookie, and c->csrf_token for the new session whose cookie
 * value is session (so tokens from before the login stop working). */
int csrf_bind_session(struct ctx *c, const char *session);
/* True when the submitted token (form field csrf_token or X-CSRF-Token header) is the one
 * for this request's session, or for its valid pre-session cookie when anonymous. */
bool csrf_check(struct ctx *c, const struct kv *raw, size_t nraw);
/* The form token (CSRF_TOKEN_HEX hex digits and NUL into out) for a session cookie value,
 * or, when session is NULL, for a pre-session cookie value. What a browser reads from the
 * form; the HTTP tests use it to act as that browser. */
void csrf_token_for(const struct app *app, const char *session, const char *pre_session,
                    char out[CSRF_TOKEN_HEX + 1]);

#endif
