/* develop_portfolio_test.c: the portfolio, sharing it and the non-medical CV, through the
 * loopback (src/develop/portfolio_pages.c, cv_pages.c)
 *
 * A member adds entries through the form (NHS.UK date inputs, tags as checkboxes, Markdown
 * with raw HTML that must not come through) and through the API, changes and deletes them;
 * a form with mistakes stores nothing and comes back as typed, naming each field. Another
 * member reaches nothing of it. The member shares the whole portfolio, then chosen entries,
 * with a reviewer, who reads exactly that; a stranger gets 404, and a withdrawn share ends
 * the reviewer's access. The CV is chosen and downloaded as PDF, Word and JSON Resume (the
 * documents themselves are read back in tests/unit/develop/cv_test.c). Every page passes
 * tidy. Runs on SQLite and PostgreSQL.
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

#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct test_client member, reviewer, stranger, anon;
static const char *PW = "correct horse battery";

static int64_t q(const char *sql, const char *arg)
{
    return testapp_int(app, sql, arg);
}

static json_t *body_json(const struct test_client *tc)
{
    json_t *j = json_loadb(tc->res.body, tc->res.len, 0, NULL);
    assert_non_null(j);
    return j;
}

static void page_ok(struct test_client *tc, const char *uri)
{
    assert_int_equal(tc_get(tc, uri), 200);
    assert_true(testapp_tidy(tc->res.body, tc->res.len, uri) < 2);
}

static int64_t entry_id(const char *title)
{
    return q("SELECT MAX(id) FROM develop_portfolio_entries WHERE title = $1", title);
}

static int64_t member_entries(void)
{
    return q("SELECT COUNT(*) FROM develop_portfolio_entries e JOIN users u ON u.id = e.user_id "
             "WHERE u.email = $1",
             "member@example.test");
}

static const char *header(const struct test_client *tc, const char *name)
{
    for (size_t i = 0; i < tc->res.nheaders; i++)
        if (!strcasecmp(tc->res.headers[i].name, name))
            return tc->res.headers[i].value;
    return NULL;
}

/* ---- entries ---- */

static void test_add_read_change_delete(void **state)
{
    char uri[96];
    int64_t id;
    (void)state;

    page_ok(&member, "/develop/portfolio");
    assert_true(tc_body_has(&member, "Your portfolio is empty"));
    page_ok(&member, "/develop/portfolio/new");
    assert_true(tc_body_has(&member, "name=\"start-day\""));
    assert_true(tc_body_has(&member, "Stakeholder engagement"));
    assert_true(tc_body_has(&member, "Vision and direction") || tc_body_has(&member, "vision"));

    assert_int_equal(
        tc_post_form(&member, "/develop/portfolio",
                     "kind=project&title=Cutting+waits+for+children&context=Riverside+Trust"
                     "&start-day=1&start-month=2&start-year=2024&end-day=30&end-month=11"
                     "&end-year=2024&body=Waits+fell+from+**18+weeks**+to+11."
                     "%0A%0A%3Cscript%3Ealert(1)%3C%2Fscript%3E&skill.quality-improvement=1"
                     "&skill.leadership=1&domain.vision=1&on_cv=1",
                     1),
        303);
    id = entry_id("Cutting waits for children");
    assert_true(id > 0);
    snprintf(uri, sizeof uri, "/develop/portfolio/%lld", (long long)id);
    page_ok(&member, uri);
    assert_true(tc_body_has(&member, "Cutting waits for children"));
    assert_true(tc_body_has(&member, "<strong>18 weeks</strong>"));
    assert_false(tc_body_has(&member, "<script>alert"));
    assert_true(tc_body_has(&member, "February 2024 to November 2024"));
    assert_true(tc_body_has(&member, "Quality improvement"));
    assert_true(tc_body_has(&member, "The portfolio entry has been saved"));
    assert_int_equal(q("SELECT on_cv FROM develop_portfolio_entries WHERE title = $1",
                       "Cutting waits for children"),
                     1);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_portfolio_entries WHERE skills = $1",
                       "leadership,quality-improvement"),
                     1);
    page_ok(&member, "/develop/portfolio");
    assert_true(tc_body_has(&member, "Skills: Leadership, Quality improvement</p>"));

    /* the edit form shows what is stored, dates in their three boxes */
    snprintf(uri, sizeof uri, "/develop/portfolio/%lld/edit", (long long)id);
    page_ok(&member, uri);
    assert_true(tc_body_has(&member, "value=\"2024\""));
    assert_true(tc_body_has(&member, "value=\"30\""));
    snprintf(uri, sizeof uri, "/develop/portfolio/%lld", (long long)id);
    assert_int_equal(tc_post_form(&member, uri,
                                  "kind=project&title=Cutting+waits+for+a+first+appointment"
                                  "&start-day=1&start-month=2&start-year=2024&skill.leadership=1",
                                  1),
                     303);
    assert_int_equal(entry_id("Cutting waits for a first appointment"), id);
    assert_int_equal(q("SELECT on_cv FROM develop_portfolio_entries WHERE title = $1",
                       "Cutting waits for a first appointment"),
                     0); /* the box was not ticked this time */
    page_ok(&member, "/develop/portfolio");
    assert_true(tc_body_has(&member, "Cutting waits for a first appointment"));
    assert_true(tc_body_has(&member, "From February 2024"));

    /* delete */
    snprintf(uri, sizeof uri, "/develop/portfolio/%lld/delete", (long long)id);
    assert_int_equal(tc_post_form(&member, uri, "", 1), 303);
    assert_int_equal(member_entries(), 0);
    snprintf(uri, sizeof uri, "/develop/portfolio/%lld", (long long)id);
    assert_int_equal(tc_get(&member, uri), 404);
    /* no CSRF token, no change */
    assert_int_equal(tc_post_form(&member, "/develop/portfolio", "kind=role&title=Sneaky", 0), 403);
    assert_int_equal(member_entries(), 0);
}

