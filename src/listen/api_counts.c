/* api_counts.c: published counts as numbers in the JSON API and JSON files
 *
 * Listen's report, analysis and actions models carry counts as the pages show them, already
 * under the disclosure rule (text/disclosure.h): "1,235", "15", or "*" for 1 to 7. Pages print
 * those strings; a program reading the API wants numbers. So, at the JSON edge only,
 * listen_api_counts rewrites the members named in COUNT_KEYS: a number stays a number, the
 * shown text becomes the number it shows ("1,235" -> 1235), and "*" becomes null with a
 * sibling "<key>_reason" saying why, as Assess and Develop answer. An empty text (a share
 * with too few votes to say) becomes null too. Other members, and any text that is not a
 * published count, are left as they are, so a label that happens to read "15" is safe:
 * only the named members are touched.
 */
#include "listen/analysis.h"
#include "core/err.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const COUNT_KEYS[] = {
    "size",    "votes",   "contributions", "participants", "agree_percent",
    "citizen", "ahp",     "staff",         "not_said",     "total",
};

#define SUPPRESSED_REASON                                                                          \
    "Fewer than 8: not shown, so that nobody can be picked out (it may be 0 or 1 to 7)"

static bool count_key(const char *k)
{
    for (size_t i = 0; i < sizeof COUNT_KEYS / sizeof COUNT_KEYS[0]; i++)
        if (!strcmp(k, COUNT_KEYS[i]))
            return true;
    return false;
}

/* The number a published count text shows ("1,235"), or -1 when it is not one. */
static long long count_value(const char *s)
{
    long long v = 0;
    size_t digits = 0, since_comma = 0;
    bool comma = false;
    if (!*s)
        return -1;
    for (const char *p = s; *p; p++) {
        if (*p == ',') {
            if (!digits || (comma && since_comma != 3) || (!comma && since_comma > 3))
                return -1;
            comma = true;
            since_comma = 0;
            continue;
        }
        if (*p < '0' || *p > '9' || v > 100000000000000LL)
            return -1;
        v = v * 10 + (*p - '0');
        digits++;
        since_comma++;
    }
    return comma && since_comma != 3 ? -1 : v;
}

int listen_api_counts(json_t *v)
{
    const char *k;
    json_t *x;
    size_t i;
    if (json_is_array(v)) {
        json_array_foreach(v, i, x)
        {
            if (listen_api_counts(x))
                return APP_E_NOMEM;
        }
        return APP_OK;
    }
    if (!json_is_object(v))
        return APP_OK;
    /* the keys first: members are replaced and added as we go */
    {
        size_t n = json_object_size(v), j = 0;
        const char **keys = n ? malloc(n * sizeof *keys) : NULL;
        int rc = APP_OK;
        if (n && !keys)
            return APP_E_NOMEM;
        json_object_foreach(v, k, x) keys[j++] = k;
        for (j = 0; !rc && j < n; j++) {
            const char *s;
            long long c;
            x = json_object_get(v, keys[j]);
            if (!json_is_string(x) || !count_key(keys[j])) {
                rc = listen_api_counts(x);
                continue;
            }
            s = json_string_value(x);
            if (!strcmp(s, "*")) {
                char reason[64];
                snprintf(reason, sizeof reason, "%s_reason", keys[j]);
                if (json_object_set_new(v, reason, json_string(SUPPRESSED_REASON)) ||
                    json_object_set_new(v, keys[j], json_null()))
                    rc = APP_E_NOMEM;
            } else if (!*s) {
                rc = json_object_set_new(v, keys[j], json_null()) ? APP_E_NOMEM : APP_OK;
            } else if ((c = count_value(s)) >= 0) {
                rc = json_object_set_new(v, keys[j], json_integer(c)) ? APP_E_NOMEM : APP_OK;
            }
        }
        free(keys);
        return rc;
    }
}
