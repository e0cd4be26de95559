/* cookie.c: Cookie header parsing
 *
 * Browsers send "name=value; name2=value2". Values may be quoted. Pairs that do not parse
 * are skipped rather than failing the request: a stray cookie from another app on the same
 * host must not lock a user out.
 */
#include "http/req.h"
#include "core/arena.h"
#include "core/err.h"

#include <string.h>

#define MAX_COOKIES 64

int cookie_parse(struct arena *a, const char *h, struct kv **out, size_t *nout)
{
    size_t n = 0;
    struct kv *arr;
    *out = NULL;
    *nout = 0;
    if (!h)
        return APP_OK;
    arr = arena_alloc(a, MAX_COOKIES * sizeof *arr);
    if (!arr)
        return APP_E_NOMEM;
    while (*h && n < MAX_COOKIES) {
        const char *end = strchr(h, ';'), *eq;
        size_t len;
        struct str name, val;
        if (!end)
            end = h + strlen(h);
        len = (size_t)(end - h);
        eq = memchr(h, '=', len);
        if (eq) {
            name = str_trim((struct str){h, (size_t)(eq - h)});
            val = str_trim((struct str){eq + 1, (size_t)(end - eq - 1)});
            if (val.len >= 2 && val.p[0] == '"' && val.p[val.len - 1] == '"') {
                val.p++;
                val.len -= 2;
            }
            if (name.len && utf8_valid(val.p, val.len) && utf8_valid(name.p, name.len)) {
                arr[n].name = str_dup(a, name);
                arr[n].value = str_dup(a, val);
                arr[n].len = val.len;
                if (!arr[n].name || !arr[n].value)
                    return APP_E_NOMEM;
                n++;
            }
        }
        h = *end ? end + 1 : end;
    }
    *out = arr;
    *nout = n;
    return APP_OK;
}
