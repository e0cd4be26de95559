/* develop_feedback_test.c: 360° feedback through the loopback — the member's journey and the
 * raters', their mistakes, and what each may see
 *
 * A member asks five raters (manager, three peers, one other) from a submitted
 * self-assessment with the NHS.UK date input; each rater's link is shown once and mailed.
 * The raters answer without an account, save and come back, and submit; a used link says
 * thank you and takes nothing more. While open the member sees neither results nor who
 * answered; after closing the report folds the lone "other" with the peers and shows the
 * manager separately, and no answer is taken any more. Errors: dates, addresses (their own,
 * twice), groups, unknown links, another member's request, submitting nothing, reminding
 * twice in a day. The JSON API does the same journey, raters included, and a rater's client
 * that keeps no cookie submits its answers in one request. A network client starts only so many
 * new drafts an hour. Deleting the request deletes the answers, and the data export holds no
 * answer. Runs on SQLite and PostgreSQL.
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

#include "develop/feedback.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct test_client member, other, rater;
/* the browser a peer started in: it alone may submit what it saved (rater_pages.c) */
static struct test_client started;
static const char *PW = "correct horse battery";
static int64_t self_id;

static int64_t q(const char *sql, const char *arg)
{
    return testapp_int(app, sql, arg);
}

static json_t *body_json(const struct test_client *tc)
{
    json_t *j = json_loadb(tc->res.body, tc->res.len, 0, NULL);
    assert_non_null(j);
    return j;
}

/* day=…&month=…&year=… for days from today (UTC) */
static void date_form(char *out, size_t n, int days)
{
    time_t t = time(NULL) + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, n, "closes-day=%d&closes-month=%d&closes-year=%d", tm.tm_mday, tm.tm_mon + 1,
             tm.tm_year + 1900);
}

/* The tokens of the links on the last page, in order; returns how many. */
static int tokens(const struct test_client *tc, char out[][65], int max)
{
    const char *p = tc->res.body, *end = tc->res.body + tc->res.len;
    int n = 0;
    while (n < max && p < end && (p = strstr(p, "/feedback/")) != NULL) {
        p += strlen("/feedback/");
        if (strspn(p, "0123456789abcdef") >= 64 && !strchr("0123456789abcdef", p[64])) {
            bool dup = false;
            for (int k = 0; k < n; k++)
                dup = dup || !strncmp(out[k], p, 64);
            if (!dup) {
                memcpy(out[n], p, 64);
                out[n++][64] = '\0';
            }
        }
    }
    return n;
}

static int post(struct test_client *tc, const char *fmt, const char *tok, const char *form)
{
    char uri[200];
    snprintf(uri, sizeof uri, fmt, tok);
    return tc_post_form(tc, uri, form, 1);
}

static int get(struct test_client *tc, const char *fmt, const char *tok)
{
    char uri[200];
    snprintf(uri, sizeof uri, fmt, tok);
    return tc_get(tc, uri);
}

/* A rater answers every statement of area 1 with v, comments, and submits, in a new browser
 * or (tc) in the one they started in. */
static void answer_in(struct test_client *tc, const char *tok, int v, const char *strengths)
{
    char form[600];
    assert_int_equal(get(tc, "/feedback/%s", tok), 200);
    snprintf(form, sizeof form,
             "rating.system-fit=%d&rating.system-partners=%d&rating.system-drivers=%d&"
             "action=next",
             v, v, v);
    assert_int_equal(post(tc, "/feedback/%s/domain/1", tok, form), 303);
    snprintf(form, sizeof form, "strengths=%s&differently=Share+the+plan&action=submit", strengths);
    assert_int_equal(post(tc, "/feedback/%s/comments", tok, form), 200);
    assert_true(tc_body_has(tc, "Thank you for your feedback"));
}

static void answer(const char *tok, int v, const char *strengths)
{
    tc_reset(&rater);
    answer_in(&rater, tok, v, strengths);
}

static int64_t request_id;
static char toks[5][65];

static void test_ask_for_feedback(void **state)
{
    char form[1200], date[80], uri[96];
    (void)state;
    snprintf(uri, sizeof uri, "/develop/self/%lld/feedback", (long long)self_id);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "Closing date"));
    assert_true(testapp_tidy(member.res.body, member.res.len, "feedback form") < 2);
    /* mistakes keep what was typed, each at its place */
    assert_int_equal(tc_post_form(&member, uri,
                                  "closes-day=31&closes-month=2&closes-year=2027&email.1=sam%"
                                  "40example.test&group.1=peer&email.2=not-an-address&group.2="
                                  "peer",
                                  1),
                     400);
    assert_true(tc_body_has(&member, "The closing date must be a real date"));
    /* the summary links to the Day box, as every date input's does */
    assert_true(tc_body_has(&member, "<a href=\"#closes-day\">The closing date must be a real"));
    assert_true(tc_body_has(&member, "id=\"closes-day\" name=\"closes-day\""));
    assert_true(tc_body_has(&member, "sam@example.test"));
    assert_true(testapp_tidy(member.res.body, member.res.len, "feedback form errors") < 2);
    assert_int_equal(tc_post_form(&member, uri, "closes-day=1&closes-month=1&closes-year=2020", 1),
                     400);
    assert_true(
        tc_body_has(&member, "<a href=\"#closes-day\">The closing date must be after today"));
    assert_true(tc_body_has(&member, "Error: </span>The closing date must be after today"));
    assert_true(tc_body_has(&member, "at least one rater"));
    date_form(date, sizeof date, 10);
    snprintf(form, sizeof form, "%s&email.1=member%%40example.test&group.1=peer", date);
    assert_int_equal(tc_post_form(&member, uri, form, 1), 400);
    assert_true(tc_body_has(&member, "your own address"));
    snprintf(form, sizeof form,
             "%s&email.1=a%%40example.test&group.1=peer&email.2=A%%40example.test&group.2=peer",
             date);
    assert_int_equal(tc_post_form(&member, uri, form, 1), 400);
    assert_true(tc_body_has(&member, "in the list twice"));
    /* every mistake at once, each on its row: the date, their own address, one twice */
    snprintf(form, sizeof form,
             "closes-day=31&closes-month=2&closes-year=2027&email.1=a%%40example.test&group.1="
             "peer&email.2=Member%%40example.test&group.2=peer&email.3=A%%40example.test&group."
             "3=peer&email.4=b%%40example.test&group.4=boss");
    assert_int_equal(tc_post_form(&member, uri, form, 1), 400);
    assert_true(tc_body_has(&member, "<a href=\"#closes-day\">The closing date must be a real"));
    assert_true(tc_body_has(
        &member, "<a href=\"#email.2\">Rater 2: member@example.test is your own address"));
    assert_true(
        tc_body_has(&member, "<a href=\"#email.3\">Rater 3: a@example.test is in the list twice"));
    assert_true(tc_body_has(&member, "<a href=\"#group.4\">Rater 4: choose how they work"));
    snprintf(form, sizeof form, "%s&email.1=a%%40example.test&group.1=boss", date);
    assert_int_equal(tc_post_form(&member, uri, form, 1), 400);
    assert_true(tc_body_has(&member, "choose how they work with you"));
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_requests", NULL), 0);
    /* five raters */
    snprintf(form, sizeof form,
             "%s&email.1=boss%%40example.test&group.1=manager&email.2=p1%%40example.test&group."
             "2=peer&email.3=p2%%40example.test&group.3=peer&email.4=p3%%40example.test&group.4="
             "peer&email.5=o1%%40example.test&group.5=other&email.6=&group.6=peer",
             date);
    assert_int_equal(tc_post_form(&member, uri, form, 1), 201);
    assert_true(tc_body_has(&member, "shown only now"));
    assert_true(testapp_tidy(member.res.body, member.res.len, "feedback links") < 2);
    assert_int_equal(tokens(&member, toks, 5), 5);
    request_id = q("SELECT MAX(id) FROM develop_feedback_requests", NULL);
    assert_true(request_id > 0);
    /* each mailed, and only the hash kept */
    assert_int_equal(q("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'feedback_invite'", NULL), 5);
    assert_int_equal(
        q("SELECT COUNT(*) FROM develop_feedback_invitations WHERE token_hash = $1", toks[0]), 0);
    /* the member cannot answer through a link themselves */
    {
        char page[160];
        snprintf(page, sizeof page, "/feedback/%s", toks[1]);
        assert_int_equal(tc_get(&member, page), 403);
        assert_true(tc_body_has(&member, "you cannot answer your own request"));
    }
    /* another member cannot see it */
    snprintf(uri, sizeof uri, "/develop/feedback/%lld", (long long)request_id);
    assert_int_equal(tc_get(&other, uri), 404);
    snprintf(uri, sizeof uri, "/develop/feedback/%lld/close", (long long)request_id);
    assert_int_equal(tc_post_form(&other, uri, "", 1), 404);
}

