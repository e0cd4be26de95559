/* listen_launch_test.c: what a citizen and a facilitator meet on launch day, through the
 * loopback — the published report is found from the exercise and the list, voting goes one
 * statement at a time (next statement, confirmation, undo, "Your votes"), moderators see why
 * something was reported and decide several contributions at once, closing asks first.
 * Runs on SQLite and PostgreSQL.
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

#include <jansson.h>

#include "core/arena.h"
#include "listen/analysis.h"
#include "listen/listen.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct test_client fac;
static const char *PW = "correct horse battery";

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    testapp_user(app, "fac@example.test", "facilitator", PW);
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

/* A new open exercise ("post" or "pre" moderation); its slug in out. */
static void new_exercise(const char *moderation, char out[32])
{
    char form[400], uri[64];
    const char *loc;
    snprintf(form, sizeof form,
             "title=Launch+day&summary=Tell+us.&audience_citizen=1&audience_ahp=1&"
             "moderation=%s&flag_threshold=5&prompts=What+works+well%%3F",
             moderation);
    assert_int_equal(tc_post_form(&fac, "/listen/new", form, 1), 303);
    loc = lb_header(&fac.res, "Location");
    assert_non_null(loc);
    snprintf(out, 32, "%s", loc + 8);
    snprintf(uri, sizeof uri, "/listen/%s/status", out);
    assert_int_equal(tc_post_form(&fac, uri, "status=open", 1), 303);
    snprintf(uri, sizeof uri, "/listen/%s", out);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "Exercise opened"));
}

