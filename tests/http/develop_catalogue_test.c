/* develop_catalogue_test.c: the catalogue of development activities, through the loopback
 *
 * The starter catalogue is there from the first start and covers every kind and every area
 * of the shipped framework. Members browse and filter it; facilitators and admins add, edit,
 * retire and restore activities, and import and export them as CSV: a file with one bad row
 * imports nothing and names the row, an exported file imports back unchanged, and rows with
 * an id change their activities. Members cannot curate. The JSON API gives figures as JSON
 * numbers. An activity a curator added is in their copy of their data and stays, unlinked,
 * when their account is deleted. Runs on SQLite and PostgreSQL.
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

#include "develop/catalogue.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct test_client member, fac, admin, anon;
static const char *PW = "correct horse battery";

static int64_t q_int(const char *sql, const char *arg)
{
    return testapp_int(app, sql, arg);
}

static json_t *body_json(const struct test_client *tc)
{
    json_t *j = json_loadb(tc->res.body, tc->res.len, 0, NULL);
    assert_non_null(j);
    return j;
}

/* The id at the end of the last answer's Location ("/develop/catalogue/12"). */
static int64_t location_id(const struct test_client *tc)
{
    const char *loc = lb_header(&tc->res, "Location");
    long long id = 0;
    assert_non_null(loc);
    assert_int_equal(sscanf(loc, "/develop/catalogue/%lld", &id), 1);
    return id;
}

/* Uploads csv as the import page's file. */
static int upload(struct test_client *tc, const char *csv)
{
    const char *hs[] = {"Content-Type: multipart/form-data; boundary=XyZ", NULL};
    size_t len = strlen(csv);
    char *body = malloc(len + 512);
    int n, status;
    assert_non_null(body);
    n = sprintf(body,
                "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n%s\r\n"
                "--XyZ\r\nContent-Disposition: form-data; name=\"csv_file\"; "
                "filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n%s\r\n--XyZ--\r\n",
                tc_csrf(tc), csv);
    status = tc_request(tc, "POST", "/develop/catalogue/import", hs, body, (size_t)n);
    free(body);
    return status;
}

/* The catalogue as the API lists it for this client with the query (after '?'). */
static json_t *list_api(struct test_client *tc, const char *query)
{
    char uri[256];
    snprintf(uri, sizeof uri, "/api/v1/develop/catalogue%s%s", *query ? "?" : "", query);
    assert_int_equal(tc_get(tc, uri), 200);
    return body_json(tc);
}

static int64_t total_of(struct test_client *tc, const char *query)
{
    json_t *j = list_api(tc, query);
    int64_t t;
    assert_true(json_is_integer(json_object_get(j, "total")));
    t = json_integer_value(json_object_get(j, "total"));
    json_decref(j);
    return t;
}

static const char *const GOOD_FORM =
    "title=Team+lead+induction+days&kind=course&provider=Your+trust%27s+learning+team"
    "&description=Two+days+for+new+team+leads.&mode=in-person&duration=2+days&hours=14"
    "&cost=paid&cost_pounds=120&region=london&link=https%3A%2F%2Fexample.org%2Finduction"
    "&fd.ahp-clinical-leadership.vision=1&fd.ahp-clinical-leadership.attention-to-staff=1"
    "&ad.ahp-digital-capability.leadership=1";

