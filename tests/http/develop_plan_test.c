/* develop_plan_test.c: development plans, recommendations and a programme lead's gap view,
 * through the loopback
 *
 * A member makes goals and activities — mistakes first, each named at its field with
 * nothing stored — moves an activity to done with a reflection, adds recommended activities
 * in one click (twice is once), and another member reaches none of it. Recommendations come
 * from the member's own self-assessment and named Assess result, explained. A facilitator
 * reads a cohort's and an organisation's weakest domains, where a domain with results from
 * too few members shows no figure on the page, in the JSON or in the CSV, and members who
 * only have an older version's self-assessment are counted apart. Runs on SQLite and
 * PostgreSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "account/cohort.h"
#include "assess/demo.h"
#include "core/arena.h"
#include "develop/self.h"
#include "http/req.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct test_client member, other, lead;
static const char *PW = "correct horse battery";
static int64_t member_id;

static json_t *body_json(const struct test_client *tc)
{
    json_t *j = json_loadb(tc->res.body, tc->res.len, 0, NULL);
    assert_non_null(j);
    return j;
}

static int64_t count(const char *sql, const char *arg)
{
    return testapp_int(app, sql, arg);
}

static int64_t location_id(const struct test_client *tc, const char *fmt)
{
    const char *loc = lb_header(&tc->res, "Location");
    long long id = 0;
    assert_non_null(loc);
    assert_int_equal(sscanf(loc, fmt, &id), 1);
    return id;
}

/* True when the last body has a before b (the error summary's order). */
static bool in_order(const struct test_client *tc, const char *a, const char *b)
{
    const char *pa = strstr(tc->res.body, a), *pb = strstr(tc->res.body, b);
    return pa && pb && pa < pb;
}

/* ---- goals ---- */

static void test_goals(void **state)
{
    char uri[96];
    int64_t id;
    json_t *j, *g;
    (void)state;
    assert_int_equal(tc_get(&member, "/develop/plan"), 200);
    assert_true(tc_body_has(&member, "Your plan is empty"));
    /* every mistake at once, nothing stored */
    assert_int_equal(tc_post_form(&member, "/develop/plan/goals",
                                  "title=&domain=nowhere%3Ax&target-day=31&target-month=6&"
                                  "target-year=2027",
                                  1),
                     400);
    assert_true(tc_body_has(&member, "Enter your goal"));
    assert_true(tc_body_has(&member, "Choose an area of leadership from the list"));
    assert_true(tc_body_has(&member, "Target date must be a real date"));
    assert_true(tc_body_has(&member, "value=\"31\"")); /* as typed */
    /* the summary lists them in the order of the form: the goal, its area, its date */
    assert_true(in_order(&member, "<a href=\"#title\">Enter your goal",
                         "<a href=\"#domain\">Choose an area"));
    assert_true(in_order(&member, "<a href=\"#domain\">Choose an area",
                         "<a href=\"#target\">Target date must be a real date"));
    assert_int_equal(tc_post_form(&member, "/develop/plan/goals",
                                  "title=Lead+the+move&domain=ahp-clinical-leadership%3Adigital&"
                                  "target-day=3&target-month=&target-year=2027",
                                  1),
                     400);
    assert_true(tc_body_has(&member, "Target date must include a month"));
    assert_true(tc_body_has(&member, "Lead the move"));
    /* too long: the summary's sentence starts with a capital, as each of them does */
    {
        char form[600];
        snprintf(form, sizeof form, "title=%0400d&domain=ahp-clinical-leadership%%3Adigital", 0);
        assert_int_equal(tc_post_form(&member, "/develop/plan/goals", form, 1), 400);
        assert_true(tc_body_has(&member, "<a href=\"#title\">Your goal must be 200 characters "
                                         "or fewer; it has 400</a>"));
    }
    assert_int_equal(count("SELECT COUNT(*) FROM develop_goals", NULL), 0);
    /* right */
    assert_int_equal(tc_post_form(&member, "/develop/plan/goals",
                                  "title=Lead+my+team%27s+move+to+the+new+record&"
                                  "domain=ahp-clinical-leadership%3Adigital&target-day=31&"
                                  "target-month=3&target-year=2027",
                                  1),
                     303);
    /* through the API, with an ISO date */
    assert_int_equal(tc_post_json(&member, "/api/v1/develop/plan/goals",
                                  "{\"title\": \"Chair the team huddle\", \"domain\": "
                                  "\"ahp-clinical-leadership:vision\", \"target\": "
                                  "\"2027-01-15\"}"),
                     201);
    j = body_json(&member);
    g = json_object_get(j, "goal");
    id = json_integer_value(json_object_get(g, "id"));
    assert_true(id > 0);
    assert_string_equal(json_string_value(json_object_get(g, "area")), "Vision and direction");
    assert_true(json_is_integer(json_object_get(g, "target_at")));
    assert_int_equal(json_integer_value(json_object_get(g, "target_at")), 1799971200);
    json_decref(j);
    /* another member: not found, and nothing changes */
    snprintf(uri, sizeof uri, "/develop/plan/goals/%lld", (long long)id);
    assert_int_equal(tc_get(&other, uri), 404);
    assert_int_equal(
        tc_post_form(&other, uri, "title=Mine&domain=ahp-clinical-leadership%3Avalues", 1), 404);
    /* the owner changes it */
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "value=\"15\""));
    assert_int_equal(
        tc_post_form(&member, uri,
                     "title=Chair+the+weekly+huddle&domain=ahp-clinical-leadership%3Avision&"
                     "target-day=&target-month=&target-year=",
                     1),
        303);
    /* the API changes only what it names */
    snprintf(uri, sizeof uri, "/api/v1/develop/plan/goals/%lld", (long long)id);
    assert_int_equal(tc_post_json(&member, uri, "{\"target\": \"2027-02-01\"}"), 200);
    /* the target reads as it is sent (the page's words beside it), so a client can send back
     * what it read */
    assert_int_equal(tc_get(&member, uri), 200);
    j = body_json(&member);
    g = json_object_get(j, "goal");
    assert_string_equal(json_string_value(json_object_get(g, "target")), "2027-02-01");
    assert_string_equal(json_string_value(json_object_get(g, "target_text")), "1 February 2027");
    {
        json_t *back = json_pack("{s:O}", "target", json_object_get(g, "target"));
        char *text = json_dumps(back, JSON_COMPACT);
        assert_int_equal(tc_post_json(&member, uri, text), 200);
        free(text);
        json_decref(back);
    }
    json_decref(j);
    j = body_json(&member);
    g = json_object_get(j, "goal");
    assert_int_equal(json_integer_value(json_object_get(g, "target_at")), 1801440000);
    assert_string_equal(json_string_value(json_object_get(g, "target")), "2027-02-01");
    json_decref(j);
    assert_int_equal(tc_post_json(&member, uri, "{\"title\": \"Chair the weekly huddle\"}"), 200);
    j = body_json(&member);
    g = json_object_get(j, "goal");
    assert_string_equal(json_string_value(json_object_get(g, "domain")), "vision");
    assert_true(json_integer_value(json_object_get(g, "target_at")) > 0);
    json_decref(j);
    snprintf(uri, sizeof uri, "/develop/plan/goals/%lld", (long long)id);
    assert_int_equal(
        tc_post_form(&member, uri,
                     "title=Chair+the+weekly+huddle&domain=ahp-clinical-leadership%3Avision&"
                     "target-day=&target-month=&target-year=",
                     1),
        303);
    assert_int_equal(tc_get(&member, "/api/v1/develop/plan"), 200);
    j = body_json(&member);
    assert_int_equal(json_array_size(json_object_get(j, "goals")), 2);
    g = json_array_get(json_object_get(j, "goals"), 1);
    assert_string_equal(json_string_value(json_object_get(g, "title")), "Chair the weekly huddle");
    assert_int_equal(json_integer_value(json_object_get(g, "target_at")), 0);
    json_decref(j);
}

