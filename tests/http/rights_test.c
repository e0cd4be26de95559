/* rights_test.c: a member's copy of their data and the deletion of their account, through
 * the loopback (src/account/rights.c and each module's part)
 *
 * Two members, A and B, each get data of every kind: sessions, an API token, an exercise
 * with its facilitator link, an action, a moderation decision, an analysis, a report and a
 * theme edit, an instrument, a named round with a submitted response, and security log
 * entries in which each acts on the other. Every string of B's carries the marker "zqxqz" and
 * every string of A's "aqy", so a leak of anything of B's into A's copy is found whatever
 * it is. The marker is five letters: with three ("zqx") a random slug or token prefix of A's
 * held it about once in a few hundred runs. After A's account is deleted the whole schema is read
 * (sqlite_master or information_schema) and no column of any table may still name A: a table added
 * later is checked without changing this file.
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

#include "account/account.h"
#include "app.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static const char *PW = "correct horse battery";
static const char *A_EMAIL = "alice.aqy@example.test", *A_NAME = "Alice Aqy-Rightsholder";
static const char *B_EMAIL = "bob.zqxqz@example.test", *B_NAME = "Bob Zqxqz-Person";
static int64_t root_id, a_id, b_id, c_id;
static struct test_client ta, tb, root;
static char a_slug[64], b_slug[64], a_round[32], b_round[32], a_token[80];

/* ---- the database, as the test sees it ---- */

static int64_t q_int(const char *sql, const char *types, int64_t i, const char *t)
{
    struct db *db = db_pool_get(app->pool);
    struct db_stmt *st = NULL;
    int64_t n = -1;
    int rc = !types          ? db_row(db, sql, &st, "")
             : *types == 'i' ? db_row(db, sql, &st, "i", i)
                             : db_row(db, sql, &st, "t", t);
    if (rc == 0)
        n = db_col_int(st, 0);
    db_finalize(st);
    db_pool_put(app->pool, db);
    return n;
}

static int64_t exercise_id(const char *slug)
{
    return q_int("SELECT id FROM listen_exercises WHERE slug = $1", "t", 0, slug);
}

/* Rows of the Listen tables that no page writes without a finished analysis: a moderation
 * decision, an analysis, its published report and a theme edit, each by user `who`. */
static void listen_records(int64_t who, const char *slug, const char *mark)
{
    struct db *db = db_pool_get(app->pool);
    int64_t ex = exercise_id(slug), run = 0;
    char text[64];
    assert_true(ex > 0);
    snprintf(text, sizeof text, "%s reason", mark);
    assert_int_equal(db_run(db,
                            "INSERT INTO listen_moderation_log (exercise_id, moderator_id, action, "
                            "reason, at) VALUES ($1, $2, 'reject', $3, 100)",
                            "iit", ex, who, text),
                     0);
    assert_int_equal(db_run_int(db,
                                "INSERT INTO listen_analysis_runs (exercise_id, status, seed, "
                                "requested_by, created_at) VALUES ($1, 'done', 1, $2, 100) "
                                "RETURNING id",
                                &run, "ii", ex, who),
                     0);
    assert_int_equal(db_run(db,
                            "INSERT INTO listen_reports (exercise_id, run_id, published_at, "
                            "published_by) VALUES ($1, $2, 100, $3)",
                            "iii", ex, run, who),
                     0);
    snprintf(text, sizeof text, "%s theme", mark);
    assert_int_equal(db_run(db,
                            "INSERT INTO listen_theme_edits (exercise_id, theme_key, label, "
                            "updated_by, updated_at) VALUES ($1, '[]', $2, $3, 100)",
                            "iti", ex, text, who),
                     0);
    db_pool_put(app->pool, db);
}

/* ---- pages ---- */

static int post_from(struct test_client *tc, const char *client, const char *uri, const char *form)
{
    char hdr[100], body[600];
    snprintf(hdr, sizeof hdr, "X-Loopback-Client: %s", client);
    snprintf(body, sizeof body, "%s&csrf_token=%s", form, tc_csrf(tc));
    return tc_request(
        tc, "POST", uri,
        (const char *[]){hdr, "Content-Type: application/x-www-form-urlencoded", NULL}, body,
        strlen(body));
}

static void login_as(struct test_client *tc, const char *email)
{
    tc_init(tc, app);
    assert_int_equal(tc_login(tc, email, PW), 303);
}

/* Creates an exercise titled title as tc; its slug goes to slug. */
static void new_exercise(struct test_client *tc, const char *title, char slug[64])
{
    char form[300];
    snprintf(
        form, sizeof form,
        "title=%s&audience_citizen=1&moderation=post&flag_threshold=3&prompts=What+matters%%3F",
        title);
    assert_int_equal(tc_post_form(tc, "/listen/new", form, 1), 303);
    snprintf(slug, 64, "%s", lb_header(&tc->res, "Location") + 8);
}

static void new_round(struct test_client *tc, const char *title, char slug[32])
{
    char form[300];
    const char *loc;
    snprintf(form, sizeof form, "title=%s&instrument=%lld&audience=individual&mode=named", title,
             (long long)q_int("SELECT MAX(id) FROM assess_instruments WHERE code = $1", "t", 0,
                              "ahp-digital-capability"));
    assert_int_equal(tc_post_form(tc, "/assess/rounds/new", form, 1), 303);
    loc = lb_header(&tc->res, "Location");
    snprintf(slug, 32, "%.*s", (int)(strlen(loc + 8) - strlen("/manage")), loc + 8);
}

/* Answers the first section of a round and submits, as tc. */
static void respond(struct test_client *tc, const char *slug, const char *answers)
{
    char uri[96];
    snprintf(uri, sizeof uri, "/assess/%s", slug);
    assert_int_equal(tc_get(tc, uri), 200);
    snprintf(uri, sizeof uri, "/assess/%s/start", slug);
    assert_int_equal(tc_post_form(tc, uri, "profession=physiotherapist&region=london", 1), 303);
    snprintf(uri, sizeof uri, "/assess/%s/section/1", slug);
    assert_int_equal(tc_post_form(tc, uri, answers, 1), 303);
    snprintf(uri, sizeof uri, "/assess/%s/submit", slug);
    assert_int_equal(tc_post_form(tc, uri, "", 1), 303);
}