static long long first_prompt(const char *slug)
{
    char uri[64];
    const char *p;
    snprintf(uri, sizeof uri, "/api/v1/listen/%s", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    p = strstr(fac.res.body, "\"prompts\":[{\"id\":");
    assert_non_null(p);
    return atoll(p + 17);
}

/* Each of n new visitors writes texts[i]; returns nothing, asserts it was taken. */
static void contribute(const char *slug, const char *const *texts, size_t n)
{
    long long prompt = first_prompt(slug);
    char uri[64], form[600];
    for (size_t i = 0; i < n; i++) {
        struct test_client v;
        tc_init(&v, app);
        snprintf(uri, sizeof uri, "/listen/%s", slug);
        tc_get(&v, uri);
        snprintf(uri, sizeof uri, "/listen/%s/contribute", slug);
        snprintf(form, sizeof form, "prompt=%lld&text=%s", prompt, texts[i]);
        assert_int_equal(tc_post_form(&v, uri, form, 1), 303);
        tc_free(&v);
    }
}

static json_t *body_json(const struct test_client *tc)
{
    json_error_t err;
    json_t *j = json_loadb(tc->res.body, tc->res.len, 0, &err);
    assert_non_null(j);
    return j;
}

static int64_t sql_int(const char *sql, const char *slug)
{
    return testapp_int(app, sql, slug);
}

static const char *const texts[] = {
    "Waiting+lists+for+physiotherapy+are+far+too+long+in+our+area",
    "The+speech+and+language+therapy+team+were+kind+and+quick",
    "Parking+at+the+community+clinic+is+impossible+on+weekdays",
    "Evening+appointments+would+help+people+who+work+full+time",
};

/* ---- the report is found ---- */

static void test_report_reachable_after_publication(void **state)
{
    struct test_client anon;
    char slug[32], uri[96];
    (void)state;
    new_exercise("post", slug);
    contribute(slug, texts, 4);
    tc_init(&anon, app);
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    assert_int_equal(tc_get(&anon, uri), 200);
    assert_false(tc_body_has(&anon, "What happened next"));
    assert_int_equal(tc_get(&anon, "/listen"), 200);
    assert_false(tc_body_has(&anon, "Results published"));
    /* analyse, close (asked first), publish the report */
    {
        struct db *db = db_pool_get(app->pool);
        struct arena *a = arena_new();
        struct listen_exercise e;
        int64_t run;
        bool ran = false;
        assert_int_equal(listen_exercise_get(db, a, slug, &e), 0);
        assert_int_equal(listen_analysis_enqueue(db, e.id, 0, 2, &run), 0);
        assert_int_equal(listen_analysis_run_next(db, &ran), 0);
        assert_true(ran);
        arena_free(a);
        db_pool_put(app->pool, db);
    }
    snprintf(uri, sizeof uri, "/listen/%s/status", slug);
    assert_int_equal(tc_post_form(&fac, uri, "status=closed", 1), 200);
    assert_true(tc_body_has(&fac, "Are you sure you want to close"));
    assert_int_equal(sql_int("SELECT count(*) FROM listen_exercises WHERE slug = $1 AND "
                             "status = 'open'", slug), 1);
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "confirm closing") < 2);
    assert_int_equal(tc_post_form(&fac, uri, "status=closed&confirmed=1", 1), 303);
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "Exercise closed"));
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    assert_int_equal(tc_get(&anon, uri), 200);
    assert_true(tc_body_has(&anon, "will be published here once"));
    snprintf(uri, sizeof uri, "/listen/%s/report/publish", slug);
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 303);
    /* the exercise page says what happened next and links to both */
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    assert_int_equal(tc_get(&anon, uri), 200);
    assert_true(tc_body_has(&anon, "What happened next"));
    snprintf(uri, sizeof uri, "href=\"/listen/%s/report\"", slug);
    assert_true(tc_body_has(&anon, uri));
    snprintf(uri, sizeof uri, "href=\"/listen/%s/actions\"", slug);
    assert_true(tc_body_has(&anon, uri));
    assert_true(testapp_tidy(anon.res.body, anon.res.len, "exercise with results") < 2);
    /* the list says "Results published" and links to the report */
    assert_int_equal(tc_get(&anon, "/listen"), 200);
    assert_true(tc_body_has(&anon, "Results published"));
    snprintf(uri, sizeof uri, "href=\"/listen/%s/report\"", slug);
    assert_true(tc_body_has(&anon, uri));
    /* and both pages are there for the public */
    snprintf(uri, sizeof uri, "/listen/%s/report", slug);
    assert_int_equal(tc_get(&anon, uri), 200);
    snprintf(uri, sizeof uri, "/listen/%s/actions", slug);
    assert_int_equal(tc_get(&anon, uri), 200);
    /* the API says the same */
    snprintf(uri, sizeof uri, "/api/v1/listen/%s", slug);
    assert_int_equal(tc_get(&anon, uri), 200);
    {
        json_t *j = body_json(&anon);
        assert_true(json_is_true(json_object_get(json_object_get(j, "next_steps"),
                                                 "results_published")));
        json_decref(j);
    }
    tc_free(&anon);
}

/* ---- voting one statement at a time ---- */