/* ---- activities ---- */

static int64_t catalogue_id(const char *title)
{
    return count("SELECT id FROM develop_activities WHERE title = $1", title);
}

static void test_activities(void **state)
{
    char uri[96], body[160];
    int64_t own, cat, goal = count("SELECT MIN(id) FROM develop_goals", NULL);
    int64_t act = catalogue_id("Leadership mentoring with a senior AHP");
    json_t *j, *a;
    (void)state;
    assert_true(act > 0);
    assert_int_equal(tc_get(&member, "/develop/plan/activities/new"), 200);
    /* mistakes: no title, no kind, a goal not theirs, a status that does not exist */
    assert_int_equal(tc_post_form(&member, "/develop/plan/activities",
                                  "title=&kind=lecture&goal=99999&status=finished", 1),
                     400);
    assert_true(tc_body_has(&member, "Enter what you will do"));
    assert_true(tc_body_has(&member, "Choose the kind of activity"));
    assert_true(tc_body_has(&member, "Choose one of your goals, or none"));
    assert_true(tc_body_has(&member, "Choose a status"));
    /* done needs a reflection */
    assert_int_equal(tc_post_form(&member, "/develop/plan/activities",
                                  "title=Shadow+the+clinical+director&kind=shadowing&status=done",
                                  1),
                     400);
    assert_true(tc_body_has(&member, "Write a reflection to mark it done"));
    assert_int_equal(count("SELECT COUNT(*) FROM develop_plan_activities", NULL), 0);
    snprintf(body, sizeof body,
             "title=Shadow+the+clinical+director&kind=shadowing&goal=%lld&target-day=1&"
             "target-month=2&target-year=2027",
             (long long)goal);
    assert_int_equal(tc_post_form(&member, "/develop/plan/activities", body, 1), 303);
    own = location_id(&member, "/develop/plan?added=%lld");
    assert_int_equal(tc_get(&member, "/develop/plan?added=0"), 200);
    assert_true(tc_body_has(&member, "Shadow the clinical director"));
    /* the catalogue's page offers it */
    snprintf(uri, sizeof uri, "/develop/catalogue/%lld", (long long)act);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "Add to my plan"));
    /* a catalogue activity, one click; twice is once */
    snprintf(body, sizeof body, "activity=%lld", (long long)act);
    assert_int_equal(tc_post_form(&member, "/develop/plan/activities", body, 1), 303);
    cat = location_id(&member, "/develop/plan?added=%lld");
    snprintf(body, sizeof body, "{\"activity\": %lld}", (long long)act);
    assert_int_equal(tc_post_json(&member, "/api/v1/develop/plan/activities", body), 200);
    j = body_json(&member);
    assert_true(json_is_true(json_object_get(j, "already_in_plan")));
    a = json_object_get(j, "activity");
    assert_int_equal(json_integer_value(json_object_get(a, "id")), cat);
    assert_string_equal(json_string_value(json_object_get(a, "kind")), "mentoring");
    assert_true(json_is_true(json_object_get(a, "is_mentoring")));
    json_decref(j);
    assert_int_equal(count("SELECT COUNT(*) FROM develop_plan_activities", NULL), 2);
    /* an activity that does not exist */
    assert_int_equal(
        tc_post_json(&member, "/api/v1/develop/plan/activities", "{\"activity\": 987654}"), 404);
    /* done with a reflection */
    snprintf(uri, sizeof uri, "/develop/plan/activities/%lld", (long long)cat);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_int_equal(tc_post_form(&member, uri, "status=done&reflection=", 1), 400);
    assert_int_equal(tc_post_form(&member, uri,
                                  "status=done&reflection=Six+conversations%3B+I+now+plan+my+"
                                  "week+around+the+team.&goal=0",
                                  1),
                     303);
    assert_true(count("SELECT done_at FROM develop_plan_activities WHERE status = $1", "done") > 0);
    /* the API changes only what it names: the reflection stays when the status moves */
    snprintf(uri, sizeof uri, "/api/v1/develop/plan/activities/%lld", (long long)cat);
    assert_int_equal(tc_post_json(&member, uri, "{\"status\": \"in-progress\"}"), 200);
    j = body_json(&member);
    a = json_object_get(j, "activity");
    assert_string_equal(json_string_value(json_object_get(a, "status")), "in-progress");
    assert_string_equal(json_string_value(json_object_get(a, "reflection")),
                        "Six conversations; I now plan my week around the team.");
    assert_int_equal(json_integer_value(json_object_get(a, "done_at")), 0);
    json_decref(j);
    assert_int_equal(tc_post_json(&member, uri, "{\"status\": \"done\"}"), 200);
    /* the own activity's goal and date stay when only its status changes */
    snprintf(uri, sizeof uri, "/api/v1/develop/plan/activities/%lld", (long long)own);
    assert_int_equal(tc_post_json(&member, uri, "{\"status\": \"in-progress\"}"), 200);
    j = body_json(&member);
    a = json_object_get(j, "activity");
    assert_int_equal(json_integer_value(json_object_get(a, "goal_id")), goal);
    assert_true(json_integer_value(json_object_get(a, "target_at")) > 0);
    json_decref(j);
    /* its target and the catalogue one's done date read as ISO days, the page's words beside
     * them; the target sent back as read, with the rest of what was read, changes nothing */
    assert_int_equal(tc_get(&member, uri), 200);
    j = body_json(&member);
    a = json_object_get(j, "activity");
    assert_string_equal(json_string_value(json_object_get(a, "target")), "2027-02-01");
    assert_string_equal(json_string_value(json_object_get(a, "target_text")), "1 February 2027");
    assert_string_equal(json_string_value(json_object_get(a, "done")), "");
    {
        json_t *back =
            json_pack("{s:O, s:O, s:O}", "target", json_object_get(a, "target"), "status",
                      json_object_get(a, "status"), "reflection", json_object_get(a, "reflection"));
        char *text = json_dumps(back, JSON_COMPACT);
        assert_int_equal(tc_post_json(&member, uri, text), 200);
        free(text);
        json_decref(back);
    }
    json_decref(j);
    j = body_json(&member);
    a = json_object_get(j, "activity");
    assert_int_equal(json_integer_value(json_object_get(a, "target_at")), 1801440000);
    json_decref(j);
    assert_int_equal(tc_get(&member, "/develop/plan"), 200); /* the page keeps its words */
    assert_true(tc_body_has(&member, " · by 1 February 2027</span>"));
    assert_true(tc_body_has(&member, " · done on "));
    snprintf(uri, sizeof uri, "/api/v1/develop/plan/activities/%lld", (long long)cat);
    assert_int_equal(tc_get(&member, uri), 200);
    j = body_json(&member);
    a = json_object_get(j, "activity");
    {
        const char *done = json_string_value(json_object_get(a, "done"));
        int64_t at = 0;
        assert_non_null(done);
        assert_true(form_date(done, &at));
        assert_int_equal(at, json_integer_value(json_object_get(a, "done_at")) / 86400 * 86400);
        assert_true(*json_string_value(json_object_get(a, "done_text")) != '\0');
    }
    json_decref(j);
    snprintf(uri, sizeof uri, "/api/v1/develop/plan/activities/%lld", (long long)own);
    /* progress */
    assert_int_equal(tc_get(&member, "/api/v1/develop/plan"), 200);
    j = body_json(&member);
    a = json_object_get(j, "progress");
    assert_int_equal(json_integer_value(json_object_get(a, "done")), 1);
    assert_int_equal(json_integer_value(json_object_get(a, "in_progress")), 1);
    assert_int_equal(json_integer_value(json_object_get(a, "percent")), 50);
    json_decref(j);
    assert_int_equal(tc_get(&member, "/develop"), 200);
    assert_true(tc_body_has(&member, "activities done (50%)"));
    /* another member reaches none of it */
    snprintf(uri, sizeof uri, "/develop/plan/activities/%lld", (long long)own);
    assert_int_equal(tc_get(&other, uri), 404);
    assert_int_equal(tc_post_form(&other, uri, "status=dropped", 1), 404);
    snprintf(uri, sizeof uri, "/develop/plan/activities/%lld/delete", (long long)own);
    assert_int_equal(tc_post_form(&other, uri, "", 1), 404);
    /* a deleted goal leaves its activities in the plan */
    snprintf(uri, sizeof uri, "/develop/plan/goals/%lld/delete", (long long)goal);
    assert_int_equal(tc_post_form(&member, uri, "", 1), 303);
    assert_int_equal(
        count("SELECT COUNT(*) FROM develop_plan_activities WHERE goal_id IS NULL", NULL), 2);
    assert_int_equal(tc_post_form(&member, uri, "", 1), 404);
    /* taken out of the plan */
    snprintf(uri, sizeof uri, "/develop/plan/activities/%lld/delete", (long long)own);
    assert_int_equal(tc_post_form(&member, uri, "", 1), 303);
    assert_int_equal(count("SELECT COUNT(*) FROM develop_plan_activities", NULL), 1);
}

