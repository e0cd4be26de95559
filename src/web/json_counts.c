/* json_counts.c: published counts as numbers in the JSON API and JSON files
 *
 * Page models carry counts as the pages show them, already under the disclosure rule
 * (text/disclosure.h): "1,235", "15", or "*" for 1 to 7 (Listen's report, analysis and
 * actions, Connect's matching shares). Pages print those strings; a program reading the API
 * wants numbers. So, at the JSON edge only, json_published_counts rewrites the members whose
 * names the caller lists: the shown text becomes the number it shows ("1,235" -> 1235), and
 * "*" becomes null with a sibling "<key>_reason" saying why, as Assess and Develop answer. An
 * empty text (a share with too few votes to say) becomes null too. Numbers stay numbers;
 * other members, and any text that is not a published count, are left as they are, so a
 * label that happens to read "15" is safe.
 */
#include "web/json_counts.h"
#include "core/err.h"
#include "text/disclosure.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUPPRESSED_REASON                                                                          \
    "Fewer than " DISCLOSURE_SHOWN_FROM ": not shown, so that nobody can be picked out (it may "   \
    "be 0 or 1 to " DISCLOSURE_HIDDEN_UP_TO ")"

static bool count_key(const char *const *keys, const char *k)
{
    for (size_t i = 0; keys[i]; i++)
        if (!strcmp(k, keys[i]))
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

int json_published_counts(json_t *v, const char *const *keys)
{
    const char *k;
    json_t *x;
    size_t i;
    if (json_is_array(v)) {
        json_array_foreach(v, i, x)
        {
            if (json_published_counts(x, keys))
                return APP_E_NOMEM;
        }
        return APP_OK;
    }
    if (!json_is_object(v))
        return APP_OK;
    /* the keys first: members are replaced and added as we go */
    {
        size_t n = json_object_size(v), j = 0;
        const char **names = n ? malloc(n * sizeof *names) : NULL;
        int rc = APP_OK;
        if (n && !names)
            return APP_E_NOMEM;
        json_object_foreach(v, k, x) names[j++] = k;
        for (j = 0; !rc && j < n; j++) {
            const char *s;
            long long c;
            x = json_object_get(v, names[j]);
            if (!json_is_string(x) || !count_key(keys, names[j])) {
                rc = json_published_counts(x, keys);
                continue;
            }
            s = json_string_value(x);
            if (!strcmp(s, "*")) {
                char reason[64];
                snprintf(reason, sizeof reason, "%s_reason", names[j]);
                if (json_object_set_new(v, reason, json_string(SUPPRESSED_REASON)) ||
                    json_object_set_new(v, names[j], json_null()))
                    rc = APP_E_NOMEM;
            } else if (!*s) {
                rc = json_object_set_new(v, names[j], json_null()) ? APP_E_NOMEM : APP_OK;
            } else if ((c = count_value(s)) >= 0) {
                rc = json_object_set_new(v, names[j], json_integer(c)) ? APP_E_NOMEM : APP_OK;
            }
        }
        free(names);
        return rc;
    }
}
