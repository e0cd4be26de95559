/* opinion_rule_test.c: which contributions an analysis run counts in its opinion groups, and
 * which it may name (src/listen/runs.c opinion_build)
 *
 * Pol.is counts the votes on moderated-out comments toward who is "in the conversation" and
 * in its projection's scaling, and it counts comments not yet moderated like accepted ones.
 * The server does the same, but names only shown contributions: a rejected, withdrawn or
 * hidden one, or one still waiting for moderation, never appears in a result.
 *
 * Set-up: an open exercise with eight shown contributions, one rejected, one withdrawn, one
 * hidden and one waiting. Forty people in two camps vote on all twelve; ten more vote on six
 * shown ones and on the rejected one. With the rejected vote counted, those ten reach the
 * threshold of min(7, statements voted on) = 7 votes, so 50 people are in the analysis (40 if
 * only the shown contributions counted). The run's stored document must say 50 and must not
 * hold the text of any contribution that is not shown, although the waiting one splits the
 * camps as sharply as any shown one.
 *
 * Runs on the database AHPHUB_TEST_DB names (SQLite or PostgreSQL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "listen/analysis.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct test_client fac;
static char slug[32];
static const char *PW = "correct horse battery";

static int setup(void **state)
{
    const char *loc;
    char uri[64];
    (void)state;
    app = testapp_new();
    testapp_user(app, "fac@example.test", "facilitator", PW);
    tc_init(&fac, app);
    if (tc_login(&fac, "fac@example.test", PW) != 303)
        return -1;
    if (tc_post_form(&fac, "/listen/new",
                     "title=Opinion+rule+test&audience_citizen=1&moderation=post"
                     "&flag_threshold=3&prompts=What+matters%3F",
                     1) != 303)
        return -1;
    loc = lb_header(&fac.res, "Location");
    snprintf(slug, sizeof slug, "%s", loc + 8);
    snprintf(uri, sizeof uri, "/listen/%s/status", slug);
    return tc_post_form(&fac, uri, "status=open", 1) == 303 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&fac);
    testapp_free(app);
    return 0;
}

/* Contribution i: 0..7 shown (camp 0 agrees with the even ones), 8 rejected, 9 withdrawn,
 * 10 hidden, 11 waiting. The bodies of 8..11 carry a marker that must never be stored. */
static const char *const status_of[12] = {"approved", "approved",  "approved", "approved",
                                          "approved", "approved",  "approved", "approved",
                                          "rejected", "withdrawn", "approved", "pending"};

static void test_counted_as_polis_named_only_if_shown(void **state)
{
    struct db *db = NULL;
    struct db_stmt *st = NULL;
    struct arena *a = arena_new();
    struct listen_analysis r;
    int64_t exercise, author, cid[12];
    char uri[96];
    (void)state;
    assert_non_null(a);
    assert_int_equal(db_open(testapp_db_url(), &db), 0);
    assert_int_equal(db_row(db, "SELECT id FROM listen_exercises WHERE slug = $1", &st, "t", slug),
                     0);
    exercise = db_col_int(st, 0);
    db_finalize(st);
    assert_int_equal(db_run(db,
                            "INSERT INTO listen_participants (exercise_id, pseudonym, created_at) "
                            "VALUES ($1, 'author', 1)",
                            "i", exercise),
                     0);
    assert_int_equal(db_row(db,
                            "SELECT id FROM listen_participants WHERE exercise_id = $1 AND "
                            "pseudonym = 'author'",
                            &st, "i", exercise),
                     0);
    author = db_col_int(st, 0);
    db_finalize(st);
    for (int i = 0; i < 12; i++) {
        char body[96];
        if (i < 8)
            snprintf(body, sizeof body, "Shown statement number %d about %s", i,
                     i % 2 ? "training budgets" : "waiting lists");
        else
            snprintf(body, sizeof body, "NOTSHOWN%d statement about %s", i,
                     i % 2 ? "training budgets" : "waiting lists");
        assert_int_equal(db_run(db,
                                "INSERT INTO listen_contributions (exercise_id, participant_id, "
                                "body, status, hidden, created_at, updated_at) "
                                "VALUES ($1, $2, $3, $4, $5, 1, 1)",
                                "iitti", exercise, author, body, status_of[i], (int64_t)(i == 10)),
                         0);
        assert_int_equal(db_row(db,
                                "SELECT id FROM listen_contributions WHERE exercise_id = $1 "
                                "AND body = $2",
                                &st, "it", exercise, body),
                         0);
        cid[i] = db_col_int(st, 0);
        db_finalize(st);
    }
    /* 40 in two camps on all twelve; 10 sparse voters on 0..5 and the rejected one */
    for (int p = 0; p < 50; p++) {
        char name[16];
        int64_t pid;
        snprintf(name, sizeof name, "p-%02d", p);
        assert_int_equal(db_run(db,
                                "INSERT INTO listen_participants (exercise_id, pseudonym, "
                                "created_at) VALUES ($1, $2, 1)",
                                "it", exercise, name),
                         0);
        assert_int_equal(db_row(db,
                                "SELECT id FROM listen_participants WHERE exercise_id = $1 AND "
                                "pseudonym = $2",
                                &st, "it", exercise, name),
                         0);
        pid = db_col_int(st, 0);
        db_finalize(st);
        for (int i = 0; i < 12; i++) {
            int camp = p % 2, vote;
            if (p >= 40 && !(i < 6 || i == 8))
                continue;
            vote = (i % 2 == 0) == (camp == 0) ? 1 : -1;
            if (p >= 40 && i == (p % 6))
                vote = 0; /* spread the sparse voters */
            assert_int_equal(db_run(db,
                                    "INSERT INTO listen_votes (contribution_id, participant_id, "
                                    "vote, created_at, updated_at) VALUES ($1, $2, $3, 1, 1)",
                                    "iii", cid[i], pid, (int64_t)vote),
                             0);
        }
    }
    snprintf(uri, sizeof uri, "/listen/%s/analysis", slug);
    assert_int_equal(tc_post_form(&fac, uri, "k=2", 1), 303);
    {
        bool ran = false;
        assert_int_equal(listen_analysis_run_next(db, &ran), 0);
        assert_true(ran);
    }
    assert_int_equal(db_row(db,
                            "SELECT result FROM listen_analysis_runs WHERE exercise_id = $1 "
                            "AND status = 'done' ORDER BY id DESC LIMIT 1",
                            &st, "i", exercise),
                     0);
    /* nothing that is not shown is stored, in any field */
    assert_null(strstr(db_col_text(st, 0), "NOTSHOWN"));
    assert_int_equal(listen_analysis_parse(a, db_col_text(st, 0), db_col_len(st, 0), &r), 0);
    db_finalize(st);
    assert_non_null(r.opinion);
    assert_true(r.opinion->has_groups);
    assert_int_equal(r.opinion->ngroups, 2);
    /* the ten sparse voters are in thanks to their vote on the rejected contribution */
    assert_string_equal(r.opinion->participants, "50");
    for (size_t g = 0; g < r.opinion->ngroups; g++)
        assert_true(r.opinion->groups[g].nstatements > 0);
    arena_free(a);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counted_as_polis_named_only_if_shown),
    };
    return cmocka_run_group_tests_name("http/opinion_rule", tests, setup, teardown);
}
