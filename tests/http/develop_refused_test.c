/* develop_refused_test.c: a Develop write whose request has a refused field writes nothing
 *
 * The request layer (http/form.c) refuses a value that is too long, has a control character,
 * is not a whole number or not an address, and req_field() then answers NULL for it, as if
 * it had been left blank. Each write of Develop must then store nothing, send nothing, and
 * answer as its form answers its own mistakes: the page again (400) with the message and
 * what was typed, or for the API the errors with 400. Each test sends otherwise good input
 * with one such field: starting a self-assessment, answering a domain, importing a framework,
 * asking for 360° feedback and adding raters, a rater's comments, adding and changing a
 * catalogue activity, importing a catalogue file over its limit, adding and changing a
 * portfolio entry, and saving the CV; and a closing or start date with a refused day, month
 * or year, whose own message must be the date's only one. Each page shown again passes tidy. Runs
 * on SQLite and PostgreSQL.
 * portfolio entry, saving the CV, and a plan's goal and activity with a refused target day.
 * Each page shown again passes tidy. Runs on SQLite and PostgreSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "support/testapp.h"

static struct app *app;
static struct test_client member, fac, admin, rater;
static const char *PW = "correct horse battery";
static int64_t submitted_id; /* the member's submitted self-assessment */

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

/* The API's answer to a refused field: 400 with that field's message among the errors. */
static void api_refused(const struct test_client *tc, const char *field, const char *message)
{
    json_t *j = body_json(tc);
    const char *m = json_string_value(json_object_get(json_object_get(j, "errors"), field));
    assert_non_null(m);
    if (!strstr(m, message))
        fail_msg("%s: \"%s\" is not \"%s\"", field, m, message);
    json_decref(j);
}

/* POSTs the object to the API path; the caller's object is released. */
static int post_json(struct test_client *tc, const char *uri, json_t *o)
{
    char *body = json_dumps(o, 0);
    int status;
    assert_non_null(body);
    status = tc_post_json(tc, uri, body);
    free(body);
    json_decref(o);
    return status;
}

/* prefix followed by x's, n characters in all (malloc'd). */
static char *long_text(const char *prefix, size_t n)
{
    char *s = malloc(n + 1);
    size_t k = strlen(prefix);
    assert_non_null(s);
    memcpy(s, prefix, k);
    memset(s + k, 'x', n - k);
    s[n] = '\0';
    return s;
}

/* closes-day=…&closes-month=…&closes-year=… for days from today (UTC) */
static void date_form(char *out, size_t n, int days)
{
    time_t t = time(NULL) + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, n, "closes-day=%d&closes-month=%d&closes-year=%d", tm.tm_mday, tm.tm_mon + 1,
             tm.tm_year + 1900);
}

/* ---- self-assessment ---- */

static void test_start_with_a_refused_framework(void **state)
{
    int64_t before = q("SELECT COUNT(*) FROM develop_self_assessments", NULL);
    (void)state;
    /* not a whole number: the shipped framework is not started in its place */
    assert_int_equal(tc_post_form(&member, "/develop/start", "framework=abc", 1), 400);
    assert_true(tc_body_has(&member, "The framework must be a whole number"));
    assert_true(testapp_tidy(member.res.body, member.res.len, "start refused") < 2);
    assert_true(tc_body_has(&member, "Choose a framework from the list."));
    assert_int_equal(q("SELECT COUNT(*) FROM develop_self_assessments", NULL), before);
    assert_int_equal(
        post_json(&member, "/api/v1/develop/start", json_pack("{s:s}", "framework", "abc")), 400);
    api_refused(&member, "framework", "must be a whole number");
    assert_int_equal(q("SELECT COUNT(*) FROM develop_self_assessments", NULL), before);
}

