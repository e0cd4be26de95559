/* session.h: who is asking — the session cookie for browsers, bearer tokens for API clients */
#ifndef AHP_WEB_SESSION_H
#define AHP_WEB_SESSION_H

#include "http/handler.h"

#define SESSION_COOKIE "ahp_session"

/* Sets c->user from a bearer token (API paths) or the session cookie. An unknown or expired
 * credential leaves c->user NULL and is not an error (a stale cookie is also cleared);
 * an unknown bearer token is APP_E_UNAUTH, so API clients learn their token is wrong. */
int session_authenticate(struct ctx *c);
/* The login policy from the app's configuration. */
struct account_policy;
void session_policy(const struct ctx *c, struct account_policy *pol);

#endif
