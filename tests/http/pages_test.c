/* pages_test.c: every GET route in the route table answers, as someone who may see it, with
 * a page that tidy passes without a warning
 *
 * Reads the route table itself: a GET route that no visit below reaches fails the test, so a
 * new page is checked the moment it is declared. Path parameters are filled from the
 * demonstration content (listen_demo, assess_demo) and from what the test makes through the
 * pages (an analysis, a "You said, we did" action, a published report, answers in progress
 * and submitted). Each visit names the route it must reach (the loopback says which route
 * answered), the client it is made as, and, for a route that rightly answers with something
 * other than an HTML page (a download, a redirect, a health check), that answer's status,
 * content type and the reason. Then every route that needs a login or a role is refused,
 * precisely, to those without one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "account/cohort.h"
#include "assess/demo.h"
#include "connect/mentoring.h"
#include "connect/group.h"
#include "core/arena.h"
#include "http/handler.h"
#include "listen/analysis.h"
#include "listen/demo.h"
#include "mail/mail.h"
#include "account/cohort.h"
#include "store/db.h"
#include "support/testapp.h"

#define ASSESS_RESPONSES 200 /* enough for every benchmark breakdown to have rows */

static struct app *app;
static const char *PW = "correct horse battery";

/* Browsers: nobody, a member, a facilitator, an admin; a Listen participant; one person
 * half-way through an assessment and one who has submitted theirs. */
static struct test_client anon, member, fac, admin, participant, answering, submitted;

/* What fills the path parameters. */
static char listen_slug[64], open_round[64], baseline_round[64], wgll_round[64];
static char invitation[64], resume_token[80];
static char invite_link[65], reset_link[65]; /* tokens from the outbox */
static int64_t invitee_id;
static int64_t action_id, instrument_id;
static int64_t develop_framework_id, develop_submitted, develop_draft; /* Develop */
static int64_t develop_activity_id;                                    /* Develop: catalogue */
static int64_t develop_entry_id, develop_share_id;                 /* Develop: portfolio and CV */
static int64_t feedback_open_id, feedback_closed_id;               /* Develop: 360° feedback */
static char feedback_token[65];                                    /* a rater's link */
static int64_t connect_round_id, connect_match_id, connect_rel_id; /* Connect: mentoring */
static int64_t develop_goal_id, develop_plan_item_id, develop_cohort_id; /* Develop: plans */
static int64_t mail_id;   /* a message in the outbox */
static char mail_key[40]; /* and the key admins know it by */
/* Connect: interest groups */
static int64_t connect_group_id, connect_thread_id, connect_post_id, connect_event_id;
static char connect_token[65], connect_off[160];
static int64_t sets_split_id, sets_member_set; /* Connect: action learning sets */

struct visit {
    const char *route;      /* the route's name in routes.def */
    struct test_client *as; /* who asks */
    char uri[192];
    int status;       /* expected; 200 for pages */
    const char *type; /* expected Content-Type prefix; text/html for pages */
    const char *why;  /* why this is not a 200 HTML page; NULL for pages */
};

static struct visit visits[400];
static size_t nvisits;

