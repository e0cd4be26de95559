/* listen_test.c: taking part in a listening exercise and moderating it, through the loopback
 *
 * Visitors have no account: each test_client is a browser with its own cookies, so a new
 * client is a new anonymous participant. Runs on SQLite and PostgreSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/err.h"
#include "listen/demo.h"
#include "listen/listen.h"
#include "listen/pages.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct test_client fac; /* a logged-in facilitator */
static int64_t fac_id;
static const char *PW = "correct horse battery";

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    fac_id = testapp_user(app, "fac@example.test", "facilitator", PW);
    testapp_user(app, "admin@example.test", "admin", PW);
    testapp_user(app, "fac2@example.test", "facilitator", PW);
    testapp_user(app, "member@example.test", "member", PW);
    tc_init(&fac, app);
    return tc_login(&fac, "fac@example.test", PW) == 303 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&fac);
    testapp_free(app);
    return 0;
}

static int64_t count(const char *sql, const char *slug)
{
    struct db *db = db_pool_get(app->pool);
    struct db_stmt *st = NULL;
    int64_t n = -1;
    if (db_row(db, sql, &st, "t", slug) == 0)
        n = db_col_int(st, 0);
    db_finalize(st);
    db_pool_put(app->pool, db);
    return n;
}

/* Creates and opens an exercise; returns its slug in out. */
static void new_exercise(const char *moderation, int threshold, char out[32])
{
    char form[512];
    const char *loc;
    snprintf(form, sizeof form,
             "title=What+should+the+strategy+focus+on%%3F&summary=Tell+us+**anything**.+"
             "![Our+plan](https%%3A%%2F%%2Ftracker.example%%2Fp.png)"
             "&audience_citizen=1&audience_ahp=1&moderation=%s&flag_threshold=%d"
             "&prompts=What+works+well%%3F%%0AWhat+should+change%%3F",
             moderation, threshold);
    assert_int_equal(tc_post_form(&fac, "/listen/new", form, 1), 303);
    loc = lb_header(&fac.res, "Location");
    assert_non_null(loc);
    assert_int_equal(strncmp(loc, "/listen/", 8), 0);
    snprintf(out, 32, "%s", loc + 8);
    snprintf(form, sizeof form, "/listen/%s/status", out);
    assert_int_equal(tc_post_form(&fac, form, "status=open", 1), 303);
}

/* The id of the first prompt, read from the JSON of the exercise page. */
static int64_t first_prompt(struct test_client *tc, const char *slug)
{
    char uri[64];
    const char *p;
    snprintf(uri, sizeof uri, "/api/v1/listen/%s", slug);
    assert_int_equal(tc_get(tc, uri), 200);
    p = strstr(tc->res.body, "\"prompts\":[{\"id\":");
    assert_non_null(p);
    return atoll(p + 17);
}

static int contribute(struct test_client *tc, const char *slug, int64_t prompt, const char *text)
{
    char uri[64], form[2600];
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    tc_get(tc, uri); /* a visitor reads the page first: that is where the CSRF cookie comes from */
    snprintf(uri, sizeof uri, "/listen/%s/contribute", slug);
    snprintf(form, sizeof form, "prompt=%lld&text=%s", (long long)prompt, text);
    return tc_post_form(tc, uri, form, 1);
}

/* The id of the newest contribution whose body contains needle (moderator's view). */
static int64_t find_id(const char *slug, const char *needle)
{
    char uri[96];
    const char *p, *q;
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/moderate?filter=all", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    p = strstr(fac.res.body, needle);
    assert_non_null(p);
    /* walk back to this contribution's "id" */
    for (q = p; q > fac.res.body && strncmp(q, "{\"id\":", 6) != 0; q--)
        ;
    return atoll(q + 6);
}

static int act(struct test_client *tc, const char *slug, const char *what, const char *form)
{
    char uri[96];
    snprintf(uri, sizeof uri, "/listen/%s/%s", slug, what);
    return tc_post_form(tc, uri, form, 1);
}

static void test_visitor_contributes_and_data_is_redacted(void **state)
{
    struct test_client v;
    char slug[32], uri[96];
    int64_t prompt;
    (void)state;
    new_exercise("post", 3, slug);
    tc_init(&v, app);
    prompt = first_prompt(&v, slug);
    assert_int_equal(
        contribute(&v, slug, prompt, "Email+me+at+jo.bloggs%40example.nhs.uk+or+call+07700+900123"),
        303);
    assert_non_null(tc_cookie(&v, "ahp_lp"));
    /* personal details were taken out, so it waits for a moderator even in a post-moderated
     * exercise (what is left may still say who someone is), with the reason given */
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    assert_int_equal(tc_get(&v, uri), 200);
    assert_false(tc_body_has(&v, "[email removed]"));
    snprintf(uri, sizeof uri, "/listen/%s/moderate", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "To review (1)"));
    assert_true(tc_body_has(&fac, "Personal details were taken out of it"));
    assert_int_equal(
        count("SELECT count(*) FROM listen_contributions c JOIN listen_exercises e ON e.id = "
              "c.exercise_id WHERE e.slug = $1 AND c.status = 'pending' AND c.hold_reason = "
              "'redaction'",
              slug),
        1);
    {
        int64_t cid = count("SELECT c.id FROM listen_contributions c JOIN listen_exercises e ON "
                            "e.id = c.exercise_id WHERE e.slug = $1",
                            slug);
        snprintf(uri, sizeof uri, "/listen/%s/moderate/%lld", slug, (long long)cid);
        assert_int_equal(tc_post_form(&fac, uri, "action=approve", 1), 303);
    }
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    assert_int_equal(tc_get(&v, uri), 200);
    /* the summary's image is a link: no reader's browser fetches it (text/markdown.h) */
    assert_false(tc_body_has(&v, "<img src=\"https://tracker.example"));
    assert_true(tc_body_has(&v, "<a href=\"https://tracker.example/p.png\">Our plan</a>"));
    assert_true(tc_body_has(&v, "[email removed]"));
    assert_true(tc_body_has(&v, "[phone number removed]"));
    assert_false(tc_body_has(&v, "jo.bloggs"));
    assert_false(tc_body_has(&v, "900123"));
    /* the API shows the same and never a participant id */
    snprintf(uri, sizeof uri, "/api/v1/listen/%s", slug);
    assert_int_equal(tc_get(&v, uri), 200);
    assert_false(tc_body_has(&v, "jo.bloggs"));
    assert_false(tc_body_has(&v, "participant_id"));
    assert_false(tc_body_has(&v, "pseudonym"));
    assert_true(tc_body_has(&v, "\"audiences\":\"citizen,ahp\""));
    /* the moderator sees what was removed and why */
    snprintf(uri, sizeof uri, "/listen/%s/moderate?filter=all", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "jo.bloggs@example.nhs.uk"));
    assert_true(tc_body_has(&fac, "email address"));
    /* publishing purges the originals */
    snprintf(uri, sizeof uri, "/listen/%s/status", slug);
    assert_int_equal(tc_post_form(&fac, uri, "status=closed&confirmed=1", 1), 303);
    /* publishing cannot be undone: asked once more, and nothing happens until confirmed */
    assert_int_equal(tc_post_form(&fac, uri, "status=published", 1), 200);
    assert_true(tc_body_has(&fac, "Are you sure you want to publish this exercise?"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "confirm publishing") < 2);
    assert_true(count("SELECT count(*) FROM listen_contributions c JOIN listen_exercises e "
                      "ON e.id = c.exercise_id WHERE e.slug = $1 AND c.original IS NOT NULL",
                      slug) > 0);
    assert_int_equal(tc_post_form(&fac, uri, "status=published&confirmed=1", 1), 303);
    assert_int_equal(count("SELECT count(*) FROM listen_contributions c JOIN listen_exercises e "
                           "ON e.id = c.exercise_id WHERE e.slug = $1 AND c.original IS NOT NULL",
                           slug),
                     0);
    snprintf(uri, sizeof uri, "/listen/%s/moderate?filter=all", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_false(tc_body_has(&fac, "jo.bloggs"));
    /* published: open data for anyone, redacted text only */
    tc_reset(&v);
    snprintf(uri, sizeof uri, "/listen/%s/export/comments.csv", slug);
    assert_int_equal(tc_get(&v, uri), 200);
    assert_non_null(strstr(lb_header(&v.res, "Content-Type"), "text/csv"));
    assert_true(tc_body_has(&v, "comment-id"));
    assert_true(tc_body_has(&v, "[email removed]"));
    assert_false(tc_body_has(&v, "jo.bloggs"));
    snprintf(uri, sizeof uri, "/listen/%s/export/exercise.json", slug);
    assert_int_equal(tc_get(&v, uri), 200);
    assert_false(tc_body_has(&v, "jo.bloggs"));
    snprintf(uri, sizeof uri, "/listen/%s/export/passwords.txt", slug);
    assert_int_equal(tc_get(&v, uri), 404);
    tc_free(&v);
}

/* A participant says who they are: the page they come back to says it was saved, and what
 * they write then carries it in the words the form used ("Member of the public"). */