static void test_starter_covers_every_kind_and_area(void **state)
{
    FILE *f = fopen("data/frameworks/ahp-clinical-leadership.json", "rb");
    json_t *fw, *d;
    json_error_t err;
    size_t i;
    struct db *db;
    (void)state;
    assert_true(q_int("SELECT COUNT(*) FROM develop_activities", NULL) >= 20);
    for (i = 0; i < develop_activity_kinds_count; i++)
        if (q_int("SELECT COUNT(*) FROM develop_activities WHERE kind = $1",
                  develop_activity_kinds[i].code) < 1)
            fail_msg("the starter catalogue has no %s", develop_activity_kinds[i].code);
    assert_non_null(f);
    fw = json_loadf(f, 0, &err);
    fclose(f);
    assert_non_null(fw);
    assert_true(json_array_size(json_object_get(fw, "domains")) >= 9);
    json_array_foreach(json_object_get(fw, "domains"), i, d)
    {
        const char *id = json_string_value(json_object_get(d, "id"));
        if (q_int("SELECT COUNT(*) FROM develop_activity_areas WHERE source = 'framework' AND "
                  "code = 'ahp-clinical-leadership' AND domain = $1",
                  id) < 1)
            fail_msg("the starter catalogue develops nothing in %s", id);
    }
    json_decref(fw);
    /* seeding again adds nothing */
    db = db_pool_get(app->pool);
    assert_int_equal(develop_catalogue_seed(db), 0);
    db_pool_put(app->pool, db);
    assert_int_equal(q_int("SELECT COUNT(*) FROM develop_activities", NULL), 26);
}

static void test_browse_and_filter(void **state)
{
    json_t *j, *a;
    size_t i;
    (void)state;
    assert_int_equal(tc_get(&member, "/develop"), 200);
    assert_true(tc_body_has(&member, "href=\"/develop/catalogue\""));
    assert_int_equal(tc_get(&member, "/develop/catalogue"), 200);
    assert_true(tc_body_has(&member, "Development activities"));
    assert_true(tc_body_has(&member, "Leadership coaching"));
    /* this service's own activities name it as people read it, not by its code */
    assert_int_equal(tc_get(&member, "/develop/catalogue?kind=mentoring"), 200);
    assert_true(tc_body_has(&member, "<strong>Mentoring</strong> · AHP Hub</p>"));
    assert_false(tc_body_has(&member, "· ahphub"));
    assert_int_equal(
        q_int("SELECT COUNT(*) FROM develop_activities WHERE provider = 'ahphub'", NULL), 0);
    assert_int_equal(tc_get(&member, "/develop/catalogue"), 200);
    assert_false(tc_body_has(&member, "Add an activity"));
    assert_int_equal(total_of(&member, ""), 26);
    /* kind */
    j = list_api(&member, "kind=mentoring");
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 2);
    json_array_foreach(json_object_get(j, "activities"), i, a)
        assert_string_equal(json_string_value(json_object_get(a, "kind")), "mentoring");
    json_decref(j);
    /* an area */
    assert_int_equal(total_of(&member, "domain=ahp-clinical-leadership%3Adigital"),
                     q_int("SELECT COUNT(*) FROM develop_activity_areas WHERE code = "
                           "'ahp-clinical-leadership' AND domain = $1",
                           "digital"));
    assert_int_equal(total_of(&member, "domain=ahp-digital-capability%3Adata"), 1);
    /* a region: its own and national ones, not another region's */
    assert_int_equal(total_of(&member, "region=london"),
                     q_int("SELECT COUNT(*) FROM develop_activities WHERE region IN ('london', "
                           "'national') AND active = $1",
                           "1"));
    assert_true(total_of(&member, "region=london") < 26);
    assert_int_equal(total_of(&member, "region=north-west&kind=networking"), 2);
    assert_int_equal(total_of(&member, "region=london&kind=networking"), 1);
    /* free only, how it runs, and words */
    j = list_api(&member, "free=1");
    assert_true(json_integer_value(json_object_get(j, "total")) > 5);
    json_array_foreach(json_object_get(j, "activities"), i, a)
    {
        assert_true(json_is_true(json_object_get(a, "is_free")));
        assert_true(json_is_null(json_object_get(a, "cost_pounds")));
    }
    json_decref(j);
    assert_int_equal(total_of(&member, "free=1&kind=coaching"), 0);
    assert_int_equal(total_of(&member, "mode=self-paced&kind=course"), 1);
    /* two titles, and a QI project "with coaching from" its team; any case */
    assert_int_equal(total_of(&member, "q=COACHING"), 3);
    assert_int_equal(total_of(&member, "q=100%25"), 0);
    /* a filter that names nothing on the lists */
    assert_int_equal(tc_get(&member, "/develop/catalogue?kind=lecture"), 400);
    assert_true(tc_body_has(&member, "Choose a kind of activity from the list"));
    assert_int_equal(tc_get(&member, "/develop/catalogue?domain=nothing%3Ahere"), 400);
    assert_true(tc_body_has(&member, "Choose an area from the list"));
    /* pages of 20 */
    j = list_api(&member, "page=2");
    assert_int_equal(json_array_size(json_object_get(j, "activities")), 6);
    json_decref(j);
}

