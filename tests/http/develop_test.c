/* develop_test.c: leadership frameworks and self-assessment, through the loopback
 *
 * A member rates themselves across the areas of the shipped framework, leaves and comes
 * back, submits, reads their results, repeats and compares; another member cannot reach any
 * of it. An admin imports frameworks — first with a mistake, shown at its place with the text
 * kept — and edits one into a new version while a draft keeps the version it began on. The
 * JSON API is checked for its shapes, figures as JSON numbers. Runs on SQLite and PostgreSQL.
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
static struct test_client member, other, admin, anon;
static const char *PW = "correct horse battery";
static int64_t first_id, second_id; /* member's two submitted self-assessments */

static int64_t query_int(const char *sql, const char *arg)
{
    return testapp_int(app, sql, arg);
}

static int64_t latest_framework(const char *code)
{
    return query_int("SELECT MAX(id) FROM develop_frameworks WHERE code = $1", code);
}

static char *fixture(const char *name, size_t *len)
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
    if (len)
        *len = (size_t)n;
    return s;
}

/* "name=" and s percent-encoded; the caller frees it. */
static char *form_of(const char *name, const char *s, const char *more)
{
    size_t n = strlen(s), k;
    char *form = malloc(3 * n + strlen(name) + strlen(more) + 8);
    assert_non_null(form);
    k = (size_t)sprintf(form, "%s=", name);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
            form[k++] = (char)ch;
        else
            k += (size_t)sprintf(form + k, "%%%02X", ch);
    }
    strcpy(form + k, more);
    return form;
}

/* Replaces the first occurrence of from in s (malloc'd) by to; returns the new text. */
static char *replace(char *s, const char *from, const char *to)
{
    char *p = strstr(s, from), *out;
    assert_non_null(p);
    out = malloc(strlen(s) - strlen(from) + strlen(to) + 1);
    assert_non_null(out);
    sprintf(out, "%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
    free(s);
    return out;
}

static json_t *body_json(const struct test_client *tc)
{
    json_t *j = json_loadb(tc->res.body, tc->res.len, 0, NULL);
    assert_non_null(j);
    return j;
}

static int64_t start(struct test_client *tc, const char *form)
{
    const char *loc;
    long long id = 0;
    assert_int_equal(tc_post_form(tc, "/develop/start", form, 1), 303);
    loc = lb_header(&tc->res, "Location");
    assert_non_null(loc);
    assert_int_equal(sscanf(loc, "/develop/self/%lld/domain/1", &id), 1);
    return id;
}

static int post_domain(struct test_client *tc, int64_t id, int n, const char *form)
{
    char uri[96];
    snprintf(uri, sizeof uri, "/develop/self/%lld/domain/%d", (long long)id, n);
    return tc_post_form(tc, uri, form, 1);
}

static int get_self(struct test_client *tc, int64_t id, const char *tail)
{
    char uri[96];
    snprintf(uri, sizeof uri, "/develop/self/%lld%s", (long long)id, tail);
    return tc_get(tc, uri);
}

static int submit(struct test_client *tc, int64_t id)
{
    char uri[96];
    snprintf(uri, sizeof uri, "/develop/self/%lld/submit", (long long)id);
    return tc_post_form(tc, uri, "", 1);
}

static void test_framework_pages(void **state)
{
    int64_t fid = latest_framework("ahp-clinical-leadership");
    char uri[96];
    json_t *j, *fw;
    (void)state;
    assert_true(fid > 0);
    assert_int_equal(tc_get(&admin, "/develop/frameworks"), 200);
    assert_true(tc_body_has(&admin, "AHP clinical leadership"));
    snprintf(uri, sizeof uri, "/develop/frameworks/%lld", (long long)fid);
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(tc_body_has(&admin, "Leading others"));
    assert_true(tc_body_has(
        &admin, "I explain how my service fits into the wider health and care system."));
    assert_true(tc_body_has(&admin, "Clinical safety"));
    snprintf(uri, sizeof uri, "/develop/frameworks/%lld/download", (long long)fid);
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_string_equal(lb_header(&admin.res, "Content-Type"), "application/json");
    assert_true(tc_body_has(&admin, "\"code\": \"ahp-clinical-leadership\""));
    snprintf(uri, sizeof uri, "/api/v1/develop/frameworks/%lld", (long long)fid);
    assert_int_equal(tc_get(&admin, uri), 200);
    j = body_json(&admin);
    fw = json_object_get(j, "framework");
    assert_true(json_is_integer(json_object_get(fw, "behaviours_count")));
    assert_int_equal(json_integer_value(json_object_get(fw, "behaviours_count")), 43);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(fw, "scale"), "max")), 4);
    assert_int_equal(json_array_size(json_object_get(fw, "domains")), 9);
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(json_object_get(j, "versions"), 0), "version")),
                     1);
    json_decref(j);
}

