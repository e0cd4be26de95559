/* fault_test.c: requests whose database or memory fails on the Nth call
 *
 * For every failure point of a request (every database call it makes, counted first), the
 * answer must be either a clean "try again" with nothing written, or the normal answer with
 * all of the work done (never a crash, never a 2xx that lied), and — under ASan — nothing may
 * leak. This is db_fault.c and arena_fail_after() put to their purpose.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static const char *PW = "correct horse battery";

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    testapp_user(app, "member@example.test", "member", PW);
    testapp_user(app, "fac@example.test", "facilitator", PW);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_fault_after(0);
    arena_fail_after(0);
    testapp_free(app);
    return 0;
}

static int64_t count(const char *sql)
{
    return testapp_int(app, sql, NULL);
}

static void test_password_change_is_atomic(void **state)
{
    struct test_client tc;
    int n, status = 0;
    char current[64], next[64], form[256];
    (void)state;
    tc_init(&tc, app);
    snprintf(current, sizeof current, "%s", PW);
    for (n = 1; n < 60; n++) {
        tc_reset(&tc);
        assert_int_equal(tc_login(&tc, "member@example.test", current), 303);
        snprintf(next, sizeof next, "new password number %d", n);
        snprintf(form, sizeof form, "current_password=%s&new_password=%s&confirm_password=%s",
                 current, next, next);
        for (char *p = form; *p; p++)
            if (*p == ' ')
                *p = '+';
        db_fault_after(n);
        status = tc_post_form(&tc, "/account/password", form, 1);
        db_fault_after(0);
        if (status == 303)
            break;
        assert_int_equal(status, 503);
        /* the old password still works and the new one does not */
        tc_reset(&tc);
        assert_int_equal(tc_login(&tc, "member@example.test", next), 401);
    }
    assert_int_equal(status, 303);
    tc_reset(&tc);
    assert_int_equal(tc_login(&tc, "member@example.test", next), 303);
    /* put it back for the other tests */
    snprintf(form, sizeof form, "current_password=%s&new_password=%s&confirm_password=%s", next,
             PW, PW);
    for (char *p = form; *p; p++)
        if (*p == ' ')
            *p = '+';
    assert_int_equal(tc_post_form(&tc, "/account/password", form, 1), 303);
    tc_free(&tc);
}

/* ---- every failure point of one write ------------------------------------------------------
 * sweep() learns how many database calls an operation makes when nothing fails, then runs it
 * once with each call failing (and every later one, as db_fault_after() does), each time from
 * a fresh start (prepare). Every run must either answer 503 "Try again" and have changed
 * nothing, or answer as normal and have done everything: a failure that was swallowed must
 * not lose half the work. The last run has no fault and must succeed. */
struct sweep_op {
    const char *what;
    void (*prepare)(struct test_client *tc);
    int (*run)(struct test_client *tc); /* the request under test; returns its status */
    int ok_status;
    bool (*unchanged)(const struct test_client *tc); /* compared with what prepare() saw */
    bool (*complete)(const struct test_client *tc);
};

static void sweep(const struct sweep_op *op)
{
    struct test_client tc;
    long calls;
    int status, failed = 0;
    tc_init(&tc, app);
    op->prepare(&tc);
    db_fault_count_start();
    status = op->run(&tc);
    calls = db_fault_count();
    db_fault_after(0);
    if (status != op->ok_status || !op->complete(&tc))
        fail_msg("%s: %d without a fault", op->what, status);
    assert_true(calls > 2);
    for (long n = 1; n <= calls + 1; n++) {
        op->prepare(&tc);
        db_fault_after(n <= calls ? n : 0);
        status = op->run(&tc);
        db_fault_after(0);
        if (status == 503) {
            if (!tc_body_has(&tc, "Try again"))
                fail_msg("%s: call %ld of %ld failed: 503 without \"Try again\"", op->what, n,
                         calls);
            if (!op->unchanged(&tc))
                fail_msg("%s: call %ld of %ld failed: 503 but something was written", op->what,
                         n, calls);
            failed++;
        } else if (status != op->ok_status || !op->complete(&tc)) {
            fail_msg("%s: call %ld of %ld failed: answered %d, %s", op->what, n, calls, status,
                     status == op->ok_status ? "but the work is incomplete" : "not 503");
        }
    }
    assert_true(failed > 0);
    tc_free(&tc);
}