static void test_raters_answer(void **state)
{
    char form[300];
    (void)state;
    /* the manager is told first; a peer is told the opposite */
    tc_reset(&rater);
    assert_int_equal(get(&rater, "/feedback/%s", toks[0]), 200);
    assert_true(tc_body_has(&rater, "Your answers are not anonymous"));
    assert_true(testapp_tidy(rater.res.body, rater.res.len, "rater start") < 2);
    assert_int_equal(get(&started, "/feedback/%s", toks[1]), 200);
    assert_false(tc_body_has(&started, "Your answers are not anonymous"));
    assert_true(tc_body_has(&started, "at least 2 other people"));
    /* save and come back: the answer is kept */
    assert_int_equal(get(&started, "/feedback/%s/domain/1", toks[1]), 200);
    assert_true(testapp_tidy(started.res.body, started.res.len, "rater area") < 2);
    assert_int_equal(
        post(&started, "/feedback/%s/domain/1", toks[1], "rating.system-fit=9&action=next"), 400);
    assert_true(tc_body_has(&started, "Statement 1: choose one of the answers"));
    assert_int_equal(
        post(&started, "/feedback/%s/domain/1", toks[1], "rating.system-fit=3&action=later"), 303);
    {
        /* each save renews the browser's key for every link, so it outlasts the request */
        char key[40];
        const char *set = lb_header(&started.res, "Set-Cookie");
        assert_non_null(set);
        assert_non_null(strstr(set, "; Path=/feedback;"));
        snprintf(key, sizeof key, "%.39s", strstr(set, "ahp_fb=") + 7);
        *strchr(key, ';') = '\0';
        assert_int_equal(
            post(&started, "/feedback/%s/domain/1", toks[1], "rating.system-fit=3&action=later"),
            303);
        set = lb_header(&started.res, "Set-Cookie");
        assert_non_null(set);
        assert_non_null(strstr(set, key)); /* the same key, renewed */
    }
    assert_int_equal(get(&started, "/feedback/%s/domain/1", toks[1]), 200);
    assert_true(tc_body_has(&started, "value=\"3\" checked"));
    /* the start page of another browser does not say the rater has started */
    tc_reset(&rater);
    assert_int_equal(get(&rater, "/feedback/%s", toks[1]), 200);
    assert_false(tc_body_has(&rater, ">Continue<"));
    /* the link alone shows nothing saved: not another browser, not the member who holds it */
    tc_reset(&rater);
    assert_int_equal(get(&rater, "/feedback/%s/domain/1", toks[1]), 200);
    assert_false(tc_body_has(&rater, "value=\"3\" checked"));
    assert_false(tc_body_has(&rater, "Answers were saved here from another device"));
    /* Each browser keeps its own draft of a link (rule 9). Whoever holds the link — the
     * member, in a fresh browser — saves and reloads, and sees their own saves back the same
     * whether the rater has started (toks[1]) or not (toks[3]): nothing tells them which. */
    for (int k = 0; k < 2; k++) {
        const char *t = toks[k ? 3 : 1];
        tc_reset(&rater);
        assert_int_equal(get(&rater, "/feedback/%s/comments", t), 200);
        assert_int_equal(post(&rater, "/feedback/%s/comments", t, "strengths=Private+words"), 200);
        assert_true(tc_body_has(&rater, "Your answers are saved"));
        assert_int_equal(
            post(&rater, "/feedback/%s/domain/1", t, "rating.system-fit=1&action=later"), 303);
        assert_int_equal(get(&rater, "/feedback/%s/comments", t), 200);
        assert_true(tc_body_has(&rater, ">Private words</textarea>"));
        assert_int_equal(get(&rater, "/feedback/%s/domain/1", t), 200);
        assert_true(tc_body_has(&rater, "value=\"1\" checked"));
        assert_int_equal(get(&rater, "/feedback/%s", t), 200);
        assert_true(tc_body_has(&rater, ">Continue<"));
    }
    /* and what they save is theirs alone: the rater's draft is as the rater left it */
    assert_int_equal(get(&started, "/feedback/%s/domain/1", toks[1]), 200);
    assert_true(tc_body_has(&started, "value=\"3\" checked"));
    assert_false(tc_body_has(&started, "value=\"1\" checked"));
    assert_int_equal(post(&started, "/feedback/%s/comments", toks[1], "strengths=Mine&action=save"),
                     200);
    {
        /* an API client is one more browser: the cookie its first save sets keeps its draft */
        char uri[160];
        json_t *j;
        tc_reset(&rater);
        snprintf(uri, sizeof uri, "/api/v1/feedback/%s/comments", toks[1]);
        assert_int_equal(
            tc_post_json(&rater, uri, "{\"strengths\": \"Via the API\", \"action\": \"save\"}"),
            200);
        snprintf(uri, sizeof uri, "/api/v1/feedback/%s/domain/1", toks[1]);
        /* a rating of no statement of this area is refused by name, and nothing saved, not
         * even the good rating beside it */
        assert_int_equal(
            tc_post_json(&rater, uri, "{\"rating.system-fit\": \"2\", \"rating.nope\": \"1\"}"),
            400);
        assert_true(tc_body_has(&rater, "\"rating.nope\""));
        snprintf(uri, sizeof uri, "/api/v1/feedback/%s/comments", toks[1]);
        assert_int_equal(tc_get_json(&rater, uri), 200);
        j = body_json(&rater);
        assert_int_equal(json_integer_value(json_object_get(j, "rated")), 0);
        json_decref(j);
        snprintf(uri, sizeof uri, "/api/v1/feedback/%s/domain/1", toks[1]);
        assert_int_equal(tc_post_json(&rater, uri, "{\"rating.system-fit\": \"2\"}"), 200);
        j = body_json(&rater); /* what comes next is in the API too */
        snprintf(uri, sizeof uri, "/api/v1/feedback/%s/domain/2", toks[1]);
        assert_string_equal(json_string_value(json_object_get(j, "next")), uri);
        json_decref(j);
        snprintf(uri, sizeof uri, "/api/v1/feedback/%s/comments", toks[1]);
        assert_int_equal(tc_get_json(&rater, uri), 200);
        j = body_json(&rater);
        assert_string_equal(json_string_value(json_object_get(j, "strengths")), "Via the API");
        assert_int_equal(json_integer_value(json_object_get(j, "rated")), 1);
        json_decref(j);
    }
    assert_int_equal(get(&started, "/feedback/%s/comments", toks[1]), 200);
    assert_true(tc_body_has(&started, ">Mine</textarea>"));
    assert_int_equal(get(&started, "/feedback/%s/domain/1", toks[1]), 200);
    assert_true(tc_body_has(&started, "value=\"3\" checked"));
    /* nothing rated: cannot submit (in the browser that answers this link later) */
    assert_int_equal(get(&started, "/feedback/%s/comments", toks[2]), 200);
    assert_true(testapp_tidy(started.res.body, started.res.len, "rater comments") < 2);
    assert_int_equal(post(&started, "/feedback/%s/comments", toks[2], "strengths=Hi&action=submit"),
                     400);
    assert_true(tc_body_has(&started, "Rate at least one statement"));
    assert_true(tc_body_has(&started, ">Hi</textarea>"));
    /* a browser that has rated nothing submits: the same words whether or not the rater has
     * started (the member holds every link), and the rater's own draft is untouched */
    {
        int64_t drafts = q("SELECT COUNT(*) FROM develop_feedback_drafts", NULL);
        for (int k = 0; k < 2; k++) {
            tc_reset(&rater);
            assert_int_equal(get(&rater, "/feedback/%s/comments", toks[k ? 1 : 3]), 200);
            assert_int_equal(post(&rater, "/feedback/%s/comments", toks[k ? 1 : 3],
                                  "strengths=Probe&action=submit"),
                             400);
            assert_true(tc_body_has(&rater, "Rate at least one statement"));
            assert_true(tc_body_has(&rater, "submit from there"));
        }
        assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_drafts", NULL), drafts);
        assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_responses WHERE strengths = "
                           "'Probe'",
                           NULL),
                         0);
    }
    /* an unknown link */
    assert_int_equal(tc_get(&rater, "/feedback/"
                                    "0000000000000000000000000000000000000000000000000000000000"
                                    "000000"),
                     404);
    assert_int_equal(tc_get(&rater, "/feedback/short"), 404);
    /* two answer now: the member is told "fewer than 3", not who */
    answer(toks[0], 2, "Calm+under+pressure");
    /* from another browser, what was saved cannot be sent; from the one it started in, it is */
    tc_reset(&rater);
    assert_int_equal(get(&rater, "/feedback/%s/comments", toks[1]), 200);
    assert_int_equal(post(&rater, "/feedback/%s/comments", toks[1],
                          "strengths=Not+mine&differently=&action=submit"),
                     400);
    assert_true(tc_body_has(&rater, "submit from there"));
    answer_in(&started, toks[1], 3, "Ring+me+on+07700+900123");
    {
        char uri[96];
        json_t *j, *r;
        snprintf(uri, sizeof uri, "/api/v1/develop/feedback/%lld", (long long)request_id);
        assert_int_equal(tc_get_json(&member, uri), 200);
        j = body_json(&member);
        r = json_object_get(j, "request");
        assert_true(json_is_null(json_object_get(r, "answered")));
        assert_true(json_is_true(json_object_get(r, "is_open")));
        assert_null(json_object_get(j, "report"));
        json_decref(j);
    }
    /* An answered link answers as one not yet answered (the member holds every link and must
     * not tell who has answered): the form, a draft saved, and a submission thanked, which
     * is dropped because the first answer stands. */
    {
        struct test_client fresh;
        int status_used, status_new;
        tc_init(&fresh, app);
        tc_reset(&rater);
        status_used = get(&rater, "/feedback/%s", toks[0]);
        status_new = get(&fresh, "/feedback/%s", toks[2]);
        assert_int_equal(status_used, status_new);
        assert_false(tc_body_has(&rater, "Thank you"));
        assert_true(tc_body_has(&rater, "has asked you for feedback"));
        assert_true(tc_body_has(&fresh, "has asked you for feedback"));
        assert_int_equal(
            post(&rater, "/feedback/%s/domain/1", toks[0], "rating.system-fit=1&action=next"), 303);
        assert_int_equal(post(&rater, "/feedback/%s/comments", toks[0],
                              "strengths=Again&differently=&action=submit"),
                         200);
        assert_true(tc_body_has(&rater, "Thank you for your feedback"));
        assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_responses WHERE strengths = "
                           "'Again'",
                           NULL),
                         0);
        assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_draft_texts WHERE strengths = "
                           "'Again'",
                           NULL),
                         0);
        tc_free(&fresh);
    }
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_responses", NULL), 2);
    /* the third peer and the other, the last through the API */
    answer_in(&started, toks[2], 4, "good+listener");
    {
        char uri[160];
        json_t *j;
        tc_reset(&rater);
        snprintf(uri, sizeof uri, "/api/v1/feedback/%s", toks[4]);
        assert_int_equal(tc_get_json(&rater, uri), 200);
        j = body_json(&rater);
        assert_int_equal(json_integer_value(json_object_get(j, "domains_count")), 9);
        json_decref(j);
        snprintf(uri, sizeof uri, "/api/v1/feedback/%s/domain/1", toks[4]);
        assert_int_equal(tc_post_json(&rater, uri, "{\"rating.system-fit\": \"1\"}"), 200);
        snprintf(uri, sizeof uri, "/api/v1/feedback/%s/comments", toks[4]);
        assert_int_equal(
            tc_post_json(&rater, uri, "{\"strengths\": \"Kind\", \"action\": \"submit\"}"), 200);
        j = body_json(&rater);
        assert_true(json_is_true(json_object_get(j, "submitted")));
        json_decref(j);
        snprintf(form, sizeof form, "/api/v1/feedback/%s", toks[4]);
        assert_int_equal(tc_get_json(&rater, form), 200); /* the thank-you model */
    }
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_responses", NULL), 4);
    /* no used invitation keeps its address */
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_invitations WHERE used = 1 AND "
                       "email <> ''",
                       NULL),
                     0);
}

