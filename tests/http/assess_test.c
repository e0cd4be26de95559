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

#include <jansson.h>

#include "account/account.h"
#include "account/org.h"
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
    assert_int_equal(account_org_ensure(db, name, NULL, "london", &id), 0);
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
    assert_true(tc_body_has(&member, "\"baseline\":28"));
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

    /* the link emailed to an address the respondent gives, nothing kept with the answers */
    snprintf(uri, sizeof uri, "/assess/%s/saved", slug);
    assert_true(tc_body_has(&a, "Email me the link"));
    assert_int_equal(tc_post_form(&a, uri, "email=not-an-address", 1), 400);
    assert_true(tc_body_has(&a, "Enter an email address"));
    assert_int_equal(tc_post_form(&a, uri, "email=resume.me%40example.test", 1), 303);
    {
        char like[sizeof resume + 4];
        snprintf(like, sizeof like, "%%%s%%", resume);
        assert_int_equal(testapp_int(app,
                                     "SELECT count(*) FROM mail_outbox WHERE recipient = "
                                     "'resume.me@example.test' AND body_text LIKE $1",
                                     like),
                         1);
        assert_int_equal(query_int("SELECT count(*) FROM assess_responses WHERE answers LIKE "
                                   "'%resume.me%'",
                                   NULL, NULL),
                         0);
    }

    /* another device: the resume link carries on at section 2 */
    assert_int_equal(tc_get(&b, resume), 303);
    snprintf(uri, sizeof uri, "/assess/%s/section/2", slug);
    assert_string_equal(lb_header(&b.res, "Location"), uri);
    assert_int_equal(answer(&b, slug, 2, "item.ai-1=1&item.ai-2=0&action=next"), 303);
    snprintf(uri, sizeof uri, "/assess/%s/check", slug);
    assert_int_equal(tc_get(&b, uri), 200);
    assert_true(tc_body_has(&b, "You have answered 7 of 40 questions"));
    /* every question with its answer and a link to change it there */
    snprintf(uri, sizeof uri, "href=\"/assess/%s/section/2#item.ai-1\">Change", slug);
    assert_true(tc_body_has(&b, uri));
    snprintf(uri, sizeof uri, "href=\"/assess/%s/section/2#item.ai-3\">Answer", slug);
    assert_true(tc_body_has(&b, uri));
    assert_true(tc_body_has(&b, "Not answered"));
    snprintf(uri, sizeof uri, "/assess/%s/check", slug);
    snprintf(uri, sizeof uri, "/assess/%s/submit", slug);
    assert_int_equal(tc_post_form(&b, uri, "", 1), 303);
    snprintf(uri, sizeof uri, "/assess/%s/result", slug);
    assert_string_equal(lb_header(&b.res, "Location"), uri);
    assert_int_equal(tc_get(&b, uri), 200);
    assert_true(tc_body_has(&b, "Your results"));
    assert_true(tc_body_has(&b, "<svg"));
    assert_true(tc_body_has(&b, "Digital leadership"));
    /* a domain skipped reads the same in the chart as in the table, and while the round is
     * open no average (and so no *) is shown, nor the legend of * */
    {
        const char *svg = strstr(b.res.body, "Chart: your results by domain");
        const char *end = svg ? strstr(svg, "</svg>") : NULL;
        const char *na = svg ? strstr(svg, "Not answered") : NULL;
        assert_non_null(end);
        assert_true(na && na < end);
        assert_false(tc_body_has(&b, "no responses"));
        assert_false(tc_body_has(&b, "* means fewer than"));
    }
    /* the first browser sees the same result; answers can no longer change */
    assert_int_equal(tc_get(&a, uri), 200);
    assert_int_equal(answer(&a, slug, 3, "item.data-1=1&action=next"), 303);
    assert_string_equal(lb_header(&a.res, "Location"), uri);
    /* the result as JSON: leadership answers 3,2,1,4,1 score 75,50,100,100,25 → 70 */
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/result", slug);
    assert_int_equal(tc_get(&a, uri), 200);
    assert_true(tc_body_has(&a, "\"percent\":70"));
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

/* A logged-in member answering an anonymous round leaves no time on their session to match
 * against the response's. The session is set back first, as if last refreshed minutes ago,
 * so a refresh would show. */
static void test_anonymous_round_leaves_no_time_on_session(void **state)
{
    struct test_client tc;
    struct db *db;
    char slug[32];
    (void)state;
    testapp_user(app, "unseen@example.test", "member", PW);
    new_round("&mode=anonymous", slug);
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "unseen@example.test", PW), 303);
    db = db_pool_get(app->pool);
    assert_int_equal(db_run(db,
                            "UPDATE sessions SET created_at = created_at - 600, "
                            "last_seen = last_seen - 600, expires_at = expires_at - 600 "
                            "WHERE user_id = (SELECT id FROM users WHERE email = $1)",
                            "t", "unseen@example.test"),
                     0);
    db_pool_put(app->pool, db);
    assert_int_equal(start(&tc, slug, "profession=dietitian"), 303);
    assert_int_equal(answer(&tc, slug, 1, "item.leadership-1=3&action=next"), 303);
    assert_int_equal(query_int("SELECT COUNT(*) FROM sessions s JOIN users u ON "
                               "u.id = s.user_id WHERE u.email = 'unseen@example.test' AND "
                               "s.last_seen >= (SELECT min(x.started_at) FROM assess_responses x "
                               "JOIN assess_rounds r ON r.id = x.round_id WHERE r.slug = $1)",
                               "t", slug),
                     0);
    assert_int_equal(query_int("SELECT COUNT(*) FROM assess_responses x JOIN assess_rounds r ON "
                               "r.id = x.round_id WHERE r.slug = $1",
                               "t", slug),
                     1);
    tc_free(&tc);
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

/* A member logged in who takes an anonymous round and saves for later is offered the link
 * by email with the box empty: their account's address is not put forward to be tied to a
 * round that promised anonymity. */
static void test_anonymous_link_form_starts_empty(void **state)
{
    char slug[32], uri[96];
    (void)state;
    new_round("&mode=anonymous", slug);
    assert_int_equal(start(&member, slug, "profession=paramedic"), 303);
    snprintf(uri, sizeof uri, "/assess/%s/saved", slug);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "Email me the link"));
    assert_true(tc_body_has(&member, "id=\"email\" name=\"email\""));
    assert_false(tc_body_has(&member, "value=\"member@example.test\""));
}

/* On a shared browser, the next person to log in neither continues nor submits the last
 * person's named response, even holding their cookie; and logging out drops the cookie. */
static void test_named_response_belongs_to_its_account(void **state)
{
    struct test_client shared;
    char slug[32], uri[96];
    (void)state;
    testapp_user(app, "next@example.test", "member", PW);
    testapp_user(app, "first@example.test", "member", PW);
    new_round("&mode=named", slug);
    tc_init(&shared, app);
    assert_int_equal(tc_login(&shared, "first@example.test", PW), 303);
    assert_int_equal(start(&shared, slug, "profession=paramedic"), 303);
    assert_non_null(tc_cookie(&shared, "ahp_ar"));
    assert_int_equal(answer(&shared, slug, 1,
                            "item.leadership-1=3&item.leadership-2=2&item.leadership-3=1"
                            "&item.leadership-4=4&item.leadership-5=1&action=later"),
                     303);
    /* the next person logs in without logging the first out; the cookie is still there */
    assert_int_equal(tc_login(&shared, "next@example.test", PW), 303);
    assert_non_null(tc_cookie(&shared, "ahp_ar"));
    snprintf(uri, sizeof uri, "/assess/%s/section/1", slug);
    assert_int_equal(tc_get(&shared, uri), 303);
    snprintf(uri, sizeof uri, "/assess/%s", slug);
    assert_string_equal(lb_header(&shared.res, "Location"), uri);
    snprintf(uri, sizeof uri, "/assess/%s/submit", slug);
    assert_int_equal(tc_post_form(&shared, uri, "", 1), 303);
    assert_int_equal(query_int("SELECT COUNT(*) FROM assess_responses s JOIN assess_rounds r ON "
                               "r.id = s.round_id WHERE r.slug = $1 AND s.submitted_at <> 0",
                               "t", slug),
                     0);
    /* the first person's answers are still theirs, on their account */
    assert_int_equal(tc_login(&shared, "first@example.test", PW), 303);
    snprintf(uri, sizeof uri, "/assess/%s/section/2", slug);
    assert_int_equal(tc_get(&shared, uri), 200);
    /* logging out drops the response cookie with every other */
    assert_int_equal(tc_post_form(&shared, "/logout", "", 1), 303);
    assert_string_equal(lb_header(&shared.res, "Clear-Site-Data"), "\"cookies\"");
    assert_null(tc_cookie(&shared, "ahp_ar"));
    assert_null(tc_cookie(&shared, "ahp_session"));
    tc_free(&shared);
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
    /* closing asks first: the round stays open until confirmed */
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 200);
    assert_true(tc_body_has(&fac, "cannot be opened again"));
    snprintf(uri, sizeof uri, "/assess/%s/manage", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "Close the round now"));
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/close", slug);
    assert_int_equal(tc_post_json(&fac, uri, "{}"), 400);
    snprintf(uri, sizeof uri, "/assess/%s/close", slug);
    assert_int_equal(tc_post_form(&fac, uri, "confirm=yes", 1), 303);
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