/* Listen: a new person's vote, and a new person's contribution. */
static char slug[32];
static int64_t contribution_id, prompt_id;
static int64_t seen_votes, seen_participants, seen_contributions;

static int64_t count_in_exercise(const char *sql)
{
    return testapp_int(app, sql, slug);
}

static const char SQL_VOTES[] =
    "SELECT count(*) FROM listen_votes v JOIN listen_contributions c ON c.id = v.contribution_id "
    "JOIN listen_exercises e ON e.id = c.exercise_id WHERE e.slug = $1";
static const char SQL_PARTICIPANTS[] =
    "SELECT count(*) FROM listen_participants p JOIN listen_exercises e ON "
    "e.id = p.exercise_id WHERE e.slug = $1";
static const char SQL_CONTRIBUTIONS[] =
    "SELECT count(*) FROM listen_contributions c JOIN listen_exercises e ON "
    "e.id = c.exercise_id WHERE e.slug = $1";
/* Contributions whose counters disagree with the votes table: always 0. */
static const char SQL_COUNTERS_WRONG[] =
    "SELECT count(*) FROM listen_contributions c JOIN listen_exercises e ON "
    "e.id = c.exercise_id WHERE e.slug = $1 AND c.agree_count <> (SELECT count(*) FROM "
    "listen_votes v WHERE v.contribution_id = c.id AND v.vote = 1)";

static void listen_prepare(struct test_client *tc)
{
    char uri[64];
    tc_reset(tc); /* a new person */
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    assert_int_equal(tc_get(tc, uri), 200);
    seen_votes = count_in_exercise(SQL_VOTES);
    seen_participants = count_in_exercise(SQL_PARTICIPANTS);
    seen_contributions = count_in_exercise(SQL_CONTRIBUTIONS);
}

static int vote_run(struct test_client *tc)
{
    char uri[64], form[64];
    snprintf(uri, sizeof uri, "/listen/%s/vote", slug);
    snprintf(form, sizeof form, "contribution=%lld&vote=agree", (long long)contribution_id);
    return tc_post_form(tc, uri, form, 1);
}

/* Nothing done. The person may already exist (their pseudonym, with nothing done under it)
 * when the browser was given its cookie, so that trying again goes on as the same person;
 * "who took part" counts only people who contributed or voted. */
static bool listen_unchanged(const struct test_client *tc)
{
    int64_t people = count_in_exercise(SQL_PARTICIPANTS);
    return count_in_exercise(SQL_VOTES) == seen_votes &&
           (people == seen_participants ||
            (people == seen_participants + 1 && tc_cookie(tc, "ahp_lp"))) &&
           count_in_exercise(SQL_CONTRIBUTIONS) == seen_contributions &&
           count_in_exercise(SQL_COUNTERS_WRONG) == 0;
}

static bool vote_complete(const struct test_client *tc)
{
    (void)tc;
    return count_in_exercise(SQL_VOTES) == seen_votes + 1 &&
           count_in_exercise(SQL_PARTICIPANTS) == seen_participants + 1 &&
           count_in_exercise(SQL_COUNTERS_WRONG) == 0;
}

static int contribute_run(struct test_client *tc)
{
    char uri[64], form[96];
    snprintf(uri, sizeof uri, "/listen/%s/contribute", slug);
    snprintf(form, sizeof form, "prompt=%lld&text=A+view+under+fault", (long long)prompt_id);
    return tc_post_form(tc, uri, form, 1);
}

static bool contribute_complete(const struct test_client *tc)
{
    (void)tc;
    return count_in_exercise(SQL_CONTRIBUTIONS) == seen_contributions + 1 &&
           count_in_exercise(SQL_PARTICIPANTS) == seen_participants + 1;
}

