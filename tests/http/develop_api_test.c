/* develop_api_test.c: four defects of Develop's self-assessment pages and API, each with
 * the test that showed it
 *
 *  - starting a self-assessment on an older framework version was accepted: it must start
 *    on the current version or be refused, saying why;
 *  - saving a domain through the JSON API read a key left out as "not rated", so a client
 *    that sent one statement wiped the others: a key left out leaves the stored answer
 *    alone, and only a value (null clears) changes it;
 *  - the page of one domain leaked JSON when memory ran out part-way (counted here through
 *    jansson's allocator, so the test fails without a sanitizer too);
 *  - means came out as 17 digits (2.3999999999999999 for 2.4): the API writes numbers with
 *    15 significant digits, all a double holds reliably;
 *  - the API's "path", "next" and "continue" were the pages' addresses: an API client is led
 *    on under /api/v1;
 *  - two self-assessments submitted on one day read the same on /develop: the time tells
 *    them apart, and the API carries full times.
 * Runs on SQLite and PostgreSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static const char *PW = "correct horse battery";

/* jansson's live allocations: a request must give back everything it took */
static long live;
static void *count_malloc(size_t n)
{
    void *p = malloc(n);
    if (p)
        __atomic_add_fetch(&live, 1, __ATOMIC_SEQ_CST);
    return p;
}
static void count_free(void *p)
{
    if (p)
        __atomic_sub_fetch(&live, 1, __ATOMIC_SEQ_CST);
    free(p);
}

static json_t *body_json(const struct test_client *tc)
{
    json_t *j = json_loadb(tc->res.body, tc->res.len, 0, NULL);
    assert_non_null(j);
    return j;
}

static int64_t latest_framework(const char *code)
{
    return testapp_int(app, "SELECT MAX(id) FROM develop_frameworks WHERE code = $1", code);
}

static void login(struct test_client *tc, const char *email, const char *role)
{
    testapp_user(app, email, role, PW);
    tc_init(tc, app);
    assert_int_equal(tc_login(tc, email, PW), 303);
}

/* Stores version 2 of the shipped framework (the same text) through the admin API. */
static int64_t new_version(void)
{
    struct test_client admin;
    char uri[96], *doc, *body;
    int64_t v1 = latest_framework("ahp-clinical-leadership");
    json_t *req;
    login(&admin, "admin@example.test", "admin");
    snprintf(uri, sizeof uri, "/develop/frameworks/%lld/download", (long long)v1);
    assert_int_equal(tc_get(&admin, uri), 200);
    doc = malloc(admin.res.len + 1);
    assert_non_null(doc);
    memcpy(doc, admin.res.body, admin.res.len);
    doc[admin.res.len] = '\0';
    req = json_pack("{s:s}", "definition", doc);
    body = json_dumps(req, 0);
    assert_int_equal(tc_post_json(&admin, "/api/v1/develop/frameworks", body), 201);
    free(body);
    json_decref(req);
    free(doc);
    tc_free(&admin);
    assert_true(latest_framework("ahp-clinical-leadership") != v1);
    return v1;
}

static void test_start_refuses_an_older_version(void **state)
{
    struct test_client tc;
    char form[64], body[64];
    int64_t old = new_version(), cur = latest_framework("ahp-clinical-leadership");
    (void)state;
    login(&tc, "starter@example.test", "member");
    snprintf(form, sizeof form, "framework=%lld", (long long)old);
    assert_int_equal(tc_post_form(&tc, "/develop/start", form, 1), 400);
    assert_true(tc_body_has(&tc, "older version of the framework"));
    snprintf(body, sizeof body, "{\"framework\": %lld}", (long long)old);
    assert_int_equal(tc_post_json(&tc, "/api/v1/develop/start", body), 400);
    assert_true(tc_body_has(&tc, "current version"));
    assert_int_equal(testapp_int(app,
                                 "SELECT COUNT(*) FROM develop_self_assessments s JOIN users u "
                                 "ON u.id = s.user_id WHERE u.email = $1",
                                 "starter@example.test"),
                     0);
    /* the current version, chosen or by default, starts */
    snprintf(body, sizeof body, "{\"framework\": %lld}", (long long)cur);
    assert_int_equal(tc_post_json(&tc, "/api/v1/develop/start", body), 201);
    tc_free(&tc);
}

