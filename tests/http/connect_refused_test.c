/* connect_refused_test.c: a Connect write whose fields the request layer refused writes
 * nothing, through the page and the API
 *
 * form.c refuses a value that is too long or holds a control character before the handler
 * runs, and req_field() then answers NULL for it, as if it had been left blank. For each
 * Connect form this sends otherwise good input with one field refused and checks: 400, the
 * request layer's message at the field (not the domain's "Enter ..." for a blank it never
 * saw), the text as typed back in the form, and nothing stored (rows counted, objects read
 * back). A handler that went ahead would answer 303 or 2xx, which the test client itself
 * refuses (tests/support/testapp.c). Keeping a reported post, an event's place or link and a
 * set's facilitator were the writes that went ahead; the profile and relationship forms
 * lost the refused text. Groups, threads, replies, reports and hides were refused already,
 * because their domain checks require those fields, and rounds, splits and a set's meetings
 * because their handlers look at the errors first; their tests keep it so. A meeting's or an
 * event's date with a refused day, month or year shows that part's message alone, not a
 * second "Enter the date". Runs on SQLite and PostgreSQL.
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

#include "account/cohort.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct db *db; /* the test's own connection, for setting up and checking */
static struct test_client fac, amy, ben, keeper;
static const char *PW = "correct horse battery";
static int64_t fac_id, amy_id, ben_id, keeper_id, group_id, thread_id, reply_id, event_id;
static int64_t rel_id, split_id;
static int year; /* next year, for events in the future */

/* The integer the query's first row starts with ($1 = a); -1 when there is no row. */
static int64_t qi(const char *sql, int64_t a)
{
    struct db_stmt *st = NULL;
    int64_t v;
    if (db_row(db, sql, &st, "i", a))
        return -1;
    v = db_col_int(st, 0);
    db_finalize(st);
    return v;
}

/* The text the query's first row starts with ($1 = a), copied into out. */
static const char *qs(const char *sql, int64_t a, char *out, size_t n)
{
    struct db_stmt *st = NULL;
    assert_int_equal(db_row(db, sql, &st, "i", a), 0);
    snprintf(out, n, "%s", db_col_text(st, 0));
    db_finalize(st);
    return out;
}

static json_t *body_json(const struct test_client *tc)
{
    json_t *j = json_loadb(tc->res.body, tc->res.len, 0, NULL);
    assert_non_null(j);
    return j;
}

/* n characters of letters (no escaping needed in a form, JSON or HTML), distinct per tag. */
static char *letters(const char *tag, size_t n)
{
    char *s = malloc(n + 1);
    size_t t = strlen(tag);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        s[i] = i < t ? tag[i] : (char)('a' + i % 26);
    s[n] = '\0';
    return s;
}

static int post_to(struct test_client *tc, const char *fmt, int64_t id, const char *form)
{
    char uri[200];
    snprintf(uri, sizeof uri, fmt, (long long)id);
    return tc_post_form(tc, uri, form, 1);
}

static int json_to(struct test_client *tc, const char *fmt, int64_t id, const char *body)
{
    char uri[200];
    snprintf(uri, sizeof uri, fmt, (long long)id);
    return tc_post_json(tc, uri, body);
}

/* A page answered with the request layer's message at field and the domain's left out. */
static void page_refused(const struct test_client *tc, const char *field, const char *message,
                         const char *not_message)
{
    char anchor[80];
    snprintf(anchor, sizeof anchor, "href=\"#%s\"", field);
    assert_int_equal(tc->res.status, 400);
    assert_true(tc_body_has(tc, "There is a problem"));
    assert_true(tc_body_has(tc, anchor));
    assert_true(tc_body_has(tc, message));
    if (not_message)
        assert_false(tc_body_has(tc, not_message));
}

/* A JSON answer of 400 naming field among its errors. */
static void api_refused(const struct test_client *tc, const char *field)
{
    json_t *j = body_json(tc), *errs = json_object_get(j, "errors");
    assert_int_equal(tc->res.status, 400);
    assert_non_null(errs);
    assert_non_null(json_object_get(errs, field));
    json_decref(j);
}

/* How many times needle is in the answer's body. */
static size_t times(const struct test_client *tc, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    const char *p = tc->res.body, *end = tc->res.body + tc->res.len;
    while (p && (size_t)(end - p) >= len) {
        const char *q = memmem(p, (size_t)(end - p), needle, len);
        if (!q)
            break;
        n++;
        p = q + len;
    }
    return n;
}

/* ---- groups and threads ---- */