static void test_members_cannot_curate(void **state)
{
    int64_t id = q_int("SELECT MIN(id) FROM develop_activities", NULL);
    char uri[96];
    (void)state;
    assert_int_equal(tc_get(&member, "/develop/catalogue/new"), 403);
    assert_int_equal(tc_post_form(&member, "/develop/catalogue", GOOD_FORM, 1), 403);
    assert_int_equal(tc_get(&member, "/develop/catalogue/import"), 403);
    assert_int_equal(upload(&member, "title\nX\n"), 403);
    assert_int_equal(tc_get(&member, "/develop/catalogue/export.csv"), 403);
    snprintf(uri, sizeof uri, "/develop/catalogue/%lld/edit", (long long)id);
    assert_int_equal(tc_get(&member, uri), 403);
    snprintf(uri, sizeof uri, "/develop/catalogue/%lld", (long long)id);
    assert_int_equal(tc_post_form(&member, uri, GOOD_FORM, 1), 403);
    snprintf(uri, sizeof uri, "/develop/catalogue/%lld/retire", (long long)id);
    assert_int_equal(tc_post_form(&member, uri, "", 1), 403);
    snprintf(uri, sizeof uri, "/api/v1/develop/catalogue/%lld/retire", (long long)id);
    assert_int_equal(tc_post_json(&member, uri, "{}"), 403);
    assert_int_equal(tc_post_json(&member, "/api/v1/develop/catalogue", "{\"title\": \"x\"}"), 403);
    assert_int_equal(tc_get(&anon, "/api/v1/develop/catalogue"), 401);
    assert_int_equal(q_int("SELECT COUNT(*) FROM develop_activities WHERE active = $1", "0"), 0);
}