static struct visit *add(const char *route, struct test_client *as, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A page: 200, HTML, no tidy warning. */
static struct visit *add(const char *route, struct test_client *as, const char *fmt, ...)
{
    struct visit *v;
    va_list ap;
    assert_true(nvisits < sizeof visits / sizeof visits[0]);
    v = &visits[nvisits++];
    v->route = route;
    v->as = as;
    va_start(ap, fmt);
    vsnprintf(v->uri, sizeof v->uri, fmt, ap);
    va_end(ap);
    v->status = 200;
    v->type = "text/html";
    v->why = NULL;
    return v;
}

/* Not an HTML page, for the reason given. */
static void expect(struct visit *v, int status, const char *type, const char *why)
{
    v->status = status;
    v->type = type;
    v->why = why;
}

static void one_column(const char *sql, const char *arg, char *out, size_t cap)
{
    struct db *db = db_pool_get(app->pool);
    struct db_stmt *st = NULL;
    assert_int_equal(db_row(db, sql, &st, arg ? "t" : "", arg), 0);
    snprintf(out, cap, "%s", db_col_text(st, 0));
    db_finalize(st);
    db_pool_put(app->pool, db);
}

static int64_t one_int(const char *sql, const char *arg)
{
    char text[32];
    one_column(sql, arg, text, sizeof text);
    return atoll(text);
}

static void login(struct test_client *tc, const char *email, const char *role)
{
    testapp_user(app, email, role, PW);
    tc_init(tc, app);
    assert_int_equal(tc_login(tc, email, PW), 303);
}

/* The demonstration content, and what only the pages make. */
static void make_data(void)
{
    struct db *db = db_pool_get(app->pool);
    char uri[192], form[256];
    int made = 0;
    bool ran = false;
    assert_int_equal(
        listen_demo(db, one_int("SELECT id FROM users WHERE email = $1", "fac@example.test"),
                    &made),
        0);
    assert_int_equal(made, 1);
    assert_int_equal(assess_demo(db, ASSESS_RESPONSES), 0);
    db_pool_put(app->pool, db);
    one_column("SELECT slug FROM listen_exercises WHERE status = $1", "open", listen_slug,
               sizeof listen_slug);
    one_column("SELECT slug FROM assess_rounds WHERE title = $1", "AHP digital capability 2026",
               open_round, sizeof open_round);
    one_column("SELECT slug FROM assess_rounds WHERE title = $1",
               "AHP digital capability baseline 2025", baseline_round, sizeof baseline_round);
    one_column("SELECT slug FROM assess_rounds WHERE title = $1",
               "What Good Looks Like self-assessment 2026", wgll_round, sizeof wgll_round);
    one_column("SELECT i.code FROM assess_invitations i JOIN assess_rounds r ON r.id = "
               "i.round_id WHERE r.slug = $1 ORDER BY i.id LIMIT 1",
               wgll_round, invitation, sizeof invitation);
    instrument_id =
        one_int("SELECT MAX(id) FROM assess_instruments WHERE code = $1", "ahp-digital-capability");

    /* Listen: an analysis, an action, the report published, a participant's contribution */
    snprintf(uri, sizeof uri, "/listen/%s/analysis", listen_slug);
    assert_int_equal(tc_post_form(&fac, uri, "k=3", 1), 303);
    db = db_pool_get(app->pool);
    assert_int_equal(listen_analysis_run_next(db, &ran), 0);
    assert_true(ran);
    {
        /* the action answers the first theme found, by its label */
        struct arena *a = arena_new();
        struct listen_analysis_latest latest;
        const char *label;
        assert_int_equal(listen_analysis_latest(db, a,
                                                one_int("SELECT id FROM listen_exercises WHERE "
                                                        "slug = $1",
                                                        listen_slug),
                                                &latest),
                         0);
        assert_non_null(latest.result);
        assert_true(latest.result->nthemes > 0);
        label = latest.result->themes[0].label;
        assert_non_null(label);
        snprintf(form, sizeof form,
                 "theme=%s&what=Evening+clinics+in+every+trust&who=The+chief+AHP"
                 "&status=in_progress&due=2027-03-31",
                 label);
        for (char *p = form; *p; p++)
            *p = *p == ' ' ? '+' : *p;
        arena_free(a);
    }
    db_pool_put(app->pool, db);
    snprintf(uri, sizeof uri, "/listen/%s/actions", listen_slug);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 303);
    action_id = one_int("SELECT MAX(a.id) FROM listen_actions a JOIN listen_exercises e ON "
                        "e.id = a.exercise_id WHERE e.slug = $1",
                        listen_slug);
    snprintf(uri, sizeof uri, "/listen/%s/report/publish", listen_slug);
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 303);
    tc_init(&participant, app);
    snprintf(uri, sizeof uri, "/listen/%s", listen_slug);
    assert_int_equal(tc_get(&participant, uri), 200);
    snprintf(uri, sizeof uri, "/listen/%s/contribute", listen_slug);
    snprintf(form, sizeof form, "prompt=%lld&text=More+time+for+supervision+please",
             (long long)one_int("SELECT MIN(p.id) FROM listen_prompts p JOIN listen_exercises "
                                "e ON e.id = p.exercise_id WHERE e.slug = $1",
                                listen_slug));
    assert_int_equal(tc_post_form(&participant, uri, form, 1), 303);

    /* Assess: answers saved for later, and answers submitted */
    tc_init(&answering, app);
    tc_init(&submitted, app);
    snprintf(uri, sizeof uri, "/assess/%s", open_round);
    assert_int_equal(tc_get(&answering, uri), 200);
    assert_int_equal(tc_get(&submitted, uri), 200);
    snprintf(uri, sizeof uri, "/assess/%s/start", open_round);
    assert_int_equal(tc_post_form(&answering, uri, "profession=podiatrist&band=8a", 1), 303);
    assert_int_equal(tc_post_form(&submitted, uri, "profession=dietitian&region=london", 1), 303);
    snprintf(resume_token, sizeof resume_token, "%s", tc_cookie(&answering, "ahp_ar"));
    assert_int_equal(strlen(resume_token), 64);
    snprintf(uri, sizeof uri, "/assess/%s/section/1", open_round);
    assert_int_equal(tc_post_form(&answering, uri, "item.leadership-1=2&action=later", 1), 303);
    assert_int_equal(tc_post_form(&submitted, uri, "item.leadership-1=3&item.leadership-2=1", 1),
                     303);
    snprintf(uri, sizeof uri, "/assess/%s/submit", open_round);
    assert_int_equal(tc_post_form(&submitted, uri, "", 1), 303);

    /* ---- Develop: the member's submitted self-assessment, and a draft ---- */
    develop_framework_id = one_int("SELECT MAX(id) FROM develop_frameworks WHERE code = $1",
                                   "ahp-clinical-leadership");
    assert_int_equal(tc_post_form(&member, "/develop/start", "", 1), 303);
    develop_submitted = one_int("SELECT MAX(id) FROM develop_self_assessments", NULL);
    snprintf(uri, sizeof uri, "/develop/self/%lld/domain/1", (long long)develop_submitted);
    assert_int_equal(tc_post_form(&member, uri, "rating.system-fit=3&note.system-fit=Example", 1),
                     303);
    snprintf(uri, sizeof uri, "/develop/self/%lld/submit", (long long)develop_submitted);
    assert_int_equal(tc_post_form(&member, uri, "", 1), 303);
    assert_int_equal(tc_post_form(&member, "/develop/start", "", 1), 303);
    develop_draft = one_int("SELECT MAX(id) FROM develop_self_assessments", NULL);
    develop_activity_id = one_int("SELECT MIN(id) FROM develop_activities", NULL); /* catalogue */
    /* portfolio: an entry on the CV, shared with the facilitator */
    assert_int_equal(tc_post_form(&member, "/develop/portfolio",
                                  "kind=project&title=Waiting+list+project&start-day=1"
                                  "&start-month=2&start-year=2024&body=**Waits**+fell."
                                  "&skill.quality-improvement=1&domain.vision=1&on_cv=1",
                                  1),
                     303);
    develop_entry_id = one_int("SELECT MAX(id) FROM develop_portfolio_entries", NULL);
    assert_int_equal(tc_post_form(&member, "/develop/cv", "headline=Therapist&summary=Leading.", 1),
                     303);
    assert_int_equal(tc_post_form(&member, "/develop/shares", "email=fac%40example.test", 1), 303);
    develop_share_id = one_int("SELECT MAX(id) FROM develop_portfolio_shares", NULL);
    /* ---- Develop: 360° feedback — an open request with a rater half-way, and a closed one
     * with three answers ---- */
    {
        struct test_client rater;
        char fform[600], date[64], *p;
        time_t t = time(NULL) + 10 * 86400;
        struct tm tm;
        gmtime_r(&t, &tm);
        snprintf(date, sizeof date, "closes-day=%d&closes-month=%d&closes-year=%d", tm.tm_mday,
                 tm.tm_mon + 1, tm.tm_year + 1900);
        snprintf(uri, sizeof uri, "/develop/self/%lld/feedback", (long long)develop_submitted);
        tc_init(&rater, app);
        for (int k = 0; k < 2; k++) {
            snprintf(fform, sizeof fform,
                     "%s&email.1=m%d%%40example.test&group.1=manager&email.2=p%d%%40example.test&"
                     "group.2=peer&email.3=q%d%%40example.test&group.3=peer",
                     date, k, k, k);
            assert_int_equal(tc_post_form(&member, uri, fform, 1), 201);
            for (p = member.res.body; (p = strstr(p, "/feedback/")) != NULL && k == 1;) {
                char tok[65], page[160];
                p += strlen("/feedback/");
                if (strspn(p, "0123456789abcdef") != 64)
                    continue;
                memcpy(tok, p, 64);
                tok[64] = '\0';
                p += 64;
                tc_reset(&rater);
                snprintf(page, sizeof page, "/feedback/%s", tok);
                assert_int_equal(tc_get(&rater, page), 200);
                snprintf(page, sizeof page, "/feedback/%s/domain/1", tok);
                assert_int_equal(tc_post_form(&rater, page, "rating.system-fit=2", 1), 303);
                snprintf(page, sizeof page, "/feedback/%s/comments", tok);
                assert_int_equal(tc_post_form(&rater, page, "strengths=Kind&action=submit", 1),
                                 200);
            }
            if (k == 0) {
                p = strstr(member.res.body, "/feedback/");
                assert_non_null(p);
                memcpy(feedback_token, p + strlen("/feedback/"), 64);
                feedback_token[64] = '\0';
                feedback_open_id = one_int("SELECT MAX(id) FROM develop_feedback_requests", NULL);
            }
        }
        feedback_closed_id = one_int("SELECT MAX(id) FROM develop_feedback_requests", NULL);
        snprintf(uri, sizeof uri, "/develop/feedback/%lld/close", (long long)feedback_closed_id);
        assert_int_equal(tc_post_form(&member, uri, "", 1), 303);
        tc_free(&rater);
    }
    /* ---- Connect: mentoring — the member looks for a mentor, another member offers, a
     * round over both is run and both accept ---- */
    {
        int64_t mentor = testapp_user(app, "mentor@example.test", "member", PW), cohort, rel = 0;
        struct db *cdb;
        struct arena *ca = arena_new();
        assert_int_equal(tc_post_form(&member, "/connect/profile",
                                      "matching=1&seeks_kind=mentoring&seeks.research=1&band=6", 1),
                         303);
        cdb = db_pool_get(app->pool);
        assert_int_equal(db_run(cdb,
                                "INSERT INTO connect_profiles (user_id, matching, in_directory, "
                                "directory_role, offers_mentoring, offers, band, "
                                "max_mentees, updated_at) VALUES ($1, 1, 1, 'digital-lead', 1, "
                                "'research', '8a', 1, 1)",
                                "i", mentor),
                         0);
        assert_int_equal(
            db_run(cdb, "UPDATE users SET region = 'london' WHERE id = $1", "i", mentor), 0);
        assert_int_equal(db_run_int(cdb,
                                    "INSERT INTO cohorts (name, created_at, updated_at) VALUES "
                                    "('Mentoring pages', 1, 1) RETURNING id",
                                    &cohort, ""),
                         0);
        assert_int_equal(db_run(cdb,
                                "INSERT INTO cohort_members (cohort_id, user_id, added_at) "
                                "SELECT $1, id, 1 FROM users WHERE email IN "
                                "('member@example.test', 'mentor@example.test')",
                                "i", cohort),
                         0);
        db_pool_put(app->pool, cdb);
        snprintf(form, sizeof form, "name=Pages&kind=mentoring&cohort=%lld", (long long)cohort);
        assert_int_equal(tc_post_form(&fac, "/connect/rounds", form, 1), 303);
        connect_round_id = one_int("SELECT MAX(id) FROM connect_rounds", NULL);
        snprintf(uri, sizeof uri, "/connect/rounds/%lld/run", (long long)connect_round_id);
        assert_int_equal(tc_post_form(&fac, uri, "", 1), 303);
        connect_match_id = one_int("SELECT MAX(id) FROM connect_matches", NULL);
        snprintf(uri, sizeof uri, "/connect/matches/%lld/accept", (long long)connect_match_id);
        assert_int_equal(tc_post_form(&member, uri, "", 1), 303);
        cdb = db_pool_get(app->pool);
        assert_int_equal(connect_match_answer(cdb, ca, connect_match_id, mentor, true, 2, &rel), 0);
        db_pool_put(app->pool, cdb);
        connect_rel_id = rel;
        assert_true(rel > 0);
        arena_free(ca);
    }
    /* Develop: a goal and a plan activity, and a cohort for the gap view */
    assert_int_equal(tc_post_json(&member, "/api/v1/develop/plan/goals",
                                  "{\"title\": \"Lead the move\", \"domain\": "
                                  "\"ahp-clinical-leadership:digital\"}"),
                     201);
    develop_goal_id = one_int("SELECT MAX(id) FROM develop_goals", NULL);
    snprintf(uri, sizeof uri, "activity=%lld", (long long)develop_activity_id);
    assert_int_equal(tc_post_form(&member, "/develop/plan/activities", uri, 1), 303);
    develop_plan_item_id = one_int("SELECT MAX(id) FROM develop_plan_activities", NULL);
    {
        struct db *cdb = db_pool_get(app->pool);
        assert_int_equal(account_cohort_create(cdb, 0, "Pages cohort", "", &develop_cohort_id), 0);
        db_pool_put(app->pool, cdb);
    }
    /* accounts: an invitation and a password reset, their links read from the outbox */
    assert_int_equal(tc_post_form(&admin, "/admin/users/invite",
                                  "email=invitee%40example.test&display_name=Jo+Walsh&role=member",
                                  1),
                     201);
    invitee_id = one_int("SELECT id FROM users WHERE email = $1", "invitee@example.test");
    {
        int64_t leaver = testapp_user(app, "leaver@example.test", "member", PW);
        snprintf(uri, sizeof uri, "/admin/users/%lld/deactivate", (long long)leaver);
        assert_int_equal(tc_post_form(&admin, uri, "", 1), 303);
    }
    tc_get(&anon, "/password/forgot");
    assert_int_equal(tc_post_form(&anon, "/password/forgot", "email=member%40example.test", 1),
                     200);
    {
        char body[4096];
        const char *p;
        one_column("SELECT body_text FROM mail_outbox WHERE recipient = $1", "invitee@example.test",
                   body, sizeof body);
        assert_non_null(p = strstr(body, "/set-password/"));
        snprintf(invite_link, sizeof invite_link, "%.64s", p + 14);
        one_column("SELECT body_text FROM mail_outbox WHERE recipient = $1", "member@example.test",
                   body, sizeof body);
        assert_non_null(p = strstr(body, "/password/reset/"));
        snprintf(reset_link, sizeof reset_link, "%.64s", p + 16);
    }
    /* mail: a message waiting in the outbox (no SMTP server is configured) */
    {
        struct db *mdb = db_pool_get(app->pool);
        json_t *m = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}}", "subject", "A test message", "to",
                              "someone@example.test", "when", "today", "button", "url",
                              "https://hub.example.test/x", "text", "Open AHP Hub");
        assert_int_equal(mail_queue(mdb, app->tpl, "someone@example.test", "test", m, &mail_id), 0);
        json_decref(m);
        {
            struct db_stmt *st = NULL;
            assert_int_equal(
                db_row(mdb, "SELECT message_key FROM mail_outbox WHERE id = $1", &st, "i", mail_id),
                0);
            snprintf(mail_key, sizeof mail_key, "%s", db_col_text(st, 0));
            db_finalize(st);
        }
        db_pool_put(app->pool, mdb);
    }
    /* ---- Connect: a group (the facilitator moderates it) with a thread, a report and an
     * event; the member joins; the digest's "stop" link for the member ---- */
    {
        int64_t member_id = one_int("SELECT id FROM users WHERE email = $1", "member@example.test");
        assert_int_equal(tc_post_form(&fac, "/connect/groups",
                                      "name=North+West+digital+AHP+group&description=Digital"
                                      "&region=north-west&topic=digital&visibility=members",
                                      1),
                         303);
        connect_group_id = one_int("SELECT MAX(id) FROM connect_groups", NULL);
        snprintf(uri, sizeof uri, "/connect/groups/%lld/join", (long long)connect_group_id);
        assert_int_equal(tc_post_form(&member, uri, "", 1), 303);
        snprintf(uri, sizeof uri, "/connect/groups/%lld/threads", (long long)connect_group_id);
        assert_int_equal(
            tc_post_form(&member, uri, "title=Remote+monitoring&body=**Anyone%3F**", 1), 303);
        connect_thread_id = one_int("SELECT MAX(id) FROM connect_threads", NULL);
        connect_post_id = one_int("SELECT MAX(id) FROM connect_posts", NULL);
        snprintf(uri, sizeof uri, "/connect/groups/%lld/events", (long long)connect_group_id);
        assert_int_equal(tc_post_form(&fac, uri,
                                      "title=Lunch+and+learn&day=15&month=7&year=2040"
                                      "&start_time=12%3A30&end_time=13%3A30&place=Leeds"
                                      "&link=https%3A%2F%2Fmeet.example.org%2Fx&description=Talk",
                                      1),
                         303);
        connect_event_id = one_int("SELECT MAX(id) FROM connect_events", NULL);
        connect_digest_token(app->secret, member_id, connect_token);
        snprintf(connect_off, sizeof connect_off, "/connect/digest/off?member=%lld&token=%s",
                 (long long)member_id, connect_token);
    }
    /* ---- Connect: a cohort of twelve (the member among them) split into two published
     * sets, one with a meeting planned and one held ---- */
    {
        struct db *cdb = db_pool_get(app->pool);
        int64_t cohort;
        assert_int_equal(account_cohort_create(cdb, 0, "Pages sets cohort", "", &cohort), 0);
        assert_int_equal(account_cohort_add(cdb, cohort,
                                            one_int("SELECT id FROM users WHERE email = $1",
                                                    "member@example.test")),
                         0);
        for (int i = 0; i < 11; i++) {
            char email[64];
            snprintf(email, sizeof email, "set.member.%d@example.test", i);
            assert_int_equal(
                account_cohort_add(cdb, cohort, testapp_user(app, email, "member", PW)), 0);
        }
        db_pool_put(app->pool, cdb);
        snprintf(form, sizeof form, "cohort=%lld&target=6&seed=1", (long long)cohort);
        assert_int_equal(tc_post_form(&fac, "/connect/sets", form, 1), 303);
        sets_split_id = one_int("SELECT MAX(id) FROM connect_splits", NULL);
        snprintf(uri, sizeof uri, "/connect/sets/%lld/publish", (long long)sets_split_id);
        assert_int_equal(tc_post_form(&fac, uri, "", 1), 303);
        sets_member_set = one_int("SELECT s.number FROM connect_set_members m JOIN connect_sets s "
                                  "ON s.id = m.set_id JOIN users u ON u.id = m.user_id WHERE "
                                  "u.email = $1",
                                  "member@example.test");
        snprintf(uri, sizeof uri, "/connect/sets/%lld/set/%lld/meetings", (long long)sets_split_id,
                 (long long)sets_member_set);
        assert_int_equal(tc_post_form(&fac, uri, "day=3&month=3&year=2027", 1), 303);
        assert_int_equal(
            tc_post_form(&fac, uri, "day=3&month=2&year=2026&held=1&theme=Leading+change", 1), 303);
    }
}