static void test_group_create(void **state)
{
    char *name = letters("Groupname", 401), form[1024];
    (void)state;
    /* 401 characters: the request layer's limit says so, not "Enter the group's name" */
    snprintf(form, sizeof form,
             "name=%s&description=Digital&region=london&topic=digital&visibility=open", name);
    assert_int_equal(tc_post_form(&fac, "/connect/groups", form, 1), 400);
    page_refused(&fac, "name", "The group&#39;s name must be 400 characters or fewer",
                 "Enter the group&#39;s name");
    assert_true(tc_body_has(&fac, name));
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_groups WHERE id > $1", 0), 0);
    snprintf(form, sizeof form,
             "{\"name\": \"%s\", \"description\": \"Digital\", \"region\": \"london\", "
             "\"topic\": \"digital\", \"visibility\": \"open\"}",
             name);
    assert_int_equal(tc_post_json(&fac, "/api/v1/connect/groups", form), 400);
    api_refused(&fac, "name");
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_groups WHERE id > $1", 0), 0);
    free(name);
    /* the group the rest of the tests use; amy and ben join */
    assert_int_equal(tc_post_json(&fac, "/api/v1/connect/groups",
                                  "{\"name\": \"Refusals group\", \"description\": \"For tests\", "
                                  "\"region\": \"london\", \"topic\": \"digital\", "
                                  "\"visibility\": \"open\"}"),
                     201);
    group_id = qi("SELECT id FROM connect_groups WHERE created_by = $1", fac_id);
    assert_true(group_id > 0);
    assert_int_equal(post_to(&amy, "/connect/groups/%lld/join", group_id, ""), 303);
    assert_int_equal(post_to(&ben, "/connect/groups/%lld/join", group_id, ""), 303);
}

static void test_thread_and_reply(void **state)
{
    char *title = letters("Threadtitle", 501), *body = letters("Replybody", 15001), *form;
    json_t *j;
    (void)state;
    form = malloc(20000);
    assert_non_null(form);
    snprintf(form, 20000, "title=%s&body=Is+anyone+doing+this", title);
    assert_int_equal(post_to(&amy, "/connect/groups/%lld/threads", group_id, form), 400);
    page_refused(&amy, "title", "A title must be 500 characters or fewer",
                 "Enter a title for the discussion");
    assert_true(tc_body_has(&amy, title));
    assert_true(tc_body_has(&amy, "Is anyone doing this"));
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_threads WHERE group_id = $1", group_id), 0);
    assert_int_equal(json_to(&amy, "/api/v1/connect/groups/%lld/threads", group_id,
                             "{\"title\": \"Tab\\tin the title\", \"body\": \"B\"}"),
                     400);
    api_refused(&amy, "title");
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_threads WHERE group_id = $1", group_id), 0);
    /* a thread to reply to */
    assert_int_equal(json_to(&amy, "/api/v1/connect/groups/%lld/threads", group_id,
                             "{\"title\": \"Remote monitoring\", \"body\": \"Who does it?\"}"),
                     201);
    j = body_json(&amy);
    thread_id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    assert_true(thread_id > 0);
    /* a reply one character over: the page again with it, nothing posted */
    snprintf(form, 20000, "body=%s", body);
    assert_int_equal(post_to(&ben, "/connect/threads/%lld/replies", thread_id, form), 400);
    page_refused(&ben, "body", "Your reply must be 15000 characters or fewer",
                 "Enter your message");
    assert_true(tc_body_has(&ben, body));
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_posts WHERE thread_id = $1", thread_id), 1);
    snprintf(form, 20000, "{\"body\": \"%s\"}", body);
    assert_int_equal(json_to(&ben, "/api/v1/connect/threads/%lld/replies", thread_id, form), 400);
    api_refused(&ben, "body");
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_posts WHERE thread_id = $1", thread_id), 1);
    free(form);
    free(title);
    free(body);
}

/* ---- a post: reporting, hiding, keeping ---- */