static void test_add_edit_retire_restore(void **state)
{
    int64_t id;
    char uri[96], form[1024];
    (void)state;
    assert_int_equal(tc_get(&fac, "/develop/catalogue/new"), 200);
    assert_true(tc_body_has(&fac, "Vision and direction") || tc_body_has(&fac, "vision"));
    /* mistakes come back with what was typed */
    assert_int_equal(tc_post_form(&fac, "/develop/catalogue",
                                  "title=Kept+title&kind=lecture&cost=paid&hours=lots&link=ftp%3A"
                                  "%2F%2Fx&fd.ahp-clinical-leadership.vision=1",
                                  1),
                     400);
    assert_true(tc_body_has(&fac, "There is a problem"));
    assert_true(tc_body_has(&fac, "value=\"Kept title\""));
    assert_true(tc_body_has(&fac, "“lecture” is not a kind of activity"));
    assert_true(tc_body_has(&fac, "Enter who provides it"));
    assert_true(tc_body_has(&fac, "Enter the cost in pounds"));
    assert_true(tc_body_has(&fac, "Enter the hours as a number"));
    assert_true(tc_body_has(&fac, "starting with https://"));
    assert_true(tc_body_has(&fac, "id=\"fd-ahp-clinical-leadership-vision\" "
                                  "name=\"fd.ahp-clinical-leadership.vision\" type=\"checkbox\" "
                                  "value=\"1\" checked"));
    assert_int_equal(
        q_int("SELECT COUNT(*) FROM develop_activities WHERE title = $1", "Kept title"), 0);
    /* a good one */
    assert_int_equal(tc_post_form(&fac, "/develop/catalogue", GOOD_FORM, 1), 303);
    id = location_id(&fac);
    snprintf(uri, sizeof uri, "/develop/catalogue/%lld", (long long)id);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "The activity has been saved"));
    assert_true(tc_body_has(&fac, "Team lead induction days"));
    assert_true(tc_body_has(&fac, "£120"));
    assert_true(tc_body_has(&fac, "Vision and direction") ||
                tc_body_has(&fac, "Setting vision and direction"));
    assert_true(tc_body_has(&fac, "Digital leadership"));
    assert_true(tc_body_has(&fac, "London"));
    assert_int_equal(tc_get(&member, uri), 200);
    assert_false(tc_body_has(&member, "Retire the activity"));
    /* edit: the form shows what is stored; saving replaces it, areas included */
    snprintf(uri, sizeof uri, "/develop/catalogue/%lld/edit", (long long)id);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "value=\"Team lead induction days\""));
    assert_true(tc_body_has(&fac, "value=\"120\""));
    snprintf(uri, sizeof uri, "/develop/catalogue/%lld", (long long)id);
    snprintf(form, sizeof form, "%s",
             "title=Team+lead+induction&kind=course&provider=Your+trust&description=Two+days."
             "&mode=online&cost=free&region=national&fd.ahp-clinical-leadership.values=1");
    assert_int_equal(tc_post_form(&admin, uri, form, 1), 303);
    {
        char sid[24];
        snprintf(sid, sizeof sid, "%lld", (long long)id);
        assert_int_equal(q_int("SELECT COUNT(*) FROM develop_activity_areas WHERE "
                               "activity_id = CAST($1 AS BIGINT)",
                               sid),
                         1);
        assert_int_equal(q_int("SELECT cost_pence FROM develop_activities WHERE id = CAST($1 AS "
                               "BIGINT)",
                               sid),
                         0);
    }
    /* retire: members no longer find it, curators still do */
    snprintf(uri, sizeof uri, "/develop/catalogue/%lld/retire", (long long)id);
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 303);
    snprintf(uri, sizeof uri, "/develop/catalogue/%lld", (long long)id);
    assert_int_equal(tc_get(&member, uri), 404);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "Restore the activity"));
    assert_int_equal(tc_get(&member, "/develop/catalogue?q=induction"), 200);
    assert_false(tc_body_has(&member, "Team lead induction"));
    assert_int_equal(total_of(&member, "q=induction"), 0);
    assert_int_equal(total_of(&fac, "q=induction"), 1);
    assert_int_equal(tc_get(&fac, "/develop/catalogue?q=induction"), 200);
    assert_true(tc_body_has(&fac, "Retired"));
    /* an edit keeps it retired */
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 303);
    assert_int_equal(tc_get(&member, uri), 404);
    /* restore */
    snprintf(uri, sizeof uri, "/develop/catalogue/%lld/restore", (long long)id);
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 303);
    assert_int_equal(total_of(&member, "q=induction"), 1);
    /* one that does not exist */
    assert_int_equal(tc_post_form(&fac, "/develop/catalogue/999999/retire", "", 1), 404);
    assert_int_equal(tc_post_form(&fac, "/develop/catalogue/999999", form, 1), 404);
    assert_int_equal(tc_get(&member, "/develop/catalogue/999999"), 404);
}

