/* invite_test.c: inviting people (one, and from CSV), the set-password link, resending,
 * deactivation, the role confirmation and the audit log in words, through the loopback
 *
 * Runs on whichever database AHPHUB_TEST_DB names (SQLite and PostgreSQL in tests/run.sh).
 * The mail itself is read from the outbox table, as the person would read it in their inbox.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "account/account.h"
#include "account/invite.h"
#include "account/links.h"
#include "account/org.h"
#include "app.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static const char *PW = "correct horse battery";

static int setup(void **state)
{
    struct db *db;
    int64_t org;
    (void)state;
    app = testapp_new();
    testapp_user(app, "admin@example.test", "admin", PW);
    testapp_user(app, "member@example.test", "member", PW);
    db = db_pool_get(app->pool);
    if (account_org_ensure(db, "Leeds Teaching Hospitals NHS Trust", NULL, "north-east-yorkshire",
                           &org))
        return -1;
    db_pool_put(app->pool, db);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    testapp_free(app);
    return 0;
}

/* Runs one statement on one of the app's connections (tests reach into the database to
 * age a link, as time passing would). */
static void sql(const char *text, const char *arg)
{
    struct db *db = db_pool_get(app->pool);
    assert_int_equal(db_run(db, text, arg ? "t" : "", arg), 0);
    db_pool_put(app->pool, db);
}

/* The token in the newest mail to `to` after `path` ("/set-password/"), copied to out (65
 * bytes); fails the test when there is none. Also returns how many mails `to` has. */
static int64_t mail_token(const char *to, const char *path, char *out)
{
    struct db *db = db_pool_get(app->pool);
    struct db_stmt *st = NULL;
    const char *p;
    int64_t n;
    assert_int_equal(db_row(db,
                            "SELECT body_text, body_html FROM mail_outbox WHERE recipient = $1 "
                            "ORDER BY id DESC LIMIT 1",
                            &st, "t", to),
                     0);
    p = strstr(db_col_text(st, 0), path);
    assert_non_null(p);
    p += strlen(path);
    snprintf(out, 65, "%.64s", p);
    assert_int_equal(strlen(out), 64);
    /* the HTML part carries the same link */
    assert_non_null(strstr(db_col_text(st, 1), out));
    db_finalize(st);
    db_pool_put(app->pool, db);
    n = testapp_int(app, "SELECT count(*) FROM mail_outbox WHERE recipient = $1", to);
    return n;
}

static void admin_login(struct test_client *tc)
{
    tc_init(tc, app);
    assert_int_equal(tc_login(tc, "admin@example.test", PW), 303);
}

static int64_t user_id(const char *email)
{
    return testapp_int(app, "SELECT id FROM users WHERE email = $1", email);
}

