/* org_test.c: organisations through the loopback — the admin's list, adding, changing and
 * merging them, the account page's typed choice, and the Assess start form prefilled with a
 * member's details
 *
 * The merge test builds what a merge must move (members, a round run for the organisation,
 * invitation links, responses through them and chosen on the form, a cached benchmark) and
 * checks each moved; it also lists the schema's references to organisations, so a table
 * added later with one fails here until the merge moves it. Runs on SQLite and PostgreSQL.
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
#include "account/org.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct test_client admin, fac, member;
static int64_t member_id;
static const char *PW = "correct horse battery";

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    testapp_user(app, "admin@example.test", "admin", PW);
    testapp_user(app, "fac@example.test", "facilitator", PW);
    member_id = testapp_user(app, "member@example.test", "member", PW);
    tc_init(&admin, app);
    tc_init(&fac, app);
    tc_init(&member, app);
    if (tc_login(&admin, "admin@example.test", PW) != 303 ||
        tc_login(&fac, "fac@example.test", PW) != 303 ||
        tc_login(&member, "member@example.test", PW) != 303)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_fault_after(0);
    tc_free(&admin);
    tc_free(&fac);
    tc_free(&member);
    testapp_free(app);
    return 0;
}

static int64_t q_int(const char *sql, const char *arg)
{
    return testapp_int(app, sql, arg);
}

static int64_t q_int2(const char *sql, int64_t a, int64_t b)
{
    struct db *db = db_pool_get(app->pool);
    struct db_stmt *st = NULL;
    int64_t n = -1;
    if (db_row(db, sql, &st, "ii", a, b) == 0)
        n = db_col_int(st, 0);
    db_finalize(st);
    db_pool_put(app->pool, db);
    return n;
}

static int64_t q_int1(const char *sql, int64_t a)
{
    struct db *db = db_pool_get(app->pool);
    struct db_stmt *st = NULL;
    int64_t n = -1;
    if (db_row(db, sql, &st, "i", a) == 0)
        n = db_col_int(st, 0);
    db_finalize(st);
    db_pool_put(app->pool, db);
    return n;
}

/* The first column of the first row as text, in out ("" when none). */
static void q_text(const char *sql, int64_t a, int64_t b, char *out, size_t n)
{
    struct db *db = db_pool_get(app->pool);
    struct db_stmt *st = NULL;
    out[0] = '\0';
    if (db_row(db, sql, &st, "ii", a, b) == 0)
        snprintf(out, n, "%s", db_col_text(st, 0));
    db_finalize(st);
    db_pool_put(app->pool, db);
}

static int64_t org_id(const char *name)
{
    return q_int("SELECT id FROM organisations WHERE name = $1", name);
}

static int64_t org_count(void)
{
    return q_int("SELECT count(*) FROM organisations", NULL);
}

/* Adds an organisation through the admin's form; returns the status. */
static int add_org(const char *form)
{
    assert_int_equal(tc_get(&admin, "/admin/organisations/new"), 200);
    return tc_post_form(&admin, "/admin/organisations", form, 1);
}

static void page_tidy(struct test_client *tc, const char *what)
{
    assert_true(testapp_tidy(tc->res.body, tc->res.len, what) <= 1);
}

static void test_add_list_search(void **state)
{
    char uri[128];
    (void)state;
    assert_int_equal(add_org("name=Airedale+Test+Trust&ods_code=+rx1+&region=north-east-yorkshire"),
                     303);
    assert_non_null(strstr(lb_header(&admin.res, "Location"), "/admin/organisations?q="));
    assert_int_equal(q_int("SELECT count(*) FROM organisations WHERE name = $1 AND ods_code = "
                           "'RX1' AND region = 'north-east-yorkshire' AND updated_at > 0",
                           "Airedale Test Trust"),
                     1);
    assert_int_equal(tc_get(&admin, "/admin/organisations?q=airedale"), 200);
    assert_true(tc_body_has(&admin, "The organisation has been saved"));
    assert_true(tc_body_has(&admin, "Airedale Test Trust"));
    assert_true(tc_body_has(&admin, "RX1"));
    assert_true(tc_body_has(&admin, "North East and Yorkshire"));
    page_tidy(&admin, "organisations");
    /* by ODS code, in any case; the count of members is a number in the API */
    testapp_user(app, "airedale@example.test", "member", PW);
    {
        struct test_client m;
        char form[96];
        tc_init(&m, app);
        assert_int_equal(tc_login(&m, "airedale@example.test", PW), 303);
        snprintf(form, sizeof form, "display_name=Aire&organisation=%lld",
                 (long long)org_id("Airedale Test Trust"));
        assert_int_equal(tc_post_form(&m, "/account/profile", form, 1), 303);
        tc_free(&m);
    }
    assert_int_equal(tc_get_json(&admin, "/admin/organisations?q=rX1"), 200);
    assert_true(tc_body_has(&admin, "\"name\":\"Airedale Test Trust\""));
    assert_true(tc_body_has(&admin, "\"members\":1"));
    assert_true(tc_body_has(&admin, "\"total\":1"));
    /* JSON in and out */
    assert_int_equal(tc_post_json(&admin, "/api/v1/admin/organisations",
                                  "{\"name\":\"Bradwell Test Board\",\"ods_code\":\"QX2\","
                                  "\"region\":\"midlands\"}"),
                     201);
    assert_true(tc_body_has(&admin, "\"ods_code\":\"QX2\""));
    assert_true(tc_body_has(&admin, "\"members\":0"));
    /* the audit log says what was added */
    assert_int_equal(tc_get(&admin, "/api/v1/admin/audit"), 200);
    assert_true(tc_body_has(&admin, "\"event\":\"org_created\""));
    assert_int_equal(tc_get(&admin, "/admin/audit"), 200);
    assert_true(tc_body_has(&admin, "Added “Bradwell Test Board” (QX2, Midlands)"));
    /* paginated like the users */
    for (int i = 0; i < 26; i++) {
        char body[128];
        snprintf(body, sizeof body, "{\"name\":\"Paged Test Trust %02d\"}", i);
        assert_int_equal(tc_post_json(&admin, "/api/v1/admin/organisations", body), 201);
    }
    assert_int_equal(tc_get(&admin, "/admin/organisations?q=paged"), 200);
    assert_true(tc_body_has(&admin, "Page 1 of 2"));
    assert_false(tc_body_has(&admin, "Paged Test Trust 25"));
    snprintf(uri, sizeof uri, "/admin/organisations?q=paged&page=2");
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(tc_body_has(&admin, "Paged Test Trust 25"));
    assert_false(tc_body_has(&admin, "Paged Test Trust 00"));
}

