/* loopback.c: the in-process request path used by tests */
#include "http/loopback.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "http/router.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *dupn(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static int copy_out(struct resp *rs, const char *route, struct lb_response *out)
{
    out->status = rs->status;
    if (rs->static_data) {
        out->body = dupn((const char *)rs->static_data, rs->static_len);
        out->len = rs->static_len;
    } else {
        out->body = dupn(rs->body.data ? rs->body.data : "", rs->body.len);
        out->len = rs->body.len;
    }
    out->headers = calloc(rs->nheaders + 1, sizeof *out->headers);
    out->route = dupn(route, strlen(route));
    if (!out->body || !out->headers || !out->route)
        return APP_E_NOMEM;
    if (rs->content_type) {
        out->headers[out->nheaders].name = dupn("Content-Type", 12);
        out->headers[out->nheaders].value = dupn(rs->content_type, strlen(rs->content_type));
        if (!out->headers[out->nheaders].name || !out->headers[out->nheaders].value)
            return APP_E_NOMEM;
        out->nheaders++;
        /* one extra slot was allocated for it above via rs->nheaders + 1 */
    }
    for (size_t i = 0; i < rs->nheaders; i++) {
        struct lb_header *h = &out->headers[out->nheaders];
        h->name = dupn(rs->headers[i].name, strlen(rs->headers[i].name));
        h->value = dupn(rs->headers[i].value, strlen(rs->headers[i].value));
        if (!h->name || !h->value)
            return APP_E_NOMEM;
        out->nheaders++;
    }
    return APP_OK;
}

int loopback_request(struct app *app, const char *method, const char *uri,
                     const char *const *headers, const char *body, size_t len,
                     struct lb_response *out)
{
    struct arena *a = arena_new();
    struct req r;
    struct resp rs = {0};
    size_t nh = 0, route_idx = routes_count;
    int rc;
    memset(out, 0, sizeof *out);
    if (!a)
        return APP_E_NOMEM;
    buf_init(&rs.body);
    rc = req_start(&r, a, method, uri);
    if (rc == APP_E_NOMEM)
        goto done;
    while (headers && headers[nh])
        nh++;
    r.headers = arena_calloc(a, nh + 1, sizeof *r.headers);
    if (!r.headers) {
        rc = APP_E_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < nh; i++) {
        const char *colon = strchr(headers[i], ':');
        if (!colon)
            continue;
        r.headers[r.nheaders].name = arena_strndup(a, headers[i], (size_t)(colon - headers[i]));
        r.headers[r.nheaders].value = arena_strdup(a, colon + 1 + (colon[1] == ' '));
        if (!r.headers[r.nheaders].name || !r.headers[r.nheaders].value) {
            rc = APP_E_NOMEM;
            goto done;
        }
        r.headers[r.nheaders].len = strlen(r.headers[r.nheaders].value);
        /* Tests say which network client they are with this header; the server never reads
         * it, it uses the socket's address. */
        if (!strcasecmp(r.headers[r.nheaders].name, "X-Loopback-Client"))
            req_set_client(&r, r.headers[r.nheaders].value, r.headers[r.nheaders].len);
        r.nheaders++;
    }
    if (!r.has_client)
        req_set_client(&r, "loopback", 8);
    if (rc == APP_OK) {
        if (len > app->cfg.max_body) {
            r.body_too_big = true;
            len = 0;
        }
        r.body = body ? body : "";
        r.body_len = body ? len : 0;
    } else {
        r.refused = rc;
    }
    app->dispatch(app, &r, &rs, &route_idx);
    rc = copy_out(&rs, route_idx < routes_count ? routes[route_idx].name : "none", out);
    out->nerrors = r.nerrors;
    if (rc)
        lb_response_free(out);
done:
    buf_free(&rs.body);
    arena_free(a);
    return rc;
}

void lb_response_free(struct lb_response *r)
{
    if (!r)
        return;
    free(r->body);
    for (size_t i = 0; i < r->nheaders; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    free(r->headers);
    free(r->route);
    memset(r, 0, sizeof *r);
}

const char *lb_header(const struct lb_response *r, const char *name)
{
    for (size_t i = 0; i < r->nheaders; i++)
        if (!strcasecmp(r->headers[i].name, name))
            return r->headers[i].value;
    return NULL;
}