/* A round with 3 submitted responses: while it is open members see nothing from it (only
 * those who run rounds do); once closed, every group is small, so nothing about it is shown. */
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
    assert_true(tc_body_has(&member, "\"withheld\":true"));
    assert_false(tc_body_has(&member, "\"responses\""));
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "\"responses\":null"));
    snprintf(uri, sizeof uri, "/assess/%s/export/benchmark.json", slug);
    assert_int_equal(tc_get(&member, uri), 409);
    assert_false(tc_body_has(&member, "\"responses\""));
    snprintf(uri, sizeof uri, "/assess/%s/close", slug);
    assert_int_equal(tc_post_form(&fac, uri, "confirm=yes", 1), 303);
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/benchmarks", slug);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "\"responses\":null"));
    assert_false(tc_body_has(&member, "\"mean\":100"));
    /* members never get the organisation breakdown */
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/benchmarks?by=organisation", slug);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "\"by\":\"profession\""));
    snprintf(uri, sizeof uri, "/assess/%s/benchmarks", slug);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "Benchmarks"));
    /* the rule's numbers come from text/disclosure.h, inside a section too */
    assert_true(tc_body_has(&member, "Fewer than 8 responses"));
    assert_true(tc_body_has(&member, "any group of 7 people or fewer shows *"));
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

static void exec_sql(const char *sql, const char *types, ...)
{
    struct db *db = db_pool_get(app->pool);
    struct db_stmt *st = NULL;
    va_list ap;
    int rc = db_prepare(db, sql, &st);
    va_start(ap, types);
    for (int i = 0; !rc && types[i]; i++)
        rc = types[i] == 'i' ? db_bind_int(st, i + 1, va_arg(ap, int64_t))
                             : db_bind_cstr(st, i + 1, va_arg(ap, const char *));
    va_end(ap);
    assert_int_equal(rc, 0);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
    db_pool_put(app->pool, db);
}

/* A national round with responses from 4,096 organisations: more than the benchmark audits
 * together (benchmark.c's limit). Before, every benchmark page of the round answered 413
 * "What you sent is too large"; now everything but the breakdown by organisation is
 * published, and that breakdown says why it is missing, on the page and through the API. */
static void test_too_many_organisations(void **state)
{
    char slug[32], uri[128];
    int64_t round;
    json_t *j;
    (void)state;
    new_round("&mode=anonymous", slug);
    round = query_int("SELECT id FROM assess_rounds WHERE slug = $1", "t", slug);
    exec_sql("INSERT INTO organisations (name, region, created_at) WITH RECURSIVE k(i) AS "
             "(SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 4096) "
             "SELECT 'Many trusts ' || i, 'london', 0 FROM k",
             "");
    exec_sql("INSERT INTO assess_responses (round_id, instrument_id, token_hash, organisation_id, "
             "profession, region, band, answers, source, started_at, updated_at, submitted_at) "
             "SELECT $1, $2, 'many-' || o.id, o.id, 'physiotherapist', 'london', '6', '2222', "
             "'import', 1, 1, 1 FROM organisations o WHERE o.name LIKE 'Many trusts %'",
             "ii", round, instrument_id("ahp-digital-capability"));
    exec_sql("UPDATE assess_rounds SET submitted = 4096 WHERE id = $1", "i", round);

    snprintf(uri, sizeof uri, "/api/v1/assess/%s/benchmarks?by=organisation", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    j = json_loadb(fac.res.body, fac.res.len, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "organisations_withheld")), 4096);
    assert_int_equal(json_array_size(json_object_get(j, "groups")), 0);
    assert_int_equal(json_integer_value(json_object_get(j, "responses")), 4095); /* to 5 */
    json_decref(j);
    /* the other breakdowns are whole, and say nothing is withheld */
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/benchmarks?by=profession", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_false(tc_body_has(&fac, "organisations_withheld"));
    assert_true(tc_body_has(&fac, "Physiotherapist"));
    snprintf(uri, sizeof uri, "/assess/%s/benchmarks?by=organisation", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "Responses came from 4,096 organisations"));
    assert_true(tc_body_has(&fac, "could not reveal a small group"));
    assert_false(tc_body_has(&fac, "No respondent gave this."));
    snprintf(uri, sizeof uri, "/assess/%s/export/benchmark.json", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "\"organisations_withheld\": 4096"));
    snprintf(uri, sizeof uri, "/assess/%s/export/benchmark.csv", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_false(tc_body_has(&fac, "Many trusts"));
}