static json_t *item(json_t *self, size_t domain, size_t k)
{
    json_t *d = json_array_get(json_object_get(self, "domains"), domain);
    return json_array_get(json_object_get(d, "items"), k);
}

static void test_api_save_keeps_what_is_left_out(void **state)
{
    struct test_client tc;
    char uri[96], self[96];
    int64_t id;
    json_t *j;
    (void)state;
    login(&tc, "partial@example.test", "member");
    assert_int_equal(tc_post_json(&tc, "/api/v1/develop/start", "{}"), 201);
    j = body_json(&tc);
    id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/domain/1", (long long)id);
    snprintf(self, sizeof self, "/api/v1/develop/self/%lld", (long long)id);
    assert_int_equal(tc_post_json(&tc, uri,
                                  "{\"rating.system-fit\": 3, \"importance.system-fit\": 2, "
                                  "\"note.system-fit\": \"Led the redesign\"}"),
                     200);
    /* another statement alone: the first keeps its rating, importance and note */
    assert_int_equal(tc_post_json(&tc, uri, "{\"rating.system-funding\": 2}"), 200);
    assert_int_equal(tc_get(&tc, self), 200);
    j = body_json(&tc);
    assert_int_equal(json_integer_value(json_object_get(item(j, 0, 0), "rating")), 3);
    assert_int_equal(json_integer_value(json_object_get(item(j, 0, 0), "importance")), 2);
    assert_string_equal(json_string_value(json_object_get(item(j, 0, 0), "note")),
                        "Led the redesign");
    assert_int_equal(json_integer_value(json_object_get(item(j, 0, 1), "rating")), 2);
    json_decref(j);
    /* only the note: the rating stays */
    assert_int_equal(tc_post_json(&tc, uri, "{\"note.system-fit\": \"And the audit\"}"), 200);
    assert_int_equal(tc_get(&tc, self), 200);
    j = body_json(&tc);
    assert_int_equal(json_integer_value(json_object_get(item(j, 0, 0), "rating")), 3);
    assert_string_equal(json_string_value(json_object_get(item(j, 0, 0), "note")), "And the audit");
    json_decref(j);
    /* an explicit null clears the rating; the rest stays */
    assert_int_equal(tc_post_json(&tc, uri, "{\"rating.system-fit\": null}"), 200);
    assert_int_equal(tc_get(&tc, self), 200);
    j = body_json(&tc);
    assert_int_equal(json_integer_value(json_object_get(item(j, 0, 0), "rating")), 0);
    assert_int_equal(json_integer_value(json_object_get(item(j, 0, 0), "importance")), 2);
    assert_int_equal(json_integer_value(json_object_get(item(j, 0, 1), "rating")), 2);
    json_decref(j);
    /* the form sends the whole domain: a rating not ticked is no rating */
    snprintf(uri, sizeof uri, "/develop/self/%lld/domain/1", (long long)id);
    assert_int_equal(tc_post_form(&tc, uri, "rating.system-data=4", 1), 303);
    assert_int_equal(tc_get(&tc, self), 200);
    j = body_json(&tc);
    assert_int_equal(json_integer_value(json_object_get(item(j, 0, 1), "rating")), 0);
    assert_int_equal(json_integer_value(json_object_get(item(j, 0, 4), "rating")), 4);
    json_decref(j);
    tc_free(&tc);
}

/* A mean of 2.4 is sent as 2.4, not as the 17 digits of the nearest double
 * (2.3999999999999999), which a reader of the API takes for a different figure. */
static void test_api_numbers_are_short(void **state)
{
    struct test_client tc;
    char uri[96];
    int64_t id;
    json_t *j;
    (void)state;
    login(&tc, "short@example.test", "member");
    assert_int_equal(tc_post_json(&tc, "/api/v1/develop/start", "{}"), 201);
    j = body_json(&tc);
    id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/domain/1", (long long)id);
    assert_int_equal(tc_post_json(&tc, uri,
                                  "{\"rating.system-fit\": 2, \"rating.system-funding\": 3, "
                                  "\"rating.system-drivers\": 4, \"rating.system-partners\": 1, "
                                  "\"rating.system-data\": 2}"),
                     200);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/submit", (long long)id);
    assert_int_equal(tc_post_json(&tc, uri, "{}"), 200);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld", (long long)id);
    assert_int_equal(tc_get(&tc, uri), 200);
    assert_true(tc_body_has(&tc, "\"mean\":2.4,"));
    assert_false(tc_body_has(&tc, "99999999"));
    assert_false(tc_body_has(&tc, "00000000"));
    tc_free(&tc);
}

