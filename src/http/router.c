/* router.c: the route table built from routes.def, and path matching
 *
 * routes.def is included twice: once to emit each FIELDS() list as a static array, once to
 * emit the table. Matching walks the table in order and compares segment by segment; with a
 * few dozen routes this is faster than any index would be worth.
 */
#include "http/router.h"
#include "core/arena.h"
#include "core/err.h"

#include <string.h>

#define NO_FIELDS NULL
#define ROUTE(name, method, pattern, handler, flags, fields)
#define FIELDS(name, ...) static const struct field_spec name[] = {__VA_ARGS__, {0}};
#include "http/routes.def"
#undef ROUTE
#undef FIELDS

#define FIELDS(name, ...)
#define ROUTE(name, method, pattern, handler, flags, fields)                                      \
    {#name, method, pattern, handler, flags, fields},
const struct route routes[] = {
#include "http/routes.def"
};
#undef ROUTE
#undef FIELDS
const size_t routes_count = sizeof routes / sizeof routes[0];

size_t router_index(const struct route *rt)
{
    return (size_t)(rt - routes);
}

/* A named segment found while matching: slices of the pattern and of the path. */
struct seg {
    const char *name, *value;
    size_t nlen, vlen;
};

#define MAX_SEGS 8

/* Matches one pattern against path; records named segments on success. */
static bool match(const char *pat, const char *path, struct seg *segs, size_t *nseg)
{
    *nseg = 0;
    while (*pat && *path) {
        if (*pat != '/' || *path != '/')
            return false;
        pat++;
        path++;
        if (*pat == ':' || *pat == '*') {
            bool rest = *pat == '*';
            const char *pe = strchr(pat + 1, '/');
            const char *ve = rest ? NULL : strchr(path, '/');
            struct seg *sg = &segs[*nseg];
            if (*nseg == MAX_SEGS)
                return false;
            sg->name = pat + 1;
            sg->nlen = pe ? (size_t)(pe - sg->name) : strlen(sg->name);
            sg->value = path;
            sg->vlen = ve ? (size_t)(ve - path) : strlen(path);
            if (sg->vlen == 0)
                return false;
            (*nseg)++;
            pat = sg->name + sg->nlen;
            path += sg->vlen;
        } else {
            while (*pat && *pat != '/') {
                if (*pat != *path)
                    return false;
                pat++;
                path++;
            }
            if (*path && *path != '/')
                return false;
        }
    }
    return *pat == '\0' && *path == '\0';
}

enum router_result router_match(struct req *r, enum http_method method, const char *path,
                                const struct route **out, const char **allow)
{
    struct seg segs[MAX_SEGS];
    size_t np;
    bool path_found = false;
    char allowed[64] = "";
    enum http_method m = method == M_HEAD ? M_GET : method;
    static const char *const names[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "?"};
    *out = NULL;
    *allow = NULL;
    for (size_t i = 0; i < routes_count; i++) {
        if (!match(routes[i].pattern, path, segs, &np))
            continue;
        if (routes[i].method != m) {
            if (!strstr(allowed, names[routes[i].method])) {
                size_t l = strlen(allowed);
                snprintf(allowed + l, sizeof allowed - l, "%s%s", l ? ", " : "",
                         names[routes[i].method]);
            }
            path_found = true;
            continue;
        }
        r->params = np ? arena_alloc(r->arena, np * sizeof *r->params) : NULL;
        if (np && !r->params)
            return ROUTER_NOT_FOUND;
        for (size_t k = 0; k < np; k++) {
            r->params[k].name = arena_strndup(r->arena, segs[k].name, segs[k].nlen);
            r->params[k].value = arena_strndup(r->arena, segs[k].value, segs[k].vlen);
            r->params[k].len = segs[k].vlen;
            if (!r->params[k].name || !r->params[k].value)
                return ROUTER_NOT_FOUND;
        }
        r->nparams = np;
        *out = &routes[i];
        return ROUTER_FOUND;
    }
    if (path_found) {
        *allow = arena_strdup(r->arena, allowed);
        return ROUTER_BAD_METHOD;
    }
    return ROUTER_NOT_FOUND;
}