static void test_admin_routes_refused(void **state)
{
    (void)state;
    assert_int_equal(tc_get(&member, "/develop/frameworks"), 403);
    assert_int_equal(tc_get(&member, "/develop/frameworks/import"), 403);
    assert_int_equal(tc_post_form(&member, "/develop/frameworks", "definition=%7B%7D", 1), 403);
    assert_int_equal(tc_get(&member, "/api/v1/develop/frameworks"), 403);
    assert_int_equal(tc_get(&anon, "/api/v1/develop"), 401);
    assert_int_not_equal(tc_get(&anon, "/develop"), 200);
}

static void test_import_error_then_good(void **state)
{
    size_t len;
    char *good = fixture("six-domains-frequency.json", &len);
    char *bad = replace(strdup(good), "I report near misses.", " ");
    char *form;
    const char *loc;
    long long id = 0;
    char uri[96];
    (void)state;
    assert_int_equal(tc_get(&admin, "/develop/frameworks/import"), 200);
    form = form_of("definition", bad, "");
    assert_int_equal(tc_post_form(&admin, "/develop/frameworks", form, 1), 400);
    free(form);
    assert_true(tc_body_has(&admin, "There is a problem"));
    assert_true(tc_body_has(&admin, "The framework cannot be used: domains[2].behaviours[0]: the "
                                    "statement is empty"));
    /* the text comes back whole, to be corrected */
    assert_true(tc_body_has(&admin, "I speak up when I am worried about a patient."));
    assert_int_equal(latest_framework("test-six-frequency"), 0);
    /* nothing at all */
    assert_int_equal(tc_post_form(&admin, "/develop/frameworks", "definition=", 1), 400);
    assert_true(tc_body_has(&admin, "Paste the framework as JSON, or choose a file"));
    /* the good one */
    form = form_of("definition", good, "");
    assert_int_equal(tc_post_form(&admin, "/develop/frameworks", form, 1), 303);
    free(form);
    loc = lb_header(&admin.res, "Location");
    assert_non_null(loc);
    assert_int_equal(sscanf(loc, "/develop/frameworks/%lld", &id), 1);
    assert_int_equal(id, latest_framework("test-six-frequency"));
    snprintf(uri, sizeof uri, "%s", loc); /* loc belongs to the response the next one frees */
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(tc_body_has(&admin, "I have not had the chance to show this"));
    assert_true(tc_body_has(&admin, "Not asked")); /* no importance rating */
    /* edit: the stored JSON in the form; saving a change stores version 2 */
    snprintf(uri, sizeof uri, "/develop/frameworks/%lld/edit", id);
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(tc_body_has(&admin, "test-six-frequency"));
    good = replace(good, "Six domains, how often (test)", "Six domains, how often (revised)");
    snprintf(uri, sizeof uri, "&from=%lld", id);
    form = form_of("definition", good, uri);
    assert_int_equal(tc_post_form(&admin, "/develop/frameworks", form, 1), 303);
    free(form);
    assert_int_equal(query_int("SELECT MAX(version) FROM develop_frameworks WHERE code = $1",
                               "test-six-frequency"),
                     2);
    assert_true(latest_framework("test-six-frequency") > id);
    /* the first version is still there, unchanged */
    snprintf(uri, sizeof uri, "/develop/frameworks/%lld", id);
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(tc_body_has(&admin, "Six domains, how often (test)"));
    assert_true(tc_body_has(&admin, "This is not the latest version"));
    free(good);
    free(bad);
}

