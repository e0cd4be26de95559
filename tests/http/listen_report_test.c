/* listen_report_test.c: a published "What we heard" report discloses no exact count — it
 * stays as it was published while people go on taking part (no differencing), its opinion
 * map carries no person's point, and its theme chart says what it counts.
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
static struct test_client fac, anon;
static const char *PW = "correct horse battery";
static char open_slug[32];

static int setup(void **state)
{
    struct db *db;
    struct arena *a;
    struct listen_exercise e;
    struct db_stmt *st = NULL;
    int64_t fid, run;
    int created;
    enum listen_run_status status;
    const char *text;
    (void)state;
    app = testapp_new();
    fid = testapp_user(app, "fac@example.test", "facilitator", PW);
    db = db_pool_get(app->pool);
    a = arena_new();
    if (listen_demo(db, fid, &created) ||
        db_row(db,
               "SELECT slug FROM listen_exercises WHERE title LIKE 'What should the new strategy%'",
               &st, ""))
        return -1;
    snprintf(open_slug, sizeof open_slug, "%s", db_col_text(st, 0));
    db_finalize(st);
    if (listen_exercise_get(db, a, open_slug, &e) ||
        listen_analysis_run_now(db, a, e.id, 0, &run, &status, &text) || status != LISTEN_RUN_DONE)
        return -1;
    arena_free(a);
    db_pool_put(app->pool, db);
    tc_init(&fac, app);
    tc_init(&anon, app);
    return tc_login(&fac, "fac@example.test", PW) == 303 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&fac);
    tc_free(&anon);
    testapp_free(app);
    return 0;
}

/* A copy of what uri gives a visitor who is not logged in, and its length (the caller
 * frees it). */
static char *public_copy(const char *uri, size_t *len)
{
    char *s;
    assert_int_equal(tc_get(&anon, uri), 200);
    s = malloc(anon.res.len + 1);
    assert_non_null(s);
    memcpy(s, anon.res.body, anon.res.len);
    *len = anon.res.len;
    return s;
}

/* The text of a PDF, as pdftotext -layout reads it (the caller frees it). */
static char *pdf_text(const char *pdf, size_t len)
{
    char path[] = "/tmp/ahphub-report-XXXXXX", cmd[128];
    int fd = mkstemp(path);
    FILE *p;
    char *text = calloc(1, 1 << 20);
    size_t n;
    assert_true(fd >= 0);
    assert_non_null(text);
    assert_int_equal(write(fd, pdf, len), (ssize_t)len);
    close(fd);
    snprintf(cmd, sizeof cmd, "pdftotext -layout %s - 2>/dev/null", path);
    p = popen(cmd, "r");
    assert_non_null(p);
    n = fread(text, 1, (1 << 20) - 1, p);
    text[n] = '\0';
    pclose(p);
    unlink(path);
    return text;
}