static void set_role(struct test_client *tc, int64_t who, const char *role)
{
    char uri[64], form[40];
    snprintf(uri, sizeof uri, "/admin/users/%lld/role", (long long)who);
    snprintf(form, sizeof form, "role=%s&confirm=yes", role);
    assert_int_equal(tc_post_form(tc, uri, form, 1), 303);
}

static void token_for(struct test_client *tc, const char *name, char out[80])
{
    char form[80];
    const char *p;
    snprintf(form, sizeof form, "name=%s", name);
    assert_int_equal(tc_post_form(tc, "/account/tokens", form, 1), 201);
    p = strstr(tc->res.body, API_TOKEN_PREFIX);
    assert_non_null(p);
    snprintf(out, 80, "%.68s", p);
}

static void instrument_by(struct test_client *tc, const char *code)
{
    char def[1024];
    json_t *body;
    char *s;
    snprintf(def, sizeof def,
             "{\"code\": \"%s\", \"title\": \"%s check\", \"description\": \"A check.\", "
             "\"audience\": \"team\", \"method\": \"percent\", \"domains\": [{\"id\": \"d\", "
             "\"title\": \"Domain\", \"description\": \"D.\", \"items\": [{\"id\": \"d-1\", "
             "\"kind\": \"yesno\", \"text\": \"Is it so?\"}]}]}",
             code, code);
    body = json_pack("{s:s}", "definition", def);
    s = json_dumps(body, 0);
    assert_true(tc_post_json(tc, "/api/v1/assess/instruments", s) / 100 == 2);
    free(s);
    json_decref(body);
}

/* Everyone's data, made the way people make it where a page does it. */
/* A self-assessment with one rating and a note carrying mark. */
static void self_assess(struct test_client *tc, const char *mark)
{
    char uri[96], form[160];
    const char *loc;
    long long id = 0;
    assert_int_equal(tc_post_form(tc, "/develop/start", "", 1), 303);
    loc = lb_header(&tc->res, "Location");
    assert_non_null(loc);
    assert_int_equal(sscanf(loc, "/develop/self/%lld/domain/1", &id), 1);
    snprintf(uri, sizeof uri, "/develop/self/%lld/domain/1", id);
    snprintf(form, sizeof form, "rating.system-fit=2&note.system-fit=%s+note&action=later", mark);
    assert_int_equal(tc_post_form(tc, uri, form, 1), 303);
}

/* A submitted self-assessment and a 360° request on it to two raters (addresses from mark):
 * their invitations name the member, in the outbox. */
static void ask_feedback(struct test_client *tc, const char *mark)
{
    char uri[96], body[300], closes[16];
    const char *loc;
    long long id = 0;
    time_t when = time(NULL) + 7 * 86400;
    struct tm tm;
    assert_int_equal(tc_post_form(tc, "/develop/start", "", 1), 303);
    loc = lb_header(&tc->res, "Location");
    assert_non_null(loc);
    assert_int_equal(sscanf(loc, "/develop/self/%lld/domain/1", &id), 1);
    snprintf(uri, sizeof uri, "/develop/self/%lld/domain/1", id);
    assert_int_equal(tc_post_form(tc, uri, "rating.system-fit=3", 1), 303);
    snprintf(uri, sizeof uri, "/develop/self/%lld/submit", id);
    assert_int_equal(tc_post_form(tc, uri, "", 1), 303);
    gmtime_r(&when, &tm);
    strftime(closes, sizeof closes, "%Y-%m-%d", &tm);
    snprintf(body, sizeof body,
             "{\"closes\": \"%s\", \"raters\": [{\"email\": \"%s.one@example.test\", "
             "\"group\": \"peer\"}, {\"email\": \"%s.two@example.test\", \"group\": \"peer\"}]}",
             closes, mark, mark);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/feedback", id);
    assert_int_equal(tc_post_json(tc, uri, body), 201);
}

/* The API's privacy notice is the page's: its words in sections with headings, not an empty
 * shell. */
/* The accessibility statement through the API carries its words as the privacy notice does,
 * not a title alone. */
static void test_accessibility_statement_through_the_api(void **state)
{
    struct test_client anon;
    json_t *j, *s;
    char *dump;
    bool standard = false;
    (void)state;
    tc_init(&anon, app);
    assert_int_equal(tc_get(&anon, "/api/v1/accessibility"), 200);
    j = json_loadb(anon.res.body, anon.res.len, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "title")), "Accessibility statement");
    assert_true(json_array_size(json_object_get(j, "intro")) >= 1);
    s = json_object_get(j, "sections");
    assert_true(json_array_size(s) >= 2);
    for (size_t i = 0; i < json_array_size(s); i++)
        standard |= !strcmp(json_string_value(json_object_get(json_array_get(s, i), "heading")),
                            "Our accessibility standard");
    assert_true(standard);
    dump = json_dumps(j, JSON_COMPACT);
    assert_non_null(strstr(dump, "WCAG"));
    assert_null(strstr(dump, "<"));
    assert_null(strstr(dump, "{{"));
    free(dump);
    json_decref(j);
    tc_free(&anon);
}

