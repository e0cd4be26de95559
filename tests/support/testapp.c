/* testapp.c: the in-process app and cookie-jar client used by HTTP tests */
#include "testapp.h"
#include "account/account.h"
#include "core/err.h"
#include "core/log.h"
#include "store/db.h"
#include "web/csrf.h"
#include "web/password.h"
#include "web/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <strings.h>
#include <unistd.h>

static char db_url[512];

const char *testapp_db_url(void)
{
    return db_url;
}

/* Empties the database so every binary starts from migrations. */
static void reset_db(const char *url)
{
    struct db *db;
    if (strncmp(url, "postgres", 8) != 0)
        return;
    if (db_open(url, &db)) {
        fprintf(stderr, "testapp: cannot open %s\n", url);
        exit(1);
    }
    if (db_exec(db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public;")) {
        fprintf(stderr, "testapp: cannot reset schema: %s\n", db_errmsg(db));
        exit(1);
    }
    db_close(db);
}

struct app *testapp_new(void)
{
    struct app_config cfg;
    struct app *app = calloc(1, sizeof *app);
    const char *env = getenv("AHPHUB_TEST_DB");
    if (!app)
        exit(1);
    if (env && *env) {
        snprintf(db_url, sizeof db_url, "%s", env);
    } else {
        char tmpl[] = "/tmp/ahphub-test-XXXXXX";
        if (!mkdtemp(tmpl)) {
            perror("mkdtemp");
            exit(1);
        }
        snprintf(db_url, sizeof db_url, "sqlite:%s/test.db", tmpl);
    }
    reset_db(db_url);
    if (!getenv("AHPHUB_TEST_VERBOSE"))
        log_set_level(LOG_WARN);
    password_use_test_cost();
    app_config_defaults(&cfg);
    cfg.db_url = db_url;
    cfg.threads = 3;
    cfg.max_body = 64 * 1024;
    cfg.dev_dir = NULL;
    if (app_init(app, &cfg)) {
        fprintf(stderr, "testapp: app_init failed on %s\n", db_url);
        exit(1);
    }
    return app;
}

void testapp_free(struct app *app)
{
    if (!app)
        return;
    app_free(app);
    free(app);
}

void tc_init(struct test_client *tc, struct app *app)
{
    memset(tc, 0, sizeof *tc);
    tc->app = app;
}

void tc_reset(struct test_client *tc)
{
    tc->njar = 0;
}

void tc_free(struct test_client *tc)
{
    lb_response_free(&tc->res);
}

const char *tc_cookie(const struct test_client *tc, const char *name)
{
    for (int i = 0; i < tc->njar; i++)
        if (!strcmp(tc->jar[i].name, name))
            return tc->jar[i].value;
    return NULL;
}

/* RFC 6265 path-match: the cookie's path is the request's, or a prefix of it ending at '/'. */
static bool path_matches(const char *cookie_path, const char *uri)
{
    size_t n = strlen(cookie_path);
    if (strncmp(cookie_path, uri, n) != 0)
        return false;
    return cookie_path[n - 1] == '/' || uri[n] == '\0' || uri[n] == '/' || uri[n] == '?';
}

static void jar_set(struct test_client *tc, const char *sc)
{
    char name[64], value[256], path[160] = "/";
    const char *eq = strchr(sc, '='), *semi, *p;
    size_t nl, vl;
    int i, del;
    if (!eq)
        return;
    semi = strchr(eq, ';');
    nl = (size_t)(eq - sc);
    vl = semi ? (size_t)(semi - eq - 1) : strlen(eq + 1);
    if (nl >= sizeof name || vl >= sizeof value)
        return;
    memcpy(name, sc, nl);
    name[nl] = '\0';
    memcpy(value, eq + 1, vl);
    value[vl] = '\0';
    if ((p = strstr(sc, "; Path=")) != NULL) {
        size_t pl = strcspn(p + 7, ";");
        if (pl && pl < sizeof path) {
            memcpy(path, p + 7, pl);
            path[pl] = '\0';
        }
    }
    del = strstr(sc, "Max-Age=0") != NULL || vl == 0;
    for (i = 0; i < tc->njar && (strcmp(tc->jar[i].name, name) || strcmp(tc->jar[i].path, path));
         i++)
        ;
    if (del) {
        if (i < tc->njar)
            tc->jar[i] = tc->jar[--tc->njar];
        return;
    }
    if (i == tc->njar) {
        if (tc->njar == JAR_MAX)
            return;
        tc->njar++;
    }
    snprintf(tc->jar[i].name, sizeof tc->jar[i].name, "%s", name);
    snprintf(tc->jar[i].value, sizeof tc->jar[i].value, "%s", value);
    snprintf(tc->jar[i].path, sizeof tc->jar[i].path, "%s", path);
}

int tc_request(struct test_client *tc, const char *method, const char *uri,
               const char *const *headers, const char *body, size_t len)
{
    const char *hs[16];
    char cookie[4096];
    size_t n = 0, off = 0;
    lb_response_free(&tc->res);
    for (int i = 0, sent = 0; i < tc->njar; i++) {
        if (!path_matches(tc->jar[i].path, uri))
            continue;
        if (!sent++)
            off = (size_t)snprintf(cookie, sizeof cookie, "Cookie: ");
        off += (size_t)snprintf(cookie + off, sizeof cookie - off, "%s%s=%s", sent > 1 ? "; " : "",
                                tc->jar[i].name, tc->jar[i].value);
    }
    if (off)
        hs[n++] = cookie;
    while (headers && *headers && n < 15)
        hs[n++] = *headers++;
    hs[n] = NULL;
    if (loopback_request(tc->app, method, uri, hs, body, len, &tc->res)) {
        fprintf(stderr, "tc_request: loopback failed\n");
        return -1;
    }
    /* A write whose fields were refused must change nothing: its answer is the form again
     * with the errors (400), or a refusal. Answering success means the handler went ahead
     * without the refused value, as if it had been left blank. */
    if (strcmp(method, "GET") && strcmp(method, "HEAD") && tc->res.nerrors &&
        tc->res.status < 400) {
        fprintf(stderr, "tc_request: %s %s (route %s) answered %d with %zu field errors\n",
                method, uri, tc->res.route, tc->res.status, tc->res.nerrors);
        if (!tc->count_acted_on_refused)
            abort();
        tc->acted_on_refused++;
    }
    /* Clear-Site-Data: "cookies" empties the jar, before this response's own Set-Cookie. */
    for (size_t i = 0; i < tc->res.nheaders; i++)
        if (!strcasecmp(tc->res.headers[i].name, "Clear-Site-Data") &&
            strstr(tc->res.headers[i].value, "\"cookies\""))
            tc->njar = 0;
    for (size_t i = 0; i < tc->res.nheaders; i++)
        if (!strcasecmp(tc->res.headers[i].name, "Set-Cookie"))
            jar_set(tc, tc->res.headers[i].value);
    return tc->res.status;
}

int tc_get(struct test_client *tc, const char *uri)
{
    return tc_request(tc, "GET", uri, NULL, NULL, 0);
}

int tc_get_json(struct test_client *tc, const char *uri)
{
    const char *h[] = {"Accept: application/json", NULL};
    return tc_request(tc, "GET", uri, h, NULL, 0);
}

const char *tc_csrf(struct test_client *tc)
{
    const char *session = tc_cookie(tc, SESSION_COOKIE), *pre = tc_cookie(tc, CSRF_COOKIE);
    tc->csrf[0] = '\0';
    if (session || pre)
        csrf_token_for(tc->app, session, pre, tc->csrf);
    return tc->csrf;
}

int tc_post_form(struct test_client *tc, const char *uri, const char *form, int with_csrf)
{
    const char *h[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    const char *csrf = tc_csrf(tc);
    size_t cap = strlen(form) + 300;
    char *body = malloc(cap);
    int status;
    if (!body)
        return -1;
    if (with_csrf && *csrf)
        snprintf(body, cap, "%s%scsrf_token=%s", form, *form ? "&" : "", csrf);
    else
        snprintf(body, cap, "%s", form);
    status = tc_request(tc, "POST", uri, h, body, strlen(body));
    free(body);
    return status;
}

int tc_post_json(struct test_client *tc, const char *uri, const char *json)
{
    const char *h[] = {"Content-Type: application/json", NULL};
    return tc_request(tc, "POST", uri, h, json, strlen(json));
}

int tc_body_has(const struct test_client *tc, const char *s)
{
    return tc->res.body && strstr(tc->res.body, s) != NULL;
}

int64_t testapp_user(struct app *app, const char *email, const char *role, const char *password)
{
    struct db *db = db_pool_get(app->pool);
    struct user u = {0};
    int64_t id = 0;
    int rc;
    u.email = email;
    u.display_name = email;
    u.role = role_parse(role);
    rc = account_user_create(db, &u, password, strlen(password), &id);
    db_pool_put(app->pool, db);
    if (rc) {
        fprintf(stderr, "testapp_user %s: %s\n", email, app_err_name(rc));
        exit(1);
    }
    return id;
}

void testapp_demo_organisations(struct app *app)
{
    struct db *db = db_pool_get(app->pool);
    int rc = APP_OK;
    for (int i = 0; i < 6 && !rc; i++) {
        char sql[200];
        snprintf(sql, sizeof sql,
                 "INSERT INTO organisations (name, region, ods_code, created_at) VALUES "
                 "('Demo trust %d', '%s', 'DEMO%d', 0)",
                 i, i % 2 ? "london" : "north-west", i);
        rc = db_exec(db, sql);
    }
    db_pool_put(app->pool, db);
    if (rc) {
        fprintf(stderr, "testapp_demo_organisations: %s\n", app_err_name(rc));
        exit(1);
    }
}

int tc_login(struct test_client *tc, const char *email, const char *password)
{
    char form[512];
    tc_get(tc, "/login");
    snprintf(form, sizeof form, "email=%s&password=%s", email, password);
    return tc_post_form(tc, "/login", form, 1);
}

int testapp_tidy(const char *html, size_t len, const char *what)
{
    char path[] = "/tmp/ahphub-tidy-XXXXXX", cmd[256];
    int fd = mkstemp(path), rc;
    FILE *f;
    if (fd < 0)
        return 3;
    f = fdopen(fd, "w");
    fwrite(html, 1, len, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "tidy -q -e --show-warnings no %s >/tmp/ahphub-tidy.out 2>&1",
             path);
    rc = system(cmd);
    rc = WIFEXITED(rc) ? WEXITSTATUS(rc) : 3;
    if (rc >= 2) {
        fprintf(stderr, "tidy errors on %s:\n", what);
        system("cat /tmp/ahphub-tidy.out >&2");
    }
    unlink(path);
    return rc;
}

int64_t testapp_int(struct app *app, const char *sql, const char *arg)
{
    struct db *db = db_pool_get(app->pool);
    struct db_stmt *st = NULL;
    int64_t n = -1;
    if ((arg ? db_row(db, sql, &st, "t", arg) : db_row(db, sql, &st, "")) == 0)
        n = db_col_int(st, 0);
    db_finalize(st);
    db_pool_put(app->pool, db);
    return n;
}
