/* req.c: lookups on a parsed request */
#include "http/req.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rand.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define API_PREFIX "/api/v1"

static const char *kv_find(const struct kv *kv, size_t n, const char *name, int nocase)
{
    for (size_t i = 0; i < n; i++)
        if (nocase ? !strcasecmp(kv[i].name, name) : !strcmp(kv[i].name, name))
            return kv[i].value;
    return NULL;
}

const char *req_header(const struct req *r, const char *name)
{
    return kv_find(r->headers, r->nheaders, name, 1);
}

const char *req_cookie(const struct req *r, const char *name)
{
    return kv_find(r->cookies, r->ncookies, name, 0);
}

const char *req_param(const struct req *r, const char *name)
{
    return kv_find(r->params, r->nparams, name, 0);
}

const char *req_field(const struct req *r, const char *name)
{
    return kv_find(r->fields, r->nfields, name, 0);
}

const char *req_typed(const struct req *r, const char *name)
{
    const char *v = req_field(r, name);
    return v ? v : kv_find(r->typed, r->ntyped, name, 0);
}

int64_t req_field_int(const struct req *r, const char *name, int64_t def)
{
    const char *v = req_field(r, name);
    int64_t x;
    if (!v || !parse_int64(str_from(v), &x))
        return def;
    return x;
}

bool req_field_bool(const struct req *r, const char *name)
{
    const char *v = req_field(r, name);
    return v && !strcmp(v, "1");
}

int req_add_error(struct req *r, const char *field, const char *message)
{
    struct field_error *e;
    for (size_t i = 0; i < r->nerrors; i++)
        if (!strcmp(r->errors[i].field, field))
            return APP_OK; /* the first problem with a field is the one to show */
    e = arena_alloc(r->arena, (r->nerrors + 1) * sizeof *e);
    if (!e)
        return APP_E_NOMEM;
    if (r->nerrors)
        memcpy(e, r->errors, r->nerrors * sizeof *e);
    e[r->nerrors].field = arena_strdup(r->arena, field);
    e[r->nerrors].message = arena_strdup(r->arena, message);
    if (!e[r->nerrors].field || !e[r->nerrors].message)
        return APP_E_NOMEM;
    r->errors = e;
    r->nerrors++;
    return APP_OK;
}

int req_replace_error(struct req *r, const char *field, const char *message)
{
    for (size_t i = 0; i < r->nerrors; i++)
        if (!strcmp(r->errors[i].field, field)) {
            const char *m = arena_strdup(r->arena, message);
            if (!m)
                return APP_E_NOMEM;
            r->errors[i].message = m;
            return APP_OK;
        }
    return req_add_error(r, field, message);
}

const char *req_error(const struct req *r, const char *field)
{
    for (size_t i = 0; i < r->nerrors; i++)
        if (!strcmp(r->errors[i].field, field))
            return r->errors[i].message;
    return NULL;
}

/* One member for req_refuse_members: refused under name when check says so. */
static int refuse_member(struct req *r, const char *name, size_t pl,
                         int (*check)(void *ctx, struct arena *a, const char *rest,
                                      const char **why),
                         void *ctx)
{
    const char *why = NULL;
    int rc = check(ctx, r->arena, name + pl, &why);
    if (rc || !why)
        return rc;
    return req_add_error(r, name, why);
}

int req_refuse_members(struct req *r, const char *prefix, enum req_members which,
                       int (*check)(void *ctx, struct arena *a, const char *rest, const char **why),
                       void *ctx)
{
    size_t pl = strlen(prefix);
    int rc = APP_OK;
    if (which == REQ_BODY_MEMBERS) {
        const char *key;
        json_t *v;
        if (!r->json)
            return APP_OK;
        json_object_foreach(r->json, key, v)
        {
            (void)v;
            if (!strncmp(key, prefix, pl) && (rc = refuse_member(r, key, pl, check, ctx)))
                return rc;
        }
        return APP_OK;
    }
    for (size_t i = 0; i < r->nfields; i++)
        if (!strncmp(r->fields[i].name, prefix, pl) &&
            (rc = refuse_member(r, r->fields[i].name, pl, check, ctx)))
            return rc;
    return APP_OK;
}

static unsigned char client_secret[32];
static pthread_once_t client_once = PTHREAD_ONCE_INIT;

static void client_secret_init(void)
{
    if (rand_bytes(client_secret, sizeof client_secret) != APP_OK)
        abort(); /* without randomness the hashes would be guessable: refuse to run */
}

void req_set_client(struct req *r, const char *addr, size_t n)
{
    char text[INET6_ADDRSTRLEN];
    struct in6_addr a6;
    pthread_once(&client_once, client_secret_init);
    /* An IPv6 client holds a whole /64 (2^64 addresses): keyed by its full address, it would
     * get a fresh limit with every address it picks, so it is keyed by its /64. */
    if (n < sizeof text) {
        memcpy(text, addr, n);
        text[n] = '\0';
        /* (an IPv4 client seen through an IPv6 socket, ::ffff:a.b.c.d, keeps its address) */
        if (inet_pton(AF_INET6, text, &a6) == 1 && !IN6_IS_ADDR_V4MAPPED(&a6)) {
            memset(a6.s6_addr + 8, 0, 8);
            addr = (const char *)a6.s6_addr;
            n = sizeof a6.s6_addr;
        }
    }
    crypto_generichash(r->client_key, sizeof r->client_key, (const unsigned char *)addr, n,
                       client_secret, sizeof client_secret);
    r->has_client = true;
}

int req_start(struct req *r, struct arena *a, const char *method, const char *uri)
{
    static const char *const names[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"};
    const char *q = strchr(uri, '?');
    size_t plen = q ? (size_t)(q - uri) : strlen(uri), dlen;
    char *path;
    memset(r, 0, sizeof *r);
    r->arena = a;
    r->method = M_OTHER;
    for (int i = 0; i < 6; i++)
        if (!strcmp(method, names[i]))
            r->method = (enum http_method)i;
    r->method_name = arena_strdup(a, method);
    r->query = arena_strdup(a, q ? q + 1 : "");
    r->raw_path = arena_strndup(a, uri, plen);
    path = arena_alloc(a, plen + 1);
    if (!r->method_name || !r->query || !r->raw_path || !path)
        return APP_E_NOMEM;
    if (plen == 0 || uri[0] != '/')
        return APP_E_INVALID;
    dlen = url_decode(uri, plen, path, false);
    if (dlen == (size_t)-1 || !utf8_valid(path, dlen))
        return APP_E_INVALID;
    path[dlen] = '\0';
    if (strstr(path, "/../") || (dlen >= 3 && !strcmp(path + dlen - 3, "/..")))
        return APP_E_INVALID;
    r->path = path;
    if (!strncmp(path, API_PREFIX, strlen(API_PREFIX)) &&
        (path[strlen(API_PREFIX)] == '/' || path[strlen(API_PREFIX)] == '\0')) {
        r->api = true;
        r->path = path[strlen(API_PREFIX)] ? path + strlen(API_PREFIX) : "/";
    }
    return APP_OK;
}
