/* err.h: the error codes every fallible function returns (0 is success) */
#ifndef AHP_ERR_H
#define AHP_ERR_H

enum app_err {
    APP_OK = 0,
    APP_E_NOMEM,     /* allocation failed */
    APP_E_INVALID,   /* the input is wrong; the caller can say which field */
    APP_E_NOTFOUND,  /* no such thing, or not visible to this caller */
    APP_E_FORBIDDEN, /* known but not allowed */
    APP_E_UNAUTH,    /* needs a login or a token */
    APP_E_CONFLICT,  /* already exists, or changed underneath */
    APP_E_DB,        /* the database failed; details are logged, never shown */
    APP_E_IO,        /* a file or socket failed */
    APP_E_TOOBIG,    /* over a size limit */
    APP_E_LIMIT,     /* rate limit reached */
    APP_E_CSRF,      /* missing or wrong CSRF token */
    APP_E_METHOD,    /* the path exists but not for this method */
    APP_E_INTERNAL,  /* a bug: an invariant did not hold */
    APP_E_CLOSED,    /* not taking this now (closed, or not open yet): nothing was done */
    APP_E_COUNT
};

/* The stable short name of an error ("invalid", "not_found", …), used as the API error code.
 * Returns a static string; never NULL. */
const char *app_err_name(int err);

#endif