static void test_visitor_says_who_they_are(void **state)
{
    struct test_client v;
    char slug[32], uri[96], form[96];
    int64_t prompt;
    (void)state;
    new_exercise("post", 3, slug);
    tc_init(&v, app);
    prompt = first_prompt(&v, slug);
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    tc_get(&v, uri);
    /* the form says truly what the open data does with the answers (privacy page) */
    assert_true(tc_body_has(&v, "only where more than 7 people who took part gave exactly the "
                                "same answers"));
    assert_false(tc_body_has(&v, "never shown next to what you write"));
    snprintf(uri, sizeof uri, "/listen/%s/about", slug);
    snprintf(form, sizeof form, "prompt=%lld&page=1&audience=citizen", (long long)prompt);
    assert_int_equal(tc_post_form(&v, uri, form, 1), 303);
    snprintf(uri, sizeof uri, "%s", lb_header(&v.res, "Location"));
    assert_int_equal(tc_get(&v, uri), 200);
    assert_true(tc_body_has(&v, "Who you are has been saved"));
    assert_int_equal(contribute(&v, slug, prompt, "More+physiotherapy+at+weekends+please"), 303);
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    assert_int_equal(tc_get(&v, uri), 200);
    assert_true(tc_body_has(&v, "Member of the public"));
    assert_false(tc_body_has(&v, "Citizen"));
    tc_free(&v);
}

static void test_export_needs_a_facilitator_until_published(void **state)
{
    struct test_client v;
    char slug[32], uri[96];
    (void)state;
    new_exercise("post", 3, slug);
    tc_init(&v, app);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/export/votes.csv", slug);
    assert_int_equal(tc_get(&v, uri), 401);
    snprintf(uri, sizeof uri, "/listen/%s/export/votes.csv", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "timestamp,datetime,comment-id,voter-id,vote"));
    tc_free(&v);
}

static void test_export_holds_shown_contributions_only(void **state)
{
    /* Published downloads are open data: a rejected contribution and one still waiting for a
     * moderator are in none of them, nor are the votes on them. The facilitators' copy
     * (transfer.h) has the rejected one, voted on, as a comment without its text
     * (moderated -1) with its vote, so its groups can be found again; never its text. */
    static const char *const files[] = {"summary.csv", "comments.csv", "votes.csv",
                                        "participants-votes.csv", "exercise.json"};
    struct test_client v, w, x;
    char slug[32], uri[128];
    int64_t prompt, ok, bad;
    (void)state;
    new_exercise("pre", 3, slug);
    tc_init(&v, app);
    tc_init(&w, app);
    tc_init(&x, app);
    prompt = first_prompt(&v, slug);
    assert_int_equal(contribute(&v, slug, prompt, "Approved+and+shown"), 303);
    assert_int_equal(contribute(&w, slug, prompt, "Nurse+Jane+Doe+on+ward+7+should+be+sacked"),
                     303);
    assert_int_equal(contribute(&x, slug, prompt, "Still+waiting+for+review"), 303);
    ok = find_id(slug, "Approved and shown");
    bad = find_id(slug, "Nurse Jane Doe");
    snprintf(uri, sizeof uri, "/listen/%s/moderate/%lld", slug, (long long)ok);
    assert_int_equal(tc_post_form(&fac, uri, "action=approve", 1), 303);
    snprintf(uri, sizeof uri, "/listen/%s/moderate/%lld", slug, (long long)bad);
    assert_int_equal(tc_post_form(&fac, uri, "action=approve", 1), 303);
    /* a vote on it while it was shown */
    snprintf(uri, sizeof uri, "contribution=%lld&vote=disagree", (long long)bad);
    assert_int_equal(act(&x, slug, "vote", uri), 303);
    snprintf(uri, sizeof uri, "/listen/%s/moderate/%lld", slug, (long long)bad);
    assert_int_equal(tc_post_form(&fac, uri, "action=reject&reason=Names+someone", 1), 303);
    snprintf(uri, sizeof uri, "/listen/%s/status", slug);
    assert_int_equal(tc_post_form(&fac, uri, "status=closed&confirmed=1", 1), 303);
    assert_int_equal(tc_post_form(&fac, uri, "status=published&confirmed=1", 1), 303);
    tc_reset(&v);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct test_client *who[] = {&v, &fac};
        for (int k = 0; k < 2; k++) {
            snprintf(uri, sizeof uri, "/listen/%s/export/%s", slug, files[i]);
            assert_int_equal(tc_get(who[k], uri), 200);
            if (tc_body_has(who[k], "Jane Doe") || tc_body_has(who[k], "waiting for review") ||
                (k == 0 && i > 0 && i < 4 && tc_body_has(who[k], ",-1")))
                fail_msg("%s holds what was not published:\n%s", files[i], who[k]->res.body);
        }
    }
    snprintf(uri, sizeof uri, "/listen/%s/export/comments.csv", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, ",0,1,-1,\n")); /* no agree, one disagree, rejected, untexted */
    assert_false(tc_body_has(&fac, "Still waiting")); /* no votes on it: not in the copy */
    snprintf(uri, sizeof uri, "/listen/%s/export/votes.csv", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, ",-1\n"));
    snprintf(uri, sizeof uri, "/listen/%s/export/comments.csv", slug);
    assert_int_equal(tc_get(&v, uri), 200);
    assert_true(tc_body_has(&v, ",1,Approved and shown\n"));
    tc_free(&v);
    tc_free(&w);
    tc_free(&x);
}

/* A multipart upload of one file field plus text fields. */
static int upload(struct test_client *tc, const char *fields, const char *file_field,
                  const char *file_body)
{
    char body[8192], ctype[96];
    const char *h[] = {ctype, NULL};
    int n = snprintf(body, sizeof body,
                     "--XXB\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n%s\r\n"
                     "%s"
                     "--XXB\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"f.csv\"\r\n"
                     "Content-Type: text/csv\r\n\r\n%s\r\n--XXB--\r\n",
                     tc_csrf(tc), fields, file_field, file_body);
    snprintf(ctype, sizeof ctype, "Content-Type: multipart/form-data; boundary=XXB");
    return tc_request(tc, "POST", "/listen/import", h, body, (size_t)n);
}

static void test_import_csv_through_the_page(void **state)
{
    const char *fields = "--XXB\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncsv\r\n"
                         "--XXB\r\nContent-Disposition: form-data; name=\"text_column\"\r\n\r\n"
                         "answer\r\n"
                         "--XXB\r\nContent-Disposition: form-data; name=\"audience_column\"\r\n\r\n"
                         "who\r\n";
    int64_t before = count("SELECT count(*) FROM listen_contributions WHERE $1 = $1", "x");
    (void)state;
    tc_get(&fac, "/listen/import");
    assert_int_equal(upload(&fac, fields, "csv_file",
                            "id,answer,who\n1,Shorter waits please,Citizen\n"
                            "2,\"Time for CPD, and mentoring\",AHP\n"),
                     303);
    assert_int_equal(count("SELECT count(*) FROM listen_contributions WHERE $1 = $1", "x"),
                     before + 2);
    /* the importer is the new exercise's one facilitator */
    {
        char slug[32], q[160];
        snprintf(slug, sizeof slug, "%s", lb_header(&fac.res, "Location") + 8);
        snprintf(q, sizeof q,
                 "SELECT count(*) FROM listen_facilitators f JOIN listen_exercises e ON "
                 "e.id = f.exercise_id WHERE e.slug = $1 AND f.user_id = %lld",
                 (long long)fac_id);
        assert_int_equal(count(q, slug), 1);
        assert_int_equal(count("SELECT count(*) FROM listen_facilitators f JOIN listen_exercises "
                               "e ON e.id = f.exercise_id WHERE e.slug = $1",
                               slug),
                         1);
    }
    /* a broken file: the line is named and nothing is stored */
    assert_int_equal(
        upload(&fac, fields, "csv_file", "id,answer,who\n1,Fine,Citizen\n2,\"never closed,AHP\n"),
        400);
    assert_true(tc_body_has(&fac, "line 3"));
    assert_int_equal(count("SELECT count(*) FROM listen_contributions WHERE $1 = $1", "x"),
                     before + 2);
}