/* True when the last body has a before b (the error summary's order). */
static bool in_order(const struct test_client *tc, const char *a, const char *b)
{
    const char *pa = strstr(tc->res.body, a), *pb = strstr(tc->res.body, b);
    return pa && pb && pa < pb;
}

static void test_mistakes_store_nothing_and_keep_what_was_typed(void **state)
{
    static char body[12000];
    (void)state;

    assert_int_equal(tc_post_form(&member, "/develop/portfolio",
                                  "title=&context=Riverside&start-day=31&start-month=2"
                                  "&start-year=2024&body=My+careful+reflection&skills=juggling",
                                  1),
                     400);
    assert_true(tc_body_has(&member, "There is a problem"));
    assert_true(tc_body_has(&member, "Choose what kind of entry this is"));
    assert_true(tc_body_has(&member, "Enter a title"));
    assert_true(tc_body_has(&member, "Start date must be a real date"));
    assert_true(tc_body_has(&member, "&quot;juggling&quot; is not one of the skills") ||
                tc_body_has(&member, "\"juggling\" is not one of the skills"));
    assert_true(tc_body_has(&member, "My careful reflection"));
    assert_true(tc_body_has(&member, "value=\"31\""));
    assert_true(tc_body_has(&member, "href=\"#start\""));
    /* the summary lists them in the order of the form: kind, title, start date, skills */
    assert_true(in_order(&member, "<a href=\"#kind\">Choose what kind of entry this is",
                         "<a href=\"#title\">Enter a title"));
    assert_true(in_order(&member, "<a href=\"#title\">Enter a title",
                         "<a href=\"#start\">Start date must be a real date"));
    assert_true(in_order(&member, "<a href=\"#start\">Start date", "<a href=\"#skills\">"));
    assert_true(testapp_tidy(member.res.body, member.res.len, "portfolio form with errors") < 2);

    assert_int_equal(tc_post_form(&member, "/develop/portfolio",
                                  "kind=role&title=Band+6&start-day=1&start-year=2024", 1),
                     400);
    assert_true(tc_body_has(&member, "Start date must include a month"));
    assert_int_equal(tc_post_form(&member, "/develop/portfolio",
                                  "kind=role&title=Band+6&start-day=1&start-month=9"
                                  "&start-year=2024&end-day=1&end-month=8&end-year=2024",
                                  1),
                     400);
    assert_true(tc_body_has(&member, "End date must be the same as or after the start date"));
    assert_int_equal(tc_post_form(&member, "/develop/portfolio",
                                  "kind=role&title=Band+6&start-day=1&start-month=9"
                                  "&start-year=24",
                                  1),
                     400);
    assert_true(tc_body_has(&member, "Year must include 4 numbers"));
    assert_int_equal(tc_post_form(&member, "/develop/portfolio",
                                  "kind=role&title=Band+6&end-day=1&end-month=9&end-year=2024", 1),
                     400);
    assert_true(tc_body_has(&member, "Enter a start date, or leave the end date empty"));
    assert_int_equal(tc_post_form(&member, "/develop/portfolio", "kind=novel&title=Band+6", 1),
                     400);
    assert_int_equal(tc_post_form(&member, "/develop/portfolio",
                                  "kind=role&title=Band+6"
                                  "&domain.not-an-area=1",
                                  1),
                     400);
    assert_true(tc_body_has(&member, "is not an area of"));
    strcpy(body, "kind=reflection&title=Long&body=");
    for (size_t i = strlen(body); i < sizeof body - 2; i++)
        body[i] = 'a';
    body[sizeof body - 2] = '\0';
    assert_int_equal(tc_post_form(&member, "/develop/portfolio", body, 1), 400);
    assert_true(tc_body_has(&member, "10,000 characters or fewer"));
    assert_int_equal(member_entries(), 0);
}

