/* oidc_test.c: signing in with the organisation's account, against a real provider process
 *
 * tests/support/oidc_provider.py is started on a free loopback port and the app is configured
 * with it as issuer. Each sign-in is driven as a browser would be, redirects followed by
 * hand: GET /login/oidc through the loopback → its Location at the provider, fetched with
 * libcurl → the provider's Location back to the callback → GET through the loopback with the
 * browser's cookies. The provider's /control endpoint makes it hand out bad tokens. The last
 * test stops the provider to see the sign-in fail cleanly when it is unreachable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "core/buf.h"
#include "store/db.h"
#include "support/testapp.h"

#define CLIENT_ID     "ahphub-test-client"
#define CLIENT_SECRET "test-client-secret-0123456789"
#define BASE_URL      "https://hub.example.test"
#define BUTTON        "Sign in with NHSmail"
#define SIGNED_IN     "signed in with the organisation's account"

static struct app *app;
static pid_t provider_pid;
static char issuer[64];
static char port_file[64];
static const char *PW = "correct horse battery";

/* ---- the provider, over libcurl ---- */

static size_t on_body(char *p, size_t size, size_t n, void *data)
{
    buf_append(data, p, size * n);
    return size * n;
}

/* GET url; the status, with the Location (if any) in loc and the body in body (either may be
 * NULL). */
static long http_get(const char *url, char *loc, size_t cap, struct buf *body)
{
    CURL *h = curl_easy_init();
    struct buf sink = BUF_INIT;
    char *redirect = NULL;
    long status = 0;
    assert_non_null(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, body ? body : &sink);
    if (curl_easy_perform(h) == CURLE_OK) {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &redirect);
        if (loc)
            snprintf(loc, cap, "%s", redirect ? redirect : "");
    }
    curl_easy_cleanup(h);
    buf_free(&sink);
    return status;
}

/* Tells the provider how the next sign-ins go (query string of /control). */
static void control(const char *query)
{
    char url[512];
    snprintf(url, sizeof url, "%s/control?%s", issuer, query);
    assert_int_equal(http_get(url, NULL, 0, NULL), 200);
}

static long stat_of(const char *name)
{
    struct buf b = BUF_INIT;
    char url[128], key[64];
    const char *p;
    long v;
    snprintf(url, sizeof url, "%s/stats", issuer);
    assert_int_equal(http_get(url, NULL, 0, &b), 200);
    buf_putc(&b, '\0');
    snprintf(key, sizeof key, "\"%s\": ", name);
    p = strstr(b.data, key);
    assert_non_null(p);
    v = atol(p + strlen(key));
    buf_free(&b);
    return v;
}

static void provider_start(void)
{
    snprintf(port_file, sizeof port_file, "/tmp/ahphub-oidc-%d.port", (int)getpid());
    unlink(port_file);
    provider_pid = fork();
    if (provider_pid < 0) {
        perror("fork");
        exit(1);
    }
    if (provider_pid == 0) {
        execl("/usr/bin/python3", "python3", "tests/support/oidc_provider.py", "--port-file",
              port_file, "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET, (char *)NULL);
        perror("exec oidc_provider.py");
        _exit(127);
    }
    for (int i = 0; i < 300; i++) { /* up to 30 s on a busy machine */
        FILE *f = fopen(port_file, "r");
        int port = 0;
        if (f) {
            if (fscanf(f, "%d", &port) == 1 && port > 0) {
                fclose(f);
                snprintf(issuer, sizeof issuer, "http://127.0.0.1:%d", port);
                unlink(port_file);
                return;
            }
            fclose(f);
        }
        if (waitpid(provider_pid, NULL, WNOHANG) == provider_pid)
            break;
        usleep(100 * 1000);
    }
    fprintf(stderr, "oidc_test: the test provider did not start\n");
    exit(1);
}

static void provider_stop(void)
{
    if (provider_pid > 0) {
        kill(provider_pid, SIGTERM);
        waitpid(provider_pid, NULL, 0);
        provider_pid = 0;
    }
}

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    provider_start();
    setenv("AHPHUB_OIDC_ISSUER", issuer, 1);
    setenv("AHPHUB_OIDC_CLIENT_ID", CLIENT_ID, 1);
    setenv("AHPHUB_OIDC_CLIENT_SECRET", CLIENT_SECRET, 1);
    setenv("AHPHUB_OIDC_NAME", BUTTON, 1);
    setenv("AHPHUB_BASE_URL", BASE_URL, 1);
    app = testapp_new();
    testapp_user(app, "admin@example.test", "admin", PW);
    testapp_user(app, "member@example.test", "member", PW);
    testapp_user(app, "colleague@trust.nhs.test", "facilitator", PW);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    testapp_free(app);
    provider_stop();
    curl_global_cleanup();
    return 0;
}