static void test_json_api(void **state)
{
    json_t *j, *act, *fd;
    int64_t id;
    char uri[96];
    (void)state;
    assert_int_equal(
        tc_post_json(&fac, "/api/v1/develop/catalogue",
                     "{\"title\": \"Board shadowing day\", \"kind\": \"shadowing\", "
                     "\"provider\": \"Your trust\", \"description\": \"A day with the board.\", "
                     "\"mode\": \"in-person\", \"hours\": 7.5, \"cost\": \"paid\", "
                     "\"cost_pounds\": 149.99, \"region\": \"south-west\", "
                     "\"framework_domains\": [\"ahp-clinical-leadership:system\", "
                     "{\"framework\": \"ahp-clinical-leadership\", \"domain\": \"values\"}], "
                     "\"assess_domains\": \"wgll-organisation:well-led\"}"),
        201);
    j = body_json(&fac);
    act = json_object_get(j, "activity");
    assert_true(json_is_integer(json_object_get(act, "id")));
    id = json_integer_value(json_object_get(act, "id"));
    assert_true(json_is_number(json_object_get(act, "hours")));
    assert_true(json_number_value(json_object_get(act, "hours")) == 7.5);
    assert_true(json_is_number(json_object_get(act, "cost_pounds")));
    assert_true(json_number_value(json_object_get(act, "cost_pounds")) == 149.99);
    assert_string_equal(json_string_value(json_object_get(act, "cost_text")), "£149.99");
    assert_true(json_is_true(json_object_get(act, "active")));
    fd = json_object_get(act, "framework_domains");
    assert_int_equal(json_array_size(fd), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(fd, 0), "framework")),
                        "ahp-clinical-leadership");
    assert_int_equal(json_array_size(json_object_get(act, "assess_domains")), 1);
    json_decref(j);
    /* read back, by itself and in the list */
    snprintf(uri, sizeof uri, "/api/v1/develop/catalogue/%lld", (long long)id);
    assert_int_equal(tc_get(&member, uri), 200);
    j = body_json(&member);
    act = json_object_get(j, "activity");
    assert_int_equal(json_integer_value(json_object_get(act, "id")), id);
    assert_string_equal(json_string_value(json_object_get(act, "region_name")), "South West");
    json_decref(j);
    j = list_api(&member, "q=board+shadowing");
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
    assert_true(json_is_integer(
        json_object_get(json_array_get(json_object_get(j, "activities"), 0), "id")));
    json_decref(j);
    /* retire and restore answer JSON */
    snprintf(uri, sizeof uri, "/api/v1/develop/catalogue/%lld/retire", (long long)id);
    assert_int_equal(tc_post_json(&fac, uri, "{}"), 200);
    j = body_json(&fac);
    assert_true(json_is_false(json_object_get(j, "active")));
    json_decref(j);
    snprintf(uri, sizeof uri, "/api/v1/develop/catalogue/%lld/restore", (long long)id);
    assert_int_equal(tc_post_json(&fac, uri, "{}"), 200);
    /* mistakes: 400, each field named */
    assert_int_equal(tc_post_json(&fac, "/api/v1/develop/catalogue",
                                  "{\"title\": \"X\", \"kind\": \"course\", \"provider\": \"P\", "
                                  "\"description\": \"D\", \"mode\": \"online\", \"cost\": "
                                  "\"paid\", \"cost_pounds\": 1.234, \"region\": \"mars\", "
                                  "\"framework_domains\": [\"ahp-clinical-leadership:nope\"]}"),
                     400);
    j = body_json(&fac);
    assert_non_null(json_object_get(json_object_get(j, "errors"), "cost_pounds"));
    assert_non_null(json_object_get(json_object_get(j, "errors"), "region"));
    assert_non_null(json_object_get(json_object_get(j, "errors"), "framework_domains"));
    json_decref(j);
    /* a box's name that cannot name an area (no area id after the code), ticked or not, is
     * refused by name, and nothing is added */
    {
        int64_t before = q_int("SELECT COUNT(*) FROM develop_activities", NULL);
        static const char *const bad[] = {"\"fd.ahp-clinical-leadership\": true",
                                          "\"ad.ahp-digital-capability\": false"};
        for (size_t i = 0; i < 2; i++) {
            char body[600], named[80];
            snprintf(body, sizeof body,
                     "{\"title\": \"Named nothing\", \"kind\": \"course\", \"provider\": "
                     "\"P\", \"description\": \"D\", \"mode\": \"online\", \"cost\": "
                     "\"free\", \"region\": \"national\", %s}",
                     bad[i]);
            assert_int_equal(tc_post_json(&fac, "/api/v1/develop/catalogue", body), 400);
            snprintf(named, sizeof named, "\"field\":\"%.*s\"",
                     (int)(strchr(bad[i] + 1, '"') - bad[i] - 1), bad[i] + 1);
            assert_true(tc_body_has(&fac, named));
            assert_true(tc_body_has(&fac, "names no area"));
        }
        assert_int_equal(q_int("SELECT COUNT(*) FROM develop_activities", NULL), before);
    }
}

static const char *const HEAD =
    "title,kind,provider,description,mode,duration,hours,cost,region,link,framework_domains,"
    "assess_domains,status\n";