static void test_answer_with_a_refused_note(void **state)
{
    char uri[96], sid[24];
    int64_t draft;
    (void)state;
    assert_int_equal(tc_post_form(&member, "/develop/start", "", 1), 303);
    draft = q("SELECT MAX(id) FROM develop_self_assessments", NULL);
    assert_true(draft > submitted_id);
    snprintf(sid, sizeof sid, "%lld", (long long)draft);
    snprintf(uri, sizeof uri, "/develop/self/%lld/domain/1", (long long)draft);
    /* a rating, and a note with a control character */
    assert_int_equal(tc_post_form(&member, uri,
                                  "rating.system-fit=3&note.system-fit=Led+the+huddle%01+on+"
                                  "ward+7&action=next",
                                  1),
                     400);
    assert_true(tc_body_has(&member, "Remove the special characters from the text"));
    assert_true(testapp_tidy(member.res.body, member.res.len, "domain refused") < 2);
    assert_true(tc_body_has(&member, ">Led the huddle on ward 7</textarea>"));
    assert_int_equal(q("SELECT COUNT(*) FROM develop_ratings WHERE assessment_id = "
                       "CAST($1 AS BIGINT)",
                       sid),
                     0);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/domain/1", (long long)draft);
    assert_int_equal(post_json(&member, uri,
                               json_pack("{s:s, s:s}", "rating.system-fit", "3", "note.system-fit",
                                         "Led the huddle\001")),
                     400);
    api_refused(&member, "note.system-fit", "Remove the special characters");
    assert_int_equal(q("SELECT COUNT(*) FROM develop_ratings WHERE assessment_id = "
                       "CAST($1 AS BIGINT)",
                       sid),
                     0);
}

/* ---- frameworks ---- */