static void test_post_report_hide_keep(void **state)
{
    char *reason = letters("Keepreason", 1501), *form = malloc(4096);
    json_t *j;
    (void)state;
    assert_non_null(form);
    assert_int_equal(json_to(&ben, "/api/v1/connect/threads/%lld/replies", thread_id,
                             "{\"body\": \"Try the pilot in Leeds\"}"),
                     201);
    j = body_json(&ben);
    reply_id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    /* reporting with a reason too long: not reported without one */
    snprintf(form, 4096, "reason=%s", reason);
    assert_int_equal(post_to(&amy, "/connect/posts/%lld/report", reply_id, form), 400);
    page_refused(&amy, "reason", "The reason must be 1500 characters or fewer", "Enter the reason");
    assert_true(tc_body_has(&amy, reason));
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_post_reports WHERE post_id = $1", reply_id),
                     0);
    assert_int_equal(post_to(&amy, "/connect/posts/%lld/report", reply_id, "reason=Off+topic"),
                     303);
    /* the moderator keeps it with a reason too long: nothing decided, the report still open */
    assert_int_equal(post_to(&fac, "/connect/posts/%lld/keep", reply_id, form), 400);
    page_refused(&fac, "reason", "The reason must be 1500 characters or fewer", NULL);
    assert_true(tc_body_has(&fac, reason));
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_moderation_log WHERE post_id = $1", reply_id),
                     0);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_post_reports WHERE post_id = $1 AND "
                        "resolved_at = 0",
                        reply_id),
                     1);
    /* and hides it with one: not hidden, and no "Enter the reason" for what was typed */
    assert_int_equal(post_to(&fac, "/connect/posts/%lld/hide", reply_id, form), 400);
    page_refused(&fac, "reason", "The reason must be 1500 characters or fewer", "Enter the reason");
    assert_true(tc_body_has(&fac, reason));
    /* the API: a control character in the reason */
    assert_int_equal(json_to(&fac, "/api/v1/connect/posts/%lld/keep", reply_id,
                             "{\"reason\": \"Fine \\u0001 really\"}"),
                     400);
    api_refused(&fac, "reason");
    assert_int_equal(json_to(&fac, "/api/v1/connect/posts/%lld/hide", reply_id,
                             "{\"reason\": \"Rude \\u0001 really\"}"),
                     400);
    api_refused(&fac, "reason");
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_moderation_log WHERE post_id = $1", reply_id),
                     0);
    assert_int_equal(
        qi("SELECT COUNT(*) FROM connect_posts WHERE id = $1 AND state = 'visible'", reply_id), 1);
    assert_int_equal(qi("SELECT COUNT(*) FROM audit_log WHERE actor_id = $1 AND event IN "
                        "('connect_post_kept', 'connect_post_hidden')",
                        fac_id),
                     0);
    /* the same keep with a good reason is recorded */
    assert_int_equal(post_to(&fac, "/connect/posts/%lld/keep", reply_id, "reason=Fair+comment"),
                     303);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_moderation_log WHERE post_id = $1", reply_id),
                     1);
    free(form);
    free(reason);
}

/* ---- events ---- */

static void test_event_create_and_edit(void **state)
{
    char *place = letters("Placename", 601), form[2048], got[700];
    json_t *j;
    (void)state;
    /* a link is enough for the event, so a refused place would have been dropped silently */
    snprintf(form, sizeof form,
             "title=Safety+cases&day=15&month=7&year=%d&start_time=14%%3A00&end_time=15%%3A30"
             "&place=%s&link=https%%3A%%2F%%2Fmeet.example.test%%2Fx&description=About+them",
             year, place);
    assert_int_equal(post_to(&fac, "/connect/groups/%lld/events", group_id, form), 400);
    page_refused(&fac, "place", "The place must be 600 characters or fewer",
                 "Enter where the event is");
    assert_true(tc_body_has(&fac, place));
    assert_true(tc_body_has(&fac, "value=\"Safety cases\""));
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_events WHERE group_id = $1", group_id), 0);
    snprintf(form, sizeof form,
             "{\"title\": \"Safety cases\", \"day\": \"15\", \"month\": \"7\", \"year\": \"%d\", "
             "\"start_time\": \"14:00\", \"end_time\": \"15:30\", \"place\": \"Leeds\", "
             "\"link\": \"https://meet.example.test/\\u0007\", \"description\": \"About them\"}",
             year);
    assert_int_equal(json_to(&fac, "/api/v1/connect/groups/%lld/events", group_id, form), 400);
    api_refused(&fac, "link");
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_events WHERE group_id = $1", group_id), 0);
    /* an event to change */
    snprintf(form, sizeof form,
             "{\"title\": \"Safety cases\", \"day\": \"15\", \"month\": \"7\", \"year\": \"%d\", "
             "\"start_time\": \"14:00\", \"end_time\": \"15:30\", \"place\": \"Leeds\", "
             "\"link\": \"https://meet.example.test/a\", \"description\": \"About them\"}",
             year);
    assert_int_equal(json_to(&fac, "/api/v1/connect/groups/%lld/events", group_id, form), 201);
    j = body_json(&fac);
    event_id = json_integer_value(json_object_get(json_object_get(j, "event"), "id"));
    json_decref(j);
    assert_true(event_id > 0);
    /* changing it with a place too long: the event stays as it was */
    snprintf(form, sizeof form,
             "title=Safety+cases+moved&day=16&month=7&year=%d&start_time=14%%3A00"
             "&end_time=15%%3A30&place=%s&link=https%%3A%%2F%%2Fmeet.example.test%%2Fa"
             "&description=About+them",
             year, place);
    assert_int_equal(post_to(&fac, "/connect/events/%lld/edit", event_id, form), 400);
    page_refused(&fac, "place", "The place must be 600 characters or fewer",
                 "Enter where the event is");
    assert_true(tc_body_has(&fac, place));
    assert_true(tc_body_has(&fac, "value=\"Safety cases moved\""));
    assert_string_equal(
        qs("SELECT title FROM connect_events WHERE id = $1", event_id, got, sizeof got),
        "Safety cases");
    assert_string_equal(
        qs("SELECT place FROM connect_events WHERE id = $1", event_id, got, sizeof got), "Leeds");
    assert_int_equal(qi("SELECT sequence FROM connect_events WHERE id = $1", event_id), 0);
    snprintf(form, sizeof form,
             "{\"title\": \"Safety cases moved\", \"day\": \"16\", \"month\": \"7\", "
             "\"year\": \"%d\", \"start_time\": \"14:00\", \"end_time\": \"15:30\", "
             "\"place\": \"%s\", \"link\": \"https://meet.example.test/a\", "
             "\"description\": \"About them\"}",
             year, place);
    assert_int_equal(json_to(&fac, "/api/v1/connect/events/%lld/edit", event_id, form), 400);
    api_refused(&fac, "place");
    assert_string_equal(
        qs("SELECT title FROM connect_events WHERE id = $1", event_id, got, sizeof got),
        "Safety cases");
    assert_int_equal(qi("SELECT sequence FROM connect_events WHERE id = $1", event_id), 0);
    free(place);
}

