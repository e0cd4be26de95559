/* listen_refused_test.c: a Listen write whose request has a field the request layer refused
 * (too long, not a whole number, not an address, not a yes or no) changes nothing and shows
 * the form again with the error and what was typed
 *
 * A refused field reads as absent to the handler (req_field gives NULL), so a handler that
 * does not look at the request's errors goes ahead as if it had been left blank: an exercise
 * opened without being asked, a question dropped. Each test sends otherwise valid input with
 * one field refused, through the page and through the JSON API, and checks the answer (400),
 * the message, the text as typed, and that nothing was written. The import page's two forms
 * each show their own title's error. The test client aborts when a
 * write with field errors answers below 400. Runs on SQLite and PostgreSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testapp.h"

static struct app *app;
static struct test_client fac;
static const char *PW = "correct horse battery";

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    testapp_user(app, "fac@example.test", "facilitator", PW);
    tc_init(&fac, app);
    return tc_login(&fac, "fac@example.test", PW) == 303 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&fac);
    testapp_free(app);
    return 0;
}

/* n copies of ch, in a static buffer (one at a time). */
static const char *repeat(char ch, size_t n)
{
    static char s[3000];
    assert_true(n < sizeof s);
    memset(s, ch, n);
    s[n] = '\0';
    return s;
}

/* A new exercise, left as a draft unless open; its slug in out. */
static void new_exercise(const char *title, bool open, char out[32])
{
    char form[300], uri[64];
    const char *loc;
    snprintf(form, sizeof form,
             "title=%s&summary=Tell+us.&audience_citizen=1&moderation=post&flag_threshold=3&"
             "prompts=What+works+well%%3F",
             title);
    assert_int_equal(tc_post_form(&fac, "/listen/new", form, 1), 303);
    loc = lb_header(&fac.res, "Location");
    assert_non_null(loc);
    snprintf(out, 32, "%s", loc + 8);
    if (open) {
        snprintf(uri, sizeof uri, "/listen/%s/status", out);
        assert_int_equal(tc_post_form(&fac, uri, "status=open", 1), 303);
    }
}

static int64_t sql_int(const char *sql, const char *arg)
{
    return testapp_int(app, sql, arg);
}

static int64_t status_is(const char *slug, const char *status)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM listen_exercises WHERE slug = $1 AND status = '%s'", status);
    return sql_int(sql, slug);
}

/* A visitor's contribution to the exercise's first question; its id. */
static int64_t contribute(const char *slug, const char *text)
{
    struct test_client v;
    char uri[96], form[300];
    int64_t prompt = sql_int("SELECT p.id FROM listen_prompts p JOIN listen_exercises x ON "
                             "x.id = p.exercise_id WHERE x.slug = $1",
                             slug);
    assert_true(prompt > 0);
    tc_init(&v, app);
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    assert_int_equal(tc_get(&v, uri), 200);
    snprintf(uri, sizeof uri, "/listen/%s/contribute", slug);
    snprintf(form, sizeof form, "prompt=%lld&text=%s", (long long)prompt, text);
    assert_int_equal(tc_post_form(&v, uri, form, 1), 303);
    tc_free(&v);
    return sql_int("SELECT id FROM listen_contributions WHERE body = $1", "The waiting list");
}

/* ---- the status: a refused "confirmed" moves nothing, nor asks again ---- */

static void test_status_refused_confirmed(void **state)
{
    char slug[32], uri[96];
    (void)state;
    new_exercise("Refused+status", false, slug);
    snprintf(uri, sizeof uri, "/listen/%s/status", slug);
    /* a draft opens without being asked: it was opened as though "confirmed" were blank */
    assert_int_equal(tc_post_form(&fac, uri, "status=open&confirmed=yesyes", 1), 400);
    assert_true(tc_body_has(&fac, "That you are sure must be 5 characters or fewer"));
    assert_int_equal(status_is(slug, "draft"), 1);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/status", slug);
    assert_int_equal(tc_post_json(&fac, uri, "{\"status\":\"open\",\"confirmed\":\"yesyes\"}"),
                     400);
    assert_true(tc_body_has(&fac, "\"confirmed\":\"That you are sure must be 5 characters"));
    assert_int_equal(status_is(slug, "draft"), 1);
    /* open, then closing with the refused value: the question is not asked again as if it
     * had been left blank (200), and the exercise stays open; through the API it would close */
    snprintf(uri, sizeof uri, "/listen/%s/status", slug);
    assert_int_equal(tc_post_form(&fac, uri, "status=open", 1), 303);
    assert_int_equal(tc_post_form(&fac, uri, "status=closed&confirmed=yesyes", 1), 400);
    assert_true(tc_body_has(&fac, "That you are sure must be 5 characters or fewer"));
    assert_int_equal(status_is(slug, "open"), 1);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/status", slug);
    assert_int_equal(tc_post_json(&fac, uri, "{\"status\":\"closed\",\"confirmed\":\"yesyes\"}"),
                     400);
    assert_int_equal(status_is(slug, "open"), 1);
    /* and as sent properly, it closes */
    assert_int_equal(tc_post_json(&fac, uri, "{\"status\":\"closed\"}"), 200);
    assert_int_equal(status_is(slug, "closed"), 1);
}

