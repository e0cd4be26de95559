/* json_counts.h: published counts (text under the disclosure rule) as numbers at the JSON edge
 * (json_counts.c) */
#ifndef AHP_WEB_JSON_COUNTS_H
#define AHP_WEB_JSON_COUNTS_H

#include <jansson.h>

/* In v (recursively), the string members named in keys (a NULL-terminated list) that are
 * published counts become numbers ("1,235" -> 1235); "*" becomes null with "<key>_reason";
 * "" becomes null. Anything else is left as it is. 0 or APP_E_NOMEM. */
int json_published_counts(json_t *v, const char *const *keys);

#endif