static void test_import_bad_row_creates_nothing(void **state)
{
    int64_t before = q_int("SELECT COUNT(*) FROM develop_activities", NULL);
    char csv[2048];
    json_t *j, *s;
    (void)state;
    assert_int_equal(tc_get(&fac, "/develop/catalogue/import"), 200);
    snprintf(csv, sizeof csv,
             "%sImported one,course,Faculty,A course.,online,,,free,national,,"
             "ahp-clinical-leadership:vision,,\n"
             "Imported two,lecture,Faculty,A talk.,online,,,free,national,,,,\n"
             "Imported three,coaching,Faculty,Coaching.,online,,,£abc,national,,,,\n",
             HEAD);
    assert_int_equal(upload(&fac, csv), 400);
    assert_true(tc_body_has(&fac, "Nothing was imported"));
    assert_true(tc_body_has(&fac, "Row 3, kind: “lecture” is not a kind of activity"));
    assert_true(tc_body_has(&fac, "Row 4, cost:"));
    assert_false(tc_body_has(&fac, "Row 2"));
    assert_int_equal(q_int("SELECT COUNT(*) FROM develop_activities", NULL), before);
    /* an unknown column and an id that does not exist */
    assert_int_equal(upload(&fac, "title,colour\nX,red\n"), 400);
    assert_true(tc_body_has(&fac, "Row 1: “colour” is not a column"));
    assert_int_equal(upload(&fac, "id,title,kind,provider,description,mode,cost,region\n"
                                  "999999,X,course,P,D,online,free,national\n"),
                     400);
    assert_true(tc_body_has(&fac, "Row 2, id: there is no activity 999999"));
    /* the same through the API */
    s = json_pack("{s:s}", "csv", "title,kind\nX,course\n");
    {
        char *body = json_dumps(s, 0);
        assert_int_equal(tc_post_json(&fac, "/api/v1/develop/catalogue/import", body), 400);
        free(body);
    }
    json_decref(s);
    j = body_json(&fac);
    assert_true(json_array_size(json_object_get(j, "import_errors")) >= 3);
    json_decref(j);
    assert_int_equal(q_int("SELECT COUNT(*) FROM develop_activities", NULL), before);
    /* nothing at all */
    assert_int_equal(tc_post_form(&fac, "/develop/catalogue/import", "", 1), 400);
    assert_true(tc_body_has(&fac, "Choose a CSV file of activities"));
}

static void test_import_good_and_update_by_id(void **state)
{
    int64_t before = q_int("SELECT COUNT(*) FROM develop_activities", NULL), id;
    char csv[2048], sid[24];
    json_t *s, *j;
    char *body;
    (void)state;
    snprintf(csv, sizeof csv,
             "%sImported course,Course,Faculty,\"A course, with a comma.\",Online,6 weeks,"
             "12.5,£1250,London,https://example.org/c,ahp-clinical-leadership:vision; "
             "ahp-clinical-leadership:equality,,active\n"
             "Imported network,networking,ahphub,A network.,online,,,funded by employer,"
             "national,,ahp-clinical-leadership:system,,retired\n",
             HEAD);
    assert_int_equal(upload(&fac, csv), 303);
    assert_int_equal(tc_get(&fac, "/develop/catalogue"), 200);
    assert_true(tc_body_has(&fac, "The activities have been imported"));
    assert_int_equal(q_int("SELECT COUNT(*) FROM develop_activities", NULL), before + 2);
    id = q_int("SELECT id FROM develop_activities WHERE title = $1", "Imported course");
    assert_true(id > 0);
    assert_int_equal(
        q_int("SELECT hours_x100 FROM develop_activities WHERE title = $1", "Imported course"),
        1250);
    assert_int_equal(
        q_int("SELECT cost_pence FROM develop_activities WHERE title = $1", "Imported course"),
        125000);
    assert_int_equal(
        q_int("SELECT active FROM develop_activities WHERE title = $1", "Imported network"), 0);
    /* update by id through the API: a new title, the areas replaced */
    snprintf(csv, sizeof csv,
             "id,title,kind,provider,description,mode,cost,region,framework_domains\n"
             "%lld,Imported course (revised),course,Faculty,Revised.,blended,free,national,"
             "ahp-clinical-leadership:digital\n",
             (long long)id);
    s = json_pack("{s:s}", "csv", csv);
    body = json_dumps(s, 0);
    assert_int_equal(tc_post_json(&admin, "/api/v1/develop/catalogue/import", body), 200);
    free(body);
    json_decref(s);
    j = body_json(&admin);
    assert_int_equal(json_integer_value(json_object_get(j, "created")), 0);
    assert_int_equal(json_integer_value(json_object_get(j, "updated")), 1);
    json_decref(j);
    snprintf(sid, sizeof sid, "%lld", (long long)id);
    assert_int_equal(q_int("SELECT COUNT(*) FROM develop_activities WHERE title = $1",
                           "Imported course (revised)"),
                     1);
    assert_int_equal(q_int("SELECT COUNT(*) FROM develop_activity_areas WHERE activity_id = "
                           "CAST($1 AS BIGINT)",
                           sid),
                     1);
    assert_int_equal(q_int("SELECT COUNT(*) FROM develop_activities", NULL), before + 2);
}