static void test_invite_then_set_password(void **state)
{
    struct test_client adm, jo;
    char token[65], uri[128], form[200];
    (void)state;
    admin_login(&adm);
    tc_init(&jo, app);
    assert_int_equal(tc_get(&adm, "/admin/users/invite"), 200);
    assert_true(tc_body_has(&adm, "Leeds Teaching Hospitals NHS Trust"));
    snprintf(form, sizeof form,
             "email=Jo.Walsh%%40example.test&display_name=Jo+Walsh&role=member"
             "&profession=physiotherapist&region=london&organisation=%lld",
             (long long)testapp_int(app, "SELECT id FROM organisations WHERE name = $1",
                                    "Leeds Teaching Hospitals NHS Trust"));
    assert_int_equal(tc_post_form(&adm, "/admin/users/invite", form, 1), 201);
    assert_true(tc_body_has(&adm, "1 person invited"));
    assert_true(tc_body_has(&adm, "jo.walsh@example.test"));
    assert_int_equal(mail_token("jo.walsh@example.test", "/set-password/", token), 1);
    /* the mail's link starts with the site's address */
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM mail_outbox WHERE body_text LIKE $1",
                                 "%http://127.0.0.1:8080/set-password/%"),
                     1);
    /* invited, not yet able to log in, with any password */
    assert_int_equal(tc_get(&adm, "/admin/users?q=walsh"), 200);
    assert_true(tc_body_has(&adm, ">invited<"));
    assert_int_equal(tc_login(&jo, "jo.walsh@example.test", ""), 400);
    assert_int_equal(tc_login(&jo, "jo.walsh@example.test", "anything+at+all+really"), 401);
    assert_true(tc_body_has(&jo, "Enter a correct email address and password"));
    /* the link's page */
    snprintf(uri, sizeof uri, "/set-password/%s", token);
    assert_int_equal(tc_get(&jo, uri), 200);
    assert_true(tc_body_has(&jo, "Set your password"));
    assert_true(tc_body_has(&jo, "jo.walsh@example.test"));
    /* mistakes are shown on the form, and the link still works after them */
    assert_int_equal(
        tc_post_form(&jo, uri, "new_password=a+new+and+long+secret&confirm_password=other", 1),
        400);
    assert_true(tc_body_has(&jo, "The new passwords do not match"));
    assert_int_equal(tc_post_form(&jo, uri, "new_password=short&confirm_password=short", 1), 400);
    assert_true(tc_body_has(&jo, "12 characters or more"));
    assert_int_equal(tc_post_form(&jo, uri,
                                  "new_password=a+new+and+long+secret"
                                  "&confirm_password=a+new+and+long+secret",
                                  1),
                     303);
    assert_string_equal(lb_header(&jo.res, "Location"), "/home");
    assert_non_null(tc_cookie(&jo, "ahp_session"));
    assert_int_equal(tc_get(&jo, "/api/v1/account"), 200);
    assert_true(tc_body_has(&jo, "\"email\":\"jo.walsh@example.test\""));
    assert_true(tc_body_has(&jo, "\"profession\":\"physiotherapist\""));
    /* the link is used: a replay is refused, by page and by API */
    {
        struct test_client other;
        tc_init(&other, app);
        assert_int_equal(tc_get(&other, uri), 410);
        assert_true(tc_body_has(&other, "This link has already been used or has expired"));
        assert_int_equal(tc_post_form(&other, uri,
                                      "new_password=another+long+secret"
                                      "&confirm_password=another+long+secret",
                                      1),
                         410);
        assert_null(tc_cookie(&other, "ahp_session"));
        tc_free(&other);
    }
    /* the password works for logging in */
    tc_reset(&jo);
    assert_int_equal(tc_login(&jo, "jo.walsh@example.test", "a+new+and+long+secret"), 303);
    /* the audit log says what happened, in words */
    assert_int_equal(tc_get(&adm, "/admin/audit"), 200);
    assert_true(tc_body_has(&adm, "admin@example.test invited Jo Walsh as a member"));
    assert_true(tc_body_has(&adm, "Jo Walsh accepted their invitation and set a password"));
    assert_true(tc_body_has(&adm, "Someone tried to log in as Jo Walsh with a wrong password"));
    tc_free(&adm);
    tc_free(&jo);
}

static void test_wrong_and_expired_links(void **state)
{
    struct test_client adm, anon;
    char token[65], uri[128];
    (void)state;
    admin_login(&adm);
    tc_init(&anon, app);
    /* a token that never existed, or is not a token at all: 404, said plainly */
    assert_int_equal(tc_get(&anon, "/set-password/"
                                   "00000000000000000000000000000000"
                                   "00000000000000000000000000000000"),
                     404);
    assert_true(tc_body_has(&anon, "This link is not right"));
    assert_int_equal(tc_get(&anon, "/set-password/nonsense"), 404);
    assert_int_equal(tc_get(&anon, "/api/v1/set-password/nonsense"), 404);
    assert_true(tc_body_has(&anon, "\"error\":\"not_found\""));
    /* through the API: JSON in, numbers as numbers out */
    assert_int_equal(tc_get_json(&adm, "/account"), 200);
    assert_int_equal(tc_post_json(&adm, "/api/v1/admin/users/invite",
                                  "{\"email\":\"late@example.test\",\"display_name\":\"Sam Late\","
                                  "\"role\":\"facilitator\"}"),
                     201);
    assert_true(tc_body_has(&adm, "\"invited\":1"));
    assert_true(tc_body_has(&adm, "\"role\":\"facilitator\""));
    mail_token("late@example.test", "/set-password/", token);
    snprintf(uri, sizeof uri, "/set-password/%s", token);
    assert_int_equal(tc_get(&anon, uri), 200);
    /* seven days later */
    sql("UPDATE account_links SET expires_at = 1 WHERE user_id = "
        "(SELECT id FROM users WHERE email = $1)",
        "late@example.test");
    assert_int_equal(tc_get(&anon, uri), 410);
    assert_true(tc_body_has(&anon, "This link has already been used or has expired"));
    assert_true(tc_body_has(&anon, "Ask the administrator who invited you"));
    assert_int_equal(tc_post_form(&anon, uri,
                                  "new_password=a+new+and+long+secret"
                                  "&confirm_password=a+new+and+long+secret",
                                  1),
                     410);
    assert_int_equal(testapp_int(app,
                                 "SELECT count(*) FROM users WHERE email = $1 AND "
                                 "password_hash = ''",
                                 "late@example.test"),
                     1);
    tc_free(&adm);
    tc_free(&anon);
}