static char *fixture(const char *name)
{
    char path[256];
    FILE *f;
    char *s;
    long n;
    snprintf(path, sizeof path, "tests/unit/develop/fixtures/%s", name);
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    rewind(f);
    s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* "name=" and s percent-encoded (malloc'd). */
static char *form_of(const char *name, const char *s)
{
    size_t n = strlen(s), k;
    char *form = malloc(3 * n + strlen(name) + 8);
    assert_non_null(form);
    k = (size_t)sprintf(form, "%s=", name);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
            form[k++] = (char)ch;
        else
            k += (size_t)sprintf(form + k, "%%%02X", ch);
    }
    form[k] = '\0';
    return form;
}

static void test_framework_with_a_refused_definition(void **state)
{
    char *doc = fixture("six-domains-frequency.json"), *p, *form;
    int64_t before = q("SELECT COUNT(*) FROM develop_frameworks", NULL);
    (void)state;
    /* a control character inside one statement: the rest is a good framework */
    p = strstr(doc, "I report near misses.");
    assert_non_null(p);
    p[strlen("I report near misses")] = '\001';
    form = form_of("definition", doc);
    assert_int_equal(tc_post_form(&admin, "/develop/frameworks", form, 1), 400);
    free(form);
    assert_true(tc_body_has(&admin, "Remove the special characters from the text"));
    assert_true(testapp_tidy(admin.res.body, admin.res.len, "framework refused") < 2);
    /* the text comes back (without the control character) to be sent again */
    assert_true(tc_body_has(&admin, "I speak up when I am worried about a patient."));
    assert_true(tc_body_has(&admin, "I report near misses"));
    assert_int_equal(q("SELECT COUNT(*) FROM develop_frameworks", NULL), before);
    assert_int_equal(
        post_json(&admin, "/api/v1/develop/frameworks", json_pack("{s:s}", "definition", doc)),
        400);
    api_refused(&admin, "definition", "Remove the special characters");
    assert_int_equal(q("SELECT COUNT(*) FROM develop_frameworks", NULL), before);
    free(doc);
}

/* ---- 360° feedback ---- */

static int64_t request_id;
static char token[65];

/* The first rater link's token on the last page. */
static void first_token(const struct test_client *tc, char out[65])
{
    const char *p = tc->res.body, *end = tc->res.body + tc->res.len;
    while (p < end && (p = strstr(p, "/feedback/")) != NULL) {
        p += strlen("/feedback/");
        if (strspn(p, "0123456789abcdef") >= 64) {
            memcpy(out, p, 64);
            out[64] = '\0';
            return;
        }
    }
    fail_msg("no rater link on the page");
}

/* A date with a day, month or year the request layer refused (300 characters, a control
 * character): that part's message is the date's only one, never "Enter the closing date" or
 * "Enter a start date" for a date that was typed; the part comes back whole and nothing is
 * stored. Left empty, the form's own message stays. */
static void test_dates_with_a_refused_part(void **state)
{
    char *day = long_text("D", 300), form[1200], uri[96];
    time_t t = time(NULL) + 10 * 86400;
    struct tm tm;
    json_t *j;
    (void)state;
    gmtime_r(&t, &tm);
    /* asking for feedback: the closing date's day refused */
    snprintf(uri, sizeof uri, "/develop/self/%lld/feedback", (long long)submitted_id);
    snprintf(form, sizeof form,
             "closes-day=%s&closes-month=%d&closes-year=%d&email.1=p1%%40example.test&group.1=peer",
             day, tm.tm_mon + 1, tm.tm_year + 1900);
    assert_int_equal(tc_post_form(&member, uri, form, 1), 400);
    assert_true(tc_body_has(&member, "Error: </span>The day must be 10 characters or fewer"));
    assert_false(tc_body_has(&member, "Enter the closing date"));
    assert_true(tc_body_has(&member, "href=\"#closes-day\""));
    assert_false(tc_body_has(&member, "href=\"#closes\""));
    assert_true(tc_body_has(&member, day));
    assert_true(tc_body_has(&member, "value=\"p1@example.test\""));
    assert_true(testapp_tidy(member.res.body, member.res.len, "closing date refused") < 2);
    snprintf(form, sizeof form,
             "closes-day=%d&closes-month=%d&closes-year=%d%%07&email.1=p1%%40example.test"
             "&group.1=peer",
             tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900);
    assert_int_equal(tc_post_form(&member, uri, form, 1), 400);
    assert_true(tc_body_has(&member, "Error: </span>Enter text on one line"));
    assert_false(tc_body_has(&member, "Enter the closing date"));
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/feedback", (long long)submitted_id);
    assert_int_equal(post_json(&member, uri,
                               json_pack("{s:s, s:s, s:s, s:[{s:s, s:s}]}", "closes-day", day,
                                         "closes-month", "1", "closes-year", "2030", "raters",
                                         "email", "p1@example.test", "group", "peer")),
                     400);
    api_refused(&member, "closes-day", "10 characters or fewer");
    j = body_json(&member);
    assert_null(json_object_get(json_object_get(j, "errors"), "closes"));
    json_decref(j);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_requests", NULL), 0);
    /* left empty: the form's own message */
    snprintf(uri, sizeof uri, "/develop/self/%lld/feedback", (long long)submitted_id);
    assert_int_equal(tc_post_form(&member, uri,
                                  "closes-day=&closes-month=&closes-year=&email.1=p1%40example.test"
                                  "&group.1=peer",
                                  1),
                     400);
    assert_true(tc_body_has(&member, "Enter the closing date"));

    /* a portfolio entry with an end date and its start date's day refused */
    snprintf(form, sizeof form,
             "kind=project&title=Dated+project&start-day=%s&start-month=3&start-year=2025"
             "&end-day=1&end-month=6&end-year=2025",
             day);
    assert_int_equal(tc_post_form(&member, "/develop/portfolio", form, 1), 400);
    assert_true(tc_body_has(&member, "Error: </span>The start day must be 10 characters"));
    assert_false(tc_body_has(&member, "Enter a start date"));
    assert_true(tc_body_has(&member, day));
    assert_true(testapp_tidy(member.res.body, member.res.len, "start date refused") < 2);
    assert_int_equal(
        post_json(&member, "/api/v1/develop/portfolio",
                  json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kind", "project", "title",
                            "Dated project", "start-day", "1\x01", "start-month", "3", "start-year",
                            "2025", "end", "2025-06-01")),
        400);
    api_refused(&member, "start-day", "special characters");
    j = body_json(&member);
    assert_null(json_object_get(json_object_get(j, "errors"), "start"));
    json_decref(j);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_portfolio_entries", NULL), 0);
    /* left empty with an end date: the form's own message */
    assert_int_equal(tc_post_form(&member, "/develop/portfolio",
                                  "kind=project&title=Dated+project&end-day=1&end-month=6"
                                  "&end-year=2025",
                                  1),
                     400);
    assert_true(tc_body_has(&member, "Enter a start date, or leave the end date empty"));
    free(day);
}