static void test_export_import_round_trip(void **state)
{
    char *first;
    size_t n = q_int("SELECT COUNT(*) FROM develop_activities", NULL);
    json_t *s, *j;
    char *body;
    (void)state;
    assert_int_equal(tc_get(&fac, "/develop/catalogue/export.csv"), 200);
    assert_non_null(strstr(lb_header(&fac.res, "Content-Type"), "text/csv"));
    assert_true(tc_body_has(&fac, "id,title,kind,provider,description,mode,duration,hours,cost,"
                                  "region,link,framework_domains,assess_domains,status\n"));
    assert_true(tc_body_has(&fac, "retired"));
    first = strndup(fac.res.body, fac.res.len);
    assert_non_null(first);
    s = json_pack("{s:s}", "csv", first);
    body = json_dumps(s, 0);
    assert_int_equal(tc_post_json(&fac, "/api/v1/develop/catalogue/import", body), 200);
    free(body);
    json_decref(s);
    j = body_json(&fac);
    assert_int_equal(json_integer_value(json_object_get(j, "created")), 0);
    assert_int_equal(json_integer_value(json_object_get(j, "updated")), (json_int_t)n);
    json_decref(j);
    assert_int_equal(tc_get(&fac, "/develop/catalogue/export.csv"), 200);
    assert_int_equal(fac.res.len, strlen(first));
    assert_memory_equal(fac.res.body, first, fac.res.len);
    free(first);
}

static void test_data_rights(void **state)
{
    struct test_client cur;
    json_t *doc, *list, *e;
    size_t i;
    bool found = false;
    (void)state;
    testapp_user(app, "curator@example.test", "facilitator", PW);
    tc_init(&cur, app);
    assert_int_equal(tc_login(&cur, "curator@example.test", PW), 303);
    assert_int_equal(tc_post_form(&cur, "/develop/catalogue",
                                  "title=Curator%27s+own+course&kind=course&provider=P"
                                  "&description=D&mode=online&cost=free&region=national",
                                  1),
                     303);
    assert_int_equal(tc_get(&cur, "/account/data/download"), 200);
    doc = body_json(&cur);
    list = json_object_get(json_object_get(doc, "develop"), "catalogue_activities");
    json_array_foreach(list, i, e) found =
        found || !strcmp(json_string_value(json_object_get(e, "title")), "Curator's own course");
    assert_true(found);
    json_decref(doc);
    assert_int_equal(
        tc_post_form(&cur, "/account/delete", "password=correct+horse+battery&confirm=1", 1), 200);
    assert_int_equal(q_int("SELECT COUNT(*) FROM develop_activities WHERE title = $1 AND "
                           "created_by IS NULL AND updated_by IS NULL",
                           "Curator's own course"),
                     1);
    assert_int_equal(q_int("SELECT COUNT(*) FROM users WHERE email = $1", "curator@example.test"),
                     0);
    tc_free(&cur);
}

/* Every database call of an import and of an addition, failing in turn: the answer is 503
 * "Try again" with nothing written, or the normal answer with everything written. */
