/* assess_test.c: running an assessment round and taking it, through the loopback
 *
 * A facilitator creates rounds; respondents are browsers (test_clients) with their own
 * cookies, anonymous or logged in. The checks a respondent would notice — resume from another
 * device, nothing saved on a wrong answer, no answers after closing — and the privacy ones a
 * respondent would not: an anonymous round stores no account, benchmarks of a few people show
 * "*". Runs on SQLite and PostgreSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct test_client fac, member, admin;
static int64_t member_id;
static const char *PW = "correct horse battery";

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    testapp_user(app, "fac@example.test", "facilitator", PW);
    testapp_user(app, "admin@example.test", "admin", PW);
    member_id = testapp_user(app, "member@example.test", "member", PW);
    tc_init(&fac, app);
    tc_init(&member, app);
    tc_init(&admin, app);
    if (tc_login(&fac, "fac@example.test", PW) != 303 ||
        tc_login(&member, "member@example.test", PW) != 303 ||
        tc_login(&admin, "admin@example.test", PW) != 303)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&fac);
    tc_free(&member);
    tc_free(&admin);
    testapp_free(app);
    return 0;
}

static int64_t query_int(const char *sql, const char *types, const char *arg)
{
    struct db *db = db_pool_get(app->pool);
    struct db_stmt *st = NULL;
    int64_t n = -1;
    int rc = types ? db_row(db, sql, &st, types, arg) : db_row(db, sql, &st, "");
    if (rc == 0)
        n = db_col_int(st, 0);
    db_finalize(st);
    db_pool_put(app->pool, db);
    return n;
}

static int64_t instrument_id(const char *code)
{
    return query_int("SELECT MAX(id) FROM assess_instruments WHERE code = $1", "t", code);
}

static int64_t organisation(const char *name)
{
    struct db *db = db_pool_get(app->pool);
    int64_t id = 0;
    assert_int_equal(account_org_ensure(db, name, "london", &id), 0);
    db_pool_put(app->pool, db);
    return id;
}

/* Creates a round and returns its slug in out. extra: more form fields ("&mode=named"). */
static void new_round(const char *extra, char out[32])
{
    char form[512];
    const char *loc;
    snprintf(form, sizeof form,
             "title=Digital+capability+test&instrument=%lld&audience=individual%s",
             (long long)instrument_id("ahp-digital-capability"), extra);
    assert_int_equal(tc_post_form(&fac, "/assess/rounds/new", form, 1), 303);
    loc = lb_header(&fac.res, "Location");
    assert_non_null(loc);
    assert_int_equal(strncmp(loc, "/assess/", 8), 0);
    snprintf(out, 32, "%.*s", (int)(strlen(loc + 8) - strlen("/manage")), loc + 8);
}

/* Starts a response as tc; returns the status of the POST. */
static int start(struct test_client *tc, const char *slug, const char *form)
{
    char uri[96];
    snprintf(uri, sizeof uri, "/assess/%s", slug);
    tc_get(tc, uri); /* a browser sees the page (and gets its CSRF cookie) first */
    snprintf(uri, sizeof uri, "/assess/%s/start", slug);
    return tc_post_form(tc, uri, form, 1);
}

static int answer(struct test_client *tc, const char *slug, int section, const char *form)
{
    char uri[96];
    snprintf(uri, sizeof uri, "/assess/%s/section/%d", slug, section);
    return tc_post_form(tc, uri, form, 1);
}

static void test_instruments_are_shipped(void **state)
{
    char uri[64];
    (void)state;
    assert_int_equal(tc_get(&member, "/assess/instruments"), 200);
    assert_true(tc_body_has(&member, "AHP digital capability"));
    assert_true(tc_body_has(&member, "What Good Looks Like"));
    snprintf(uri, sizeof uri, "/api/v1/assess/instruments/%lld",
             (long long)instrument_id("ahp-digital-capability"));
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "\"baseline\":\"28\""));
    assert_true(tc_body_has(&member, "\"items_count\":40"));
}