static void test_feedback_with_a_refused_address(void **state)
{
    char form[600], date[80], uri[96];
    int64_t mails = q("SELECT COUNT(*) FROM mail_outbox", NULL);
    (void)state;
    date_form(date, sizeof date, 10);
    snprintf(uri, sizeof uri, "/develop/self/%lld/feedback", (long long)submitted_id);
    /* asking: a good rater, and a second address that is not one */
    snprintf(form, sizeof form,
             "%s&email.1=p1%%40example.test&group.1=peer&email.2=not-an-address&group.2=peer",
             date);
    assert_int_equal(tc_post_form(&member, uri, form, 1), 400);
    assert_true(tc_body_has(&member, "Enter an email address in the correct format"));
    assert_true(testapp_tidy(member.res.body, member.res.len, "feedback refused") < 2);
    assert_true(tc_body_has(&member, "value=\"not-an-address\""));
    assert_true(tc_body_has(&member, "value=\"p1@example.test\""));
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_requests", NULL), 0);
    assert_int_equal(q("SELECT COUNT(*) FROM mail_outbox", NULL), mails);
    /* the API: a closing date over its length, the raters good */
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/feedback", (long long)submitted_id);
    assert_int_equal(
        post_json(&member, uri,
                  json_pack("{s:s, s:[{s:s, s:s}]}", "closes", "2030-01-01T00:00:00+00", "raters",
                            "email", "p1@example.test", "group", "peer")),
        400);
    api_refused(&member, "closes", "20 characters or fewer");
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_requests", NULL), 0);
    assert_int_equal(q("SELECT COUNT(*) FROM mail_outbox", NULL), mails);

    /* a request with one rater, then adding raters with a refused address */
    snprintf(uri, sizeof uri, "/develop/self/%lld/feedback", (long long)submitted_id);
    snprintf(form, sizeof form, "%s&email.1=p1%%40example.test&group.1=peer", date);
    assert_int_equal(tc_post_form(&member, uri, form, 1), 201);
    first_token(&member, token);
    request_id = q("SELECT MAX(id) FROM develop_feedback_requests", NULL);
    mails = q("SELECT COUNT(*) FROM mail_outbox", NULL);
    snprintf(uri, sizeof uri, "/develop/feedback/%lld/raters", (long long)request_id);
    assert_int_equal(tc_post_form(&member, uri,
                                  "email.1=p2%40example.test&group.1=peer&email.2=p3%40example&"
                                  "group.2=peer",
                                  1),
                     400);
    assert_true(tc_body_has(&member, "Enter an email address in the correct format"));
    assert_true(testapp_tidy(member.res.body, member.res.len, "raters refused") < 2);
    assert_true(tc_body_has(&member, "value=\"p3@example\""));
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_invitations", NULL), 1);
    assert_int_equal(q("SELECT COUNT(*) FROM mail_outbox", NULL), mails);
    snprintf(uri, sizeof uri, "/api/v1/develop/feedback/%lld/raters", (long long)request_id);
    assert_int_equal(
        post_json(&member, uri,
                  json_pack("{s:s, s:s}", "email.1", "p2@example.test", "email.2", "p3@example")),
        400);
    api_refused(&member, "email.2", "Enter an email address in the correct format");
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_invitations", NULL), 1);
    assert_int_equal(q("SELECT COUNT(*) FROM mail_outbox", NULL), mails);
}