/* ---- recommendations ---- */

static void test_recommendations(void **state)
{
    struct db *db = db_pool_get(app->pool);
    int made = 0, rc;
    int64_t id, first, second;
    char uri[96], body[64];
    json_t *j, *r, *gaps;
    bool assess_gap = false, self_gap = false;
    (void)state;
    /* nothing measured yet */
    assert_int_equal(tc_get(&other, "/develop/recommendations"), 200);
    assert_true(tc_body_has(&other, "Nothing has been measured yet"));
    /* a self-assessment with digital leadership lowest, and a named Assess result */
    rc = assess_demo_member(db, member_id, "physiotherapist", "london", &made);
    db_pool_put(app->pool, db);
    assert_int_equal(rc, 0);
    assert_int_equal(tc_post_json(&member, "/api/v1/develop/start", "{}"), 201);
    j = body_json(&member);
    id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/domain/1", (long long)id);
    assert_int_equal(tc_post_json(&member, uri, "{\"rating.system-fit\": 3}"), 200);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/domain/2", (long long)id);
    assert_int_equal(tc_post_json(&member, uri, "{\"rating.vision-describe\": 4}"), 200);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/domain/8", (long long)id);
    assert_int_equal(tc_post_json(&member, uri, "{\"rating.digital-champion\": 1}"), 200);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/submit", (long long)id);
    assert_int_equal(tc_post_json(&member, uri, "{}"), 200);
    /* its means were kept at submission */
    assert_int_equal(count("SELECT COUNT(*) FROM develop_self_assessments WHERE domain_means = "
                           "$1",
                           "3000,4000,-,-,-,-,-,1000,-"),
                     1);
    assert_int_equal(tc_get(&member, "/api/v1/develop/recommendations"), 200);
    j = body_json(&member);
    gaps = json_object_get(j, "gaps");
    for (size_t i = 0; i < json_array_size(gaps); i++) {
        const char *t = json_string_value(json_object_get(json_array_get(gaps, i), "text"));
        if (strstr(t, "national baseline"))
            assess_gap = true;
        if (!strcmp(t, "You rated \u2018Digital leadership\u2019 1 out of 4, below your "
                       "average of 2.67 across your areas."))
            self_gap = true;
    }
    assert_true(self_gap);
    assert_true(assess_gap);
    r = json_array_get(json_object_get(j, "recommendations"), 0);
    assert_non_null(r);
    assert_int_equal(json_integer_value(json_object_get(r, "rank")), 1);
    assert_true(json_array_size(json_object_get(r, "reasons")) >= 1);
    assert_true(json_is_number(json_object_get(r, "score")));
    first = json_integer_value(json_object_get(r, "id"));
    json_decref(j);
    /* one click: it goes into the plan with why */
    assert_int_equal(tc_get(&member, "/develop/recommendations"), 200);
    assert_true(tc_body_has(&member, "Add to my plan"));
    snprintf(body, sizeof body, "activity=%lld&from=recommendations", (long long)first);
    assert_int_equal(tc_post_form(&member, "/develop/plan/activities", body, 1), 303);
    snprintf(uri, sizeof uri, "%s", lb_header(&member.res, "Location"));
    *strchr(uri, '#') = '\0'; /* a browser keeps the fragment to itself */
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "is in your plan"));
    snprintf(body, sizeof body, "%lld", (long long)first);
    assert_true(count("SELECT COUNT(*) FROM develop_plan_activities WHERE activity_id = "
                      "CAST($1 AS BIGINT) AND reason <> ''",
                      body) == 1);
    assert_int_equal(tc_get(&member, "/api/v1/develop/recommendations"), 200);
    j = body_json(&member);
    r = json_array_get(json_object_get(j, "recommendations"), 0);
    assert_true(json_is_true(json_object_get(r, "in_plan")));
    /* another recommended activity, added from its catalogue page: the member's own choice,
     * with no "Recommended because" */
    r = json_array_get(json_object_get(j, "recommendations"), 1);
    assert_non_null(r);
    second = json_integer_value(json_object_get(r, "id"));
    json_decref(j);
    snprintf(uri, sizeof uri, "/develop/catalogue/%lld", (long long)second);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "name=\"activity\""));
    assert_false(tc_body_has(&member, "name=\"from\""));
    snprintf(body, sizeof body, "activity=%lld", (long long)second);
    assert_int_equal(tc_post_form(&member, "/develop/plan/activities", body, 1), 303);
    snprintf(body, sizeof body, "%lld", (long long)second);
    assert_int_equal(count("SELECT COUNT(*) FROM develop_plan_activities WHERE activity_id = "
                           "CAST($1 AS BIGINT) AND reason = ''",
                           body),
                     1);
    snprintf(uri, sizeof uri, "/develop/plan/activities/%lld",
             (long long)count("SELECT id FROM develop_plan_activities WHERE activity_id = "
                              "CAST($1 AS BIGINT)",
                              body));
    assert_int_equal(tc_get(&member, uri), 200);
    assert_false(tc_body_has(&member, "Recommended because"));
    /* the one added from the recommendations says why */
    snprintf(body, sizeof body, "%lld", (long long)first);
    snprintf(uri, sizeof uri, "/develop/plan/activities/%lld",
             (long long)count("SELECT id FROM develop_plan_activities WHERE activity_id = "
                              "CAST($1 AS BIGINT)",
                              body));
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "Recommended because"));
}