static void test_edit(void **state)
{
    char uri[96];
    int64_t id;
    (void)state;
    assert_int_equal(add_org("name=Calder+Test+Trust&ods_code=RC1"), 303);
    id = org_id("Calder Test Trust");
    snprintf(uri, sizeof uri, "/admin/organisations/%lld/edit", (long long)id);
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(tc_body_has(&admin, "value=\"Calder Test Trust\""));
    assert_true(tc_body_has(&admin, "value=\"RC1\""));
    page_tidy(&admin, "organisation edit");
    /* one member: "1 member says", not "1 members say" */
    {
        struct db *db = db_pool_get(app->pool);
        assert_int_equal(db_run(db, "UPDATE users SET organisation_id = $1 WHERE id = $2", "ii", id,
                                testapp_user(app, "calder1@example.test", "member", PW)),
                         0);
        db_pool_put(app->pool, db);
    }
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(tc_body_has(&admin, "1 member says they work here."));
    snprintf(uri, sizeof uri, "/admin/organisations/%lld", (long long)id);
    assert_int_equal(
        tc_post_form(&admin, uri, "name=Calder+Valley+Test+Trust&ods_code=RC12&region=london", 1),
        303);
    assert_int_equal(org_id("Calder Valley Test Trust"), id);
    assert_int_equal(q_int("SELECT count(*) FROM organisations WHERE ods_code = $1", "RC12"), 1);
    assert_int_equal(tc_get(&admin, "/api/v1/admin/audit"), 200);
    assert_true(tc_body_has(&admin, "\"event\":\"org_renamed\""));
    assert_int_equal(tc_get(&admin, "/admin/audit"), 200);
    assert_true(tc_body_has(&admin, "Changed “Calder Test Trust” (RC1) to “Calder Valley Test "
                                    "Trust” (RC12, London)"));
    /* the API, and removing the ODS code */
    snprintf(uri, sizeof uri, "/api/v1/admin/organisations/%lld", (long long)id);
    assert_int_equal(tc_post_json(&admin, uri, "{\"name\":\"Calder Valley Test Trust\"}"), 200);
    assert_true(tc_body_has(&admin, "\"ods_code\":\"\""));
    assert_int_equal(q_int("SELECT count(*) FROM organisations WHERE name = $1 AND ods_code IS "
                           "NULL AND region = ''",
                           "Calder Valley Test Trust"),
                     1);
    assert_int_equal(
        tc_post_json(&admin, "/api/v1/admin/organisations/999999", "{\"name\":\"Nobody\"}"), 404);
}