/* The configured address is the one every link is made from: pages, mail, the weekly digest
 * and calendar files (which read app->base_url) alike. */
static void test_base_url_is_the_configured_one(void **state)
{
    (void)state;
    assert_string_equal(app->base_url, BASE_URL);
    assert_ptr_equal(app->cfg.base_url, app->base_url);
}

/* ---- driving a sign-in ---- */

/* GET start (/login/oidc…) in tc and follow the provider's answer back to our callback, whose
 * path and query are left in cb. Returns the callback's status. */
static int sign_in(struct test_client *tc, const char *start, char *cb, size_t cap)
{
    char loc[4096];
    const char *to;
    assert_int_equal(tc_get(tc, start), 303);
    to = lb_header(&tc->res, "Location");
    assert_non_null(to);
    assert_int_equal(strncmp(to, issuer, strlen(issuer)), 0);
    assert_non_null(strstr(to, "code_challenge_method=S256"));
    assert_non_null(strstr(to, "scope=openid%20email%20profile"));
    assert_non_null(tc_cookie(tc, "ahp_oidc"));
    assert_int_equal(http_get(to, loc, sizeof loc, NULL), 302);
    assert_int_equal(strncmp(loc, BASE_URL "/login/oidc/callback?", strlen(BASE_URL) + 21), 0);
    snprintf(cb, cap, "%s", loc + strlen(BASE_URL));
    return tc_get(tc, cb);
}

/* A person at the provider: email_verified is "1", "0" or NULL (absent, as Entra ID does). */
static void person(const char *sub, const char *email, const char *verified)
{
    char q[400];
    snprintf(q, sizeof q, "mode=good&sub=%s&preferred_username=%s&name=Test+Person%s%s", sub, email,
             verified ? "&email_verified=" : "", verified ? verified : "");
    control(q);
}

static int64_t users_with(const char *email)
{
    return testapp_int(app, "SELECT count(*) FROM users WHERE email = $1", email);
}

static void admin_client(struct test_client *tc)
{
    tc_init(tc, app);
    assert_int_equal(tc_login(tc, "admin@example.test", PW), 303);
}

/* ---- tests ---- */

static void test_login_page_button(void **state)
{
    struct test_client tc;
    struct oidc_client *oc = app->oidc;
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_get(&tc, "/login?next=%2Flisten%3Fa%3D1"), 200);
    assert_true(tc_body_has(&tc, BUTTON));
    assert_true(tc_body_has(&tc, "href=\"/login/oidc?next=%2Flisten%3Fa%3D1\""));
    assert_true(testapp_tidy(tc.res.body, tc.res.len, "login with sign-in button") < 2);
    /* off: no button, and both steps are not found */
    app->oidc = NULL;
    assert_int_equal(tc_get(&tc, "/login"), 200);
    assert_false(tc_body_has(&tc, BUTTON));
    assert_int_equal(tc_get(&tc, "/login/oidc"), 404);
    assert_int_equal(tc_get(&tc, "/login/oidc/callback?code=x&state=y"), 404);
    app->oidc = oc;
    tc_free(&tc);
}