static void test_pre_moderation(void **state)
{
    struct test_client v, w;
    char slug[32], uri[96], form[64];
    int64_t prompt, id;
    (void)state;
    new_exercise("pre", 3, slug);
    tc_init(&v, app);
    tc_init(&w, app);
    prompt = first_prompt(&v, slug);
    assert_int_equal(contribute(&v, slug, prompt, "Waiting+for+a+moderator"), 303);
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    tc_get(&w, uri);
    assert_false(tc_body_has(&w, "Waiting for a moderator"));
    /* the author sees it among their own, as waiting */
    snprintf(uri, sizeof uri, "/listen/%s/mine", slug);
    assert_int_equal(tc_get(&v, uri), 200);
    assert_true(tc_body_has(&v, "Waiting for a moderator"));
    id = find_id(slug, "Waiting for a moderator");
    snprintf(uri, sizeof uri, "/listen/%s/moderate/%lld", slug, (long long)id);
    assert_int_equal(tc_post_form(&fac, uri, "action=approve", 1), 303);
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    tc_get(&w, uri);
    assert_true(tc_body_has(&w, "Waiting for a moderator"));
    /* reject needs a reason; then it is gone from the feed */
    snprintf(uri, sizeof uri, "/listen/%s/moderate/%lld", slug, (long long)id);
    assert_int_equal(tc_post_form(&fac, uri, "action=reject", 1), 400);
    assert_int_equal(tc_post_form(&fac, uri, "action=reject&reason=Off+topic", 1), 303);
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    tc_get(&w, uri);
    assert_false(tc_body_has(&w, "Waiting for a moderator"));
    snprintf(form, sizeof form, "%lld", (long long)id);
    (void)form;
    tc_free(&v);
    tc_free(&w);
}

static void test_hold_words(void **state)
{
    struct test_client admin, v, w;
    char slug[32], uri[96];
    int64_t prompt;
    (void)state;
    tc_init(&admin, app);
    tc_init(&v, app);
    tc_init(&w, app);
    assert_int_equal(tc_login(&admin, "admin@example.test", PW), 303);
    assert_int_equal(tc_post_form(&admin, "/admin/listen-words", "word=Rotten", 1), 303);
    new_exercise("post", 3, slug);
    prompt = first_prompt(&v, slug);
    assert_int_equal(contribute(&v, slug, prompt, "The+food+is+rotten+here"), 303);
    assert_int_equal(contribute(&v, slug, prompt, "Carrots+are+fine"), 303);
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    tc_get(&w, uri);
    assert_false(tc_body_has(&w, "rotten here"));
    assert_true(tc_body_has(&w, "Carrots are fine")); /* "rotten" is not inside "Carrots" */
    assert_int_equal(tc_post_form(&admin, "/admin/listen-words", "word=rotten&remove=1", 1), 303);
    /* checked where it is saved: an account that is no longer an admin (demoted while the
     * page was open) adds and removes nothing */
    {
        struct db *db = db_pool_get(app->pool);
        int64_t was = testapp_user(app, "words-demoted@example.test", "member", PW);
        assert_int_equal(listen_hold_word_change(db, was, "mouldy", false), APP_E_FORBIDDEN);
        assert_int_equal(listen_hold_word_change(db, 0, "stale", false), APP_OK);
        assert_int_equal(listen_hold_word_change(db, was, "stale", true), APP_E_FORBIDDEN);
        db_pool_put(app->pool, db);
        assert_int_equal(
            testapp_int(app, "SELECT count(*) FROM listen_hold_words WHERE word = $1", "mouldy"),
            0);
        assert_int_equal(
            testapp_int(app, "SELECT count(*) FROM listen_hold_words WHERE word = $1", "stale"), 1);
        db = db_pool_get(app->pool);
        assert_int_equal(listen_hold_word_change(db, 0, "stale", true), APP_OK);
        db_pool_put(app->pool, db);
    }
    tc_free(&admin);
    tc_free(&v);
    tc_free(&w);
}

static void test_votes_replace_and_no_self_vote(void **state)
{
    struct test_client author, voter;
    char slug[32], uri[96], form[128];
    int64_t prompt, id;
    (void)state;
    new_exercise("post", 3, slug);
    tc_init(&author, app);
    tc_init(&voter, app);
    prompt = first_prompt(&author, slug);
    assert_int_equal(contribute(&author, slug, prompt, "Vote+on+this+please"), 303);
    id = find_id(slug, "Vote on this please");
    snprintf(form, sizeof form, "contribution=%lld&vote=agree", (long long)id);
    assert_int_equal(act(&author, slug, "vote", form), 403);
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    tc_get(&voter, uri);
    assert_int_equal(act(&voter, slug, "vote", form), 303);
    snprintf(form, sizeof form, "contribution=%lld&vote=disagree", (long long)id);
    assert_int_equal(act(&voter, slug, "vote", form), 303);
    snprintf(form, sizeof form, "contribution=%lld&vote=maybe", (long long)id);
    assert_int_equal(act(&voter, slug, "vote", form), 400);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s", slug);
    assert_int_equal(tc_get(&voter, uri), 200);
    assert_true(tc_body_has(&voter, "\"agrees\":0,\"disagrees\":1,\"passes\":0"));
    assert_true(tc_body_has(&voter, "\"my_vote\":\"disagree\""));
    assert_int_equal(count("SELECT count(*) FROM listen_votes v JOIN listen_contributions c ON "
                           "c.id = v.contribution_id JOIN listen_exercises e ON e.id = "
                           "c.exercise_id WHERE e.slug = $1",
                           slug),
                     1);
    tc_free(&author);
    tc_free(&voter);
}

struct racer {
    struct test_client *tc;
    char slug[32];
    int64_t id;
    int ok;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    char form[128];
    for (int i = 0; i < 10; i++) {
        snprintf(form, sizeof form, "contribution=%lld&vote=%s", (long long)r->id,
                 i % 2 ? "agree" : "pass");
        r->ok += act(r->tc, r->slug, "vote", form) == 303;
    }
    return NULL;
}