static void test_import_file(void **state)
{
    size_t len;
    char *doc = fixture("nine-dimensions.json", &len);
    const char *hs[] = {"Content-Type: multipart/form-data; boundary=XyZ", NULL};
    char *body = malloc(len + 512);
    int n;
    (void)state;
    assert_non_null(body);
    n = sprintf(body,
                "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n%s\r\n"
                "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.json\"\r\n"
                "Content-Type: application/json\r\n\r\n%s\r\n--XyZ--\r\n",
                tc_csrf(&admin), doc);
    assert_int_equal(tc_request(&admin, "POST", "/develop/frameworks", hs, body, (size_t)n), 303);
    assert_true(latest_framework("test-nine-dimensions") > 0);
    free(body);
    free(doc);
}

static void test_self_assessment_journey(void **state)
{
    int64_t again;
    json_t *j, *d;
    (void)state;
    assert_int_equal(tc_get(&member, "/develop"), 200);
    assert_true(tc_body_has(&member, "My development"));
    assert_true(tc_body_has(&member, "You have not submitted a self-assessment yet"));
    first_id = start(&member, "");
    assert_int_equal(get_self(&member, first_id, "/domain/1"), 200);
    assert_true(tc_body_has(&member, "Understanding the system and its context"));
    assert_true(tc_body_has(&member, "Area 1 of 9"));
    assert_true(tc_body_has(&member, "How important is this in your role?"));
    assert_int_equal(post_domain(&member, first_id, 1,
                                 "rating.system-fit=2&rating.system-funding=3&importance.system-"
                                 "fit=3&note.system-fit=Led+the+referral+pathway+review&action="
                                 "next"),
                     303);
    assert_true(strstr(lb_header(&member.res, "Location"), "/domain/2") != NULL);
    /* leave after the second area, and come back */
    assert_int_equal(post_domain(&member, first_id, 2, "rating.vision-describe=1&action=later"),
                     303);
    assert_string_equal(lb_header(&member.res, "Location"), "/develop");
    assert_int_equal(tc_get(&member, "/develop"), 200);
    assert_true(tc_body_has(&member, "Continue your self-assessment"));
    assert_true(tc_body_has(&member, "3 of 43 statements answered"));
    again = start(&member, ""); /* one draft at a time: the same one */
    assert_int_equal(again, first_id);
    assert_int_equal(get_self(&member, first_id, "/domain/1"), 200);
    assert_true(tc_body_has(&member, "Led the referral pathway review"));
    assert_true(tc_body_has(&member, "value=\"2\" checked"));
    /* an answer given can be taken back without a script: the empty choice */
    assert_true(tc_body_has(&member, "Leave this out"));
    assert_int_equal(post_domain(&member, first_id, 2, "rating.vision-describe=&action=later"),
                     303);
    assert_int_equal(get_self(&member, first_id, "/check"), 200);
    assert_true(tc_body_has(&member, "You have answered 2 of 43 statements"));
    assert_int_equal(post_domain(&member, first_id, 2, "rating.vision-describe=1&action=later"),
                     303);
    assert_int_equal(get_self(&member, first_id, "/check"), 200);
    assert_true(tc_body_has(&member, "You have answered 3 of 43 statements"));
    assert_int_equal(submit(&member, first_id), 303);
    assert_int_equal(get_self(&member, first_id, ""), 200);
    assert_true(tc_body_has(&member, "Your self-assessment results"));
    assert_true(tc_body_has(&member, ">2.5<")); /* area 1: (2 + 3) / 2 */
    assert_true(tc_body_has(&member, ">50%<")); /* (2.5 − 1) / 3 */
    assert_true(tc_body_has(&member, ">0%<"));  /* area 2: the lowest level */
    assert_true(tc_body_has(&member, "Not rated"));
    assert_true(tc_body_has(&member, "Led the referral pathway review"));
    /* the same in JSON, figures as numbers */
    {
        char uri[96];
        snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld", (long long)first_id);
        assert_int_equal(tc_get(&member, uri), 200);
    }
    j = body_json(&member);
    d = json_array_get(json_object_get(j, "domains"), 0);
    assert_true(json_is_number(json_object_get(d, "mean")));
    assert_true(json_number_value(json_object_get(d, "mean")) == 2.5);
    assert_true(json_number_value(json_object_get(d, "percent")) == 50);
    assert_true(json_is_integer(json_object_get(d, "answered")));
    assert_int_equal(json_integer_value(json_object_get(d, "answered")), 2);
    assert_int_equal(json_integer_value(json_object_get(d, "behaviours")), 5);
    assert_true(json_is_true(json_object_get(d, "scored")));
    d = json_array_get(json_object_get(j, "domains"), 2);
    assert_true(json_is_null(json_object_get(d, "mean")));
    assert_true(json_is_false(json_object_get(d, "scored")));
    json_decref(j);
    /* a submitted self-assessment is not answered again */
    assert_int_equal(post_domain(&member, first_id, 1, "rating.system-fit=4"), 303);
    assert_int_equal(query_int("SELECT rating FROM develop_ratings WHERE behaviour = $1 AND "
                               "assessment_id = (SELECT MIN(id) FROM develop_self_assessments)",
                               "system-fit"),
                     2);
    assert_int_equal(submit(&member, first_id), 303); /* to the results, nothing changed */
    /* My development shows the result and the history */
    assert_int_equal(tc_get(&member, "/develop"), 200);
    assert_true(tc_body_has(&member, "Your latest results"));
    assert_true(tc_body_has(&member, "Start a self-assessment"));
    assert_false(tc_body_has(&member, "Compare two of your self-assessments"));
}