static void test_duplicates_refused(void **state)
{
    char uri[96];
    int64_t before, id;
    (void)state;
    assert_int_equal(add_org("name=Denholme+Test+Trust&ods_code=RD1"), 303);
    assert_int_equal(add_org("name=Elland+Test+Trust&ods_code=RE1"), 303);
    before = org_count();
    /* the same name in another case */
    assert_int_equal(add_org("name=DENHOLME+test+trust&ods_code=RD9&region=london"), 400);
    assert_true(tc_body_has(&admin, "There is already an organisation with this name"));
    assert_true(tc_body_has(&admin, "nhsuk-error-summary"));
    assert_true(tc_body_has(&admin, "value=\"DENHOLME test trust\""));
    assert_true(tc_body_has(&admin, "value=\"RD9\""));
    assert_true(tc_body_has(&admin, "<option value=\"london\" selected>"));
    page_tidy(&admin, "organisation form with errors");
    /* an ODS code another has */
    assert_int_equal(add_org("name=Fixby+Test+Trust&ods_code=rd1"), 400);
    assert_true(tc_body_has(&admin, "Another organisation already has the ODS code rd1"));
    assert_true(tc_body_has(&admin, "value=\"Fixby Test Trust\""));
    assert_int_equal(org_count(), before);
    /* the same on a change, and through the API */
    id = org_id("Elland Test Trust");
    snprintf(uri, sizeof uri, "/admin/organisations/%lld", (long long)id);
    assert_int_equal(tc_post_form(&admin, uri, "name=Elland+Test+Trust&ods_code=RD1", 1), 400);
    assert_true(tc_body_has(&admin, "Another organisation already has the ODS code RD1"));
    assert_true(tc_body_has(&admin, "value=\"RD1\""));
    assert_int_equal(tc_post_form(&admin, uri, "name=Denholme+Test+Trust&ods_code=RE1", 1), 400);
    assert_true(tc_body_has(&admin, "There is already an organisation with this name"));
    assert_int_equal(q_int("SELECT count(*) FROM organisations WHERE name = $1 AND ods_code = "
                           "'RE1'",
                           "Elland Test Trust"),
                     1);
    assert_int_equal(tc_post_json(&admin, "/api/v1/admin/organisations",
                                  "{\"name\":\"Fixby Test Trust\",\"ods_code\":\"RE1\"}"),
                     400);
    assert_true(tc_body_has(&admin, "\"ods_code\":\"Another organisation already has"));
    /* a change to its own name and code is no clash */
    assert_int_equal(tc_post_form(&admin, uri, "name=Elland+Test+Trust&ods_code=re1", 1), 303);
    assert_int_equal(org_count(), before);
}

static void test_invalid_ods_code(void **state)
{
    static const char *const bad[] = {"R-J1", "AB", "ABCDEFGHIJK", "RJ%C3%A91"};
    int64_t before = org_count();
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char form[128];
        snprintf(form, sizeof form, "name=Gomersal+Test+Trust&ods_code=%s", bad[i]);
        assert_int_equal(add_org(form), 400);
        assert_true(tc_body_has(&admin, "Enter an ODS code of 3 to 10 letters and numbers"));
        assert_true(tc_body_has(&admin, "value=\"Gomersal Test Trust\""));
    }
    assert_true(tc_body_has(&admin, "value=\"RJé1\""));
    assert_int_equal(add_org("name=Gomersal+Test+Trust&region=atlantis"), 400);
    assert_true(tc_body_has(&admin, "Select a region from the list"));
    assert_int_equal(add_org("name=&ods_code=RG1"), 400);
    assert_true(tc_body_has(&admin, "Enter the organisation"));
    assert_true(tc_body_has(&admin, "value=\"RG1\""));
    /* a blank name and a bad ODS code: both errors at once */
    assert_int_equal(add_org("name=+&ods_code=R-G1"), 400);
    assert_true(tc_body_has(&admin, "Enter the organisation"));
    assert_true(tc_body_has(&admin, "Enter an ODS code of 3 to 10 letters and numbers"));
    assert_int_equal(org_count(), before);
}

/* Members, and facilitators, are refused every organisation page and write. */
static void test_only_admins(void **state)
{
    static const char *const gets[] = {
        "/admin/organisations", "/admin/organisations/new", "/admin/organisations/1/edit",
        "/admin/organisations/1/merge", "/admin/organisations/1/merge?into=2"};
    static const char *const posts[] = {"/admin/organisations", "/admin/organisations/1",
                                        "/admin/organisations/1/merge"};
    struct test_client *who[] = {&member, &fac};
    int64_t before = org_count();
    (void)state;
    assert_int_equal(add_org("name=Hipperholme+Test+Trust"), 303);
    assert_int_equal(add_org("name=Idle+Test+Trust"), 303);
    before = org_count();
    for (size_t w = 0; w < 2; w++) {
        for (size_t i = 0; i < sizeof gets / sizeof gets[0]; i++) {
            char uri[128];
            assert_int_equal(tc_get(who[w], gets[i]), 403);
            snprintf(uri, sizeof uri, "/api/v1%s", gets[i]);
            assert_int_equal(tc_get(who[w], uri), 403);
        }
        for (size_t i = 0; i < sizeof posts / sizeof posts[0]; i++) {
            char uri[128];
            assert_int_equal(
                tc_post_form(who[w], posts[i], "name=Taken+Over&into=2&confirm=yes", 1), 403);
            snprintf(uri, sizeof uri, "/api/v1%s", posts[i]);
            assert_int_equal(
                tc_post_json(who[w], uri, "{\"name\":\"Taken Over\",\"into\":2,\"confirm\":true}"),
                403);
        }
    }
    assert_int_equal(org_count(), before);
    assert_int_equal(q_int("SELECT count(*) FROM organisations WHERE name = $1", "Taken Over"), 0);
    /* the link is there for admins only, on the administration page */
    assert_int_equal(tc_get(&admin, "/admin"), 200);
    assert_true(tc_body_has(&admin, "href=\"/admin/organisations\""));
    assert_int_equal(tc_get(&member, "/"), 200);
    assert_false(tc_body_has(&member, "/admin/organisations"));
}

/* ---- merging ---- */