/* ---- the exercise form: a title over its length comes back to be shortened ---- */

static void test_exercise_title_typed_back(void **state)
{
    char slug[32], uri[96], form[3200], json[3200];
    int64_t before = sql_int("SELECT count(*) FROM listen_exercises", NULL);
    const char *long_title = repeat('t', 151);
    (void)state;
    snprintf(form, sizeof form,
             "title=%s&audience_citizen=1&moderation=post&prompts=What+works+well%%3F", long_title);
    assert_int_equal(tc_post_form(&fac, "/listen/new", form, 1), 400);
    assert_true(tc_body_has(&fac, "A title must be 150 characters or fewer"));
    assert_true(tc_body_has(&fac, long_title));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "exercise form, title refused") < 2);
    assert_int_equal(sql_int("SELECT count(*) FROM listen_exercises", NULL), before);
    snprintf(json, sizeof json,
             "{\"title\":\"%s\",\"audience_citizen\":true,\"moderation\":\"post\","
             "\"prompts\":\"What works well?\"}",
             long_title);
    assert_int_equal(tc_post_json(&fac, "/api/v1/listen/new", json), 400);
    assert_true(tc_body_has(&fac, "\"title\":\"A title must be 150 characters or fewer\""));
    assert_int_equal(sql_int("SELECT count(*) FROM listen_exercises", NULL), before);
    /* editing: the same, and the stored title stays */
    new_exercise("Kept+title", false, slug);
    snprintf(uri, sizeof uri, "/listen/%s/edit", slug);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 400);
    assert_true(tc_body_has(&fac, long_title));
    assert_int_equal(sql_int("SELECT count(*) FROM listen_exercises WHERE slug = $1 AND title = "
                             "'Kept title'",
                             slug),
                     1);
}

/* ---- facilitators: an address that is not one comes back as typed ---- */

static void test_facilitator_email_typed_back(void **state)
{
    char slug[32], uri[96];
    (void)state;
    new_exercise("Refused+facilitator", false, slug);
    snprintf(uri, sizeof uri, "/listen/%s/facilitators", slug);
    assert_int_equal(tc_post_form(&fac, uri, "email=pat%40nowhere", 1), 400);
    assert_true(tc_body_has(&fac, "Enter an email address in the correct format"));
    assert_true(tc_body_has(&fac, "value=\"pat@nowhere\""));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "facilitators, address refused") < 2);
    assert_int_equal(sql_int("SELECT count(*) FROM listen_facilitators f JOIN listen_exercises x "
                             "ON x.id = f.exercise_id WHERE x.slug = $1",
                             slug),
                     1);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/facilitators", slug);
    assert_int_equal(tc_post_json(&fac, uri, "{\"email\":\"pat@nowhere\"}"), 400);
    assert_true(tc_body_has(&fac, "\"email\":\"Enter an email address"));
}

/* ---- analysis: a number of themes that is not a number comes back as typed ---- */

static void test_analyse_k_typed_back(void **state)
{
    char slug[32], uri[96];
    static const char runs[] = "SELECT count(*) FROM listen_analysis_runs r JOIN "
                               "listen_exercises x ON x.id = r.exercise_id WHERE x.slug = $1";
    (void)state;
    new_exercise("Refused+analysis", true, slug);
    snprintf(uri, sizeof uri, "/listen/%s/analysis", slug);
    assert_int_equal(tc_post_form(&fac, uri, "k=xy", 1), 400);
    assert_true(tc_body_has(&fac, "The number of themes must be a whole number"));
    assert_true(tc_body_has(&fac, "value=\"xy\""));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "analysis, number refused") < 2);
    assert_int_equal(sql_int(runs, slug), 0);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/analysis", slug);
    assert_int_equal(tc_post_json(&fac, uri, "{\"k\":\"xy\"}"), 400);
    assert_int_equal(sql_int(runs, slug), 0);
}

/* ---- moderation: redacted text and a bulk reason over their lengths come back ---- */