/* ---- a date part refused: the event form and a set's meeting ---- */

/* A page shown again after the request layer refused the day: 400, that message alone (one
 * item in the error summary, linking to the day's box, and one beside the date, not also
 * "must include a day" or "Enter the date"), the day as typed, and only the day marked. */
static void day_refused(const struct test_client *tc, const char *message, const char *day)
{
    char value[400];
    page_refused(tc, "day", message, "must include a day");
    assert_false(tc_body_has(tc, "Enter the date"));
    assert_int_equal(times(tc, "<li><a href="), 1);
    assert_int_equal(times(tc, message), 2);
    assert_int_equal(times(tc, "class=\"nhsuk-error-message\""), 1);
    assert_int_equal(times(tc, "nhsuk-input--error"), 1);
    snprintf(value, sizeof value,
             "id=\"day\" name=\"day\" type=\"text\" inputmode=\"numeric\" "
             "value=\"%s\"",
             day);
    assert_true(tc_body_has(tc, value));
    assert_true(testapp_tidy(tc->res.body, tc->res.len, "a refused day") < 2);
}

static void test_refused_date_part(void **state)
{
    char *day = letters("Day", 300), form[1024], uri[128];
    int64_t events = qi("SELECT COUNT(*) FROM connect_events WHERE id > $1", 0);
    (void)state;
    /* an event: adding one, and changing the one there is */
    snprintf(form, sizeof form,
             "title=Dated&day=%s&month=7&year=%d&start_time=14%%3A00&end_time=15%%3A30"
             "&place=Leeds&description=About+it",
             day, year);
    assert_int_equal(post_to(&fac, "/connect/groups/%lld/events", group_id, form), 400);
    day_refused(&fac, "The day must be 10 characters or fewer", day);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_events WHERE id > $1", 0), events);
    assert_int_equal(post_to(&fac, "/connect/events/%lld/edit", event_id, form), 400);
    day_refused(&fac, "The day must be 10 characters or fewer", day);
    assert_int_equal(qi("SELECT sequence FROM connect_events WHERE id = $1", event_id), 0);
    snprintf(form, sizeof form,
             "{\"title\": \"Dated\", \"day\": \"%s\", \"month\": \"7\", \"year\": \"%d\", "
             "\"start_time\": \"14:00\", \"end_time\": \"15:30\", \"place\": \"Leeds\", "
             "\"description\": \"About it\"}",
             day, year);
    assert_int_equal(json_to(&fac, "/api/v1/connect/groups/%lld/events", group_id, form), 400);
    api_refused(&fac, "day");
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_events WHERE id > $1", 0), events);
    /* a set's meeting */
    snprintf(uri, sizeof uri, "/connect/sets/%lld/set/1/meetings", (long long)split_id);
    snprintf(form, sizeof form, "day=%s&month=3&year=%d&held=1&theme=Leading+change", day, year);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 400);
    day_refused(&fac, "The day must be 20 characters or fewer", day);
    assert_true(tc_body_has(&fac, "value=\"Leading change\""));
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_set_meetings WHERE id > $1", 0), 0);
    snprintf(uri, sizeof uri, "/api/v1/connect/sets/%lld/set/1/meetings", (long long)split_id);
    snprintf(form, sizeof form, "{\"day\": \"%s\", \"month\": \"3\", \"year\": \"%d\"}", day, year);
    assert_int_equal(tc_post_json(&fac, uri, form), 400);
    api_refused(&fac, "day");
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_set_meetings WHERE id > $1", 0), 0);
    free(day);
}

/* ---- action learning sets: a set's facilitator ---- */