static void test_api(void **state)
{
    json_t *j, *e;
    char uri[96];
    int64_t id;
    (void)state;

    assert_int_equal(tc_post_json(&member, "/api/v1/develop/portfolio",
                                  "{\"kind\": \"role\", \"title\": \"Band 6 therapist\", "
                                  "\"context\": \"Riverside\", \"start\": \"2021-09-01\", "
                                  "\"skills\": [\"leadership\", \"Teaching\"], "
                                  "\"domains\": [\"vision\", \"Digital leadership\"], "
                                  "\"on_cv\": true}"),
                     201);
    j = body_json(&member);
    e = json_object_get(j, "entry");
    id = json_integer_value(json_object_get(e, "id"));
    assert_true(id > 0);
    assert_string_equal(json_string_value(json_object_get(e, "start")), "2021-09-01");
    assert_string_equal(json_string_value(json_object_get(e, "end")), "");
    assert_int_equal(json_array_size(json_object_get(e, "skills")), 2);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(e, "skills"), 1), "code")),
        "teaching");
    assert_int_equal(json_array_size(json_object_get(e, "areas")), 2);
    assert_true(json_is_true(json_object_get(e, "on_cv")));
    /* the answer says when it was saved, as a later read of the entry does */
    assert_true(strlen(json_string_value(json_object_get(e, "updated"))) > 0);
    json_decref(j);

    /* bad input over the API: 400 naming the fields, nothing stored */
    assert_int_equal(
        tc_post_json(&member, "/api/v1/develop/portfolio",
                     "{\"kind\": \"role\", \"title\": \"\", \"start\": \"2021-02-30\"}"),
        400);
    assert_true(tc_body_has(&member, "\"title\""));
    assert_true(tc_body_has(&member, "Start date must be a real date"));
    assert_int_equal(member_entries(), 1);
    /* a member the route does not take (the date is "start"): 400 naming it, nothing
     * stored, rather than an entry without the date the client sent */
    assert_int_equal(tc_post_json(&member, "/api/v1/develop/portfolio",
                                  "{\"kind\": \"role\", \"title\": \"Band 7 lead\", "
                                  "\"start_date\": \"2025-03-01\", \"colour\": \"blue\"}"),
                     400);
    j = body_json(&member);
    assert_non_null(json_object_get(json_object_get(j, "errors"), "start_date"));
    assert_non_null(json_object_get(json_object_get(j, "errors"), "colour"));
    assert_null(json_object_get(json_object_get(j, "errors"), "title"));
    assert_non_null(strstr(json_string_value(json_object_get(j, "detail")), "\"start_date\""));
    json_decref(j);
    assert_int_equal(entry_id("Band 7 lead"), 0);
    assert_int_equal(member_entries(), 1);

    assert_int_equal(tc_get(&member, "/api/v1/develop/portfolio"), 200);
    j = body_json(&member);
    assert_int_equal(json_integer_value(json_object_get(j, "count")), 1);
    assert_int_equal(json_array_size(json_object_get(j, "entries")), 1);
    json_decref(j);
    snprintf(uri, sizeof uri, "/api/v1/develop/portfolio/%lld", (long long)id);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "Band 6 therapist"));
    /* a change keeps on_cv when the API does not mention it */
    assert_int_equal(tc_post_json(&member, uri,
                                  "{\"kind\": \"role\", \"title\": \"Band 6 speech and language "
                                  "therapist\", \"start\": \"2021-09-01\"}"),
                     200);
    assert_int_equal(q("SELECT on_cv FROM develop_portfolio_entries WHERE title = $1",
                       "Band 6 speech and language therapist"),
                     1);
    /* a skill.<code> or domain.<id> member, ticked or not, naming no skill or area is refused
     * by name, and nothing is added; ones that do name one are taken as the boxes are */
    {
        static const char *const bad[] = {"\"skill.nope\": false", "\"skill.nope\": true",
                                          "\"domain.nope\": false", "\"domain.nope\": true"};
        char body[200], named[64];
        int64_t right;
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
            snprintf(body, sizeof body,
                     "{\"kind\": \"project\", \"title\": \"Tagged nothing\", "
                     "\"skill.teaching\": true, %s}",
                     bad[i]);
            assert_int_equal(tc_post_json(&member, "/api/v1/develop/portfolio", body), 400);
            snprintf(named, sizeof named, "\"field\":\"%.*s\"",
                     (int)(strchr(bad[i] + 1, '"') - bad[i] - 1), bad[i] + 1);
            assert_true(tc_body_has(&member, named));
        }
        assert_int_equal(entry_id("Tagged nothing"), 0);
        assert_int_equal(tc_post_json(&member, "/api/v1/develop/portfolio",
                                      "{\"kind\": \"project\", \"title\": \"Tagged right\", "
                                      "\"skill.teaching\": true, \"skill.leadership\": false, "
                                      "\"domain.vision\": true}"),
                         201);
        right = entry_id("Tagged right");
        assert_int_equal(
            q("SELECT COUNT(*) FROM develop_portfolio_entries WHERE skills = $1", "teaching"), 1);
        assert_int_equal(q("SELECT COUNT(*) FROM develop_portfolio_entries WHERE domains = $1",
                           "ahp-clinical-leadership:vision"),
                         1);
        snprintf(body, sizeof body, "/api/v1/develop/portfolio/%lld/delete", (long long)right);
        assert_int_equal(tc_post_json(&member, body, "{}"), 200);
    }
    /* an entry.<id> member, ticked or not, naming no entry of the member's is refused by
     * name on the CV and in a share, and nothing is saved (test_cv saves with theirs) */
    {
        static const char *const bad[] = {"entry.999999", "entry.nope", "entry.0"};
        int64_t shares = q("SELECT COUNT(*) FROM develop_portfolio_shares", NULL);
        char body[300], named[64];
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
            snprintf(body, sizeof body,
                     "{\"headline\": \"Never saved\", \"entry.%lld\": true, \"%s\": %s}",
                     (long long)id, bad[i], i % 2 ? "true" : "false");
            assert_int_equal(tc_post_json(&member, "/api/v1/develop/cv", body), 400);
            snprintf(named, sizeof named, "\"field\":\"%s\"", bad[i]);
            assert_true(tc_body_has(&member, named));
            assert_true(tc_body_has(&member, "in your portfolio"));
            snprintf(body, sizeof body,
                     "{\"email\": \"reviewer@example.test\", \"scope\": \"chosen\", "
                     "\"entry.%lld\": true, \"%s\": %s}",
                     (long long)id, bad[i], i % 2 ? "false" : "true");
            assert_int_equal(tc_post_json(&member, "/api/v1/develop/shares", body), 400);
            assert_true(tc_body_has(&member, named));
        }
        assert_int_equal(
            q("SELECT COUNT(*) FROM develop_cv_profiles WHERE headline = $1", "Never saved"), 0);
        assert_int_equal(q("SELECT COUNT(*) FROM develop_portfolio_shares", NULL), shares);
    }
    snprintf(uri, sizeof uri, "/api/v1/develop/portfolio/%lld/delete", (long long)id);
    assert_int_equal(tc_post_json(&member, uri, "{}"), 200);
    assert_int_equal(member_entries(), 0);
    assert_int_equal(tc_post_json(&member, uri, "{}"), 404);
    /* a page's form keeps its other names (a button's) as before: they are not refused */
    assert_int_equal(tc_post_form(&member, "/develop/portfolio",
                                  "kind=project&title=Named+button&save=Add+to+portfolio", 1),
                     303);
    assert_int_equal(member_entries(), 1);
    snprintf(uri, sizeof uri, "/api/v1/develop/portfolio/%lld/delete",
             (long long)entry_id("Named button"));
    assert_int_equal(tc_post_json(&member, uri, "{}"), 200);
    assert_int_equal(member_entries(), 0);
    assert_int_equal(tc_get(&anon, "/api/v1/develop/portfolio"), 401);
}