static void test_repeat_and_compare(void **state)
{
    char uri[128];
    json_t *j, *ch;
    (void)state;
    second_id = start(&member, "");
    assert_true(second_id != first_id);
    assert_int_equal(post_domain(&member, second_id, 1,
                                 "rating.system-fit=3&rating.system-funding=3&action=next"),
                     303);
    assert_int_equal(submit(&member, second_id), 303);
    assert_int_equal(tc_get(&member, "/develop"), 200);
    assert_true(tc_body_has(&member, "Compare two of your self-assessments"));
    /* by default the latest against the one before */
    assert_int_equal(tc_get(&member, "/develop/compare"), 200);
    assert_true(tc_body_has(&member, "Change per area"));
    assert_true(tc_body_has(&member, "+0.5"));
    snprintf(uri, sizeof uri, "/api/v1/develop/compare?from=%lld&to=%lld", (long long)first_id,
             (long long)second_id);
    assert_int_equal(tc_get(&member, uri), 200);
    j = body_json(&member);
    ch = json_object_get(j, "changes");
    assert_int_equal(json_array_size(ch), 9);
    assert_true(json_is_number(json_object_get(json_array_get(ch, 0), "change")));
    assert_true(json_number_value(json_object_get(json_array_get(ch, 0), "change")) == 0.5);
    assert_true(json_number_value(json_object_get(json_array_get(ch, 0), "from")) == 2.5);
    assert_true(json_number_value(json_object_get(json_array_get(ch, 0), "to")) == 3);
    /* rated only the first time: no change to show */
    assert_true(json_is_null(json_object_get(json_array_get(ch, 1), "change")));
    json_decref(j);
    /* the other way round, the change is negative */
    snprintf(uri, sizeof uri, "/develop/compare?from=%lld&to=%lld", (long long)second_id,
             (long long)first_id);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "-0.5"));
    /* the same one twice is an error at the field */
    snprintf(uri, sizeof uri, "/develop/compare?from=%lld&to=%lld", (long long)first_id,
             (long long)first_id);
    assert_int_equal(tc_get(&member, uri), 400);
    assert_true(tc_body_has(&member, "Choose two different self-assessments"));
    /* Your home shows the latest one */
    assert_int_equal(tc_get(&member, "/home"), 200);
    assert_true(tc_body_has(&member, "Your development"));
    assert_true(tc_body_has(&member, "Your latest self-assessment was submitted on"));
    snprintf(uri, sizeof uri, "href=\"/develop/self/%lld\"", (long long)second_id);
    assert_true(tc_body_has(&member, uri));
    assert_int_equal(tc_get(&other, "/home"), 200);
    assert_true(tc_body_has(&other, "Start a self-assessment"));
    assert_false(tc_body_has(&other, "Your latest self-assessment"));
}