static void test_vote_moves_to_next_statement(void **state)
{
    struct test_client v;
    char slug[32], uri[128], form[128];
    const char *loc;
    long long first, second;
    json_t *j;
    (void)state;
    new_exercise("post", slug);
    contribute(slug, texts, 4);
    tc_init(&v, app);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s", slug);
    assert_int_equal(tc_get(&v, uri), 200);
    j = body_json(&v);
    {
        json_t *card = json_object_get(j, "vote");
        assert_int_equal(json_integer_value(json_object_get(json_object_get(card, "progress"),
                                                            "number")), 1);
        assert_int_equal(json_integer_value(json_object_get(json_object_get(card, "progress"),
                                                            "total")), 4);
        first = json_integer_value(json_object_get(json_object_get(card, "statement"), "id"));
        assert_true(first > 0);
    }
    json_decref(j);
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    assert_int_equal(tc_get(&v, uri), 200);
    assert_true(tc_body_has(&v, "Statement 1 of 4"));
    assert_true(testapp_tidy(v.res.body, v.res.len, "the voting card") < 2);
    /* without JavaScript: the form posts and comes back to the card, on the next statement */
    snprintf(uri, sizeof uri, "/listen/%s/vote", slug);
    snprintf(form, sizeof form, "contribution=%lld&vote=agree&from=card", first);
    assert_int_equal(tc_post_form(&v, uri, form, 1), 303);
    loc = lb_header(&v.res, "Location");
    assert_non_null(loc);
    assert_non_null(strstr(loc, "#vote"));
    snprintf(uri, sizeof uri, "%s", loc);
    *strchr(uri, '#') = '\0';
    assert_int_equal(tc_get(&v, uri), 200);
    assert_true(tc_body_has(&v, "Your vote has been recorded. You agreed."));
    assert_true(tc_body_has(&v, "Statement 2 of 4"));
    assert_true(tc_body_has(&v, "/vote/undo"));
    assert_true(testapp_tidy(v.res.body, v.res.len, "the card after a vote") < 2);
    /* with JavaScript: the API answers with the next statement and the confirmation */
    snprintf(uri, sizeof uri, "/api/v1/listen/%s", slug);
    assert_int_equal(tc_get(&v, uri), 200);
    j = body_json(&v);
    second = json_integer_value(
        json_object_get(json_object_get(json_object_get(j, "vote"), "statement"), "id"));
    json_decref(j);
    assert_true(second > 0 && second != first);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/vote", slug);
    snprintf(form, sizeof form, "{\"contribution\":%lld,\"vote\":\"disagree\",\"from\":\"card\"}",
             second);
    assert_int_equal(tc_post_json(&v, uri, form), 200);
    j = body_json(&v);
    {
        json_t *card = json_object_get(j, "card");
        json_t *next = json_object_get(card, "statement");
        assert_int_equal(json_integer_value(json_object_get(json_object_get(card, "progress"),
                                                            "number")), 3);
        assert_true(json_integer_value(json_object_get(next, "id")) != second);
        assert_true(json_integer_value(json_object_get(next, "id")) != first);
        assert_string_equal(json_string_value(json_object_get(json_object_get(card, "confirm"),
                                                              "text")),
                            "Your vote has been recorded. You disagreed.");
        /* nothing in it links the vote to a participant */
        assert_null(json_object_get(next, "participant_id"));
    }
    json_decref(j);
    tc_free(&v);
}

