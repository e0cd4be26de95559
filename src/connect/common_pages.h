/* common_pages.h: what every Connect page family shares */
#ifndef AHP_CONNECT_COMMON_PAGES_H
#define AHP_CONNECT_COMMON_PAGES_H

#include <stddef.h>
#include <stdint.h>

#include "connect/common.h"

struct ctx;

/* Puts each refusal of the domain code on its field of the request, for the form shown
 * again. Returns 0 or APP_E_NOMEM. */
int connect_page_errors(struct ctx *c, const struct connect_field_error *errs, size_t n);
/* The positive id in the path parameter name, or 0 when it is missing or malformed (the
 * handler answers 404 then). */
int64_t connect_page_id(struct ctx *c, const char *name);

#endif