static void test_others_get_404(void **state)
{
    char uri[128];
    (void)state;
    assert_int_equal(get_self(&other, first_id, ""), 404);
    assert_int_equal(get_self(&other, first_id, "/domain/1"), 404);
    assert_int_equal(get_self(&other, first_id, "/check"), 404);
    assert_int_equal(post_domain(&other, first_id, 1, "rating.system-fit=1"), 404);
    assert_int_equal(submit(&other, first_id), 404);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld", (long long)first_id);
    assert_int_equal(tc_get(&other, uri), 404);
    snprintf(uri, sizeof uri, "/develop/compare?from=%lld&to=%lld", (long long)first_id,
             (long long)second_id);
    assert_int_equal(tc_get(&other, uri), 404);
    /* their own page lists nothing of the member's */
    assert_int_equal(tc_get(&other, "/develop"), 200);
    assert_true(tc_body_has(&other, "You have not submitted a self-assessment yet"));
    assert_int_equal(get_self(&member, 999999, ""), 404);
}

static void test_bad_answers_keep_what_was_typed(void **state)
{
    struct test_client tc;
    char form[1400], long_note[1002];
    char where[32];
    int64_t id;
    (void)state;
    testapp_user(app, "typist@example.test", "member", PW);
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "typist@example.test", PW), 303);
    id = start(&tc, "");
    memset(long_note, 'x', 1001);
    long_note[1001] = '\0';
    snprintf(form, sizeof form,
             "rating.system-fit=9&rating.system-funding=2&importance.system-funding=7&"
             "note.system-fit=Kept+as+typed&note.system-data=%s",
             long_note);
    assert_int_equal(post_domain(&tc, id, 1, form), 400);
    assert_true(tc_body_has(&tc, "There is a problem"));
    assert_true(tc_body_has(&tc, "Statement 1: choose one of the answers"));
    assert_true(tc_body_has(&tc, "Statement 2: choose how important this is from the list"));
    assert_true(
        tc_body_has(&tc, "Statement 5: your note must be 1000 characters or fewer; it has 1001"));
    assert_true(tc_body_has(&tc, "Kept as typed"));
    assert_true(tc_body_has(&tc, long_note));
    assert_true(tc_body_has(&tc, "value=\"2\" checked")); /* the good rating is kept too */
    snprintf(where, sizeof where, "%lld", (long long)id);
    assert_int_equal(query_int("SELECT COUNT(*) FROM develop_ratings WHERE assessment_id = "
                               "CAST($1 AS BIGINT)",
                               where),
                     0);
    /* nothing rated yet: submitting is refused at the button */
    assert_int_equal(submit(&tc, id), 400);
    assert_true(tc_body_has(&tc, "Rate at least one statement on the scale before you submit"));
    assert_int_equal(query_int("SELECT submitted_at FROM develop_self_assessments WHERE id = "
                               "CAST($1 AS BIGINT)",
                               where),
                     0);
    /* an area that does not exist */
    assert_int_equal(post_domain(&tc, id, 10, "rating.system-fit=1"), 404);
    tc_free(&tc);
}