/* ---- the gap view ---- */

/* A member with a submitted self-assessment stored directly (no means kept: the gap view
 * computes them), rating domain d at level 1 + (i + d) % 4, except equality (only the first
 * three members rate it) and values (nobody does). */
static int64_t assessed_member(struct db *db, struct arena *a, int i, int64_t cohort, int64_t org)
{
    char email[64];
    int64_t uid, fid, sid;
    bool resumed;
    struct develop_framework fw;
    int64_t now = (int64_t)time(NULL);
    snprintf(email, sizeof email, "m%d@cohort.test", i);
    uid = testapp_user(app, email, "member", PW);
    assert_int_equal(develop_version_latest_id(db, "ahp-clinical-leadership", &fid), 0);
    assert_int_equal(develop_version_load(db, a, fid, &fw), 0);
    assert_int_equal(develop_self_start(db, uid, fid, now, &sid, &resumed), 0);
    for (size_t d = 0; d < fw.ndomains; d++) {
        struct develop_answer ans[DEVELOP_MAX_BEHAVIOURS];
        const char *id = fw.domains[d].id;
        for (size_t k = 0; k < fw.domains[d].nbehaviours; k++) {
            ans[k].rating = 1 + (int)((i + d) % 4);
            if (!strcmp(id, "values") || (!strcmp(id, "equality") && i >= 3))
                ans[k].rating = DEVELOP_NOT_RATED;
            ans[k].importance = 0;
            ans[k].note = "";
        }
        assert_int_equal(develop_self_save(db, &fw, sid, uid, d, ans, now), 0);
    }
    assert_int_equal(develop_self_submit(db, sid, uid, now), 0);
    if (cohort)
        assert_int_equal(account_cohort_add(db, cohort, uid), 0);
    assert_int_equal(
        db_run(db, "UPDATE users SET organisation_id = $1 WHERE id = $2", "ii", org, uid), 0);
    return uid;
}

