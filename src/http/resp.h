/* resp.h: the response a handler builds; server.c or loopback.c sends it
 *
 * Bodies are malloc-backed (struct buf) and handed to libmicrohttpd without a copy;
 * embedded static files are referenced in place. Headers live in the request arena.
 */
#ifndef AHP_RESP_H
#define AHP_RESP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

struct ctx;
struct kv;

struct resp {
    int status;          /* 0 until something set it */
    struct buf body;
    const char *content_type;
    const unsigned char *static_data; /* instead of body, for embedded files */
    size_t static_len;
    struct kv *headers;
    size_t nheaders, cap;
    const char *error_code; /* set for error answers, for the access log */
};

/* Adds a response header (values copied into the arena). */
int resp_header(struct ctx *c, const char *name, const char *value);
/* Sets a cookie: HttpOnly, SameSite=Lax, Path=/, Secure when behind TLS. max_age < 0 means
 * a session cookie, 0 deletes it. */
int resp_cookie(struct ctx *c, const char *name, const char *value, long max_age);
/* The same, scoped to a path ("/listen/abc"), so the browser sends it only there. */
int resp_cookie_path(struct ctx *c, const char *name, const char *value, long max_age,
                     const char *path);
/* 303 See Other to a local path. Only paths starting with a single '/' are accepted, so
 * a ?next= parameter can never send someone off-site. */
int resp_redirect(struct ctx *c, const char *location);
/* A body of the given type, copied. */
int resp_bytes(struct ctx *c, int status, const char *content_type, const char *data, size_t n);

/* The HTTP status an error code is answered with (400, 403, 404, …). */
int http_status_for(int err);
/* The sentence shown to users for an error code (never internal details). */
const char *http_message_for(int err);
/* True when s is a safe local redirect target ("/x", not "//x" nor "/\x"). */
bool resp_local_path(const char *s);

#endif