static void test_set_facilitator(void **state)
{
    char uri[128], sql[200], *email = letters("Toolong", 255), form[512];
    (void)state;
    snprintf(uri, sizeof uri, "/connect/sets/%lld/set/1/facilitator", (long long)split_id);
    snprintf(sql, sizeof sql,
             "SELECT COALESCE(facilitator_id, 0) FROM connect_sets WHERE split_id = $1 AND "
             "number = 1");
    assert_int_equal(tc_post_form(&fac, uri, "email=keeper%40example.test", 1), 303);
    assert_int_equal(qi(sql, split_id), keeper_id);
    /* a control character: the set keeps its facilitator, the address comes back without it */
    assert_int_equal(tc_post_form(&fac, uri, "email=new%01facilitator%40example.test", 1), 400);
    page_refused(&fac, "email", "Enter text on one line, without special characters", NULL);
    assert_true(tc_body_has(&fac, "value=\"newfacilitator@example.test\""));
    assert_int_equal(qi(sql, split_id), keeper_id);
    snprintf(uri, sizeof uri, "/api/v1/connect/sets/%lld/set/1/facilitator", (long long)split_id);
    snprintf(form, sizeof form, "{\"email\": \"%s\"}", email);
    assert_int_equal(tc_post_json(&fac, uri, form), 400);
    api_refused(&fac, "email");
    assert_int_equal(qi(sql, split_id), keeper_id);
    assert_int_equal(
        qi("SELECT COUNT(*) FROM audit_log WHERE event = 'set_facilitator_changed' AND "
           "actor_id = $1",
           fac_id),
        1);
    free(email);
}

/* ---- mentoring: the profile and a relationship ---- */

static void test_profile(void **state)
{
    char *org = letters("Organisation", 401), form[1024];
    (void)state;
    snprintf(form, sizeof form,
             "matching=1&offers_mentoring=1&profession=physiotherapist&region=london"
             "&organisation=%s&band=7&hours_month=4&max_mentees=2&preference=any",
             org);
    assert_int_equal(tc_post_form(&amy, "/connect/profile", form, 1), 400);
    page_refused(&amy, "organisation", "Your organisation must be 400 characters or fewer", NULL);
    assert_true(tc_body_has(&amy, org));
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_profiles WHERE user_id = $1", amy_id), 0);
    assert_int_equal(tc_post_json(&amy, "/api/v1/connect/profile",
                                  "{\"matching\": true, \"profession\": \"physiotherapist\", "
                                  "\"hours_month\": \"four\"}"),
                     400);
    api_refused(&amy, "hours_month");
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_profiles WHERE user_id = $1", amy_id), 0);
    /* and the form shows a refused number as typed */
    assert_int_equal(tc_post_form(&amy, "/connect/profile", "matching=1&hours_month=four", 1), 400);
    page_refused(&amy, "hours_month", "Hours a month must be a whole number", NULL);
    assert_true(tc_body_has(&amy, "value=\"four\""));
    free(org);
}

static void test_relationship(void **state)
{
    /* one over the limits the domain states ("up to 2000 characters"), which the request
     * layer's are, so its message and the page's agree */
    char *freq = letters("Frequency", 121), *feedback = letters("Feedback", 2001);
    char *goals = letters("Goals", 2001);
    char *form = malloc(10000), uri[160], got[64];
    (void)state;
    assert_non_null(form);
    /* agreement: a frequency one over; the stored agreement stays empty */
    snprintf(uri, sizeof uri, "/connect/relationships/%lld/agreement", (long long)rel_id);
    snprintf(form, 10000, "goals=Lead+a+service+review&frequency=%s&confidentiality=1", freq);
    assert_int_equal(tc_post_form(&amy, uri, form, 1), 400);
    page_refused(&amy, "frequency", "How often you will meet must be 120 characters or fewer",
                 "Enter how often you will meet");
    assert_true(tc_body_has(&amy, freq));
    assert_true(tc_body_has(&amy, "Lead a service review"));
    assert_string_equal(
        qs("SELECT goals FROM connect_relationships WHERE id = $1", rel_id, got, sizeof got), "");
    snprintf(form, 10000, "goals=%s&frequency=Monthly&confidentiality=1", goals);
    assert_int_equal(tc_post_form(&amy, uri, form, 1), 400);
    page_refused(&amy, "goals", "The goals you agree on must be 2000 characters or fewer",
                 "Enter the goals you agree on");
    assert_true(tc_body_has(&amy, goals));
    snprintf(uri, sizeof uri, "/api/v1/connect/relationships/%lld/agreement", (long long)rel_id);
    snprintf(form, 10000,
             "{\"goals\": \"Lead a review\", \"frequency\": \"%s\", \"confidentiality\": true}",
             freq);
    assert_int_equal(tc_post_json(&amy, uri, form), 400);
    api_refused(&amy, "frequency");
    assert_int_equal(
        qi("SELECT mentee_confirmed_at FROM connect_relationships WHERE id = $1", rel_id), 0);
    /* a meeting: hours one over the field's 20 characters come back as typed */
    snprintf(uri, sizeof uri, "/connect/relationships/%lld/meetings", (long long)rel_id);
    assert_int_equal(tc_post_form(&amy, uri,
                                  "met_on-day=3&met_on-month=3&met_on-year=2026"
                                  "&hours=1.50000000000000000000",
                                  1),
                     400);
    page_refused(&amy, "hours", "The hours you met for must be 20 characters or fewer", NULL);
    assert_true(tc_body_has(&amy, "value=\"1.50000000000000000000\""));
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_meetings WHERE relationship_id = $1", rel_id),
                     0);
    /* a day over its 10 characters: its message alone, not also "Enter the date" */
    assert_int_equal(tc_post_form(&amy, uri,
                                  "met_on-day=third+of+March&met_on-month=3&met_on-year=2026"
                                  "&hours=1",
                                  1),
                     400);
    page_refused(&amy, "met_on-day", "The day of the meeting must be 10 characters or fewer",
                 "Enter the date");
    assert_int_equal(times(&amy, "The day of the meeting must be 10 characters or fewer"), 2);
    assert_true(tc_body_has(&amy, "value=\"third of March\""));
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_meetings WHERE relationship_id = $1", rel_id),
                     0);
    /* closing with feedback one over: not closed, the feedback back to shorten */
    snprintf(uri, sizeof uri, "/connect/relationships/%lld/close", (long long)rel_id);
    snprintf(form, 10000, "feedback=%s", feedback);
    assert_int_equal(tc_post_form(&ben, uri, form, 1), 400);
    page_refused(&ben, "feedback", "Your feedback must be 2000 characters or fewer",
                 "Enter your feedback");
    assert_true(tc_body_has(&ben, feedback));
    assert_int_equal(qi("SELECT closed_at FROM connect_relationships WHERE id = $1", rel_id), 0);
    snprintf(uri, sizeof uri, "/api/v1/connect/relationships/%lld/close", (long long)rel_id);
    snprintf(form, 10000, "{\"feedback\": \"Thanks\\u0002\"}");
    assert_int_equal(tc_post_json(&ben, uri, form), 400);
    api_refused(&ben, "feedback");
    assert_int_equal(qi("SELECT closed_at FROM connect_relationships WHERE id = $1", rel_id), 0);
    free(form);
    free(freq);
    free(feedback);
    free(goals);
}