/* Every GET route, as someone who may see it. */
static void plan_visits(void)
{
    const char *L = listen_slug;
    static const char *const report_files[][2] = {
        {"what-we-heard.csv", "text/csv"},
        {"what-we-heard.json", "application/json"},
        {"what-we-heard.pdf", "application/pdf"},
    };
    static const char *const export_files[][2] = {
        {"summary.csv", "text/csv"},
        {"comments.csv", "text/csv"},
        {"votes.csv", "text/csv"},
        {"participants-votes.csv", "text/csv"},
        {"themes.csv", "text/csv"}, /* facilitators only */
        {"exercise.json", "application/json"},
    };
    nvisits = 0;
    /* site */
    add("home", &anon, "/");
    add("home", &member, "/");
    add("your_home", &member, "/home");
    add("your_home", &fac, "/home");
    expect(add("healthz", &anon, "/healthz"), 200, "text/plain",
           "the load balancer's liveness check: plain text");
    expect(add("readyz", &anon, "/readyz"), 200, "text/plain",
           "the load balancer's readiness check (takes a write): plain text");
    expect(add("metrics", &anon, "/metrics"), 200, "text/plain; version=0.0.4",
           "Prometheus text format");
    expect(add("assets", &anon, "/assets/ahphub.css"), 200, "text/css",
           "a static file: the site's stylesheet");
    expect(add("favicon", &anon, "/favicon.ico"), 200, "image/x-icon", "the site's icon");
    add("accessibility", &anon, "/accessibility");
    add("privacy", &anon, "/privacy");
    /* accounts and administration */
    add("account_login_form", &anon, "/login");
    add("account_show", &member, "/account");
    /* data rights: the copy and account deletion (deleting is in rights_test.c) */
    add("account_data", &member, "/account/data");
    expect(add("account_data_download", &member, "/account/data/download"), 200, "application/json",
           "the member's copy of their data: a download");
    add("account_delete_form", &member, "/account/delete");
    add("admin_index", &admin, "/admin");
    add("admin_users", &admin, "/admin/users");
    add("admin_audit", &admin, "/admin/audit");
    /* organisations (the Assess demo's): the list, the forms, a merge chosen and confirmed */
    {
        long long first = (long long)one_int("SELECT MIN(id) FROM organisations", NULL);
        long long last = (long long)one_int("SELECT MAX(id) FROM organisations", NULL);
        add("admin_orgs", &admin, "/admin/organisations");
        add("admin_org_new_form", &admin, "/admin/organisations/new");
        add("admin_org_edit_form", &admin, "/admin/organisations/%lld/edit", first);
        add("admin_org_merge_form", &admin, "/admin/organisations/%lld/merge", first);
        add("admin_org_merge_form", &admin, "/admin/organisations/%lld/merge?into=%lld", first,
            last);
    }
    /* cohorts: one made and given a member through the pages */
    {
        long long cid;
        assert_int_equal(tc_post_form(&fac, "/cohorts", "name=Cohort+pages", 1), 303);
        cid = (long long)one_int("SELECT id FROM cohorts WHERE name = $1", "Cohort pages");
        {
            char uri[64];
            snprintf(uri, sizeof uri, "/cohorts/%lld/members", cid);
            assert_int_equal(tc_post_form(&fac, uri, "emails=member%40example.test", 1), 200);
        }
        add("cohorts", &fac, "/cohorts");
        add("cohort_new_form", &fac, "/cohorts/new");
        add("cohort", &fac, "/cohorts/%lld", cid);
        add("cohort_edit_form", &fac, "/cohorts/%lld/edit", cid);
        add("cohort_delete_form", &fac, "/cohorts/%lld/delete", cid);
    }
    /* sign-in with the organisation's account: not configured in this test (oidc_test.c
     * runs it against a provider) */
    add("admin_sign_in", &admin, "/admin/sign-in");
    expect(add("oidc_start", &anon, "/login/oidc"), 404, "text/html",
           "sign-in with the organisation's account is not configured here");
    expect(add("oidc_callback", &anon, "/login/oidc/callback?code=x&state=y"), 404, "text/html",
           "sign-in with the organisation's account is not configured here");
    add("admin_invite_form", &admin, "/admin/users/invite");
    add("admin_user", &admin, "/admin/users/%lld", (long long)invitee_id);
    add("admin_user", &admin, "/admin/users/%lld",
        (long long)one_int("SELECT id FROM users WHERE email = $1", "member@example.test"));
    add("admin_user", &admin, "/admin/users/%lld",
        (long long)one_int("SELECT id FROM users WHERE email = $1", "leaver@example.test"));
    add("password_forgot_form", &anon, "/password/forgot");
    add("password_reset_form", &anon, "/password/reset/%s", reset_link);
    add("set_password_form", &anon, "/set-password/%s", invite_link);
    /* Listen */
    add("listen_index", &anon, "/listen");
    add("listen_index", &fac, "/listen");
    add("listen_new_form", &fac, "/listen/new");
    add("listen_import_form", &fac, "/listen/import");
    add("listen_show", &anon, "/listen/%s", L);
    add("listen_show", &participant, "/listen/%s?page=2", L);
    add("listen_edit_form", &fac, "/listen/%s/edit", L);
    add("listen_facilitators", &fac, "/listen/%s/facilitators", L);
    add("listen_mine", &participant, "/listen/%s/mine", L);
    add("listen_queue", &fac, "/listen/%s/moderate?filter=all", L);
    add("listen_words", &admin, "/admin/listen-words");
    add("listen_analysis", &fac, "/listen/%s/analysis", L);
    /* Listen on launch day: one's votes, the voting card after a vote and an undo, and the
     * opinion groups as a download */
    add("listen_votes", &participant, "/listen/%s/votes", L);
    add("listen_votes", &anon, "/listen/%s/votes", L);
    add("listen_show", &participant, "/listen/%s?statement=1&undone=1", L);
    expect(add("listen_report_file", &anon, "/listen/%s/report/opinion-groups.csv", L), 200,
           "text/csv; charset=utf-8", "the opinion groups of the published report");
    add("listen_actions", &anon, "/listen/%s/actions", L);
    add("listen_actions", &fac, "/listen/%s/actions", L);
    add("listen_action_edit_form", &fac, "/listen/%s/actions/%lld/edit", L, (long long)action_id);
    add("listen_report", &anon, "/listen/%s/report", L);
    add("listen_report", &fac, "/listen/%s/report", L);
    for (size_t i = 0; i < sizeof report_files / sizeof report_files[0]; i++)
        expect(add("listen_report_file", &anon, "/listen/%s/report/%s", L, report_files[i][0]), 200,
               report_files[i][1], "a download of the published report");
    for (size_t i = 0; i < sizeof export_files / sizeof export_files[0]; i++)
        expect(add("listen_export", &fac, "/listen/%s/export/%s", L, export_files[i][0]), 200,
               export_files[i][1], "open data: a download");
    /* Assess */
    add("assess_index", &anon, "/assess");
    add("assess_instruments", &anon, "/assess/instruments");
    add("assess_instrument_new_form", &admin, "/assess/instruments/new");
    add("assess_instrument_import_form", &admin, "/assess/instruments/import");
    add("assess_instrument", &anon, "/assess/instruments/%lld", (long long)instrument_id);
    expect(add("assess_instrument_download", &anon, "/assess/instruments/%lld/download",
               (long long)instrument_id),
           200, "application/json", "the instrument's definition as a JSON download");
    add("assess_instrument_edit_form", &admin, "/assess/instruments/%lld/edit",
        (long long)instrument_id);
    add("assess_instrument_edit_json_form", &admin, "/assess/instruments/%lld/edit/json",
        (long long)instrument_id);
    add("assess_round_new_form", &fac, "/assess/rounds/new");
    add("assess_manage", &fac, "/assess/%s/manage", open_round);
    add("assess_manage", &fac, "/assess/%s/manage", wgll_round);
    add("assess_round", &anon, "/assess/%s", open_round);
    add("assess_round", &anon, "/assess/%s", baseline_round);
    add("assess_invitation", &anon, "/assess/%s/invitation/%s", wgll_round, invitation);
    expect(add("assess_resume", &anon, "/assess/%s/resume/%s", open_round, resume_token), 303, NULL,
           "puts the resume code into this browser and goes on where the answers stopped");
    add("assess_section", &answering, "/assess/%s/section/1", open_round);
    add("assess_section", &answering, "/assess/%s/section/9", open_round);
    add("assess_saved", &answering, "/assess/%s/saved", open_round);
    add("assess_check", &answering, "/assess/%s/check", open_round);
    add("assess_result", &submitted, "/assess/%s/result", open_round);
    add("assess_benchmarks", &member, "/assess/%s/benchmarks", baseline_round);
    add("assess_benchmarks", &fac, "/assess/%s/benchmarks?by=organisation", baseline_round);
    expect(add("assess_export", &fac, "/assess/%s/export/responses.csv", baseline_round), 200,
           "text/csv", "open data: a download");
    expect(add("assess_export", &member, "/assess/%s/export/benchmark.csv", baseline_round), 200,
           "text/csv", "open data: a download");
    expect(add("assess_export", &member, "/assess/%s/export/benchmark.json", baseline_round), 200,
           "application/json", "open data: a download");
    add("assess_import_form", &fac, "/assess/%s/import", open_round);
    /* ---- Develop ---- */
    add("develop_frameworks", &admin, "/develop/frameworks");
    add("develop_framework_import_form", &admin, "/develop/frameworks/import");
    add("develop_framework", &admin, "/develop/frameworks/%lld", (long long)develop_framework_id);
    expect(add("develop_framework_download", &admin, "/develop/frameworks/%lld/download",
               (long long)develop_framework_id),
           200, "application/json", "the framework's definition as a JSON download");
    add("develop_framework_edit_form", &admin, "/develop/frameworks/%lld/edit",
        (long long)develop_framework_id);
    add("develop_index", &member, "/develop");
    add("develop_compare", &member, "/develop/compare");
    add("develop_self", &member, "/develop/self/%lld", (long long)develop_submitted);
    add("develop_domain", &member, "/develop/self/%lld/domain/1", (long long)develop_draft);
    add("develop_domain", &member, "/develop/self/%lld/domain/9", (long long)develop_draft);
    add("develop_check", &member, "/develop/self/%lld/check", (long long)develop_draft);
    /* ---- Develop: 360° feedback ---- */
    add("develop_feedback_list", &member, "/develop/feedback");
    add("develop_feedback_new", &member, "/develop/self/%lld/feedback",
        (long long)develop_submitted);
    add("develop_feedback_show", &member, "/develop/feedback/%lld", (long long)feedback_open_id);
    add("develop_feedback_show", &member, "/develop/feedback/%lld", (long long)feedback_closed_id);
    add("feedback_start", &anon, "/feedback/%s", feedback_token);
    add("feedback_domain", &anon, "/feedback/%s/domain/1", feedback_token);
    add("feedback_comments", &anon, "/feedback/%s/comments", feedback_token);
    /* ---- Develop: catalogue (the starter catalogue is there from the first start) ---- */
    add("develop_catalogue", &member, "/develop/catalogue");
    add("develop_catalogue", &fac, "/develop/catalogue?kind=course&region=london&free=1");
    add("develop_activity_new_form", &fac, "/develop/catalogue/new");
    add("develop_catalogue_import_form", &fac, "/develop/catalogue/import");
    expect(add("develop_catalogue_export", &fac, "/develop/catalogue/export.csv"), 200, "text/csv",
           "the catalogue as a CSV download");
    add("develop_activity", &member, "/develop/catalogue/%lld", (long long)develop_activity_id);
    add("develop_activity", &admin, "/develop/catalogue/%lld", (long long)develop_activity_id);
    add("develop_activity_edit_form", &admin, "/develop/catalogue/%lld/edit",
        (long long)develop_activity_id);
    /* Develop: portfolio, sharing and the CV */
    add("develop_portfolio", &member, "/develop/portfolio");
    add("develop_entry_new_form", &member, "/develop/portfolio/new");
    add("develop_entry", &member, "/develop/portfolio/%lld", (long long)develop_entry_id);
    add("develop_entry_edit_form", &member, "/develop/portfolio/%lld/edit",
        (long long)develop_entry_id);
    add("develop_shares", &member, "/develop/shares");
    add("develop_shared", &fac, "/develop/shared");
    add("develop_shared_portfolio", &fac, "/develop/shared/%lld", (long long)develop_share_id);
    add("develop_cv", &member, "/develop/cv");
    expect(add("develop_cv_pdf", &member, "/develop/cv.pdf"), 200, "application/pdf",
           "the CV as a PDF download");
    expect(add("develop_cv_docx", &member, "/develop/cv.docx"), 200,
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "the CV as a Word download");
    expect(add("develop_cv_json", &member, "/develop/cv.json"), 200, "application/json",
           "the CV as JSON Resume");
    /* ---- Connect: mentoring ---- */
    add("connect_index", &member, "/connect");
    add("connect_index", &fac, "/connect");
    add("connect_profile_form", &member, "/connect/profile");
    add("connect_directory", &member, "/connect/directory");
    add("connect_directory", &member, "/connect/directory?region=london&role=digital-lead");
    add("connect_rounds", &fac, "/connect/rounds");
    add("connect_round", &fac, "/connect/rounds/%lld", (long long)connect_round_id);
    add("connect_match", &member, "/connect/matches/%lld", (long long)connect_match_id);
    add("connect_relationship", &member, "/connect/relationships/%lld", (long long)connect_rel_id);
    /* Develop: plans, recommendations and the gap view */
    add("develop_plan", &member, "/develop/plan");
    add("develop_plan", &member, "/develop/plan?added=%lld", (long long)develop_plan_item_id);
    add("develop_goal_new_form", &member, "/develop/plan/goals/new");
    add("develop_goal", &member, "/develop/plan/goals/%lld", (long long)develop_goal_id);
    add("develop_plan_activity_new_form", &member, "/develop/plan/activities/new");
    add("develop_plan_activity", &member, "/develop/plan/activities/%lld",
        (long long)develop_plan_item_id);
    add("develop_recommendations", &member, "/develop/recommendations");
    add("develop_gaps", &fac, "/develop/gaps");
    add("develop_gaps", &fac, "/develop/gaps?cohort=%lld", (long long)develop_cohort_id);
    expect(add("develop_gaps_csv", &fac, "/develop/gaps.csv?cohort=%lld",
               (long long)develop_cohort_id),
           200, "text/csv", "the gap view as a CSV download");
    /* mail */
    add("admin_mail", &admin, "/admin/mail");
    add("admin_mail", &admin, "/admin/mail?state=queued");
    add("admin_mail_message", &admin, "/admin/mail/%s", mail_key);
    /* ---- Connect: interest groups ---- */
    add("connect_groups", &member, "/connect/groups");
    add("connect_groups", &admin, "/connect/groups?region=london");
    add("connect_group_new_form", &fac, "/connect/groups/new");
    add("connect_group", &fac, "/connect/groups/%lld", (long long)connect_group_id);
    add("connect_group", &admin, "/connect/groups/%lld", (long long)connect_group_id);
    add("connect_group_members", &member, "/connect/groups/%lld/members",
        (long long)connect_group_id);
    add("connect_thread_new_form", &member, "/connect/groups/%lld/threads/new",
        (long long)connect_group_id);
    add("connect_moderation", &fac, "/connect/groups/%lld/moderate", (long long)connect_group_id);
    add("connect_event_new_form", &fac, "/connect/groups/%lld/events/new",
        (long long)connect_group_id);
    add("connect_thread", &member, "/connect/threads/%lld", (long long)connect_thread_id);
    add("connect_thread", &fac, "/connect/threads/%lld", (long long)connect_thread_id);
    add("connect_post", &fac, "/connect/posts/%lld", (long long)connect_post_id);
    /* the member wrote it: changing and deleting are theirs */
    add("connect_post_edit_form", &member, "/connect/posts/%lld/edit", (long long)connect_post_id);
    add("connect_post_delete_form", &member, "/connect/posts/%lld/delete",
        (long long)connect_post_id);
    add("connect_event", &member, "/connect/events/%lld", (long long)connect_event_id);
    add("connect_event", &fac, "/connect/events/%lld", (long long)connect_event_id);
    add("connect_event_edit_form", &fac, "/connect/events/%lld/edit", (long long)connect_event_id);
    add("connect_event_cancel_form", &fac, "/connect/events/%lld/cancel",
        (long long)connect_event_id);
    expect(add("connect_event_ics", &member, "/connect/events/%lld/event.ics",
               (long long)connect_event_id),
           200, "text/calendar", "an iCalendar file to download");
    add("connect_digest_off_form", &anon, "%s", connect_off);
    /* ---- Connect: action learning sets ---- */
    add("connect_sets", &member, "/connect/sets");
    add("connect_sets", &fac, "/connect/sets");
    add("connect_split_new_form", &fac, "/connect/sets/new");
    add("connect_split", &fac, "/connect/sets/%lld", (long long)sets_split_id);
    add("connect_set", &member, "/connect/sets/%lld/set/%lld", (long long)sets_split_id,
        (long long)sets_member_set);
    add("connect_set", &fac, "/connect/sets/%lld/set/%lld", (long long)sets_split_id,
        (long long)sets_member_set);
    add("connect_set_leave_form", &member, "/connect/sets/%lld/set/%lld/leave",
        (long long)sets_split_id, (long long)sets_member_set);
}

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    tc_init(&anon, app);
    login(&member, "member@example.test", "member");
    login(&fac, "fac@example.test", "facilitator");
    login(&admin, "admin@example.test", "admin");
    make_data();
    plan_visits();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&anon);
    tc_free(&member);
    tc_free(&fac);
    tc_free(&admin);
    tc_free(&participant);
    tc_free(&answering);
    tc_free(&submitted);
    testapp_free(app);
    return 0;
}