static void test_resend_ends_the_old_link(void **state)
{
    struct test_client adm, anon;
    char old[65], fresh[65], uri[128];
    int64_t id;
    (void)state;
    admin_login(&adm);
    tc_init(&anon, app);
    assert_int_equal(tc_post_form(&adm, "/admin/users/invite",
                                  "email=resend%40example.test&display_name=Ria+Send&role=member",
                                  1),
                     201);
    mail_token("resend@example.test", "/set-password/", old);
    id = user_id("resend@example.test");
    snprintf(uri, sizeof uri, "/admin/users/%lld", (long long)id);
    assert_int_equal(tc_get(&adm, uri), 200);
    assert_true(tc_body_has(&adm, "Send a new invitation"));
    assert_true(tc_body_has(&adm, "Never"));
    snprintf(uri, sizeof uri, "/admin/users/%lld/resend", (long long)id);
    assert_int_equal(tc_post_form(&adm, uri, "", 1), 303);
    assert_int_equal(mail_token("resend@example.test", "/set-password/", fresh), 2);
    assert_string_not_equal(old, fresh);
    snprintf(uri, sizeof uri, "/set-password/%s", old);
    assert_int_equal(tc_get(&anon, uri), 410);
    snprintf(uri, sizeof uri, "/set-password/%s", fresh);
    assert_int_equal(tc_get(&anon, uri), 200);
    /* someone who already has a password needs no invitation */
    snprintf(uri, sizeof uri, "/admin/users/%lld/resend",
             (long long)user_id("member@example.test"));
    assert_int_equal(tc_post_form(&adm, uri, "", 1), 409);
    assert_true(tc_body_has(&adm, "already set a password"));
    assert_int_equal(tc_get(&adm, "/admin/audit"), 200);
    assert_true(tc_body_has(&adm, "admin@example.test sent Ria Send a new invitation link"));
    tc_free(&adm);
    tc_free(&anon);
}

static void test_invite_errors_keep_what_was_typed(void **state)
{
    struct test_client adm, member;
    (void)state;
    admin_login(&adm);
    assert_int_equal(tc_post_form(&adm, "/admin/users/invite",
                                  "email=member%40example.test&display_name=Someone+Else"
                                  "&role=member&profession=dietitian",
                                  1),
                     400);
    assert_true(tc_body_has(&adm, "There is already an account for this email address"));
    assert_true(tc_body_has(&adm, "Someone Else"));
    assert_true(tc_body_has(&adm, "value=\"dietitian\" selected"));
    assert_int_equal(tc_post_form(&adm, "/admin/users/invite",
                                  "email=not-an-email&display_name=&role=wizard", 1),
                     400);
    assert_true(tc_body_has(&adm, "nhsuk-error-summary"));
    assert_true(tc_body_has(&adm, "Enter their name"));
    assert_true(tc_body_has(&adm, "Select a role"));
    /* an address with an account and a blank name: both said at once, page and API */
    assert_int_equal(tc_post_form(&adm, "/admin/users/invite",
                                  "email=Member%40example.test&display_name=&role=member", 1),
                     400);
    assert_true(tc_body_has(&adm, "Enter their name"));
    assert_true(tc_body_has(&adm, "There is already an account for this email address"));
    assert_int_equal(tc_get_json(&adm, "/account"), 200);
    assert_int_equal(tc_post_json(&adm, "/api/v1/admin/users/invite",
                                  "{\"email\":\"member@example.test\",\"display_name\":\"\"}"),
                     400);
    assert_true(tc_body_has(&adm, "There is already an account for this email address"));
    assert_true(tc_body_has(&adm, "display_name"));
    /* a member may not invite */
    tc_init(&member, app);
    assert_int_equal(tc_login(&member, "member@example.test", PW), 303);
    assert_int_equal(tc_post_form(&member, "/admin/users/invite",
                                  "email=x%40example.test&display_name=X&role=admin", 1),
                     403);
    assert_int_equal(
        testapp_int(app, "SELECT count(*) FROM users WHERE email = $1", "x@example.test"), 0);
    tc_free(&adm);
    tc_free(&member);
}