/* A meeting's date with a day, month or year the request layer refused (300 characters, a
 * control character): that part's own message is the date's only one, beside the date and in
 * the summary, never "Enter the date of the meeting" for a date that was typed; the part comes
 * back whole and nothing is stored. A date left empty still gets "Enter the date". The
 * mentoring meeting (the shared date input) and a set's meeting (its own day, month, year). */
static void test_meeting_date_with_a_refused_part(void **state)
{
    char *day = letters("Day", 300), form[1024], uri[160];
    json_t *j;
    (void)state;
    snprintf(uri, sizeof uri, "/connect/relationships/%lld/meetings", (long long)rel_id);
    snprintf(form, sizeof form, "met_on-day=%s&met_on-month=3&met_on-year=2026&hours=1", day);
    assert_int_equal(tc_post_form(&amy, uri, form, 1), 400);
    page_refused(&amy, "met_on-day", "The day of the meeting must be 10 characters or fewer",
                 "Enter the date of the meeting");
    assert_true(tc_body_has(&amy, "Error: </span>The day of the meeting must be 10 characters"));
    assert_true(tc_body_has(&amy, "href=\"#met_on-day\""));
    assert_false(tc_body_has(&amy, "href=\"#met_on\""));
    assert_true(tc_body_has(&amy, day));
    assert_true(tc_body_has(&amy, "value=\"2026\""));
    assert_true(testapp_tidy(amy.res.body, amy.res.len, "meeting date refused") < 2);
    assert_int_equal(
        tc_post_form(&amy, uri, "met_on-day=3&met_on-month=3%01&met_on-year=2026&hours=1", 1), 400);
    page_refused(&amy, "met_on-month", "Enter text on one line, without special characters",
                 "Enter the date of the meeting");
    assert_true(tc_body_has(&amy, "Error: </span>Enter text on one line"));
    snprintf(uri, sizeof uri, "/api/v1/connect/relationships/%lld/meetings", (long long)rel_id);
    assert_int_equal(tc_post_json(&amy, uri,
                                  "{\"met_on-day\": \"3\\u0001\", \"met_on-month\": \"3\", "
                                  "\"met_on-year\": \"2026\", \"hours\": \"1\"}"),
                     400);
    api_refused(&amy, "met_on-day");
    j = body_json(&amy);
    assert_null(json_object_get(json_object_get(j, "errors"), "met_on"));
    json_decref(j);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_meetings WHERE relationship_id = $1", rel_id),
                     0);
    /* left empty: the form's own message */
    snprintf(uri, sizeof uri, "/connect/relationships/%lld/meetings", (long long)rel_id);
    assert_int_equal(tc_post_form(&amy, uri, "met_on-day=&met_on-month=&met_on-year=&hours=1", 1),
                     400);
    assert_true(tc_body_has(&amy, "Enter the date of the meeting with a day, month and year"));

    /* a set's meeting: the day over its 20 characters, the rest left empty */
    snprintf(uri, sizeof uri, "/connect/sets/%lld/set/1/meetings", (long long)split_id);
    snprintf(form, sizeof form, "day=%.25s&month=&year=&theme=Leading+change", day);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 400);
    page_refused(&fac, "day", "The day must be 20 characters or fewer",
                 "Enter the date of the meeting");
    assert_true(tc_body_has(&fac, "Error: </span>The day must be 20 characters or fewer"));
    snprintf(form, sizeof form, "value=\"%.25s\"", day);
    assert_true(tc_body_has(&fac, form));
    assert_true(tc_body_has(&fac, "value=\"Leading change\""));
    /* a control character in the month: not "must include a month" */
    snprintf(form, sizeof form, "day=3&month=3%%01&year=%d", year);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 400);
    page_refused(&fac, "month", "Enter text on one line, without special characters",
                 "must include a month");
    assert_true(tc_body_has(&fac, "Error: </span>Enter text on one line"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "set meeting date refused") < 2);
    snprintf(uri, sizeof uri, "/api/v1/connect/sets/%lld/set/1/meetings", (long long)split_id);
    snprintf(form, sizeof form, "{\"day\": \"3\", \"month\": \"3\\u0001\", \"year\": \"%d\"}",
             year);
    assert_int_equal(tc_post_json(&fac, uri, form), 400);
    api_refused(&fac, "month");
    j = body_json(&fac);
    assert_null(json_object_get(json_object_get(j, "errors"), "day"));
    json_decref(j);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_set_meetings WHERE id > $1", 0), 0);
    /* left empty: the form's own message */
    snprintf(uri, sizeof uri, "/connect/sets/%lld/set/1/meetings", (long long)split_id);
    assert_int_equal(tc_post_form(&fac, uri, "day=&month=&year=", 1), 400);
    assert_true(tc_body_has(&fac, "Enter the date of the meeting"));
    free(day);
}