static void test_round_form_errors(void **state)
{
    (void)state;
    assert_int_equal(tc_post_form(&fac, "/assess/rounds/new",
                                  "title=&instrument=999999&audience=individual&mode=anonymous"
                                  "&opens=2027-02-01&closes=2027-01-01",
                                  1),
                     400);
    assert_true(tc_body_has(&fac, "Enter a title"));
    assert_true(tc_body_has(&fac, "Choose an instrument from the list"));
    assert_true(tc_body_has(&fac, "The closing date must be on or after the opening date"));
    /* members cannot run rounds */
    assert_int_equal(tc_post_form(&member, "/assess/rounds/new",
                                  "title=x&instrument=1&audience=individual&mode=anonymous", 1),
                     403);
}

static void test_take_resume_submit(void **state)
{
    struct test_client a, b;
    char slug[32], uri[128], resume[200];
    const char *p, *q;
    (void)state;
    new_round("&mode=anonymous", slug);
    tc_init(&a, app);
    tc_init(&b, app);

    assert_int_equal(start(&a, slug, "profession=not-a-profession"), 400);
    assert_true(tc_body_has(&a, "Select your profession from the list"));
    assert_int_equal(start(&a, slug, "profession=physiotherapist&region=london&band=6"), 303);
    assert_non_null(tc_cookie(&a, "ahp_ar"));
    snprintf(uri, sizeof uri, "/assess/%s/section/1", slug);
    assert_int_equal(tc_get(&a, uri), 200);
    assert_true(tc_body_has(&a, "name=\"item.leadership-1\""));
    assert_true(tc_body_has(&a, "Section 1 of 9"));

    /* a wrong answer saves nothing */
    assert_int_equal(answer(&a, slug, 1, "item.leadership-1=3&item.leadership-3=7&action=next"),
                     400);
    assert_true(tc_body_has(&a, "Question 3: choose one of the answers"));
    assert_int_equal(
        query_int("SELECT COUNT(*) FROM assess_responses WHERE answers LIKE '3%'", NULL, NULL), 0);

    /* section 1 answered, then "come back later" */
    assert_int_equal(answer(&a, slug, 1,
                            "item.leadership-1=3&item.leadership-2=2&item.leadership-3=1"
                            "&item.leadership-4=4&item.leadership-5=1&action=later"),
                     303);
    snprintf(uri, sizeof uri, "/assess/%s/saved", slug);
    assert_int_equal(tc_get(&a, uri), 200);
    p = strstr(a.res.body, "/resume/");
    assert_non_null(p);
    q = strchr(p, '"');
    assert_non_null(q);
    snprintf(resume, sizeof resume, "/assess/%s%.*s", slug, (int)(q - p), p);

    /* another device: the resume link carries on at section 2 */
    assert_int_equal(tc_get(&b, resume), 303);
    snprintf(uri, sizeof uri, "/assess/%s/section/2", slug);
    assert_string_equal(lb_header(&b.res, "Location"), uri);
    assert_int_equal(answer(&b, slug, 2, "item.ai-1=1&item.ai-2=0&action=next"), 303);
    snprintf(uri, sizeof uri, "/assess/%s/check", slug);
    assert_int_equal(tc_get(&b, uri), 200);
    assert_true(tc_body_has(&b, "You have answered 7 of 40 questions"));
    snprintf(uri, sizeof uri, "/assess/%s/submit", slug);
    assert_int_equal(tc_post_form(&b, uri, "", 1), 303);
    snprintf(uri, sizeof uri, "/assess/%s/result", slug);
    assert_string_equal(lb_header(&b.res, "Location"), uri);
    assert_int_equal(tc_get(&b, uri), 200);
    assert_true(tc_body_has(&b, "Your results"));
    assert_true(tc_body_has(&b, "<svg"));
    assert_true(tc_body_has(&b, "Digital leadership"));
    /* the first browser sees the same result; answers can no longer change */
    assert_int_equal(tc_get(&a, uri), 200);
    assert_int_equal(answer(&a, slug, 3, "item.data-1=1&action=next"), 303);
    assert_string_equal(lb_header(&a.res, "Location"), uri);
    /* the result as JSON: leadership answers 3,2,1,4,1 score 75,50,100,100,25 → 70 */
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/result", slug);
    assert_int_equal(tc_get(&a, uri), 200);
    assert_true(tc_body_has(&a, "\"percent\":\"70\""));
    /* a stranger has no result */
    tc_reset(&b);
    snprintf(uri, sizeof uri, "/assess/%s/result", slug);
    assert_int_equal(tc_get(&b, uri), 303);
    tc_free(&a);
    tc_free(&b);
}