static void new_round(const char *extra, char out[32])
{
    char form[512];
    const char *loc;
    snprintf(form, sizeof form,
             "title=Merge+test+round&instrument=%lld&audience=individual&mode=anonymous%s",
             (long long)q_int("SELECT MAX(id) FROM assess_instruments WHERE code = $1",
                              "ahp-digital-capability"),
             extra);
    assert_int_equal(tc_post_form(&fac, "/assess/rounds/new", form, 1), 303);
    loc = lb_header(&fac.res, "Location");
    assert_non_null(loc);
    snprintf(out, 32, "%.*s", (int)(strlen(loc + 8) - strlen("/manage")), loc + 8);
}

static int64_t round_id(const char *slug)
{
    return q_int("SELECT id FROM assess_rounds WHERE slug = $1", slug);
}

static void invite(const char *slug, int64_t org)
{
    char uri[96], form[64];
    snprintf(uri, sizeof uri, "/assess/%s/invitations", slug);
    snprintf(form, sizeof form, "organisation=%lld", (long long)org);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 303);
}

/* One submitted response to slug, by a new anonymous browser, with form as its start. */
static void respond(const char *slug, const char *form)
{
    struct test_client a;
    char uri[96];
    tc_init(&a, app);
    snprintf(uri, sizeof uri, "/assess/%s", slug);
    assert_int_equal(tc_get(&a, uri), 200);
    snprintf(uri, sizeof uri, "/assess/%s/start", slug);
    assert_int_equal(tc_post_form(&a, uri, form, 1), 303);
    snprintf(uri, sizeof uri, "/assess/%s/section/1", slug);
    assert_int_equal(tc_post_form(&a, uri, "item.leadership-1=3&action=next", 1), 303);
    snprintf(uri, sizeof uri, "/assess/%s/submit", slug);
    assert_int_equal(tc_post_form(&a, uri, "", 1), 303);
    tc_free(&a);
}

/* Responds through the invitation link of slug for org. */
static void respond_invited(const char *slug, int64_t org)
{
    char code[80], form[120];
    q_text("SELECT code FROM assess_invitations WHERE round_id = $1 AND organisation_id = $2",
           round_id(slug), org, code, sizeof code);
    assert_true(code[0] != '\0');
    snprintf(form, sizeof form, "invitation=%s", code);
    respond(slug, form);
}

/* Every column of the schema that references organisations, as "table.column" lines sorted. */
static void org_references(char *out, size_t n)
{
    struct db *db = db_pool_get(app->pool);
    struct db_stmt *st = NULL;
    size_t used = 0;
    const char *sql =
        db_engine(db) == DB_SQLITE
            ? "SELECT m.name || '.' || p.\"from\" FROM sqlite_master m, "
              "pragma_foreign_key_list(m.name) p WHERE m.type = 'table' AND "
              "p.\"table\" = 'organisations' ORDER BY 1"
            : "SELECT k.table_name || '.' || k.column_name FROM "
              "information_schema.referential_constraints r JOIN "
              "information_schema.key_column_usage k ON k.constraint_name = r.constraint_name "
              "JOIN information_schema.constraint_column_usage u ON u.constraint_name = "
              "r.unique_constraint_name WHERE u.table_name = 'organisations' ORDER BY 1";
    out[0] = '\0';
    assert_int_equal(db_prepare(db, sql, &st), 0);
    while (db_step(st) == DB_ROW)
        used += (size_t)snprintf(out + used, n - used, "%s\n", db_col_text(st, 0));
    db_finalize(st);
    db_pool_put(app->pool, db);
}

static void test_merge_needs_confirmation(void **state)
{
    char uri[128], form[64];
    int64_t from, into;
    (void)state;
    assert_int_equal(add_org("name=Jagger+Test+Trust"), 303);
    assert_int_equal(add_org("name=Keighley+Test+Trust"), 303);
    from = org_id("Jagger Test Trust");
    into = org_id("Keighley Test Trust");
    /* the choice, then what would move */
    snprintf(uri, sizeof uri, "/admin/organisations/%lld/merge", (long long)from);
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(tc_body_has(&admin, "The organisation to keep"));
    assert_true(tc_body_has(&admin, "Keighley Test Trust"));
    page_tidy(&admin, "merge: choose");
    snprintf(uri, sizeof uri, "/admin/organisations/%lld/merge?into=%lld", (long long)from,
             (long long)from);
    assert_int_equal(tc_get(&admin, uri), 400);
    assert_true(tc_body_has(&admin, "Choose a different organisation"));
    snprintf(uri, sizeof uri, "/admin/organisations/%lld/merge?into=%lld", (long long)from,
             (long long)into);
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(tc_body_has(&admin, "Nothing refers to Jagger Test Trust"));
    assert_true(tc_body_has(&admin, "Jagger Test Trust is removed."));
    page_tidy(&admin, "merge: confirm");
    /* POSTs without the confirmation change nothing */
    snprintf(uri, sizeof uri, "/admin/organisations/%lld/merge", (long long)from);
    snprintf(form, sizeof form, "into=%lld", (long long)into);
    assert_int_equal(tc_post_form(&admin, uri, form, 1), 400);
    assert_true(tc_body_has(&admin, "Confirm that you want to merge Jagger Test Trust into "
                                    "Keighley Test Trust"));
    snprintf(form, sizeof form, "into=%lld&confirm=no", (long long)into);
    assert_int_equal(tc_post_form(&admin, uri, form, 1), 400);
    snprintf(uri, sizeof uri, "/api/v1/admin/organisations/%lld/merge", (long long)from);
    snprintf(form, sizeof form, "{\"into\":%lld}", (long long)into);
    assert_int_equal(tc_post_json(&admin, uri, form), 400);
    assert_true(tc_body_has(&admin, "\"confirm\""));
    snprintf(form, sizeof form, "{\"into\":%lld,\"confirm\":false}", (long long)into);
    assert_int_equal(tc_post_json(&admin, uri, form), 400);
    assert_int_equal(org_id("Jagger Test Trust"), from);
    assert_int_equal(q_int("SELECT count(*) FROM audit_log WHERE event = 'org_merged'", NULL), 0);
    /* into an organisation that does not exist */
    assert_int_equal(tc_post_json(&admin, uri, "{\"into\":999999,\"confirm\":true}"), 400);
    assert_true(tc_body_has(&admin, "Choose an organisation from the list"));
    assert_int_equal(org_id("Jagger Test Trust"), from);
}