static void test_undo_and_change_a_vote(void **state)
{
    struct test_client v;
    char slug[32], uri[128], form[128];
    long long first;
    json_t *j;
    (void)state;
    new_exercise("post", slug);
    contribute(slug, texts, 3);
    tc_init(&v, app);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s", slug);
    assert_int_equal(tc_get(&v, uri), 200);
    j = body_json(&v);
    first = json_integer_value(
        json_object_get(json_object_get(json_object_get(j, "vote"), "statement"), "id"));
    json_decref(j);
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    tc_get(&v, uri);
    snprintf(uri, sizeof uri, "/listen/%s/vote", slug);
    snprintf(form, sizeof form, "contribution=%lld&vote=agree&from=card", first);
    assert_int_equal(tc_post_form(&v, uri, form, 1), 303);
    assert_int_equal(sql_int("SELECT sum(c.agree_count) FROM listen_contributions c JOIN "
                             "listen_exercises e ON e.id = c.exercise_id WHERE e.slug = $1",
                             slug),
                     1);
    /* undo: the vote and its count go, and the card shows that statement again */
    snprintf(uri, sizeof uri, "/listen/%s/vote/undo", slug);
    snprintf(form, sizeof form, "contribution=%lld&from=card", first);
    assert_int_equal(tc_post_form(&v, uri, form, 1), 303);
    assert_non_null(strstr(lb_header(&v.res, "Location"), "undone=1#vote"));
    assert_int_equal(sql_int("SELECT sum(c.agree_count) + sum(c.vote_count) FROM "
                             "listen_contributions c JOIN listen_exercises e ON "
                             "e.id = c.exercise_id WHERE e.slug = $1",
                             slug),
                     0);
    assert_int_equal(sql_int("SELECT count(*) FROM listen_votes v JOIN listen_contributions c "
                             "ON c.id = v.contribution_id JOIN listen_exercises e ON "
                             "e.id = c.exercise_id WHERE e.slug = $1",
                             slug),
                     0);
    snprintf(uri, sizeof uri, "/listen/%s?statement=%lld&undone=1", slug, first);
    assert_int_equal(tc_get(&v, uri), 200);
    assert_true(tc_body_has(&v, "Your vote has been taken back."));
    assert_true(tc_body_has(&v, "Statement 1 of 3"));
    /* undoing again: nothing to undo */
    snprintf(uri, sizeof uri, "/listen/%s/vote/undo", slug);
    assert_int_equal(tc_post_form(&v, uri, form, 1), 404);
    /* vote, then change it from "Your votes" */
    snprintf(uri, sizeof uri, "/listen/%s/vote", slug);
    snprintf(form, sizeof form, "contribution=%lld&vote=disagree&from=card", first);
    assert_int_equal(tc_post_form(&v, uri, form, 1), 303);
    snprintf(uri, sizeof uri, "/listen/%s/votes", slug);
    assert_int_equal(tc_get(&v, uri), 200);
    assert_true(tc_body_has(&v, "You disagreed"));
    assert_true(tc_body_has(&v, "You have voted on 1 of 3 statements"));
    assert_true(testapp_tidy(v.res.body, v.res.len, "your votes") < 2);
    snprintf(uri, sizeof uri, "/listen/%s/vote", slug);
    snprintf(form, sizeof form, "contribution=%lld&vote=agree&from=votes", first);
    assert_int_equal(tc_post_form(&v, uri, form, 1), 303);
    assert_non_null(strstr(lb_header(&v.res, "Location"), "/votes#c"));
    snprintf(uri, sizeof uri, "/listen/%s/votes", slug);
    assert_int_equal(tc_get(&v, uri), 200);
    assert_true(tc_body_has(&v, "Your vote has been recorded"));
    assert_true(tc_body_has(&v, "You agreed"));
    assert_int_equal(sql_int("SELECT sum(c.agree_count) * 10 + sum(c.disagree_count) FROM "
                             "listen_contributions c JOIN listen_exercises e ON "
                             "e.id = c.exercise_id WHERE e.slug = $1",
                             slug),
                     10);
    /* someone else's list is their own */
    {
        struct test_client other;
        tc_init(&other, app);
        assert_int_equal(tc_get(&other, uri), 200);
        assert_true(tc_body_has(&other, "You have not voted yet"));
        tc_free(&other);
    }
    tc_free(&v);
}

/* ---- moderation ---- */

static long long queue_id(const char *slug, const char *needle)
{
    char uri[96];
    const char *p, *q;
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/moderate?filter=all", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    p = strstr(fac.res.body, needle);
    assert_non_null(p);
    for (q = p; q > fac.res.body && strncmp(q, "{\"id\":", 6) != 0; q--)
        ;
    return atoll(q + 6);
}

static void test_reported_reason_visible_to_moderators(void **state)
{
    struct test_client v;
    char slug[32], uri[128], form[200];
    long long id;
    (void)state;
    new_exercise("post", slug);
    contribute(slug, texts, 2);
    id = queue_id(slug, "speech and language therapy team");
    tc_init(&v, app);
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    tc_get(&v, uri);
    snprintf(uri, sizeof uri, "/listen/%s/flag", slug);
    snprintf(form, sizeof form, "contribution=%lld&reason=It+names+a+receptionist", id);
    assert_int_equal(tc_post_form(&v, uri, form, 1), 303);
    snprintf(uri, sizeof uri, "/listen/%s/moderate?filter=flagged", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "Why people reported it"));
    assert_true(tc_body_has(&fac, "It names a receptionist"));
    assert_true(tc_body_has(&fac, "Answers the question"));
    assert_true(tc_body_has(&fac, "What works well?"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "queue with reasons") < 2);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/moderate?filter=flagged", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "\"flag_reasons\":[\"It names a receptionist\"]"));
    /* the public never sees the reason */
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    assert_int_equal(tc_get(&v, uri), 200);
    assert_false(tc_body_has(&v, "It names a receptionist"));
    tc_free(&v);
}