static void test_admin_domains(void **state)
{
    struct test_client tc, member;
    (void)state;
    admin_client(&tc);
    assert_int_equal(tc_get(&tc, "/admin/sign-in"), 200);
    assert_true(tc_body_has(&tc, "No domains yet"));
    assert_true(tc_body_has(&tc, issuer));
    assert_true(testapp_tidy(tc.res.body, tc.res.len, "admin sign-in") < 2);
    assert_int_equal(tc_post_form(&tc, "/admin/sign-in/domains", "domain=%40Trust.NHS.test", 1),
                     303);
    assert_string_equal(lb_header(&tc.res, "Location"), "/admin/sign-in");
    assert_int_equal(tc_get(&tc, "/admin/sign-in"), 200);
    assert_true(tc_body_has(&tc, "<td class=\"nhsuk-table__cell\">trust.nhs.test</td>"));
    /* bad input gets its message */
    assert_int_equal(tc_post_form(&tc, "/admin/sign-in/domains", "domain=not+a+domain", 1), 400);
    assert_true(tc_body_has(&tc, "Enter an email domain, like nhs.net"));
    assert_int_equal(tc_post_form(&tc, "/admin/sign-in/domains", "domain=trust.nhs.test", 1), 400);
    assert_true(tc_body_has(&tc, "That domain is already on the list"));
    assert_int_equal(tc_post_form(&tc, "/admin/sign-in/domains", "domain=", 1), 400);
    assert_int_equal(tc_post_form(&tc, "/admin/sign-in/domains/remove", "domain=nope.test", 1),
                     404);
    assert_true(tc_body_has(&tc, "That domain is not on the list."));
    /* the same through the JSON API */
    assert_int_equal(tc_post_json(&tc, "/api/v1/admin/sign-in/domains", "{\"domain\":\"x.test\"}"),
                     200);
    assert_true(tc_body_has(&tc, "\"added\":true"));
    assert_int_equal(tc_get(&tc, "/api/v1/admin/sign-in"), 200);
    assert_true(tc_body_has(&tc, "{\"domain\":\"x.test\"}"));
    assert_true(tc_body_has(&tc, "\"configured\":true"));
    assert_int_equal(
        tc_post_json(&tc, "/api/v1/admin/sign-in/domains/remove", "{\"domain\":\"x.test\"}"), 200);
    assert_int_equal(
        tc_post_json(&tc, "/api/v1/admin/sign-in/domains/remove", "{\"domain\":\"x.test\"}"), 404);
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM oidc_domains", NULL), 1);
    assert_int_equal(
        testapp_int(app, "SELECT count(*) FROM audit_log WHERE event = $1", "oidc_domain_added"),
        2);
    /* admins only */
    tc_init(&member, app);
    assert_int_equal(tc_login(&member, "member@example.test", PW), 303);
    assert_int_equal(tc_get(&member, "/admin/sign-in"), 403);
    assert_int_equal(tc_post_form(&member, "/admin/sign-in/domains", "domain=evil.test", 1), 403);
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM oidc_domains", NULL), 1);
    tc_free(&member);
    tc_free(&tc);
}