static void test_anonymous_round_stores_no_account(void **state)
{
    char slug[32];
    (void)state;
    new_round("&mode=anonymous", slug);
    assert_int_equal(start(&member, slug, "profession=dietitian"), 303);
    assert_int_equal(
        query_int("SELECT COUNT(*) FROM assess_responses s JOIN assess_rounds r ON r.id = "
                  "s.round_id WHERE r.slug = $1 AND s.user_id IS NOT NULL",
                  "t", slug),
        0);
    assert_int_equal(query_int("SELECT COUNT(*) FROM assess_responses s JOIN assess_rounds r ON "
                               "r.id = s.round_id WHERE r.slug = $1",
                               "t", slug),
                     1);
}

static void test_named_round(void **state)
{
    struct test_client anon, again;
    char slug[32], uri[96];
    (void)state;
    new_round("&mode=named", slug);
    tc_init(&anon, app);
    tc_init(&again, app);
    assert_int_equal(start(&anon, slug, ""), 303); /* to the login page */
    assert_non_null(strstr(lb_header(&anon.res, "Location"), "/login"));
    assert_int_equal(start(&member, slug, "profession=paramedic"), 303);
    assert_int_equal(
        query_int("SELECT COUNT(*) FROM assess_responses s JOIN assess_rounds r ON r.id = "
                  "s.round_id WHERE r.slug = $1 AND s.user_id IS NOT NULL",
                  "t", slug),
        1);
    /* the same member on another device finds the answers by account */
    assert_int_equal(tc_login(&again, "member@example.test", PW), 303);
    snprintf(uri, sizeof uri, "/assess/%s/section/1", slug);
    assert_int_equal(tc_get(&again, uri), 200);
    tc_free(&anon);
    tc_free(&again);
}

static void test_closed_round_takes_nothing(void **state)
{
    struct test_client a;
    char slug[32], uri[96];
    (void)state;
    new_round("&mode=anonymous", slug);
    tc_init(&a, app);
    assert_int_equal(start(&a, slug, ""), 303);
    snprintf(uri, sizeof uri, "/assess/%s/close", slug);
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 303);
    assert_int_equal(answer(&a, slug, 1, "item.leadership-1=2&action=next"), 409);
    tc_reset(&a);
    assert_int_equal(start(&a, slug, ""), 409);
    snprintf(uri, sizeof uri, "/assess/%s", slug);
    assert_int_equal(tc_get(&a, uri), 200);
    assert_true(tc_body_has(&a, "It takes no more answers"));
    tc_free(&a);
}

static void test_invitation_link(void **state)
{
    struct test_client a;
    char slug[32], uri[128], form[64];
    const char *p;
    int64_t org = organisation("Northfield Community Health NHS Trust");
    (void)state;
    new_round("&mode=anonymous", slug);
    tc_init(&a, app);
    snprintf(uri, sizeof uri, "/assess/%s/invitations", slug);
    snprintf(form, sizeof form, "organisation=%lld", (long long)org);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 303);
    snprintf(uri, sizeof uri, "/assess/%s/manage", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    p = strstr(fac.res.body, "/invitation/");
    assert_non_null(p);
    snprintf(uri, sizeof uri, "/assess/%s%.*s", slug, (int)(strchr(p, '"') - p), p);
    assert_int_equal(tc_get(&a, uri), 200);
    assert_true(tc_body_has(&a, "You are answering for <strong>Northfield"));
    snprintf(form, sizeof form, "invitation=%s", strrchr(uri, '/') + 1);
    snprintf(uri, sizeof uri, "/assess/%s/start", slug);
    assert_int_equal(tc_post_form(&a, uri, form, 1), 303);
    assert_int_equal(
        query_int("SELECT COUNT(*) FROM assess_responses s JOIN assess_rounds r ON r.id = "
                  "s.round_id WHERE r.slug = $1 AND s.organisation_id IS NOT NULL "
                  "AND s.invitation_id IS NOT NULL AND s.user_id IS NULL",
                  "t", slug),
        1);
    snprintf(uri, sizeof uri, "/assess/%s/invitation/notacode", slug);
    assert_int_equal(tc_get(&a, uri), 404);
    tc_free(&a);
}

