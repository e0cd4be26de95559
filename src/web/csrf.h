/* csrf.h: CSRF tokens for every form (signed double-submit cookie) */
#ifndef AHP_CSRF_H
#define AHP_CSRF_H

#include <stdbool.h>
#include <stddef.h>

#include "http/handler.h"

#define CSRF_COOKIE "ahp_csrf"
#define CSRF_FIELD  "csrf_token"

/* Sets c->csrf_token from a valid cookie, or makes a new token and sets the cookie. */
int csrf_prepare(struct ctx *c);
/* Makes a new token (after login, so a token planted before login stops working). */
int csrf_rotate(struct ctx *c);
/* True when the submitted token (form field csrf_token or X-CSRF-Token header) equals the
 * cookie's, and the cookie's signature is valid. */
bool csrf_check(struct ctx *c, const struct kv *raw, size_t nraw);

#endif