/* A multipart upload of a CSV file to the invite page. */
static int upload_csv(struct test_client *tc, const char *csv)
{
    char body[8192], ctype[96];
    const char *h[] = {ctype, NULL};
    int n = snprintf(body, sizeof body,
                     "--XXB\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n%s\r\n"
                     "--XXB\r\nContent-Disposition: form-data; name=\"csv_file\"; "
                     "filename=\"people.csv\"\r\nContent-Type: text/csv\r\n\r\n%s\r\n--XXB--\r\n",
                     tc_csrf(tc), csv);
    snprintf(ctype, sizeof ctype, "Content-Type: multipart/form-data; boundary=XXB");
    return tc_request(tc, "POST", "/admin/users/invite/csv", h, body, (size_t)n);
}

static void test_csv_all_or_nothing(void **state)
{
    struct test_client adm;
    int64_t users = testapp_int(app, "SELECT count(*) FROM users WHERE $1 = $1", "x");
    int64_t mails = testapp_int(app, "SELECT count(*) FROM mail_outbox WHERE $1 = $1", "x");
    (void)state;
    admin_login(&adm);
    assert_int_equal(tc_get(&adm, "/admin/users/invite"), 200);
    /* row 3 names an organisation that does not exist, row 4 a role, row 5 repeats row 2,
     * row 6 is someone who has an account: nothing is created, each row is named */
    assert_int_equal(upload_csv(&adm, "Email,Name,Role,Profession,Region,Organisation\n"
                                      "ann@example.test,Ann Able,member,Physiotherapist,London,"
                                      "leeds teaching hospitals nhs trust\n"
                                      "bob@example.test,Bob Baker,facilitator,dietitian,"
                                      "south-west,Nowhere Trust\n"
                                      "cat@example.test,Cat Cole,wizard,,,\n"
                                      "ann@example.test,Ann Again,,,,\n"
                                      "member@example.test,Member,,,,\n"),
                     400);
    assert_true(tc_body_has(&adm, "Nobody has been invited"));
    assert_true(
        tc_body_has(&adm, "Row 3: there is no organisation called &quot;Nowhere Trust&quot;"));
    assert_true(tc_body_has(&adm, "Row 4: the role &quot;wizard&quot;"));
    assert_true(tc_body_has(&adm, "Row 5: ann@example.test is also on row 2"));
    assert_true(tc_body_has(&adm, "Row 6: there is already an account for member@example.test"));
    assert_false(tc_body_has(&adm, "Row 2"));
    /* files from a spreadsheet: said in words that say what to do */
    assert_int_equal(upload_csv(&adm, "Email,Name\nzoe@example.test,Zo\xeb Able\n"), 400);
    assert_true(tc_body_has(&adm, "could not be read at line 2: not UTF-8 text (in a "
                                  "spreadsheet, save the file as CSV UTF-8)"));
    assert_int_equal(upload_csv(&adm, "PK\x03\x04workbook"), 400);
    assert_true(tc_body_has(&adm, "The file is an Excel workbook, not a CSV file"));
    assert_int_equal(upload_csv(&adm, ""), 400);
    assert_true(tc_body_has(&adm, "The file you chose is empty"));
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM users WHERE $1 = $1", "x"), users);
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM mail_outbox WHERE $1 = $1", "x"),
                     mails);
    /* the same through the API, with the file as text */
    assert_int_equal(tc_get_json(&adm, "/account"), 200);
    assert_int_equal(tc_post_json(&adm, "/api/v1/admin/users/invite/csv",
                                  "{\"csv\":\"email,name\\nnot an address,Dee\\n\"}"),
                     400);
    assert_true(tc_body_has(&adm, "Row 2: \\\"not an address\\\" is not an email address"));
    /* a file with very many mistakes lists the first 49 and says there are more */
    {
        struct buf b = BUF_INIT;
        const char *p;
        int rows = 0;
        buf_puts(&b, "{\"csv\":\"email,name\\n");
        for (int i = 0; i < 60; i++)
            buf_printf(&b, "bad%d,Someone\\n", i);
        buf_puts(&b, "\"}");
        assert_false(buf_oom(&b));
        assert_int_equal(tc_post_json(&adm, "/api/v1/admin/users/invite/csv", b.data), 400);
        buf_free(&b);
        for (p = adm.res.body; (p = strstr(p, "\"Row ")); p++)
            rows++;
        assert_int_equal(rows, 49);
        assert_true(tc_body_has(&adm, "There are more problems than can be listed here"));
    }
    /* a good file invites everyone on it, each with their own link */
    assert_int_equal(upload_csv(&adm, "email,name,role,profession,region,organisation\r\n"
                                      "ann@example.test,Ann Able,member,Physiotherapist,London,"
                                      "Leeds Teaching Hospitals NHS Trust\r\n"
                                      "bob@example.test,Bob Baker,facilitator,dietitian,"
                                      "south-west,\r\n"
                                      "\"cat@example.test\",\"Cole, Cat\",,,,\r\n"),
                     201);
    assert_true(tc_body_has(&adm, "3 people invited"));
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM users WHERE $1 = $1", "x"), users + 3);
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM mail_outbox WHERE $1 = $1", "x"),
                     mails + 3);
    assert_int_equal(testapp_int(app,
                                 "SELECT count(*) FROM users u JOIN organisations o ON o.id = "
                                 "u.organisation_id WHERE u.email = $1 AND u.profession = "
                                 "'physiotherapist' AND u.region = 'london'",
                                 "ann@example.test"),
                     1);
    assert_int_equal(testapp_int(app,
                                 "SELECT count(*) FROM users WHERE email = $1 AND role = "
                                 "'facilitator'",
                                 "bob@example.test"),
                     1);
    {
        char a[65], b[65];
        mail_token("ann@example.test", "/set-password/", a);
        mail_token("cat@example.test", "/set-password/", b);
        assert_string_not_equal(a, b);
    }
    tc_free(&adm);
}