static int64_t add(struct test_client *tc, const char *title, const char *more)
{
    char form[512];
    snprintf(form, sizeof form, "kind=project&title=%s%s", title, more);
    assert_int_equal(tc_post_form(tc, "/develop/portfolio", form, 1), 303);
    for (char *p = form; *p; p++)
        if (*p == '+')
            *p = ' ';
    snprintf(form, sizeof form, "%s", title);
    for (char *p = form; *p; p++)
        if (*p == '+')
            *p = ' ';
    return entry_id(form);
}

static void test_others_reach_nothing(void **state)
{
    char uri[96];
    int64_t id;
    (void)state;

    id = add(&member, "Private+project", "");
    snprintf(uri, sizeof uri, "/develop/portfolio/%lld", (long long)id);
    assert_int_equal(tc_get(&stranger, uri), 404);
    assert_int_equal(tc_post_form(&stranger, uri, "kind=role&title=Taken", 1), 404);
    snprintf(uri, sizeof uri, "/develop/portfolio/%lld/edit", (long long)id);
    assert_int_equal(tc_get(&stranger, uri), 404);
    snprintf(uri, sizeof uri, "/develop/portfolio/%lld/delete", (long long)id);
    assert_int_equal(tc_post_form(&stranger, uri, "", 1), 404);
    assert_int_equal(entry_id("Private project"), id);
    assert_int_not_equal(tc_get(&anon, "/develop/portfolio"), 200);
    assert_int_equal(tc_get(&stranger, "/develop/portfolio"), 200);
    assert_false(tc_body_has(&stranger, "Private project"));
    /* nor on their CV, nor in their downloads */
    assert_int_equal(tc_get(&stranger, "/develop/cv.json"), 200);
    assert_false(tc_body_has(&stranger, "Private project"));
    assert_int_not_equal(tc_get(&anon, "/develop/cv.pdf"), 200);
    snprintf(uri, sizeof uri, "/develop/portfolio/%lld/delete", (long long)id);
    assert_int_equal(tc_post_form(&member, uri, "", 1), 303);
}

/* ---- sharing ---- */