static void test_bulk_moderation(void **state)
{
    char slug[32], other[32], uri[128], form[300];
    long long a, b, c, o;
    const char *loc;
    (void)state;
    new_exercise("pre", slug);
    contribute(slug, texts, 3);
    a = queue_id(slug, "Waiting lists");
    b = queue_id(slug, "speech and language");
    c = queue_id(slug, "Parking at");
    snprintf(uri, sizeof uri, "/listen/%s/moderate?filter=review", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "Decide several at once"));
    snprintf(form, sizeof form, "name=\"pick.%lld\"", a);
    assert_true(tc_body_has(&fac, form));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "queue with bulk decisions") < 2);
    /* one id that is not a contribution of the exercise: refused by its key, linked from the
     * summary to the list, with the ticks kept, and nothing at all changes */
    snprintf(uri, sizeof uri, "/listen/%s/moderate/bulk", slug);
    snprintf(form, sizeof form, "action=approve&filter=review&pick.%lld=1&pick.999999=1", a);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 400);
    assert_true(tc_body_has(&fac, "href=\"#queue\">pick.999999: there is no contribution 999999 "
                                  "in this exercise"));
    snprintf(form, sizeof form,
             "name=\"pick.%lld\" type=\"checkbox\" value=\"1\" form=\"bulk\" checked", a);
    assert_true(tc_body_has(&fac, form));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "queue with an unknown pick") < 2);
    assert_int_equal(sql_int("SELECT count(*) FROM listen_contributions c JOIN listen_exercises "
                             "e ON e.id = c.exercise_id WHERE e.slug = $1 AND "
                             "c.status = 'pending'", slug), 3);
    /* so is a contribution of another exercise, through the API, by its key */
    new_exercise("pre", other);
    contribute(other, texts, 1);
    o = queue_id(other, "Waiting lists");
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/moderate/bulk", slug);
    snprintf(form, sizeof form, "{\"action\":\"approve\",\"pick.%lld\":true,\"pick.%lld\":true}", a,
             o);
    assert_int_equal(tc_post_json(&fac, uri, form), 400);
    snprintf(form, sizeof form,
             "\"pick.%lld\":\"pick.%lld: there is no contribution %lld in this exercise\"", o, o,
             o);
    assert_true(tc_body_has(&fac, form));
    assert_int_equal(sql_int("SELECT count(*) FROM listen_contributions c JOIN listen_exercises "
                             "e ON e.id = c.exercise_id WHERE e.slug = $1 AND "
                             "c.status = 'pending'",
                             slug),
                     3);
    assert_int_equal(sql_int("SELECT count(*) FROM listen_contributions c JOIN listen_exercises "
                             "e ON e.id = c.exercise_id WHERE e.slug = $1 AND "
                             "c.status = 'pending'",
                             other),
                     1);
    snprintf(uri, sizeof uri, "/listen/%s/moderate/bulk", slug);
    /* reject needs a reason; nothing ticked is an error: the queue is shown again with the
     * error beside the reason, linked from the summary, and the ticks kept */
    snprintf(form, sizeof form, "action=reject&filter=review&page=1&pick.%lld=1", a);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 400);
    assert_true(tc_body_has(&fac, "href=\"#bulk-reason\">Enter why the ticked contributions are "
                                  "rejected"));
    assert_true(tc_body_has(&fac, "id=\"bulk-reason-error\""));
    snprintf(form, sizeof form, "name=\"pick.%lld\" type=\"checkbox\" value=\"1\" form=\"bulk\" checked", a);
    assert_true(tc_body_has(&fac, form));
    assert_true(tc_body_has(&fac, "Decide several at once"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "queue with an error") < 2);
    assert_int_equal(tc_post_form(&fac, uri, "action=approve", 1), 400);
    assert_true(tc_body_has(&fac, "href=\"#queue\">Tick at least one contribution"));
    /* one decision without its reason: its own form opens with the error, on the queue */
    snprintf(uri, sizeof uri, "/listen/%s/moderate/%lld", slug, a);
    snprintf(form, sizeof form, "action=reject&filter=review&page=1");
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 400);
    snprintf(form, sizeof form, "href=\"#reason-%lld\">Enter why the contribution is rejected", a);
    assert_true(tc_body_has(&fac, form));
    snprintf(form, sizeof form, "id=\"reason-%lld-error\"", a);
    assert_true(tc_body_has(&fac, form));
    /* a reason the request layer refuses (a tab in it) is put beside the same input */
    assert_int_equal(tc_post_form(&fac, uri, "action=reject&reason=Off%09topic", 1), 400);
    snprintf(form, sizeof form, "href=\"#reason-%lld\"", a);
    assert_true(tc_body_has(&fac, form));
    snprintf(uri, sizeof uri, "/listen/%s/moderate/bulk", slug);
    /* approve two in one go */
    snprintf(form, sizeof form, "action=approve&filter=review&page=1&pick.%lld=1&pick.%lld=1", a,
             b);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 303);
    loc = lb_header(&fac.res, "Location");
    assert_non_null(strstr(loc, "/moderate?filter=review&page=1#queue"));
    snprintf(uri, sizeof uri, "/listen/%s/moderate?filter=review&page=1", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "The contributions you ticked have been approved"));
    assert_int_equal(sql_int("SELECT count(*) FROM listen_contributions c JOIN listen_exercises "
                             "e ON e.id = c.exercise_id WHERE e.slug = $1 AND "
                             "c.status = 'approved'", slug), 2);
    /* each decision is in the moderation log */
    assert_int_equal(sql_int("SELECT count(*) FROM listen_moderation_log l JOIN "
                             "listen_exercises e ON e.id = l.exercise_id WHERE e.slug = $1 AND "
                             "l.action = 'approve'", slug), 2);
    /* through the API, with a reason to reject; a pick that names no contribution is
     * refused by name, and nothing is decided, not even the good pick beside it */
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/moderate/bulk", slug);
    snprintf(form, sizeof form,
             "{\"action\":\"reject\",\"reason\":\"Off topic\",\"pick.%lld\":true,"
             "\"pick.abc\":true}",
             c);
    assert_int_equal(tc_post_json(&fac, uri, form), 400);
    assert_true(tc_body_has(&fac, "pick.abc"));
    assert_int_equal(sql_int("SELECT count(*) FROM listen_contributions c JOIN listen_exercises "
                             "e ON e.id = c.exercise_id WHERE e.slug = $1 AND "
                             "c.status = 'rejected'", slug), 0);
    snprintf(form, sizeof form, "{\"action\":\"reject\",\"reason\":\"Off topic\",\"pick.%lld\":true}",
             c);
    assert_int_equal(tc_post_json(&fac, uri, form), 200);
    assert_true(tc_body_has(&fac, "\"moderated\":1"));
    /* a single decision returns to the next item of the same page */
    snprintf(uri, sizeof uri, "/listen/%s/moderate/%lld", slug, a);
    snprintf(form, sizeof form, "action=approve&filter=all&page=1&next=%lld", b);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 303);
    snprintf(form, sizeof form, "/moderate?filter=all&page=1#c%lld", b);
    assert_non_null(strstr(lb_header(&fac.res, "Location"), form));
}

