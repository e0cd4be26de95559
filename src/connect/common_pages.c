/* common_pages.c: what every Connect page family shares (see common_pages.h) */
#include "connect/common_pages.h"

#include "app.h"
#include "core/err.h"
#include "core/str.h"
#include "web/render.h"

#include <string.h>

int connect_page_errors(struct ctx *c, const struct connect_field_error *errs, size_t n)
{
    int rc = APP_OK;
    for (size_t i = 0; !rc && i < n; i++)
        rc = req_add_error(c->req, errs[i].field, errs[i].message);
    return rc;
}

int64_t connect_page_id(struct ctx *c, const char *name)
{
    const char *p = req_param(c->req, name);
    int64_t v = 0;
    if (!p || !parse_int64((struct str){p, strlen(p)}, &v) || v <= 0)
        return 0;
    return v;
}