static void test_sharing(void **state)
{
    char uri[96], form[160];
    int64_t a, b, share;
    (void)state;

    a = add(&member, "Joint+clinics+with+health+visitors",
            "&skill.stakeholder-engagement=1&skill.leadership=1");
    b = add(&member, "Reflection+on+a+hard+meeting", "");
    page_ok(&member, "/develop/shares");
    assert_true(tc_body_has(&member, "Nobody: you have not shared"));

    /* mistakes */
    assert_int_equal(tc_post_form(&member, "/develop/shares", "email=member%40example.test", 1),
                     400);
    assert_true(tc_body_has(&member, "not yours"));
    assert_int_equal(
        tc_post_form(&member, "/develop/shares", "email=reviewer%40example.test&scope=chosen", 1),
        400);
    assert_true(tc_body_has(&member, "Choose at least one entry to share"));
    assert_int_equal(tc_post_form(&member, "/develop/shares", "email=not-an-email", 1), 400);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_portfolio_shares", NULL), 0);

    /* the whole portfolio */
    assert_int_equal(tc_post_form(&member, "/develop/shares", "email=reviewer%40example.test", 1),
                     303);
    share = q("SELECT MAX(id) FROM develop_portfolio_shares", NULL);
    page_ok(&member, "/develop/shares");
    assert_true(tc_body_has(&member, "reviewer@example.test"));
    assert_true(tc_body_has(&member, "All of your portfolio"));
    page_ok(&reviewer, "/develop/shared");
    assert_true(tc_body_has(&reviewer, "member@example.test")); /* the owner's name */
    snprintf(uri, sizeof uri, "/develop/shared/%lld", (long long)share);
    page_ok(&reviewer, uri);
    assert_true(tc_body_has(&reviewer, "Joint clinics with health visitors"));
    assert_true(tc_body_has(&reviewer, "Reflection on a hard meeting"));
    /* skills with commas between, nothing after the last */
    assert_true(tc_body_has(&reviewer, " · Leadership, Stakeholder engagement</p>"));
    /* the reviewer reads, never changes; a stranger gets nothing */
    snprintf(uri, sizeof uri, "/develop/portfolio/%lld", (long long)a);
    assert_int_equal(tc_get(&reviewer, uri), 404);
    snprintf(uri, sizeof uri, "/develop/shared/%lld", (long long)share);
    assert_int_equal(tc_get(&stranger, uri), 404);
    assert_int_equal(tc_get(&stranger, "/develop/shared"), 200);
    assert_false(tc_body_has(&stranger, "member@example.test"));

    /* sharing again with the same reviewer replaces it: now only entry a */
    snprintf(form, sizeof form, "email=reviewer%%40example.test&scope=chosen&entry.%lld=1",
             (long long)a);
    assert_int_equal(tc_post_form(&member, "/develop/shares", form, 1), 303);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_portfolio_shares", NULL), 1);
    share = q("SELECT MAX(id) FROM develop_portfolio_shares", NULL);
    snprintf(uri, sizeof uri, "/develop/shared/%lld", (long long)share);
    page_ok(&reviewer, uri);
    assert_true(tc_body_has(&reviewer, "Joint clinics with health visitors"));
    assert_false(tc_body_has(&reviewer, "Reflection on a hard meeting"));
    (void)b;
    /* another member's entry cannot be put in the share */
    {
        int64_t theirs = add(&stranger, "Stranger+entry", "");
        snprintf(form, sizeof form, "email=reviewer%%40example.test&scope=chosen&entry.%lld=1",
                 (long long)theirs);
        assert_int_equal(tc_post_form(&member, "/develop/shares", form, 1), 400);
        assert_true(tc_body_has(&member, "Choose entries from your portfolio"));
        snprintf(uri, sizeof uri, "/develop/shared/%lld", (long long)share);
        assert_int_equal(tc_get(&reviewer, uri), 200); /* the old share stands */
        assert_false(tc_body_has(&reviewer, "Stranger entry"));
    }

    /* An address with no account gets the same answer as one with an account, so sharing
     * never tells a member who is registered; the share waits for the address, and the
     * account made with it later reads it. */
    {
        struct test_client later;
        char *with_account, *without;
        int64_t waiting;
        assert_int_equal(
            tc_post_form(&member, "/develop/shares", "email=reviewer%40example.test", 1), 303);
        with_account = strdup(lb_header(&member.res, "Location"));
        assert_int_equal(tc_post_form(&member, "/develop/shares", "email=Later%40example.test", 1),
                         303);
        without = strdup(lb_header(&member.res, "Location"));
        assert_string_equal(with_account, without);
        free(with_account);
        free(without);
        waiting = q("SELECT id FROM develop_portfolio_shares WHERE reviewer_address = $1",
                    "later@example.test");
        assert_true(waiting > 0);
        page_ok(&member, "/develop/shares");
        assert_true(tc_body_has(&member, "later@example.test"));
        /* nobody reads a waiting share, not even by its id */
        snprintf(uri, sizeof uri, "/develop/shared/%lld", (long long)waiting);
        assert_int_equal(tc_get(&stranger, uri), 404);
        testapp_user(app, "later@example.test", "member", PW);
        tc_init(&later, app);
        assert_int_equal(tc_login(&later, "later@example.test", PW), 303);
        page_ok(&later, "/develop/shared");
        assert_true(tc_body_has(&later, "member@example.test"));
        assert_int_equal(tc_get(&later, uri), 200);
        assert_true(tc_body_has(&later, "Joint clinics with health visitors"));
        /* the sharer learns nothing of it: the same address, no name, as before */
        assert_int_equal(tc_get(&member, "/api/v1/develop/shares"), 200);
        assert_true(tc_body_has(&member, "later@example.test"));
        assert_false(tc_body_has(&member, "reviewer\""));
        snprintf(uri, sizeof uri, "/develop/shares/%lld/withdraw", (long long)waiting);
        assert_int_equal(tc_post_form(&member, uri, "", 1), 303);
        tc_free(&later);
        /* back to the one share with the reviewer, of entry a alone */
        snprintf(form, sizeof form, "email=reviewer%%40example.test&scope=chosen&entry.%lld=1",
                 (long long)a);
        assert_int_equal(tc_post_form(&member, "/develop/shares", form, 1), 303);
    }

    /* the API shows the same */
    snprintf(uri, sizeof uri, "/api/v1/develop/shared/%lld", (long long)share);
    assert_int_equal(tc_get(&reviewer, uri), 200);
    assert_true(tc_body_has(&reviewer, "\"count\": 1") || tc_body_has(&reviewer, "\"count\":1"));

    /* withdrawn: the reviewer's access ends at once */
    snprintf(uri, sizeof uri, "/develop/shares/%lld/withdraw", (long long)share);
    assert_int_equal(tc_post_form(&stranger, uri, "", 1), 404); /* not theirs to withdraw */
    assert_int_equal(tc_post_form(&member, uri, "", 1), 303);
    snprintf(uri, sizeof uri, "/develop/shared/%lld", (long long)share);
    assert_int_equal(tc_get(&reviewer, uri), 404);
    snprintf(uri, sizeof uri, "/api/v1/develop/shared/%lld", (long long)share);
    assert_int_equal(tc_get(&reviewer, uri), 404);
    page_ok(&reviewer, "/develop/shared");
    assert_true(tc_body_has(&reviewer, "Nobody has shared a portfolio with you"));
}