/* The link in the newest mail to recipient, into out. */
static void mailed_link(const char *recipient, char out[65])
{
    struct db *db = NULL;
    struct db_stmt *st = NULL;
    const char *p;
    assert_int_equal(db_open(testapp_db_url(), &db), 0);
    assert_int_equal(db_row(db,
                            "SELECT body_text FROM mail_outbox WHERE recipient = $1 ORDER BY id "
                            "DESC LIMIT 1",
                            &st, "t", recipient),
                     0);
    p = strstr(db_col_text(st, 0), "/feedback/");
    assert_non_null(p);
    p += strlen("/feedback/");
    assert_true(strspn(p, "0123456789abcdef") >= 64);
    memcpy(out, p, 64);
    out[64] = '\0';
    db_finalize(st);
    db_close(db);
}

static void test_remind_then_close_and_read(void **state)
{
    char uri[96];
    json_t *j, *rep, *cells;
    int64_t mails = q("SELECT COUNT(*) FROM mail_outbox", NULL);
    (void)state;
    snprintf(uri, sizeof uri, "/develop/feedback/%lld", (long long)request_id);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "4 have answered"));
    assert_true(testapp_tidy(member.res.body, member.res.len, "feedback open") < 2);
    /* asking someone again is refused in the same words whether or not they have answered,
     * so the refusal cannot tell the member who answered (migration 0031) */
    {
        static const char *const who[] = {"boss", "p1", "p2", "p3", "o1"};
        char form[160];
        snprintf(uri, sizeof uri, "/develop/feedback/%lld/raters", (long long)request_id);
        for (size_t i = 0; i < sizeof who / sizeof who[0]; i++) {
            snprintf(form, sizeof form, "email.1=%s%%40example.test&group.1=peer", who[i]);
            assert_int_equal(tc_post_form(&member, uri, form, 1), 400);
            assert_true(tc_body_has(&member, "has been asked already"));
            assert_false(tc_body_has(&member, "already and has not"));
        }
        snprintf(uri, sizeof uri, "/develop/feedback/%lld", (long long)request_id);
    }
    /* p3 has saved a rating without answering */
    assert_int_equal(get(&started, "/feedback/%s/domain/1", toks[3]), 200);
    assert_int_equal(
        post(&started, "/feedback/%s/domain/1", toks[3], "rating.system-fit=4&action=later"), 303);
    /* without a mail server a reminder is refused: its new links would wait unsent while the
     * links the raters hold stopped working */
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "it cannot send reminders"));
    assert_false(tc_body_has(&member, "Send a reminder"));
    snprintf(uri, sizeof uri, "/develop/feedback/%lld/remind", (long long)request_id);
    assert_int_equal(tc_post_form(&member, uri, "", 1), 409);
    assert_true(tc_body_has(&member, "no mail server set up"));
    assert_int_equal(q("SELECT COUNT(*) FROM mail_outbox", NULL), mails);
    assert_int_equal(get(&started, "/feedback/%s", toks[3]), 200);
    app->cfg.smtp_url = "smtp://127.0.0.1:1"; /* never reached: nothing sends in this test */
    assert_int_equal(tc_post_form(&member, uri, "", 1), 200);
    assert_true(tc_body_has(&member, "We have sent a reminder"));
    /* only the one who had not answered (p3's link is toks[3]) got one, with a new link */
    assert_int_equal(q("SELECT COUNT(*) FROM mail_outbox", NULL), mails + 1);
    tc_reset(&rater);
    assert_int_equal(get(&rater, "/feedback/%s", toks[3]), 404);
    /* the old links no longer work, answered or not; the page does not send a rater who has
     * answered to the member (asking for a new link would tell them who answered) */
    assert_true(tc_body_has(&rater, "If you have already given your feedback, there is nothing "
                                    "more to do."));
    assert_int_equal(get(&rater, "/feedback/%s", toks[0]), 404);
    assert_true(tc_body_has(&rater, "If you have already given your feedback, there is nothing "
                                    "more to do."));
    /* the new link opens what p3 saved, in the browser that saved it */
    {
        char fresh[65];
        mailed_link("p3@example.test", fresh);
        assert_int_equal(get(&started, "/feedback/%s/domain/1", fresh), 200);
        assert_true(tc_body_has(&started, "value=\"4\" checked"));
    }
    assert_int_equal(tc_post_form(&member, uri, "", 1), 429);
    /* through the API: the answer the guide documents, {"reminded": true}, and nothing else */
    {
        char api[96];
        json_t *rj;
        struct db *db = NULL;
        /* a day on, so that another reminder may go */
        assert_int_equal(db_open(testapp_db_url(), &db), 0);
        assert_int_equal(db_exec(db, "UPDATE develop_feedback_requests SET reminded_at = "
                                     "reminded_at - 172800 WHERE reminded_at > 0"),
                         0);
        db_close(db);
        snprintf(api, sizeof api, "/api/v1/develop/feedback/%lld/remind", (long long)request_id);
        assert_int_equal(tc_post_json(&member, api, "{}"), 200);
        rj = body_json(&member);
        assert_true(json_is_true(json_object_get(rj, "reminded")));
        assert_int_equal(json_object_size(rj), 1);
        json_decref(rj);
        assert_int_equal(tc_post_json(&member, api, "{}"), 429);
        mailed_link("p3@example.test", toks[3]);
    }
    app->cfg.smtp_url = NULL;
    /* close, then no answer is taken, and the request's mail is withdrawn: it names the member
     * to the raters, and without a mail server it would wait for ever */
    {
        char topic[32];
        snprintf(topic, sizeof topic, "feedback:%lld", (long long)request_id);
        assert_true(q("SELECT COUNT(*) FROM mail_outbox WHERE topic = $1", topic) >= 6);
        snprintf(uri, sizeof uri, "/develop/feedback/%lld/close", (long long)request_id);
        assert_int_equal(tc_post_form(&member, uri, "", 1), 303);
        assert_int_equal(q("SELECT COUNT(*) FROM mail_outbox WHERE topic = $1", topic), 0);
        assert_int_equal(q("SELECT COUNT(*) FROM mail_outbox WHERE subject LIKE '%feedback%'",
                           NULL),
                         0);
    }
    assert_int_equal(tc_post_form(&member, uri, "", 1), 409);
    /* closed: who was still waiting is forgotten too, so it cannot tell who answered */
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_invitations WHERE email <> ''", NULL),
                     0);
    snprintf(uri, sizeof uri, "/api/v1/develop/feedback/%lld", (long long)request_id);
    assert_int_equal(tc_get_json(&member, uri), 200);
    j = body_json(&member);
    rep = json_object_get(j, "report");
    assert_non_null(rep);
    /* manager 1 shown separately; peers 3 + other 1: the other folds, and takes the peers with
     * it; so: manager and all raters */
    cells = json_object_get(rep, "cells");
    assert_int_equal(json_array_size(cells), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(cells, 0), "cell")),
                        "manager");
    assert_string_equal(json_string_value(json_object_get(json_array_get(cells, 1), "cell")),
                        "all");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(cells, 1), "n")), 4);
    {
        json_t *d0 = json_array_get(json_object_get(rep, "domains"), 0);
        json_t *b0 = json_array_get(json_object_get(d0, "behaviours"), 0);
        json_t *c1 = json_array_get(json_object_get(b0, "cells"), 1);
        /* system-fit: 2, 3, 4, 1 from the four: 2.5, a number */
        assert_true(json_is_number(json_object_get(c1, "mean")));
        assert_true(json_number_value(json_object_get(c1, "mean")) == 2.5);
        /* system-partners: rated by the manager and 2 peers only: beyond the manager, shown
         * apart, 2 ratings would be left, so "all raters" does not show it */
        c1 = json_array_get(
            json_object_get(json_array_get(json_object_get(d0, "behaviours"), 1), "cells"), 1);
        assert_true(json_is_null(json_object_get(c1, "mean")));
        assert_string_equal(json_string_value(json_object_get(c1, "reason")),
                            "too few answers to show");
    }
    /* comments: each list alphabetical (case set aside), as the page says, not as they came
     * (p1, p2, other) */
    {
        json_t *fold = NULL, *texts = json_object_get(rep, "texts");
        for (size_t i = 0; i < json_array_size(texts); i++)
            if (!strcmp(json_string_value(json_object_get(json_array_get(texts, i), "cell")),
                        "fold"))
                fold = json_array_get(texts, i);
        assert_non_null(fold);
        fold = json_object_get(fold, "strengths");
        assert_int_equal(json_array_size(fold), 3);
        assert_string_equal(json_string_value(json_array_get(fold, 0)), "good listener");
        assert_string_equal(json_string_value(json_array_get(fold, 1)), "Kind");
        assert_non_null(strstr(json_string_value(json_array_get(fold, 2)), "Ring me on"));
    }
    /* comments: the phone number is gone */
    {
        char *dump = json_dumps(rep, 0);
        assert_non_null(dump);
        assert_null(strstr(dump, "07700"));
        assert_non_null(strstr(dump, "[phone number removed]"));
        free(dump);
    }
    json_decref(j);
    snprintf(uri, sizeof uri, "/develop/feedback/%lld", (long long)request_id);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "Results by area"));
    assert_true(tc_body_has(&member, "Each list in alphabetical order, not the order they were "
                                     "written"));
    assert_false(tc_body_has(&member, "random order"));
    assert_true(testapp_tidy(member.res.body, member.res.len, "feedback report") < 2);
    /* a rater's link now says closed, and takes nothing */
    tc_reset(&rater);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_responses", NULL), 4);
    snprintf(uri, sizeof uri, "/develop/feedback/%lld/raters", (long long)request_id);
    assert_int_equal(tc_post_form(&member, uri, "email.1=x%40example.test&group.1=peer", 1), 409);
}