static void test_merge_moves_everything(void **state)
{
    char shared[32], own[32], uri[160], form[160], refs[1024];
    int64_t from, into, inv_into, rounds_regrouped;
    struct test_client m;
    (void)state;
    /* every reference the schema has is one the merge moves */
    org_references(refs, sizeof refs);
    assert_string_equal(refs, "assess_invitations.organisation_id\n"
                              "assess_responses.organisation_id\n"
                              "assess_rounds.organisation_id\n"
                              "users.organisation_id\n");
    assert_int_equal(add_org("name=Leeds+Test+Hospitals+NHS+Trust&ods_code=RT1"), 303);
    assert_int_equal(add_org("name=Leeds+Test+Hospitals&ods_code=RT2"), 303);
    from = org_id("Leeds Test Hospitals NHS Trust");
    into = org_id("Leeds Test Hospitals");
    /* two members */
    testapp_user(app, "leeds1@example.test", "member", PW);
    testapp_user(app, "leeds2@example.test", "member", PW);
    tc_init(&m, app);
    assert_int_equal(tc_login(&m, "leeds1@example.test", PW), 303);
    assert_int_equal(
        tc_post_form(&m, "/account/profile", "display_name=Leeds+One&organisation_name=RT1", 1),
        303);
    tc_reset(&m);
    assert_int_equal(tc_login(&m, "leeds2@example.test", PW), 303);
    assert_int_equal(tc_post_form(&m, "/account/profile",
                                  "display_name=Leeds+Two&organisation_name=leeds+test+hospitals"
                                  "+nhs+trust",
                                  1),
                     303);
    tc_free(&m);
    /* a round with links for both (the old one's is withdrawn), a round run for the old one
     * with its own link, and responses through every link and chosen on the form */
    new_round("", shared);
    invite(shared, from);
    invite(shared, into);
    snprintf(form, sizeof form, "&organisation=%lld", (long long)from);
    new_round(form, own);
    invite(own, from);
    respond_invited(shared, from);
    respond_invited(shared, from);
    respond_invited(shared, into);
    respond_invited(own, from);
    snprintf(form, sizeof form, "organisation=%lld", (long long)from);
    respond(shared, form);
    /* the benchmark by organisation is computed and kept */
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/benchmarks?by=organisation", shared);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "Leeds Test Hospitals NHS Trust"));
    rounds_regrouped = q_int("SELECT count(*) FROM assess_rounds WHERE regrouped > 0", NULL);
    /* what the confirmation says */
    snprintf(uri, sizeof uri, "/admin/organisations/%lld/merge?into=%lld", (long long)from,
             (long long)into);
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(tc_body_has(&admin, "2 members, 1 assessment round run for it, 2 assessment "
                                    "round invitations and 4 assessment responses move to "
                                    "Leeds Test Hospitals. "));
    assert_true(tc_body_has(
        &admin,
        "1 of the invitations is for a round that already has one for Leeds Test Hospitals: its "
        "link will stop working"));
    assert_true(tc_body_has(&admin, "Leeds Test Hospitals NHS Trust is removed."));
    snprintf(uri, sizeof uri, "/api/v1/admin/organisations/%lld/merge?into=%lld", (long long)from,
             (long long)into);
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(tc_body_has(&admin, "\"moves\":{\"members\":2,\"rounds\":1,\"invitations\":2,"
                                    "\"links_withdrawn\":1,\"responses\":4}"));
    /* the confirmed merge */
    snprintf(uri, sizeof uri, "/admin/organisations/%lld/merge", (long long)from);
    snprintf(form, sizeof form, "into=%lld&confirm=yes", (long long)into);
    assert_int_equal(tc_post_form(&admin, uri, form, 1), 303);
    assert_string_equal(lb_header(&admin.res, "Location"), "/admin/organisations");
    assert_int_equal(tc_get(&admin, "/admin/organisations?q=leeds"), 200);
    assert_true(tc_body_has(&admin, "The organisations have been merged"));
    assert_false(tc_body_has(&admin, "Leeds Test Hospitals NHS Trust"));
    /* gone, and nothing names it */
    assert_int_equal(q_int1("SELECT count(*) FROM organisations WHERE id = $1", from), 0);
    assert_int_equal(q_int1("SELECT count(*) FROM users WHERE organisation_id = $1", from), 0);
    assert_int_equal(q_int1("SELECT count(*) FROM users WHERE organisation_id = $1", into), 2);
    assert_int_equal(
        q_int1("SELECT count(*) FROM assess_responses WHERE organisation_id = $1", from), 0);
    assert_int_equal(
        q_int1("SELECT count(*) FROM assess_responses WHERE organisation_id = $1", into), 5);
    assert_int_equal(
        q_int1("SELECT count(*) FROM assess_invitations WHERE organisation_id = $1", from), 0);
    assert_int_equal(q_int1("SELECT count(*) FROM assess_rounds WHERE organisation_id = $1", into),
                     1);
    /* the shared round keeps one link, and the responses of the withdrawn one count under it */
    inv_into = q_int2("SELECT id FROM assess_invitations WHERE round_id = $1 AND "
                      "organisation_id = $2",
                      round_id(shared), into);
    assert_true(inv_into > 0);
    assert_int_equal(q_int2("SELECT count(*) FROM assess_responses WHERE round_id = $1 AND "
                            "invitation_id = $2",
                            round_id(shared), inv_into),
                     3);
    assert_int_equal(
        q_int1("SELECT count(*) FROM assess_invitations WHERE round_id = $1", round_id(own)), 1);
    /* the kept benchmark is computed again: the old name is no group any more */
    assert_true(q_int("SELECT count(*) FROM assess_rounds WHERE regrouped > 0", NULL) >
                rounds_regrouped);
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/benchmarks?by=organisation", shared);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_false(tc_body_has(&fac, "Leeds Test Hospitals NHS Trust"));
    assert_true(tc_body_has(&fac, "Leeds Test Hospitals"));
    /* audited, saying what moved */
    assert_int_equal(tc_get(&admin, "/api/v1/admin/audit"), 200);
    assert_true(tc_body_has(&admin, "\"event\":\"org_merged\""));
    assert_int_equal(tc_get(&admin, "/admin/audit"), 200);
    assert_true(tc_body_has(&admin, "Merged “Leeds Test Hospitals NHS Trust” (RT1) into “Leeds "
                                    "Test Hospitals” (RT2): 2 members, 1 assessment round, 2 "
                                    "invitation links (1 withdrawn as duplicates) and 4 "
                                    "assessment responses moved"));
    /* a second try finds nothing to merge */
    snprintf(uri, sizeof uri, "/admin/organisations/%lld/merge", (long long)from);
    assert_int_equal(tc_post_form(&admin, uri, form, 1), 404);
}

