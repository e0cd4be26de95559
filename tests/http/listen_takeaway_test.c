/* listen_takeaway_test.c: results to take away through the site — who may download which
 * export (group-id and themes.csv are the facilitators'), the downloads in the JSON API, and
 * the report PDF giving each representative statement's share of everyone else beside the
 * group's (the page, the JSON and the CSV are checked in listen_launch_test.c)
 *
 * Uses the demo's two exercises: the open one (analysed here), and the one whose results are
 * published (demo_results.c).
 *
 * Runs on the database AHPHUB_TEST_DB names (SQLite or PostgreSQL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/err.h"
#include "listen/analysis.h"
#include "listen/demo.h"
#include "listen/listen.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct test_client fac, member, anon;
static const char *PW = "correct horse battery";
static char open_slug[32], results_slug[32];

static void slug_of(struct db *db, const char *title_like, char out[32])
{
    struct db_stmt *st = NULL;
    assert_int_equal(
        db_row(db, "SELECT slug FROM listen_exercises WHERE title LIKE $1", &st, "t", title_like),
        APP_OK);
    snprintf(out, 32, "%s", db_col_text(st, 0));
    db_finalize(st);
}

static int setup(void **state)
{
    struct db *db;
    struct arena *a;
    struct listen_exercise e;
    int64_t fid, run;
    int created;
    enum listen_run_status status;
    const char *text;
    (void)state;
    app = testapp_new();
    fid = testapp_user(app, "fac@example.test", "facilitator", PW);
    testapp_user(app, "member@example.test", "member", PW);
    db = db_pool_get(app->pool);
    a = arena_new();
    if (listen_demo(db, fid, &created))
        return -1;
    slug_of(db, "What should the new strategy%", open_slug);
    slug_of(db, "How did the community rehabilitation%", results_slug);
    if (listen_exercise_get(db, a, open_slug, &e) ||
        listen_analysis_run_now(db, a, e.id, 0, &run, &status, &text) || status != LISTEN_RUN_DONE)
        return -1;
    /* the open exercise published, so its files are open data */
    if (db_run(db, "UPDATE listen_exercises SET status = 'published' WHERE id = $1", "i", e.id))
        return -1;
    arena_free(a);
    db_pool_put(app->pool, db);
    tc_init(&fac, app);
    tc_init(&member, app);
    tc_init(&anon, app);
    if (tc_login(&fac, "fac@example.test", PW) != 303 ||
        tc_login(&member, "member@example.test", PW) != 303)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&fac);
    tc_free(&member);
    tc_free(&anon);
    testapp_free(app);
    return 0;
}

/* The group-id cells of the last response (participants-votes.csv): how many are filled. */
static size_t filled_group_ids(const struct test_client *tc)
{
    size_t filled = 0;
    const char *p = strchr(tc->res.body, '\n');
    while (p && p[1]) {
        const char *comma = strchr(p + 1, ',');
        assert_non_null(comma);
        filled += comma[1] != ',';
        p = strchr(p + 1, '\n');
    }
    return filled;
}