/* Tidy 5.6 (Debian 12's) predates parts of current HTML, ARIA and SVG that the pages use
 * on purpose. Two structures it misreads are taken out of the copy it checks, so that it
 * still checks what is around and inside them: the <div> that groups a <dt> with its <dd>
 * in a <dl> (the NHS.UK summary list; allowed in HTML since 2017) and a heading inside a
 * <legend> (the NHS.UK fieldset heading; allowed since HTML 5.2). Attributes it does not
 * know are forgiven only on these elements. Anything else it says is a failure. */
static const struct {
    const char *element, *attribute, *why;
} tidy_unknown[] = {
    {"a", "aria-current", "WAI-ARIA 1.1; tidy 5.6 knows ARIA 1.0"},
    {"strong", "aria-current", "WAI-ARIA 1.1; tidy 5.6 knows ARIA 1.0"},
    {"input", "inputmode", "HTML Living Standard: the keyboard for numbers"},
    {"input", "autocapitalize", "HTML Living Standard: no capital on email addresses"},
    {"svg", "focusable", "the NHS.UK frontend's own icon markup (nhsuk-frontend icon.njk)"},
    {"svg", "fill", "SVG presentation attribute on a chart"},
    {"svg", "font-family", "SVG presentation attribute on a chart"},
    {"svg", "font-size", "SVG presentation attribute on a chart"},
    {"title", "id", "a chart's SVG <title>, which aria-labelledby names"},
};