static void test_api_frequency_scale(void **state)
{
    struct test_client tc;
    char uri[96], body[256];
    int64_t fid = latest_framework("test-six-frequency"), id;
    json_t *j, *d;
    (void)state;
    assert_true(fid > 0);
    testapp_user(app, "api@example.test", "member", PW);
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "api@example.test", PW), 303);
    snprintf(body, sizeof body, "{\"framework\": %lld}", (long long)fid);
    assert_int_equal(tc_post_json(&tc, "/api/v1/develop/start", body), 201);
    j = body_json(&tc);
    assert_true(json_is_integer(json_object_get(j, "id")));
    id = json_integer_value(json_object_get(j, "id"));
    assert_true(json_is_false(json_object_get(j, "resumed")));
    json_decref(j);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/domain/1", (long long)id);
    /* a rating off the scale: 400 naming the field, nothing stored */
    assert_int_equal(tc_post_json(&tc, uri, "{\"rating.listening-1\": 6}"), 400);
    assert_true(tc_body_has(&tc, "rating.listening-1"));
    /* an answer to no statement of this part, or a member no route takes, is refused by
     * name with the rest, and nothing is saved: not even the good rating beside it */
    assert_int_equal(tc_post_json(&tc, uri, "{\"rating.nope\": 2, \"rating.listening-1\": 3}"),
                     400);
    assert_true(tc_body_has(&tc, "\"rating.nope\""));
    assert_int_equal(tc_post_json(&tc, uri, "{\"ratings\": {\"listening-1\": 3}}"), 400);
    assert_true(tc_body_has(&tc, "\"ratings\""));
    snprintf(body, sizeof body, "%lld", (long long)id);
    assert_int_equal(query_int("SELECT COUNT(*) FROM develop_ratings WHERE assessment_id = "
                               "CAST($1 AS BIGINT)",
                               body),
                     0);
    /* "Always", and "no chance" (missing, not zero) */
    assert_int_equal(tc_post_json(&tc, uri,
                                  "{\"rating.listening-1\": 5, \"rating.listening-2\": \"none\", "
                                  "\"note.listening-1\": \"At every huddle\"}"),
                     200);
    j = body_json(&tc);
    assert_true(json_is_true(json_object_get(j, "saved")));
    assert_int_equal(json_integer_value(json_object_get(j, "rated")), 2);
    assert_int_equal(json_integer_value(json_object_get(j, "behaviours")), 18);
    json_decref(j);
    /* a framework without importance refuses one */
    assert_int_equal(tc_post_json(&tc, uri, "{\"importance.listening-1\": 1}"), 400);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/submit", (long long)id);
    assert_int_equal(tc_post_json(&tc, uri, "{}"), 200);
    assert_int_equal(tc_post_json(&tc, uri, "{}"), 409);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld", (long long)id);
    assert_int_equal(tc_get(&tc, uri), 200);
    j = body_json(&tc);
    d = json_array_get(json_object_get(j, "domains"), 0);
    assert_true(json_number_value(json_object_get(d, "mean")) == 5);
    assert_true(json_number_value(json_object_get(d, "percent")) == 100);
    assert_int_equal(json_integer_value(json_object_get(d, "answered")), 1);
    assert_int_equal(json_integer_value(json_object_get(d, "no_chance")), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(d, "items"), 1), "rating_text")),
                        "I have not had the chance to show this");
    d = json_array_get(json_object_get(j, "domains"), 1);
    assert_true(json_is_null(json_object_get(d, "mean")));
    json_decref(j);
    assert_int_equal(tc_get(&tc, "/api/v1/develop"), 200);
    j = body_json(&tc);
    assert_int_equal(json_integer_value(json_object_get(j, "submitted_count")), 1);
    assert_true(json_is_integer(
        json_object_get(json_array_get(json_object_get(j, "history"), 0), "submitted_at")));
    json_decref(j);
    tc_free(&tc);
}

/* A draft keeps the version it began on when the framework is edited; the next one starts
 * on the new version. */