/* Deactivation ends the sessions and API tokens at once; login is refused until the account
 * is reactivated; an admin cannot deactivate themselves. */
static void test_deactivate_and_reactivate(void **state)
{
    struct test_client adm, leaver, api;
    char auth[200], uri[128];
    const char *p;
    int64_t id = testapp_user(app, "leaver@example.test", "member", PW);
    (void)state;
    admin_login(&adm);
    tc_init(&leaver, app);
    tc_init(&api, app);
    assert_int_equal(tc_login(&leaver, "leaver@example.test", PW), 303);
    assert_int_equal(tc_post_form(&leaver, "/account/tokens", "name=Script", 1), 201);
    p = strstr(leaver.res.body, "ahp_");
    assert_non_null(p);
    snprintf(auth, sizeof auth, "Authorization: Bearer %.68s", p);
    assert_int_equal(
        tc_request(&api, "GET", "/api/v1/account", (const char *[]){auth, NULL}, NULL, 0), 200);
    snprintf(uri, sizeof uri, "/admin/users/%lld", (long long)id);
    assert_int_equal(tc_get(&adm, uri), 200);
    assert_true(tc_body_has(&adm, "Deactivate this account"));
    snprintf(uri, sizeof uri, "/admin/users/%lld/deactivate", (long long)id);
    assert_int_equal(tc_post_form(&adm, uri, "", 1), 303);
    /* at once: the old cookie and the bearer token are refused */
    assert_int_equal(tc_get_json(&leaver, "/account"), 401);
    assert_int_equal(
        tc_request(&api, "GET", "/api/v1/account", (const char *[]){auth, NULL}, NULL, 0), 401);
    tc_reset(&leaver);
    assert_int_equal(tc_login(&leaver, "leaver@example.test", PW), 403);
    assert_true(tc_body_has(&leaver, "Your account has been deactivated"));
    assert_true(tc_body_has(&leaver, "ask an administrator"));
    assert_false(tc_body_has(&leaver, "You do not have permission"));
    assert_false(tc_body_has(&leaver, "Log in</a> to continue"));
    assert_null(tc_cookie(&leaver, "ahp_session"));
    assert_int_equal(tc_post_form(&adm, uri, "", 1), 409);
    snprintf(uri, sizeof uri, "/admin/users/%lld", (long long)id);
    assert_int_equal(tc_get(&adm, uri), 200);
    assert_true(tc_body_has(&adm, "Reactivate this account"));
    /* the API, with JSON */
    snprintf(uri, sizeof uri, "/api/v1/admin/users/%lld/reactivate", (long long)id);
    assert_int_equal(tc_get_json(&adm, "/account"), 200);
    assert_int_equal(tc_post_json(&adm, uri, "{}"), 200);
    assert_true(tc_body_has(&adm, "\"state\":\"active\""));
    assert_int_equal(tc_login(&leaver, "leaver@example.test", PW), 303);
    /* the token revoked stays revoked */
    assert_int_equal(
        tc_request(&api, "GET", "/api/v1/account", (const char *[]){auth, NULL}, NULL, 0), 401);
    /* an admin cannot deactivate themselves */
    snprintf(uri, sizeof uri, "/admin/users/%lld/deactivate",
             (long long)user_id("admin@example.test"));
    assert_int_equal(tc_post_form(&adm, uri, "", 1), 403);
    assert_true(tc_body_has(&adm, "You cannot deactivate your own account"));
    assert_int_equal(tc_get_json(&adm, "/account"), 200);
    assert_int_equal(tc_get(&adm, "/admin/audit"), 200);
    assert_true(tc_body_has(&adm, "admin@example.test deactivated leaver@example.test"));
    assert_true(tc_body_has(&adm, "admin@example.test reactivated leaver@example.test"));
    tc_free(&adm);
    tc_free(&leaver);
    tc_free(&api);
}