/* Copies html without the two structures above (row <div>s directly in a <dl>, heading tags
 * directly in a <legend>); the caller frees the copy. What tidy can then no longer see, a row
 * without both a <dt> and a <dd>, is counted in *bad_rows. */
static char *without_new_structures(const char *html, size_t len, size_t *outlen, int *bad_rows)
{
    enum { DL, ROW, DIV, DT, DD, LEGEND };
    int stack[128], has[128], depth = 0; /* has: 1 a <dt>, 2 a <dd>, for rows */
    char *out = malloc(len + 1);
    size_t n = 0;
    assert_non_null(out);
    for (size_t i = 0; i < len;) {
        bool closing, skip = false;
        char name[8] = "";
        size_t j, k = 0, end;
        int top = depth ? stack[depth - 1] : -1;
        if (html[i] != '<') {
            out[n++] = html[i++];
            continue;
        }
        closing = i + 1 < len && html[i + 1] == '/';
        for (j = i + 1 + closing;
             j < len && k + 1 < sizeof name &&
             ((html[j] >= 'a' && html[j] <= 'z') || (html[j] >= '0' && html[j] <= '9'));
             j++)
            name[k++] = html[j];
        name[k] = '\0';
        for (end = i; end < len && html[end] != '>'; end++)
            ;
        if (!strcmp(name, "dl") || !strcmp(name, "dt") || !strcmp(name, "dd") ||
            !strcmp(name, "legend") || !strcmp(name, "div")) {
            int kind = !strcmp(name, "dl")       ? DL
                       : !strcmp(name, "dt")     ? DT
                       : !strcmp(name, "dd")     ? DD
                       : !strcmp(name, "legend") ? LEGEND
                       : top == DL && !closing   ? ROW
                                                 : DIV;
            if (!closing && depth < 128) {
                if (top == ROW)
                    has[depth - 1] |= kind == DT ? 1 : kind == DD ? 2 : 0;
                has[depth] = 0;
                stack[depth++] = kind;
                skip = kind == ROW;
            } else if (closing && (kind == top || (kind == DIV && top == ROW))) {
                /* a closing tag that does not match is copied for tidy to report */
                skip = top == ROW;
                *bad_rows += skip && has[depth - 1] != 3;
                depth--;
            }
        } else if (top == LEGEND && k == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
            skip = true;
        }
        if (skip) {
            i = end + 1;
            continue;
        }
        while (i <= end && i < len)
            out[n++] = html[i++];
    }
    out[n] = '\0';
    *outlen = n;
    return out;
}

