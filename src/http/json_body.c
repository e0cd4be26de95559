/* json_body.c: JSON request bodies with a nesting limit
 *
 * jansson's own depth limit is far above what any of our APIs needs, so the body is scanned
 * first (strings skipped, brackets counted) and rejected before parsing when it nests too
 * deeply. Only objects are accepted at the top level; an empty body is an empty object, as
 * clients that send every request as JSON send an action without fields (a submit) that way.
 */
#include "http/req.h"
#include "core/err.h"

static int too_deep(const char *s, size_t n, size_t max_depth)
{
    size_t depth = 0;
    int in_str = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
            continue;
        }
        if (c == '"')
            in_str = 1;
        else if (c == '{' || c == '[') {
            if (++depth > max_depth)
                return 1;
        } else if ((c == '}' || c == ']') && depth)
            depth--;
    }
    return 0;
}

int json_body_parse(const char *s, size_t n, size_t max_depth, json_t **out, const char **why)
{
    json_error_t err;
    json_t *j;
    *out = NULL;
    *why = NULL;
    if (!utf8_valid(s, n)) {
        *why = "The request body is not valid UTF-8";
        return APP_E_INVALID;
    }
    if (!n) { /* a POST with nothing to say (submit, close, remind) sent as JSON: no fields */
        *out = json_object();
        return *out ? APP_OK : APP_E_NOMEM;
    }
    if (too_deep(s, n, max_depth)) {
        *why = "The JSON body is nested too deeply";
        return APP_E_INVALID;
    }
    j = json_loadb(s, n, JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        *why = "The request body is not valid JSON";
        return APP_E_INVALID;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        *why = "The JSON body must be an object";
        return APP_E_INVALID;
    }
    *out = j;
    return APP_OK;
}