static void test_closed_link_takes_nothing(void **state)
{
    char date[80], form[400], uri[96], t[2][65];
    (void)state;
    date_form(date, sizeof date, 5);
    snprintf(uri, sizeof uri, "/develop/self/%lld/feedback", (long long)self_id);
    snprintf(form, sizeof form, "%s&email.1=late%%40example.test&group.1=peer", date);
    assert_int_equal(tc_post_form(&member, uri, form, 1), 201);
    assert_int_equal(tokens(&member, t, 2), 1);
    tc_reset(&rater);
    assert_int_equal(get(&rater, "/feedback/%s", t[0]), 200);
    assert_int_equal(post(&rater, "/feedback/%s/domain/1", t[0], "rating.system-fit=2"), 303);
    snprintf(uri, sizeof uri, "/develop/feedback/%lld/close",
             (long long)q("SELECT MAX(id) FROM develop_feedback_requests", NULL));
    assert_int_equal(tc_post_form(&member, uri, "", 1), 303);
    assert_int_equal(post(&rater, "/feedback/%s/comments", t[0], "action=submit"), 409);
    assert_true(tc_body_has(&rater, "takes no more"));
    assert_int_equal(post(&rater, "/feedback/%s/domain/1", t[0], "rating.system-fit=3"), 409);
    assert_int_equal(get(&rater, "/feedback/%s/domain/1", t[0]), 409);
    /* no answer: nothing to show */
    snprintf(uri, sizeof uri, "/develop/feedback/%lld",
             (long long)q("SELECT MAX(id) FROM develop_feedback_requests", NULL));
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "Too few people answered"));
}

static void test_api_journey_and_deletion(void **state)
{
    char uri[96], body[600], closes[16];
    time_t t = time(NULL) + 7 * 86400;
    struct tm tm;
    json_t *j;
    int64_t id;
    (void)state;
    gmtime_r(&t, &tm);
    strftime(closes, sizeof closes, "%Y-%m-%d", &tm);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/feedback", (long long)self_id);
    snprintf(body, sizeof body,
             "{\"closes\": \"%s\", \"raters\": [{\"email\": \"R1@example.test\", \"group\": "
             "\"report\"}, {\"email\": \"r2@example.test\", \"group\": \"report\"}]}",
             closes);
    assert_int_equal(tc_post_json(&member, uri, body), 201);
    j = body_json(&member);
    id = json_integer_value(json_object_get(j, "id"));
    assert_true(id > 0);
    assert_int_equal(json_array_size(json_object_get(j, "raters")), 2);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(j, "raters"), 0), "email")),
                        "r1@example.test");
    json_decref(j);
    /* rows that would be passed over unread are refused by name, and nothing is asked */
    {
        int64_t requests = q("SELECT COUNT(*) FROM develop_feedback_requests", NULL);
        json_t *errs;
        snprintf(body, sizeof body,
                 "{\"closes\": \"%s\", \"email.1\": \"a1@example.test\", \"group.1\": \"peer\", "
                 "\"email.41\": \"a41@example.test\", \"group.41\": \"peer\", \"email.x\": "
                 "\"ax@example.test\", \"email.02\": \"a2@example.test\"}",
                 closes);
        assert_int_equal(tc_post_json(&member, uri, body), 400);
        j = body_json(&member);
        errs = json_object_get(j, "errors");
        assert_non_null(json_object_get(errs, "email.41"));
        assert_non_null(json_object_get(errs, "group.41"));
        assert_non_null(json_object_get(errs, "email.x"));
        assert_non_null(json_object_get(errs, "email.02"));
        assert_null(json_object_get(errs, "email.1"));
        json_decref(j);
        snprintf(body, sizeof body,
                 "{\"closes\": \"%s\", \"raters\": [{\"email\": \"b1@example.test\", \"group\": "
                 "\"peer\"}], \"email.1\": \"b2@example.test\", \"group.1\": \"peer\"}",
                 closes);
        assert_int_equal(tc_post_json(&member, uri, body), 400);
        j = body_json(&member);
        assert_non_null(json_object_get(json_object_get(j, "errors"), "email.1"));
        json_decref(j);
        assert_int_equal(
            tc_post_json(&member, uri, "{\"raters\": {\"email\": \"c@example.test\"}}"), 400);
        j = body_json(&member);
        assert_non_null(json_object_get(json_object_get(j, "errors"), "raters"));
        json_decref(j);
        assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_requests", NULL), requests);
    }
    assert_int_equal(tc_post_json(&member, uri, "{\"closes\": \"2020-01-01\", \"raters\": []}"),
                     400);
    j = body_json(&member);
    assert_non_null(json_object_get(json_object_get(j, "errors"), "closes"));
    json_decref(j);
    /* every rater's mistake at once, each under its own number */
    snprintf(body, sizeof body,
             "{\"closes\": \"%s\", \"raters\": [{\"email\": \"a@example.test\", \"group\": "
             "\"boss\"}, {\"email\": \"b@example.test\", \"group\": \"peer\"}, {\"email\": "
             "\"Member@example.test\", \"group\": \"peer\"}, {\"email\": \"B@example.test\", "
             "\"group\": \"other\"}]}",
             closes);
    assert_int_equal(tc_post_json(&member, uri, body), 400);
    j = body_json(&member);
    {
        json_t *e = json_object_get(j, "errors");
        assert_non_null(strstr(json_string_value(json_object_get(e, "raters.1")), "Rater 1:"));
        assert_null(json_object_get(e, "raters.2"));
        assert_non_null(strstr(json_string_value(json_object_get(e, "raters.3")), "own address"));
        assert_non_null(strstr(json_string_value(json_object_get(e, "raters.4")), "twice"));
    }
    json_decref(j);
    assert_int_equal(tc_get_json(&member, "/api/v1/develop/feedback"), 200);
    j = body_json(&member);
    assert_true(json_array_size(json_object_get(j, "requests")) >= 3);
    json_decref(j);
    /* the export: requests and counts, no answer */
    assert_int_equal(tc_get_json(&member, "/api/v1/account/data/download"), 200);
    assert_true(tc_body_has(&member, "feedback_requests"));
    assert_false(tc_body_has(&member, "Calm under pressure"));
    /* deleting takes the answers with it */
    snprintf(uri, sizeof uri, "/api/v1/develop/feedback/%lld/delete", (long long)request_id);
    assert_int_equal(tc_post_json(&member, uri, "{}"), 400);
    assert_int_equal(tc_post_json(&member, uri, "{\"confirm\": true}"), 200);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_responses WHERE request_id = "
                       "CAST($1 AS BIGINT)",
                       "1"),
                     0);
    assert_int_equal(tc_get_json(&member, "/api/v1/develop/feedback/999999"), 404);
}