/* True when a line of tidy's report is only an attribute of tidy_unknown[]. */
static bool forgiven(const char *line)
{
    for (size_t i = 0; i < sizeof tidy_unknown / sizeof tidy_unknown[0]; i++) {
        char msg[128];
        snprintf(msg, sizeof msg, "Warning: <%s> proprietary attribute \"%s\"",
                 tidy_unknown[i].element, tidy_unknown[i].attribute);
        if (strstr(line, msg))
            return true;
    }
    return false;
}

/* Runs tidy over a page with its warnings on (testapp_tidy() turns them off): the number of
 * warnings and errors it reports beyond what tidy_unknown[] forgives, each printed to stderr
 * under `what`. */
static int tidy_says(const char *html, size_t len, const char *what)
{
    char in[] = "/tmp/ahphub-pages-XXXXXX", out[] = "/tmp/ahphub-tidied-XXXXXX", cmd[256];
    int fdi = mkstemp(in), fdo = mkstemp(out), said = 0, bad_rows = 0;
    size_t n;
    char *page = without_new_structures(html, len, &n, &bad_rows);
    FILE *f;
    if (bad_rows) {
        fprintf(stderr, "%s: %d <dl> row(s) without both a <dt> and a <dd>\n", what, bad_rows);
        said += bad_rows;
    }
    assert_true(fdi >= 0 && fdo >= 0);
    assert_int_equal(write(fdi, page, n), (ssize_t)n);
    free(page);
    close(fdi);
    close(fdo);
    snprintf(cmd, sizeof cmd, "tidy -q -e %s 2>%s", in, out);
    assert_true(system(cmd) != -1);
    f = fopen(out, "r");
    assert_non_null(f);
    {
        char line[1024];
        while (fgets(line, sizeof line, f)) {
            if (forgiven(line) || !(strstr(line, "Warning:") || strstr(line, "Error:")))
                continue;
            if (!said)
                fprintf(stderr, "tidy on %s:\n", what);
            fputs(line, stderr);
            said++;
        }
    }
    fclose(f);
    unlink(in);
    unlink(out);
    return said;
}

static const char *who(const struct test_client *tc)
{
    return tc == &anon          ? "anonymous"
           : tc == &member      ? "member"
           : tc == &fac         ? "facilitator"
           : tc == &admin       ? "admin"
           : tc == &participant ? "participant"
           : tc == &answering   ? "respondent"
                                : "respondent (submitted)";
}

/* Each visit reaches its route and answers as planned; pages pass tidy without warnings. */
static void test_every_visit_answers(void **state)
{
    int failed = 0;
    (void)state;
    for (size_t i = 0; i < nvisits; i++) {
        const struct visit *v = &visits[i];
        const char *type, *route;
        char what[300];
        int status = tc_get(v->as, v->uri);
        type = lb_header(&v->as->res, "Content-Type");
        route = v->as->res.route ? v->as->res.route : "none";
        snprintf(what, sizeof what, "%s as %s", v->uri, who(v->as));
        if (strcmp(route, v->route) != 0 || status != v->status ||
            (v->type && (!type || strncmp(type, v->type, strlen(v->type)) != 0))) {
            fprintf(stderr, "%s: route %s, status %d, type %s; expected %s, %d, %s\n", what, route,
                    status, type ? type : "none", v->route, v->status, v->type ? v->type : "any");
            failed++;
            continue;
        }
        if (v->status == 303 && !lb_header(&v->as->res, "Location")) {
            fprintf(stderr, "%s: a redirect without a Location\n", what);
            failed++;
        }
        if (!v->why && tidy_says(v->as->res.body, v->as->res.len, what) != 0)
            failed++; /* tidy printed what it found */
    }
    assert_int_equal(failed, 0);
}

/* Every page below the top of its section leads back up (a back link or a breadcrumb), so
 * someone on a phone is never left to find their way with the browser's own button. The
 * tops are reached from the header's navigation; pages opened from a link in an email (a
 * password, a rater's link, the digest's switch) have nowhere to go back to. */