/* ---- opinion groups that explain themselves ---- */

/* A new exercise of four contributions, two on waiting and two on training, and 2 * half
 * people in two camps: the first half agrees on waiting and not on training, the other the
 * reverse; then an analysis with two groups is run. Its slug in slug. */
static void two_camps(int half, char slug[32])
{
    static const char *const camp_texts[] = {
        "Waiting+lists+for+physiotherapy+are+far+too+long",
        "Waiting+times+for+speech+therapy+keep+growing",
        "Training+for+new+staff+is+excellent+here",
        "Training+days+are+well+run+and+useful",
    };
    struct db *db;
    struct arena *a;
    struct listen_exercise e;
    char split[16];
    int64_t run;
    bool ran = false;
    new_exercise("post", slug);
    contribute(slug, camp_texts, 4);
    db = db_pool_get(app->pool);
    a = arena_new();
    assert_int_equal(listen_exercise_get(db, a, slug, &e), 0);
    for (int i = 0; i < 2 * half; i++) {
        char name[24];
        snprintf(name, sizeof name, "camp-%02d", i);
        assert_int_equal(db_run(db,
                                "INSERT INTO listen_participants (exercise_id, pseudonym, "
                                "created_at) VALUES ($1, $2, 1)",
                                "it", e.id, name),
                         0);
    }
    snprintf(split, sizeof split, "camp-%02d", half);
    assert_int_equal(db_run(db,
                            "INSERT INTO listen_votes (contribution_id, participant_id, vote, "
                            "created_at, updated_at) SELECT c.id, p.id, CASE WHEN "
                            "(c.body LIKE '%aiting%') = (p.pseudonym < $2) THEN 1 ELSE -1 "
                            "END, 1, 1 FROM listen_contributions c, listen_participants p "
                            "WHERE c.exercise_id = $1 AND p.exercise_id = $1 "
                            "AND p.pseudonym LIKE 'camp-%'",
                            "it", e.id, split),
                     0);
    assert_int_equal(listen_analysis_enqueue(db, e.id, 0, 2, &run), 0);
    assert_int_equal(listen_analysis_run_next(db, &ran), 0);
    assert_true(ran);
    arena_free(a);
    db_pool_put(app->pool, db);
}