/* Entra ID style (no email_verified), in a listed domain, no account yet: a member is made. */
static void test_new_member_in_listed_domain(void **state)
{
    struct test_client tc;
    char cb[4096];
    int64_t logins = testapp_int(
        app, "SELECT count(*) FROM audit_log WHERE event = 'login' AND detail = $1", SIGNED_IN);
    (void)state;
    person("entra-new-1", "New.Person%40Trust.NHS.test", NULL);
    tc_init(&tc, app);
    assert_int_equal(sign_in(&tc, "/login/oidc?next=%2Flisten", cb, sizeof cb), 303);
    assert_string_equal(lb_header(&tc.res, "Location"), "/listen");
    assert_non_null(tc_cookie(&tc, "ahp_session"));
    assert_null(tc_cookie(&tc, "ahp_oidc")); /* used up */
    assert_int_equal(tc_get_json(&tc, "/account"), 200);
    assert_true(tc_body_has(&tc, "new.person@trust.nhs.test"));
    assert_true(tc_body_has(&tc, "\"role\":\"member\""));
    assert_int_equal(users_with("new.person@trust.nhs.test"), 1);
    assert_int_equal(testapp_int(app,
                                 "SELECT u.role = 'member' AND u.display_name = 'Test Person' "
                                 "FROM users u JOIN oidc_identities i ON i.user_id = u.id "
                                 "WHERE i.subject = $1",
                                 "entra-new-1"),
                     1);
    assert_int_equal(
        testapp_int(app, "SELECT count(*) FROM audit_log WHERE event = 'login' AND detail = $1",
                    SIGNED_IN),
        logins + 1);
    /* it is active (it has logged in), though it has no password, and its account page says
     * how it signs in instead of asking for a password it does not have */
    assert_true(tc_body_has(&tc, "\"state\":\"active\""));
    assert_true(tc_body_has(&tc, "\"has_password\":false"));
    assert_int_equal(tc_get(&tc, "/account"), 200);
    assert_true(tc_body_has(&tc, "You sign in with your organisation"));
    assert_false(tc_body_has(&tc, "id=\"current_password\""));
    /* and it may ask for a password by mail, which also lets it delete itself */
    {
        struct test_client anon;
        tc_init(&anon, app);
        tc_get(&anon, "/password/forgot");
        assert_int_equal(
            tc_post_form(&anon, "/password/forgot", "email=new.person%40trust.nhs.test", 1), 200);
        assert_int_equal(testapp_int(app,
                                     "SELECT count(*) FROM mail_outbox WHERE recipient = $1 AND "
                                     "kind = 'reset'",
                                     "new.person@trust.nhs.test"),
                         1);
        tc_free(&anon);
    }
    /* a second sign-in is the same account, found by its identity; no next: their home */
    tc_reset(&tc);
    assert_int_equal(sign_in(&tc, "/login/oidc", cb, sizeof cb), 303);
    assert_string_equal(lb_header(&tc.res, "Location"), "/home");
    assert_int_equal(users_with("new.person@trust.nhs.test"), 1);
    /* an off-site next is not followed */
    tc_reset(&tc);
    assert_int_equal(sign_in(&tc, "/login/oidc?next=%2F%2Fevil.example%2F", cb, sizeof cb), 303);
    assert_string_equal(lb_header(&tc.res, "Location"), "/home");
    /* the account has no password: no password logs in to it */
    tc_reset(&tc);
    assert_int_equal(tc_login(&tc, "new.person@trust.nhs.test", "any+password+at+all"), 401);
    assert_null(tc_cookie(&tc, "ahp_session"));
    tc_free(&tc);
}

/* The provider rotates its keys: a token signed with the new one verifies after one refetch of
 * the JWKS; a token with a key it does not publish is refused, and does not make us fetch the
 * keys again within the minute. (Runs before any other unknown key asks for a refetch.) */
static void test_key_rotation(void **state)
{
    struct test_client tc;
    char cb[4096];
    long fetches = stat_of("jwks_fetches");
    (void)state;
    person("entra-new-1", "new.person%40trust.nhs.test", NULL);
    control("rotate=1");
    tc_init(&tc, app);
    assert_int_equal(sign_in(&tc, "/login/oidc", cb, sizeof cb), 303);
    assert_non_null(tc_cookie(&tc, "ahp_session"));
    assert_int_equal(stat_of("jwks_fetches"), fetches + 1);
    tc_reset(&tc);
    control("mode=unknown_key");
    assert_int_equal(sign_in(&tc, "/login/oidc", cb, sizeof cb), 400);
    assert_true(tc_body_has(&tc, "the signature on its answer is wrong"));
    assert_null(tc_cookie(&tc, "ahp_session"));
    assert_int_equal(stat_of("jwks_fetches"), fetches + 1);
    tc_free(&tc);
}