static void test_vote_uniqueness_under_concurrency(void **state)
{
    struct test_client author, voter, copies[4];
    struct racer rs[4];
    pthread_t t[4];
    char slug[32], uri[96];
    int64_t prompt, id;
    (void)state;
    new_exercise("post", 3, slug);
    tc_init(&author, app);
    tc_init(&voter, app);
    prompt = first_prompt(&author, slug);
    assert_int_equal(contribute(&author, slug, prompt, "Race+on+this"), 303);
    id = find_id(slug, "Race on this");
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    tc_get(&voter, uri);
    assert_int_equal(act(&voter, slug, "vote", "contribution=0&vote=agree"), 404);
    {
        char form[96];
        snprintf(form, sizeof form, "contribution=%lld&vote=agree", (long long)id);
        assert_int_equal(act(&voter, slug, "vote", form), 303); /* makes the participant */
    }
    /* the same participant (same cookies) votes from four threads at once */
    for (int i = 0; i < 4; i++) {
        copies[i] = voter;
        copies[i].res = (struct lb_response){0};
        rs[i].tc = &copies[i];
        snprintf(rs[i].slug, sizeof rs[i].slug, "%s", slug);
        rs[i].id = id;
        rs[i].ok = 0;
        pthread_create(&t[i], NULL, race, &rs[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(rs[i].ok, 10);
        tc_free(&copies[i]);
    }
    assert_int_equal(count("SELECT count(*) FROM listen_votes v JOIN listen_contributions c ON "
                           "c.id = v.contribution_id JOIN listen_exercises e ON e.id = "
                           "c.exercise_id WHERE e.slug = $1",
                           slug),
                     1);
    /* and the counters agree with the votes table */
    assert_int_equal(count("SELECT c.vote_count * 100 + c.agree_count * 10 + c.pass_count FROM "
                           "listen_contributions c JOIN listen_exercises e ON e.id = "
                           "c.exercise_id WHERE e.slug = $1",
                           slug),
                     100 +
                         (int64_t)count("SELECT count(*) FROM listen_votes v JOIN "
                                        "listen_contributions c ON c.id = v.contribution_id "
                                        "JOIN listen_exercises e ON e.id = c.exercise_id "
                                        "WHERE e.slug = $1 AND v.vote = 1",
                                        slug) *
                             10 +
                         count("SELECT count(*) FROM listen_votes v JOIN listen_contributions c "
                               "ON c.id = v.contribution_id JOIN listen_exercises e ON e.id = "
                               "c.exercise_id WHERE e.slug = $1 AND v.vote = 0",
                               slug));
    tc_free(&author);
    tc_free(&voter);
}

static void test_flag_threshold(void **state)
{
    struct test_client author, flaggers[4], reader;
    char slug[32], uri[96], form[128];
    int64_t prompt, id;
    (void)state;
    new_exercise("post", 3, slug);
    tc_init(&author, app);
    tc_init(&reader, app);
    prompt = first_prompt(&author, slug);
    assert_int_equal(contribute(&author, slug, prompt, "Something+contentious"), 303);
    id = find_id(slug, "Something contentious");
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    snprintf(form, sizeof form, "contribution=%lld&reason=Rude", (long long)id);
    assert_int_equal(act(&author, slug, "flag", form), 403); /* not one's own */
    for (int i = 0; i < 3; i++) {
        tc_init(&flaggers[i], app);
        tc_get(&flaggers[i], uri);
        assert_int_equal(act(&flaggers[i], slug, "flag", form), 303);
        /* flagging twice counts once (and a hidden contribution cannot be flagged) */
        if (i == 0)
            assert_int_equal(act(&flaggers[i], slug, "flag", form), 303);
        tc_get(&reader, uri);
        if (i < 2)
            assert_true(tc_body_has(&reader, "Something contentious"));
        else
            assert_false(tc_body_has(&reader, "Something contentious"));
    }
    /* reviewed and approved: shown again, and a fourth flag does not hide it */
    snprintf(uri, sizeof uri, "/listen/%s/moderate/%lld", slug, (long long)id);
    assert_int_equal(tc_post_form(&fac, uri, "action=approve", 1), 303);
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    tc_init(&flaggers[3], app);
    tc_get(&flaggers[3], uri);
    assert_int_equal(act(&flaggers[3], slug, "flag", form), 303);
    tc_get(&reader, uri);
    assert_true(tc_body_has(&reader, "Something contentious"));
    for (int i = 0; i < 4; i++)
        tc_free(&flaggers[i]);
    tc_free(&author);
    tc_free(&reader);
}

static void test_withdrawal(void **state)
{
    struct test_client v, other;
    char slug[32], uri[96], form[64];
    int64_t prompt, id;
    (void)state;
    new_exercise("post", 3, slug);
    tc_init(&v, app);
    tc_init(&other, app);
    prompt = first_prompt(&v, slug);
    assert_int_equal(contribute(&v, slug, prompt, "I+changed+my+mind"), 303);
    id = find_id(slug, "I changed my mind");
    snprintf(form, sizeof form, "contribution=%lld", (long long)id);
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    tc_get(&other, uri);
    assert_int_equal(act(&other, slug, "withdraw", form), 404); /* not theirs */
    /* the page asks first, showing the text; nothing is withdrawn until it is confirmed */
    assert_int_equal(act(&v, slug, "withdraw", form), 200);
    assert_true(tc_body_has(&v, "Are you sure you want to withdraw it?"));
    assert_true(tc_body_has(&v, "I changed my mind"));
    assert_true(tc_body_has(&v, "name=\"confirmed\" value=\"1\""));
    assert_true(testapp_tidy(v.res.body, v.res.len, "confirm withdraw") < 2);
    tc_get(&other, uri);
    assert_true(tc_body_has(&other, "I changed my mind"));
    assert_int_equal(act(&v, slug, "withdraw", "contribution=999999"), 404);
    snprintf(form, sizeof form, "contribution=%lld&confirmed=maybe", (long long)id);
    assert_int_equal(act(&v, slug, "withdraw", form), 200); /* not taken as a yes: asked */
    assert_true(tc_body_has(&v, "Are you sure you want to withdraw it?"));
    snprintf(form, sizeof form, "contribution=%lld&confirmed=1", (long long)id);
    assert_int_equal(act(&v, slug, "withdraw", form), 303);
    tc_get(&other, uri);
    assert_false(tc_body_has(&other, "I changed my mind"));
    snprintf(uri, sizeof uri, "/listen/%s/mine", slug);
    tc_get(&v, uri);
    assert_false(tc_body_has(&v, "I changed my mind"));
    tc_free(&v);
    tc_free(&other);
}

static void test_rate_limits(void **state)
{
    struct test_client v;
    char slug[32];
    int64_t prompt;
    int status = 0, i;
    (void)state;
    new_exercise("post", 3, slug);
    tc_init(&v, app);
    prompt = first_prompt(&v, slug);
    for (i = 0; i < 10; i++) {
        char text[32];
        snprintf(text, sizeof text, "Post+number+%d", i);
        status = contribute(&v, slug, prompt, text);
        if (status != 303)
            break;
    }
    assert_int_equal(status, 429);
    assert_int_equal(i, 5); /* five a minute for one participant */
    assert_true(tc_body_has(&v, "Too many attempts"));
    assert_true(tc_body_has(&v, "You can post 5 times a minute"));
    /* many participants behind one network address: the address has its own limit. The
     * limit counts per clock minute, so an attempt that runs across a minute boundary (slow
     * under sanitizers and PostgreSQL) starts counting again: that attempt says nothing and
     * is made again, from another address. */
    bool checked = false;
    for (int attempt = 0; attempt < 3 && !checked; attempt++) {
        char client[64];
        const char *h[] = {client, "Content-Type: application/x-www-form-urlencoded", NULL};
        time_t minute = time(NULL) / 60;
        int ok = 0;
        snprintf(client, sizeof client, "X-Loopback-Client: 203.0.113.%d", 9 + attempt);
        for (i = 0; i < 70; i++) {
            struct test_client p;
            char uri[64], body[256];
            tc_init(&p, app);
            snprintf(uri, sizeof uri, "/listen/%s", slug);
            tc_get(&p, uri);
            snprintf(uri, sizeof uri, "/listen/%s/contribute", slug);
            snprintf(body, sizeof body, "prompt=%lld&text=From+the+same+office+%d&csrf_token=%s",
                     (long long)prompt, i, tc_csrf(&p));
            status = tc_request(&p, "POST", uri, h, body, strlen(body));
            tc_free(&p);
            if (status != 303)
                break;
            ok++;
        }
        if (time(NULL) / 60 != minute)
            continue;
        assert_int_equal(status, 429);
        assert_int_equal(ok, 60);
        checked = true;
    }
    assert_true(checked); /* three attempts, each across a minute boundary: too slow to tell */
    tc_free(&v);
}

/* Changing a vote is a vote: flipping agree/disagree on one contribution 200 times must stop
 * at the per-participant limit (60 a minute), and the refused ones change nothing. */
static void test_revotes_count_against_the_limit(void **state)
{
    struct test_client author, voter;
    char slug[32], uri[96], form[96];
    int64_t prompt, id;
    int ok = 0, last = 0, first_refused = -1;
    (void)state;
    new_exercise("post", 3, slug);
    tc_init(&author, app);
    tc_init(&voter, app);
    prompt = first_prompt(&author, slug);
    assert_int_equal(contribute(&author, slug, prompt, "Flip+flop+on+this"), 303);
    id = find_id(slug, "Flip flop on this");
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    tc_get(&voter, uri);
    /* votes that fail count nothing: their count is rolled back with them */
    for (int i = 0; i < 5; i++)
        assert_int_equal(act(&voter, slug, "vote", "contribution=999999&vote=agree"), 404);
    for (int i = 0; i < 200; i++) {
        snprintf(form, sizeof form, "contribution=%lld&vote=%s", (long long)id,
                 i % 2 ? "disagree" : "agree");
        last = act(&voter, slug, "vote", form);
        if (last == 303)
            ok++;
        else if (first_refused < 0)
            first_refused = i;
    }
    assert_int_equal(ok, 60);
    assert_int_equal(first_refused, 60);
    assert_int_equal(last, 429);
    assert_true(tc_body_has(&voter, "Too many attempts"));
    assert_true(tc_body_has(&voter, "60 times a minute"));
    /* the 60th vote (a disagree) stands; the refused agrees after it were not stored */
    snprintf(uri, sizeof uri, "/api/v1/listen/%s", slug);
    assert_int_equal(tc_get(&voter, uri), 200);
    assert_true(tc_body_has(&voter, "\"agrees\":0,\"disagrees\":1,\"passes\":0"));
    /* the API says the same, in its own words */
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/vote", slug);
    snprintf(form, sizeof form, "{\"contribution\":%lld,\"vote\":\"agree\"}", (long long)id);
    assert_int_equal(tc_post_json(&voter, uri, form), 429);
    assert_true(tc_body_has(&voter, "\"error\":\"rate_limited\""));
    tc_free(&author);
    tc_free(&voter);
}

/* One participant voting from many connections at once (several servers, or one server's
 * threads): the limit is checked and counted in the vote's transaction, so together they
 * never get more than the limit, and nothing but the limit refuses them. */
#define RACE_THREADS 8
#define RACE_VOTES   20 /* each, on contributions of its own: 160 attempts against 60 */
#define RACE_LIMIT   60

struct limit_racer {
    const char *slug;
    int64_t participant;
    const int64_t *targets;
    pthread_barrier_t *go;
    int ok, limited, other;
};

static void *vote_on_own_connection(void *arg)
{
    struct limit_racer *r = arg;
    struct arena *a = arena_new();
    struct db *db = NULL;
    struct listen_exercise e;
    int rc = a ? db_open(testapp_db_url(), &db) : APP_E_NOMEM;
    if (!rc)
        rc = listen_exercise_get(db, a, r->slug, &e);
    pthread_barrier_wait(r->go);
    for (int i = 0; !rc && i < RACE_VOTES; i++) {
        int v = listen_vote(db, &e, r->participant, r->targets[i], i % 2 ? 1 : -1, RACE_LIMIT);
        r->ok += v == APP_OK;
        r->limited += v == APP_E_LIMIT;
        r->other += v != APP_OK && v != APP_E_LIMIT;
    }
    r->other += rc != APP_OK;
    db_close(db);
    arena_free(a);
    return NULL;
}

static void test_limit_holds_across_connections(void **state)
{
    static int64_t targets[RACE_THREADS * RACE_VOTES];
    struct limit_racer rs[RACE_THREADS];
    pthread_t t[RACE_THREADS];
    pthread_barrier_t go;
    struct arena *a = arena_new();
    struct db *db = db_pool_get(app->pool);
    struct listen_exercise e;
    char slug[32], token[LISTEN_TOKEN_HEX];
    int64_t author, voter;
    int ok = 0, limited = 0, other = 0;
    (void)state;
    new_exercise("post", 3, slug);
    assert_non_null(a);
    assert_int_equal(listen_exercise_get(db, a, slug, &e), APP_OK);
    assert_int_equal(listen_participant_create(db, e.id, "ahp", "", "", token, &author), APP_OK);
    assert_int_equal(listen_participant_create(db, e.id, "citizen", "", "", token, &voter), APP_OK);
    for (int i = 0; i < RACE_THREADS * RACE_VOTES; i++) {
        char text[64];
        enum listen_cstatus status;
        snprintf(text, sizeof text, "Contribution number %d to vote on", i);
        assert_int_equal(
            listen_contribute(db, &e, author, e.prompts[0].id, 0, text, 0, &targets[i], &status),
            APP_OK);
    }
    db_pool_put(app->pool, db);
    pthread_barrier_init(&go, NULL, RACE_THREADS);
    for (int i = 0; i < RACE_THREADS; i++) {
        rs[i] = (struct limit_racer){slug, voter, targets + i * RACE_VOTES, &go, 0, 0, 0};
        pthread_create(&t[i], NULL, vote_on_own_connection, &rs[i]);
    }
    for (int i = 0; i < RACE_THREADS; i++) {
        pthread_join(t[i], NULL);
        ok += rs[i].ok;
        limited += rs[i].limited;
        other += rs[i].other;
    }
    pthread_barrier_destroy(&go);
    if (ok != RACE_LIMIT)
        fprintf(stderr, "%d threads: %d of %d votes accepted against a limit of %d\n", RACE_THREADS,
                ok, RACE_THREADS * RACE_VOTES, RACE_LIMIT);
    assert_int_equal(other, 0);
    assert_int_equal(ok, RACE_LIMIT);
    assert_int_equal(limited, RACE_THREADS * RACE_VOTES - RACE_LIMIT);
    /* what is stored agrees: 60 votes, and the counters say so */
    assert_int_equal(count("SELECT count(*) FROM listen_votes v JOIN listen_contributions c ON "
                           "c.id = v.contribution_id JOIN listen_exercises e ON e.id = "
                           "c.exercise_id WHERE e.slug = $1",
                           slug),
                     RACE_LIMIT);
    assert_int_equal(count("SELECT COALESCE(SUM(c.vote_count), 0) FROM listen_contributions c "
                           "JOIN listen_exercises e ON e.id = c.exercise_id WHERE e.slug = $1",
                           slug),
                     RACE_LIMIT);
    arena_free(a);
}

/* An API client that keeps its cookies is one participant, as a browser is: its votes
 * replace each other and its limits apply. The cookie was scoped to /listen/SLUG only, so
 * every API call made a new participant (vote stuffing). */
static void test_api_client_is_one_participant(void **state)
{
    struct test_client author, bot;
    char slug[32], uri[96], body[96];
    int64_t prompt, id, people;
    (void)state;
    new_exercise("post", 3, slug);
    tc_init(&author, app);
    tc_init(&bot, app);
    prompt = first_prompt(&author, slug);
    assert_int_equal(contribute(&author, slug, prompt, "Stuff+me+if+you+can"), 303);
    id = find_id(slug, "Stuff me if you can");
    people = count("SELECT count(*) FROM listen_participants p JOIN listen_exercises e ON "
                   "e.id = p.exercise_id WHERE e.slug = $1",
                   slug);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/vote", slug);
    snprintf(body, sizeof body, "{\"contribution\":%lld,\"vote\":\"agree\"}", (long long)id);
    for (int i = 0; i < 5; i++)
        assert_int_equal(tc_post_json(&bot, uri, body), 200);
    assert_int_equal(count("SELECT count(*) FROM listen_participants p JOIN listen_exercises e "
                           "ON e.id = p.exercise_id WHERE e.slug = $1",
                           slug),
                     people + 1);
    assert_int_equal(count("SELECT c.agree_count FROM listen_contributions c JOIN "
                           "listen_exercises e ON e.id = c.exercise_id WHERE e.slug = $1",
                           slug),
                     1);
    tc_free(&author);
    tc_free(&bot);
}

/* Runs one statement with $1 bound to arg, on one of the app's connections. */
static void run_sql(const char *sql, const char *arg)
{
    struct db *db = db_pool_get(app->pool);
    assert_int_equal(db_run(db, sql, "t", arg), 0);
    db_pool_put(app->pool, db);
}

/* A logged-in person's contribution, by page (session cookie) or API (bearer token), must
 * leave no time on their session or token rows to match against the contribution's. The
 * rows are set back first, as if last refreshed minutes ago, so a refresh would show. */
static void test_logged_in_contribution_leaves_no_time_on_account(void **state)
{
    struct test_client tc, api;
    char slug[32], uri[96], body[160], auth[200];
    const char *p;
    int64_t prompt;
    (void)state;
    testapp_user(app, "quiet@example.test", "member", PW);
    new_exercise("post", 3, slug);
    tc_init(&tc, app);
    tc_init(&api, app);
    assert_int_equal(tc_login(&tc, "quiet@example.test", PW), 303);
    assert_int_equal(tc_post_form(&tc, "/account/tokens", "name=Script", 1), 201);
    p = strstr(tc.res.body, "ahp_");
    assert_non_null(p);
    snprintf(auth, sizeof auth, "Authorization: Bearer %.68s", p);
    run_sql("UPDATE sessions SET created_at = created_at - 600, last_seen = last_seen - 600, "
            "expires_at = expires_at - 600 WHERE user_id = "
            "(SELECT id FROM users WHERE email = $1)",
            "quiet@example.test");
    run_sql("UPDATE api_tokens SET created_at = created_at - 600, last_used = 1 WHERE user_id = "
            "(SELECT id FROM users WHERE email = $1)",
            "quiet@example.test");
    prompt = first_prompt(&tc, slug);
    assert_int_equal(contribute(&tc, slug, prompt, "Said+while+logged+in"), 303);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/contribute", slug);
    snprintf(body, sizeof body, "{\"prompt\":%lld,\"text\":\"Said by a script\"}",
             (long long)prompt);
    assert_int_equal(tc_request(&api, "POST", uri,
                                (const char *[]){auth, "Content-Type: application/json", NULL},
                                body, strlen(body)),
                     201);
    assert_int_equal(count("SELECT count(*) FROM listen_contributions c JOIN listen_exercises e "
                           "ON e.id = c.exercise_id WHERE e.slug = $1",
                           slug),
                     2);
    /* no session or token time of this account is at or after the first contribution */
    assert_int_equal(count("SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id "
                           "WHERE u.email = 'quiet@example.test' AND (s.last_seen >= "
                           "(SELECT min(c.created_at) FROM listen_contributions c JOIN "
                           "listen_exercises e ON e.id = c.exercise_id WHERE e.slug = $1) OR "
                           "s.created_at >= (SELECT min(c.created_at) FROM "
                           "listen_contributions c JOIN listen_exercises e ON "
                           "e.id = c.exercise_id WHERE e.slug = $1))",
                           slug),
                     0);
    assert_int_equal(count("SELECT count(*) FROM api_tokens t JOIN users u ON u.id = t.user_id "
                           "WHERE u.email = 'quiet@example.test' AND t.last_used >= "
                           "(SELECT min(c.created_at) FROM listen_contributions c JOIN "
                           "listen_exercises e ON e.id = c.exercise_id WHERE e.slug = $1)",
                           slug),
                     0);
    tc_free(&tc);
    tc_free(&api);
}

/* After logout the next person on a shared browser cannot see or withdraw the last one's
 * contributions: the participant cookie goes with the session. */
static void test_logout_drops_participant_cookie(void **state)
{
    struct test_client tc;
    char slug[32];
    (void)state;
    testapp_user(app, "shared@example.test", "member", PW);
    new_exercise("post", 3, slug);
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "shared@example.test", PW), 303);
    assert_int_equal(contribute(&tc, slug, first_prompt(&tc, slug), "Mine+alone"), 303);
    assert_non_null(tc_cookie(&tc, "ahp_lp"));
    assert_int_equal(tc_post_form(&tc, "/logout", "", 1), 303);
    assert_null(tc_cookie(&tc, "ahp_lp"));
    tc_free(&tc);
}