/* ---- the CV ---- */

static void test_cv(void **state)
{
    char form[400];
    int64_t qi, role, course;
    json_t *j;
    (void)state;

    qi = add(&member, "Waiting+list+project",
             "&skill.quality-improvement=1&skill.project-management=1&start-day=1"
             "&start-month=1&start-year=2024");
    assert_int_equal(tc_post_form(&member, "/develop/portfolio",
                                  "kind=role&title=Band+6+therapist&context=Riverside+Trust"
                                  "&start-day=1&start-month=9&start-year=2021",
                                  1),
                     303);
    role = entry_id("Band 6 therapist");
    assert_int_equal(tc_post_form(&member, "/develop/portfolio",
                                  "kind=training&title=Mary+Seacole+Programme&start-day=1"
                                  "&start-month=2&start-year=2024",
                                  1),
                     303);
    course = entry_id("Mary Seacole Programme");

    page_ok(&member, "/develop/cv");
    assert_true(tc_body_has(&member, "/develop/cv.pdf"));
    assert_true(tc_body_has(&member, "/develop/cv.docx"));
    assert_true(tc_body_has(&member, "/develop/cv.json"));

    /* mistakes: nothing saved, typed text kept */
    memset(form, 0, sizeof form);
    strcpy(form, "summary=Kept+summary&headline=");
    for (size_t i = strlen(form); i < 200; i++)
        form[i] = 'h';
    assert_int_equal(tc_post_form(&member, "/develop/cv", form, 1), 400);
    assert_true(tc_body_has(&member, "Headline must be 150 characters or fewer"));
    assert_true(tc_body_has(&member, "Kept summary"));
    assert_int_equal(tc_post_form(&member, "/develop/cv", "entries=abc", 1), 400);
    assert_true(tc_body_has(&member, "Choose entries from the list"));
    assert_int_equal(q("SELECT COUNT(*) FROM develop_cv_profiles", NULL), 0);

    snprintf(form, sizeof form,
             "headline=Speech+and+language+therapist&summary=I+lead+improvement."
             "&entry.%lld=1&entry.%lld=1&entry.%lld=1",
             (long long)qi, (long long)role, (long long)course);
    assert_int_equal(tc_post_form(&member, "/develop/cv", form, 1), 303);
    page_ok(&member, "/develop/cv");
    assert_true(tc_body_has(&member, "Your CV has been saved"));
    assert_true(tc_body_has(&member, "Speech and language therapist"));
    assert_true(tc_body_has(&member, "Clinical career"));
    assert_true(tc_body_has(&member, "Quality improvement"));
    assert_true(tc_body_has(&member, "Project management"));
    assert_true(tc_body_has(&member, "Also showing Quality improvement"));
    assert_true(tc_body_has(&member, "Training and qualifications"));

    assert_int_equal(tc_get(&member, "/api/v1/develop/cv"), 200);
    j = body_json(&member);
    assert_int_equal(json_integer_value(json_object_get(j, "chosen")), 3);
    assert_int_equal(json_array_size(json_object_get(j, "career")), 1);
    json_decref(j);

    /* the downloads */
    assert_int_equal(tc_get(&member, "/develop/cv.pdf"), 200);
    assert_string_equal(header(&member, "Content-Type"), "application/pdf");
    assert_memory_equal(member.res.body, "%PDF-", 5);
    assert_non_null(strstr(header(&member, "Content-Disposition"), "attachment"));
    assert_int_equal(tc_get(&member, "/develop/cv.docx"), 200);
    assert_string_equal(header(&member, "Content-Type"),
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    assert_memory_equal(member.res.body, "PK\x03\x04", 4);
    assert_int_equal(tc_get(&member, "/develop/cv.json"), 200);
    j = body_json(&member);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "basics"), "label")),
                        "Speech and language therapist");
    assert_int_equal(json_array_size(json_object_get(j, "work")), 1);
    assert_int_equal(json_array_size(json_object_get(j, "certificates")), 1);
    json_decref(j);
    /* downloads are pages only: no /api/v1 twin */
    assert_int_equal(tc_get(&member, "/api/v1/develop/cv.pdf"), 404);

    /* choosing over the API: an array of ids */
    snprintf(form, sizeof form, "{\"headline\": \"SLT\", \"entries\": [%lld]}", (long long)role);
    assert_int_equal(tc_post_json(&member, "/api/v1/develop/cv", form), 200);
    j = body_json(&member);
    assert_int_equal(json_integer_value(json_object_get(j, "chosen")), 1);
    json_decref(j);
    /* an entry that is not the member's is refused under its own name, and nothing is saved:
     * not the headline, nor the member's own entry beside it */
    snprintf(form, sizeof form,
             "{\"headline\": \"Changed\", \"entries\": [%lld], \"entry.999999\": true}",
             (long long)role);
    assert_int_equal(tc_post_json(&member, "/api/v1/develop/cv", form), 400);
    assert_true(tc_body_has(&member, "\"field\":\"entry.999999\""));
    assert_int_equal(tc_get(&member, "/api/v1/develop/cv"), 200);
    j = body_json(&member);
    assert_string_equal(json_string_value(json_object_get(j, "headline")), "SLT");
    assert_int_equal(json_integer_value(json_object_get(j, "chosen")), 1);
    json_decref(j);
    /* entries as an object, or as a fraction, is refused by name; the choice is kept (an
     * object was once read as no entries, and cleared the CV) */
    assert_int_equal(tc_post_json(&member, "/api/v1/develop/cv",
                                  "{\"headline\": \"SLT\", \"entries\": {\"1\": true}}"),
                     400);
    assert_true(tc_body_has(&member, "\"entries\""));
    assert_int_equal(
        tc_post_json(&member, "/api/v1/develop/cv", "{\"headline\": \"SLT\", \"entries\": 1.5}"),
        400);
    assert_int_equal(tc_get(&member, "/api/v1/develop/cv"), 200);
    j = body_json(&member);
    assert_int_equal(json_integer_value(json_object_get(j, "chosen")), 1);
    json_decref(j);
}

