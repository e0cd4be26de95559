/* pages.h: what the Listen handler files share (pages.c, and the files beside it that hold
 * the handlers of one area each) */
#ifndef AHP_LISTEN_PAGES_H
#define AHP_LISTEN_PAGES_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "http/handler.h"
#include "listen/listen.h"

/* True for facilitators and admins, who run exercises. */
bool listen_page_can_manage(const struct ctx *c);
/* The exercise named by the path's :slug; drafts exist only for facilitators
 * (APP_E_NOTFOUND otherwise). */
int listen_page_exercise(struct ctx *c, struct listen_exercise *e);

#endif