/* A new open request of n raters in group (addresses <prefix>N@example.test), through the
 * API; the tokens of their links into t. */
static void api_request(const char *prefix, const char *group, int n, char t[][65])
{
    char uri[96], body[4000], closes[16];
    size_t off;
    time_t when = time(NULL) + 7 * 86400;
    struct tm tm;
    json_t *j, *raters;
    gmtime_r(&when, &tm);
    strftime(closes, sizeof closes, "%Y-%m-%d", &tm);
    off = (size_t)snprintf(body, sizeof body, "{\"closes\": \"%s\", \"raters\": [", closes);
    for (int i = 0; i < n; i++)
        off += (size_t)snprintf(body + off, sizeof body - off,
                                "%s{\"email\": \"%s%d@example.test\", \"group\": \"%s\"}",
                                i ? ", " : "", prefix, i, group);
    snprintf(body + off, sizeof body - off, "]}");
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/feedback", (long long)self_id);
    assert_int_equal(tc_post_json(&member, uri, body), 201);
    j = body_json(&member);
    raters = json_object_get(j, "raters");
    assert_int_equal(json_array_size(raters), (size_t)n);
    for (int i = 0; i < n; i++) {
        const char *link = json_string_value(json_object_get(json_array_get(raters, i), "link"));
        assert_non_null(link);
        assert_true(strlen(link) > 64);
        snprintf(t[i], 65, "%s", link + strlen(link) - 64);
    }
    json_decref(j);
}

/* A request from network client ip: a GET, a form POST (with the browser's CSRF token) or,
 * when json is set, an API POST. */
static int from(struct test_client *tc, const char *ip, const char *method, const char *fmt,
                const char *tok, const char *body, bool json)
{
    char uri[200], hdr[80], full[1200];
    snprintf(uri, sizeof uri, fmt, tok);
    snprintf(hdr, sizeof hdr, "X-Loopback-Client: %s", ip);
    if (!strcmp(method, "GET"))
        return tc_request(tc, "GET", uri, (const char *[]){hdr, NULL}, NULL, 0);
    if (json)
        return tc_request(tc, "POST", uri,
                          (const char *[]){hdr, "Content-Type: application/json", NULL}, body,
                          strlen(body));
    snprintf(full, sizeof full, "%s&csrf_token=%s", body, tc_csrf(tc));
    return tc_request(
        tc, "POST", uri,
        (const char *[]){hdr, "Content-Type: application/x-www-form-urlencoded", NULL}, full,
        strlen(full));
}

/* Every browser that saves on a link starts a draft of its own (rule 9), so a network client
 * may start only FEEDBACK_DRAFTS_PER_HOUR (600) new drafts an hour, across every link, and a
 * browser may keep drafts on only FEEDBACK_DRAFTS_PER_BROWSER (20) links at once. Over either
 * a new draft is refused (429, what was typed shown again, nothing saved before lost; with the
 * wait for the hour's limit, and none for the browser's, which no wait lifts), and a refused
 * save gives its count back; a browser that has a draft on the link goes on saving and
 * submitting, another client is not held back, and a submission that carries its answers (no
 * draft) is taken. */
/* With a mail server, the links go to the raters alone: the member is never shown one, so the
 * member cannot answer through two of a group's three links and read the third rater's
 * answers from the group's figures, nor answer before a rater and have theirs dropped. */
static void test_links_only_mailed_with_a_mail_server(void **state)
{
    char form[600], date[80], uri[96], mailed[65], other_toks[4][65];
    json_t *j, *raters;
    int64_t id;
    (void)state;
    app->cfg.smtp_url = "smtp://127.0.0.1:1"; /* never reached: nothing sends in this test */
    date_form(date, sizeof date, 20);
    snprintf(uri, sizeof uri, "/develop/self/%lld/feedback", (long long)self_id);
    snprintf(form, sizeof form,
             "%s&email.1=m1%%40example.test&group.1=peer&email.2=m2%%40example.test&group.2="
             "peer&email.3=m3%%40example.test&group.3=peer",
             date);
    assert_int_equal(tc_post_form(&member, uri, form, 1), 201);
    assert_true(tc_body_has(&member, "Only they have it"));
    assert_true(tc_body_has(&member, "m3@example.test"));
    assert_int_equal(tokens(&member, other_toks, 4), 0);
    assert_true(testapp_tidy(member.res.body, member.res.len, "feedback mailed") < 2);
    mailed_link("m1@example.test", mailed);
    id = q("SELECT MAX(id) FROM develop_feedback_requests", NULL);
    /* the same through the API, and when raters are added to an open request */
    snprintf(uri, sizeof uri, "/api/v1/develop/feedback/%lld/raters", (long long)id);
    assert_int_equal(tc_post_json(&member, uri, "{\"email.1\": \"m4@example.test\", "
                                                "\"group.1\": \"other\"}"),
                     201);
    j = body_json(&member);
    assert_false(json_is_true(json_object_get(j, "links_shown")));
    raters = json_object_get(j, "raters");
    assert_int_equal(json_array_size(raters), 1);
    assert_null(json_object_get(json_array_get(raters, 0), "link"));
    assert_null(json_object_get(json_array_get(raters, 0), "path"));
    json_decref(j);
    assert_int_equal(tokens(&member, other_toks, 4), 0);
    mailed_link("m4@example.test", mailed);
    /* the mailed link works, for the rater */
    tc_reset(&rater);
    assert_int_equal(get(&rater, "/feedback/%s", mailed), 200);
    app->cfg.smtp_url = NULL;
    snprintf(uri, sizeof uri, "/develop/feedback/%lld/delete", (long long)id);
    assert_int_equal(tc_post_form(&member, uri, "confirm=yes", 1), 303);
}