static void test_rater_comments_with_a_refused_field(void **state)
{
    char uri[160];
    (void)state;
    snprintf(uri, sizeof uri, "/feedback/%s/comments", token);
    assert_int_equal(tc_get(&rater, uri), 200);
    assert_int_equal(tc_post_form(&rater, uri,
                                  "strengths=Calm+under+pressure&differently=Share%01+the+plan&"
                                  "action=save",
                                  1),
                     400);
    assert_true(tc_body_has(&rater, "Remove the special characters from the text"));
    assert_true(testapp_tidy(rater.res.body, rater.res.len, "comments refused") < 2);
    assert_true(tc_body_has(&rater, ">Share the plan</textarea>"));
    assert_true(tc_body_has(&rater, ">Calm under pressure</textarea>"));
    assert_int_equal(q("SELECT (SELECT COUNT(*) FROM develop_feedback_draft_texts) + (SELECT "
                       "COUNT(*) FROM develop_feedback_invitations WHERE used <> 0)",
                       NULL),
                     0);
    snprintf(uri, sizeof uri, "/api/v1/feedback/%s/comments", token);
    assert_int_equal(post_json(&rater, uri,
                               json_pack("{s:s, s:s, s:s}", "strengths", "Calm under pressure",
                                         "differently", "Share\001 the plan", "action", "save")),
                     400);
    api_refused(&rater, "differently", "Remove the special characters");
    assert_int_equal(q("SELECT (SELECT COUNT(*) FROM develop_feedback_draft_texts) + (SELECT "
                       "COUNT(*) FROM develop_feedback_invitations WHERE used <> 0)",
                       NULL),
                     0);
}

/* ---- the catalogue ---- */

static const char *const GOOD_ACTIVITY =
    "title=Refused+duration+course&kind=course&provider=Your+trust&description=Two+days."
    "&mode=in-person&hours=14&cost=free&region=london&fd.ahp-clinical-leadership.vision=1";

static void test_activity_with_a_refused_field(void **state)
{
    char *dur = long_text("D", 1001), *form = malloc(strlen(GOOD_ACTIVITY) + 1100), uri[96];
    int64_t before = q("SELECT COUNT(*) FROM develop_activities", NULL), id;
    json_t *o;
    (void)state;
    assert_non_null(form);
    /* adding: the duration one character over its limit */
    sprintf(form, "%s&duration=%s", GOOD_ACTIVITY, dur);
    assert_int_equal(tc_post_form(&fac, "/develop/catalogue", form, 1), 400);
    assert_true(tc_body_has(&fac, "The duration must be 1000 characters or fewer"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "activity refused") < 2);
    assert_true(tc_body_has(&fac, dur));
    assert_true(tc_body_has(&fac, "value=\"Refused duration course\""));
    assert_int_equal(q("SELECT COUNT(*) FROM develop_activities", NULL), before);
    o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "title", "Refused duration course",
                  "kind", "course", "provider", "Your trust", "description", "Two days.", "mode",
                  "in-person", "cost", "free", "region", "london", "duration", dur);
    assert_int_equal(post_json(&fac, "/api/v1/develop/catalogue", o), 400);
    api_refused(&fac, "duration", "1000 characters or fewer");
    assert_int_equal(q("SELECT COUNT(*) FROM develop_activities", NULL), before);
    /* changing one: the same, and the activity stays as it was */
    id = q("SELECT MIN(id) FROM develop_activities", NULL);
    snprintf(uri, sizeof uri, "/develop/catalogue/%lld", (long long)id);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 400);
    assert_true(tc_body_has(&fac, dur));
    assert_int_equal(
        q("SELECT COUNT(*) FROM develop_activities WHERE title = $1", "Refused duration course"),
        0);
    free(form);
    free(dur);
}