/* An existing account, another domain, email_verified: true: linked, then kept by identity. */
static void test_linked_by_verified_email(void **state)
{
    struct test_client tc;
    char cb[4096];
    int64_t member =
        testapp_int(app, "SELECT id FROM users WHERE email = $1", "member@example.test");
    (void)state;
    person("google-77", "Member%40Example.test", "1");
    tc_init(&tc, app);
    assert_int_equal(sign_in(&tc, "/login/oidc", cb, sizeof cb), 303);
    assert_int_equal(tc_get_json(&tc, "/account"), 200);
    assert_true(tc_body_has(&tc, "member@example.test"));
    assert_int_equal(
        testapp_int(app, "SELECT user_id FROM oidc_identities WHERE subject = $1", "google-77"),
        member);
    assert_int_equal(
        testapp_int(app, "SELECT count(*) FROM audit_log WHERE event = $1", "oidc_linked"), 1);
    /* the link holds when the provider's address changes */
    tc_reset(&tc);
    person("google-77", "renamed%40elsewhere.test", NULL);
    assert_int_equal(sign_in(&tc, "/login/oidc", cb, sizeof cb), 303);
    assert_int_equal(tc_get_json(&tc, "/account"), 200);
    assert_true(tc_body_has(&tc, "member@example.test"));
    assert_int_equal(users_with("renamed@elsewhere.test"), 0);
    tc_free(&tc);
}

/* A deactivated account signs in no way at all: its organisation identity is refused with a
 * page that says so, and no session is made; reactivated, it signs in again. */
static void test_deactivated_account_refused(void **state)
{
    struct test_client tc, admin;
    char cb[4096], uri[96];
    int64_t member =
        testapp_int(app, "SELECT id FROM users WHERE email = $1", "member@example.test");
    (void)state;
    admin_client(&admin);
    snprintf(uri, sizeof uri, "/admin/users/%lld/deactivate", (long long)member);
    assert_int_equal(tc_post_form(&admin, uri, "", 1), 303);
    person("google-77", "member%40example.test", "1"); /* linked by the test above */
    tc_init(&tc, app);
    assert_int_equal(sign_in(&tc, "/login/oidc", cb, sizeof cb), 403);
    assert_true(tc_body_has(&tc, "your account here has been deactivated"));
    assert_null(tc_cookie(&tc, "ahp_session"));
    snprintf(uri, sizeof uri, "/admin/users/%lld/reactivate", (long long)member);
    assert_int_equal(tc_post_form(&admin, uri, "", 1), 303);
    tc_reset(&tc);
    assert_int_equal(sign_in(&tc, "/login/oidc", cb, sizeof cb), 303);
    assert_non_null(tc_cookie(&tc, "ahp_session"));
    tc_free(&tc);
    tc_free(&admin);
}

/* Without email_verified and outside the listed domains, an existing account's address is not
 * trusted: nothing is linked, nobody is signed in. */
static void test_unverified_email_not_linked(void **state)
{
    struct test_client tc;
    char cb[4096];
    (void)state;
    person("other-tenant-1", "admin%40example.test", "0");
    tc_init(&tc, app);
    assert_int_equal(sign_in(&tc, "/login/oidc", cb, sizeof cb), 403);
    assert_true(tc_body_has(&tc, "Your organisation&#39;s accounts cannot sign in here yet; ask "
                                 "an administrator."));
    assert_null(tc_cookie(&tc, "ahp_session"));
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM oidc_identities WHERE subject = $1",
                                 "other-tenant-1"),
                     0);
    tc_free(&tc);
}