/* An invited account that is deactivated and reactivated has no password and no live link:
 * the pages say it needs a new invitation, not that its owner can log in again. */
static void test_reactivate_invited(void **state)
{
    struct test_client adm;
    char uri[128];
    int64_t id;
    (void)state;
    admin_login(&adm);
    assert_int_equal(tc_post_form(&adm, "/admin/users/invite",
                                  "email=never%40example.test&display_name=Nev+Er&role=member", 1),
                     201);
    id = testapp_int(app, "SELECT id FROM users WHERE email = $1", "never@example.test");
    snprintf(uri, sizeof uri, "/admin/users/%lld/deactivate", (long long)id);
    assert_int_equal(tc_post_form(&adm, uri, "", 1), 303);
    snprintf(uri, sizeof uri, "/admin/users/%lld", (long long)id);
    assert_int_equal(tc_get(&adm, uri), 200);
    assert_true(tc_body_has(&adm, "Reactivate this account"));
    assert_true(tc_body_has(&adm, "never set a password"));
    assert_false(tc_body_has(&adm, "with their old password"));
    snprintf(uri, sizeof uri, "/admin/users/%lld/reactivate", (long long)id);
    assert_int_equal(tc_post_form(&adm, uri, "", 1), 303);
    snprintf(uri, sizeof uri, "/admin/users/%lld", (long long)id);
    assert_int_equal(tc_get(&adm, uri), 200);
    assert_false(tc_body_has(&adm, "Its owner can log in again"));
    assert_true(tc_body_has(&adm, "send them a new invitation"));
    assert_true(tc_body_has(&adm, "Send a new invitation"));
    tc_free(&adm);
}