static void test_privacy_notice_through_the_api(void **state)
{
    struct test_client anon;
    json_t *j, *s, *sub = NULL;
    char *dump;
    (void)state;
    tc_init(&anon, app);
    assert_int_equal(tc_get(&anon, "/api/v1/privacy"), 200);
    j = json_loadb(anon.res.body, anon.res.len, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "title")), "Privacy notice");
    assert_true(json_array_size(json_object_get(j, "intro")) >= 1);
    s = json_object_get(j, "sections");
    assert_true(json_array_size(s) >= 5);
    assert_string_equal(json_string_value(json_object_get(json_array_get(s, 0), "heading")),
                        "If you have an account");
    for (size_t i = 0; i < json_array_size(s); i++) {
        json_t *x = json_array_get(s, i);
        assert_true(json_string_length(json_object_get(x, "heading")) > 0);
        assert_int_equal(json_integer_value(json_object_get(x, "level")), 2);
        assert_true(json_array_size(json_object_get(x, "content")) +
                        json_array_size(json_object_get(x, "sections")) >
                    0);
        if (!strcmp(json_string_value(json_object_get(x, "heading")), "If you have an account"))
            sub = json_object_get(x, "sections");
    }
    assert_non_null(sub);
    assert_string_equal(json_string_value(json_object_get(json_array_get(sub, 0), "heading")),
                        "Sessions");
    dump = json_dumps(j, JSON_COMPACT);
    /* the words the page says, with the server's session length filled in, and no markup */
    assert_non_null(strstr(dump, "Listening exercises are anonymous."));
    assert_non_null(strstr(dump, "\"caption\":\"Cookies this service uses\""));
    assert_non_null(strstr(dump, "\"href\":\"/account/delete\""));
    {
        char idle[64];
        snprintf(idle, sizeof idle, "after %d hours without use", app->cfg.session_ttl / 3600);
        assert_non_null(strstr(dump, idle));
    }
    assert_null(strstr(dump, "<"));
    assert_null(strstr(dump, "{{"));
    free(dump);
    json_decref(j);
    tc_free(&anon);
}

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    root_id = testapp_user(app, "root@example.test", "admin", PW);
    a_id = testapp_user(app, A_EMAIL, "facilitator", PW);
    b_id = testapp_user(app, B_EMAIL, "facilitator", PW);
    c_id = testapp_user(app, "carol@example.test", "member", PW);
    testapp_user(app, "mo@example.test", "member", PW);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&ta);
    tc_free(&tb);
    tc_free(&root);
    testapp_free(app);
    return 0;
}

/* The only admin cannot leave: nobody could run the service. Nothing is deleted. */
static void test_last_admin_refused(void **state)
{
    (void)state;
    login_as(&root, "root@example.test");
    assert_int_equal(tc_get(&root, "/account/delete"), 200);
    assert_true(tc_body_has(&root, "You are the only admin"));
    assert_false(tc_body_has(&root, "name=\"password\""));
    assert_int_equal(tc_post_json(&root, "/api/v1/account/delete",
                                  "{\"password\": \"correct horse battery\", \"confirm\": true}"),
                     403);
    assert_true(tc_body_has(&root, "Make someone else an admin first"));
    assert_int_equal(q_int("SELECT count(*) FROM users WHERE id = $1", "i", root_id, NULL), 1);
    assert_int_equal(tc_get(&root, "/api/v1/account"), 200);
    /* a deactivated admin administers nothing: root is still the only one */
    {
        char uri[64];
        int64_t dormant = testapp_user(app, "dormant.admin@example.test", "admin", PW);
        snprintf(uri, sizeof uri, "/admin/users/%lld/deactivate", (long long)dormant);
        assert_int_equal(tc_post_form(&root, uri, "", 1), 303);
        assert_int_equal(
            tc_post_json(&root, "/api/v1/account/delete",
                         "{\"password\": \"correct horse battery\", \"confirm\": true}"),
            403);
        assert_int_equal(q_int("SELECT count(*) FROM users WHERE id = $1", "i", root_id, NULL), 1);
    }
}

