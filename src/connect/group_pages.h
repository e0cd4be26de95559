/* group_pages.h: what the page families of Connect's interest groups share — reading a path's
 * id, loading a group as the viewer may see it, and the view-model pieces
 *
 * Private to src/connect's group pages (group_pages.c, thread_pages.c, event_pages.c,
 * digest_pages.c). JSON values returned are new references owned by the caller; strings live
 * in the request's arena.
 */
#ifndef AHP_CONNECT_GROUP_PAGES_H
#define AHP_CONNECT_GROUP_PAGES_H

#include "connect/common_pages.h"

#include <jansson.h>
#include <stdint.h>

#include "connect/group.h"

struct ctx;

/* The member's posts in groups they have left, on the groups page (group_pages.c): where
 * changing or deleting one of them leads back to. */
#define CONNECT_LEFT_POSTS_URL "/connect/groups#left-posts"

/* Loads group id for the logged-in member. With need_read, a group whose discussions they
 * may not read answers APP_E_NOTFOUND, as one that does not exist: a members-only group
 * shows a non-member nothing but its group page. */
int connect_page_group(struct ctx *c, int64_t id, bool need_read, struct connect_group *g);
/* A group as lists and pages show it (no threads, events or members). */
json_t *connect_page_group_json(struct ctx *c, const struct connect_group *g);
/* An event as lists and pages show it. */
json_t *connect_page_event_json(struct ctx *c, const struct connect_event *e);
/* Appends v to *arr, taking v's reference either way. On failure (v NULL, or no memory)
 * *arr is released and set to NULL, so the model it goes into becomes NULL and render()
 * answers "out of memory"; false then. */
bool connect_page_push(json_t **arr, json_t *v);
/* "3 December 2026 at 2:15pm" in UK time. */
const char *connect_page_time(struct ctx *c, int64_t t);

#endif