static json_t *find_domain(json_t *doms, const char *id)
{
    for (size_t i = 0; i < json_array_size(doms); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(doms, i), "id")), id))
            return json_array_get(doms, i);
    fail_msg("no domain %s", id);
    return NULL;
}

static void test_gap_view_disclosure(void **state)
{
    struct db *db = db_pool_get(app->pool);
    struct arena *a = arena_new();
    int64_t cohort = 0, small = 0, org = 0;
    char uri[96];
    json_t *j, *doms, *d;
    double last = 0;
    bool hidden_seen = false;
    (void)state;
    assert_int_equal(account_cohort_create(db, 0, "Programme 2027", "", &cohort), 0);
    assert_int_equal(account_cohort_create(db, 0, "Seven only", "", &small), 0);
    assert_int_equal(db_run_int(db,
                                "INSERT INTO organisations (name, created_at) VALUES ($1, 0) "
                                "RETURNING id",
                                &org, "t", "Gap Trust"),
                     0);
    for (int i = 0; i < 10; i++) {
        int64_t uid = assessed_member(db, a, i, cohort, org);
        if (i < 7)
            assert_int_equal(account_cohort_add(db, small, uid), 0);
    }
    db_pool_put(app->pool, db);
    arena_free(a);
    /* members cannot see it */
    assert_int_equal(tc_get(&member, "/develop/gaps"), 403);
    assert_int_equal(tc_get(&lead, "/develop/gaps"), 200);
    assert_true(tc_body_has(&lead, "Programme 2027"));
    snprintf(uri, sizeof uri, "/api/v1/develop/gaps?cohort=%lld", (long long)cohort);
    assert_int_equal(tc_get(&lead, uri), 200);
    j = body_json(&lead);
    assert_int_equal(json_integer_value(json_object_get(j, "counted")), 10);
    assert_int_equal(json_integer_value(json_object_get(j, "older")), 0);
    doms = json_object_get(j, "domains");
    assert_int_equal(json_array_size(doms), 9);
    /* three members rated equality: no figure, a count of "*", and why */
    d = find_domain(doms, "equality");
    assert_true(json_is_null(json_object_get(d, "mean")));
    assert_true(json_is_null(json_object_get(d, "percent")));
    assert_true(json_is_null(json_object_get(d, "people")));
    assert_string_equal(json_string_value(json_object_get(d, "people_text")), "*");
    assert_non_null(strstr(json_string_value(json_object_get(d, "reason")), "Fewer than 8"));
    /* nobody rated values */
    d = find_domain(doms, "values");
    assert_true(json_is_null(json_object_get(d, "mean")));
    assert_int_equal(json_integer_value(json_object_get(d, "people")), 0);
    /* ten rated digital (the eighth domain): levels 1 + (i + 7) % 4 → 25 / 10 */
    d = find_domain(doms, "digital");
    assert_true(json_number_value(json_object_get(d, "mean")) == 2.5);
    assert_int_equal(json_integer_value(json_object_get(d, "people")), 10);
    /* every percentage is read from the mean as shown (one decimal), in steps of 5, so the
     * two together say no more than the mean does */
    for (size_t i = 0; i < json_array_size(doms); i++) {
        json_t *x = json_array_get(doms, i);
        if (!json_is_null(json_object_get(x, "mean"))) {
            double shown = json_number_value(json_object_get(x, "mean"));
            assert_true(json_number_value(json_object_get(x, "percent")) ==
                        5 * round((shown - 1) / 3 * 20));
        }
    }
    /* weakest first among shown figures, then the hidden ones */
    for (size_t i = 0; i < json_array_size(doms); i++) {
        json_t *x = json_array_get(doms, i);
        if (json_is_null(json_object_get(x, "mean"))) {
            hidden_seen = true;
            continue;
        }
        assert_false(hidden_seen);
        assert_true(json_number_value(json_object_get(x, "mean")) >= last);
        last = json_number_value(json_object_get(x, "mean"));
    }
    json_decref(j);
    /* the page and the CSV hide the same figure */
    snprintf(uri, sizeof uri, "/develop/gaps?cohort=%lld", (long long)cohort);
    assert_int_equal(tc_get(&lead, uri), 200);
    assert_true(tc_body_has(&lead, "Equality and inclusion"));
    assert_true(tc_body_has(&lead, "Fewer than 8 members have a result in this area"));
    assert_true(testapp_tidy(lead.res.body, lead.res.len, "gaps") < 2);
    snprintf(uri, sizeof uri, "/develop/gaps.csv?cohort=%lld", (long long)cohort);
    assert_int_equal(tc_get(&lead, uri), 200);
    assert_true(tc_body_has(&lead, "rank,domain_id,domain,members,mean,percent"));
    assert_true(tc_body_has(&lead, ",equality,Equality and inclusion,*,*,*"));
    assert_true(tc_body_has(&lead, ",digital,Digital leadership,10,2.5,50"));
    /* a cohort of seven: no figure anywhere */
    snprintf(uri, sizeof uri, "/api/v1/develop/gaps?cohort=%lld", (long long)small);
    assert_int_equal(tc_get(&lead, uri), 200);
    j = body_json(&lead);
    assert_true(json_is_null(json_object_get(j, "counted")));
    doms = json_object_get(j, "domains");
    for (size_t i = 0; i < json_array_size(doms); i++)
        assert_true(json_is_null(json_object_get(json_array_get(doms, i), "mean")));
    json_decref(j);
    snprintf(uri, sizeof uri, "/develop/gaps.csv?cohort=%lld", (long long)small);
    assert_int_equal(tc_get(&lead, uri), 200);
    assert_false(tc_body_has(&lead, "2.")); /* no mean at all */
    /* the organisation gives the same figures */
    snprintf(uri, sizeof uri, "/api/v1/develop/gaps?organisation=%lld", (long long)org);
    assert_int_equal(tc_get(&lead, uri), 200);
    j = body_json(&lead);
    assert_int_equal(json_integer_value(json_object_get(j, "counted")), 10);
    d = find_domain(json_object_get(j, "domains"), "digital");
    assert_true(json_number_value(json_object_get(d, "mean")) == 2.5);
    json_decref(j);
    assert_int_equal(tc_get(&lead, "/api/v1/develop/gaps?cohort=999999"), 404);
}