/* The refusal of an action on an exercise not taking part says why, in words (title) that
 * say nothing was done: never "already done". */
static void assert_refused_as(struct test_client *tc, const char *title)
{
    assert_true(tc_body_has(tc, title));
    assert_false(tc_body_has(tc, "already been done"));
}

static void test_closed_and_draft(void **state)
{
    struct test_client v, w;
    char slug[32], uri[96], form[512], loc[96];
    int64_t prompt, id;
    (void)state;
    new_exercise("post", 3, slug);
    tc_init(&v, app);
    tc_init(&w, app);
    prompt = first_prompt(&v, slug);
    assert_int_equal(contribute(&w, slug, prompt, "Said+in+time"), 303);
    id = find_id(slug, "Said in time");
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    tc_get(&v, uri);
    snprintf(uri, sizeof uri, "/listen/%s/status", slug);
    assert_int_equal(tc_post_form(&fac, uri, "status=closed&confirmed=1", 1), 303);
    assert_int_equal(contribute(&v, slug, prompt, "Too+late"), 409);
    assert_refused_as(&v, "This exercise has closed, so it is not taking contributions");
    /* a vote or a flag from a page read before it closed, or from the API */
    snprintf(form, sizeof form, "contribution=%lld&vote=agree", (long long)id);
    assert_int_equal(act(&v, slug, "vote", form), 409);
    assert_refused_as(&v, "This exercise has closed, so it is not taking votes");
    assert_true(tc_body_has(&v, "Your vote was not recorded."));
    snprintf(form, sizeof form, "contribution=%lld", (long long)id);
    assert_int_equal(act(&v, slug, "vote/undo", form), 409);
    assert_refused_as(&v, "This exercise has closed, so it is not taking votes");
    snprintf(form, sizeof form, "contribution=%lld&reason=Rude", (long long)id);
    assert_int_equal(act(&v, slug, "flag", form), 409);
    assert_refused_as(&v, "This exercise has closed, so it is not taking flags");
    assert_int_equal(act(&v, slug, "about", "audience=citizen"), 409);
    assert_refused_as(&v, "This exercise has closed, so it is not taking answers");
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/vote", slug);
    snprintf(form, sizeof form, "{\"contribution\":%lld,\"vote\":\"agree\"}", (long long)id);
    assert_int_equal(tc_post_json(&v, uri, form), 409);
    assert_refused_as(&v, "\"message\":\"This exercise has closed, so it is not taking votes\"");
    snprintf(uri, sizeof uri, "/listen/%s/status", slug);
    assert_int_equal(tc_post_form(&fac, uri, "status=draft", 1), 409); /* no way back */
    /* a draft is invisible to the public and to the list */
    snprintf(form, sizeof form,
             "title=Secret+draft&audience_ahp=1&moderation=post"
             "&flag_threshold=3&prompts=Q");
    assert_int_equal(tc_post_form(&fac, "/listen/new", form, 1), 303);
    snprintf(loc, sizeof loc, "%s", lb_header(&fac.res, "Location"));
    assert_int_equal(tc_get(&v, loc), 404);
    assert_int_equal(tc_get(&fac, loc), 200);
    assert_int_equal(tc_get(&v, "/listen"), 200);
    assert_false(tc_body_has(&v, "Secret draft"));
    assert_int_equal(tc_get(&fac, "/listen"), 200);
    assert_true(tc_body_has(&fac, "Secret draft"));
    tc_free(&v);
    tc_free(&w);
}