/* The API's merge: confirm true moves and answers with numbers. */
static void test_merge_api(void **state)
{
    char uri[128], body[96];
    int64_t from, into;
    (void)state;
    assert_int_equal(add_org("name=Marsden+Test+Trust"), 303);
    assert_int_equal(add_org("name=Northowram+Test+Trust"), 303);
    from = org_id("Marsden Test Trust");
    into = org_id("Northowram Test Trust");
    testapp_user(app, "marsden@example.test", "member", PW);
    {
        struct test_client m;
        tc_init(&m, app);
        assert_int_equal(tc_login(&m, "marsden@example.test", PW), 303);
        assert_int_equal(tc_post_json(&m, "/api/v1/account/profile",
                                      "{\"display_name\":\"Marsden\",\"organisation_name\":"
                                      "\"Marsden Test Trust\"}"),
                         200);
        tc_free(&m);
    }
    snprintf(uri, sizeof uri, "/api/v1/admin/organisations/%lld/merge", (long long)from);
    snprintf(body, sizeof body, "{\"into\":%lld,\"confirm\":true}", (long long)into);
    assert_int_equal(tc_post_json(&admin, uri, body), 200);
    assert_true(tc_body_has(&admin, "\"merged\":true"));
    assert_true(tc_body_has(&admin, "\"moved\":{\"members\":1,"));
    assert_true(tc_body_has(&admin, "\"members\":1,\"created\""));
    assert_int_equal(org_id("Marsden Test Trust"), -1);
}

/* The merge at every failure point of its database calls: either "try again" with nothing
 * changed, or merged whole. Each try starts from two fresh organisations, a member of the
 * one merged and a response given for it. */
static int64_t sweep_from, sweep_into;
static char sweep_round[32];

static void sweep_prepare(int n)
{
    struct db *db = db_pool_get(app->pool);
    char from[64], into[64], form[64];
    snprintf(from, sizeof from, "Sweep From %d", n);
    snprintf(into, sizeof into, "Sweep Into %d", n);
    assert_int_equal(account_org_ensure(db, from, NULL, "", &sweep_from), 0);
    assert_int_equal(account_org_ensure(db, into, NULL, "", &sweep_into), 0);
    assert_int_equal(db_run(db, "UPDATE users SET organisation_id = $1 WHERE email = $2", "it",
                            sweep_from, "sweep@example.test"),
                     0);
    db_pool_put(app->pool, db);
    snprintf(form, sizeof form, "organisation=%lld", (long long)sweep_from);
    respond(sweep_round, form);
}

