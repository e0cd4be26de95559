/* dispatch.h: one request from "fully read" to "response ready", independent of the socket */
#ifndef AHP_DISPATCH_H
#define AHP_DISPATCH_H

#include "http/handler.h"

struct app;

/* Routes, authenticates, parses and validates the body, checks CSRF and role, calls the
 * handler and turns any error into a page or JSON answer. r must have headers and body set;
 * when r->refused is set, only that error is answered (r->path may then be NULL).
 * *route_idx receives the route's index (routes_count when none) for metrics. Never fails:
 * the worst outcome is a 500 response. */
void dispatch(struct app *app, struct req *r, struct resp *out, size_t *route_idx);

#endif