/* Every allocation failure while the domain page is built gives an error page and gives
 * back every JSON value it made. */
static void test_domain_page_frees_under_arena_failure(void **state)
{
    struct test_client tc;
    char uri[96];
    int64_t id;
    long before;
    int status = 0, n;
    json_t *j;
    (void)state;
    login(&tc, "fault@example.test", "member");
    assert_int_equal(tc_post_json(&tc, "/api/v1/develop/start", "{}"), 201);
    j = body_json(&tc);
    id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    snprintf(uri, sizeof uri, "/develop/self/%lld/domain/1", (long long)id);
    assert_int_equal(tc_get(&tc, uri), 200); /* warm: caches filled */
    for (n = 1; n < 5000; n++) {
        before = __atomic_load_n(&live, __ATOMIC_SEQ_CST);
        arena_fail_after(n);
        status = tc_get(&tc, uri);
        arena_fail_after(0);
        assert_int_equal(__atomic_load_n(&live, __ATOMIC_SEQ_CST), before);
        if (status == 200)
            break;
        assert_true(status == 500 || status == -1);
    }
    assert_int_equal(status, 200);
    assert_true(n > 20); /* the page's model was reached, not only the session */
    tc_free(&tc);
}

/* The API leads on through the API: "path" from starting, "next" from saving and "continue"
 * on the home's draft are /api/v1 addresses, each of which answers; the pages still lead on
 * through the pages. */
static void test_api_links_stay_in_the_api(void **state)
{
    struct test_client tc;
    char want[128], uri[96];
    int64_t id;
    json_t *j;
    (void)state;
    login(&tc, "links@example.test", "member");
    assert_int_equal(tc_post_json(&tc, "/api/v1/develop/start", "{}"), 201);
    j = body_json(&tc);
    id = json_integer_value(json_object_get(j, "id"));
    snprintf(want, sizeof want, "/api/v1/develop/self/%lld/domain/1", (long long)id);
    assert_string_equal(json_string_value(json_object_get(j, "path")), want);
    json_decref(j);
    assert_int_equal(tc_get(&tc, want), 200);
    assert_true(tc_body_has(&tc, "\"behaviours\""));
    assert_int_equal(tc_post_json(&tc, want, "{\"rating.system-fit\": 3}"), 200);
    j = body_json(&tc);
    snprintf(want, sizeof want, "/api/v1/develop/self/%lld/domain/2", (long long)id);
    assert_string_equal(json_string_value(json_object_get(j, "next")), want);
    json_decref(j);
    assert_int_equal(tc_get(&tc, "/api/v1/develop"), 200);
    j = body_json(&tc);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "draft"), "continue")),
                        want);
    json_decref(j);
    assert_int_equal(tc_get(&tc, want), 200);
    /* the pages: the same links without /api/v1 */
    snprintf(uri, sizeof uri, "/develop/self/%lld/domain/1", (long long)id);
    assert_int_equal(tc_post_form(&tc, uri, "rating.system-fit=3", 1), 303);
    snprintf(want, sizeof want, "/develop/self/%lld/domain/2", (long long)id);
    assert_string_equal(lb_header(&tc.res, "Location"), want);
    assert_int_equal(tc_post_form(&tc, "/develop/start", "", 1), 303);
    snprintf(want, sizeof want, "/develop/self/%lld/domain/1", (long long)id);
    assert_string_equal(lb_header(&tc.res, "Location"), want); /* resumed */
    tc_free(&tc);
}