static void test_make_data(void **state)
{
    struct test_client mo;
    char tok[80];
    (void)state;
    login_as(&ta, A_EMAIL);
    login_as(&tb, B_EMAIL);
    assert_int_equal(
        tc_post_form(&ta, "/account/profile", "display_name=Alice+Aqy-Rightsholder", 1), 303);
    assert_int_equal(tc_post_form(&tb, "/account/profile", "display_name=Bob+Zqxqz-Person", 1),
                     303);
    token_for(&ta, "aqy+token", a_token);
    token_for(&tb, "zqxqz+token", tok);

    new_exercise(&ta, "Aqy+exercise", a_slug);
    new_exercise(&tb, "Zqxqz+exercise", b_slug);
    {
        char uri[128];
        snprintf(uri, sizeof uri, "/listen/%s/actions", a_slug);
        assert_int_equal(
            tc_post_form(&ta, uri, "what=aqy+action&who=Therapy+team&status=planned", 1), 303);
        snprintf(uri, sizeof uri, "/listen/%s/actions", b_slug);
        assert_int_equal(
            tc_post_form(&tb, uri, "what=zqxqz+action&who=Therapy+team&status=planned", 1), 303);
    }
    listen_records(a_id, a_slug, "aqy");
    listen_records(b_id, b_slug, "zqxqz");

    new_round(&ta, "Aqy+round", a_round);
    new_round(&tb, "Zqxqz+round", b_round);
    respond(&ta, a_round,
            "item.leadership-1=3&item.leadership-2=2&item.leadership-3=1&item.leadership-4=4"
            "&item.leadership-5=1&action=next");
    respond(&tb, b_round,
            "item.leadership-1=1&item.leadership-2=1&item.leadership-3=1&item.leadership-4=1"
            "&item.leadership-5=1&action=next");
    /* someone else answers A's round too, so its figures are more than A's */
    login_as(&mo, "mo@example.test");
    respond(&mo, a_round,
            "item.leadership-1=4&item.leadership-2=4&item.leadership-3=1&item.leadership-4=4"
            "&item.leadership-5=1&action=next");
    tc_free(&mo);

    /* A acts on B and B on A, in the security log */
    set_role(&root, a_id, "admin");
    set_role(&ta, b_id, "admin");
    instrument_by(&ta, "aqy-instrument");
    instrument_by(&tb, "zqxqz-instrument");
    set_role(&tb, a_id, "facilitator");
    /* entries whose text names A, one of them linked to nobody */
    {
        struct db *db = db_pool_get(app->pool);
        assert_int_equal(
            db_run(db,
                   "INSERT INTO audit_log (at, event, actor_id, subject_id, detail) "
                   "VALUES (100, 'note', NULL, NULL, 'sent to alice.aqy@example.test')",
                   ""),
            0);
        assert_int_equal(db_run(db,
                                "INSERT INTO audit_log (at, event, actor_id, subject_id, detail) "
                                "VALUES (100, 'note', NULL, $1, 'named Alice Aqy-Rightsholder')",
                                "i", a_id),
                         0);
        db_pool_put(app->pool, db);
        ask_feedback(&ta, "aqy"); /* first: one draft at a time, and self_assess's stays one */
        ask_feedback(&tb, "zqxqz");
        self_assess(&ta, "aqy");
        self_assess(&tb, "zqxqz");
        /* a reset link (and its mail) for A */
        {
            struct test_client anon;
            tc_init(&anon, app);
            tc_get(&anon, "/password/forgot");
            assert_int_equal(
                tc_post_form(&anon, "/password/forgot", "email=alice.aqy%40example.test", 1), 200);
            tc_free(&anon);
        }
        db = db_pool_get(app->pool);
        /* organisation sign-in: an identity each, and a domain A listed */
        assert_int_equal(db_run(db,
                                "INSERT INTO oidc_identities (issuer, subject, user_id, "
                                "created_at, last_used) VALUES ('https://idp.example', "
                                "'aqy-subject', $1, 5, 6)",
                                "i", a_id),
                         0);
        assert_int_equal(db_run(db,
                                "INSERT INTO oidc_identities (issuer, subject, user_id, "
                                "created_at, last_used) VALUES ('https://idp.example', "
                                "'zqxqz-subject', $1, 5, 6)",
                                "i", b_id),
                         0);
        assert_int_equal(db_run(db,
                                "INSERT INTO oidc_domains (domain, added_by, added_at) "
                                "VALUES ('aqy.example', $1, 7)",
                                "i", a_id),
                         0);
        db_pool_put(app->pool, db);
    }
    assert_int_equal(
        q_int("SELECT count(*) FROM listen_facilitators WHERE user_id = $1", "i", a_id, NULL), 1);
    assert_int_equal(
        q_int("SELECT count(*) FROM assess_responses WHERE user_id = $1 AND submitted_at > 0", "i",
              a_id, NULL),
        1);
}

/* ---- the copy ---- */

static json_t *arr_find(json_t *arr, const char *key, const char *value)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        const char *s = json_string_value(json_object_get(v, key));
        if (s && !strcmp(s, value))
            return v;
    }
    return NULL;
}

static void test_pages(void **state)
{
    (void)state;
    assert_int_equal(tc_get(&ta, "/account"), 200);
    assert_true(tc_body_has(&ta, "href=\"/account/data\""));
    assert_true(tc_body_has(&ta, "href=\"/account/delete\""));
    assert_int_equal(tc_get(&ta, "/account/data"), 200);
    assert_true(testapp_tidy(ta.res.body, ta.res.len, "/account/data") < 2);
    assert_true(tc_body_has(&ta, "Download your data"));
    assert_true(tc_body_has(&ta, "never linked to your account"));
    assert_int_equal(tc_get(&ta, "/account/delete"), 200);
    assert_true(testapp_tidy(ta.res.body, ta.res.len, "/account/delete") < 2);
    assert_true(tc_body_has(&ta, "cannot be undone"));
    assert_true(tc_body_has(&ta, "name=\"password\""));
    /* what deletion does to Develop, Connect and the mail, as the privacy notice says */
    assert_true(tc_body_has(&ta, "your 360° feedback requests with every answer in them"));
    assert_true(tc_body_has(&ta, "your Connect profile, your matches and relationships"));
    assert_true(tc_body_has(&ta, "show as from \"Deleted member\""));
    assert_true(tc_body_has(&ta, "the emails we sent you"));
    assert_true(tc_body_has(&ta, "action learning sets you facilitated"));
    assert_int_equal(tc_get(&ta, "/api/v1/account/data"), 200);
    assert_true(tc_body_has(&ta, "\"not_included\":["));
    /* the privacy notice says how to use both, and how long a session lasts here */
    assert_int_equal(tc_get(&ta, "/privacy"), 200);
    assert_true(tc_body_has(&ta, "href=\"/account/data\""));
    assert_true(tc_body_has(&ta, "href=\"/account/delete\""));
    /* and names what Develop, Connect and the mail outbox hold, which the copy carries */
    assert_true(tc_body_has(&ta, "Your leadership development"));
    assert_true(tc_body_has(&ta, "Connecting with others"));
    assert_true(tc_body_has(&ta, "Emails we send you"));
    assert_true(tc_body_has(&ta, "Deleted member"));
    {
        char idle[64];
        snprintf(idle, sizeof idle, "after %d hours without use", app->cfg.session_ttl / 3600);
        assert_int_equal(app->cfg.session_ttl % 3600, 0);
        assert_true(tc_body_has(&ta, idle));
    }
}