static void test_role_change_needs_confirmation(void **state)
{
    struct test_client adm;
    char uri[128];
    int64_t id = testapp_user(app, "rising@example.test", "member", PW);
    (void)state;
    admin_login(&adm);
    snprintf(uri, sizeof uri, "/admin/users/%lld/role", (long long)id);
    assert_int_equal(tc_post_form(&adm, uri, "role=admin", 1), 200);
    assert_true(tc_body_has(&adm, "Make rising@example.test an admin?"));
    assert_true(tc_body_has(&adm, "Admins can"));
    assert_true(tc_body_has(&adm, "Confirm"));
    assert_true(tc_body_has(&adm, "Cancel"));
    assert_int_equal(testapp_int(app,
                                 "SELECT count(*) FROM users WHERE email = $1 AND role = "
                                 "'member'",
                                 "rising@example.test"),
                     1);
    /* the API: without "confirm": true, a 422 that says so, and nothing changes */
    snprintf(uri, sizeof uri, "/api/v1/admin/users/%lld/role", (long long)id);
    assert_int_equal(tc_get_json(&adm, "/account"), 200);
    assert_int_equal(tc_post_json(&adm, uri, "{\"role\":\"admin\"}"), 422);
    assert_true(tc_body_has(&adm, "confirm"));
    assert_int_equal(tc_post_json(&adm, uri, "{\"role\":\"admin\",\"confirm\":false}"), 422);
    assert_int_equal(testapp_int(app,
                                 "SELECT count(*) FROM users WHERE email = $1 AND role = "
                                 "'member'",
                                 "rising@example.test"),
                     1);
    assert_int_equal(tc_post_json(&adm, uri, "{\"role\":\"admin\",\"confirm\":true}"), 200);
    assert_true(tc_body_has(&adm, "\"role\":\"admin\""));
    assert_int_equal(testapp_int(app,
                                 "SELECT count(*) FROM users WHERE email = $1 AND role = "
                                 "'admin'",
                                 "rising@example.test"),
                     1);
    assert_int_equal(tc_get(&adm, "/admin/audit"), 200);
    assert_true(tc_body_has(&adm, "admin@example.test made rising@example.test an admin"));
    /* the raw code and the old and new roles stay in the JSON */
    assert_int_equal(tc_get_json(&adm, "/admin/audit"), 200);
    assert_true(tc_body_has(&adm, "\"event\":\"role_changed\""));
    assert_true(tc_body_has(&adm, "\"detail\":\"member -> admin\""));
    /* making an admin an admin changes nothing and audits nothing, on the page and the API */
    snprintf(uri, sizeof uri, "/admin/users/%lld/role", (long long)id);
    assert_int_equal(tc_post_form(&adm, uri, "role=admin&confirm=1", 1), 409);
    assert_true(tc_body_has(&adm, "rising@example.test is already an admin. Nothing has been "
                                  "changed."));
    assert_int_equal(tc_post_form(&adm, uri, "role=admin", 1), 409);
    assert_false(tc_body_has(&adm, "Confirm"));
    snprintf(uri, sizeof uri, "/api/v1/admin/users/%lld/role", (long long)id);
    assert_int_equal(tc_post_json(&adm, uri, "{\"role\":\"admin\",\"confirm\":true}"), 409);
    assert_true(tc_body_has(&adm, "is already an admin"));
    assert_int_equal(testapp_int(app,
                                 "SELECT count(*) FROM audit_log WHERE event = 'role_changed' "
                                 "AND detail = 'admin -> admin'",
                                 NULL),
                     0);
    tc_free(&adm);
}

/* Two people (or two clicks) using one link at once: exactly one sets the password. */
struct racer {
    const char *uri;
    int status;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    struct test_client tc;
    tc_init(&tc, app);
    tc_get(&tc, r->uri);
    r->status = tc_post_form(&tc, r->uri,
                             "new_password=a+new+and+long+secret"
                             "&confirm_password=a+new+and+long+secret",
                             1);
    tc_free(&tc);
    return NULL;
}

static void test_link_used_once_under_a_race(void **state)
{
    struct test_client adm;
    struct racer r[4];
    pthread_t t[4];
    char token[65], uri[128];
    int won = 0, lost = 0;
    (void)state;
    admin_login(&adm);
    assert_int_equal(tc_post_form(&adm, "/admin/users/invite",
                                  "email=race%40example.test&display_name=Rae+Race&role=member", 1),
                     201);
    mail_token("race@example.test", "/set-password/", token);
    snprintf(uri, sizeof uri, "/set-password/%s", token);
    for (int i = 0; i < 4; i++) {
        r[i].uri = uri;
        r[i].status = 0;
        assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        won += r[i].status == 303;
        lost += r[i].status == 410;
    }
    assert_int_equal(won, 1);
    assert_int_equal(lost, 3);
    assert_int_equal(testapp_int(app,
                                 "SELECT count(*) FROM sessions s JOIN users u ON u.id = "
                                 "s.user_id WHERE u.email = $1",
                                 "race@example.test"),
                     1);
    tc_free(&adm);
}

/* `ahphub user invite` does what the admin's page does, and prints the link for an operator
 * without mail: the link works. The program is the one built beside this test binary. */