static void test_new_drafts_are_limited(void **state)
{
    const char *ip = "198.51.100.7", *ip2 = "198.51.100.9";
    char t[3][65], many[FEEDBACK_DRAFTS_PER_BROWSER + 1][65], uri[160];
    struct test_client kept, full, api;
    int64_t drafts, texts;
    json_t *j;
    (void)state;
    api_request("limit", "peer", 3, t);
    api_request("many", "peer", FEEDBACK_DRAFTS_PER_BROWSER + 1, many);
    tc_init(&kept, app);
    tc_init(&full, app);
    tc_init(&api, app);
    /* the first of the client's drafts: a browser that will keep its draft */
    assert_int_equal(from(&kept, ip, "GET", "/feedback/%s", t[0], NULL, false), 200);
    assert_int_equal(from(&kept, ip, "POST", "/feedback/%s/domain/1", t[0],
                          "rating.system-fit=2&action=later", false),
                     303);
    /* one browser with drafts on as many links as it may keep */
    assert_int_equal(from(&full, ip, "GET", "/feedback/%s", many[0], NULL, false), 200);
    for (int i = 0; i < FEEDBACK_DRAFTS_PER_BROWSER; i++)
        assert_int_equal(from(&full, ip, "POST", "/feedback/%s/domain/1", many[i],
                              "rating.system-fit=2&action=later", false),
                         303);
    /* new browsers up to one short of the client's hour */
    for (int i = 1 + FEEDBACK_DRAFTS_PER_BROWSER; i < FEEDBACK_DRAFTS_PER_HOUR - 1; i++) {
        tc_reset(&rater);
        assert_int_equal(from(&rater, ip, "GET", "/feedback/%s/domain/1", t[i % 2], NULL, false),
                         200);
        assert_int_equal(from(&rater, ip, "POST", "/feedback/%s/domain/1", t[i % 2],
                              "rating.system-fit=1&action=later", false),
                         303);
    }
    /* the full browser may not start another draft: refused with no wait, the form as typed;
     * it saves on, and submits, where it has one */
    assert_int_equal(from(&full, ip, "POST", "/feedback/%s/domain/1",
                          many[FEEDBACK_DRAFTS_PER_BROWSER],
                          "rating.system-fit=4&rating.system-partners=3&action=next", false),
                     429);
    assert_true(tc_body_has(&full, "<a href=\"#action\">This browser is keeping unsent answers"));
    assert_true(tc_body_has(&full, "value=\"4\" checked"));
    assert_true(tc_body_has(&full, "value=\"3\" checked"));
    assert_null(lb_header(&full.res, "Retry-After"));
    assert_true(testapp_tidy(full.res.body, full.res.len, "rater area, browser full") < 2);
    assert_int_equal(from(&full, ip, "POST", "/feedback/%s/comments",
                          many[FEEDBACK_DRAFTS_PER_BROWSER], "strengths=Full+words&action=later",
                          false),
                     429);
    assert_true(tc_body_has(&full, ">Full words</textarea>"));
    assert_true(tc_body_has(&full, "This browser is keeping unsent answers"));
    assert_int_equal(from(&full, ip, "POST", "/feedback/%s/domain/2", many[0],
                          "rating.vision-direction=2&action=later", false),
                     303);
    /* both refusals gave their counts back: the client's last new draft of the hour is taken */
    tc_reset(&rater);
    assert_int_equal(from(&rater, ip, "GET", "/feedback/%s/domain/1", t[1], NULL, false), 200);
    assert_int_equal(from(&rater, ip, "POST", "/feedback/%s/domain/1", t[1],
                          "rating.system-fit=1&action=later", false),
                     303);
    drafts = q("SELECT COUNT(*) FROM develop_feedback_drafts", NULL);
    texts = q("SELECT COUNT(*) FROM develop_feedback_draft_texts", NULL);
    /* one more new browser: refused, on any link, the form shown again with what was typed */
    tc_reset(&rater);
    assert_int_equal(from(&rater, ip, "GET", "/feedback/%s/domain/1", t[2], NULL, false), 200);
    assert_int_equal(from(&rater, ip, "POST", "/feedback/%s/domain/1", t[2],
                          "rating.system-fit=4&rating.system-partners=3&action=next", false),
                     429);
    assert_true(tc_body_has(&rater, "Too many people have started answering feedback"));
    assert_true(tc_body_has(&rater, "<a href=\"#action\">Too many people"));
    assert_true(tc_body_has(&rater, "then try again"));
    assert_true(tc_body_has(&rater, "value=\"4\" checked"));
    assert_true(tc_body_has(&rater, "value=\"3\" checked"));
    assert_non_null(lb_header(&rater.res, "Retry-After"));
    assert_null(tc_cookie(&rater, "ahp_fb")); /* no key given out for a draft not kept */
    assert_true(testapp_tidy(rater.res.body, rater.res.len, "rater area over the limit") < 2);
    assert_int_equal(from(&rater, ip, "POST", "/feedback/%s/comments", t[2],
                          "strengths=Kept+words&action=later", false),
                     429);
    assert_true(tc_body_has(&rater, ">Kept words</textarea>"));
    assert_true(tc_body_has(&rater, "Too many people have started answering feedback"));
    /* the API: a JSON 429 with the wait */
    tc_reset(&rater);
    assert_int_equal(from(&rater, ip, "POST", "/api/v1/feedback/%s/domain/1", t[2],
                          "{\"rating.system-fit\": \"3\"}", true),
                     429);
    j = body_json(&rater);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "rate_limited");
    assert_non_null(
        strstr(json_string_value(json_object_get(j, "message")), "Too many people have started"));
    assert_true(json_integer_value(json_object_get(j, "retry_after")) > 0);
    json_decref(j);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_drafts", NULL), drafts);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_draft_texts", NULL), texts);
    /* the browser that has a draft on a link goes on: it saves there, and submits */
    assert_int_equal(from(&kept, ip, "POST", "/feedback/%s/domain/1", t[0],
                          "rating.system-fit=3&action=next", false),
                     303);
    assert_int_equal(from(&kept, ip, "GET", "/feedback/%s/domain/1", t[0], NULL, false), 200);
    assert_true(tc_body_has(&kept, "value=\"3\" checked"));
    /* (on another link it would start a draft: refused like any other) */
    assert_int_equal(from(&kept, ip, "POST", "/feedback/%s/domain/1", t[2],
                          "rating.system-fit=3&action=next", false),
                     429);
    assert_int_equal(from(&kept, ip, "POST", "/feedback/%s/comments", t[0],
                          "strengths=Steady&action=submit", false),
                     200);
    assert_true(tc_body_has(&kept, "Thank you for your feedback"));
    /* another client is not held back */
    tc_reset(&rater);
    assert_int_equal(
        from(&rater, "198.51.100.8", "GET", "/feedback/%s/domain/1", t[2], NULL, false), 200);
    assert_int_equal(from(&rater, "198.51.100.8", "POST", "/feedback/%s/domain/1", t[2],
                          "rating.system-fit=1&action=later", false),
                     303);
    /* a submission that carries its answers stores no draft, so is not limited */
    tc_reset(&rater);
    snprintf(uri, sizeof uri,
             "{\"rating.system-fit\": 4, \"strengths\": \"Whole\", "
             "\"action\": \"submit\"}");
    assert_int_equal(from(&rater, ip, "POST", "/api/v1/feedback/%s/comments", t[1], uri, true),
                     200);
    assert_int_equal(
        q("SELECT COUNT(*) FROM develop_feedback_responses WHERE strengths = 'Whole'", NULL), 1);
    /* the API, from another client: a browser keeping its cookie, full, gets a JSON 429 with
     * no wait; once it has submitted one of its drafts it may start another */
    for (int i = 0; i < FEEDBACK_DRAFTS_PER_BROWSER; i++)
        assert_int_equal(from(&api, ip2, "POST", "/api/v1/feedback/%s/domain/1", many[i],
                              "{\"rating.system-fit\": \"3\"}", true),
                         200);
    assert_int_equal(from(&api, ip2, "POST", "/api/v1/feedback/%s/domain/1",
                          many[FEEDBACK_DRAFTS_PER_BROWSER], "{\"rating.system-fit\": \"3\"}",
                          true),
                     429);
    j = body_json(&api);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "rate_limited");
    assert_non_null(strstr(json_string_value(json_object_get(j, "message")),
                           "This browser is keeping unsent answers"));
    assert_null(json_object_get(j, "retry_after"));
    json_decref(j);
    assert_null(lb_header(&api.res, "Retry-After"));
    assert_int_equal(from(&api, ip2, "POST", "/api/v1/feedback/%s/comments", many[5],
                          "{\"action\": \"submit\"}", true),
                     200);
    assert_int_equal(from(&api, ip2, "POST", "/api/v1/feedback/%s/domain/1",
                          many[FEEDBACK_DRAFTS_PER_BROWSER], "{\"rating.system-fit\": \"3\"}",
                          true),
                     200);
    tc_free(&api);
    tc_free(&full);
    tc_free(&kept);
}

/* A save that starts a draft and fails in the database, at whichever of its calls, answers
 * 503 "try again", stores nothing, and gives back the new draft it counted against the
 * network client's hour (rater_pages.c): after as many failures as the save has database
 * calls, the client may still start every other draft of its hour. */