static void test_export_has_own_data_only(void **state)
{
    char want[80], day[16];
    time_t now = time(NULL);
    struct tm tm;
    json_t *doc, *acc, *l, *as, *e, *r;
    size_t i;
    (void)state;
    assert_int_equal(tc_get(&ta, "/account/data/download"), 200);
    gmtime_r(&now, &tm);
    strftime(day, sizeof day, "%Y-%m-%d", &tm);
    snprintf(want, sizeof want, "attachment; filename=\"ahphub-data-%s.json\"", day);
    assert_string_equal(lb_header(&ta.res, "Content-Disposition"), want);
    assert_non_null(strstr(lb_header(&ta.res, "Content-Type"), "application/json"));

    /* nothing of B's, in any form, and no secret of A's */
    assert_null(strcasestr(ta.res.body, "zqxqz"));
    assert_null(strcasestr(ta.res.body, B_EMAIL));
    assert_null(strstr(ta.res.body, "argon2"));
    assert_null(strstr(ta.res.body, "token_hash"));
    assert_null(strstr(ta.res.body, a_token));
    assert_null(strstr(ta.res.body, "root@example.test"));

    doc = json_loadb(ta.res.body, ta.res.len, 0, NULL);
    assert_non_null(doc);
    acc = json_object_get(doc, "account");
    assert_string_equal(json_string_value(json_object_get(acc, "email")), A_EMAIL);
    assert_string_equal(json_string_value(json_object_get(acc, "display_name")), A_NAME);
    assert_string_equal(json_string_value(json_object_get(acc, "role")), "facilitator");
    assert_int_equal(json_integer_value(json_object_get(acc, "id")), a_id);
    assert_true(json_array_size(json_object_get(doc, "sessions")) >= 1);
    assert_true(json_is_integer(
        json_object_get(json_array_get(json_object_get(doc, "sessions"), 0), "last_seen")));
    e = arr_find(json_object_get(doc, "api_tokens"), "name", "aqy token");
    assert_non_null(e);
    assert_int_equal(strncmp(json_string_value(json_object_get(e, "prefix")), a_token,
                             strlen(json_string_value(json_object_get(e, "prefix")))),
                     0);
    /* A acted on B and B on A: both show, the other as "another user" */
    {
        int acted = 0, acted_on = 0;
        json_array_foreach(json_object_get(doc, "security_log"), i, e)
        {
            const char *ev = json_string_value(json_object_get(e, "event"));
            const char *by = json_string_value(json_object_get(e, "done_by"));
            const char *to = json_string_value(json_object_get(e, "done_to"));
            if (strcmp(ev, "role_changed") != 0)
                continue;
            acted += !strcmp(by, "you") && !strcmp(to, "another user");
            acted_on += !strcmp(by, "another user") && !strcmp(to, "you");
        }
        assert_int_equal(acted, 1);
        /* made admin by root, made facilitator by B (a role set again is no change, and is
         * neither made nor recorded) */
        assert_int_equal(acted_on, 2);
    }
    l = json_object_get(doc, "listen");
    e = arr_find(json_object_get(l, "exercises_created"), "slug", a_slug);
    assert_non_null(e);
    assert_string_equal(json_string_value(json_object_get(e, "title")), "Aqy exercise");
    assert_non_null(arr_find(json_object_get(l, "exercises_facilitated"), "slug", a_slug));
    assert_non_null(arr_find(json_object_get(l, "actions_recorded"), "what", "aqy action"));
    assert_non_null(arr_find(json_object_get(l, "moderation_decisions"), "reason", "aqy reason"));
    assert_int_equal(json_array_size(json_object_get(l, "analyses_requested")), 1);
    assert_int_equal(json_array_size(json_object_get(l, "reports_published")), 1);
    assert_non_null(arr_find(json_object_get(l, "theme_edits"), "label", "aqy theme"));
    as = json_object_get(doc, "assess");
    assert_non_null(arr_find(json_object_get(as, "rounds_created"), "title", "Aqy round"));
    assert_non_null(arr_find(json_object_get(as, "instruments_created"), "code", "aqy-instrument"));
    r = arr_find(json_object_get(as, "responses"), "round", a_round);
    assert_non_null(r);
    assert_int_equal(json_array_size(json_object_get(as, "responses")), 1);
    assert_string_equal(json_string_value(json_object_get(r, "profession")), "Physiotherapist");
    assert_true(json_integer_value(json_object_get(r, "submitted_at")) > 0);
    assert_int_equal(strncmp(json_string_value(json_object_get(r, "answers_code")), "32141", 5), 0);
    e = arr_find(json_object_get(r, "answers"), "item", "leadership-1");
    assert_non_null(e);
    assert_true(json_is_string(json_object_get(e, "answer")));
    e = arr_find(json_object_get(r, "answers"), "item", "ai-1");
    assert_non_null(e);
    assert_true(json_is_null(json_object_get(e, "answer")));
    assert_true(json_array_size(json_object_get(doc, "not_included")) >= 3);
    e = arr_find(json_object_get(doc, "organisation_sign_in"), "subject", "aqy-subject");
    assert_non_null(e);
    assert_int_equal(json_integer_value(json_object_get(e, "last_used")), 6);
    assert_int_equal(json_array_size(json_object_get(doc, "organisation_sign_in")), 1);
    e = arr_find(json_object_get(doc, "mail_sent_to_you"), "kind", "reset");
    assert_non_null(e);
    assert_null(strstr(ta.res.body, "/password/reset/")); /* the link itself stays out */
    e = arr_find(json_object_get(doc, "invitation_and_reset_links"), "purpose", "reset");
    assert_non_null(e);
    assert_true(json_integer_value(json_object_get(e, "expires_at")) > 0);
    e = arr_find(json_object_get(json_object_get(doc, "develop"), "ratings"), "note", "aqy note");
    assert_non_null(e);
    assert_int_equal(json_integer_value(json_object_get(e, "rating")), 2);
    /* the draft and the one submitted for a 360 */
    assert_int_equal(
        json_array_size(json_object_get(json_object_get(doc, "develop"), "self_assessments")), 2);
    assert_int_equal(
        json_array_size(json_object_get(json_object_get(doc, "develop"), "feedback_requests")), 1);
    json_decref(doc);
}