static void test_groups_show_everyone_else(void **state)
{
    char slug[32], uri[128];
    json_t *j, *st;
    (void)state;
    /* forty people in two camps */
    two_camps(20, slug);

    /* the facilitators' analysis page: the map, both shares, and a warning about four
     * contributions */
    snprintf(uri, sizeof uri, "/listen/%s/analysis", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "id=\"opinion-map-title\""));
    assert_true(tc_body_has(&fac, "of everyone else"));
    assert_true(tc_body_has(&fac, "Too little to analyse"));
    assert_true(tc_body_has(&fac, "fewer than 20 contributions"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "analysis with the map") < 2);
    /* the report model: the group's share and everyone else's, as numbers */
    snprintf(uri, sizeof uri, "/listen/%s/report/publish", slug);
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 303);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/report", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    j = body_json(&fac);
    st = json_array_get(
        json_object_get(json_array_get(json_object_get(json_object_get(j, "opinion"), "groups"), 0),
                        "statements"),
        0);
    assert_non_null(st);
    assert_true(json_is_integer(json_object_get(st, "percent")));
    assert_true(json_is_integer(json_object_get(st, "percent_rest")));
    /* a camp votes as one, everyone else the other way */
    assert_true(json_integer_value(json_object_get(st, "percent")) >= 80);
    assert_true(json_integer_value(json_object_get(st, "percent_rest")) <= 20);
    assert_true(json_is_true(json_object_get(json_object_get(j, "sufficiency"),
                                             "few_contributions")));
    assert_false(json_is_true(json_object_get(json_object_get(j, "sufficiency"), "few_voters")));
    json_decref(j);
    snprintf(uri, sizeof uri, "/listen/%s/report", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "of this group"));
    assert_true(tc_body_has(&fac, "of everyone else"));
    assert_true(tc_body_has(&fac, "Too little to analyse"));
    /* the CSV has both figures */
    snprintf(uri, sizeof uri, "/listen/%s/report/opinion-groups.csv", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "this group (% of those who voted on it),everyone else (% of those who voted on it)"));
    {
        /* the first row's two figures: a high one for the group, a low one for the rest */
        const char *row = strchr(fac.res.body, '\n');
        int group = -1, rest = -1;
        const char *p;
        assert_non_null(row);
        p = strstr(row, ",agree,");
        if (!p)
            p = strstr(row, ",disagree,");
        assert_non_null(p);
        p = strchr(p + 1, ',');
        assert_int_equal(sscanf(p + 1, "%d,%d", &group, &rest), 2);
        assert_true(group >= 80 && rest <= 20);
    }
}

