/* router.h: matching a method and path against the route table */
#ifndef AHP_ROUTER_H
#define AHP_ROUTER_H

#include "http/handler.h"

enum router_result { ROUTER_FOUND, ROUTER_NOT_FOUND, ROUTER_BAD_METHOD };

/* Finds the route for method and path (without query, already decoded, "/api/v1" stripped).
 * On ROUTER_FOUND, *out is the route and its named segments are stored in r->params (arena).
 * HEAD matches GET routes. On ROUTER_BAD_METHOD, *allow is set to an "GET, POST" list. */
enum router_result router_match(struct req *r, enum http_method method, const char *path,
                                const struct route **out, const char **allow);
/* The index of a route in the table (for metrics arrays). */
size_t router_index(const struct route *rt);

#endif