static void test_moderation_typed_back(void **state)
{
    char slug[32], uri[96], form[3200], json[3200];
    const char *typed;
    int64_t id;
    static const char unchanged[] = "SELECT count(*) FROM listen_contributions WHERE body = $1 "
                                    "AND status = 'approved' AND original IS NULL";
    (void)state;
    new_exercise("Refused+moderation", true, slug);
    id = contribute(slug, "The+waiting+list");
    assert_true(id > 0);
    /* one at a time: redact with 2,001 characters */
    typed = repeat('r', 2001);
    snprintf(uri, sizeof uri, "/listen/%s/moderate/%lld", slug, (long long)id);
    snprintf(form, sizeof form, "action=redact&filter=all&text=%s", typed);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 400);
    assert_true(tc_body_has(&fac, "The redacted text must be 2000 characters or fewer"));
    assert_true(tc_body_has(&fac, typed));
    assert_false(tc_body_has(&fac, "Enter the contribution as it should be shown"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "moderation, redaction refused") < 2);
    assert_int_equal(sql_int(unchanged, "The waiting list"), 1);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/moderate/%lld", slug, (long long)id);
    snprintf(json, sizeof json, "{\"action\":\"redact\",\"text\":\"%s\"}", typed);
    assert_int_equal(tc_post_json(&fac, uri, json), 400);
    assert_int_equal(sql_int(unchanged, "The waiting list"), 1);
    /* one at a time: reject with a reason of 301 characters, which comes back in its box */
    typed = repeat('q', 301);
    snprintf(uri, sizeof uri, "/listen/%s/moderate/%lld", slug, (long long)id);
    snprintf(form, sizeof form, "action=reject&filter=all&reason=%s", typed);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 400);
    snprintf(json, sizeof json, "name=\"reason\" type=\"text\" autocomplete=\"off\" value=\"%s\"",
             typed);
    assert_true(tc_body_has(&fac, json));
    assert_int_equal(sql_int(unchanged, "The waiting list"), 1);
    /* ticked in bulk: reject with a reason of 301 characters, shown beside the bulk form */
    typed = repeat('q', 301);
    snprintf(uri, sizeof uri, "/listen/%s/moderate/bulk", slug);
    snprintf(form, sizeof form, "action=reject&filter=all&pick.%lld=1&reason=%s", (long long)id,
             typed);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 400);
    assert_true(
        tc_body_has(&fac, "href=\"#bulk-reason\">A reason must be 300 characters or fewer"));
    assert_true(tc_body_has(&fac, "id=\"bulk-reason-error\""));
    assert_true(tc_body_has(&fac, typed));
    assert_false(tc_body_has(&fac, "Enter why the ticked contributions are rejected"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "moderation, bulk reason refused") < 2);
    assert_int_equal(sql_int(unchanged, "The waiting list"), 1);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/moderate/bulk", slug);
    snprintf(json, sizeof json, "{\"action\":\"reject\",\"pick.%lld\":true,\"reason\":\"%s\"}",
             (long long)id, typed);
    assert_int_equal(tc_post_json(&fac, uri, json), 400);
    assert_int_equal(sql_int(unchanged, "The waiting list"), 1);
}

/* ---- importing responses ---- */

static const char POLIS_COMMENTS[] =
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1600000000000,x,0,1,1,0,1,Shorter waits\n"
    "1600000000000,x,1,2,0,1,1,More staff\n";
static const char POLIS_VOTES[] = "timestamp,datetime,comment-id,voter-id,vote\n"
                                  "1600000000000,x,0,1,1\n"
                                  "1600000000000,x,1,2,-1\n";
static const char SURVEY[] = "id,answer\n1,Shorter waits please\n2,Time for CPD\n";

/* One multipart part: a text field, or a file when file is true. */
static void part(char *body, size_t cap, size_t *n, const char *name, const char *value, bool file)
{
    *n += (size_t)snprintf(body + *n, cap - *n,
                           "--XXB\r\nContent-Disposition: form-data; name=\"%s\"%s\r\n%s\r\n%s\r\n",
                           name, file ? "; filename=\"f.csv\"" : "",
                           file ? "Content-Type: text/csv\r\n" : "", value);
    assert_true(*n < cap);
}

/* POSTs an import of kind with the title in the field title_field (none when NULL), as the
 * page (auth NULL: the CSRF token) or the API (auth: the bearer token header). */