/* The API gives the same file to a token; no id sent can turn it to someone else. */
static void test_export_api_ignores_ids(void **state)
{
    struct test_client api;
    char auth[120], uri[96];
    int st;
    (void)state;
    tc_init(&api, app);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", a_token);
    snprintf(uri, sizeof uri, "/api/v1/account/data/download?id=%lld&user=%lld", (long long)b_id,
             (long long)b_id);
    st = tc_request(&api, "GET", uri, (const char *[]){auth, NULL}, NULL, 0);
    assert_true(st == 200 || st == 400);
    if (st == 200) {
        assert_true(tc_body_has(&api, A_EMAIL));
        assert_null(strcasestr(api.res.body, "zqxqz"));
    }
    assert_int_equal(tc_request(&api, "GET", "/api/v1/account/data/download",
                                (const char *[]){auth, NULL}, NULL, 0),
                     200);
    assert_true(tc_body_has(&api, A_EMAIL));
    assert_non_null(strstr(lb_header(&api.res, "Content-Disposition"), "attachment"));
    assert_null(strcasestr(api.res.body, "zqxqz"));
    tc_free(&api);
    /* B's own copy is B's */
    assert_int_equal(tc_get(&tb, "/api/v1/account/data/download"), 200);
    assert_true(tc_body_has(&tb, B_EMAIL));
    assert_null(strcasestr(tb.res.body, "aqy"));
}

/* ---- deletion ---- */

static int64_t a_rows(void)
{
    return q_int("SELECT count(*) FROM users WHERE id = $1", "i", a_id, NULL) +
           q_int("SELECT count(*) FROM sessions WHERE user_id = $1", "i", a_id, NULL) +
           q_int("SELECT count(*) FROM assess_responses WHERE user_id = $1", "i", a_id, NULL);
}

static void test_delete_refusals(void **state)
{
    int64_t before = a_rows();
    (void)state;
    assert_true(before >= 3);
    /* no box ticked: nothing is deleted, a right password is not called wrong */
    assert_int_equal(tc_post_form(&ta, "/account/delete", "password=correct+horse+battery", 1),
                     400);
    assert_true(tc_body_has(&ta, "Confirm that you understand"));
    assert_true(tc_body_has(&ta, "nhsuk-error-summary"));
    assert_false(tc_body_has(&ta, "Your password is not correct"));
    assert_false(tc_body_has(&ta, "value=\"1\" checked")); /* still not ticked */
    /* no box ticked and a wrong password: both at once, each linked from the summary */
    assert_int_equal(tc_post_form(&ta, "/account/delete", "password=not+my+password", 1), 400);
    assert_true(tc_body_has(&ta, "Confirm that you understand"));
    assert_true(tc_body_has(&ta, "Your password is not correct"));
    assert_true(tc_body_has(&ta, "href=\"#confirm\""));
    assert_true(tc_body_has(&ta, "href=\"#password\""));
    /* a wrong password */
    assert_int_equal(tc_post_form(&ta, "/account/delete", "password=not+my+password&confirm=1", 1),
                     400);
    assert_true(tc_body_has(&ta, "Your password is not correct"));
    assert_true(tc_body_has(&ta, "href=\"#password\""));
    assert_true(tc_body_has(&ta, "value=\"1\" checked")); /* the ticked box stays ticked */
    assert_int_equal(tc_post_json(&ta, "/api/v1/account/delete",
                                  "{\"password\": \"not my password\", \"confirm\": true}"),
                     400);
    assert_true(tc_body_has(&ta, "Your password is not correct"));
    assert_int_equal(tc_post_json(&ta, "/api/v1/account/delete",
                                  "{\"password\": \"correct horse battery\", \"confirm\": false}"),
                     400);
    assert_int_equal(a_rows(), before);
    /* guessing is throttled like logging in: from one network client, after 5 wrong
     * passwords even the right one is refused */
    for (int i = 0; i < 5; i++)
        assert_int_equal(
            post_from(&ta, "192.0.2.77", "/account/delete", "password=guess+guess+guess&confirm=1"),
            400);
    assert_int_equal(
        post_from(&ta, "192.0.2.77", "/account/delete", "password=correct+horse+battery&confirm=1"),
        429);
    assert_int_equal(a_rows(), before);
    assert_int_equal(tc_get(&ta, "/api/v1/account"), 200);
}

/* A member with a session and a token deletes their account through the page. */
static void test_delete_through_the_page(void **state)
{
    struct test_client c, api;
    char tok[80], cookie[300], auth[120];
    (void)state;
    login_as(&c, "carol@example.test");
    token_for(&c, "carol+token", tok);
    snprintf(cookie, sizeof cookie, "Cookie: ahp_session=%s", tc_cookie(&c, "ahp_session"));
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
    assert_int_equal(
        tc_post_form(&c, "/account/delete", "password=correct+horse+battery&confirm=1", 1), 200);
    assert_true(tc_body_has(&c, "Your account has been deleted"));
    assert_true(testapp_tidy(c.res.body, c.res.len, "account deleted") < 2);
    assert_false(tc_body_has(&c, "Log out")); /* shown as logged out */
    assert_non_null(lb_header(&c.res, "Clear-Site-Data"));
    assert_null(tc_cookie(&c, "ahp_session"));
    assert_int_equal(q_int("SELECT count(*) FROM users WHERE id = $1", "i", c_id, NULL), 0);
    assert_int_equal(q_int("SELECT count(*) FROM api_tokens WHERE user_id = $1", "i", c_id, NULL),
                     0);
    tc_init(&api, app);
    assert_int_equal(
        tc_request(&api, "GET", "/api/v1/account", (const char *[]){cookie, NULL}, NULL, 0), 401);
    assert_int_equal(
        tc_request(&api, "GET", "/api/v1/account", (const char *[]){auth, NULL}, NULL, 0), 401);
    assert_int_equal(tc_login(&api, "carol@example.test", PW), 401);
    tc_free(&api);
    tc_free(&c);
}

struct col {
    char table[64], name[64];
    int users; /* refers to users: a foreign key to it, or named as one (…_by, user_id, …) */
};

static const char SQLITE_COLS[] =
    "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p "
    "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY 1, 2";
static const char SQLITE_FKS[] =
    "SELECT m.name, f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f "
    "WHERE m.type = 'table' AND f.\"table\" = 'users'";