/* A database that fails at any call while the CV or a share is saved answers 503 "Try
 * again" with nothing half-written: the profile and the choice of entries, or a share and
 * its entries, are one transaction each. */
static int64_t fa, fb;

static void cv_before(void)
{
    assert_int_equal(tc_post_form(&member, "/develop/cv", "headline=Before", 1), 303);
}

static int cv_run(void)
{
    char form[160];
    snprintf(form, sizeof form, "headline=After&entry.%lld=1&entry.%lld=1", (long long)fa,
             (long long)fb);
    return tc_post_form(&member, "/develop/cv", form, 1);
}

static bool cv_is(const char *headline, int64_t chosen)
{
    return q("SELECT COUNT(*) FROM develop_cv_profiles WHERE headline = $1", headline) == 1 &&
           q("SELECT COUNT(*) FROM develop_portfolio_entries WHERE on_cv = 1 AND title LIKE $1",
             "Fault %") == chosen;
}

static void share_before(void)
{
    assert_int_equal(tc_post_form(&member, "/develop/shares", "email=reviewer%40example.test", 1),
                     303);
}

static int share_run(void)
{
    char form[160];
    snprintf(form, sizeof form, "email=reviewer%%40example.test&scope=chosen&entry.%lld=1",
             (long long)fa);
    return tc_post_form(&member, "/develop/shares", form, 1);
}

static bool share_is(int64_t whole, int64_t entries)
{
    return q("SELECT COUNT(*) FROM develop_portfolio_shares WHERE whole = CAST($1 AS INTEGER)",
             whole ? "1" : "0") == 1 &&
           q("SELECT COUNT(*) FROM develop_portfolio_share_entries", NULL) == entries;
}

static void sweep(const char *what, void (*before)(void), int (*run)(void), bool (*unchanged)(void),
                  bool (*complete)(void))
{
    long calls;
    int status, failed = 0;
    before();
    db_fault_count_start();
    status = run();
    calls = db_fault_count();
    db_fault_after(0);
    assert_int_equal(status, 303);
    assert_true(complete());
    for (long n = 1; n <= calls; n++) {
        before();
        assert_true(unchanged());
        db_fault_after(n);
        status = run();
        db_fault_after(0);
        if (status == 503) {
            if (!tc_body_has(&member, "Try again") || !unchanged())
                fail_msg("%s: call %ld of %ld failed: 503 but %s", what, n, calls,
                         unchanged() ? "no \"Try again\"" : "something was written");
            failed++;
        } else if (status != 303 || !complete()) {
            fail_msg("%s: call %ld of %ld failed: answered %d", what, n, calls, status);
        }
    }
    assert_true(failed > 0);
}

static bool cv_unchanged(void)
{
    return cv_is("Before", 0);
}
static bool cv_complete(void)
{
    return cv_is("After", 2);
}
static bool share_unchanged(void)
{
    return share_is(1, 0);
}
static bool share_complete(void)
{
    return share_is(0, 1);
}

static void test_failed_writes_leave_nothing_half_done(void **state)
{
    (void)state;
    /* from a clean slate: no shares, no other CV choices */
    assert_int_equal(q("SELECT COUNT(*) FROM develop_portfolio_shares", NULL), 0);
    fa = add(&member, "Fault+one", "");
    fb = add(&member, "Fault+two", "");
    sweep("saving the CV", cv_before, cv_run, cv_unchanged, cv_complete);
    sweep("sharing chosen entries", share_before, share_run, share_unchanged, share_complete);
}