static void new_exercise(void)
{
    struct test_client fac, author;
    char uri[96], form[128];
    tc_init(&fac, app);
    assert_int_equal(tc_login(&fac, "fac@example.test", PW), 303);
    assert_int_equal(tc_post_form(&fac, "/listen/new",
                                  "title=Under+fault&summary=s&audience_citizen=1"
                                  "&moderation=post&flag_threshold=3&prompts=What+works%3F",
                                  1),
                     303);
    snprintf(slug, sizeof slug, "%s", lb_header(&fac.res, "Location") + 8);
    snprintf(uri, sizeof uri, "/listen/%s/status", slug);
    assert_int_equal(tc_post_form(&fac, uri, "status=open", 1), 303);
    prompt_id = count_in_exercise("SELECT p.id FROM listen_prompts p JOIN listen_exercises e "
                                  "ON e.id = p.exercise_id WHERE e.slug = $1");
    tc_init(&author, app);
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    tc_get(&author, uri);
    snprintf(uri, sizeof uri, "/listen/%s/contribute", slug);
    snprintf(form, sizeof form, "prompt=%lld&text=Vote+on+me", (long long)prompt_id);
    assert_int_equal(tc_post_form(&author, uri, form, 1), 303);
    contribution_id = count_in_exercise("SELECT min(c.id) FROM listen_contributions c JOIN "
                                        "listen_exercises e ON e.id = c.exercise_id "
                                        "WHERE e.slug = $1");
    tc_free(&author);
    tc_free(&fac);
}

static void test_vote_at_every_failure_point(void **state)
{
    static const struct sweep_op op = {"vote", listen_prepare, vote_run, 303,
                                       listen_unchanged, vote_complete};
    (void)state;
    if (!*slug)
        new_exercise();
    sweep(&op);
}

static void test_contribution_at_every_failure_point(void **state)
{
    static const struct sweep_op op = {"contribution", listen_prepare, contribute_run, 303,
                                       listen_unchanged, contribute_complete};
    (void)state;
    if (!*slug)
        new_exercise();
    sweep(&op);
}

/* Assess: submitting an anonymous response. */
static char round_slug[32];
static int64_t seen_submitted, seen_round_count;

static int64_t round_int(const char *sql)
{
    return testapp_int(app, sql, round_slug);
}

static const char SQL_SUBMITTED[] =
    "SELECT count(*) FROM assess_responses s JOIN assess_rounds r ON r.id = s.round_id "
    "WHERE r.slug = $1 AND s.submitted_at > 0";
static const char SQL_ROUND_COUNT[] = "SELECT submitted FROM assess_rounds WHERE slug = $1";

static void submit_prepare(struct test_client *tc)
{
    char uri[96];
    tc_reset(tc);
    snprintf(uri, sizeof uri, "/assess/%s", round_slug);
    assert_int_equal(tc_get(tc, uri), 200);
    snprintf(uri, sizeof uri, "/assess/%s/start", round_slug);
    assert_int_equal(tc_post_form(tc, uri, "profession=orthoptist", 1), 303);
    snprintf(uri, sizeof uri, "/assess/%s/section/1", round_slug);
    assert_int_equal(tc_post_form(tc, uri, "item.leadership-1=4&action=next", 1), 303);
    seen_submitted = round_int(SQL_SUBMITTED);
    seen_round_count = round_int(SQL_ROUND_COUNT);
}

static int submit_run(struct test_client *tc)
{
    char uri[96];
    snprintf(uri, sizeof uri, "/assess/%s/submit", round_slug);
    return tc_post_form(tc, uri, "", 1);
}

static bool submit_unchanged(const struct test_client *tc)
{
    (void)tc;
    return round_int(SQL_SUBMITTED) == seen_submitted &&
           round_int(SQL_ROUND_COUNT) == seen_round_count;
}

static bool submit_complete(const struct test_client *tc)
{
    (void)tc;
    return round_int(SQL_SUBMITTED) == seen_submitted + 1 &&
           round_int(SQL_ROUND_COUNT) == seen_round_count + 1;
}

static void test_assessment_submission_at_every_failure_point(void **state)
{
    static const struct sweep_op op = {"assessment submission", submit_prepare, submit_run,
                                       303, submit_unchanged, submit_complete};
    struct test_client fac;
    const char *loc;
    char form[160];
    (void)state;
    tc_init(&fac, app);
    assert_int_equal(tc_login(&fac, "fac@example.test", PW), 303);
    snprintf(form, sizeof form,
             "title=Under+fault&instrument=%lld&audience=individual&mode=anonymous",
             (long long)count("SELECT min(id) FROM assess_instruments WHERE code = "
                              "'ahp-digital-capability'"));
    assert_int_equal(tc_post_form(&fac, "/assess/rounds/new", form, 1), 303);
    loc = lb_header(&fac.res, "Location");
    snprintf(round_slug, sizeof round_slug, "%.*s", (int)(strlen(loc + 8) - strlen("/manage")),
             loc + 8);
    tc_free(&fac);
    sweep(&op);
}