static const char PG_COLS[] =
    "SELECT table_name::text, column_name::text FROM information_schema.columns "
    "WHERE table_schema = current_schema() ORDER BY 1, 2";
static const char PG_FKS[] =
    "SELECT cl.relname::text, a.attname::text FROM pg_constraint c "
    "JOIN pg_class cl ON cl.oid = c.conrelid "
    "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) "
    "WHERE c.contype = 'f' AND c.confrelid = 'users'::regclass";

static bool named_for_users(const char *c)
{
    size_t n = strlen(c);
    return (n > 3 && !strcmp(c + n - 3, "_by")) || !strcmp(c, "user_id") ||
           !strcmp(c, "actor_id") || !strcmp(c, "subject_id");
}

/* Every column of every table in the schema. */
static size_t schema(struct db *db, struct col *cols, size_t max)
{
    bool pg = db_engine(db) == DB_POSTGRES;
    struct db_stmt *st = NULL;
    size_t n = 0;
    assert_int_equal(db_prepare(db, pg ? PG_COLS : SQLITE_COLS, &st), 0);
    while (db_step(st) == DB_ROW && n < max) {
        snprintf(cols[n].table, sizeof cols[n].table, "%s", db_col_text(st, 0));
        snprintf(cols[n].name, sizeof cols[n].name, "%s", db_col_text(st, 1));
        cols[n].users = named_for_users(cols[n].name);
        n++;
    }
    db_finalize(st);
    assert_true(n < max);
    assert_int_equal(db_prepare(db, pg ? PG_FKS : SQLITE_FKS, &st), 0);
    while (db_step(st) == DB_ROW)
        for (size_t i = 0; i < n; i++)
            if (!strcmp(cols[i].table, db_col_text(st, 0)) &&
                !strcmp(cols[i].name, db_col_text(st, 1)))
                cols[i].users = 1;
    db_finalize(st);
    return n;
}

/* Rows of the whole schema that still name user id (by a column that refers to users) or
 * hold email or name in any column; each is printed when report is set. */
static int64_t rows_naming(int64_t id, const char *email, const char *name, bool report)
{
    static struct col cols[2000];
    struct db *db = db_pool_get(app->pool);
    char sql[400], pe[300], pn[300];
    size_t n = schema(db, cols, sizeof cols / sizeof cols[0]), users = 0;
    int64_t found = 0;
    snprintf(pe, sizeof pe, "%%%s%%", email);
    snprintf(pn, sizeof pn, "%%%s%%", name);
    for (char *p = pn; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    assert_true(n > 100);
    for (size_t i = 0; i < n; i++) {
        struct db_stmt *st = NULL;
        int64_t k;
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM \"%.63s\" WHERE lower(CAST(\"%.63s\" AS TEXT)) LIKE $1 "
                 "OR lower(CAST(\"%.63s\" AS TEXT)) LIKE $2",
                 cols[i].table, cols[i].name, cols[i].name);
        assert_int_equal(db_row(db, sql, &st, "tt", pe, pn), 0);
        k = db_col_int(st, 0);
        db_finalize(st);
        if (k && report)
            print_message("  %s.%s holds the email or name in %lld rows\n", cols[i].table,
                          cols[i].name, (long long)k);
        found += k;
        if (!cols[i].users)
            continue;
        users++;
        snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%.63s\" WHERE \"%.63s\" = $1",
                 cols[i].table, cols[i].name);
        assert_int_equal(db_row(db, sql, &st, "i", id), 0);
        k = db_col_int(st, 0);
        db_finalize(st);
        if (k && report)
            print_message("  %s.%s names user %lld in %lld rows\n", cols[i].table, cols[i].name,
                          (long long)id, (long long)k);
        found += k;
    }
    db_pool_put(app->pool, db);
    /* the 14 user columns of today's schema at least: the walk reads what it should */
    assert_true(users >= 14);
    return found;
}