static void test_every_page_leads_back(void **state)
{
    static const char *const tops[] = {"home",
                                       "your_home",
                                       "develop_index",
                                       "connect_index",
                                       "listen_index",
                                       "assess_index",
                                       "admin_index",
                                       "account_show",
                                       "account_login_form",
                                       "password_reset_form",
                                       "connect_digest_off_form",
                                       "set_password_form",
                                       "feedback_start"};
    int failed = 0;
    (void)state;
    for (size_t i = 0; i < nvisits; i++) {
        const struct visit *v = &visits[i];
        const char *ct;
        bool top = false;
        if (v->why || v->status != 200)
            continue;
        for (size_t k = 0; k < sizeof tops / sizeof *tops; k++)
            top |= !strcmp(v->route, tops[k]);
        if (top || tc_get(v->as, v->uri) != 200)
            continue;
        ct = lb_header(&v->as->res, "Content-Type");
        if (!ct || strncmp(ct, "text/html", 9)) /* a download, an asset */
            continue;
        if (!memmem(v->as->res.body, v->as->res.len, "nhsuk-back-link", 15) &&
            !memmem(v->as->res.body, v->as->res.len, "nhsuk-breadcrumb", 16)) {
            fprintf(stderr, "%s (%s): no back link or breadcrumb\n", v->uri, v->route);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

/* Every answer but a static file says Cache-Control: no-store (dispatch adds it once for
 * all): downloads (CSV, JSON and PDF exports and reports, instrument definitions) so no
 * browser or shared cache keeps a copy of what was not public or was private only until a
 * moment ago, and pages and health checks because they are about this moment. */
static void test_every_download_is_no_store(void **state)
{
    int failed = 0, downloads = 0;
    (void)state;
    for (size_t i = 0; i < nvisits; i++) {
        const struct visit *v = &visits[i];
        const char *cd, *cc;
        if (tc_get(v->as, v->uri) != 200)
            continue;
        cd = lb_header(&v->as->res, "Content-Disposition");
        if (cd && !strncmp(cd, "attachment", 10))
            downloads++;
        if (!strcmp(v->route, "assets") || !strcmp(v->route, "favicon"))
            continue;
        cc = lb_header(&v->as->res, "Cache-Control");
        if (!cc || strcmp(cc, "no-store") != 0) {
            fprintf(stderr, "%s (%s): Cache-Control %s\n", v->uri, v->route, cc ? cc : "none");
            failed++;
        }
    }
    /* report files, Listen exports, the instrument download, Assess exports */
    assert_true(downloads >= 12);
    assert_int_equal(failed, 0);
}

/* No GET route is left out of the plan, and none is planned only as a non-page without a
 * reason. */
static void test_every_get_route_is_visited(void **state)
{
    int missing = 0;
    (void)state;
    for (size_t i = 0; i < routes_count; i++) {
        bool seen = false;
        if (routes[i].method != M_GET)
            continue;
        for (size_t k = 0; k < nvisits; k++)
            seen |= !strcmp(visits[k].route, routes[i].name);
        if (!seen) {
            fprintf(stderr, "GET %s (%s) has no visit in pages_test.c\n", routes[i].pattern,
                    routes[i].name);
            missing++;
        }
    }
    for (size_t k = 0; k < nvisits; k++)
        if ((visits[k].status != 200 || strcmp(visits[k].type, "text/html") != 0) &&
            !visits[k].why) {
            fprintf(stderr, "%s: not a page, and no reason given\n", visits[k].uri);
            missing++;
        }
    assert_int_equal(missing, 0);
}

/* The first planned address of a route. */
static const char *uri_of(const char *route)
{
    for (size_t k = 0; k < nvisits; k++)
        if (!strcmp(visits[k].route, route))
            return visits[k].uri;
    return NULL;
}

/* Whoever may not see a page is told so: nobody is sent to log in, a member without the role
 * gets a 403 page (itself without a tidy warning), a facilitator too on admin pages. */
static void test_refusals(void **state)
{
    int failed = 0, checked = 0;
    (void)state;
    for (size_t i = 0; i < routes_count; i++) {
        const struct route *r = &routes[i];
        const char *uri = uri_of(r->name);
        char what[300];
        if (r->method != M_GET || (r->flags & (R_PUBLIC | R_RAW)) || !uri)
            continue;
        snprintf(what, sizeof what, "%s as anonymous", uri);
        if (tc_get(&anon, uri) != 303 || !lb_header(&anon.res, "Location") ||
            strncmp(lb_header(&anon.res, "Location"), "/login", 6) != 0) {
            fprintf(stderr, "%s: status %d, not sent to log in\n", what, anon.res.status);
            failed++;
        }
        checked++;
        for (int k = 0; k < 2; k++) {
            struct test_client *tc = k == 0 ? &member : &fac;
            if (!(r->flags & (R_FACILITATOR | R_ADMIN)) || (tc == &fac && !(r->flags & R_ADMIN)))
                continue;
            snprintf(what, sizeof what, "%s as %s", uri, who(tc));
            if (tc_get(tc, uri) != 403) {
                fprintf(stderr, "%s: status %d, not refused\n", what, tc->res.status);
                failed++;
            } else if (tidy_says(tc->res.body, tc->res.len, what) != 0) {
                failed++;
            }
        }
    }
    assert_true(checked >= 10);
    assert_int_equal(failed, 0);
}

/* ---- every write, with every field refused ------------------------------------------- */

static const struct route *route_named(const char *name)
{
    for (size_t i = 0; i < routes_count; i++)
        if (!strcmp(routes[i].name, name))
            return &routes[i];
    return NULL;
}

/* Segment n (from 0) of a path, into out. false when the path is shorter. */
static bool segment(const char *path, size_t n, char *out, size_t cap)
{
    const char *p = path + (*path == '/'), *e;
    for (; n > 0; n--) {
        if (!(p = strchr(p, '/')))
            return false;
        p++;
    }
    e = p + strcspn(p, "/?");
    if ((size_t)(e - p) >= cap)
        return false;
    memcpy(out, p, (size_t)(e - p));
    out[e - p] = '\0';
    return true;
}

/* A write route's address, its ":name" segments filled from the planned GET visits whose
 * pattern has the same segments before it (so :id after /develop/plans/ is a plan's id), and
 * the visit whose pattern shares the longest start with it (whose client asks). */
static bool write_uri(const struct route *w, char *uri, size_t cap, struct test_client **as)
{
    size_t best = 0, used = 0;
    *as = NULL;
    uri[0] = '\0';
    for (size_t n = 0;; n++) {
        char seg[160], pre[200];
        bool found = false;
        if (!segment(w->pattern, n, seg, sizeof seg))
            break;
        if (seg[0] != ':') {
            used += (size_t)snprintf(uri + used, cap - used, "/%s", seg);
            continue;
        }
        /* the write's pattern up to and including this segment */
        snprintf(pre, sizeof pre, "%.*s", (int)(strstr(w->pattern, seg) - w->pattern), w->pattern);
        for (size_t k = 0; k < nvisits && !found; k++) {
            const struct route *g = route_named(visits[k].route);
            char val[160];
            if (g && !strncmp(g->pattern, pre, strlen(pre)) &&
                !strncmp(g->pattern + strlen(pre), seg, strlen(seg)) &&
                segment(visits[k].uri, n, val, sizeof val)) {
                used += (size_t)snprintf(uri + used, cap - used, "/%s", val);
                found = true;
            }
        }
        if (!found)
            return false;
    }
    for (size_t k = 0; k < nvisits; k++) {
        const struct route *g = route_named(visits[k].route);
        const struct test_client *tc = visits[k].as;
        size_t same = 0;
        /* someone the route lets in: a member at least for a member's write, and the role
         * it names */
        if ((tc == &anon && !(w->flags & (R_PUBLIC | R_ANONYMOUS))) ||
            ((w->flags & R_ADMIN) && tc != &admin) ||
            ((w->flags & R_FACILITATOR) && tc != &fac && tc != &admin))
            continue;
        while (g && g->pattern[same] && g->pattern[same] == w->pattern[same])
            same++;
        if (g && same > best) {
            best = same;
            *as = visits[k].as;
        }
    }
    return *as != NULL && used > 0;
}

/* The writes whose address no GET visit gives: a contribution to moderate (a facilitator),
 * a group member to make moderator (the admin, who may manage every group); and a post's
 * report and moderators' decisions, made by the group's moderator, not by the post's author
 * whose visits (changing and deleting it) share more of the address. */
static bool named_write_uri(const struct route *w, char *uri, size_t cap, struct test_client **as)
{
    char id[32];
    if (!strcmp(w->name, "connect_post_report") || !strcmp(w->name, "connect_post_hide") ||
        !strcmp(w->name, "connect_post_keep")) {
        snprintf(uri, cap, "/connect/posts/%lld/%s", (long long)connect_post_id,
                 w->name + strlen("connect_post_"));
        *as = &fac;
        return true;
    }
    if (!strcmp(w->name, "listen_moderate")) {
        one_column("SELECT CAST(MIN(c.id) AS TEXT) FROM listen_contributions c JOIN "
                   "listen_exercises e ON e.id = c.exercise_id WHERE e.slug = $1",
                   listen_slug, id, sizeof id);
        snprintf(uri, cap, "/listen/%s/moderate/%s", listen_slug, id);
        *as = &fac;
        return true;
    }
    if (!strcmp(w->name, "connect_group_moderator")) {
        snprintf(
            uri, cap, "/connect/groups/%lld/members/%lld/moderator", (long long)connect_group_id,
            (long long)one_int("SELECT id FROM users WHERE email = $1", "member@example.test"));
        *as = &admin;
        return true;
    }
    return false;
}

/* A value the request layer refuses for a field of this type, or NULL when none can be sent
 * in a form (a checkbox takes anything; a file needs multipart). */
static char *refused_value(const struct field_spec *f)
{
    char *v;
    if (f->type == F_BOOL || f->type == F_FILE)
        return NULL;
    if (f->type == F_INT)
        return strdup("x");
    if (!(v = malloc(f->max + 2)))
        return NULL;
    memset(v, 'a', f->max + 1); /* one character too many, for every text type */
    v[f->max + 1] = '\0';
    return v;
}

/* No write goes ahead when its fields are refused: every POST route, reached with a value the
 * request layer refuses in each of its fields, answers 4xx (the form again with the errors,
 * or a refusal), through the page and through the API. A handler that does not look at the
 * request's errors would take the refused fields as left blank and, for a form whose fields
 * are all optional, carry out the write. */
static void test_every_write_refuses_refused_fields(void **state)
{
    int failed = 0, shown = 0, tried = 0, unreached = 0;
    (void)state;
    for (size_t i = 0; i < routes_count; i++) {
        const struct route *w = &routes[i];
        struct test_client *as;
        char uri[200], api[220];
        size_t cap = 64, used = 0, jused = 0;
        char *form, *json;
        int status;
        if (w->method != M_POST || !w->fields || !w->fields[0].name)
            continue;
        if (!named_write_uri(w, uri, sizeof uri, &as) && !write_uri(w, uri, sizeof uri, &as)) {
            unreached++;
            fprintf(stderr, "refused fields: no address for %s (%s)\n", w->name, w->pattern);
            continue;
        }
        for (const struct field_spec *f = w->fields; f->name; f++)
            cap += 2 * (f->max + 80);
        form = calloc(1, cap);
        json = calloc(1, cap);
        assert_non_null(form);
        assert_non_null(json);
        jused = (size_t)snprintf(json, cap, "{");
        for (const struct field_spec *f = w->fields; f->name; f++) {
            size_t nl = strlen(f->name);
            char *v = refused_value(f);
            if (!v)
                continue;
            if (nl && f->name[nl - 1] == '*')
                nl--; /* a family: one member of it */
            used += (size_t)snprintf(form + used, cap - used, "%s%.*s%s=%s", used ? "&" : "",
                                     (int)nl, f->name, nl < strlen(f->name) ? "x" : "", v);
            jused += (size_t)snprintf(json + jused, cap - jused, "%s\"%.*s%s\":\"%s\"",
                                      jused > 1 ? "," : "", (int)nl, f->name,
                                      nl < strlen(f->name) ? "x" : "", v);
            free(v);
        }
        snprintf(json + jused, cap - jused, "}");
        if (used == 0) {
            free(form);
            free(json);
            continue;
        }
        tried++;
        as->count_acted_on_refused = 1;
        status = tc_post_form(as, uri, form, 1);
        if (status < 400 || status >= 500) {
            fprintf(stderr, "refused fields: POST %s (%s) as %s answered %d\n", uri, w->name,
                    who(as), status);
            failed++;
        } else if (status == 400) {
            shown++;
        }
        if (!(w->flags & R_PAGE_ONLY)) {
            snprintf(api, sizeof api, "/api/v1%s", uri);
            status = tc_post_json(as, api, json);
            if (status < 400 || status >= 500) {
                fprintf(stderr, "refused fields: POST %s (%s) as %s answered %d\n", api, w->name,
                        who(as), status);
                failed++;
            }
        }
        failed += as->acted_on_refused;
        as->acted_on_refused = 0;
        as->count_acted_on_refused = 0;
        free(form);
        free(json);
    }
    fprintf(stderr,
            "refused fields: %d writes tried, %d answered 400 with their errors, %d "
            "without an address\n",
            tried, shown, unreached);
    assert_true(tried >= 80);
    assert_true(shown >= 60); /* most reach their handler, not a refusal of the client */
    assert_int_equal(failed, 0);
}

/* A value of the field's type, as a JSON client sends it. */
static json_t *json_value_for(const struct field_spec *f)
{
    switch (f->type) {
    case F_BOOL:
        return json_true();
    case F_INT:
        return json_integer(1);
    case F_JSON:
        return json_array();
    default:
        return json_string("a");
    }
}

/* The route's address with 1 for each ":name" segment, as someone its flags let in: enough
 * for a request the dispatcher refuses before the handler looks anything up. */
static bool any_uri(const struct route *w, char *uri, size_t cap, struct test_client **as)
{
    size_t used = 0;
    char seg[160];
    for (size_t n = 0; segment(w->pattern, n, seg, sizeof seg); n++)
        used += (size_t)snprintf(uri + used, cap - used, "/%s", seg[0] == ':' ? "1" : seg);
    *as = (w->flags & R_ADMIN) ? &admin : (w->flags & R_FACILITATOR) ? &fac : &member;
    return used > 0 && used < cap;
}

/* Every write served under /api/v1 takes, in a JSON body, each field routes.def declares for
 * it (one member of each family) and the CSRF token, and refuses anything else with 400,
 * naming exactly the members it does not take (an invented name, a family's prefix with a
 * character no member name has, its first field that is neither F_JSON nor LIST sent as
 * a list, and its next that is neither F_JSON nor F_BOOL sent as true), before its handler
 * runs: nothing is done. Read from the
 * table, so a route declared later is covered without a line here. */
static void test_every_json_write_refuses_unknown_members(void **state)
{
    int failed = 0, tried = 0, unreached = 0, booleans = 0;
    (void)state;
    for (size_t i = 0; i < routes_count; i++) {
        const struct route *w = &routes[i];
        struct test_client *as;
        char uri[200], api[220];
        json_t *body, *ans, *errs;
        char *text;
        size_t want = 1;
        const char *listed = NULL; /* the one declared field sent as a list it does not take */
        const char *booled = NULL; /* and another sent as true, which only a checkbox takes */
        if (w->method != M_POST || (w->flags & R_PAGE_ONLY))
            continue;
        body = json_object();
        if (!named_write_uri(w, uri, sizeof uri, &as) && !write_uri(w, uri, sizeof uri, &as) &&
            !any_uri(w, uri, sizeof uri, &as)) {
            unreached++;
            fprintf(stderr, "unknown members: no address for %s (%s)\n", w->name, w->pattern);
            json_decref(body);
            continue;
        }
        assert_non_null(body);
        for (const struct field_spec *f = w->fields; f && f->name; f++) {
            size_t nl = strlen(f->name);
            char name[200];
            if (nl && f->name[nl - 1] == '*') {
                snprintf(name, sizeof name, "%.*sx", (int)(nl - 1), f->name);
                assert_int_equal(json_object_set_new(body, name, json_value_for(f)), 0);
                snprintf(name, sizeof name, "%.*s!", (int)(nl - 1), f->name);
                assert_int_equal(json_object_set_new(body, name, json_string("a")), 0);
                want++;
            } else if (!listed && f->type != F_JSON && !(f->required & LIST)) {
                assert_int_equal(json_object_set_new(body, f->name, json_pack("[s]", "a")), 0);
                listed = f->name;
                want++;
            } else if (!booled && f->type != F_JSON && f->type != F_BOOL) {
                assert_int_equal(json_object_set_new(body, f->name, json_true()), 0);
                booled = f->name;
                booleans++;
                want++;
            } else {
                assert_int_equal(json_object_set_new(body, f->name, json_value_for(f)), 0);
            }
        }
        assert_int_equal(json_object_set_new(body, "csrf_token", json_string("a")), 0);
        assert_int_equal(json_object_set_new(body, "zz_not_a_field", json_integer(1)), 0);
        text = json_dumps(body, JSON_COMPACT);
        assert_non_null(text);
        snprintf(api, sizeof api, "/api/v1%s", uri);
        tried++;
        if (tc_post_json(as, api, text) != 400 || strcmp(as->res.route, w->name) != 0) {
            fprintf(stderr, "unknown members: POST %s (%s) as %s answered %d from %s\n", api,
                    w->name, who(as), as->res.status, as->res.route);
            failed++;
        } else if (!(ans = json_loadb(as->res.body, as->res.len, 0, NULL))) {
            fprintf(stderr, "unknown members: POST %s answered no JSON\n", api);
            failed++;
        } else {
            const char *key;
            json_t *v;
            errs = json_object_get(ans, "errors");
            if (json_object_size(errs) != want || !json_object_get(errs, "zz_not_a_field") ||
                (listed && !json_object_get(errs, listed)) ||
                (booled && !json_object_get(errs, booled))) {
                fprintf(stderr, "unknown members: POST %s (%s) named %zu, not %zu:\n%.*s\n", api,
                        w->name, json_object_size(errs), want, (int)as->res.len, as->res.body);
                failed++;
            }
            json_object_foreach(errs, key, v)
            {
                if (strcmp(key, "zz_not_a_field") != 0 && !strchr(key, '!') &&
                    !(listed && !strcmp(key, listed)) && !(booled && !strcmp(key, booled))) {
                    fprintf(stderr, "unknown members: POST %s (%s) refused declared %s\n", api,
                            w->name, key);
                    failed++;
                }
            }
            json_decref(ans);
        }
        free(text);
        json_decref(body);
    }
    fprintf(stderr,
            "unknown members: %d writes tried (%d with a field sent as true), %d without "
            "an address\n",
            tried, booleans, unreached);
    assert_true(tried >= 100);
    assert_true(booleans >= 50);
    assert_int_equal(failed, 0);
}

static void test_error_pages(void **state)
{
    (void)state;
    assert_int_equal(tc_get(&anon, "/does-not-exist"), 404);
    assert_int_equal(tidy_says(anon.res.body, anon.res.len, "404 page"), 0);
    /* a form shown again with errors is a page too */
    assert_int_equal(tc_post_form(&admin, "/account/password", "current_password=x", 1), 400);
    assert_int_equal(tidy_says(admin.res.body, admin.res.len, "account with errors"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_get_route_is_visited),
        cmocka_unit_test(test_every_visit_answers),
        cmocka_unit_test(test_every_download_is_no_store),
        cmocka_unit_test(test_every_page_leads_back),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_error_pages),
        cmocka_unit_test(test_every_write_refuses_refused_fields),
        cmocka_unit_test(test_every_json_write_refuses_unknown_members),
    };
    return cmocka_run_group_tests_name("http/pages", tests, setup, teardown);
}
