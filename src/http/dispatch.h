/* dispatch.h: one request from "fully read" to "response ready", independent of the socket */
#ifndef AHP_DISPATCH_H
#define AHP_DISPATCH_H

#include "http/handler.h"

struct app;

/* Fills r's method, path, query and api flag from the request line. The URI is the raw
 * request target ("/api/v1/x?y=1"). Returns APP_E_INVALID for targets that are not a
 * decodable UTF-8 absolute path. */
int req_start(struct req *r, struct arena *a, const char *method, const char *uri);

/* Routes, authenticates, parses and validates the body, checks CSRF and role, calls the
 * handler and turns any error into a page or JSON answer. r must have headers and body set.
 * *route_idx receives the route's index (routes_count when none) for metrics. Never fails:
 * the worst outcome is a 500 response. */
void dispatch(struct app *app, struct req *r, struct resp *out, size_t *route_idx);

/* Headers every answer carries (CSP, nosniff, Referrer-Policy, frame-ancestors, HSTS). */
int dispatch_security_headers(struct ctx *c);

#endif