/* The "headline" of the public report's JSON, as text (the caller frees it). */
static char *public_headline(void)
{
    char uri[96];
    json_t *m, *h;
    json_error_t err;
    char *s;
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/report", open_slug);
    assert_int_equal(tc_get(&anon, uri), 200);
    m = json_loadb(anon.res.body, anon.res.len, 0, &err);
    assert_non_null(m);
    h = json_object_get(m, "headline");
    assert_non_null(h);
    s = json_dumps(h, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(m);
    assert_non_null(s);
    return s;
}

/* n new people take part: each writes a contribution and votes on a shown one. */
static void take_part(int n)
{
    char uri[96], form[160];
    int64_t prompt = testapp_int(app,
                                 "SELECT MIN(p.id) FROM listen_prompts p JOIN listen_exercises e "
                                 "ON e.id = p.exercise_id WHERE e.slug = $1",
                                 open_slug);
    int64_t shown = testapp_int(app,
                                "SELECT MIN(c.id) FROM listen_contributions c JOIN "
                                "listen_exercises e ON e.id = c.exercise_id WHERE e.slug = $1 "
                                "AND c.status = 'approved' AND c.hidden = 0",
                                open_slug);
    for (int i = 0; i < n; i++) {
        struct test_client v;
        tc_init(&v, app);
        snprintf(uri, sizeof uri, "/listen/%s", open_slug);
        tc_get(&v, uri); /* the CSRF cookie */
        snprintf(uri, sizeof uri, "/listen/%s/contribute", open_slug);
        snprintf(form, sizeof form, "prompt=%lld&text=More+time+for+supervision+number+%d",
                 (long long)prompt, i);
        assert_int_equal(tc_post_form(&v, uri, form, 1), 303);
        snprintf(uri, sizeof uri, "/listen/%s/vote", open_slug);
        snprintf(form, sizeof form, "contribution=%lld&vote=agree", (long long)shown);
        assert_int_equal(tc_post_form(&v, uri, form, 1), 303);
        tc_free(&v);
    }
}

/* The published report stays as published while people go on taking part: its headline in
 * the API, what-we-heard.json, the page, the CSV and the PDF. Publishing again counts
 * afresh. */
static void test_published_report_does_not_move(void **state)
{
    static const char *const files[] = {"what-we-heard.json", "what-we-heard.csv",
                                        "opinion-groups.csv", "what-we-heard.pdf"};
    char uri[128], *before, *after, *copies[4], *page;
    size_t lens[4], page_len;
    (void)state;
    snprintf(uri, sizeof uri, "/listen/%s/report/publish", open_slug);
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 303);
    before = public_headline();
    snprintf(uri, sizeof uri, "/listen/%s/report", open_slug);
    page = public_copy(uri, &page_len);
    for (size_t i = 0; i < 4; i++) {
        snprintf(uri, sizeof uri, "/listen/%s/report/%s", open_slug, files[i]);
        copies[i] = public_copy(uri, &lens[i]);
    }
    take_part(12);
    after = public_headline();
    assert_string_equal(after, before);
    free(after);
    snprintf(uri, sizeof uri, "/listen/%s/report", open_slug);
    assert_int_equal(tc_get(&anon, uri), 200);
    assert_int_equal(anon.res.len, page_len);
    assert_memory_equal(anon.res.body, page, anon.res.len);
    for (size_t i = 0; i < 4; i++) {
        snprintf(uri, sizeof uri, "/listen/%s/report/%s", open_slug, files[i]);
        assert_int_equal(tc_get(&anon, uri), 200);
        if (!strcmp(files[i], "what-we-heard.pdf")) {
            /* the PDF carries the moment it was made: its words must be the same */
            char *now = pdf_text(anon.res.body, anon.res.len), *then = pdf_text(copies[i], lens[i]);
            assert_true(strlen(then) > 100);
            assert_string_equal(now, then);
            free(now);
            free(then);
        } else {
            assert_int_equal(anon.res.len, lens[i]);
            assert_memory_equal(anon.res.body, copies[i], lens[i]);
        }
        free(copies[i]);
    }
    free(page);
    /* publishing again fixes the counts of now */
    snprintf(uri, sizeof uri, "/listen/%s/report/publish", open_slug);
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 303);
    after = public_headline();
    assert_string_not_equal(after, before);
    free(after);
    free(before);
}

/* How many times needle occurs in [s, end). */
static size_t count_in(const char *s, const char *end, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = s; p && p + len <= end && (p = strstr(p, needle)) && p + len <= end;
         p += len)
        n++;
    return n;
}

/* The public report's opinion map carries nobody's point: the JSON (API and
 * what-we-heard.json) gives each group a region, not a map of people, and the page draws a
 * shape per group, not a mark per person, with the published size in the legend. */
static void test_opinion_map_has_no_people(void **state)
{
    char uri[128];
    const char *svg, *end;
    json_t *m, *groups, *g;
    json_error_t err;
    size_t i, regions = 0;
    (void)state;
    snprintf(uri, sizeof uri, "/listen/%s/report/publish", open_slug);
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 303);
    for (int f = 0; f < 2; f++) {
        snprintf(uri, sizeof uri,
                 f ? "/listen/%s/report/what-we-heard.json" : "/api/v1/listen/%s/report",
                 open_slug);
        assert_int_equal(tc_get(&anon, uri), 200);
        m = json_loadb(anon.res.body, anon.res.len, 0, &err);
        assert_non_null(m);
        assert_true(json_is_true(json_object_get(json_object_get(m, "opinion"), "has_groups")));
        assert_null(json_object_get(json_object_get(m, "opinion"), "map"));
        groups = json_object_get(json_object_get(m, "opinion"), "groups");
        regions = 0;
        json_array_foreach(groups, i, g)
        {
            const json_t *r = json_object_get(g, "region");
            if (!r)
                continue;
            regions++;
            assert_true(json_is_number(json_object_get(r, "rx")));
            assert_true(json_is_number(json_object_get(r, "angle")));
        }
        assert_true(regions >= 2);
        json_decref(m);
    }
    /* the page: one ellipse per group, its size as published, and no mark per person */
    snprintf(uri, sizeof uri, "/listen/%s/report", open_slug);
    assert_int_equal(tc_get(&anon, uri), 200);
    svg = strstr(anon.res.body, "id=\"opinion-map-title\"");
    assert_non_null(svg);
    end = strstr(svg, "</svg>");
    assert_non_null(end);
    assert_int_equal(count_in(svg, end, "<ellipse"), regions);
    assert_true(count_in(svg, end, "<circle") <= 2); /* group 1's mark: legend and centre */
    assert_true(count_in(svg, end, "<path") <= 2 * regions);
    assert_non_null(strstr(svg, "Group 1: "));
    assert_true(strstr(svg, "Group 1: ") < end);
    assert_true(testapp_tidy(anon.res.body, anon.res.len, uri) < 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_published_report_does_not_move),
        cmocka_unit_test(test_opinion_map_has_no_people),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