/* An event's date with a month the request layer refused: its message is the date's only one,
 * beside the date, never "must be a real date" (the domain saw no month); a date left empty
 * still gets "Enter the date of the event". Through the page and the API, nothing stored. */
static void test_event_date_with_a_refused_part(void **state)
{
    char form[600];
    int64_t events = qi("SELECT COUNT(*) FROM connect_events WHERE group_id = $1", group_id);
    json_t *j;
    (void)state;
    snprintf(form, sizeof form,
             "title=Safety+cases&day=15&month=7%%01&year=%d&start_time=14%%3A00"
             "&end_time=15%%3A30&place=Leeds&description=About+them",
             year);
    assert_int_equal(post_to(&fac, "/connect/groups/%lld/events", group_id, form), 400);
    page_refused(&fac, "month", "Enter text on one line, without special characters",
                 "must be a real date");
    assert_true(tc_body_has(&fac, "<span class=\"nhsuk-u-visually-hidden\">"
                                  "Error: </span>Enter text on one line"));
    assert_true(tc_body_has(&fac, "name=\"month\" type=\"text\" inputmode=\"numeric\" "
                                  "value=\"7\""));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "event date refused") < 2);
    snprintf(form, sizeof form,
             "{\"title\": \"Safety cases\", \"day\": \"15\", \"month\": \"%s\", "
             "\"year\": \"%d\", \"start_time\": \"14:00\", \"end_time\": \"15:30\", "
             "\"place\": \"Leeds\"}",
             "07777777777", year);
    assert_int_equal(json_to(&fac, "/api/v1/connect/groups/%lld/events", group_id, form), 400);
    api_refused(&fac, "month");
    j = body_json(&fac);
    assert_null(json_object_get(json_object_get(j, "errors"), "day"));
    json_decref(j);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_events WHERE group_id = $1", group_id),
                     events);
    /* left empty: the form's own message */
    assert_int_equal(post_to(&fac, "/connect/groups/%lld/events", group_id,
                             "title=Safety+cases&day=&month=&year=&start_time=14%3A00"
                             "&end_time=15%3A30&place=Leeds"),
                     400);
    assert_true(tc_body_has(&fac, "Error: </span>Enter the date of the event"));
}

/* Forms that were refused already (their handlers look at the request's errors before they
 * write): a round's name, the sets' name, a meeting's theme, the people kept apart in the
 * profile. They stay refused, with the text back. */