/* The mean of area id in a gap view (the API's), or -1 when it is not shown. */
static double gap_mean(int64_t cohort, const char *id, const char **figures)
{
    char uri[96];
    json_t *j, *d;
    double v;
    static char seen[16];
    snprintf(uri, sizeof uri, "/api/v1/develop/gaps?cohort=%lld", (long long)cohort);
    assert_int_equal(tc_get(&lead, uri), 200);
    j = body_json(&lead);
    snprintf(seen, sizeof seen, "%s", json_string_value(json_object_get(j, "figures")));
    *figures = seen;
    d = find_domain(json_object_get(j, "domains"), id);
    v = json_is_null(json_object_get(d, "mean")) ? -1
                                                 : json_number_value(json_object_get(d, "mean"));
    json_decref(j);
    return v;
}

/* Two views a member apart would give that member's ratings away (gap_release.h): the
 * cohort's view is held at the last one shown, a new cohort of the same people shows no
 * figure, and new figures come once the members differ by more than 14. */
static void test_gap_view_differencing(void **state)
{
    struct db *db = db_pool_get(app->pool);
    struct arena *a = arena_new();
    int64_t eight = 0, copy = 0, org = 0, uids[30];
    const char *figures;
    double first, held;
    char uri[96];
    (void)state;
    assert_int_equal(account_cohort_create(db, 0, "Differencing eight", "", &eight), 0);
    assert_int_equal(db_run_int(db,
                                "INSERT INTO organisations (name, created_at) VALUES ($1, 0) "
                                "RETURNING id",
                                &org, "t", "Difference Trust"),
                     0);
    for (int i = 0; i < 30; i++)
        uids[i] = assessed_member(db, a, 200 + i, i < 8 ? eight : 0, org);
    /* eight members: shown, and kept as shown */
    first = gap_mean(eight, "digital", &figures);
    assert_string_equal(figures, "now");
    assert_true(first > 0);
    /* a ninth: the view stays at the eight's figures, dated */
    assert_int_equal(account_cohort_add(db, eight, uids[8]), 0);
    held = gap_mean(eight, "digital", &figures);
    assert_string_equal(figures, "held");
    assert_true(held == first);
    snprintf(uri, sizeof uri, "/develop/gaps?cohort=%lld", (long long)eight);
    assert_int_equal(tc_get(&lead, uri), 200);
    assert_true(tc_body_has(&lead, "These figures are from"));
    assert_true(testapp_tidy(lead.res.body, lead.res.len, "gaps held") < 2);
    /* the same nine in a new cohort: no figure at all, and why */
    assert_int_equal(account_cohort_create(db, 0, "Differencing copy", "", &copy), 0);
    for (int i = 0; i < 9; i++)
        assert_int_equal(account_cohort_add(db, copy, uids[i]), 0);
    assert_true(gap_mean(copy, "digital", &figures) == -1);
    assert_string_equal(figures, "withheld");
    snprintf(uri, sizeof uri, "/develop/gaps?cohort=%lld", (long long)copy);
    assert_int_equal(tc_get(&lead, uri), 200);
    assert_true(tc_body_has(&lead, "No figures are shown for this group yet"));
    snprintf(uri, sizeof uri, "/develop/gaps.csv?cohort=%lld", (long long)copy);
    assert_int_equal(tc_get(&lead, uri), 200);
    assert_false(tc_body_has(&lead, "2.")); /* no mean at all */
    /* fifteen more: far enough from every view shown, so new figures */
    for (int i = 9; i < 24; i++)
        assert_int_equal(account_cohort_add(db, eight, uids[i]), 0);
    assert_true(gap_mean(eight, "digital", &figures) > 0);
    assert_string_equal(figures, "now");
    /* and the same set again is shown again */
    gap_mean(eight, "digital", &figures);
    assert_string_equal(figures, "now");
    /* A member deletes their account: the view is held at the figures shown before, as they
     * were, never recounted without them (which would be the set the rule refuses); and a
     * newcomer whose self-assessment gets the deleted one's id is not taken for it. */
    {
        double shown = gap_mean(eight, "digital", &figures);
        assert_int_equal(db_run(db, "DELETE FROM users WHERE id = $1", "i", uids[23]), 0);
        assert_true(gap_mean(eight, "digital", &figures) == shown);
        assert_string_equal(figures, "held");
        assessed_member(db, a, 260, eight, org);
        assert_true(gap_mean(eight, "digital", &figures) == shown);
        assert_string_equal(figures, "held");
    }
    db_pool_put(app->pool, db);
    arena_free(a);
}