static void test_draft_keeps_its_version(void **state)
{
    struct test_client tc;
    char uri[96];
    int64_t v1 = latest_framework("ahp-clinical-leadership"), id, next;
    const char *json;
    char *doc, *body;
    json_t *req, *res;
    (void)state;
    testapp_user(app, "pinned@example.test", "member", PW);
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "pinned@example.test", PW), 303);
    id = start(&tc, "");
    assert_int_equal(post_domain(&tc, id, 1, "rating.system-fit=4"), 303);
    /* version 2 has a tenth area */
    snprintf(uri, sizeof uri, "/develop/frameworks/%lld/download", (long long)v1);
    assert_int_equal(tc_get(&admin, uri), 200);
    doc = malloc(admin.res.len + 1);
    memcpy(doc, admin.res.body, admin.res.len);
    doc[admin.res.len] = '\0';
    doc = replace(doc, "\"domains\": [",
                  "\"domains\": [{\"id\": \"research\", \"title\": \"Research and evidence\", "
                  "\"behaviours\": [{\"id\": \"research-use\", \"statement\": \"I use research "
                  "evidence to shape my service.\"}]},");
    req = json_pack("{s:s}", "definition", doc);
    body = json_dumps(req, 0);
    assert_int_equal(tc_post_json(&admin, "/api/v1/develop/frameworks", body), 201);
    res = body_json(&admin);
    assert_true(json_is_integer(json_object_get(res, "version")));
    assert_int_equal(json_integer_value(json_object_get(res, "version")), 2);
    json_decref(res);
    free(body);
    json_decref(req);
    free(doc);
    (void)json;
    /* the draft still has nine areas, and keeps its answer */
    assert_int_equal(get_self(&tc, id, "/domain/1"), 200);
    assert_true(tc_body_has(&tc, "Area 1 of 9"));
    assert_true(tc_body_has(&tc, "value=\"4\" checked"));
    assert_int_equal(submit(&tc, id), 303);
    assert_int_equal(get_self(&tc, id, ""), 200);
    assert_true(tc_body_has(&tc, "Version 1 of the framework"));
    next = start(&tc, "");
    assert_int_equal(get_self(&tc, next, "/domain/1"), 200);
    assert_true(tc_body_has(&tc, "Area 1 of 10"));
    assert_true(tc_body_has(&tc, "Research and evidence"));
    tc_free(&tc);
}

/* Two self-assessments against one framework whose later version rates on another scale
 * (five points, then four) are not compared: a difference of means across scales means
 * nothing. */
static void test_compare_refuses_different_scales(void **state)
{
    struct test_client tc;
    char uri[128], body[128];
    int64_t fid = latest_framework("test-six-frequency"), a, b;
    char *doc, *req_text;
    json_t *req, *res;
    (void)state;
    assert_true(fid > 0);
    testapp_user(app, "scales@example.test", "member", PW);
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "scales@example.test", PW), 303);
    snprintf(body, sizeof body, "{\"framework\": %lld}", (long long)fid);
    assert_int_equal(tc_post_json(&tc, "/api/v1/develop/start", body), 201);
    res = body_json(&tc);
    a = json_integer_value(json_object_get(res, "id"));
    json_decref(res);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/domain/1", (long long)a);
    assert_int_equal(tc_post_json(&tc, uri, "{\"rating.listening-1\": 5}"), 200);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/submit", (long long)a);
    assert_int_equal(tc_post_json(&tc, uri, "{}"), 200);
    /* version 2 drops "Always": four points */
    snprintf(uri, sizeof uri, "/develop/frameworks/%lld/download", (long long)fid);
    assert_int_equal(tc_get(&admin, uri), 200);
    doc = malloc(admin.res.len + 1);
    memcpy(doc, admin.res.body, admin.res.len);
    doc[admin.res.len] = '\0';
    res = json_loads(doc, 0, NULL);
    assert_non_null(res);
    assert_int_equal(json_array_remove(json_object_get(json_object_get(res, "scale"), "points"), 4),
                     0);
    free(doc);
    doc = json_dumps(res, 0);
    json_decref(res);
    req = json_pack("{s:s}", "definition", doc);
    req_text = json_dumps(req, 0);
    assert_int_equal(tc_post_json(&admin, "/api/v1/develop/frameworks", req_text), 201);
    free(req_text);
    json_decref(req);
    free(doc);
    snprintf(body, sizeof body, "{\"framework\": %lld}",
             (long long)latest_framework("test-six-frequency"));
    assert_int_equal(tc_post_json(&tc, "/api/v1/develop/start", body), 201);
    res = body_json(&tc);
    b = json_integer_value(json_object_get(res, "id"));
    json_decref(res);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/domain/1", (long long)b);
    assert_int_equal(tc_post_json(&tc, uri, "{\"rating.listening-1\": 4}"), 200);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/submit", (long long)b);
    assert_int_equal(tc_post_json(&tc, uri, "{}"), 200);
    snprintf(uri, sizeof uri, "/develop/compare?from=%lld&to=%lld", (long long)a, (long long)b);
    assert_int_equal(tc_get(&tc, uri), 400);
    assert_true(tc_body_has(&tc, "rated on different scales"));
    tc_free(&tc);
}