static void test_delete_leaves_nothing_that_names_a(void **state)
{
    struct test_client api;
    char cookie[300], auth[120], body[300], uri[96], *bench;
    size_t blen;
    int64_t audit =
        q_int("SELECT count(*) FROM audit_log WHERE event = 'role_changed'", NULL, 0, NULL);
    int64_t submitted =
        q_int("SELECT submitted FROM assess_rounds WHERE slug = $1", "t", 0, a_round);
    (void)state;
    /* the walk finds A before: it can fail */
    assert_true(rows_naming(a_id, A_EMAIL, A_NAME, false) > 10);
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/benchmarks", a_round);
    assert_int_equal(tc_get(&tb, uri), 200);
    blen = tb.res.len;
    bench = malloc(blen);
    assert_non_null(bench);
    memcpy(bench, tb.res.body, blen);
    assert_true(blen > 100);

    snprintf(cookie, sizeof cookie, "Cookie: ahp_session=%s", tc_cookie(&ta, "ahp_session"));
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", a_token);
    /* ids sent along are not fields of the route: refused, naming them, and nothing deleted */
    snprintf(body, sizeof body,
             "{\"password\": \"correct horse battery\", \"confirm\": true, \"id\": %lld, "
             "\"user_id\": %lld, \"email\": \"%s\"}",
             (long long)b_id, (long long)b_id, B_EMAIL);
    assert_int_equal(tc_post_json(&ta, "/api/v1/account/delete", body), 400);
    assert_true(tc_body_has(&ta, "\"user_id\""));
    assert_true(rows_naming(a_id, A_EMAIL, A_NAME, false) > 10);
    /* the member asking is deleted, nobody else */
    snprintf(body, sizeof body, "{\"password\": \"correct horse battery\", \"confirm\": true}");
    assert_int_equal(tc_post_json(&ta, "/api/v1/account/delete", body), 200);
    assert_true(tc_body_has(&ta, "\"deleted\":true"));
    assert_null(tc_cookie(&ta, "ahp_session"));

    assert_int_equal(rows_naming(a_id, A_EMAIL, A_NAME, true), 0);

    /* what is kept, is kept */
    assert_int_equal(
        q_int("SELECT count(*) FROM audit_log WHERE event = 'role_changed'", NULL, 0, NULL), audit);
    assert_int_equal(q_int("SELECT count(*) FROM audit_log WHERE event = 'account_deleted' AND "
                           "actor_id IS NULL AND subject_id IS NULL",
                           NULL, 0, NULL),
                     2);
    assert_int_equal(
        q_int("SELECT count(*) FROM audit_log WHERE detail LIKE '%a deleted user%'", NULL, 0, NULL),
        2);
    assert_int_equal(exercise_id(a_slug) > 0, 1);
    assert_int_equal(q_int("SELECT submitted FROM assess_rounds WHERE slug = $1", "t", 0, a_round),
                     submitted);
    assert_int_equal(q_int("SELECT count(*) FROM assess_responses s JOIN assess_rounds r ON "
                           "r.id = s.round_id WHERE r.slug = $1 AND s.submitted_at > 0 AND "
                           "s.answers LIKE '32141%'",
                           "t", 0, a_round),
                     1);
    assert_int_equal(tc_get(&tb, uri), 200);
    assert_int_equal(tb.res.len, blen);
    assert_memory_equal(tb.res.body, bench, blen);
    free(bench);

    /* A's cookie and token are dead */
    tc_init(&api, app);
    assert_int_equal(
        tc_request(&api, "GET", "/api/v1/account", (const char *[]){cookie, NULL}, NULL, 0), 401);
    assert_int_equal(
        tc_request(&api, "GET", "/api/v1/account", (const char *[]){auth, NULL}, NULL, 0), 401);
    assert_int_equal(tc_login(&api, A_EMAIL, PW), 401);
    tc_free(&api);

    /* B is untouched */
    assert_int_equal(q_int("SELECT count(*) FROM users WHERE id = $1", "i", b_id, NULL), 1);
    assert_int_equal(tc_get(&tb, "/api/v1/account/data/download"), 200);
    assert_true(tc_body_has(&tb, B_NAME));
    assert_true(tc_body_has(&tb, "zqxqz token"));
    assert_true(tc_body_has(&tb, "Zqxqz exercise"));
    assert_true(tc_body_has(&tb, "zqxqz reason"));
    assert_true(tc_body_has(&tb, "Zqxqz round"));
    assert_true(tc_body_has(&tb, "zqxqz-instrument"));
    assert_true(tc_body_has(&tb, b_round));
    assert_int_equal(q_int("SELECT count(*) FROM assess_responses WHERE user_id = $1 AND "
                           "submitted_at > 0",
                           "i", b_id, NULL),
                     1);
    assert_int_equal(
        q_int("SELECT count(*) FROM listen_facilitators WHERE user_id = $1", "i", b_id, NULL), 1);
    /* A's self-assessment and its notes went with the account; B's stayed */
    assert_int_equal(
        q_int("SELECT count(*) FROM develop_ratings WHERE note = $1", "t", 0, "aqy note"), 0);
    assert_int_equal(
        q_int("SELECT count(*) FROM develop_ratings WHERE note = $1", "t", 0, "zqxqz note"), 1);
}

/* ---- a deletion that fails part-way ----
 * For every database call the deletion makes, that call (and every later one) fails: the
 * answer is 503 "Try again" with nothing deleted or unlinked, or, once no call fails, the
 * account is gone. One transaction, so no half-deleted member. */
static int64_t d_id;
static char d_slug[64];

static int64_t d_links(void)
{
    return q_int("SELECT count(*) FROM users WHERE id = $1", "i", d_id, NULL) +
           q_int("SELECT count(*) FROM api_tokens WHERE user_id = $1", "i", d_id, NULL) +
           q_int("SELECT count(*) FROM listen_facilitators WHERE user_id = $1", "i", d_id, NULL) +
           q_int("SELECT count(*) FROM listen_exercises WHERE created_by = $1", "i", d_id, NULL) +
           q_int("SELECT count(*) FROM audit_log WHERE actor_id = $1", "i", d_id, NULL);
}

static void test_failed_deletion_deletes_nothing(void **state)
{
    struct test_client d;
    char tok[80];
    const char *body = "{\"password\": \"correct horse battery\", \"confirm\": true}";
    int status = 0, failed = 0;
    int64_t before;
    (void)state;
    d_id = testapp_user(app, "dora@example.test", "facilitator", PW);
    login_as(&d, "dora@example.test");
    token_for(&d, "dora+token", tok);
    new_exercise(&d, "Dora+exercise", d_slug);
    before = d_links();
    assert_true(before >= 5);
    /* each call in turn fails, from the first, until none is left to fail */
    for (long n = 1; n < 200; n++) {
        db_fault_after(n);
        status = tc_post_json(&d, "/api/v1/account/delete", body);
        db_fault_after(0);
        if (status == 200)
            break;
        if (status != 503)
            fail_msg("call %ld failed: answered %d, not 503", n, status);
        if (!tc_body_has(&d, "Try again"))
            fail_msg("call %ld failed: 503 without \"Try again\"", n);
        if (d_links() != before)
            fail_msg("call %ld failed: 503 but something was deleted", n);
        failed++;
    }
    assert_int_equal(status, 200);
    assert_true(failed > 10);
    assert_int_equal(d_links(), 0);
    assert_true(exercise_id(d_slug) > 0);
    tc_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_last_admin_refused),
        cmocka_unit_test(test_make_data),
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_export_has_own_data_only),
        cmocka_unit_test(test_export_api_ignores_ids),
        cmocka_unit_test(test_delete_refusals),
        cmocka_unit_test(test_delete_through_the_page),
        cmocka_unit_test(test_delete_leaves_nothing_that_names_a),
        cmocka_unit_test(test_failed_deletion_deletes_nothing),
        cmocka_unit_test(test_privacy_notice_through_the_api),
        cmocka_unit_test(test_accessibility_statement_through_the_api),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