static void test_failed_writes_write_nothing(void **state)
{
    const char *csv = "{\"csv\": \"title,kind,provider,description,mode,cost,region,"
                      "framework_domains\\nFault one,course,P,D,online,free,national,"
                      "ahp-clinical-leadership:vision\\nFault two,coaching,P,D,online,free,"
                      "london,\\n\"}";
    const char *form = "title=Fault+three&kind=course&provider=P&description=D&mode=online"
                       "&cost=free&region=national&fd.ahp-clinical-leadership.values=1";
    int64_t before = q_int("SELECT COUNT(*) FROM develop_activities", NULL);
    int64_t areas = q_int("SELECT COUNT(*) FROM develop_activity_areas", NULL);
    long n, calls;
    int status = 0;
    (void)state;
    for (int which = 0; which < 2; which++) {
        calls = 0;
        for (n = 1; n < 200; n++) {
            db_fault_after(n);
            status = which ? tc_post_form(&fac, "/develop/catalogue", form, 1)
                           : tc_post_json(&fac, "/api/v1/develop/catalogue/import", csv);
            db_fault_after(0);
            if (status != 503)
                break;
            assert_true(tc_body_has(&fac, "Try again") || tc_body_has(&fac, "try again"));
            assert_int_equal(q_int("SELECT COUNT(*) FROM develop_activities", NULL), before);
            assert_int_equal(q_int("SELECT COUNT(*) FROM develop_activity_areas", NULL), areas);
            calls++;
        }
        assert_int_equal(status, which ? 303 : 200);
        assert_true(calls > 3);
        before += which ? 1 : 2;
        areas += 1;
        assert_int_equal(q_int("SELECT COUNT(*) FROM develop_activities", NULL), before);
        assert_int_equal(q_int("SELECT COUNT(*) FROM develop_activity_areas", NULL), areas);
    }
}

static void test_pages_pass_tidy(void **state)
{
    char uri[96];
    int64_t id = q_int("SELECT MIN(id) FROM develop_activities", NULL);
    (void)state;
    assert_int_equal(tc_get(&member, "/develop/catalogue"), 200);
    assert_true(testapp_tidy(member.res.body, member.res.len, "catalogue") < 2);
    snprintf(uri, sizeof uri, "/develop/catalogue/%lld", (long long)id);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "activity") < 2);
    assert_int_equal(tc_post_form(&fac, "/develop/catalogue", "title=", 1), 400);
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "form with errors") < 2);
    assert_int_equal(upload(&fac, "title,kind\nX,lecture\n"), 400);
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "import with errors") < 2);
    assert_int_equal(tc_get(&member, "/develop/catalogue?kind=lecture"), 400);
    assert_true(testapp_tidy(member.res.body, member.res.len, "filter with an error") < 2);
}

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    testapp_user(app, "member@example.test", "member", PW);
    testapp_user(app, "fac@example.test", "facilitator", PW);
    testapp_user(app, "admin@example.test", "admin", PW);
    tc_init(&member, app);
    tc_init(&fac, app);
    tc_init(&admin, app);
    tc_init(&anon, app);
    if (tc_login(&member, "member@example.test", PW) != 303 ||
        tc_login(&fac, "fac@example.test", PW) != 303 ||
        tc_login(&admin, "admin@example.test", PW) != 303)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&member);
    tc_free(&fac);
    tc_free(&admin);
    tc_free(&anon);
    testapp_free(app);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_starter_covers_every_kind_and_area),
        cmocka_unit_test(test_browse_and_filter),
        cmocka_unit_test(test_members_cannot_curate),
        cmocka_unit_test(test_add_edit_retire_restore),
        cmocka_unit_test(test_json_api),
        cmocka_unit_test(test_import_bad_row_creates_nothing),
        cmocka_unit_test(test_import_good_and_update_by_id),
        cmocka_unit_test(test_export_import_round_trip),
        cmocka_unit_test(test_data_rights),
        cmocka_unit_test(test_failed_writes_write_nothing),
        cmocka_unit_test(test_pages_pass_tidy),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