/* ---- Develop: saving an area of a self-assessment, every rating or none ---- */
static char develop_uri[96];
static const char SQL_DEVELOP_RATINGS[] = "SELECT count(*) FROM develop_ratings";

static void develop_prepare(struct test_client *tc)
{
    struct db *db = db_pool_get(app->pool);
    assert_int_equal(db_run(db, "DELETE FROM develop_ratings", ""), 0);
    db_pool_put(app->pool, db);
    if (!*develop_uri) {
        tc_reset(tc);
        assert_int_equal(tc_login(tc, "member@example.test", PW), 303);
        assert_int_equal(tc_post_form(tc, "/develop/start", "", 1), 303);
        snprintf(develop_uri, sizeof develop_uri, "%s", lb_header(&tc->res, "Location"));
    }
}

static int develop_run(struct test_client *tc)
{
    return tc_post_form(tc, develop_uri,
                        "rating.system-fit=2&rating.system-funding=3&note.system-data=Under+"
                        "fault&action=next",
                        1);
}

static bool develop_unchanged(const struct test_client *tc)
{
    (void)tc;
    return count(SQL_DEVELOP_RATINGS) == 0;
}

static bool develop_complete(const struct test_client *tc)
{
    (void)tc;
    return count(SQL_DEVELOP_RATINGS) == 5; /* every statement of the area, in one go */
}

static void test_develop_save_at_every_failure_point(void **state)
{
    static const struct sweep_op op = {"self-assessment area", develop_prepare, develop_run, 303,
                                       develop_unchanged, develop_complete};
    (void)state;
    sweep(&op);
}

/* Logging in: a session and its audit entry, both or neither. */
static int64_t seen_sessions, seen_logins;
static const char SQL_SESSIONS[] = "SELECT count(*) FROM sessions";
static const char SQL_LOGINS[] = "SELECT count(*) FROM audit_log WHERE event = 'login'";

static void login_prepare(struct test_client *tc)
{
    tc_reset(tc);
    assert_int_equal(tc_get(tc, "/login"), 200);
    seen_sessions = count(SQL_SESSIONS);
    seen_logins = count(SQL_LOGINS);
}

static int login_run(struct test_client *tc)
{
    return tc_post_form(tc, "/login", "email=member@example.test&password=correct+horse+battery",
                        1);
}

static bool login_unchanged(const struct test_client *tc)
{
    return count(SQL_SESSIONS) == seen_sessions && count(SQL_LOGINS) == seen_logins &&
           !tc_cookie(tc, "ahp_session");
}

static bool login_complete(const struct test_client *tc)
{
    return count(SQL_SESSIONS) == seen_sessions + 1 && count(SQL_LOGINS) == seen_logins + 1 &&
           tc_cookie(tc, "ahp_session");
}

static void test_login_at_every_failure_point(void **state)
{
    static const struct sweep_op op = {"login", login_prepare, login_run, 303, login_unchanged,
                                       login_complete};
    (void)state;
    sweep(&op);
}

static void test_pages_with_failing_memory(void **state)
{
    struct test_client tc;
    const char *pages[] = {"/", "/account", "/login", "/api/v1/account", "/no-such-page"};
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "member@example.test", PW), 303);
    for (size_t p = 0; p < sizeof pages / sizeof pages[0]; p++) {
        int n, status = 0, ok_status;
        arena_fail_after(0);
        ok_status = tc_get(&tc, pages[p]);
        for (n = 1; n < 400; n++) {
            arena_fail_after(n);
            status = tc_get(&tc, pages[p]);
            arena_fail_after(0);
            if (status == ok_status)
                break;
            /* out of memory is a 500 (or, before anything could be said, no answer at all) */
            assert_true(status == 500 || status == -1);
        }
        assert_int_equal(status, ok_status);
    }
    tc_free(&tc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_at_every_failure_point),
        cmocka_unit_test(test_password_change_is_atomic),
        cmocka_unit_test(test_pages_with_failing_memory),
        cmocka_unit_test(test_vote_at_every_failure_point),
        cmocka_unit_test(test_contribution_at_every_failure_point),
        cmocka_unit_test(test_assessment_submission_at_every_failure_point),
        cmocka_unit_test(test_develop_save_at_every_failure_point),
    };
    return cmocka_run_group_tests_name("http/fault", tests, setup, teardown);
}