/* Once the framework has a new version, last version's self-assessments are counted apart. */
static void test_gap_view_older_versions(void **state)
{
    struct test_client admin;
    char uri[96], *doc, *body;
    int64_t v1 =
        count("SELECT MAX(id) FROM develop_frameworks WHERE code = $1", "ahp-clinical-leadership");
    int64_t cohort = count("SELECT id FROM cohorts WHERE name = $1", "Programme 2027");
    json_t *req, *j;
    (void)state;
    testapp_user(app, "admin@example.test", "admin", PW);
    tc_init(&admin, app);
    assert_int_equal(tc_login(&admin, "admin@example.test", PW), 303);
    snprintf(uri, sizeof uri, "/develop/frameworks/%lld/download", (long long)v1);
    assert_int_equal(tc_get(&admin, uri), 200);
    doc = malloc(admin.res.len + 1);
    memcpy(doc, admin.res.body, admin.res.len);
    doc[admin.res.len] = '\0';
    req = json_pack("{s:s}", "definition", doc);
    body = json_dumps(req, 0);
    assert_int_equal(tc_post_json(&admin, "/api/v1/develop/frameworks", body), 201);
    free(body);
    json_decref(req);
    free(doc);
    tc_free(&admin);
    snprintf(uri, sizeof uri, "/api/v1/develop/gaps?cohort=%lld", (long long)cohort);
    assert_int_equal(tc_get(&lead, uri), 200);
    j = body_json(&lead);
    assert_int_equal(json_integer_value(json_object_get(j, "counted")), 0);
    assert_int_equal(json_integer_value(json_object_get(j, "older")), 10);
    assert_int_equal(json_integer_value(json_object_get(j, "framework_version")), 2);
    json_decref(j);
    snprintf(uri, sizeof uri, "/develop/gaps?cohort=%lld", (long long)cohort);
    assert_int_equal(tc_get(&lead, uri), 200);
    assert_true(tc_body_has(&lead, "10 members have only self-assessments on an older version"));
}

/* The plan is in the member's copy of their data, and goes with their account. */
static void test_data_rights(void **state)
{
    int64_t before = count("SELECT COUNT(*) FROM develop_goals", NULL);
    (void)state;
    assert_int_equal(tc_post_json(&other, "/api/v1/develop/plan/goals",
                                  "{\"title\": \"Speak up at the governance meeting\", "
                                  "\"domain\": \"ahp-clinical-leadership:values\", "
                                  "\"target\": \"2027-04-06\"}"),
                     201);
    assert_int_equal(tc_post_json(&other, "/api/v1/develop/plan/activities",
                                  "{\"title\": \"Read two board papers a month\", \"kind\": "
                                  "\"self-directed\", \"status\": \"done\", \"reflection\": "
                                  "\"I understand the money now.\"}"),
                     201);
    assert_int_equal(tc_get(&other, "/account/data/download"), 200);
    assert_true(tc_body_has(&other, "\"development_plan\""));
    {
        /* "no goal" and "not from the catalogue" as the plan's API says them: null */
        json_t *d = json_loadb(other.res.body, other.res.len, 0, NULL), *a;
        assert_non_null(d);
        a = json_array_get(json_object_get(json_object_get(d, "development_plan"), "activities"),
                           0);
        assert_non_null(a);
        assert_true(json_is_null(json_object_get(a, "goal_id")));
        assert_true(json_is_null(json_object_get(a, "activity_id")));
        assert_null(json_object_get(a, "goal"));
        /* dates as the plan's API gives them: ISO days, "" for none */
        assert_string_equal(json_string_value(json_object_get(a, "target")), "");
        assert_int_equal(strlen(json_string_value(json_object_get(a, "done"))), 10);
        assert_string_equal(
            json_string_value(json_object_get(
                json_array_get(json_object_get(json_object_get(d, "development_plan"), "goals"),
                               0),
                "target")),
            "2027-04-06");
        json_decref(d);
        assert_int_equal(tc_get(&other, "/api/v1/develop/plan"), 200);
        d = json_loadb(other.res.body, other.res.len, 0, NULL);
        assert_non_null(d);
        json_decref(d);
        assert_true(tc_body_has(&other, "\"goal_id\":null"));
        assert_int_equal(tc_get(&other, "/account/data/download"), 200);
    }
    assert_true(tc_body_has(&other, "Speak up at the governance meeting"));
    assert_true(tc_body_has(&other, "I understand the money now."));
    assert_false(tc_body_has(&other, "Chair the weekly huddle")); /* another member's */
    assert_int_equal(tc_post_json(&other, "/api/v1/account/delete",
                                  "{\"password\": \"correct horse battery\", \"confirm\": true}"),
                     200);
    assert_int_equal(count("SELECT COUNT(*) FROM develop_goals", NULL), before);
    assert_int_equal(count("SELECT COUNT(*) FROM develop_plan_activities WHERE title = $1",
                           "Read two board papers a month"),
                     0);
}

/* ---- every failure point of two writes: 503 "Try again" with nothing written, or all of
 * it done ---- */

static int64_t lead_id, fault_goal;

static int64_t lead_rows(const char *sql)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)lead_id);
    return count(sql, id);
}

static void run_db(const char *sql, int64_t a, int64_t b)
{
    struct db *db = db_pool_get(app->pool);
    assert_int_equal(db_run(db, sql, "ii", a, b), 0);
    db_pool_put(app->pool, db);
}