/* The test hook (listen_page_before_write): the facilitator closes the exercise just after
 * the handler saw it open and just before the write, as a close at that moment would. */
static void close_now(struct db *db, int64_t exercise_id)
{
    assert_int_equal(
        db_run(db, "UPDATE listen_exercises SET status = 'closed' WHERE id = $1", "i", exercise_id),
        APP_OK);
}

/* After the test, even one that failed half-way: later tests write without the hook. */
static int no_hook(void **state)
{
    (void)state;
    listen_page_before_write = NULL;
    return 0;
}

static void reopen(const char *slug)
{
    struct db *db = db_pool_get(app->pool);
    int rc = db_run(db, "UPDATE listen_exercises SET status = 'open' WHERE slug = $1", "t", slug);
    db_pool_put(app->pool, db);
    assert_int_equal(rc, APP_OK);
}

/* An exercise that closes between the handler's "is it open?" and the write: the write,
 * which asks again in its transaction, refuses it, and the refusal is the closed exercise's
 * (409, "has closed"), never "already done"; nothing is written. */
static void test_closed_while_writing(void **state)
{
    static const char votes_sql[] =
        "SELECT count(*) FROM listen_votes v JOIN listen_contributions c ON c.id = "
        "v.contribution_id JOIN listen_exercises x ON x.id = c.exercise_id WHERE x.slug = $1";
    static const char flags_sql[] =
        "SELECT count(*) FROM listen_flags f JOIN listen_contributions c ON c.id = "
        "f.contribution_id JOIN listen_exercises x ON x.id = c.exercise_id WHERE x.slug = $1";
    static const char posts_sql[] = "SELECT count(*) FROM listen_contributions c JOIN "
                                    "listen_exercises x ON x.id = c.exercise_id WHERE x.slug = $1";
    struct test_client v, w;
    char slug[32], uri[96], form[512];
    int64_t prompt, id;
    (void)state;
    new_exercise("post", 3, slug);
    tc_init(&v, app);
    tc_init(&w, app);
    prompt = first_prompt(&v, slug);
    assert_int_equal(contribute(&w, slug, prompt, "Said+in+time"), 303);
    id = find_id(slug, "Said in time");
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    tc_get(&v, uri); /* the page read while it was open */
    snprintf(form, sizeof form, "contribution=%lld&vote=agree", (long long)id);
    assert_int_equal(act(&v, slug, "vote", form), 303); /* one vote to take back later */
    assert_int_equal(count(votes_sql, slug), 1);

    listen_page_before_write = close_now;
    snprintf(form, sizeof form, "contribution=%lld&vote=disagree", (long long)id);
    assert_int_equal(act(&v, slug, "vote", form), 409);
    assert_refused_as(&v, "This exercise has closed, so it is not taking votes");
    assert_true(tc_body_has(&v, "Your vote was not recorded."));
    reopen(slug);
    snprintf(form, sizeof form, "contribution=%lld", (long long)id);
    assert_int_equal(act(&v, slug, "vote/undo", form), 409);
    assert_refused_as(&v, "This exercise has closed, so it is not taking votes");
    reopen(slug);
    snprintf(form, sizeof form, "contribution=%lld&reason=Rude", (long long)id);
    assert_int_equal(act(&v, slug, "flag", form), 409);
    assert_refused_as(&v, "This exercise has closed, so it is not taking flags");
    reopen(slug);
    /* the contribution comes back as typed, escaped, to be copied */
    assert_int_equal(contribute(&v, slug, prompt, "Late+%3Cb%3Ebut%3C%2Fb%3E+%26+keen"), 409);
    assert_refused_as(&v, "This exercise has closed, so it is not taking contributions");
    assert_true(tc_body_has(&v, "Late &lt;b&gt;but&lt;/b&gt; &amp; keen"));
    assert_true(tc_body_has(&v, "could not be sent because the exercise has closed"));
    reopen(slug);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/vote", slug);
    snprintf(form, sizeof form, "{\"contribution\":%lld,\"vote\":\"pass\"}", (long long)id);
    assert_int_equal(tc_post_json(&v, uri, form), 409);
    assert_refused_as(&v, "\"message\":\"This exercise has closed, so it is not taking votes\"");
    listen_page_before_write = NULL;

    /* nothing was written: the one vote as it was, no flag, no second contribution */
    assert_int_equal(count(votes_sql, slug), 1);
    assert_int_equal(count("SELECT count(*) FROM listen_votes v JOIN listen_contributions c ON "
                           "c.id = v.contribution_id JOIN listen_exercises x ON x.id = "
                           "c.exercise_id WHERE x.slug = $1 AND v.vote = 1",
                           slug),
                     1);
    assert_int_equal(count(flags_sql, slug), 0);
    assert_int_equal(count(posts_sql, slug), 1);
    tc_free(&v);
    tc_free(&w);
}

/* A contribution sent to a closed exercise is not lost: the page shows it back, escaped, in
 * a box to copy from, and says why it was not sent; the API answers 409 with the reason. */
static void test_closed_keeps_the_typed_text(void **state)
{
    struct test_client v;
    char slug[32], uri[96], form[256];
    int64_t prompt;
    (void)state;
    new_exercise("post", 3, slug);
    tc_init(&v, app);
    prompt = first_prompt(&v, slug);
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    tc_get(&v, uri); /* the page was read while it was open */
    snprintf(uri, sizeof uri, "/listen/%s/status", slug);
    assert_int_equal(tc_post_form(&fac, uri, "status=closed&confirmed=1", 1), 303);
    snprintf(uri, sizeof uri, "/listen/%s/contribute", slug);
    snprintf(
        form, sizeof form,
        "prompt=%lld&text=Waits+%%3C+2+weeks+%%26+%%22no%%22+%%3Cscript%%3Ex()%%3C%%2Fscript%%3E",
        (long long)prompt);
    assert_int_equal(tc_post_form(&v, uri, form, 1), 409);
    assert_refused_as(&v, "This exercise has closed, so it is not taking contributions");
    assert_true(tc_body_has(&v, "could not be sent because the exercise has closed"));
    assert_true(tc_body_has(&v, "readonly"));
    assert_true(tc_body_has(
        &v, "Waits &lt; 2 weeks &amp; &quot;no&quot; &lt;script&gt;x()&lt;/script&gt;"));
    assert_false(tc_body_has(&v, "<script>x()"));
    /* an empty contribution has nothing to give back: the plain refusal */
    snprintf(form, sizeof form, "prompt=%lld&text=", (long long)prompt);
    assert_int_equal(tc_post_form(&v, uri, form, 1), 409);
    assert_refused_as(&v, "This exercise has closed, so it is not taking contributions");
    assert_false(tc_body_has(&v, "readonly"));
    /* the API names the reason; its client still has the text */
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/contribute", slug);
    snprintf(form, sizeof form, "{\"prompt\":%lld,\"text\":\"Too late\"}", (long long)prompt);
    assert_int_equal(tc_post_json(&v, uri, form), 409);
    assert_refused_as(
        &v, "\"message\":\"This exercise has closed, so it is not taking contributions\"");
    tc_free(&v);
}

