/* loopback.h: run a request through the whole pipeline in process, without a socket
 *
 * Tests use it to drive every route exactly as the server would (same dispatch, same
 * parsing, same security headers) with no port and no threads.
 */
#ifndef AHP_LOOPBACK_H
#define AHP_LOOPBACK_H

#include <stddef.h>

struct app;

struct lb_header {
    char *name, *value;
};

struct lb_response {
    int status;
    char *body; /* malloc'd, NUL-terminated */
    size_t len;
    struct lb_header *headers; /* malloc'd */
    size_t nheaders;
    char *route; /* the matched route's name, or "none" */
    /* Field errors the request ended with (the request layer's and the handler's): a write
     * that has any must not have been carried out, so tests check it answered 400 or more. */
    size_t nerrors;
};

/* Sends method uri with the given headers ("Name: value" strings, NULL-terminated list, may
 * be NULL) and body (may be NULL). max_body from the app's config applies as in the server.
 * Returns 0 and fills *out (free with lb_response_free), or APP_E_NOMEM. */
int loopback_request(struct app *app, const char *method, const char *uri,
                     const char *const *headers, const char *body, size_t len,
                     struct lb_response *out);
void lb_response_free(struct lb_response *r);
/* First response header with that name (case-insensitive), or NULL. */
const char *lb_header(const struct lb_response *r, const char *name);

#endif
