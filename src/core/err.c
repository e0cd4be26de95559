/* err.c: names for the error codes; the HTTP mapping lives in http/resp.c */
#include "err.h"

static const char *const names[APP_E_COUNT] = {
    [APP_OK] = "ok",
    [APP_E_NOMEM] = "out_of_memory",
    [APP_E_INVALID] = "invalid",
    [APP_E_NOTFOUND] = "not_found",
    [APP_E_FORBIDDEN] = "forbidden",
    [APP_E_UNAUTH] = "unauthorised",
    [APP_E_CONFLICT] = "conflict",
    [APP_E_DB] = "database",
    [APP_E_IO] = "io",
    [APP_E_TOOBIG] = "too_large",
    [APP_E_LIMIT] = "rate_limited",
    [APP_E_CSRF] = "csrf",
    [APP_E_METHOD] = "method_not_allowed",
    [APP_E_INTERNAL] = "internal",
    [APP_E_CLOSED] = "closed",
};

const char *app_err_name(int err)
{
    if (err < 0 || err >= APP_E_COUNT)
        return "internal";
    return names[err];
}