/* An exercise open from a date to come takes nothing before it, and says so. */
static void test_not_open_yet(void **state)
{
    struct test_client v;
    char slug[32], uri[96], form[512];
    const char *loc;
    (void)state;
    assert_int_equal(tc_post_form(&fac, "/listen/new",
                                  "title=Later&audience_citizen=1&moderation=post"
                                  "&flag_threshold=3&prompts=Q&opens=2099-01-01",
                                  1),
                     303);
    loc = lb_header(&fac.res, "Location");
    assert_non_null(loc);
    snprintf(slug, sizeof slug, "%s", loc + 8);
    snprintf(uri, sizeof uri, "/listen/%s/status", slug);
    assert_int_equal(tc_post_form(&fac, uri, "status=open", 1), 303);
    tc_init(&v, app);
    assert_int_equal(contribute(&v, slug, first_prompt(&v, slug), "Too+soon"), 409);
    assert_refused_as(&v, "This exercise is not open yet, so it is not taking contributions");
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/vote", slug);
    snprintf(form, sizeof form, "{\"contribution\":1,\"vote\":\"agree\"}");
    assert_int_equal(tc_post_json(&v, uri, form), 409);
    assert_refused_as(&v, "This exercise is not open yet, so it is not taking votes");
    tc_free(&v);
}

/* A facilitator manages the exercises they facilitate, not everyone's: another facilitator
 * gets 404 for a draft and 403 for a public exercise's management pages (page and API), and
 * never the originals of redacted text, until one of its facilitators adds them. */
static void test_exercise_belongs_to_its_facilitators(void **state)
{
    struct test_client v, other, adm;
    char slug[32], draft[32], uri[128], body[128];
    int64_t prompt, id, other_id;
    (void)state;
    new_exercise("post", 3, slug);
    assert_int_equal(tc_post_form(&fac, "/listen/new",
                                  "title=Private+plans&audience_ahp=1&moderation=post"
                                  "&flag_threshold=3&prompts=Q",
                                  1),
                     303);
    snprintf(draft, sizeof draft, "%s", lb_header(&fac.res, "Location") + 8);
    tc_init(&v, app);
    prompt = first_prompt(&v, slug);
    assert_int_equal(contribute(&v, slug, prompt, "Mail+jo.bloggs%40example.nhs.uk+please"), 303);
    id = find_id(slug, "[email removed]");
    tc_init(&other, app);
    tc_init(&adm, app);
    assert_int_equal(tc_login(&other, "fac2@example.test", PW), 303);
    assert_int_equal(tc_login(&adm, "admin@example.test", PW), 303);
    other_id = testapp_int(app, "SELECT id FROM users WHERE email = $1", "fac2@example.test");

    /* the draft does not exist for another facilitator, nor in their list */
    snprintf(uri, sizeof uri, "/listen/%s", draft);
    assert_int_equal(tc_get(&other, uri), 404);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s", draft);
    assert_int_equal(tc_get(&other, uri), 404);
    snprintf(uri, sizeof uri, "/listen/%s/edit", draft);
    assert_int_equal(tc_get(&other, uri), 404);
    assert_int_equal(tc_get(&other, "/listen"), 200);
    assert_false(tc_body_has(&other, "Private plans"));
    assert_int_equal(tc_get(&other, "/api/v1/listen"), 200);
    assert_false(tc_body_has(&other, "\"managed\":true"));
    assert_int_equal(tc_get(&adm, "/listen"), 200);
    assert_true(tc_body_has(&adm, "Private plans"));

    /* the public exercise's settings, status and moderation are not theirs */
    snprintf(uri, sizeof uri, "/listen/%s/edit", slug);
    assert_int_equal(tc_get(&other, uri), 403);
    assert_int_equal(tc_post_form(&other, uri,
                                  "title=Taken+over&audience_ahp=1&moderation=post"
                                  "&flag_threshold=3&prompts=Q",
                                  1),
                     403);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/edit", slug);
    assert_int_equal(tc_post_json(&other, uri,
                                  "{\"title\":\"Taken over\",\"audience_ahp\":true,"
                                  "\"moderation\":\"post\",\"flag_threshold\":3,"
                                  "\"prompts\":\"Q\"}"),
                     403);
    snprintf(uri, sizeof uri, "/listen/%s/status", slug);
    assert_int_equal(tc_post_form(&other, uri, "status=closed", 1), 403);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/status", slug);
    assert_int_equal(tc_post_json(&other, uri, "{\"status\":\"closed\"}"), 403);
    snprintf(uri, sizeof uri, "/listen/%s/moderate?filter=all", slug);
    assert_int_equal(tc_get(&other, uri), 403);
    assert_false(tc_body_has(&other, "jo.bloggs"));
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/moderate?filter=all", slug);
    assert_int_equal(tc_get(&other, uri), 403);
    assert_false(tc_body_has(&other, "jo.bloggs"));
    snprintf(uri, sizeof uri, "/listen/%s/moderate/%lld", slug, (long long)id);
    assert_int_equal(tc_post_form(&other, uri, "action=reject&reason=x", 1), 403);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/moderate/%lld", slug, (long long)id);
    assert_int_equal(tc_post_json(&other, uri, "{\"action\":\"reject\",\"reason\":\"x\"}"), 403);
    snprintf(uri, sizeof uri, "/listen/%s/facilitators", slug);
    assert_int_equal(tc_post_form(&other, uri, "email=fac2%40example.test", 1), 403);
    /* nor its analysis, actions, report publishing or unpublished data */
    snprintf(uri, sizeof uri, "/listen/%s/analysis", slug);
    assert_int_equal(tc_get(&other, uri), 403);
    assert_int_equal(tc_post_form(&other, uri, "k=3", 1), 403);
    snprintf(uri, sizeof uri, "/listen/%s/actions", slug);
    assert_int_equal(tc_post_form(&other, uri, "what=Clinics&status=planned", 1), 403);
    snprintf(uri, sizeof uri, "/listen/%s/report/publish", slug);
    assert_int_equal(tc_post_form(&other, uri, "", 1), 403);
    snprintf(uri, sizeof uri, "/listen/%s/export/exercise.json", slug);
    assert_int_equal(tc_get(&other, uri), 403);
    assert_false(tc_body_has(&other, "jo.bloggs"));
    assert_int_equal(count("SELECT count(*) FROM listen_exercises WHERE slug = $1 AND "
                           "status = 'open' AND title <> 'Taken over'",
                           slug),
                     1);
    /* still waiting, as redaction left it: the other facilitator's decision did nothing */
    assert_int_equal(count("SELECT count(*) FROM listen_contributions c JOIN listen_exercises e "
                           "ON e.id = c.exercise_id WHERE e.slug = $1 AND c.status = 'pending' "
                           "AND c.reviewed = 0",
                           slug),
                     1);

    /* an admin manages every exercise */
    snprintf(uri, sizeof uri, "/listen/%s/edit", draft);
    assert_int_equal(tc_get(&adm, uri), 200);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/moderate?filter=all", slug);
    assert_int_equal(tc_get(&adm, uri), 200);
    assert_true(tc_body_has(&adm, "jo.bloggs@example.nhs.uk"));

    /* added through the page, the other facilitator moderates and sees the originals */
    snprintf(uri, sizeof uri, "/listen/%s/facilitators", slug);
    assert_int_equal(tc_post_form(&fac, uri, "email=nobody%40example.test", 1), 400);
    assert_true(tc_body_has(&fac, "There is no account with that email address"));
    assert_int_equal(tc_post_form(&fac, uri, "email=member%40example.test", 1), 400);
    assert_true(tc_body_has(&fac, "That account is not a facilitator"));
    assert_int_equal(tc_post_form(&fac, uri, "email=fac%40example.test", 1), 400);
    assert_true(tc_body_has(&fac, "already a facilitator of this exercise"));
    assert_int_equal(tc_post_form(&fac, uri, "email=fac2%40example.test", 1), 303);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "fac2@example.test"));
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/moderate?filter=all", slug);
    assert_int_equal(tc_get(&other, uri), 200);
    assert_true(tc_body_has(&other, "jo.bloggs@example.nhs.uk"));
    snprintf(uri, sizeof uri, "/listen/%s/edit", slug);
    assert_int_equal(tc_get(&other, uri), 200);
    /* and their list of exercises starts with it, marked as theirs */
    assert_int_equal(tc_get(&other, "/api/v1/listen"), 200);
    snprintf(body, sizeof body, "\"slug\":\"%s\"", slug);
    {
        const char *first = strstr(other.res.body, "\"slug\":\"");
        assert_non_null(first);
        assert_int_equal(strncmp(first, body, strlen(body)), 0);
        assert_true(tc_body_has(&other, "\"managed\":true"));
    }

    /* added through the API, the draft exists for them */
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/facilitators", draft);
    assert_int_equal(tc_post_json(&fac, uri, "{\"email\":\"nobody@example.test\"}"), 400);
    assert_true(tc_body_has(&fac, "There is no account with that email address"));
    assert_int_equal(tc_post_json(&fac, uri, "{\"email\":\"fac2@example.test\"}"), 200);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s", draft);
    assert_int_equal(tc_get(&other, uri), 200);
    assert_int_equal(tc_get(&other, "/listen"), 200);
    assert_true(tc_body_has(&other, "Private plans"));

    /* removal: not the last one, through the API and the page */
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/facilitators/remove", slug);
    snprintf(body, sizeof body, "{\"user\":%lld}", (long long)fac_id);
    assert_int_equal(tc_post_json(&other, uri, body), 200);
    snprintf(uri, sizeof uri, "/listen/%s/edit", slug);
    assert_int_equal(tc_get(&fac, uri), 403);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/facilitators/remove", slug);
    snprintf(body, sizeof body, "{\"user\":%lld}", (long long)other_id);
    assert_int_equal(tc_post_json(&other, uri, body), 409);
    assert_true(tc_body_has(&other, "at least one facilitator"));
    snprintf(uri, sizeof uri, "/listen/%s/facilitators/remove", slug);
    snprintf(body, sizeof body, "user=%lld", (long long)fac_id);
    assert_int_equal(tc_post_form(&other, uri, body, 1), 404);
    snprintf(uri, sizeof uri, "/listen/%s/facilitators/remove", draft);
    snprintf(body, sizeof body, "user=%lld", (long long)other_id);
    assert_int_equal(tc_post_form(&fac, uri, body, 1), 303);
    snprintf(uri, sizeof uri, "/listen/%s", draft);
    assert_int_equal(tc_get(&other, uri), 404);
    tc_free(&v);
    tc_free(&other);
    tc_free(&adm);
}