static void test_failed_save_gives_its_count_back(void **state)
{
    const char *ip = "198.51.100.21";
    char t[1][65];
    int status = 0, failed = 0;
    int64_t drafts, texts;
    (void)state;
    api_request("fault", "peer", 1, t);
    drafts = q("SELECT COUNT(*) FROM develop_feedback_drafts", NULL);
    texts = q("SELECT COUNT(*) FROM develop_feedback_draft_texts", NULL);
    for (long n = 1; n < 100; n++) {
        tc_reset(&rater); /* a new browser: its save starts a draft */
        assert_int_equal(from(&rater, ip, "GET", "/feedback/%s/domain/1", t[0], NULL, false), 200);
        db_fault_after(n);
        status = from(&rater, ip, "POST", "/feedback/%s/domain/1", t[0],
                      "rating.system-fit=2&action=later", false);
        db_fault_after(0);
        if (status == 303)
            break;
        assert_int_equal(status, 503);
        assert_true(tc_body_has(&rater, "Try again in a few moments"));
        assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_drafts", NULL), drafts);
        assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_draft_texts", NULL), texts);
        failed++;
    }
    assert_int_equal(status, 303);
    assert_true(failed > 3);
    /* that save and the rest of the hour's new drafts are taken; the one after is not */
    for (int i = 1; i <= FEEDBACK_DRAFTS_PER_HOUR; i++) {
        tc_reset(&rater);
        assert_int_equal(from(&rater, ip, "GET", "/feedback/%s/domain/1", t[0], NULL, false), 200);
        assert_int_equal(from(&rater, ip, "POST", "/feedback/%s/domain/1", t[0],
                              "rating.system-fit=1&action=later", false),
                         i < FEEDBACK_DRAFTS_PER_HOUR ? 303 : 429);
    }
}

/* An API client that keeps no cookie sends its answers with the submission: one step, no
 * draft, validated as a save is, each mistake under its field. Without answers and without a
 * draft the refusal says what to do. A second submission through the link, answers and all,
 * is thanked in exactly the same words and dropped (rule 9). */
static void test_api_submit_without_cookie(void **state)
{
    char t[2][65], first[400], uri[160];
    int64_t before;
    json_t *j, *e;
    (void)state;
    api_request("whole", "report", 2, t);
    before = q("SELECT COUNT(*) FROM develop_feedback_responses", NULL);
    snprintf(uri, sizeof uri, "/api/v1/feedback/%s/domain/1", t[0]);
    /* saved without keeping the cookie: the submission finds no draft, and says what to do */
    tc_reset(&rater);
    assert_int_equal(tc_post_json(&rater, uri, "{\"rating.system-fit\": \"2\"}"), 200);
    tc_reset(&rater);
    snprintf(uri, sizeof uri, "/api/v1/feedback/%s/comments", t[0]);
    assert_int_equal(tc_post_json(&rater, uri, "{\"strengths\": \"Hi\", \"action\": \"submit\"}"),
                     400);
    j = body_json(&rater);
    e = json_object_get(json_object_get(j, "errors"), "action");
    assert_non_null(strstr(json_string_value(e), "send the ratings with the submission"));
    assert_non_null(strstr(json_string_value(e), "ahp_fb"));
    json_decref(j);
    /* answers that are not answers: each named */
    tc_reset(&rater);
    assert_int_equal(tc_post_json(&rater, uri,
                                  "{\"rating.system-fit\": \"9\", \"rating.system-partners\": 2, "
                                  "\"rating.no-such\": \"2\", \"action\": \"submit\"}"),
                     400);
    j = body_json(&rater);
    e = json_object_get(j, "errors");
    assert_string_equal(json_string_value(json_object_get(e, "rating.system-fit")),
                        "Area 1, statement 1: choose one of the answers");
    assert_null(json_object_get(e, "rating.system-partners"));
    assert_non_null(
        strstr(json_string_value(json_object_get(e, "rating.no-such")), "not a statement"));
    json_decref(j);
    /* ratings only with a submission */
    assert_int_equal(tc_post_json(&rater, uri, "{\"rating.system-fit\": 2, \"action\": \"later\"}"),
                     400);
    j = body_json(&rater);
    assert_non_null(
        strstr(json_string_value(json_object_get(json_object_get(j, "errors"), "action")),
               "only with a submission"));
    json_decref(j);
    /* a rating left empty is no rating: with no draft either, the same clear refusal */
    assert_int_equal(
        tc_post_json(&rater, uri, "{\"rating.system-fit\": \"\", \"action\": \"submit\"}"), 400);
    j = body_json(&rater);
    assert_non_null(
        strstr(json_string_value(json_object_get(json_object_get(j, "errors"), "action")),
               "send the ratings with the submission"));
    json_decref(j);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_responses", NULL), before);
    /* answers and comments in one request: submitted, texts redacted, no draft kept */
    tc_reset(&rater);
    assert_int_equal(tc_post_json(&rater, uri,
                                  "{\"rating.system-fit\": 4, \"rating.system-partners\": \"2\", "
                                  "\"rating.system-drivers\": \"\", \"strengths\": \"Ring me on "
                                  "07700 900123\", \"differently\": \"One step\", \"action\": "
                                  "\"submit\"}"),
                     200);
    snprintf(first, sizeof first, "%.*s", (int)rater.res.len, rater.res.body);
    j = body_json(&rater);
    assert_true(json_is_true(json_object_get(j, "submitted")));
    json_decref(j);
    assert_null(tc_cookie(&rater, "ahp_fb"));
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_responses", NULL), before + 1);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_responses WHERE differently = "
                       "'One step' AND rater_group = 'report' AND strengths NOT LIKE '%07700%'",
                       NULL),
                     1);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_ratings g JOIN "
                       "develop_feedback_responses s ON s.response_key = g.response_key WHERE "
                       "s.differently = 'One step'",
                       NULL),
                     2);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_invitations WHERE used = 1 AND "
                       "email <> ''",
                       NULL),
                     0);
    /* again through the answered link: the same answer, word for word, and nothing stored */
    tc_reset(&rater);
    assert_int_equal(tc_post_json(&rater, uri,
                                  "{\"rating.system-fit\": 1, \"differently\": \"Second try\", "
                                  "\"action\": \"submit\"}"),
                     200);
    assert_int_equal(rater.res.len, strlen(first));
    assert_memory_equal(rater.res.body, first, rater.res.len);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_responses WHERE differently = "
                       "'Second try'",
                       NULL),
                     0);
    /* a browser that kept a draft and sends answers with its submission: the answers sent
     * are submitted, and its draft goes */
    tc_reset(&rater);
    snprintf(uri, sizeof uri, "/api/v1/feedback/%s/domain/1", t[1]);
    before = q("SELECT COUNT(*) FROM develop_feedback_drafts", NULL);
    assert_int_equal(tc_post_json(&rater, uri, "{\"rating.system-fit\": \"1\"}"), 200);
    assert_true(q("SELECT COUNT(*) FROM develop_feedback_drafts", NULL) > before);
    snprintf(uri, sizeof uri, "/api/v1/feedback/%s/comments", t[1]);
    assert_int_equal(tc_post_json(&rater, uri,
                                  "{\"rating.system-fit\": 3, \"differently\": \"Sent whole\", "
                                  "\"action\": \"submit\"}"),
                     200);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_drafts", NULL), before);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_ratings g JOIN "
                       "develop_feedback_responses s ON s.response_key = g.response_key WHERE "
                       "s.differently = 'Sent whole' AND g.behaviour = 'system-fit' AND "
                       "g.rating = 3",
                       NULL),
                     1);
    /* whichever way an answer came, it stores only the statements rated: a draft's unrated
     * rows (an area opened and left) would record how it was submitted and where the rater
     * went */
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_ratings WHERE rating = 0", NULL), 0);
    assert_true(q("SELECT COUNT(*) FROM develop_feedback_ratings", NULL) > 2);
}

/* What a rater is told is what happens: comments are listed alphabetically (above, the
 * report), the link keeps working after a submission (rule 9), and the scale has no "not
 * seen" answer, so a statement not seen is left out. */
static void test_what_raters_are_told(void **state)
{
    char t[1][65];
    (void)state;
    api_request("told", "peer", 1, t);
    tc_reset(&rater);
    assert_int_equal(get(&rater, "/feedback/%s", t[0]), 200);
    assert_true(tc_body_has(&rater, "Your comments are shown in alphabetical order, not the order "
                                    "they were written"));
    assert_false(tc_body_has(&rater, "random order"));
    assert_true(tc_body_has(&rater, "If you have not seen them in that situation, leave that "
                                    "statement out"));
    assert_false(tc_body_has(&rater, "say so"));
    assert_false(tc_body_has(&rater, "I have not seen this"));
    assert_int_equal(get(&rater, "/feedback/%s/domain/1", t[0]), 200);
    assert_false(tc_body_has(&rater, "I have not seen this"));
    assert_int_equal(get(&rater, "/feedback/%s/comments", t[0]), 200);
    assert_true(tc_body_has(&rater, "in alphabetical order, not the order they were written"));
    assert_false(tc_body_has(&rater, "random order"));
    assert_true(tc_body_has(&rater, "your answers are final: anything changed or submitted "
                                    "through this link after that is not taken"));
    assert_false(tc_body_has(&rater, "stops working"));
    /* and it is so: after submitting, the link opens as before */
    answer(t[0], 3, "Fine");
    tc_reset(&rater);
    assert_int_equal(get(&rater, "/feedback/%s/comments", t[0]), 200);
    assert_true(tc_body_has(&rater, "not taken"));
}