static int sweep_run(void)
{
    char uri[96], form[64];
    snprintf(uri, sizeof uri, "/admin/organisations/%lld/merge", (long long)sweep_from);
    snprintf(form, sizeof form, "into=%lld&confirm=yes", (long long)sweep_into);
    return tc_post_form(&admin, uri, form, 1);
}

/* 1 when merged whole, 0 when untouched, -1 for anything in between. */
static int sweep_state(void)
{
    int64_t from_left = q_int1("SELECT count(*) FROM organisations WHERE id = $1", sweep_from);
    int64_t members = q_int1("SELECT count(*) FROM users WHERE organisation_id = $1", sweep_from);
    int64_t resp =
        q_int1("SELECT count(*) FROM assess_responses WHERE organisation_id = $1", sweep_from);
    int64_t audit = q_int("SELECT count(*) FROM audit_log WHERE event = 'org_merged' AND detail "
                          "LIKE '%Sweep From%'",
                          NULL);
    static int64_t audits_seen;
    int state = from_left == 1 && members == 1 && resp == 1 && audit == audits_seen       ? 0
                : from_left == 0 && members == 0 && resp == 0 && audit == audits_seen + 1 ? 1
                                                                                          : -1;
    if (state == 1)
        audits_seen++;
    return state;
}

static void test_merge_at_every_failure_point(void **state)
{
    long calls;
    int failed = 0;
    (void)state;
    testapp_user(app, "sweep@example.test", "member", PW);
    new_round("", sweep_round);
    sweep_prepare(0);
    db_fault_count_start();
    assert_int_equal(sweep_run(), 303);
    calls = db_fault_count();
    db_fault_after(0);
    assert_int_equal(sweep_state(), 1);
    assert_true(calls > 5);
    for (long n = 1; n <= calls; n++) {
        int status;
        sweep_prepare((int)n);
        db_fault_after(n);
        status = sweep_run();
        db_fault_after(0);
        if (status == 503) {
            assert_true(tc_body_has(&admin, "Try again") || tc_body_has(&admin, "try again"));
            if (sweep_state() != 0)
                fail_msg("call %ld of %ld failed: 503 but something changed", n, calls);
            failed++;
        } else if (status != 303 || sweep_state() != 1) {
            fail_msg("call %ld of %ld failed: answered %d", n, calls, status);
        }
    }
    assert_true(failed > 0);
}

/* ---- a member's organisation ---- */

static void test_account_organisation_typed(void **state)
{
    char body[160];
    int64_t id;
    (void)state;
    assert_int_equal(add_org("name=Ossett+Test+Trust&ods_code=RO7"), 303);
    id = org_id("Ossett Test Trust");
    assert_int_equal(tc_get(&member, "/account"), 200);
    assert_true(tc_body_has(&member, "list=\"organisation-list\""));
    assert_true(tc_body_has(&member, "<option value=\"Ossett Test Trust\">RO7</option>"));
    page_tidy(&member, "account");
    /* by name in another case */
    assert_int_equal(tc_post_form(&member, "/account/profile",
                                  "display_name=Member&organisation_name=ossett+TEST+trust", 1),
                     303);
    assert_int_equal(
        q_int("SELECT organisation_id FROM users WHERE email = $1", "member@example.test"), id);
    assert_int_equal(tc_get(&member, "/account"), 200);
    assert_true(tc_body_has(&member, "value=\"Ossett Test Trust\""));
    /* an unknown one is refused, what was typed is kept, and nothing changes */
    assert_int_equal(tc_post_form(&member, "/account/profile",
                                  "display_name=Member+Renamed&profession=paramedic"
                                  "&organisation_name=Nowhere+In+Particular",
                                  1),
                     400);
    assert_true(tc_body_has(&member, "Enter your organisation’s name as the list shows it"));
    assert_true(tc_body_has(&member, "value=\"Nowhere In Particular\""));
    assert_true(tc_body_has(&member, "<option value=\"paramedic\" selected>"));
    assert_int_equal(
        q_int("SELECT organisation_id FROM users WHERE email = $1", "member@example.test"), id);
    /* empty: none */
    assert_int_equal(
        tc_post_form(&member, "/account/profile", "display_name=Member&organisation_name=", 1),
        303);
    assert_int_equal(q_int("SELECT count(*) FROM users WHERE email = $1 AND organisation_id IS "
                           "NULL",
                           "member@example.test"),
                     1);
    /* the API's organisation id still works */
    snprintf(body, sizeof body, "{\"display_name\":\"Member\",\"organisation\":%lld}",
             (long long)id);
    assert_int_equal(tc_post_json(&member, "/api/v1/account/profile", body), 200);
    assert_int_equal(
        q_int("SELECT organisation_id FROM users WHERE email = $1", "member@example.test"), id);
    assert_int_equal(tc_post_json(&member, "/api/v1/account/profile",
                                  "{\"display_name\":\"Member\",\"organisation\":999999}"),
                     400);
}