struct remover {
    pthread_barrier_t *go;
    int64_t exercise, user;
    int rc;
};

static void *remove_on_own_connection(void *arg)
{
    struct remover *r = arg;
    struct db *db = NULL;
    int rc = db_open(testapp_db_url(), &db);
    pthread_barrier_wait(r->go);
    r->rc = rc ? rc : listen_facilitator_remove(db, r->exercise, r->user);
    db_close(db);
    return NULL;
}

/* Two facilitators removing each other at the same moment: one wins, the other is told the
 * exercise needs a facilitator, and one is always left. */
static void test_last_facilitator_stays_under_concurrency(void **state)
{
    char slug[32], uri[96];
    int64_t ex, other_id;
    (void)state;
    new_exercise("post", 3, slug);
    ex = count("SELECT id FROM listen_exercises WHERE slug = $1", slug);
    other_id = testapp_int(app, "SELECT id FROM users WHERE email = $1", "fac2@example.test");
    snprintf(uri, sizeof uri, "/listen/%s/facilitators", slug);
    for (int round = 0; round < 10; round++) {
        pthread_barrier_t go;
        pthread_t t[2];
        struct remover r[2] = {{&go, ex, fac_id, -1}, {&go, ex, other_id, -1}};
        struct db *db = db_pool_get(app->pool);
        /* both are facilitators again before each round */
        assert_int_equal(listen_facilitator_first(db, ex, fac_id, 1), APP_OK);
        assert_int_equal(listen_facilitator_first(db, ex, other_id, 1), APP_OK);
        db_pool_put(app->pool, db);
        assert_int_equal(count("SELECT count(*) FROM listen_facilitators f JOIN listen_exercises "
                               "e ON e.id = f.exercise_id WHERE e.slug = $1",
                               slug),
                         2);
        pthread_barrier_init(&go, NULL, 2);
        for (int i = 0; i < 2; i++)
            pthread_create(&t[i], NULL, remove_on_own_connection, &r[i]);
        for (int i = 0; i < 2; i++)
            pthread_join(t[i], NULL);
        pthread_barrier_destroy(&go);
        assert_true((r[0].rc == APP_OK && r[1].rc == APP_E_CONFLICT) ||
                    (r[0].rc == APP_E_CONFLICT && r[1].rc == APP_OK));
        assert_int_equal(count("SELECT count(*) FROM listen_facilitators f JOIN listen_exercises "
                               "e ON e.id = f.exercise_id WHERE e.slug = $1",
                               slug),
                         1);
    }
}

/* The demonstration exercise belongs to the demonstration facilitator. */
static void test_demo_belongs_to_its_facilitator(void **state)
{
    struct db *db = db_pool_get(app->pool);
    int made = 0;
    (void)state;
    assert_int_equal(listen_demo(db, fac_id, &made), APP_OK);
    db_pool_put(app->pool, db);
    assert_int_equal(made, 1);
    assert_int_equal(count("SELECT count(*) FROM listen_facilitators f JOIN listen_exercises e "
                           "ON e.id = f.exercise_id WHERE e.created_by = f.user_id AND "
                           "e.title LIKE $1",
                           "%strategy%allied health%"),
                     1);
}

static void test_form_errors(void **state)
{
    struct test_client v;
    char slug[32];
    int64_t prompt;
    char big[2200 * 3];
    (void)state;
    assert_int_equal(
        tc_post_form(&fac, "/listen/new", "title=&moderation=sometimes&opens=tomorrow", 1), 400);
    assert_true(tc_body_has(&fac, "Enter a title"));
    assert_true(tc_body_has(&fac, "Select how contributions are moderated"));
    assert_true(tc_body_has(&fac, "The opening date must be a real date"));
    assert_true(tc_body_has(&fac, "at least one question"));
    /* the number of reports is asked and refused in the words of its label */
    assert_int_equal(tc_post_form(&fac, "/listen/new",
                                  "title=Reports&moderation=post&audience_citizen=1&prompts=Q&"
                                  "flag_threshold=0",
                                  1),
                     400);
    assert_true(tc_body_has(&fac, "Enter a number of reports from 1 to 100"));
    assert_true(tc_body_has(&fac, "name=\"flag_threshold\" type=\"text\" inputmode=\"numeric\""));
    /* an exercise cannot close before it is made, and what was typed stays */
    assert_int_equal(tc_post_form(&fac, "/listen/new",
                                  "title=Old+news&moderation=post&audience_citizen=1&"
                                  "prompts=Q&closes-day=1&closes-month=1&closes-year=2020",
                                  1),
                     400);
    assert_true(tc_body_has(&fac, "The closing date must be today or in the future"));
    assert_true(tc_body_has(&fac, "value=\"Old news\""));
    new_exercise("post", 3, slug);
    tc_init(&v, app);
    prompt = first_prompt(&v, slug);
    memset(big, 'a', 2001);
    big[2001] = '\0';
    assert_int_equal(contribute(&v, slug, prompt, big), 400);
    assert_true(tc_body_has(&v, "2000 characters or fewer"));
    assert_int_equal(contribute(&v, slug, 999999, "Wrong+question"), 400);
    tc_free(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_visitor_contributes_and_data_is_redacted),
        cmocka_unit_test(test_visitor_says_who_they_are),
        cmocka_unit_test(test_export_needs_a_facilitator_until_published),
        cmocka_unit_test(test_export_holds_shown_contributions_only),
        cmocka_unit_test(test_import_csv_through_the_page),
        cmocka_unit_test(test_pre_moderation),
        cmocka_unit_test(test_hold_words),
        cmocka_unit_test(test_votes_replace_and_no_self_vote),
        cmocka_unit_test(test_vote_uniqueness_under_concurrency),
        cmocka_unit_test(test_flag_threshold),
        cmocka_unit_test(test_withdrawal),
        cmocka_unit_test(test_rate_limits),
        cmocka_unit_test(test_revotes_count_against_the_limit),
        cmocka_unit_test(test_limit_holds_across_connections),
        cmocka_unit_test(test_api_client_is_one_participant),
        cmocka_unit_test(test_logged_in_contribution_leaves_no_time_on_account),
        cmocka_unit_test(test_logout_drops_participant_cookie),
        cmocka_unit_test(test_closed_and_draft),
        cmocka_unit_test(test_not_open_yet),
        cmocka_unit_test_teardown(test_closed_while_writing, no_hook),
        cmocka_unit_test(test_closed_keeps_the_typed_text),
        cmocka_unit_test(test_exercise_belongs_to_its_facilitators),
        cmocka_unit_test(test_last_facilitator_stays_under_concurrency),
        cmocka_unit_test(test_demo_belongs_to_its_facilitator),
        cmocka_unit_test(test_form_errors),
    };
    return cmocka_run_group_tests_name("http/listen", tests, setup, teardown);
}