/* An action that is neither a save nor a submission is refused by name, and nothing is kept:
 * a mistyped "submit" answered as a save would leave the rater believing they had answered. */
static void test_unknown_action_is_refused(void **state)
{
    char t[1][65], uri[160];
    int64_t drafts = q("SELECT COUNT(*) FROM develop_feedback_draft_texts", NULL);
    int64_t answers = q("SELECT COUNT(*) FROM develop_feedback_responses", NULL);
    json_t *j;
    (void)state;
    api_request("maybe", "peer", 1, t);
    tc_reset(&rater);
    snprintf(uri, sizeof uri, "/api/v1/feedback/%s/comments", t[0]);
    assert_int_equal(
        tc_post_json(&rater, uri, "{\"strengths\": \"Maybe words\", \"action\": \"maybe\"}"), 400);
    j = body_json(&rater);
    assert_non_null(strstr(
        json_string_value(json_object_get(json_object_get(j, "errors"), "action")), "\"submit\""));
    assert_null(json_object_get(j, "saved"));
    json_decref(j);
    assert_int_equal(
        tc_post_json(&rater, uri, "{\"rating.system-fit\": 2, \"action\": \"submitt\"}"), 400);
    j = body_json(&rater);
    assert_non_null(json_object_get(json_object_get(j, "errors"), "action"));
    json_decref(j);
    assert_null(tc_cookie(&rater, "ahp_fb"));
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_draft_texts", NULL), drafts);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_responses", NULL), answers);
    /* the page's own buttons, and the API's "save", still save */
    assert_int_equal(tc_post_json(&rater, uri, "{\"strengths\": \"Kept\", \"action\": \"save\"}"),
                     200);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_feedback_draft_texts", NULL), drafts + 1);
    assert_int_equal(get(&rater, "/feedback/%s/comments", t[0]), 200);
    assert_int_equal(post(&rater, "/feedback/%s/comments", t[0], "strengths=Kept&action=later"),
                     200);
    assert_int_equal(post(&rater, "/feedback/%s/comments", t[0], "strengths=Kept&action=maybe"),
                     400);
    assert_true(tc_body_has(&rater, "Save and come back later"));
    assert_true(tc_body_has(&rater, "Kept"));
}

/* A line manager and 2 peers answer: the peers, fewer than 3, are shown nowhere, so the
 * manager's is the only view shown. The summary compares with the manager and says so, and
 * never that "others" agree when the manager rated every statement 4 against the member's
 * own 3 and 2. */
static void test_only_the_manager_is_compared(void **state)
{
    char uri[160], body[600], closes[16], t[3][65];
    time_t when = time(NULL) + 7 * 86400;
    struct tm tm;
    json_t *j, *rep, *d0;
    (void)state;
    gmtime_r(&when, &tm);
    strftime(closes, sizeof closes, "%Y-%m-%d", &tm);
    snprintf(body, sizeof body,
             "{\"closes\": \"%s\", \"raters\": [{\"email\": \"lm@example.test\", \"group\": "
             "\"manager\"}, {\"email\": \"pa@example.test\", \"group\": \"peer\"}, "
             "{\"email\": \"pb@example.test\", \"group\": \"peer\"}]}",
             closes);
    snprintf(uri, sizeof uri, "/api/v1/develop/self/%lld/feedback", (long long)self_id);
    assert_int_equal(tc_post_json(&member, uri, body), 201);
    j = body_json(&member);
    for (int i = 0; i < 3; i++) {
        const char *link = json_string_value(
            json_object_get(json_array_get(json_object_get(j, "raters"), (size_t)i), "link"));
        assert_non_null(link);
        snprintf(t[i], sizeof t[i], "%s", link + strlen(link) - 64);
    }
    snprintf(uri, sizeof uri, "/develop/feedback/%lld/close",
             (long long)json_integer_value(json_object_get(j, "id")));
    json_decref(j);
    answer(t[0], 4, "Steady");
    answer(t[1], 2, "Calm");
    answer(t[2], 3, "Kind");
    assert_int_equal(tc_post_form(&member, uri, "", 1), 303);
    uri[strlen(uri) - strlen("/close")] = '\0';
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "Only your line manager’s answers can be shown"));
    assert_false(tc_body_has(&member, "view is within"));
    assert_true(tc_body_has(
        &member,
        "Your line manager rated “Understanding the system and its context” 1.5 above your "
        "own rating (you 2.5, your line manager 4)."));
    assert_true(tc_body_has(&member, "Your line manager rated this higher than you did"));
    assert_true(testapp_tidy(member.res.body, member.res.len, "feedback manager only") < 2);
    assert_int_equal(tc_get_json(&member, uri), 200);
    j = body_json(&member);
    rep = json_object_get(j, "report");
    assert_int_equal(json_array_size(json_object_get(rep, "cells")), 1);
    assert_string_equal(json_string_value(json_object_get(rep, "compared_with")), "manager");
    assert_int_equal(json_integer_value(json_object_get(rep, "compared_areas")), 1);
    assert_int_equal(json_array_size(json_object_get(rep, "hidden_strengths")), 1);
    assert_int_equal(json_array_size(json_object_get(rep, "blind_spots")), 0);
    d0 = json_array_get(json_object_get(rep, "domains"), 0);
    assert_true(json_is_number(json_object_get(d0, "gap")));
    assert_true(json_number_value(json_object_get(d0, "gap")) == 1.5);
    json_decref(j);
}

/* Only the line manager answers, and only in an area the member did not rate: nothing can be
 * compared, and the page says so instead of saying that others agree. */
static void test_nothing_to_compare(void **state)
{
    char t[1][65], uri[160];
    json_t *j, *rep;
    int64_t id;
    (void)state;
    api_request("lone", "manager", 1, t);
    id = q("SELECT MAX(id) FROM develop_feedback_requests", NULL);
    tc_reset(&rater);
    snprintf(uri, sizeof uri, "/api/v1/feedback/%s/comments", t[0]);
    assert_int_equal(
        tc_post_json(&rater, uri, "{\"rating.vision-describe\": 4, \"action\": \"submit\"}"), 200);
    snprintf(uri, sizeof uri, "/develop/feedback/%lld/close", (long long)id);
    assert_int_equal(tc_post_form(&member, uri, "", 1), 303);
    snprintf(uri, sizeof uri, "/develop/feedback/%lld", (long long)id);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "No area had enough answers to compare others’ view with "
                                     "your own."));
    assert_false(tc_body_has(&member, "view is within"));
    snprintf(uri, sizeof uri, "/api/v1/develop/feedback/%lld", (long long)id);
    assert_int_equal(tc_get_json(&member, uri), 200);
    j = body_json(&member);
    rep = json_object_get(j, "report");
    assert_string_equal(json_string_value(json_object_get(rep, "compared_with")), "manager");
    assert_int_equal(json_integer_value(json_object_get(rep, "compared_areas")), 0);
    json_decref(j);
}

static int setup(void **state)
{
    char uri[96];
    (void)state;
    app = testapp_new();
    testapp_user(app, "member@example.test", "member", PW);
    testapp_user(app, "other@example.test", "member", PW);
    tc_init(&member, app);
    tc_init(&other, app);
    tc_init(&rater, app);
    tc_init(&started, app);
    if (tc_login(&member, "member@example.test", PW) != 303 ||
        tc_login(&other, "other@example.test", PW) != 303)
        return -1;
    /* a submitted self-assessment to ask about */
    if (tc_post_form(&member, "/develop/start", "", 1) != 303)
        return -1;
    self_id = q("SELECT MAX(id) FROM develop_self_assessments", NULL);
    snprintf(uri, sizeof uri, "/develop/self/%lld/domain/1", (long long)self_id);
    if (tc_post_form(&member, uri, "rating.system-fit=3&rating.system-partners=2", 1) != 303)
        return -1;
    snprintf(uri, sizeof uri, "/develop/self/%lld/submit", (long long)self_id);
    return tc_post_form(&member, uri, "", 1) == 303 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&member);
    tc_free(&other);
    tc_free(&rater);
    tc_free(&started);
    testapp_free(app);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ask_for_feedback),
        cmocka_unit_test(test_raters_answer),
        cmocka_unit_test(test_remind_then_close_and_read),
        cmocka_unit_test(test_closed_link_takes_nothing),
        cmocka_unit_test(test_api_journey_and_deletion),
        cmocka_unit_test(test_links_only_mailed_with_a_mail_server),
        cmocka_unit_test(test_new_drafts_are_limited),
        cmocka_unit_test(test_failed_save_gives_its_count_back),
        cmocka_unit_test(test_api_submit_without_cookie),
        cmocka_unit_test(test_only_the_manager_is_compared),
        cmocka_unit_test(test_what_raters_are_told),
        cmocka_unit_test(test_unknown_action_is_refused),
        cmocka_unit_test(test_nothing_to_compare),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