static void test_domain_not_allowed(void **state)
{
    struct test_client tc;
    char cb[4096];
    (void)state;
    person("stranger-1", "someone%40elsewhere.test", NULL);
    tc_init(&tc, app);
    assert_int_equal(sign_in(&tc, "/login/oidc", cb, sizeof cb), 403);
    assert_true(tc_body_has(&tc, "cannot sign in here yet; ask an administrator"));
    assert_true(tc_body_has(&tc, "href=\"/login\""));
    assert_true(testapp_tidy(tc.res.body, tc.res.len, "sign-in refused") < 2);
    assert_null(tc_cookie(&tc, "ahp_session"));
    assert_int_equal(users_with("someone@elsewhere.test"), 0);
    /* even email_verified makes no new account outside the list */
    tc_reset(&tc);
    person("stranger-2", "verified%40elsewhere.test", "1");
    assert_int_equal(sign_in(&tc, "/login/oidc", cb, sizeof cb), 403);
    assert_int_equal(users_with("verified@elsewhere.test"), 0);
    /* an address that is not one, even in a listed domain, is no address */
    tc_reset(&tc);
    person("stranger-3", "two%20words%40trust.nhs.test", NULL);
    assert_int_equal(sign_in(&tc, "/login/oidc", cb, sizeof cb), 403);
    assert_true(tc_body_has(&tc, "account has no email address"));
    assert_int_equal(users_with("two words@trust.nhs.test"), 0);
    tc_free(&tc);
}

static void test_bad_tokens(void **state)
{
    static const struct {
        const char *mode, *says;
    } bad[] = {
        {"unknown_key", "the signature on its answer is wrong"},
        {"flip_sig", "the signature on its answer is wrong"},
        {"wrong_issuer", "the answer came from a different sign-in service"},
        {"wrong_audience", "the answer was meant for a different service"},
        {"wrong_nonce", "the answer does not belong to this sign-in"},
        {"expired", "the answer had expired"},
        {"alg_none", "signed in a way we do not accept"},
        {"hs256", "signed in a way we do not accept"},
    };
    int64_t sessions = testapp_int(app, "SELECT count(*) FROM sessions", NULL);
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct test_client tc;
        char cb[4096], q[300];
        /* a person who would be signed in with a good token */
        snprintf(q, sizeof q, "sub=bad-%zu&preferred_username=bad%zu%%40trust.nhs.test&mode=%s", i,
                 i, bad[i].mode);
        control(q);
        tc_init(&tc, app);
        assert_int_equal(sign_in(&tc, "/login/oidc", cb, sizeof cb), 400);
        if (!tc_body_has(&tc, bad[i].says))
            fail_msg("%s: the page does not say \"%s\"", bad[i].mode, bad[i].says);
        assert_true(tc_body_has(&tc, "sign-in did not work"));
        assert_null(tc_cookie(&tc, "ahp_session"));
        tc_free(&tc);
    }
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM sessions", NULL), sessions);
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM users WHERE email LIKE 'bad%'", NULL),
                     0);
    control("mode=good");
}

static void test_state_mismatch_and_replay(void **state)
{
    struct test_client tc;
    char cb[4096], loc[4096], tampered[4096], cookie[300];
    const char *to, *st;
    (void)state;
    person("entra-new-1", "new.person%40trust.nhs.test", NULL);
    /* a state that is not this browser's */
    tc_init(&tc, app);
    assert_int_equal(tc_get(&tc, "/login/oidc"), 303);
    to = lb_header(&tc.res, "Location");
    assert_int_equal(http_get(to, loc, sizeof loc, NULL), 302);
    snprintf(tampered, sizeof tampered, "%s", loc + strlen(BASE_URL));
    st = strstr(tampered, "state=");
    assert_non_null(st);
    tampered[st - tampered + 6] ^= 1; /* one character of the state changed */
    assert_int_equal(tc_get(&tc, tampered), 400);
    assert_true(tc_body_has(&tc, "the sign-in took too long, was already used"));
    assert_null(tc_cookie(&tc, "ahp_session"));
    /* the sign-in is used up: the right state does not help now */
    assert_int_equal(tc_get(&tc, loc + strlen(BASE_URL)), 400);
    assert_null(tc_cookie(&tc, "ahp_session"));
    /* a callback without the browser's cookie (another browser) */
    tc_reset(&tc);
    assert_int_equal(tc_get(&tc, "/login/oidc"), 303);
    assert_int_equal(http_get(lb_header(&tc.res, "Location"), loc, sizeof loc, NULL), 302);
    tc_reset(&tc);
    assert_int_equal(tc_get(&tc, loc + strlen(BASE_URL)), 400);
    assert_null(tc_cookie(&tc, "ahp_session"));
    /* a good sign-in replayed with its cookie put back */
    tc_reset(&tc);
    assert_int_equal(tc_get(&tc, "/login/oidc"), 303);
    snprintf(cookie, sizeof cookie, "Cookie: ahp_oidc=%s", tc_cookie(&tc, "ahp_oidc"));
    assert_int_equal(http_get(lb_header(&tc.res, "Location"), loc, sizeof loc, NULL), 302);
    snprintf(cb, sizeof cb, "%s", loc + strlen(BASE_URL));
    assert_int_equal(tc_get(&tc, cb), 303);
    assert_non_null(tc_cookie(&tc, "ahp_session"));
    tc_reset(&tc);
    assert_int_equal(tc_request(&tc, "GET", cb, (const char *[]){cookie, NULL}, NULL, 0), 400);
    assert_true(tc_body_has(&tc, "the sign-in took too long, was already used"));
    assert_null(tc_cookie(&tc, "ahp_session"));
    tc_free(&tc);
}

