/* testapp.h: an in-process ahphub for HTTP tests — the app, a browser-like cookie jar, and
 * helpers that send requests through the loopback exactly as the server would
 *
 * The database comes from AHPHUB_TEST_DB (a URL; tests/run.sh sets it to SQLite and then
 * to a throw-away PostgreSQL), or a fresh SQLite file in a temporary directory. The database
 * is emptied first, so each test binary starts from a clean schema.
 */
#ifndef AHP_TESTAPP_H
#define AHP_TESTAPP_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "http/loopback.h"

#define JAR_MAX 16

struct test_client {
    struct app *app;
    struct {
        char name[64];
        char value[256];
        char path[160]; /* sent only to this path and below, as a browser does; emptied by
                         * Clear-Site-Data: "cookies" */
    } jar[JAR_MAX];
    int njar;
    struct lb_response res; /* the last response; freed by the next request */
    char csrf[72];          /* tc_csrf()'s answer */
    /* A write with field errors that answers below 400 aborts the test binary (tc_request),
     * unless this is set: then it is counted in acted_on_refused and the caller reports it. */
    int count_acted_on_refused;
    int acted_on_refused;
};

/* Builds the app on a fresh database (2 threads' worth of connections). Exits on failure. */
struct app *testapp_new(void);
void testapp_free(struct app *app);
/* The URL the app was opened with (for opening a second connection). */
const char *testapp_db_url(void);

void tc_init(struct test_client *tc, struct app *app);
void tc_reset(struct test_client *tc); /* forget cookies (a new browser) */
void tc_free(struct test_client *tc);
/* A request with the jar's cookies; extra headers NULL-terminated. Returns the status. */
int tc_request(struct test_client *tc, const char *method, const char *uri,
               const char *const *headers, const char *body, size_t len);
int tc_get(struct test_client *tc, const char *uri);
int tc_get_json(struct test_client *tc, const char *uri);
/* The CSRF token this browser's forms carry (for its session, else its pre-session cookie),
 * as the page would show it; "" when the jar has neither cookie. Valid until the next call. */
const char *tc_csrf(struct test_client *tc);
/* POSTs an urlencoded form, adding csrf_token=tc_csrf() unless with_csrf is 0. */
int tc_post_form(struct test_client *tc, const char *uri, const char *form, int with_csrf);
/* POSTs JSON to uri (which should be under /api/v1). */
int tc_post_json(struct test_client *tc, const char *uri, const char *json);
const char *tc_cookie(const struct test_client *tc, const char *name);
/* True when the last body contains s. */
int tc_body_has(const struct test_client *tc, const char *s);

/* The integer the query's first row starts with, $1 bound to arg (a text) unless arg is
 * NULL; -1 when there is no row or the query fails. On one of the app's connections. */
int64_t testapp_int(struct app *app, const char *sql, const char *arg);

/* Creates a user directly (bypassing HTTP) and returns its id. Exits on failure. */
int64_t testapp_user(struct app *app, const char *email, const char *role, const char *password);
/* Creates the demonstration organisations account_demo() makes (six trusts in two regions),
 * which a module's demo cohort draws on, for a test of that demo without the whole of
 * `ahphub demo`. Exits on failure. */
void testapp_demo_organisations(struct app *app);
/* Logs tc in through the login form; returns the status of the POST (303 on success). */
int tc_login(struct test_client *tc, const char *email, const char *password);

/* Runs tidy over an HTML page: 0 clean, 1 warnings only, 2 or more errors (printed to stderr
 * with `what` naming the page). */
int testapp_tidy(const char *html, size_t len, const char *what);

#endif