/* A CSV file one byte over the import's limit (2 MiB): a good row, then empty lines. The
 * server takes bodies of up to 10 MiB (AHPHUB_MAX_BODY), so such a file reaches the handler;
 * the test app's smaller limit is raised to the server's for this one request. */
static void test_import_over_the_limit(void **state)
{
    const char *hs[] = {"Content-Type: multipart/form-data; boundary=XyZ", NULL};
    const char *row = "title,kind,provider,description,mode,cost,region\n"
                      "Oversized file course,course,Faculty,A course.,online,free,national\n";
    size_t size = 2 * 1024 * 1024 + 1, rl = strlen(row);
    char *body = malloc(size + 600);
    int64_t before = q("SELECT COUNT(*) FROM develop_activities", NULL);
    size_t saved;
    int n, status;
    (void)state;
    assert_non_null(body);
    assert_int_equal(tc_get(&fac, "/develop/catalogue/import"), 200);
    n = sprintf(body,
                "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n%s\r\n"
                "--XyZ\r\nContent-Disposition: form-data; name=\"csv_file\"; "
                "filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n",
                tc_csrf(&fac));
    memcpy(body + n, row, rl);
    memset(body + n + rl, '\n', size - rl);
    n += (int)size;
    n += sprintf(body + n, "\r\n--XyZ--\r\n");
    saved = app->cfg.max_body;
    app->cfg.max_body = 10 * 1024 * 1024;
    status = tc_request(&fac, "POST", "/develop/catalogue/import", hs, body, (size_t)n);
    app->cfg.max_body = saved;
    free(body);
    assert_int_equal(status, 400);
    assert_true(tc_body_has(&fac, "The file must be smaller than 2048 KB"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "import refused") < 2);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_activities", NULL), before);
    assert_int_equal(
        q("SELECT COUNT(*) FROM develop_activities WHERE title = $1", "Oversized file course"), 0);
}

/* ---- the portfolio and the CV ---- */

static void test_entry_with_a_refused_field(void **state)
{
    char *ctx = long_text("C", 1001), form[1400], uri[96], sid[24];
    int64_t id;
    (void)state;
    snprintf(form, sizeof form,
             "kind=project&title=Refused+context+project&body=What+I+did.&context=%s", ctx);
    assert_int_equal(tc_post_form(&member, "/develop/portfolio", form, 1), 400);
    assert_true(
        tc_body_has(&member, "The organisation or context must be 1000 characters or fewer"));
    assert_true(testapp_tidy(member.res.body, member.res.len, "entry refused") < 2);
    assert_true(tc_body_has(&member, ctx));
    assert_true(tc_body_has(&member, "value=\"Refused context project\""));
    assert_int_equal(q("SELECT COUNT(*) FROM develop_portfolio_entries", NULL), 0);
    assert_int_equal(post_json(&member, "/api/v1/develop/portfolio",
                               json_pack("{s:s, s:s, s:s}", "kind", "project", "title",
                                         "Refused context project", "context", ctx)),
                     400);
    api_refused(&member, "context", "1000 characters or fewer");
    assert_int_equal(q("SELECT COUNT(*) FROM develop_portfolio_entries", NULL), 0);
    /* changing an entry: the same, and it stays as it was */
    assert_int_equal(tc_post_form(&member, "/develop/portfolio",
                                  "kind=project&title=Kept+project&context=Ward+7", 1),
                     303);
    id = q("SELECT MAX(id) FROM develop_portfolio_entries", NULL);
    snprintf(uri, sizeof uri, "/develop/portfolio/%lld", (long long)id);
    assert_int_equal(tc_post_form(&member, uri, form, 1), 400);
    assert_true(tc_body_has(&member, ctx));
    snprintf(sid, sizeof sid, "%lld", (long long)id);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_portfolio_entries WHERE id = CAST($1 AS "
                       "BIGINT) AND title = 'Kept project' AND context = 'Ward 7'",
                       sid),
                     1);
    free(ctx);
}