/* Ten minutes at the provider is too long. */
static void test_took_too_long(void **state)
{
    struct test_client tc;
    struct db *db;
    char loc[4096];
    (void)state;
    person("entra-new-1", "new.person%40trust.nhs.test", NULL);
    tc_init(&tc, app);
    assert_int_equal(tc_get(&tc, "/login/oidc"), 303);
    {
        const char *sc = NULL;
        for (size_t i = 0; i < tc.res.nheaders; i++)
            if (!strcasecmp(tc.res.headers[i].name, "Set-Cookie") &&
                !strncmp(tc.res.headers[i].value, "ahp_oidc=", 9))
                sc = tc.res.headers[i].value;
        assert_non_null(sc);
        assert_non_null(strstr(sc, "; Path=/login/oidc;"));
        assert_non_null(strstr(sc, "Max-Age=600"));
        assert_non_null(strstr(sc, "SameSite=Lax"));
        assert_non_null(strstr(sc, "HttpOnly"));
    }
    assert_int_equal(http_get(lb_header(&tc.res, "Location"), loc, sizeof loc, NULL), 302);
    db = db_pool_get(app->pool);
    assert_int_equal(
        db_run(db, "UPDATE oidc_logins SET expires_at = $1", "i", (int64_t)time(NULL) - 1), 0);
    db_pool_put(app->pool, db);
    assert_int_equal(tc_get(&tc, loc + strlen(BASE_URL)), 400);
    assert_true(tc_body_has(&tc, "the sign-in took too long"));
    assert_null(tc_cookie(&tc, "ahp_session"));
    tc_free(&tc);
}

/* The provider says no, at /authorize or at /token. */
static void test_provider_refuses(void **state)
{
    struct test_client tc;
    char cb[4096];
    (void)state;
    person("entra-new-1", "new.person%40trust.nhs.test", NULL);
    control("mode=deny");
    tc_init(&tc, app);
    assert_int_equal(sign_in(&tc, "/login/oidc", cb, sizeof cb), 400);
    assert_true(tc_body_has(&tc, "your organisation cancelled or refused the sign-in"));
    assert_null(tc_cookie(&tc, "ahp_session"));
    tc_reset(&tc);
    control("mode=token_400");
    assert_int_equal(sign_in(&tc, "/login/oidc", cb, sizeof cb), 502);
    assert_true(tc_body_has(&tc, "sign-in service did not accept the sign-in"));
    assert_null(tc_cookie(&tc, "ahp_session"));
    control("mode=good");
    tc_free(&tc);
}

/* The callback with the database failing at each of its calls in turn (db_fault.c): a clean
 * 503 "try again" with no account, link or session made, or a whole sign-in; never half. */