static void sweep(const char *what, void (*prepare)(void), int (*run)(void), int ok,
                  bool (*unchanged)(void), bool (*complete)(void))
{
    long calls;
    int status, failed = 0;
    prepare();
    db_fault_count_start();
    status = run();
    calls = db_fault_count();
    db_fault_after(0);
    if (status != ok || !complete())
        fail_msg("%s: %d without a fault", what, status);
    for (long n = 1; n <= calls; n++) {
        prepare();
        db_fault_after(n);
        status = run();
        db_fault_after(0);
        if (status == 503) {
            if (!tc_body_has(&lead, "Try again") || !unchanged())
                fail_msg("%s: call %ld of %ld: 503 but something was written", what, n, calls);
            failed++;
        } else if (status != ok || !complete()) {
            fail_msg("%s: call %ld of %ld failed: %d, or half done", what, n, calls, status);
        }
    }
    assert_true(failed > 0);
}

static void add_prepare(void)
{
    run_db("DELETE FROM develop_plan_activities WHERE user_id = $1 AND $2 = $2", lead_id, 0);
}
static int add_run(void)
{
    char body[64];
    snprintf(body, sizeof body, "activity=%lld",
             (long long)catalogue_id("Leadership mentoring with a senior AHP"));
    return tc_post_form(&lead, "/develop/plan/activities", body, 1);
}
static bool add_unchanged(void)
{
    return lead_rows("SELECT COUNT(*) FROM develop_plan_activities WHERE user_id = "
                     "CAST($1 AS BIGINT)") == 0;
}
static bool add_complete(void)
{
    return lead_rows("SELECT COUNT(*) FROM develop_plan_activities WHERE user_id = "
                     "CAST($1 AS BIGINT)") == 1;
}

static void delete_prepare(void)
{
    struct db *db = db_pool_get(app->pool);
    add_prepare();
    run_db("DELETE FROM develop_goals WHERE user_id = $1 AND $2 = $2", lead_id, 0);
    assert_int_equal(db_run_int(db,
                                "INSERT INTO develop_goals (user_id, title, framework_code, "
                                "domain, created_at, updated_at) VALUES ($1, 'Goal', "
                                "'ahp-clinical-leadership', 'vision', 0, 0) RETURNING id",
                                &fault_goal, "i", lead_id),
                     0);
    assert_int_equal(db_run(db,
                            "INSERT INTO develop_plan_activities (user_id, goal_id, title, kind, "
                            "created_at, updated_at) VALUES ($1, $2, 'Own', 'course', 0, 0)",
                            "ii", lead_id, fault_goal),
                     0);
    db_pool_put(app->pool, db);
}
static int delete_run(void)
{
    char uri[80];
    snprintf(uri, sizeof uri, "/develop/plan/goals/%lld/delete", (long long)fault_goal);
    return tc_post_form(&lead, uri, "", 1);
}
static bool delete_unchanged(void)
{
    return lead_rows("SELECT COUNT(*) FROM develop_plan_activities WHERE goal_id IS NOT NULL AND "
                     "user_id = CAST($1 AS BIGINT)") == 1 &&
           lead_rows("SELECT COUNT(*) FROM develop_goals WHERE user_id = CAST($1 AS BIGINT)") == 1;
}
static bool delete_complete(void)
{
    return lead_rows("SELECT COUNT(*) FROM develop_plan_activities WHERE goal_id IS NULL AND "
                     "user_id = CAST($1 AS BIGINT)") == 1 &&
           lead_rows("SELECT COUNT(*) FROM develop_goals WHERE user_id = CAST($1 AS BIGINT)") == 0;
}

static void test_writes_under_database_failure(void **state)
{
    (void)state;
    lead_id = count("SELECT id FROM users WHERE email = $1", "lead@example.test");
    sweep("add a catalogue activity", add_prepare, add_run, 303, add_unchanged, add_complete);
    sweep("delete a goal", delete_prepare, delete_run, 303, delete_unchanged, delete_complete);
}

static void page_ok(struct test_client *tc, const char *uri)
{
    assert_int_equal(tc_get(tc, uri), 200);
    assert_true(testapp_tidy(tc->res.body, tc->res.len, uri) < 2);
}

static void test_pages_pass_tidy(void **state)
{
    char uri[96];
    int64_t item = count("SELECT MIN(id) FROM develop_plan_activities", NULL);
    (void)state;
    page_ok(&member, "/develop");
    page_ok(&member, "/develop/plan");
    page_ok(&member, "/develop/plan/goals/new");
    page_ok(&member, "/develop/plan/activities/new");
    page_ok(&member, "/develop/recommendations");
    page_ok(&other, "/develop/recommendations");
    page_ok(&other, "/develop/plan");
    snprintf(uri, sizeof uri, "/develop/plan/activities/%lld", (long long)item);
    page_ok(&member, uri);
    page_ok(&lead, "/develop");
    page_ok(&lead, "/develop/gaps");
    /* a form with errors */
    assert_int_equal(tc_post_form(&member, "/develop/plan/activities",
                                  "title=&kind=x&target-day=40&target-month=1&target-year=2027", 1),
                     400);
    assert_true(testapp_tidy(member.res.body, member.res.len, "activity with errors") < 2);
}

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    member_id = testapp_user(app, "member@example.test", "member", PW);
    testapp_user(app, "other@example.test", "member", PW);
    testapp_user(app, "lead@example.test", "facilitator", PW);
    tc_init(&member, app);
    tc_init(&other, app);
    tc_init(&lead, app);
    if (tc_login(&member, "member@example.test", PW) != 303 ||
        tc_login(&other, "other@example.test", PW) != 303 ||
        tc_login(&lead, "lead@example.test", PW) != 303)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&member);
    tc_free(&other);
    tc_free(&lead);
    testapp_free(app);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_goals),
        cmocka_unit_test(test_activities),
        cmocka_unit_test(test_recommendations),
        cmocka_unit_test(test_gap_view_disclosure),
        cmocka_unit_test(test_gap_view_differencing),
        cmocka_unit_test(test_pages_pass_tidy),
        cmocka_unit_test(test_gap_view_older_versions),
        cmocka_unit_test(test_data_rights),
        cmocka_unit_test(test_writes_under_database_failure),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
