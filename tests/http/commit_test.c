/* commit_test.c: what a participant sees when the disk will not take a commit
 *
 * SQLite commits a statement that runs outside a transaction when the statement ends. An
 * INSERT … RETURNING id ended in a reset whose result nobody read, so with the disk full the
 * new participant's id came back although the row was never stored: the browser got a cookie
 * for nobody, the vote failed as "already done" (409), and the id went to the next new
 * participant, under whom a vote still in flight then landed. tests/support/faultvfs.c makes
 * every write to the WAL fail, which is how a full disk or a read-only WAL file shows up.
 * SQLite only (the fault is in SQLite's file layer); on PostgreSQL the tests are skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "listen/listen.h"
#include "store/db.h"
#include "support/faultvfs.h"
#include "support/testapp.h"

static struct app *app;
static struct test_client fac;
static const char *PW = "correct horse battery";
static char slug[32];
static int64_t exercise_id, contribution_id;

static int64_t count(const char *sql)
{
    return testapp_int(app, sql, slug);
}

static int64_t db_errors_total(void)
{
    struct test_client tc;
    const char *p;
    int64_t n = -1;
    tc_init(&tc, app);
    if (tc_get(&tc, "/metrics") == 200 && (p = strstr(tc.res.body, "\nahphub_db_errors_total ")))
        n = atoll(p + 24);
    tc_free(&tc);
    return n;
}

static int vote(struct test_client *tc, const char *how)
{
    char uri[96], form[96];
    snprintf(uri, sizeof uri, "/listen/%s/vote", slug);
    snprintf(form, sizeof form, "contribution=%lld&vote=%s", (long long)contribution_id, how);
    return tc_post_form(tc, uri, form, 1);
}

static int setup(void **state)
{
    struct test_client author;
    char uri[96], form[160];
    const char *db = getenv("AHPHUB_TEST_DB");
    (void)state;
    if (db && strncmp(db, "sqlite:", 7) != 0)
        return 0; /* PostgreSQL: nothing to set up, every test skips */
    if (faultvfs_install() != 0)
        return -1;
    app = testapp_new();
    testapp_user(app, "fac@example.test", "facilitator", PW);
    tc_init(&fac, app);
    if (tc_login(&fac, "fac@example.test", PW) != 303)
        return -1;
    if (tc_post_form(&fac, "/listen/new",
                     "title=Disk+full&summary=s&audience_citizen=1&moderation=post"
                     "&flag_threshold=3&prompts=What+works%3F",
                     1) != 303)
        return -1;
    snprintf(slug, sizeof slug, "%s", lb_header(&fac.res, "Location") + 8);
    snprintf(uri, sizeof uri, "/listen/%s/status", slug);
    if (tc_post_form(&fac, uri, "status=open", 1) != 303)
        return -1;
    exercise_id = count("SELECT id FROM listen_exercises WHERE slug = $1");
    tc_init(&author, app);
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    tc_get(&author, uri);
    snprintf(uri, sizeof uri, "/listen/%s/contribute", slug);
    snprintf(form, sizeof form, "prompt=%lld&text=Please+vote+on+this",
             (long long)count("SELECT p.id FROM listen_prompts p JOIN listen_exercises e ON "
                              "e.id = p.exercise_id WHERE e.slug = $1"));
    if (tc_post_form(&author, uri, form, 1) != 303)
        return -1;
    contribution_id = count("SELECT c.id FROM listen_contributions c JOIN listen_exercises e "
                            "ON e.id = c.exercise_id WHERE e.slug = $1");
    tc_free(&author);
    return exercise_id > 0 && contribution_id > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    faultvfs_fail_wal(false);
    if (app) {
        tc_free(&fac);
        testapp_free(app);
    }
    return 0;
}

#define SKIP_ON_PG()    \
    do {                \
        if (!app)       \
            skip();     \
    } while (0)