static int post_import(struct test_client *tc, const char *auth, const char *kind,
                       const char *title_field, const char *title)
{
    char body[8192], ctype[96];
    const char *h[] = {ctype, auth, NULL};
    size_t n = 0;
    if (!auth)
        part(body, sizeof body, &n, "csrf_token", tc_csrf(tc), false);
    part(body, sizeof body, &n, "kind", kind, false);
    if (title_field)
        part(body, sizeof body, &n, title_field, title, false);
    if (!strcmp(kind, "polis")) {
        part(body, sizeof body, &n, "comments_file", POLIS_COMMENTS, true);
        part(body, sizeof body, &n, "votes_file", POLIS_VOTES, true);
    } else {
        part(body, sizeof body, &n, "text_column", "answer", false);
        part(body, sizeof body, &n, "csv_file", SURVEY, true);
    }
    n += (size_t)snprintf(body + n, sizeof body - n, "--XXB--\r\n");
    snprintf(ctype, sizeof ctype, "Content-Type: multipart/form-data; boundary=XXB");
    return tc_request(tc, "POST", auth ? "/api/v1/listen/import" : "/listen/import", h, body, n);
}

/* The import page has two forms, a Pol.is export and a survey CSV, each with a title. A title
 * the request layer refused (over its 150 characters, a control character) is shown beside
 * the title of the form that sent it, and only there, with what was typed, and nothing is
 * imported. The API sends "title" for either kind, as it always has. */
static void test_import_title_typed_back(void **state)
{
    char expect[400], auth[200], title[152];
    const char *p;
    int64_t exercises = sql_int("SELECT count(*) FROM listen_exercises WHERE $1 = $1", "x");
    struct test_client api;
    (void)state;
    memcpy(title, "Imported", 8);
    memset(title + 8, 't', 151 - 8);
    title[151] = '\0';
    assert_int_equal(tc_get(&fac, "/listen/import"), 200);
    assert_int_equal(post_import(&fac, NULL, "polis", "polis_title", title), 400);
    assert_true(tc_body_has(&fac, "href=\"#polis_title\">A title must be 150 characters or fewer"));
    assert_true(tc_body_has(&fac, "id=\"polis_title-error\""));
    assert_false(tc_body_has(&fac, "id=\"csv_title-error\""));
    snprintf(expect, sizeof expect, "name=\"polis_title\" type=\"text\" value=\"%s\"", title);
    assert_true(tc_body_has(&fac, expect));
    assert_true(tc_body_has(&fac, "name=\"csv_title\" type=\"text\" value=\"\""));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "import, Pol.is title refused") < 2);
    assert_int_equal(post_import(&fac, NULL, "csv", "csv_title", "Survey\x01 answers"), 400);
    assert_true(tc_body_has(&fac, "href=\"#csv_title\">Enter text on one line"));
    assert_true(tc_body_has(&fac, "id=\"csv_title-error\""));
    assert_false(tc_body_has(&fac, "id=\"polis_title-error\""));
    assert_true(tc_body_has(&fac, "name=\"csv_title\" type=\"text\" value=\"Survey answers\""));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "import, CSV title refused") < 2);
    assert_int_equal(sql_int("SELECT count(*) FROM listen_exercises WHERE $1 = $1", "x"),
                     exercises);
    /* each form's own title names the exercise */
    assert_int_equal(post_import(&fac, NULL, "polis", "polis_title", "Waits conversation"), 303);
    assert_int_equal(
        sql_int("SELECT count(*) FROM listen_exercises WHERE title = $1", "Waits conversation"), 1);
    assert_int_equal(post_import(&fac, NULL, "csv", "csv_title", "Waits survey"), 303);
    assert_int_equal(
        sql_int("SELECT count(*) FROM listen_exercises WHERE title = $1", "Waits survey"), 1);
    exercises += 2;

    /* the API: "title", refused and then taken */
    assert_int_equal(tc_post_form(&fac, "/account/tokens", "name=Import+script", 1), 201);
    p = strstr(fac.res.body, "ahp_");
    assert_non_null(p);
    snprintf(auth, sizeof auth, "Authorization: Bearer %.68s", p);
    tc_init(&api, app);
    assert_int_equal(post_import(&api, auth, "polis", "title", title), 400);
    assert_true(tc_body_has(&api, "\"field\":\"title\""));
    assert_int_equal(sql_int("SELECT count(*) FROM listen_exercises WHERE $1 = $1", "x"),
                     exercises);
    assert_int_equal(post_import(&api, auth, "csv", "title", "Survey through the API"), 201);
    assert_int_equal(
        sql_int("SELECT count(*) FROM listen_exercises WHERE title = $1", "Survey through the API"),
        1);
    tc_free(&api);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_refused_confirmed),
        cmocka_unit_test(test_exercise_title_typed_back),
        cmocka_unit_test(test_facilitator_email_typed_back),
        cmocka_unit_test(test_analyse_k_typed_back),
        cmocka_unit_test(test_moderation_typed_back),
        cmocka_unit_test(test_import_title_typed_back),
    };
    return cmocka_run_group_tests_name("http/listen_refused", tests, setup, teardown);
}