static void test_callback_at_every_failure_point(void **state)
{
    struct test_client tc;
    char loc[4096], q[200], email[80], sub[40];
    long calls = 0;
    int status;
    (void)state;
    tc_init(&tc, app);
    for (long n = 0; n == 0 || n <= calls + 1; n++) {
        int64_t sessions = testapp_int(app, "SELECT count(*) FROM sessions", NULL);
        snprintf(sub, sizeof sub, "fault-%ld", n);
        snprintf(email, sizeof email, "fault-%ld@trust.nhs.test", n);
        snprintf(q, sizeof q, "mode=good&sub=%s&preferred_username=fault-%ld%%40trust.nhs.test",
                 sub, n);
        control(q);
        tc_reset(&tc);
        assert_int_equal(tc_get(&tc, "/login/oidc"), 303);
        assert_int_equal(http_get(lb_header(&tc.res, "Location"), loc, sizeof loc, NULL), 302);
        if (n == 0) {
            db_fault_count_start();
            status = tc_get(&tc, loc + strlen(BASE_URL));
            calls = db_fault_count();
            db_fault_after(0);
            assert_int_equal(status, 303);
            assert_true(calls > 3);
            continue;
        }
        db_fault_after(n <= calls ? n : 0);
        status = tc_get(&tc, loc + strlen(BASE_URL));
        db_fault_after(0);
        if (status == 303) {
            assert_non_null(tc_cookie(&tc, "ahp_session"));
            assert_int_equal(users_with(email), 1);
            assert_int_equal(
                testapp_int(app, "SELECT count(*) FROM oidc_identities WHERE subject = $1", sub),
                1);
            continue;
        }
        if (status != 503)
            fail_msg("database call %ld of %ld failing: status %d", n, calls, status);
        assert_true(tc_body_has(&tc, "Try again"));
        assert_null(tc_cookie(&tc, "ahp_session"));
        assert_int_equal(users_with(email), 0);
        assert_int_equal(
            testapp_int(app, "SELECT count(*) FROM oidc_identities WHERE subject = $1", sub), 0);
        assert_int_equal(testapp_int(app, "SELECT count(*) FROM sessions", NULL), sessions);
    }
    /* the run without a fault signed in */
    assert_int_equal(status, 303);
    tc_free(&tc);
}

/* Last: the provider goes away between the redirect and the callback. */
static void test_provider_down(void **state)
{
    struct test_client tc;
    char loc[4096];
    int64_t users = testapp_int(app, "SELECT count(*) FROM users", NULL);
    (void)state;
    person("entra-down-1", "down%40trust.nhs.test", NULL);
    tc_init(&tc, app);
    assert_int_equal(tc_get(&tc, "/login/oidc"), 303);
    assert_int_equal(http_get(lb_header(&tc.res, "Location"), loc, sizeof loc, NULL), 302);
    provider_stop();
    assert_int_equal(tc_get(&tc, loc + strlen(BASE_URL)), 502);
    assert_true(tc_body_has(&tc, "we could not reach your organisation&#39;s sign-in service"));
    assert_true(tc_body_has(&tc, "href=\"/login\""));
    assert_null(tc_cookie(&tc, "ahp_session"));
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM users", NULL), users);
    tc_free(&tc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base_url_is_the_configured_one),
        cmocka_unit_test(test_login_page_button),
        cmocka_unit_test(test_admin_domains),
        cmocka_unit_test(test_new_member_in_listed_domain),
        cmocka_unit_test(test_key_rotation),
        cmocka_unit_test(test_linked_by_verified_email),
        cmocka_unit_test(test_deactivated_account_refused),
        cmocka_unit_test(test_unverified_email_not_linked),
        cmocka_unit_test(test_domain_not_allowed),
        cmocka_unit_test(test_bad_tokens),
        cmocka_unit_test(test_state_mismatch_and_replay),
        cmocka_unit_test(test_took_too_long),
        cmocka_unit_test(test_provider_refuses),
        cmocka_unit_test(test_callback_at_every_failure_point),
        cmocka_unit_test(test_provider_down),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