/* The domain call: no id for a participant that was not stored. */
static void test_participant_create_reports_a_failed_commit(void **state)
{
    struct db *db;
    char token[LISTEN_TOKEN_HEX];
    int64_t id = -1, before;
    long failures;
    int rc;
    (void)state;
    SKIP_ON_PG();
    before = count("SELECT count(*) FROM listen_participants p JOIN listen_exercises e ON "
                   "e.id = p.exercise_id WHERE e.slug = $1");
    db = db_pool_get(app->pool);
    failures = faultvfs_failures();
    faultvfs_fail_wal(true);
    rc = listen_participant_create(db, exercise_id, "citizen", "", "", token, &id);
    faultvfs_fail_wal(false);
    db_pool_put(app->pool, db);
    assert_true(faultvfs_failures() > failures); /* the commit did reach the disk */
    assert_int_equal(rc, APP_E_DB);
    assert_int_equal(id, -1);
    assert_int_equal(count("SELECT count(*) FROM listen_participants p JOIN listen_exercises e "
                           "ON e.id = p.exercise_id WHERE e.slug = $1"),
                     before);
}

/* Through the page: "try again" (503), no cookie, counted; and nobody else's vote later. */
static void test_vote_on_a_full_disk_answers_try_again(void **state)
{
    struct test_client first, second;
    char uri[96];
    int64_t errors;
    (void)state;
    SKIP_ON_PG();
    tc_init(&first, app);
    tc_init(&second, app);
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    tc_get(&first, uri);
    tc_get(&second, uri);
    errors = db_errors_total();

    faultvfs_fail_wal(true);
    assert_int_equal(vote(&first, "agree"), 503);
    faultvfs_fail_wal(false);
    assert_true(tc_body_has(&first, "Try again"));
    assert_null(tc_cookie(&first, "ahp_lp"));
    assert_true(db_errors_total() > errors);
    assert_int_equal(count("SELECT count(*) FROM listen_votes v JOIN listen_contributions c ON "
                           "c.id = v.contribution_id JOIN listen_exercises e ON "
                           "e.id = c.exercise_id WHERE e.slug = $1"),
                     0);

    /* The disk has room again: each person's vote is their own. */
    assert_int_equal(vote(&second, "disagree"), 303);
    assert_int_equal(vote(&first, "agree"), 303);
    assert_int_equal(count("SELECT count(DISTINCT v.participant_id) FROM listen_votes v JOIN "
                           "listen_contributions c ON c.id = v.contribution_id JOIN "
                           "listen_exercises e ON e.id = c.exercise_id WHERE e.slug = $1"),
                     2);
    assert_int_equal(count("SELECT c.agree_count * 10 + c.disagree_count FROM listen_contributions c "
                           "JOIN listen_exercises e ON e.id = c.exercise_id WHERE e.slug = $1"),
                     11);
    tc_free(&first);
    tc_free(&second);
}

/* The balancer's two questions: alive (always, here), and ready (takes writes, has room). */
static void test_readyz_follows_the_disk(void **state)
{
    struct test_client tc;
    long keep;
    (void)state;
    SKIP_ON_PG();
    tc_init(&tc, app);
    assert_int_equal(tc_get(&tc, "/readyz"), 200);
    assert_true(tc_body_has(&tc, "ready"));
    faultvfs_fail_wal(true);
    assert_int_equal(tc_get(&tc, "/readyz"), 503);
    assert_true(tc_body_has(&tc, "does not take writes"));
    assert_int_equal(tc_get(&tc, "/healthz"), 200);
    faultvfs_fail_wal(false);
    assert_int_equal(tc_get(&tc, "/readyz"), 200);
    /* more room wanted than any test machine has */
    keep = app->cfg.min_free_mb;
    app->cfg.min_free_mb = 1L << 40;
    assert_int_equal(tc_get(&tc, "/readyz"), 503);
    assert_true(tc_body_has(&tc, "nearly full"));
    app->cfg.min_free_mb = keep;
    assert_int_equal(tc_get(&tc, "/readyz"), 200);
    tc_free(&tc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_readyz_follows_the_disk),
        cmocka_unit_test(test_participant_create_reports_a_failed_commit),
        cmocka_unit_test(test_vote_on_a_full_disk_answers_try_again),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