/* A round with 3 submitted responses: every group is small, so nothing about it is shown. */
static void test_benchmarks_suppress_small_groups(void **state)
{
    char slug[32], uri[96];
    (void)state;
    new_round("&mode=anonymous", slug);
    for (int i = 0; i < 3; i++) {
        struct test_client a;
        tc_init(&a, app);
        assert_int_equal(start(&a, slug, "profession=orthoptist"), 303);
        assert_int_equal(answer(&a, slug, 1, "item.leadership-1=4&action=next"), 303);
        snprintf(uri, sizeof uri, "/assess/%s/submit", slug);
        assert_int_equal(tc_post_form(&a, uri, "", 1), 303);
        tc_free(&a);
    }
    assert_int_equal(query_int("SELECT submitted FROM assess_rounds WHERE slug = $1", "t", slug),
                     3);
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/benchmarks", slug);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "\"responses\":\"*\""));
    assert_false(tc_body_has(&member, "\"mean\":\"100\""));
    /* members never get the organisation breakdown */
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/benchmarks?by=organisation", slug);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "\"by\":\"profession\""));
    snprintf(uri, sizeof uri, "/assess/%s/benchmarks", slug);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "Benchmarks"));
    /* the body is kept for the next reader who sees the round the same way, and only for
     * them: a facilitator after a member still gets the facilitator's page */
    assert_false(tc_body_has(&member, "Manage this round"));
    assert_int_equal(tc_get(&member, uri), 200);
    assert_false(tc_body_has(&member, "Manage this round"));
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "Manage this round"));
    /* the benchmark CSV and JSON follow the rule too */
    snprintf(uri, sizeof uri, "/assess/%s/export/benchmark.csv", slug);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "*"));
    assert_false(tc_body_has(&member, ",3,"));
    /* the responses themselves are for facilitators */
    snprintf(uri, sizeof uri, "/assess/%s/export/responses.csv", slug);
    assert_int_equal(tc_get(&member, uri), 403);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "leadership-1"));
    /* anonymous visitors are asked to log in */
    {
        struct test_client a;
        tc_init(&a, app);
        snprintf(uri, sizeof uri, "/assess/%s/benchmarks", slug);
        assert_int_equal(tc_get(&a, uri), 303);
        tc_free(&a);
    }
}