/* Two camps of 6: both groups are too small to show their people, so no map is drawn (not an
 * empty chart saying "No data"), and the page says why. */
static void test_small_groups_draw_no_map(void **state)
{
    char slug[32], uri[128];
    (void)state;
    two_camps(6, slug);

    snprintf(uri, sizeof uri, "/listen/%s/analysis", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "Group 2"));
    assert_false(tc_body_has(&fac, "opinion-map-title"));
    assert_false(tc_body_has(&fac, "No data"));
    assert_true(tc_body_has(&fac, "No map is drawn"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "analysis without a map") < 2);
    snprintf(uri, sizeof uri, "/listen/%s/report/publish", slug);
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 303);
    snprintf(uri, sizeof uri, "/listen/%s/report", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_false(tc_body_has(&fac, "opinion-map-title"));
    assert_false(tc_body_has(&fac, "No data"));
    assert_true(tc_body_has(&fac, "No map is drawn"));
}

/* ---- a public deployment names its accessibility contact ---- */

static void test_startup_needs_a_contact_address(void **state)
{
    struct app_config cfg;
    char line[512], cmd[600];
    FILE *f;
    int status;
    bool said = false;
    (void)state;
    memset(&cfg, 0, sizeof cfg);
    assert_non_null(app_config_check(&cfg));
    assert_non_null(strstr(app_config_check(&cfg), "AHPHUB_CONTACT_EMAIL"));
    cfg.contact_email = "not an address";
    assert_non_null(app_config_check(&cfg));
    cfg.contact_email = "ahphub-support@example.nhs.uk";
    assert_null(app_config_check(&cfg));
    cfg.contact_email = NULL;
    cfg.demo = true;
    assert_null(app_config_check(&cfg));
    /* the real program: a clear sentence on stderr and a failed start, before it listens */
    snprintf(cmd, sizeof cmd,
             "env -u AHPHUB_CONTACT_EMAIL -u AHPHUB_DEMO build/ahphub serve --db "
             "sqlite:/nonexistent/never.db --listen 127.0.0.1:1 2>&1");
    f = popen(cmd, "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f))
        said |= strstr(line, "cannot start: set AHPHUB_CONTACT_EMAIL") != NULL;
    status = pclose(f);
    assert_true(said);
    assert_true(status != 0);
}

/* The statement says what is known not to meet WCAG 2.2 AA, not that nothing is. */
static void test_accessibility_statement_lists_known_failures(void **state)
{
    struct test_client anon;
    (void)state;
    tc_init(&anon, app);
    assert_int_equal(tc_get(&anon, "/accessibility"), 200);
    assert_true(tc_body_has(&anon, "do not yet fully meet WCAG 2.2 AA"));
    assert_false(tc_body_has(&anon, "We do not currently know of any part"));
    assert_true(tc_body_has(&anon, "map of opinion groups"));
    assert_true(testapp_tidy(anon.res.body, anon.res.len, "accessibility statement") < 2);
    tc_free(&anon);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_reachable_after_publication),
        cmocka_unit_test(test_vote_moves_to_next_statement),
        cmocka_unit_test(test_undo_and_change_a_vote),
        cmocka_unit_test(test_reported_reason_visible_to_moderators),
        cmocka_unit_test(test_bulk_moderation),
        cmocka_unit_test(test_groups_show_everyone_else),
        cmocka_unit_test(test_small_groups_draw_no_map),
        cmocka_unit_test(test_startup_needs_a_contact_address),
        cmocka_unit_test(test_accessibility_statement_lists_known_failures),
    };
    return cmocka_run_group_tests_name("http/listen_launch", tests, setup, teardown);
}