static void test_facilitators_get_groups_and_themes(void **state)
{
    char uri[128];
    (void)state;
    snprintf(uri, sizeof uri, "/listen/%s/export/participants-votes.csv", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(!strncmp(fac.res.body, "participant,group-id,", 21));
    assert_true(filled_group_ids(&fac) >= 20);
    snprintf(uri, sizeof uri, "/listen/%s/export/themes.csv", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(!strncmp(fac.res.body, "comment-id,theme-id,weight,theme\n", 33));
    assert_true(fac.res.len > 200);
    /* the same files under the API */
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/export/themes.csv", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(!strncmp(fac.res.body, "comment-id,theme-id,weight,theme\n", 33));
    /* listed on the exercise page, for facilitators */
    snprintf(uri, sizeof uri, "/listen/%s", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "/export/themes.csv"));
    assert_int_equal(tc_get(&anon, uri), 200);
    assert_false(tc_body_has(&anon, "/export/themes.csv"));
}

static void test_public_copy_has_neither(void **state)
{
    char uri[128];
    struct test_client *who[] = {&anon, &member};
    (void)state;
    for (size_t i = 0; i < 2; i++) {
        snprintf(uri, sizeof uri, "/listen/%s/export/participants-votes.csv", open_slug);
        assert_int_equal(tc_get(who[i], uri), 200);
        assert_true(!strncmp(who[i]->res.body, "participant,group-id,", 21));
        assert_int_equal(filled_group_ids(who[i]), 0);
        snprintf(uri, sizeof uri, "/listen/%s/export/themes.csv", open_slug);
        assert_int_equal(tc_get(who[i], uri), who[i] == &anon ? 303 : 403);
        assert_false(tc_body_has(who[i], "comment-id,theme-id"));
        snprintf(uri, sizeof uri, "/api/v1/listen/%s/export/themes.csv", open_slug);
        assert_int_equal(tc_get(who[i], uri), who[i] == &anon ? 401 : 403);
    }
}

/* The exercise's JSON lists the downloads its reader may take. */
static void test_downloads_in_the_api(void **state)
{
    char uri[128];
    json_t *j, *d, *one;
    size_t i;
    bool themes;
    (void)state;
    snprintf(uri, sizeof uri, "/api/v1/listen/%s", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    j = json_loadb(fac.res.body, fac.res.len, 0, NULL);
    d = json_object_get(j, "downloads");
    assert_int_equal(json_array_size(d), 6);
    themes = false;
    json_array_foreach(d, i, one)
    {
        const char *file = json_string_value(json_object_get(one, "file"));
        assert_non_null(file);
        assert_true(json_is_boolean(json_object_get(one, "facilitators_only")));
        if (!strcmp(file, "themes.csv")) {
            themes = true;
            assert_true(json_is_true(json_object_get(one, "facilitators_only")));
            snprintf(uri, sizeof uri, "/listen/%s/export/themes.csv", open_slug);
            assert_string_equal(json_string_value(json_object_get(one, "url")), uri);
        }
    }
    assert_true(themes);
    json_decref(j);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s", open_slug);
    assert_int_equal(tc_get(&anon, uri), 200);
    j = json_loadb(anon.res.body, anon.res.len, 0, NULL);
    d = json_object_get(j, "downloads");
    assert_int_equal(json_array_size(d), 5);
    json_array_foreach(d, i, one)
    {
        assert_string_not_equal(json_string_value(json_object_get(one, "file")), "themes.csv");
        assert_true(json_is_false(json_object_get(one, "facilitators_only")));
    }
    json_decref(j);
    /* an exercise that is not open data: nothing to download for the public */
    snprintf(uri, sizeof uri, "/api/v1/listen/%s", results_slug);
    assert_int_equal(tc_get(&anon, uri), 200);
    j = json_loadb(anon.res.body, anon.res.len, 0, NULL);
    assert_int_equal(json_array_size(json_object_get(j, "downloads")), 0);
    assert_true(json_is_array(json_object_get(j, "downloads")));
    json_decref(j);
}

/* A representative statement's shares are the shares of those who voted on it (passes
 * included), in the group and among everyone else placed, whole percentages rounded half up:
 * the figures a reader would get by counting, not Pol.is's smoothed (A + 1) / (N + 2). */
static void test_statement_shares_are_counted(void **state)
{
    char uri[128], run[24], sql[600];
    json_t *doc, *groups, *g, *st;
    size_t i, j, checked = 0;
    (void)state;
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/analysis", results_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    doc = json_loads(fac.res.body, 0, NULL);
    assert_non_null(doc);
    groups = json_object_get(
        json_object_get(json_object_get(json_object_get(doc, "analysis"), "result"), "opinion"),
        "groups");
    assert_true(json_array_size(groups) >= 2);
    snprintf(run, sizeof run, "%lld",
             (long long)testapp_int(app,
                                    "SELECT MAX(r.id) FROM listen_analysis_runs r JOIN "
                                    "listen_exercises e ON e.id = r.exercise_id WHERE e.slug = $1 "
                                    "AND r.status = 'done'",
                                    results_slug));
    json_array_foreach(groups, i, g)
    {
        long long no = json_integer_value(json_object_get(g, "number")) - 1;
        json_array_foreach(json_object_get(g, "statements"), j, st)
        {
            bool agree = !strcmp(json_string_value(json_object_get(st, "direction")), "agree");
            const json_t *rest = json_object_get(st, "percent_rest");
            for (int others = 0; others < 2; others++) {
                int64_t n, k;
                const char *cmp = others ? "<>" : "=";
                snprintf(sql, sizeof sql,
                         "SELECT COUNT(*) * 1000000 + SUM(CASE WHEN v.vote = %d THEN 1 ELSE 0 "
                         "END) FROM listen_votes v JOIN listen_analysis_groups g ON "
                         "g.participant_id = v.participant_id AND g.run_id = %s AND g.group_no "
                         "%s %lld JOIN listen_contributions c ON c.id = v.contribution_id WHERE "
                         "c.body = $1",
                         agree ? 1 : -1, run, cmp, no);
                n = testapp_int(app, sql, json_string_value(json_object_get(st, "text")));
                k = n % 1000000;
                n /= 1000000;
                assert_true(n > 0);
                if (others && !json_is_integer(rest))
                    continue; /* suppressed: fewer than 8 others voted on it */
                assert_int_equal(json_integer_value(others ? rest : json_object_get(st, "percent")),
                                 (200 * k + n) / (2 * n));
                checked++;
            }
        }
    }
    assert_true(checked >= 2); /* the demo's groups have statements to check */
    json_decref(doc);
}

/* The report PDF carries both figures of every representative statement. */
static void test_report_pdf_has_everyone_else(void **state)
{
    char uri[128], path[] = "/tmp/ahphub-takeaway-XXXXXX", cmd[160];
    static char text[1 << 17];
    size_t n, groups_mentioned = 0;
    int fd;
    FILE *p;
    (void)state;
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/report", results_slug);
    assert_int_equal(tc_get(&anon, uri), 200);
    assert_true(tc_body_has(&anon, "\"percent_rest\""));
    {
        /* a group of 1 to 7 people (its size shown as "*") has no statement with a share of
         * it: a share is shown only over more people than the disclosure threshold */
        json_t *doc = json_loads(anon.res.body, 0, NULL), *groups, *g;
        size_t i, small = 0;
        assert_non_null(doc);
        groups =
            json_object_get(json_object_get(json_object_get(doc, "report"), "opinion"), "groups");
        if (!groups)
            groups = json_object_get(json_object_get(doc, "opinion"), "groups");
        assert_non_null(groups);
        json_array_foreach(groups, i, g)
        {
            /* numbers as numbers: a hidden size is null, with its reason */
            assert_true(json_is_integer(json_object_get(g, "size")) ||
                        json_is_null(json_object_get(g, "size")));
            if (json_is_null(json_object_get(g, "size"))) {
                assert_non_null(json_object_get(g, "size_reason"));
                small++;
                assert_int_equal(json_array_size(json_object_get(g, "statements")), 0);
            }
        }
        (void)small;
        json_decref(doc);
    }
    snprintf(uri, sizeof uri, "/listen/%s/report/what-we-heard.pdf", results_slug);
    assert_int_equal(tc_get(&anon, uri), 200);
    assert_int_equal(memcmp(anon.res.body, "%PDF-", 5), 0);
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, anon.res.body, anon.res.len), (ssize_t)anon.res.len);
    close(fd);
    snprintf(cmd, sizeof cmd, "pdftotext %s - 2>/dev/null", path);
    p = popen(cmd, "r");
    assert_non_null(p);
    n = fread(text, 1, sizeof text - 1, p);
    text[n] = '\0';
    pclose(p);
    unlink(path);
    for (const char *s = text; (s = strstr(s, "of this group")); s++)
        groups_mentioned++;
    assert_true(groups_mentioned >= 1);
    /* every statement line says what everyone else did too */
    {
        size_t rest = 0;
        for (const char *s = text; (s = strstr(s, "everyone else")); s++)
            rest++;
        assert_true(rest >= groups_mentioned);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_facilitators_get_groups_and_themes),
        cmocka_unit_test(test_public_copy_has_neither),
        cmocka_unit_test(test_downloads_in_the_api),
        cmocka_unit_test(test_statement_shares_are_counted),
        cmocka_unit_test(test_report_pdf_has_everyone_else),
    };
    return cmocka_run_group_tests_name("http/listen_takeaway", tests, setup, teardown);
}