/* Starts, answers one statement and submits a self-assessment through the API; its id. */
static int64_t submit_one(struct test_client *tc)
{
    char uri[96];
    int64_t id;
    json_t *j;
    assert_int_equal(tc_post_json(tc, "/api/v1/develop/start", "{}"), 201);
    j = body_json(tc);
    id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/domain/1", (long long)id);
    assert_int_equal(tc_post_json(tc, uri, "{\"rating.system-fit\": 3}"), 200);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/submit", (long long)id);
    assert_int_equal(tc_post_json(tc, uri, "{}"), 200);
    return id;
}

static void submitted_at(int64_t id, int64_t when)
{
    struct db *db = db_pool_get(app->pool);
    int rc = db_run(db, "UPDATE develop_self_assessments SET submitted_at = $1 WHERE id = $2", "ii",
                    when, id);
    db_pool_put(app->pool, db);
    assert_int_equal(rc, 0);
}

/* Two self-assessments submitted on the same day are told apart by the time (and, within
 * one minute, by their order that day) in the history, the latest results and the
 * comparison; one alone on its day shows the day only. The API carries full times. */
static void test_same_day_self_assessments_are_told_apart(void **state)
{
    struct test_client tc;
    int64_t a, b, other;
    json_t *j, *h;
    (void)state;
    login(&tc, "twice@example.test", "member");
    other = submit_one(&tc);
    a = submit_one(&tc);
    b = submit_one(&tc);
    submitted_at(other, 1764000000); /* 24 November 2025 */
    submitted_at(a, 1764579600);     /* 1 December 2025 09:00 UTC */
    submitted_at(b, 1764603000);     /* 1 December 2025 15:30 UTC */
    assert_int_equal(tc_get(&tc, "/develop"), 200);
    assert_true(tc_body_has(&tc, ">1 December 2025 at 09:00 UTC</a>"));
    assert_true(tc_body_has(&tc, ">1 December 2025 at 15:30 UTC</a>"));
    assert_true(tc_body_has(&tc, ">24 November 2025</a>"));
    assert_true(tc_body_has(&tc, "submitted on 1 December 2025 at 15:30 UTC ("));
    assert_int_equal(tc_get(&tc, "/develop/compare"), 200);
    assert_true(tc_body_has(&tc, "Change from 1 December 2025 at 09:00 UTC to 1 December 2025 "
                                 "at 15:30 UTC"));
    assert_true(tc_body_has(&tc, ">24 November 2025 \xc2\xb7 "));
    assert_int_equal(tc_get(&tc, "/api/v1/develop"), 200);
    j = body_json(&tc);
    h = json_array_get(json_object_get(j, "history"), 0);
    assert_int_equal(json_integer_value(json_object_get(h, "id")), b);
    assert_true(json_is_true(json_object_get(h, "same_day")));
    assert_string_equal(json_string_value(json_object_get(h, "submitted_time")), "15:30 UTC");
    assert_int_equal(json_integer_value(json_object_get(h, "submitted_at")), 1764603000);
    assert_true(json_integer_value(json_object_get(h, "started_at")) > 0);
    assert_true(json_integer_value(json_object_get(h, "updated_at")) > 0);
    h = json_array_get(json_object_get(j, "history"), 2);
    assert_true(json_is_false(json_object_get(h, "same_day")));
    assert_null(json_object_get(h, "submitted_time"));
    json_decref(j);
    /* within one minute the time alone would read the same: their order that day says */
    submitted_at(b, 1764579630);
    assert_int_equal(tc_get(&tc, "/develop"), 200);
    assert_true(tc_body_has(&tc, ">1 December 2025 at 09:00 UTC, the 1st that day</a>"));
    assert_true(tc_body_has(&tc, ">1 December 2025 at 09:00 UTC, the 2nd that day</a>"));
    tc_free(&tc);
}

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    testapp_free(app);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_save_keeps_what_is_left_out),
        cmocka_unit_test(test_api_numbers_are_short),
        cmocka_unit_test(test_domain_page_frees_under_arena_failure),
        cmocka_unit_test(test_start_refuses_an_older_version),
        cmocka_unit_test(test_api_links_stay_in_the_api),
        cmocka_unit_test(test_same_day_self_assessments_are_told_apart),
    };
    json_set_alloc_funcs(count_malloc, count_free);
    return cmocka_run_group_tests(tests, setup, teardown);
}