static void test_import(void **state)
{
    char slug[32], uri[96], body[1024];
    const char *boundary = "XyZ";
    const char *bad = "profession,leadership-1,leadership-2\nphysiotherapist,3,9\nnobody,1,1\n";
    const char *good = "profession,leadership-1,leadership-2\nphysiotherapist,3,2\n"
                       "dietitian,Agree,\n";
    const char *hs[] = {"Content-Type: multipart/form-data; boundary=XyZ", NULL};
    int n;
    (void)state;
    new_round("&mode=anonymous", slug);
    snprintf(uri, sizeof uri, "/assess/%s/import", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    for (int pass = 0; pass < 2; pass++) {
        n = snprintf(body, sizeof body,
                     "--%s\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n%s\r\n"
                     "--%s\r\nContent-Disposition: form-data; name=\"csv_file\"; "
                     "filename=\"r.csv\"\r\nContent-Type: text/csv\r\n\r\n%s\r\n--%s--\r\n",
                     boundary, tc_cookie(&fac, "ahp_csrf"), boundary, pass ? good : bad, boundary);
        {
            int st = tc_request(&fac, "POST", uri, hs, body, (size_t)n);
            if (!pass) {
                assert_int_equal(st, 400);
                assert_true(tc_body_has(&fac, "Line 2"));
                assert_true(tc_body_has(&fac, "Line 3"));
                assert_true(tc_body_has(&fac, "Nothing was imported"));
                assert_int_equal(
                    query_int("SELECT COUNT(*) FROM assess_responses s JOIN assess_rounds r ON "
                              "r.id = s.round_id WHERE r.slug = $1",
                              "t", slug),
                    0);
            } else {
                assert_int_equal(st, 303);
                assert_int_equal(
                    query_int("SELECT COUNT(*) FROM assess_responses s JOIN assess_rounds r ON "
                              "r.id = s.round_id WHERE r.slug = $1 AND s.submitted_at > 0",
                              "t", slug),
                    2);
                /* the round's own count moves with the import (the benchmark cache's key) */
                assert_int_equal(query_int("SELECT submitted FROM assess_rounds WHERE slug = $1",
                                           "t", slug),
                                 2);
            }
        }
    }
}

static void test_instrument_versions(void **state)
{
    char uri[96];
    int64_t id = instrument_id("wgll-organisation");
    (void)state;
    assert_int_equal(
        tc_post_form(&admin, "/assess/instruments", "definition=%7B%22code%22%3A%22x%22%7D", 1),
        400);
    assert_true(tc_body_has(&admin, "The instrument cannot be used"));
    assert_int_equal(tc_post_form(&fac, "/assess/instruments", "definition=%7B%7D", 1), 403);
    /* the edit page holds the current JSON; saving it makes version 2 */
    snprintf(uri, sizeof uri, "/assess/instruments/%lld/edit", (long long)id);
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(tc_body_has(&admin, "healthy-populations"));
    snprintf(uri, sizeof uri, "/assess/instruments/%lld/download", (long long)id);
    assert_int_equal(tc_get(&admin, uri), 200);
    {
        size_t n = admin.res.len;
        char *form = malloc(3 * n + 32);
        size_t k = (size_t)snprintf(form, 32, "definition=");
        assert_non_null(form);
        for (size_t i = 0; i < n; i++) { /* percent-encode everything but letters and digits */
            unsigned char ch = (unsigned char)admin.res.body[i];
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
                form[k++] = (char)ch;
            else
                k += (size_t)snprintf(form + k, 4, "%%%02X", ch);
        }
        form[k] = '\0';
        assert_int_equal(tc_post_form(&admin, "/assess/instruments", form, 1), 303);
        free(form);
    }
    assert_true(instrument_id("wgll-organisation") > id);
    assert_int_equal(query_int("SELECT MAX(version) FROM assess_instruments WHERE code = $1", "t",
                               "wgll-organisation"),
                     2);
}

/* The same journey as JSON, carrying the resume token instead of a cookie. */
static void test_api_journey(void **state)
{
    struct test_client a;
    char slug[32], uri[128], body[256], token[65];
    const char *p;
    (void)state;
    new_round("&mode=anonymous", slug);
    tc_init(&a, app);
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/start", slug);
    assert_int_equal(tc_post_json(&a, uri, "{\"profession\": \"dietitian\"}"), 201);
    p = strstr(a.res.body, "\"token\":\"");
    assert_non_null(p);
    snprintf(token, sizeof token, "%.64s", p + 9);
    tc_reset(&a);
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/section/1", slug);
    snprintf(body, sizeof body, "{\"token\": \"%s\", \"item.leadership-1\": \"4\"}", token);
    assert_int_equal(tc_post_json(&a, uri, body), 200);
    assert_true(tc_body_has(&a, "\"answered\":1"));
    snprintf(body, sizeof body, "{\"token\": \"%s\", \"item.leadership-1\": \"5\"}", token);
    assert_int_equal(tc_post_json(&a, uri, body), 400);
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/submit", slug);
    snprintf(body, sizeof body, "{\"token\": \"%s\"}", token);
    assert_int_equal(tc_post_json(&a, uri, body), 200);
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/result?token=%s", slug, token);
    assert_int_equal(tc_get(&a, uri), 200);
    assert_true(tc_body_has(&a, "\"percent\":\"100\""));
    assert_false(tc_body_has(&a, "<svg"));
    tc_free(&a);
}

/* A page renders (200) and tidy finds no errors in it. */
static void page_ok(struct test_client *tc, const char *uri)
{
    assert_int_equal(tc_get(tc, uri), 200);
    assert_true(testapp_tidy(tc->res.body, tc->res.len, uri) < 2);
}

/* Every Assess page a facilitator and a respondent see, through tidy. */
static void test_pages_pass_tidy(void **state)
{
    struct test_client a;
    char slug[32], other[32], uri[160];
    const char *p;
    int64_t org = organisation("Southbank Health NHS Foundation Trust");
    (void)state;
    new_round("&mode=anonymous", other);
    new_round("&mode=anonymous", slug);
    tc_init(&a, app);
    page_ok(&a, "/assess");
    page_ok(&a, "/assess/instruments");
    snprintf(uri, sizeof uri, "/assess/instruments/%lld",
             (long long)instrument_id("ahp-digital-capability"));
    page_ok(&a, uri);
    snprintf(uri, sizeof uri, "/assess/instruments/%lld",
             (long long)instrument_id("wgll-organisation"));
    page_ok(&a, uri);
    page_ok(&admin, "/assess/instruments/new");
    strncat(uri, "/edit", sizeof uri - strlen(uri) - 1);
    page_ok(&admin, uri);
    page_ok(&fac, "/assess/rounds/new");
    page_ok(&fac, "/assess");
    snprintf(uri, sizeof uri, "/assess/%s/invitations", slug);
    snprintf(uri + 100, 60, "organisation=%lld", (long long)org);
    assert_int_equal(tc_post_form(&fac, uri, uri + 100, 1), 303);
    snprintf(uri, sizeof uri, "/assess/%s/manage", slug);
    page_ok(&fac, uri);
    p = strstr(fac.res.body, "/invitation/");
    assert_non_null(p);
    snprintf(uri, sizeof uri, "/assess/%s%.*s", slug, (int)(strchr(p, '"') - p), p);
    page_ok(&a, uri);
    snprintf(uri, sizeof uri, "/assess/%s/import", slug);
    page_ok(&fac, uri);
    snprintf(uri, sizeof uri, "/assess/%s", slug);
    page_ok(&a, uri);
    assert_int_equal(start(&a, slug, "profession=podiatrist&band=8a"), 303);
    for (int n = 1; n <= 9; n++) {
        snprintf(uri, sizeof uri, "/assess/%s/section/%d", slug, n);
        page_ok(&a, uri);
    }
    assert_int_equal(answer(&a, slug, 9, "item.learning-1=1&action=later"), 303);
    snprintf(uri, sizeof uri, "/assess/%s/saved", slug);
    page_ok(&a, uri);
    snprintf(uri, sizeof uri, "/assess/%s/check", slug);
    page_ok(&a, uri);
    snprintf(uri, sizeof uri, "/assess/%s/submit", slug);
    assert_int_equal(tc_post_form(&a, uri, "", 1), 303);
    snprintf(uri, sizeof uri, "/assess/%s/result", slug);
    page_ok(&a, uri);
    snprintf(uri, sizeof uri, "/assess/%s", slug);
    page_ok(&a, uri);
    snprintf(uri, sizeof uri, "/assess/%s/benchmarks?by=organisation&compare=%s", slug, other);
    page_ok(&fac, uri);
    assert_true(tc_body_has(&fac, "Change since"));
    snprintf(uri, sizeof uri, "/assess/%s/benchmarks?by=band", slug);
    page_ok(&member, uri);
    snprintf(uri, sizeof uri, "/assess/%s/benchmarks?domain=2", slug);
    page_ok(&member, uri);
    assert_true(tc_body_has(&member, "By profession and region"));
    assert_true(tc_body_has(&member, "AI and decision-support literacy, by profession"));
    tc_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_instruments_are_shipped),
        cmocka_unit_test(test_round_form_errors),
        cmocka_unit_test(test_take_resume_submit),
        cmocka_unit_test(test_anonymous_round_stores_no_account),
        cmocka_unit_test(test_named_round),
        cmocka_unit_test(test_closed_round_takes_nothing),
        cmocka_unit_test(test_invitation_link),
        cmocka_unit_test(test_benchmarks_suppress_small_groups),
        cmocka_unit_test(test_import),
        cmocka_unit_test(test_instrument_versions),
        cmocka_unit_test(test_pages_pass_tidy),
        cmocka_unit_test(test_api_journey),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