/* An admin demoted while inviting invites nobody: account_invite checks, under the admins'
 * lock, that whoever invites is still an admin (account_admin_hold). */
static void test_invite_needs_an_admin_still(void **state)
{
    struct db *db = db_pool_get(app->pool);
    struct link_mailer m = {app->tpl, "https://hub.example.nhs.uk", true};
    struct invite v = {0};
    int64_t was = testapp_user(app, "was.admin@example.test", "member", PW), id = 0;
    (void)state;
    v.email = "made.by.nobody@example.test";
    v.display_name = "Made By Nobody";
    v.role = ROLE_ADMIN;
    assert_int_equal(account_invite(db, &m, was, &v, 1, (int64_t)time(NULL), &id, NULL),
                     APP_E_FORBIDDEN);
    assert_int_equal(testapp_int(app, "SELECT COUNT(*) FROM users WHERE email = $1",
                                 "made.by.nobody@example.test"),
                     0);
    db_pool_put(app->pool, db);
}

static void test_command_line_invite(void **state)
{
    struct test_client tc, adm;
    char exe[4096], cmd[8192], out[4096], uri[128];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    const char *p;
    size_t got;
    FILE *f;
    (void)state;
    assert_true(n > 0);
    exe[n] = '\0';
    /* build/tests/http/invite_test -> build/ahphub */
    for (int i = 0; i < 3; i++) {
        char *slash = strrchr(exe, '/');
        assert_non_null(slash);
        *slash = '\0';
    }
    snprintf(cmd, sizeof cmd,
             "AHPHUB_LOG_LEVEL=warn AHPHUB_BASE_URL=https://hub.example.nhs.uk %s/ahphub user "
             "invite Cli.Person@example.test --role facilitator --name 'Cli Person' --db '%s' "
             "2>&1",
             exe, testapp_db_url());
    f = popen(cmd, "r");
    assert_non_null(f);
    got = fread(out, 1, sizeof out - 1, f);
    out[got] = '\0';
    assert_int_equal(pclose(f), 0);
    p = strstr(out, "link: https://hub.example.nhs.uk/set-password/");
    if (!p)
        fprintf(stderr, "%s\n", out);
    assert_non_null(p);
    snprintf(uri, sizeof uri, "%.78s", p + strlen("link: https://hub.example.nhs.uk"));
    /* the mail is queued to the address, with the same link */
    {
        char token[65];
        assert_int_equal(mail_token("cli.person@example.test", "/set-password/", token), 1);
        assert_non_null(strstr(uri, token));
    }
    tc_init(&tc, app);
    assert_int_equal(tc_get(&tc, uri), 200);
    assert_int_equal(tc_post_form(&tc, uri,
                                  "new_password=a+new+and+long+secret"
                                  "&confirm_password=a+new+and+long+secret",
                                  1),
                     303);
    assert_int_equal(tc_get_json(&tc, "/account"), 200);
    assert_true(tc_body_has(&tc, "\"role\":\"facilitator\""));
    admin_login(&adm);
    assert_int_equal(tc_get(&adm, "/admin/audit"), 200);
    assert_true(tc_body_has(&adm, "The command line invited Cli Person as a facilitator"));
    /* the same address again is refused, and says why */
    f = popen(cmd, "r");
    assert_non_null(f);
    got = fread(out, 1, sizeof out - 1, f);
    out[got] = '\0';
    assert_int_not_equal(pclose(f), 0);
    assert_non_null(strstr(out, "already exists"));
    tc_free(&tc);
    tc_free(&adm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invite_then_set_password),
        cmocka_unit_test(test_wrong_and_expired_links),
        cmocka_unit_test(test_resend_ends_the_old_link),
        cmocka_unit_test(test_invite_errors_keep_what_was_typed),
        cmocka_unit_test(test_csv_all_or_nothing),
        cmocka_unit_test(test_deactivate_and_reactivate),
        cmocka_unit_test(test_reactivate_invited),
        cmocka_unit_test(test_role_change_needs_confirmation),
        cmocka_unit_test(test_invite_needs_an_admin_still),
        cmocka_unit_test(test_link_used_once_under_a_race),
        cmocka_unit_test(test_command_line_invite),
    };
    return cmocka_run_group_tests_name("http/invite", tests, setup, teardown);
}