/* The member's copy holds the portfolio; deleting the account leaves no row of it. */
static void test_data_rights(void **state)
{
    struct test_client gone;
    int64_t uid;
    (void)state;

    uid = testapp_user(app, "leaving@example.test", "member", PW);
    tc_init(&gone, app);
    assert_int_equal(tc_login(&gone, "leaving@example.test", PW), 303);
    add(&gone, "Leaving+project",
        "&on_cv=1&start-day=1&start-month=3&start-year=2025&skill.leadership=1&skill.teaching=1"
        "&domain.vision=1&domain.system=1");
    add(&gone, "Leaving+note", "");
    assert_int_equal(tc_post_form(&gone, "/develop/cv", "headline=Leaving+headline", 1), 303);
    assert_int_equal(tc_post_form(&gone, "/develop/shares", "email=reviewer%40example.test", 1),
                     303);
    assert_int_equal(tc_post_form(&member, "/develop/shares", "email=leaving%40example.test", 1),
                     303);
    assert_int_equal(tc_get(&gone, "/account/data/download"), 200);
    assert_true(tc_body_has(&gone, "portfolio_entries"));
    assert_true(tc_body_has(&gone, "Leaving project"));
    assert_true(tc_body_has(&gone, "Leaving headline"));
    assert_true(tc_body_has(&gone, "portfolios_shared_with_you"));
    /* its dates named and written as the portfolio's API gives them, and takes them back */
    {
        json_t *j = body_json(&gone), *e, *ja, *api;
        char uri[64];
        e = json_array_get(json_object_get(json_object_get(j, "develop"), "portfolio_entries"), 0);
        assert_non_null(e);
        assert_null(json_object_get(e, "started_on"));
        assert_string_equal(json_string_value(json_object_get(e, "start")), "2025-03-01");
        assert_string_equal(json_string_value(json_object_get(e, "end")), "");
        snprintf(uri, sizeof uri, "/api/v1/develop/portfolio/%lld",
                 (long long)json_integer_value(json_object_get(e, "id")));
        assert_int_equal(tc_get(&gone, uri), 200);
        ja = body_json(&gone);
        api = json_object_get(ja, "entry");
        assert_true(json_equal(json_object_get(api, "start"), json_object_get(e, "start")));
        assert_true(json_equal(json_object_get(api, "end"), json_object_get(e, "end")));
        /* its skills and areas as lists of the codes the API gives each tag, in its order */
        for (int k = 0; k < 2; k++) {
            const char *name = k ? "areas" : "skills";
            json_t *mine = json_object_get(e, name), *theirs = json_object_get(api, name);
            assert_true(json_is_array(mine));
            assert_int_equal(json_array_size(mine), 2);
            assert_int_equal(json_array_size(theirs), 2);
            for (size_t i = 0; i < 2; i++)
                assert_string_equal(
                    json_string_value(json_array_get(mine, i)),
                    json_string_value(json_object_get(json_array_get(theirs, i), "code")));
        }
        assert_string_equal(json_string_value(json_array_get(json_object_get(e, "skills"), 1)),
                            "teaching");
        /* none is an empty list */
        e = json_array_get(json_object_get(json_object_get(j, "develop"), "portfolio_entries"), 1);
        assert_true(json_is_array(json_object_get(e, "skills")));
        assert_int_equal(json_array_size(json_object_get(e, "skills")), 0);
        assert_true(json_is_array(json_object_get(e, "areas")));
        assert_int_equal(json_array_size(json_object_get(e, "areas")), 0);
        json_decref(ja);
        json_decref(j);
    }
    assert_int_equal(tc_post_json(&gone, "/api/v1/account/delete",
                                  "{\"password\": \"correct horse battery\", \"confirm\": true}"),
                     200);
    {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)uid);
        assert_int_equal(
            q("SELECT COUNT(*) FROM develop_portfolio_entries WHERE user_id = CAST($1 AS BIGINT)",
              id),
            0);
        assert_int_equal(q("SELECT COUNT(*) FROM develop_portfolio_shares WHERE owner_id = "
                           "CAST($1 AS BIGINT) OR reviewer_id = CAST($1 AS BIGINT)",
                           id),
                         0);
        assert_int_equal(
            q("SELECT COUNT(*) FROM develop_cv_profiles WHERE user_id = CAST($1 AS BIGINT)", id),
            0);
    }
    /* the share another member made to that address is theirs and stays, as a share to an
     * address with no account does: its going would tell them an account had existed */
    assert_int_equal(tc_get_json(&member, "/api/v1/develop/shares"), 200);
    assert_true(tc_body_has(&member, "leaving@example.test"));
    tc_free(&gone);
}

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    testapp_user(app, "member@example.test", "member", PW);
    testapp_user(app, "reviewer@example.test", "member", PW);
    testapp_user(app, "stranger@example.test", "member", PW);
    tc_init(&member, app);
    tc_init(&reviewer, app);
    tc_init(&stranger, app);
    tc_init(&anon, app);
    if (tc_login(&member, "member@example.test", PW) != 303 ||
        tc_login(&reviewer, "reviewer@example.test", PW) != 303 ||
        tc_login(&stranger, "stranger@example.test", PW) != 303)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&member);
    tc_free(&reviewer);
    tc_free(&stranger);
    tc_free(&anon);
    testapp_free(app);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_read_change_delete),
        cmocka_unit_test(test_mistakes_store_nothing_and_keep_what_was_typed),
        cmocka_unit_test(test_api),
        cmocka_unit_test(test_others_reach_nothing),
        cmocka_unit_test(test_sharing),
        cmocka_unit_test(test_cv),
        cmocka_unit_test(test_failed_writes_leave_nothing_half_done),
        cmocka_unit_test(test_data_rights),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