static void test_guarded_forms(void **state)
{
    char *name = letters("Roundname", 401), *title = letters("Setsname", 501);
    char *theme = letters("Theme", 1001), *form = malloc(30000), uri[128];
    (void)state;
    assert_non_null(form);
    snprintf(form, 30000, "name=%s&kind=mentoring", name);
    assert_int_equal(tc_post_form(&fac, "/connect/rounds", form, 1), 400);
    page_refused(&fac, "name", "A name for the round must be 400 characters or fewer", NULL);
    assert_true(tc_body_has(&fac, name));
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_rounds WHERE created_by = $1", fac_id), 0);
    snprintf(form, 30000, "cohort=1&target=5&title=%s", title);
    assert_int_equal(tc_post_form(&fac, "/connect/sets", form, 1), 400);
    page_refused(&fac, "title", "A name for the sets must be 500 characters or fewer", NULL);
    assert_true(tc_body_has(&fac, title));
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_splits WHERE id > $1", 0), 1);
    snprintf(uri, sizeof uri, "/connect/sets/%lld/set/1/meetings", (long long)split_id);
    snprintf(form, 30000, "day=3&month=3&year=%d&theme=%s", year, theme);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 400);
    page_refused(&fac, "theme", "The theme must be 1000 characters or fewer", NULL);
    assert_true(tc_body_has(&fac, theme));
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_set_meetings WHERE id > $1", 0), 0);
    /* a tab is allowed in long text, a bell is not; what was typed comes back without it */
    assert_int_equal(tc_post_form(&ben, "/connect/profile",
                                  "matching=1&excluded=amy%40example.test%07%0Acat%40example.test",
                                  1),
                     400);
    page_refused(&ben, "excluded", "Remove the special characters from the text", NULL);
    assert_true(tc_body_has(&ben, "amy@example.test\ncat@example.test"));
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_profiles WHERE user_id = $1", ben_id), 0);
    free(form);
    free(name);
    free(title);
    free(theme);
}

static int setup(void **state)
{
    struct tm tm;
    time_t now = time(NULL);
    int64_t cohort, round_id, match_id;
    (void)state;
    gmtime_r(&now, &tm);
    year = tm.tm_year + 1900 + 1;
    app = testapp_new();
    if (db_open(testapp_db_url(), &db))
        return -1;
    fac_id = testapp_user(app, "fac@example.test", "facilitator", PW);
    amy_id = testapp_user(app, "amy@example.test", "member", PW);
    ben_id = testapp_user(app, "ben@example.test", "member", PW);
    keeper_id = testapp_user(app, "keeper@example.test", "member", PW);
    /* a relationship between amy (mentee) and ben (mentor), as a run round leaves one */
    if (db_run_int(db,
                   "INSERT INTO connect_rounds (name, kind, created_at) VALUES ('R', 'mentoring', "
                   "$1) RETURNING id",
                   &round_id, "i", (int64_t)now) ||
        db_run_int(db,
                   "INSERT INTO connect_matches (round_id, mentee_id, mentor_id, score, why, "
                   "status, created_at) VALUES ($1, $2, $3, 0, '', 'accepted', $4) RETURNING id",
                   &match_id, "iiii", round_id, amy_id, ben_id, (int64_t)now) ||
        db_run_int(db,
                   "INSERT INTO connect_relationships (match_id, mentee_id, mentor_id, kind, "
                   "started_at) VALUES ($1, $2, $3, 'mentoring', $4) RETURNING id",
                   &rel_id, "iiii", match_id, amy_id, ben_id, (int64_t)now))
        return -1;
    /* a cohort of ten for a split into two sets */
    if (account_cohort_create(db, 0, "Ten leaders", "", &cohort))
        return -1;
    for (int i = 0; i < 10; i++) {
        char email[64];
        snprintf(email, sizeof email, "set%d@example.test", i);
        if (account_cohort_add(db, cohort, testapp_user(app, email, "member", PW)))
            return -1;
    }
    tc_init(&fac, app);
    tc_init(&amy, app);
    tc_init(&ben, app);
    tc_init(&keeper, app);
    if (tc_login(&fac, "fac@example.test", PW) != 303 ||
        tc_login(&amy, "amy@example.test", PW) != 303 ||
        tc_login(&ben, "ben@example.test", PW) != 303 ||
        tc_login(&keeper, "keeper@example.test", PW) != 303)
        return -1;
    {
        char form[64];
        const char *loc;
        long long id = 0;
        snprintf(form, sizeof form, "cohort=%lld&target=5&seed=3", (long long)cohort);
        if (tc_post_form(&fac, "/connect/sets", form, 1) != 303 ||
            !(loc = lb_header(&fac.res, "Location")) || sscanf(loc, "/connect/sets/%lld", &id) != 1)
            return -1;
        split_id = id;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&fac);
    tc_free(&amy);
    tc_free(&ben);
    tc_free(&keeper);
    db_close(db);
    testapp_free(app);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group_create),
        cmocka_unit_test(test_thread_and_reply),
        cmocka_unit_test(test_post_report_hide_keep),
        cmocka_unit_test(test_event_create_and_edit),
        cmocka_unit_test(test_set_facilitator),
        cmocka_unit_test(test_profile),
        cmocka_unit_test(test_relationship),
        cmocka_unit_test(test_guarded_forms),
        cmocka_unit_test(test_meeting_date_with_a_refused_part),
        cmocka_unit_test(test_event_date_with_a_refused_part),
        cmocka_unit_test(test_refused_date_part),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