static void test_cv_with_a_refused_headline(void **state)
{
    char *head = long_text("H", 1001), form[1400];
    (void)state;
    snprintf(form, sizeof form, "summary=Allied+health+leader&headline=%s", head);
    assert_int_equal(tc_post_form(&member, "/develop/cv", form, 1), 400);
    assert_true(tc_body_has(&member, "Your headline must be 1000 characters or fewer"));
    assert_true(testapp_tidy(member.res.body, member.res.len, "cv refused") < 2);
    assert_true(tc_body_has(&member, head));
    assert_true(tc_body_has(&member, ">Allied health leader</textarea>"));
    assert_int_equal(q("SELECT COUNT(*) FROM develop_cv_profiles", NULL), 0);
    assert_int_equal(
        post_json(&member, "/api/v1/develop/cv",
                  json_pack("{s:s, s:s}", "summary", "Allied health leader", "headline", head)),
        400);
    api_refused(&member, "headline", "1000 characters or fewer");
    assert_int_equal(q("SELECT COUNT(*) FROM develop_cv_profiles", NULL), 0);
    free(head);
}

/* How many times needle is in the answer's body. */
static size_t times(const struct test_client *tc, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    const char *p = tc->res.body, *end = tc->res.body + tc->res.len;
    while ((size_t)(end - p) >= len) {
        const char *hit = memmem(p, (size_t)(end - p), needle, len);
        if (!hit)
            break;
        n++;
        p = hit + len;
    }
    return n;
}

/* A plan form shown again after the request layer refused the target's day: 400, that
 * message alone (one item in the error summary, linking to the day's box, and one beside
 * the date, not also "must include a day"), the day as typed and only it marked. */
static void target_day_refused(const struct test_client *tc, const char *day, const char *what)
{
    char value[400];
    assert_int_equal(tc->res.status, 400);
    assert_true(tc_body_has(tc, "There is a problem"));
    assert_int_equal(times(tc, "<li><a href="), 1);
    assert_true(tc_body_has(tc, "<li><a href=\"#target-day\">The day must be 10 characters or "
                                "fewer</a></li>"));
    assert_true(tc_body_has(tc, "id=\"target-day\"")); /* where that link lands */
    assert_int_equal(times(tc, "The day must be 10 characters or fewer"), 2);
    assert_false(tc_body_has(tc, "must include a day"));
    assert_int_equal(times(tc, "class=\"nhsuk-error-message\""), 1);
    assert_int_equal(times(tc, "nhsuk-input--error"), 1);
    snprintf(value, sizeof value,
             "id=\"target\" name=\"target-day\" type=\"text\" "
             "inputmode=\"numeric\" value=\"%s\"",
             day);
    assert_true(tc_body_has(tc, value));
    assert_true(testapp_tidy(tc->res.body, tc->res.len, what) < 2);
}