/* ---- the Assess start form ---- */

static void set_member_details(void)
{
    assert_int_equal(add_org("name=Pudsey+Test+Trust&ods_code=RP4"), 303);
    assert_int_equal(tc_post_form(&member, "/account/profile",
                                  "display_name=Member&profession=orthoptist&region=south-west"
                                  "&organisation_name=RP4",
                                  1),
                     303);
}

static void test_prefill(void **state)
{
    char slug[32], uri[96], opt[96];
    (void)state;
    set_member_details();
    new_round("", slug);
    snprintf(uri, sizeof uri, "/assess/%s", slug);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "<option value=\"orthoptist\" selected>"));
    assert_true(tc_body_has(&member, "<option value=\"south-west\" selected>"));
    assert_true(tc_body_has(&member, "We have filled in what your account says about you"));
    snprintf(opt, sizeof opt, "<option value=\"%lld\" selected>Pudsey Test Trust",
             (long long)org_id("Pudsey Test Trust"));
    assert_true(tc_body_has(&member, opt));
    page_tidy(&member, "assess start, prefilled");
    snprintf(uri, sizeof uri, "/api/v1/assess/%s", slug);
    assert_int_equal(tc_get(&member, uri), 200);
    snprintf(opt, sizeof opt,
             "\"form\":{\"profession\":\"orthoptist\",\"region\":\"south-west\","
             "\"organisation\":%lld}",
             (long long)org_id("Pudsey Test Trust"));
    assert_true(tc_body_has(&member, opt));
    /* someone not logged in starts with nothing chosen */
    {
        struct test_client a;
        tc_init(&a, app);
        snprintf(uri, sizeof uri, "/assess/%s", slug);
        assert_int_equal(tc_get(&a, uri), 200);
        assert_false(tc_body_has(&a, "\" selected>"));
        assert_false(tc_body_has(&a, "We have filled in"));
        tc_free(&a);
    }
    /* a form sent back with an error shows what was sent, not the account's */
    snprintf(uri, sizeof uri, "/assess/%s/start", slug);
    assert_int_equal(tc_post_form(&member, uri, "profession=dietitian&region=atlantis", 1), 400);
    assert_true(tc_body_has(&member, "<option value=\"dietitian\" selected>"));
    assert_false(tc_body_has(&member, "<option value=\"orthoptist\" selected>"));
}

/* A member starts an anonymous round with the form as prefilled: what was sent is stored,
 * never the account. A named round, for contrast, does store it. */
static void test_anonymous_after_prefill_stores_no_account(void **state)
{
    char anon[32], named[32], uri[96], form[160];
    int64_t pudsey;
    (void)state;
    pudsey = org_id("Pudsey Test Trust");
    if (pudsey < 0) {
        set_member_details();
        pudsey = org_id("Pudsey Test Trust");
    }
    new_round("", anon);
    snprintf(uri, sizeof uri, "/assess/%s", anon);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "<option value=\"orthoptist\" selected>"));
    snprintf(uri, sizeof uri, "/assess/%s/start", anon);
    snprintf(form, sizeof form, "profession=orthoptist&region=south-west&organisation=%lld",
             (long long)pudsey);
    assert_int_equal(tc_post_form(&member, uri, form, 1), 303);
    assert_int_equal(q_int2("SELECT count(*) FROM assess_responses WHERE round_id = $1 AND "
                            "organisation_id = $2 AND profession = 'orthoptist' AND region = "
                            "'south-west' AND user_id IS NULL",
                            round_id(anon), pudsey),
                     1);
    assert_int_equal(q_int1("SELECT count(*) FROM assess_responses WHERE round_id = $1 AND "
                            "user_id IS NOT NULL",
                            round_id(anon)),
                     0);
    /* the contrast: a named round links the response to the member */
    new_round("&mode=named", named);
    snprintf(uri, sizeof uri, "/assess/%s", named);
    assert_int_equal(tc_get(&member, uri), 200);
    snprintf(uri, sizeof uri, "/assess/%s/start", named);
    assert_int_equal(tc_post_form(&member, uri, form, 1), 303);
    assert_int_equal(q_int2("SELECT count(*) FROM assess_responses WHERE round_id = $1 AND "
                            "user_id = $2",
                            round_id(named), member_id),
                     1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_list_search),
        cmocka_unit_test(test_edit),
        cmocka_unit_test(test_duplicates_refused),
        cmocka_unit_test(test_invalid_ods_code),
        cmocka_unit_test(test_only_admins),
        cmocka_unit_test(test_merge_needs_confirmation),
        cmocka_unit_test(test_merge_moves_everything),
        cmocka_unit_test(test_merge_api),
        cmocka_unit_test(test_merge_at_every_failure_point),
        cmocka_unit_test(test_account_organisation_typed),
        cmocka_unit_test(test_prefill),
        cmocka_unit_test(test_anonymous_after_prefill_stores_no_account),
    };
    return cmocka_run_group_tests_name("http/org", tests, setup, teardown);
}