/* Imports csv into the round as the facilitator; returns the status. */
static int import_csv(const char *slug, const char *csv)
{
    char uri[96], *body;
    const char *hs[] = {"Content-Type: multipart/form-data; boundary=XyZ", NULL};
    size_t size = strlen(csv) + 512;
    int n, st;
    body = malloc(size);
    assert_non_null(body);
    snprintf(uri, sizeof uri, "/assess/%s/import", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    n = snprintf(body, size,
                 "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n%s\r\n"
                 "--XyZ\r\nContent-Disposition: form-data; name=\"csv_file\"; "
                 "filename=\"r.csv\"\r\nContent-Type: text/csv\r\n\r\n%s\r\n--XyZ--\r\n",
                 tc_csrf(&fac), csv);
    st = tc_request(&fac, "POST", uri, hs, body, (size_t)n);
    free(body);
    return st;
}

/* The phone walk's case: one orthoptist in London at the top of every scale, eight
 * physiotherapists in the North West. The breakdown by profession hides both; the
 * profession × region table showed the physiotherapists' cell, margin and mean, so
 * all × 9 − physiotherapists × 8 gave the orthoptist's scores. No page, API answer or
 * download may now show the physiotherapists' count or mean (their mean is 25 in
 * leadership, all nine's 33). */
static void test_cross_table_keeps_hidden_groups_hidden(void **state)
{
    char slug[32], uri[128], csv[1024];
    size_t at;
    (void)state;
    new_round("&mode=anonymous", slug);
    at = (size_t)snprintf(csv, sizeof csv,
                          "profession,region,leadership-1,leadership-2\n"
                          "orthoptist,london,5,5\n");
    for (int i = 0; i < 8; i++)
        at += (size_t)snprintf(csv + at, sizeof csv - at, "physiotherapist,north-west,2,2\n");
    assert_int_equal(import_csv(slug, csv), 303);
    snprintf(uri, sizeof uri, "/assess/%s/close", slug);
    assert_int_equal(tc_post_form(&fac, uri, "confirm=yes", 1), 303);
    for (int who = 0; who < 2; who++) {
        struct test_client *tc = who ? &fac : &member;
        static const char *const pages[] = {"/assess/%s/benchmarks?domain=1",
                                            "/assess/%s/benchmarks?by=region&domain=1",
                                            "/api/v1/assess/%s/benchmarks?domain=1",
                                            "/api/v1/assess/%s/benchmarks?by=region&domain=1",
                                            "/assess/%s/export/benchmark.csv",
                                            "/assess/%s/export/benchmark.json"};
        for (size_t k = 0; k < sizeof pages / sizeof pages[0]; k++) {
            snprintf(uri, sizeof uri, pages[k], slug);
            assert_int_equal(tc_get(tc, uri), 200);
            /* the nine are shown (10), the eight never (10 too, rounded: so no 10 beside
             * a physiotherapist or the North West, and no mean of 25) */
            /* (a facilitator's own quartiles are someone's score: 25.0; members get none) */
            if (k >= 4 && who == 0)
                assert_false(tc_body_has(tc, "25.0"));
            assert_false(tc_body_has(tc, "\"mean\":25"));
            assert_false(tc_body_has(tc, ",25,") || tc_body_has(tc, ",25\n") ||
                         tc_body_has(tc, ",25\r"));
            assert_false(tc_body_has(tc, "(25)"));
            if (k < 2) {
                /* every table row of the physiotherapists or the North West: all "*" */
                const char *name =
                    k ? "scope=\"row\">North West</th>" : "scope=\"row\">Physiotherapist</th>";
                const char *ph = tc->res.body;
                int rows = 0;
                while ((ph = strstr(ph, name))) {
                    const char *row_end = strstr(ph, "</tr>");
                    assert_non_null(row_end);
                    assert_null(memmem(ph, (size_t)(row_end - ph), "10", 2));
                    ph = row_end;
                    rows++;
                }
                assert_true(rows >= 1);
            } else if (k < 4) {
                const char *ph = strstr(tc->res.body, k % 2 ? "North West" : "Physiotherapist");
                const char *row_end;
                assert_non_null(ph);
                /* the breakdown's group: hidden */
                row_end = strchr(ph, '}');
                assert_non_null(row_end);
                assert_null(memmem(ph, (size_t)(row_end - ph), "10", 2));
            }
        }
        /* the cross table itself: the physiotherapists' row shows no count */
        snprintf(uri, sizeof uri, "/api/v1/assess/%s/benchmarks?domain=1", slug);
        assert_int_equal(tc_get(tc, uri), 200);
        {
            json_t *j = json_loads(tc->res.body, 0, NULL), *rows, *row;
            size_t i;
            assert_non_null(j);
            rows = json_object_get(json_object_get(j, "cross"), "rows");
            assert_true(json_is_array(rows));
            json_array_foreach(rows, i, row)
            {
                json_t *cell;
                size_t c;
                assert_true(json_is_null(json_object_get(row, "total")));
                json_array_foreach(json_object_get(row, "cells"), c, cell)
                {
                    json_t *n = json_object_get(cell, "count");
                    assert_true(json_is_null(n) || json_integer_value(n) == 0);
                    assert_false(json_is_number(json_object_get(cell, "mean")));
                }
            }
            json_decref(j);
        }
    }
}

/* The count an API benchmark answer gives group name (null when hidden); fails when absent. */
static json_t *api_group_count(json_t *j, const char *name)
{
    json_t *row;
    size_t i;
    json_array_foreach(json_object_get(j, "groups"), i, row)
    {
        if (!strcmp(json_string_value(json_object_get(row, "group")), name))
            return json_object_get(row, "count");
    }
    fail_msg("no group %s", name);
    return NULL;
}

/* The count the benchmark download gives group code of breakdown dim (null when hidden). */
static json_t *export_group_count(json_t *j, const char *dim, const char *code)
{
    json_t *row;
    size_t i;
    json_array_foreach(
        json_object_get(json_object_get(json_object_get(j, "breakdowns"), dim), "groups"), i, row)
    {
        if (!strcmp(json_string_value(json_object_get(row, "code")), code))
            return json_object_get(row, "respondents");
    }
    fail_msg("no group %s", code);
    return NULL;
}

/* One orthoptist in band 5, twelve physiotherapists all in band 5, nine dietitians in band 6:
 * the breakdown by profession hides the orthoptist and the dietitians. Band 5 (13) and the
 * physiotherapists (12) were both shown, so band 5 less the physiotherapists was the
 * orthoptist, and its means less theirs the orthoptist's scores. Now, in the API answers
 * and the download, members' and facilitators', never both. */
static void test_band_keeps_hidden_profession_hidden(void **state)
{
    char slug[32], uri[128], csv[1024];
    size_t at;
    (void)state;
    new_round("&mode=anonymous", slug);
    at = (size_t)snprintf(csv, sizeof csv,
                          "profession,band,leadership-1,leadership-2\n"
                          "orthoptist,5,5,5\n");
    for (int i = 0; i < 12; i++)
        at += (size_t)snprintf(csv + at, sizeof csv - at, "physiotherapist,5,2,2\n");
    for (int i = 0; i < 9; i++)
        at += (size_t)snprintf(csv + at, sizeof csv - at, "dietitian,6,3,3\n");
    assert_int_equal(import_csv(slug, csv), 303);
    snprintf(uri, sizeof uri, "/assess/%s/close", slug);
    assert_int_equal(tc_post_form(&fac, uri, "confirm=yes", 1), 303);
    for (int who = 0; who < 2; who++) {
        struct test_client *tc = who ? &fac : &member;
        json_t *prof, *band, *all;
        snprintf(uri, sizeof uri, "/api/v1/assess/%s/benchmarks", slug);
        assert_int_equal(tc_get(tc, uri), 200);
        assert_non_null(prof = json_loads(tc->res.body, 0, NULL));
        snprintf(uri, sizeof uri, "/api/v1/assess/%s/benchmarks?by=band", slug);
        assert_int_equal(tc_get(tc, uri), 200);
        assert_non_null(band = json_loads(tc->res.body, 0, NULL));
        snprintf(uri, sizeof uri, "/assess/%s/export/benchmark.json", slug);
        assert_int_equal(tc_get(tc, uri), 200);
        assert_non_null(all = json_loads(tc->res.body, 0, NULL));
        assert_true(json_is_integer(json_object_get(prof, "responses")));
        assert_true(json_is_null(api_group_count(prof, "Orthoptist")));
        assert_true(json_is_null(api_group_count(prof, "Dietitian")));
        assert_true(json_is_null(api_group_count(band, "Band 5")) ||
                    json_is_null(api_group_count(prof, "Physiotherapist")));
        assert_true(json_is_null(export_group_count(all, "band", "5")) ||
                    json_is_null(export_group_count(all, "profession", "physiotherapist")));
        /* the nine dietitians are not shown as band 6 either */
        assert_true(json_is_null(api_group_count(band, "Band 6")));
        assert_true(json_is_null(export_group_count(all, "band", "6")));
        json_decref(prof);
        json_decref(band);
        json_decref(all);
    }
}

/* A closed round's published figures never change: no import (page or API, nothing saved),
 * and its manage page offers none. */
static void test_closed_round_refuses_import(void **state)
{
    char slug[32], uri[96];
    (void)state;
    new_round("&mode=anonymous", slug);
    snprintf(uri, sizeof uri, "/assess/%s/manage", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "Import responses from a CSV file"));
    snprintf(uri, sizeof uri, "/assess/%s/close", slug);
    assert_int_equal(tc_post_form(&fac, uri, "confirm=yes", 1), 303);
    snprintf(uri, sizeof uri, "/assess/%s/manage", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_false(tc_body_has(&fac, "Import responses from a CSV file"));
    snprintf(uri, sizeof uri, "/assess/%s/import", slug);
    assert_int_equal(tc_get(&fac, uri), 409);
    assert_true(tc_body_has(&fac, "This round has closed"));
    {
        char body[512];
        const char *hs[] = {"Content-Type: multipart/form-data; boundary=XyZ", NULL};
        int n = snprintf(body, sizeof body,
                         "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n%s"
                         "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"csv_file\"; "
                         "filename=\"r.csv\"\r\nContent-Type: text/csv\r\n\r\nprofession,"
                         "leadership-1\nphysiotherapist,3\n\r\n--XyZ--\r\n",
                         tc_csrf(&fac));
        assert_int_equal(tc_request(&fac, "POST", uri, hs, body, (size_t)n), 409);
        assert_true(tc_body_has(&fac, "Nothing was imported"));
    }
    assert_int_equal(query_int("SELECT COUNT(*) FROM assess_responses s JOIN assess_rounds r ON "
                               "r.id = s.round_id WHERE r.slug = $1",
                               "t", slug),
                     0);
}

/* Downloads of an open round's benchmarks: 409 under a title that says why. change.csv with
 * no round to compare with: 400 saying so (page and API). */
static void test_download_errors_say_why(void **state)
{
    char slug[32], uri[128];
    static const char *const files[] = {"benchmark.csv", "benchmark.json", "change.csv"};
    (void)state;
    new_round("&mode=anonymous", slug);
    for (size_t k = 0; k < 3; k++) {
        snprintf(uri, sizeof uri, "/assess/%s/export/%s?compare=x", slug, files[k]);
        assert_int_equal(tc_get(&member, uri), 409);
        assert_true(tc_body_has(&member, "<h1>These benchmarks are not published yet</h1>"));
        assert_false(tc_body_has(&member, "already been done"));
        assert_true(tc_body_has(&member, "published when it closes"));
    }
    snprintf(uri, sizeof uri, "/assess/%s/export/change.csv", slug);
    assert_int_equal(tc_get(&fac, uri), 400);
    assert_true(tc_body_has(&fac, "<h1>Choose a round to compare with</h1>"));
    assert_true(tc_body_has(&fac, "?compare="));
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/export/change.csv", slug);
    assert_int_equal(tc_get(&fac, uri), 400);
    assert_true(tc_body_has(&fac, "Choose a round to compare with"));
}

/* A closed round cannot be reopened: its manage page shows no date fields, and a changed
 * date is refused on its field rather than "saved" (the title still saves). */
static void test_closed_round_dates_fixed(void **state)
{
    char slug[32], uri[96];
    (void)state;
    new_round("&mode=anonymous", slug);
    snprintf(uri, sizeof uri, "/assess/%s/close", slug);
    assert_int_equal(tc_post_form(&fac, uri, "confirm=yes", 1), 303);
    snprintf(uri, sizeof uri, "/assess/%s/manage", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_false(tc_body_has(&fac, "name=\"closes-day\""));
    assert_true(tc_body_has(&fac, "cannot be reopened"));
    assert_int_equal(tc_post_form(&fac, uri,
                                  "title=Digital+capability+test&closes-day=31&closes-month=12&"
                                  "closes-year=2099",
                                  1),
                     400);
    assert_true(tc_body_has(&fac, "href=\"#closes"));
    assert_true(tc_body_has(&fac, "cannot be reopened, so its closing date cannot be changed"));
    assert_false(tc_body_has(&fac, "has been saved"));
    assert_int_equal(
        query_int("SELECT closes_at < 4000000000 FROM assess_rounds WHERE slug = $1", "t", slug),
        1);
    assert_int_equal(tc_post_form(&fac, uri, "title=Renamed+round", 1), 303);
    assert_int_equal(
        query_int("SELECT COUNT(*) FROM assess_rounds WHERE slug = $1 AND title = 'Renamed round'",
                  "t", slug),
        1);
}

/* A drop-down left at its first option: "Select", as the design system words it. */
static void test_invitation_needs_an_organisation(void **state)
{
    char slug[32], uri[96];
    (void)state;
    new_round("&mode=anonymous", slug);
    snprintf(uri, sizeof uri, "/assess/%s/manage", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    snprintf(uri, sizeof uri, "/assess/%s/invitations", slug);
    assert_int_equal(tc_post_form(&fac, uri, "organisation=", 1), 400);
    assert_true(tc_body_has(&fac, "Select an organisation"));
    assert_false(tc_body_has(&fac, "Enter an organisation"));
}

/* The assessments page promises only what the result page shows before the round closes. */
static void test_index_wording(void **state)
{
    (void)state;
    assert_int_equal(tc_get(&member, "/assess"), 200);
    assert_false(tc_body_has(&member, "next to the national baseline and your profession"));
    assert_true(
        tc_body_has(&member, "your profession’s average is added once the round has closed"));
}

/* The facilitator's benchmark JSON: means to 0.1 as JSON numbers, without float noise. */
static void test_benchmark_json_rounded(void **state)
{
    char slug[32], uri[128], csv[1024];
    size_t at;
    (void)state;
    new_round("&mode=anonymous", slug);
    at = (size_t)snprintf(csv, sizeof csv, "profession,leadership-1,leadership-2,leadership-4\n");
    /* ten respondents whose leadership mean is not a whole number */
    for (int i = 0; i < 10; i++)
        at += (size_t)snprintf(csv + at, sizeof csv - at, "physiotherapist,%d,%d,%d\n", 1 + i % 5,
                               1 + (i * 3) % 5, i < 3 ? 2 : 1);
    assert_int_equal(import_csv(slug, csv), 303);
    snprintf(uri, sizeof uri, "/assess/%s/export/benchmark.json", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "\"mean\": 35.8")); /* 1,075 / 3 / 10 */
    /* they gave no region: the profession × region table has a column for them, so its row
     * adds up to the profession's count (10) */
    snprintf(uri, sizeof uri, "/assess/%s/benchmarks", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "scope=\"col\">Region not stated</th>"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, uri) < 2);
    snprintf(uri, sizeof uri, "/assess/%s/export/benchmark.json", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    {
        json_t *j = json_loads(fac.res.body, 0, NULL);
        const char *p = fac.res.body;
        assert_non_null(j);
        json_decref(j);
        /* every number has at most one decimal */
        while ((p = strstr(p, "\"mean\": "))) {
            const char *dot;
            p += 8;
            if (*p == 'n')
                continue;
            dot = strchr(p, '.');
            if (dot && dot < p + strcspn(p, ",\n}"))
                assert_true(strcspn(dot + 1, ",\n} ") <= 1);
        }
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
                     boundary, tc_csrf(&fac), boundary, pass ? good : bad, boundary);
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
                assert_int_equal(
                    query_int("SELECT submitted FROM assess_rounds WHERE slug = $1", "t", slug), 2);
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

/* ---- the instrument editor: a browser's view of its form ---- */

#define FORM_MAX 300

struct form_field {
    char name[80];
    char *value; /* malloc'd */
};

struct page_form {
    struct form_field f[FORM_MAX];
    size_t n;
};

static void form_free(struct page_form *pf)
{
    for (size_t i = 0; i < pf->n; i++)
        free(pf->f[i].value);
    pf->n = 0;
}

/* The field's value, replacing an earlier one of the same name, as a browser would send it. */
static void form_set(struct page_form *pf, const char *name, const char *value)
{
    size_t i = 0;
    while (i < pf->n && strcmp(pf->f[i].name, name))
        i++;
    if (i == pf->n) {
        assert_true(pf->n < FORM_MAX);
        snprintf(pf->f[pf->n++].name, sizeof pf->f[0].name, "%s", name);
    } else {
        free(pf->f[i].value);
    }
    pf->f[i].value = strdup(value);
    assert_non_null(pf->f[i].value);
}

static const char *form_get(const struct page_form *pf, const char *name)
{
    for (size_t i = 0; i < pf->n; i++)
        if (!strcmp(pf->f[i].name, name))
            return pf->f[i].value;
    return NULL;
}

/* s[0..n) with the template's escapes undone. */
static char *unescape(const char *s, size_t n)
{
    static const char *const ent[][2] = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
    char *out = malloc(n + 1), *o = out;
    assert_non_null(out);
    for (size_t i = 0; i < n;) {
        size_t k = 0;
        for (; k < 5; k++)
            if (!strncmp(s + i, ent[k][0], strlen(ent[k][0])))
                break;
        if (k < 5) {
            *o++ = ent[k][1][0];
            i += strlen(ent[k][0]);
        } else {
            *o++ = s[i++];
        }
    }
    *o = '\0';
    return out;
}

/* The value of attribute attr in the tag [tag, end), or NULL. */
static char *attr(const char *tag, const char *end, const char *name)
{
    char key[32];
    const char *p, *q;
    snprintf(key, sizeof key, " %s=\"", name);
    p = strstr(tag, key);
    if (!p || p >= end)
        return NULL;
    p += strlen(key);
    q = strchr(p, '"');
    return unescape(p, (size_t)(q - p));
}

/* Every field of the editor's form on the last page, as a browser would submit it (without
 * the button and the CSRF token, which tc_post_form adds). */
static void form_scrape(const struct test_client *tc, struct page_form *pf)
{
    const char *p = strstr(tc->res.body, "action=\"/assess/instruments/editor\"");
    const char *end = p ? strstr(p, "</form>") : NULL;
    pf->n = 0;
    assert_non_null(end);
    while ((p = strchr(p + 1, '<')) && p < end) {
        const char *close = strchr(p, '>');
        char *name, *value = NULL;
        if (strncmp(p, "<input", 6) && strncmp(p, "<textarea", 9) && strncmp(p, "<select", 7))
            continue;
        name = attr(p, close, "name");
        if (!name || !strcmp(name, "csrf_token")) {
            free(name);
            continue;
        }
        if (!strncmp(p, "<input", 6)) {
            value = attr(p, close, "value");
        } else if (!strncmp(p, "<textarea", 9)) {
            const char *e = strstr(close, "</textarea>"), *b = close + 1;
            if (*b == '\n') /* as browsers do: a newline right after the tag is not content */
                b++;
            value = unescape(b, (size_t)(e - b));
        } else {
            const char *e = strstr(close, "</select>"), *opt = strstr(close, " selected>");
            if (!opt || opt > e)
                opt = strstr(close, "<option");
            while (opt > close && strncmp(opt, "<option", 7))
                opt--;
            value = attr(opt, e, "value");
        }
        form_set(pf, name, value ? value : "");
        free(name);
        free(value);
    }
}

/* POSTs the form with the button action; returns the status. */
static int form_post(struct test_client *tc, const struct page_form *pf, const char *action)
{
    size_t cap = 64, k = 0;
    char *body;
    int st;
    for (size_t i = 0; i < pf->n; i++)
        cap += strlen(pf->f[i].name) + 3 * strlen(pf->f[i].value) + 2;
    body = malloc(cap);
    assert_non_null(body);
    for (size_t i = 0; i < pf->n; i++) {
        k += (size_t)snprintf(body + k, cap - k, "%s=", pf->f[i].name);
        for (const char *v = pf->f[i].value; *v; v++) {
            unsigned char ch = (unsigned char)*v;
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
                body[k++] = (char)ch;
            else
                k += (size_t)snprintf(body + k, 4, "%%%02X", ch);
        }
        body[k++] = '&';
    }
    snprintf(body + k, cap - k, "action=%s", action);
    st = tc_post_form(tc, "/assess/instruments/editor", body, 1);
    free(body);
    return st;
}

/* A small instrument (the example of docs/assess-instruments.md), saved through the JSON page. */
static const char *const REMOTE_CARE =
    "{\"code\": \"team-remote-care\", \"title\": \"Team remote care check\", "
    "\"description\": \"A quick check of how ready a team is.\", \"audience\": \"team\", "
    "\"method\": \"percent\", \"bands\": [{\"from\": 0, \"name\": \"Not ready\"}, "
    "{\"from\": 50, \"name\": \"Getting there\"}], \"domains\": ["
    "{\"id\": \"video\", \"title\": \"Video consultations\", \"description\": \"Video.\", "
    "\"items\": [{\"id\": \"video-1\", \"kind\": \"agree\", \"text\": \"Everyone can run a video "
    "consultation.\"}, {\"id\": \"video-2\", \"kind\": \"yesno\", \"text\": \"Is there a safety "
    "plan?\", \"help\": \"For example a fall.\"}, {\"id\": \"video-3\", \"kind\": \"maturity\", "
    "\"text\": \"Who is offered video?\", \"weight\": 2, \"levels\": [\"No one\", \"On request\", "
    "\"Case by case\", \"Agreed criteria\", \"Reviewed criteria\"]}]}, "
    "{\"id\": \"monitoring\", \"title\": \"Remote monitoring\", \"description\": \"Readings.\", "
    "\"items\": [{\"id\": \"monitoring-1\", \"kind\": \"choice\", \"text\": \"Who reviews the "
    "readings?\", \"options\": [{\"label\": \"No one\", \"score\": 0}, {\"label\": \"A named "
    "clinician\", \"score\": 100}]}, {\"id\": \"monitoring-2\", \"kind\": \"agree\", \"text\": "
    "\"Patients know who to call.\"}]}]}";

static int64_t remote_care(void)
{
    if (instrument_id("team-remote-care") <= 0) {
        struct page_form pf = {0};
        char *body;
        size_t k = 0, n = strlen(REMOTE_CARE);
        body = malloc(3 * n + 16);
        assert_non_null(body);
        k = (size_t)snprintf(body, 16, "definition=");
        for (size_t i = 0; i < n; i++)
            k += (size_t)snprintf(body + k, 4, "%%%02X", (unsigned char)REMOTE_CARE[i]);
        assert_int_equal(tc_post_form(&admin, "/assess/instruments", body, 1), 303);
        free(body);
        form_free(&pf);
    }
    return instrument_id("team-remote-care");
}

/* The editor page of the latest version of the small instrument, scraped into pf. */
static int64_t open_editor(struct page_form *pf)
{
    char uri[96];
    int64_t id = remote_care();
    snprintf(uri, sizeof uri, "/assess/instruments/%lld/edit", (long long)id);
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(testapp_tidy(admin.res.body, admin.res.len, uri) < 2);
    form_scrape(&admin, pf);
    return id;
}

static int api_has(int64_t id, const char *s)
{
    char uri[96];
    snprintf(uri, sizeof uri, "/api/v1/assess/instruments/%lld", (long long)id);
    assert_int_equal(tc_get(&admin, uri), 200);
    return tc_body_has(&admin, s);
}

/* An admin changes an item's text and a domain's weight in the form: a new version has them,
 * the old one is as it was. */
static void test_instrument_editor_saves_a_version(void **state)
{
    struct page_form pf = {0};
    char where[64];
    int64_t id, id2;
    (void)state;
    id = open_editor(&pf);
    assert_string_equal(form_get(&pf, "item_text.1"), "Everyone can run a video consultation.");
    assert_string_equal(form_get(&pf, "item_descriptor.3.2"), "On request");
    assert_string_equal(form_get(&pf, "item_kind.2"), "yesno");
    assert_string_equal(form_get(&pf, "domain_weight"), "1");
    form_set(&pf, "item_text.1", "Everyone in the team can run a video call & \"help\" others.");
    form_set(&pf, "domain_weight", "3");
    assert_int_equal(form_post(&admin, &pf, "save"), 303);
    id2 = instrument_id("team-remote-care");
    assert_true(id2 > id);
    snprintf(where, sizeof where, "/assess/instruments/%lld", (long long)id2);
    assert_string_equal(lb_header(&admin.res, "Location"), where);
    assert_int_equal(query_int("SELECT version FROM assess_instruments WHERE id = "
                               "(SELECT MAX(id) FROM assess_instruments WHERE code = $1)",
                               "t", "team-remote-care"),
                     2);
    assert_true(api_has(id2, "Everyone in the team can run a video call & \\\"help\\\" others."));
    assert_true(api_has(id2, "\"id\":\"video\",\"number\":1,\"title\":\"Video consultations\","
                             "\"description\":\"Video.\",\"items_count\":3,\"weight\":3"));
    /* everything else came through unchanged */
    assert_true(api_has(id2, "Reviewed criteria"));
    assert_true(api_has(id2, "A named clinician"));
    assert_true(api_has(id2, "For example a fall."));
    /* the old version is as it was */
    assert_true(api_has(id, "Everyone can run a video consultation."));
    assert_false(api_has(id, "video call"));
    assert_true(api_has(id, "\"items_count\":3,\"weight\":1"));
    form_free(&pf);
}

/* "Add an item to this domain" shows the form again with an empty item and the typed values,
 * saving nothing; filled in and saved, the item is in the new version. */
static void test_instrument_editor_adds_an_item(void **state)
{
    struct page_form pf = {0};
    int64_t id;
    (void)state;
    id = open_editor(&pf);
    form_set(&pf, "title", "Team remote care check, revised");
    form_set(&pf, "item_text.2", "Is there an agreed safety plan?");
    assert_int_equal(form_post(&admin, &pf, "add-item"), 200);
    assert_true(testapp_tidy(admin.res.body, admin.res.len, "editor after add-item") < 2);
    assert_int_equal(instrument_id("team-remote-care"), id); /* nothing saved */
    form_free(&pf);
    form_scrape(&admin, &pf);
    assert_string_equal(form_get(&pf, "title"), "Team remote care check, revised");
    assert_string_equal(form_get(&pf, "item_text.2"), "Is there an agreed safety plan?");
    assert_string_equal(form_get(&pf, "item_text.4"), "");
    assert_string_equal(form_get(&pf, "item_kind.4"), "agree");
    assert_string_equal(form_get(&pf, "item_id.4"), "video-4");
    assert_null(form_get(&pf, "item_text.5"));

    /* a choice item shows two answers; "Add an option" a third */
    form_set(&pf, "item_kind.4", "choice");
    assert_int_equal(form_post(&admin, &pf, "update"), 200);
    form_free(&pf);
    form_scrape(&admin, &pf);
    assert_non_null(form_get(&pf, "option_label.4.2"));
    assert_int_equal(form_post(&admin, &pf, "add-option-4"), 200);
    form_free(&pf);
    form_scrape(&admin, &pf);
    assert_non_null(form_get(&pf, "option_score.4.3"));
    form_set(&pf, "item_text.4", "How often does the team review its video consultations?");
    form_set(&pf, "option_label.4.1", "Never");
    form_set(&pf, "option_score.4.1", "0");
    form_set(&pf, "option_label.4.2", "Now and then");
    form_set(&pf, "option_score.4.2", "40");
    form_set(&pf, "option_label.4.3", "Every year");
    form_set(&pf, "option_score.4.3", "100");
    assert_int_equal(form_post(&admin, &pf, "save"), 303);
    id = instrument_id("team-remote-care");
    assert_true(api_has(id, "How often does the team review its video consultations?"));
    assert_true(api_has(id, "\"items_count\":6"));
    assert_true(api_has(id, "\"label\":\"Now and then\",\"score\":40"));
    assert_true(api_has(id, "Team remote care check, revised"));

    /* another domain opens for editing; a domain added and removed again leaves two */
    form_free(&pf);
    open_editor(&pf);
    assert_int_equal(form_post(&admin, &pf, "open-2"), 200);
    form_free(&pf);
    form_scrape(&admin, &pf);
    assert_string_equal(form_get(&pf, "domain_id"), "monitoring");
    assert_string_equal(form_get(&pf, "option_label.1.2"), "A named clinician");
    assert_int_equal(form_post(&admin, &pf, "add-domain"), 200);
    assert_true(tc_body_has(&admin, "Domain 3"));
    form_free(&pf);
    form_scrape(&admin, &pf);
    assert_string_equal(form_get(&pf, "open"), "3");
    assert_int_equal(form_post(&admin, &pf, "remove-domain"), 200);
    assert_false(tc_body_has(&admin, "Domain 3"));
    form_free(&pf);
}

/* A wrong value shows the form again with the error summary, the field's message and
 * everything typed; nothing is saved. */
static void test_instrument_editor_errors(void **state)
{
    struct page_form pf = {0};
    int64_t id, versions;
    (void)state;
    id = open_editor(&pf);
    versions = query_int("SELECT COUNT(*) FROM assess_instruments WHERE code = $1", "t",
                         "team-remote-care");
    form_set(&pf, "title", "");
    form_set(&pf, "item_text.3", "Typed and kept");
    assert_int_equal(form_post(&admin, &pf, "save"), 400);
    assert_true(testapp_tidy(admin.res.body, admin.res.len, "editor with an error") < 2);
    assert_true(tc_body_has(&admin, "There is a problem"));
    assert_true(tc_body_has(&admin, "href=\"#title\""));
    assert_true(tc_body_has(&admin, "&quot;title&quot; must not be empty"));
    assert_true(tc_body_has(&admin, "id=\"title-error\""));
    assert_true(tc_body_has(&admin, "Typed and kept"));

    /* a duplicate item id, named at the item */
    form_set(&pf, "title", "Team remote care check");
    form_set(&pf, "item_id.2", "video-1");
    assert_int_equal(form_post(&admin, &pf, "save"), 400);
    assert_true(tc_body_has(&admin, "href=\"#item_id.2\""));
    assert_true(tc_body_has(&admin, "is already used"));
    assert_true(tc_body_has(&admin, "id=\"item_id.2-error\""));
    assert_true(tc_body_has(&admin, "Typed and kept"));

    /* a number that is not one */
    form_set(&pf, "item_id.2", "video-2");
    form_set(&pf, "domain_weight", "heavy");
    assert_int_equal(form_post(&admin, &pf, "save"), 400);
    assert_true(tc_body_has(&admin, "href=\"#domain_weight\""));
    assert_true(tc_body_has(&admin, "must be a number"));
    assert_true(tc_body_has(&admin, "value=\"heavy\""));

    /* a value the request layer refuses (a tab in a one-line field) comes back as typed, not
     * blanked nor the draft's value, and says why beside the field */
    form_set(&pf, "domain_weight", "1");
    {
        char *was = strdup(form_get(&pf, "band_name.1"));
        assert_non_null(was);
        assert_true(*was != '\0');
        form_set(&pf, "band_name.1", "Two\tparts");
        assert_int_equal(form_post(&admin, &pf, "save"), 400);
        assert_true(tc_body_has(&admin, "href=\"#band_name.1\""));
        assert_true(tc_body_has(&admin, "id=\"band_name.1-error\""));
        form_free(&pf);
        form_scrape(&admin, &pf); /* the page as shown again */
        assert_string_equal(form_get(&pf, "band_name.1"), "Two\tparts");
        form_set(&pf, "band_name.1", was); /* the admin puts it right */
        free(was);
    }

    /* a mistake in a domain that is not open opens it */
    assert_int_equal(form_post(&admin, &pf, "save"), 303); /* all fixed: saves */
    form_free(&pf);
    id = open_editor(&pf);
    {
        /* domain 2 is not on the page, only in the draft: give it an empty title there */
        const char *d = form_get(&pf, "draft");
        const char *t = strstr(d, "\"title\":\"Remote monitoring\"");
        char *copy = strdup(d);
        assert_non_null(t);
        assert_non_null(copy);
        memcpy(copy + (t - d), "\"title\":\"                 \"", 27);
        form_set(&pf, "draft", copy);
        free(copy);
    }
    assert_int_equal(form_post(&admin, &pf, "save"), 400);
    assert_true(tc_body_has(&admin, "Domain 2 (&quot;monitoring&quot;): &quot;title&quot; must not "
                                    "be empty"));
    assert_true(tc_body_has(&admin, "href=\"#domain_title\""));
    assert_true(tc_body_has(&admin, "name=\"open\" value=\"2\""));
    /* a draft the service did not write */
    form_set(&pf, "draft", "not json");
    assert_int_equal(form_post(&admin, &pf, "save"), 400);
    assert_int_equal(query_int("SELECT COUNT(*) FROM assess_instruments WHERE code = $1", "t",
                               "team-remote-care"),
                     versions + 1);
    (void)id;
    form_free(&pf);
}

/* A new instrument from the form, starting from one band, one domain and one item. */
static void test_instrument_editor_new(void **state)
{
    struct page_form pf = {0};
    int64_t id;
    (void)state;
    assert_int_equal(tc_get(&admin, "/assess/instruments/new"), 200);
    assert_true(testapp_tidy(admin.res.body, admin.res.len, "/assess/instruments/new") < 2);
    form_scrape(&admin, &pf);
    assert_string_equal(form_get(&pf, "band_from.1"), "0");
    assert_non_null(form_get(&pf, "item_text.1"));
    assert_null(form_get(&pf, "item_text.2"));
    form_set(&pf, "code", "falls-check");
    form_set(&pf, "title", "Falls prevention check");
    form_set(&pf, "description", "How a team prevents falls.");
    form_set(&pf, "band_name.1", "Everyone");
    form_set(&pf, "domain_id", "basics");
    form_set(&pf, "domain_title", "The basics");
    form_set(&pf, "item_id.1", "basics-1");
    form_set(&pf, "item_text.1", "We assess every patient's risk of falling.");
    assert_int_equal(form_post(&admin, &pf, "save"), 303);
    id = instrument_id("falls-check");
    assert_true(id > 0);
    assert_true(api_has(id, "We assess every patient's risk of falling."));
    form_free(&pf);
}

/* Only admins edit instruments; the JSON page stays for import and export. */
static void test_instrument_editor_admins_only(void **state)
{
    char uri[96];
    int64_t id = remote_care();
    (void)state;
    snprintf(uri, sizeof uri, "/assess/instruments/%lld/edit", (long long)id);
    assert_int_equal(tc_get(&member, uri), 403);
    assert_int_equal(tc_get(&member, "/assess/instruments/new"), 403);
    assert_int_equal(tc_get(&member, "/assess/instruments/import"), 403);
    tc_get(&member, "/assess/instruments");
    assert_int_equal(
        tc_post_form(&member, "/assess/instruments/editor", "draft=%7B%7D&action=save", 1), 403);
    assert_int_equal(
        tc_post_form(&fac, "/assess/instruments/editor", "draft=%7B%7D&action=save", 1), 403);
    /* API clients still find the stored JSON on the edit page */
    snprintf(uri, sizeof uri, "/api/v1/assess/instruments/%lld/edit", (long long)id);
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(tc_body_has(&admin, "\"definition\":\"{\\n  \\\"code\\\": \\\"team-remote-care"));
    /* the JSON page: the stored JSON to edit, and a link back to the form */
    snprintf(uri, sizeof uri, "/assess/instruments/%lld/edit/json", (long long)id);
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(testapp_tidy(admin.res.body, admin.res.len, uri) < 2);
    assert_true(tc_body_has(&admin, "monitoring-2"));
    assert_true(tc_body_has(&admin, "Edit with the form instead"));
    assert_int_equal(tc_get(&admin, "/assess/instruments/import"), 200);
    assert_true(testapp_tidy(admin.res.body, admin.res.len, "/assess/instruments/import") < 2);
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
    /* an answer to no question of this section is refused by name, and nothing is saved:
     * the good answer beside it is not counted below */
    snprintf(body, sizeof body,
             "{\"token\": \"%s\", \"item.nope\": \"1\", \"item.leadership-2\": \"3\"}", token);
    assert_int_equal(tc_post_json(&a, uri, body), 400);
    assert_true(tc_body_has(&a, "\"item.nope\""));
    snprintf(body, sizeof body, "{\"token\": \"%s\", \"item.leadership-1\": \"4\"}", token);
    assert_int_equal(tc_post_json(&a, uri, body), 200);
    assert_true(tc_body_has(&a, "\"answered\":1"));
    snprintf(body, sizeof body, "{\"token\": \"%s\", \"item.leadership-1\": \"5\"}", token);
    assert_int_equal(tc_post_json(&a, uri, body), 400);
    /* the API counts from 0, as the form does, and says so when a number is out of range */
    assert_true(tc_body_has(&a, "send a number from 0 to 4"));
    assert_true(tc_body_has(&a, "counting from 0"));
    /* an answer far too long to be a position gets the same range, not the length limit */
    {
        size_t big = 5000, off;
        char *long_body = malloc(big + 256);
        assert_non_null(long_body);
        off = (size_t)snprintf(long_body, 256, "{\"token\": \"%s\", \"item.leadership-1\": \"",
                               token);
        memset(long_body + off, '3', big);
        snprintf(long_body + off + big, 8, "\"}");
        assert_int_equal(tc_post_json(&a, uri, long_body), 400);
        free(long_body);
        assert_true(tc_body_has(&a, "send a number from 0 to 4"));
        assert_false(tc_body_has(&a, "characters or fewer"));
    }
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/submit", slug);
    snprintf(body, sizeof body, "{\"token\": \"%s\"}", token);
    assert_int_equal(tc_post_json(&a, uri, body), 200);
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/result?token=%s", slug, token);
    assert_int_equal(tc_get(&a, uri), 200);
    assert_true(tc_body_has(&a, "\"percent\":100"));
    assert_false(tc_body_has(&a, "<svg"));
    tc_free(&a);
}

/* An organisation's assessment is answered for the organisation: its start form asks no
 * profession and no pay band, and refuses them when sent. */
static void test_organisation_round_asks_nothing_personal(void **state)
{
    char form[256], slug[32], uri[96];
    const char *loc;
    struct test_client a;
    (void)state;
    snprintf(form, sizeof form,
             "title=Trust+digital+maturity&instrument=%lld&audience=organisation&mode=anonymous",
             (long long)instrument_id("ahp-digital-capability"));
    assert_int_equal(tc_post_form(&fac, "/assess/rounds/new", form, 1), 303);
    loc = lb_header(&fac.res, "Location");
    assert_non_null(loc);
    snprintf(slug, sizeof slug, "%.*s", (int)(strlen(loc + 8) - strlen("/manage")), loc + 8);
    tc_init(&a, app);
    snprintf(uri, sizeof uri, "/assess/%s", slug);
    assert_int_equal(tc_get(&a, uri), 200);
    assert_false(tc_body_has(&a, "Your profession"));
    assert_false(tc_body_has(&a, "Your pay band"));
    assert_true(tc_body_has(&a, "Your NHS England region"));
    assert_int_equal(start(&a, slug, "profession=dietitian"), 400);
    assert_true(tc_body_has(&a, "does not ask for a profession"));
    assert_int_equal(start(&a, slug, "region=london"), 303);
    tc_free(&a);
}

/* The padding attack of the security review, as an attacker would run it. One real
 * orthoptist scores 75% in records and interoperability (records-1 = 3). The attacker, an
 * ordinary member who can also answer anonymously as often as they like, submits orthoptist
 * responses scoring 0% there one at a time, and after each reads the benchmark API and their
 * own result page. When the orthoptists' group first shows (at 8 responses) the hidden count
 * is 8 − own and the hidden sum is mean × 8; once the round has closed they try again from
 * the published count. Either way the real score must not come back within 10 points. */
#define RECORDS 6 /* the records domain's place in the instrument */

/* The orthoptists' records figures in a benchmark JSON body: count and mean as published
 * (NULL when not there). Owned by root. */
static void orthoptists(json_t *root, const json_t **count, const json_t **mean)
{
    json_t *g;
    size_t i;
    *count = *mean = NULL;
    json_array_foreach(json_object_get(root, "groups"), i, g)
    {
        if (strcmp(json_string_value(json_object_get(g, "group")), "Orthoptist"))
            continue;
        *count = json_object_get(g, "count");
        *mean = json_object_get(json_array_get(json_object_get(g, "domains"), RECORDS), "mean");
    }
}

/* A figure the API published, or -1 when it is null (not published) or absent. */
static double figure(const json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : -1;
}

/* The attacker's estimate of the hidden respondents' mean from a group of n published with
 * mean m, own of them the attacker's (each 0): every point of the sum is theirs. */
static double hidden_mean(double m, double n, int own)
{
    return n > own ? m * n / (n - own) : -1;
}

static void test_padding_recovers_nothing(void **state)
{
    struct test_client real, pad;
    char slug[32], uri[128];
    const double truth = 75;
    int own = 0, recovered = 0, published = 0;
    (void)state;
    new_round("&mode=anonymous", slug);
    tc_init(&real, app);
    tc_init(&pad, app);
    assert_int_equal(start(&real, slug, "profession=orthoptist"), 303);
    assert_int_equal(answer(&real, slug, 7, "item.records-1=3&action=next"), 303);
    snprintf(uri, sizeof uri, "/assess/%s/submit", slug);
    assert_int_equal(tc_post_form(&real, uri, "", 1), 303);

    for (own = 1; own <= 12; own++) {
        const json_t *count, *mean;
        json_t *root;
        tc_reset(&pad); /* a new browser each time: nothing links one response to another */
        assert_int_equal(start(&pad, slug, "profession=orthoptist"), 303);
        assert_int_equal(answer(&pad, slug, 7, "item.records-1=0&action=next"), 303);
        snprintf(uri, sizeof uri, "/assess/%s/submit", slug);
        assert_int_equal(tc_post_form(&pad, uri, "", 1), 303);

        /* the benchmark, as a member reads it */
        snprintf(uri, sizeof uri, "/api/v1/assess/%s/benchmarks?by=profession", slug);
        assert_int_equal(tc_get(&member, uri), 200);
        root = json_loadb(member.res.body, member.res.len, 0, NULL);
        assert_non_null(root);
        orthoptists(root, &count, &mean);
        if (figure(count) > 0 && figure(mean) >= 0) {
            double est = hidden_mean(figure(mean), 8, own);
            published++;
            if (est >= 0 && est > truth - 10 && est < truth + 10)
                recovered++;
        }
        json_decref(root);

        /* the attacker's own result page: "your profession's average" */
        snprintf(uri, sizeof uri, "/api/v1/assess/%s/result", slug);
        assert_int_equal(tc_get(&pad, uri), 200);
        root = json_loadb(pad.res.body, pad.res.len, 0, NULL);
        assert_non_null(root);
        mean = json_object_get(json_array_get(json_object_get(root, "domains"), RECORDS),
                               "profession_average");
        if (figure(mean) >= 0) {
            double est = hidden_mean(figure(mean), 8, own);
            published++;
            if (est >= 0 && est > truth - 10 && est < truth + 10)
                recovered++;
        }
        json_decref(root);
    }
    own--; /* the loop's last increment */
    /* nothing about the orthoptists was published while the round was open */
    assert_int_equal(published, 0);
    assert_int_equal(recovered, 0);

    /* closed: the figures are published once, and no more responses can move them. The
     * attacker knows their own 12 but only the rounded count of the group. */
    snprintf(uri, sizeof uri, "/assess/%s/close", slug);
    assert_int_equal(tc_post_form(&fac, uri, "confirm=yes", 1), 303);
    {
        const json_t *count, *mean;
        json_t *root;
        snprintf(uri, sizeof uri, "/api/v1/assess/%s/benchmarks?by=profession", slug);
        assert_int_equal(tc_get(&member, uri), 200);
        root = json_loadb(member.res.body, member.res.len, 0, NULL);
        assert_non_null(root);
        orthoptists(root, &count, &mean);
        assert_true(figure(count) == 15); /* 13, rounded */
        assert_true(figure(mean) >= 0);
        {
            double est = hidden_mean(figure(mean), figure(count), own);
            assert_false(est > truth - 10 && est < truth + 10);
        }
        json_decref(root);
    }
    /* and it stays closed: a later closing date does not reopen it for a second state */
    snprintf(uri, sizeof uri, "/assess/%s/manage", slug);
    assert_int_equal(tc_post_form(&fac, uri, "title=Reopened&closes=2099-01-31", 1), 400);
    tc_reset(&pad);
    assert_int_equal(start(&pad, slug, "profession=orthoptist"), 409);
    tc_free(&real);
    tc_free(&pad);
}

/* The same attacker against the medians and quartiles of a closed round. A nearest-rank
 * median is one respondent's own score, so padding the group with as many responses below
 * the target as above (0% and 100%) puts the one real orthoptist at the median: their score
 * would be published outright, whatever the count. Members must not get order statistics. */
static void test_padding_median_recovers_nothing(void **state)
{
    struct test_client real, pad;
    char slug[32], uri[128];
    const char *keys[] = {"median", "q1", "q3"};
    json_t *root, *g, *dom;
    size_t i;
    (void)state;
    new_round("&mode=anonymous", slug);
    tc_init(&real, app);
    tc_init(&pad, app);
    assert_int_equal(start(&real, slug, "profession=orthoptist"), 303);
    assert_int_equal(answer(&real, slug, 7, "item.records-1=3&action=next"), 303);
    snprintf(uri, sizeof uri, "/assess/%s/submit", slug);
    assert_int_equal(tc_post_form(&real, uri, "", 1), 303);
    for (int k = 0; k < 8; k++) {
        tc_reset(&pad);
        assert_int_equal(start(&pad, slug, "profession=orthoptist"), 303);
        assert_int_equal(
            answer(&pad, slug, 7,
                   k % 2 ? "item.records-1=4&action=next" : "item.records-1=0&action=next"),
            303);
        snprintf(uri, sizeof uri, "/assess/%s/submit", slug);
        assert_int_equal(tc_post_form(&pad, uri, "", 1), 303);
    }
    snprintf(uri, sizeof uri, "/assess/%s/close", slug);
    assert_int_equal(tc_post_form(&fac, uri, "confirm=yes", 1), 303);

    /* the group, the whole round, and the downloads a member can have */
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/benchmarks?by=profession", slug);
    assert_int_equal(tc_get(&member, uri), 200);
    root = json_loadb(member.res.body, member.res.len, 0, NULL);
    assert_non_null(root);
    json_array_foreach(json_object_get(root, "groups"), i, g)
    {
        if (strcmp(json_string_value(json_object_get(g, "group")), "Orthoptist"))
            continue;
        dom = json_array_get(json_object_get(g, "domains"), RECORDS);
        assert_non_null(dom);
        assert_true(figure(json_object_get(dom, "mean")) >= 0);
        for (size_t k = 0; k < 3; k++) {
            double v = figure(json_object_get(dom, keys[k]));
            assert_false(v > 65 && v < 85);
        }
    }
    dom = json_array_get(json_object_get(root, "national"), RECORDS);
    assert_non_null(dom);
    for (size_t k = 0; k < 3; k++) {
        double v = figure(json_object_get(dom, keys[k]));
        assert_false(v > 65 && v < 85);
    }
    json_decref(root);
    snprintf(uri, sizeof uri, "/assess/%s/benchmarks", slug);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_false(tc_body_has(&member, ">75<"));
    snprintf(uri, sizeof uri, "/assess/%s/export/benchmark.csv", slug);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_false(tc_body_has(&member, ",75.0"));
    snprintf(uri, sizeof uri, "/assess/%s/export/benchmark.json", slug);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_false(tc_body_has(&member, "\"75.0\""));
    assert_false(tc_body_has(&member, "75.0"));
    tc_free(&real);
    tc_free(&pad);
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
    page_ok(&a, uri); /* open: the respondent's own scores, not the round's averages */
    assert_false(tc_body_has(&a, "Everyone in this round"));
    assert_true(tc_body_has(&a, "once the round has closed"));
    snprintf(uri, sizeof uri, "/assess/%s", slug);
    page_ok(&a, uri);
    snprintf(uri, sizeof uri, "/assess/%s/benchmarks?by=organisation&compare=%s", slug, other);
    page_ok(&fac, uri);
    {
        /* the change runs from the earlier round to the later, from whichever it is read */
        char heading[200], back[200];
        const char *h = strstr(fac.res.body, "<h2 id=\"change\">Change from ");
        assert_non_null(h);
        snprintf(heading, sizeof heading, "%.*s", (int)(strstr(h, "</h2>") - h), h);
        snprintf(uri, sizeof uri, "/assess/%s/benchmarks?compare=%s", other, slug);
        page_ok(&fac, uri);
        h = strstr(fac.res.body, "<h2 id=\"change\">Change from ");
        assert_non_null(h);
        snprintf(back, sizeof back, "%.*s", (int)(strstr(h, "</h2>") - h), h);
        assert_string_equal(heading, back);
        snprintf(uri, sizeof uri, "/assess/%s/export/change.csv?compare=%s&by=region", other, slug);
        assert_int_equal(tc_get(&fac, uri), 200);
        assert_true(tc_body_has(&fac, "grouping,group,domain,earlier round,later round"));
        assert_true(tc_body_has(&fac, "\nRegion,"));
    }
    snprintf(uri, sizeof uri, "/assess/%s/benchmarks?by=band", slug);
    page_ok(&member, uri); /* open: what the page says instead of the figures */
    assert_true(tc_body_has(&member, "published once it has closed"));
    snprintf(uri, sizeof uri, "/assess/%s/close", slug);
    assert_int_equal(tc_post_form(&fac, uri, "confirm=yes", 1), 303);
    snprintf(uri, sizeof uri, "/assess/%s/result", slug);
    page_ok(&a, uri); /* closed: the round's averages beside the respondent's own */
    assert_true(tc_body_has(&a, "Everyone in this round"));
    /* one podiatrist: their profession's average is explained once, not "suppressed" under
     * every domain of the chart */
    assert_true(tc_body_has(&a, "The average for your profession (Chiropodist or podiatrist) "
                                "appears here"));
    assert_false(tc_body_has(&a, "suppressed (fewer than"));
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
        cmocka_unit_test(test_anonymous_round_leaves_no_time_on_session),
        cmocka_unit_test(test_named_round),
        cmocka_unit_test(test_anonymous_link_form_starts_empty),
        cmocka_unit_test(test_named_response_belongs_to_its_account),
        cmocka_unit_test(test_closed_round_takes_nothing),
        cmocka_unit_test(test_invitation_link),
        cmocka_unit_test(test_benchmarks_suppress_small_groups),
        cmocka_unit_test(test_organisation_round_asks_nothing_personal),
        cmocka_unit_test(test_padding_recovers_nothing),
        cmocka_unit_test(test_padding_median_recovers_nothing),
        cmocka_unit_test(test_import),
        cmocka_unit_test(test_closed_round_refuses_import),
        cmocka_unit_test(test_download_errors_say_why),
        cmocka_unit_test(test_closed_round_dates_fixed),
        cmocka_unit_test(test_invitation_needs_an_organisation),
        cmocka_unit_test(test_index_wording),
        cmocka_unit_test(test_benchmark_json_rounded),
        cmocka_unit_test(test_cross_table_keeps_hidden_groups_hidden),
        cmocka_unit_test(test_too_many_organisations),
        cmocka_unit_test(test_band_keeps_hidden_profession_hidden),
        cmocka_unit_test(test_instrument_versions),
        cmocka_unit_test(test_instrument_editor_saves_a_version),
        cmocka_unit_test(test_instrument_editor_adds_an_item),
        cmocka_unit_test(test_instrument_editor_errors),
        cmocka_unit_test(test_instrument_editor_new),
        cmocka_unit_test(test_instrument_editor_admins_only),
        cmocka_unit_test(test_pages_pass_tidy),
        cmocka_unit_test(test_api_journey),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