static void test_plan_with_a_refused_date(void **state)
{
    char *day = long_text("D", 300), form[1400], uri[96], sid[24];
    int64_t goal;
    (void)state;
    /* a goal: adding one */
    snprintf(form, sizeof form,
             "title=Lead+the+move&domain=ahp-clinical-leadership%%3Adigital&target-day=%s"
             "&target-month=3&target-year=2027",
             day);
    assert_int_equal(tc_post_form(&member, "/develop/plan/goals", form, 1), 400);
    target_day_refused(&member, day, "goal, the day refused");
    assert_true(tc_body_has(&member, "value=\"Lead the move\""));
    assert_int_equal(q("SELECT COUNT(*) FROM develop_goals", NULL), 0);
    assert_int_equal(post_json(&member, "/api/v1/develop/plan/goals",
                               json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", "Lead the move",
                                         "domain", "ahp-clinical-leadership:digital", "target-day",
                                         day, "target-month", "3", "target-year", "2027")),
                     400);
    api_refused(&member, "target-day", "10 characters or fewer");
    assert_int_equal(q("SELECT COUNT(*) FROM develop_goals", NULL), 0);
    /* changing one: it keeps its target */
    assert_int_equal(tc_post_form(&member, "/develop/plan/goals",
                                  "title=Lead+the+move&domain=ahp-clinical-leadership%3Adigital"
                                  "&target-day=31&target-month=3&target-year=2027",
                                  1),
                     303);
    goal = q("SELECT MAX(id) FROM develop_goals", NULL);
    snprintf(uri, sizeof uri, "/develop/plan/goals/%lld", (long long)goal);
    assert_int_equal(tc_post_form(&member, uri, form, 1), 400);
    target_day_refused(&member, day, "goal changed, the day refused");
    snprintf(sid, sizeof sid, "%lld", (long long)goal);
    assert_int_equal(q("SELECT target_at FROM develop_goals WHERE id = CAST($1 AS BIGINT)", sid),
                     1806451200); /* 31 March 2027 */
    /* an activity of the member's own */
    snprintf(form, sizeof form,
             "title=Shadow+the+director&kind=shadowing&status=not-started&target-day=%s"
             "&target-month=3&target-year=2027",
             day);
    assert_int_equal(tc_post_form(&member, "/develop/plan/activities", form, 1), 400);
    target_day_refused(&member, day, "activity, the day refused");
    assert_true(tc_body_has(&member, "value=\"Shadow the director\""));
    assert_int_equal(q("SELECT COUNT(*) FROM develop_plan_activities", NULL), 0);
    free(day);
}

static int setup(void **state)
{
    char uri[96];
    (void)state;
    app = testapp_new();
    testapp_user(app, "member@example.test", "member", PW);
    testapp_user(app, "fac@example.test", "facilitator", PW);
    testapp_user(app, "admin@example.test", "admin", PW);
    tc_init(&member, app);
    tc_init(&fac, app);
    tc_init(&admin, app);
    tc_init(&rater, app);
    if (tc_login(&member, "member@example.test", PW) != 303 ||
        tc_login(&fac, "fac@example.test", PW) != 303 ||
        tc_login(&admin, "admin@example.test", PW) != 303)
        return -1;
    /* a submitted self-assessment, to ask for feedback on */
    if (tc_post_form(&member, "/develop/start", "", 1) != 303)
        return -1;
    submitted_id = q("SELECT MAX(id) FROM develop_self_assessments", NULL);
    snprintf(uri, sizeof uri, "/develop/self/%lld/domain/1", (long long)submitted_id);
    if (tc_post_form(&member, uri, "rating.system-fit=3&rating.system-partners=2", 1) != 303)
        return -1;
    snprintf(uri, sizeof uri, "/develop/self/%lld/submit", (long long)submitted_id);
    return tc_post_form(&member, uri, "", 1) == 303 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&member);
    tc_free(&fac);
    tc_free(&admin);
    tc_free(&rater);
    testapp_free(app);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_start_with_a_refused_framework),
        cmocka_unit_test(test_answer_with_a_refused_note),
        cmocka_unit_test(test_framework_with_a_refused_definition),
        cmocka_unit_test(test_dates_with_a_refused_part),
        cmocka_unit_test(test_feedback_with_a_refused_address),
        cmocka_unit_test(test_rater_comments_with_a_refused_field),
        cmocka_unit_test(test_activity_with_a_refused_field),
        cmocka_unit_test(test_import_over_the_limit),
        cmocka_unit_test(test_entry_with_a_refused_field),
        cmocka_unit_test(test_cv_with_a_refused_headline),
        cmocka_unit_test(test_plan_with_a_refused_date),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