static void page_ok(struct test_client *tc, const char *uri, int status)
{
    assert_int_equal(tc_get(tc, uri), status);
    assert_true(testapp_tidy(tc->res.body, tc->res.len, uri) < 2);
}

static void test_pages_pass_tidy(void **state)
{
    char uri[128];
    int64_t fid = latest_framework("test-six-frequency");
    (void)state;
    page_ok(&member, "/develop", 200);
    page_ok(&other, "/develop", 200);
    snprintf(uri, sizeof uri, "/develop/self/%lld", (long long)first_id);
    page_ok(&member, uri, 200);
    page_ok(&member, "/develop/compare", 200);
    page_ok(&other, "/develop/compare", 200);
    page_ok(&admin, "/develop/frameworks", 200);
    page_ok(&admin, "/develop/frameworks/import", 200);
    snprintf(uri, sizeof uri, "/develop/frameworks/%lld", (long long)fid);
    page_ok(&admin, uri, 200);
    snprintf(uri, sizeof uri, "/develop/frameworks/%lld/edit", (long long)fid);
    page_ok(&admin, uri, 200);
    {
        int64_t id = start(&other, "");
        snprintf(uri, sizeof uri, "/develop/self/%lld/domain/1", (long long)id);
        page_ok(&other, uri, 200);
        snprintf(uri, sizeof uri, "/develop/self/%lld/check", (long long)id);
        page_ok(&other, uri, 200);
        /* a page with errors */
        assert_int_equal(post_domain(&other, id, 1, "rating.system-fit=8&note.system-fit=Hello"),
                         400);
        assert_true(testapp_tidy(other.res.body, other.res.len, "domain with errors") < 2);
    }
}

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    testapp_user(app, "member@example.test", "member", PW);
    testapp_user(app, "other@example.test", "member", PW);
    testapp_user(app, "admin@example.test", "admin", PW);
    tc_init(&member, app);
    tc_init(&other, app);
    tc_init(&admin, app);
    tc_init(&anon, app);
    if (tc_login(&member, "member@example.test", PW) != 303 ||
        tc_login(&other, "other@example.test", PW) != 303 ||
        tc_login(&admin, "admin@example.test", PW) != 303)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&member);
    tc_free(&other);
    tc_free(&admin);
    tc_free(&anon);
    testapp_free(app);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_framework_pages),
        cmocka_unit_test(test_admin_routes_refused),
        cmocka_unit_test(test_import_error_then_good),
        cmocka_unit_test(test_import_file),
        cmocka_unit_test(test_self_assessment_journey),
        cmocka_unit_test(test_repeat_and_compare),
        cmocka_unit_test(test_others_get_404),
        cmocka_unit_test(test_bad_answers_keep_what_was_typed),
        cmocka_unit_test(test_api_frequency_scale),
        cmocka_unit_test(test_pages_pass_tidy),
        cmocka_unit_test(test_draft_keeps_its_version),
        cmocka_unit_test(test_compare_refuses_different_scales),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
