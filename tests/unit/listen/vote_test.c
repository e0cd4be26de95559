/* vote_test.c: src/listen/vote.c — one vote per participant and contribution, counters that
 * always equal the votes table, and flags that hide at the threshold
 *
 * Domain calls only (no HTTP), on SQLite or PostgreSQL (AHPHUB_TEST_DB).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "listen/listen.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct db *db;
static struct arena *a;
static struct listen_exercise ex;
static int64_t author, voter, other;

static int64_t one_int(const char *sql, int64_t arg)
{
    struct db_stmt *st = NULL;
    int64_t v = -1;
    if (db_row(db, sql, &st, "i", arg) == APP_OK)
        v = db_col_int(st, 0);
    db_finalize(st);
    return v;
}

static int64_t participant(void)
{
    char token[LISTEN_TOKEN_HEX];
    int64_t id = 0;
    assert_int_equal(listen_participant_create(db, ex.id, "ahp", "physiotherapist", "london",
                                               token, &id),
                     APP_OK);
    return id;
}

static int64_t contribution(int64_t by, const char *text)
{
    enum listen_cstatus status;
    int64_t id = 0;
    assert_int_equal(listen_contribute(db, &ex, by, ex.prompts[0].id, 0, text, 0, &id, &status),
                     APP_OK);
    assert_int_equal(status, LCS_APPROVED);
    return id;
}

/* agree, disagree, pass and total as stored on the contribution, as one number. */
static int64_t counters(int64_t id)
{
    return one_int("SELECT agree_count * 1000 + disagree_count * 100 + pass_count * 10 + "
                   "vote_count FROM listen_contributions WHERE id = $1",
                   id);
}

/* The same, counted from the votes table. */
static int64_t counted(int64_t id)
{
    return one_int("SELECT COALESCE(SUM(CASE WHEN vote = 1 THEN 1000 WHEN vote = -1 THEN 100 "
                   "ELSE 10 END + 1), 0) FROM listen_votes WHERE contribution_id = $1",
                   id);
}

static int setup(void **state)
{
    const char *prompts[] = {"What works well?"};
    struct listen_exercise_input in = {.title = "Votes", .audiences = "citizen,ahp",
                                       .flag_threshold = 2, .prompts = prompts, .nprompts = 1};
    const char *slug;
    int64_t id;
    (void)state;
    app = testapp_new();
    db = db_pool_get(app->pool);
    a = arena_new();
    if (listen_exercise_create(db, &in, 0, &id, &slug, a) ||
        listen_exercise_set_status(db, id, LS_OPEN, 0) || listen_exercise_get(db, a, slug, &ex))
        return -1;
    author = participant();
    voter = participant();
    other = participant();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(a);
    db_pool_put(app->pool, db);
    testapp_free(app);
    return 0;
}

static void test_a_vote_replaces_the_last(void **state)
{
    int64_t c = contribution(author, "More clinics in the evening");
    (void)state;
    assert_int_equal(counters(c), 0);
    assert_int_equal(listen_vote(db, &ex, voter, c, 1, 0), APP_OK);
    assert_int_equal(counters(c), 1001); /* one agree, one vote */
    assert_int_equal(listen_vote(db, &ex, voter, c, -1, 0), APP_OK);
    assert_int_equal(counters(c), 101); /* moved to disagree, still one vote */
    assert_int_equal(listen_vote(db, &ex, voter, c, -1, 0), APP_OK);
    assert_int_equal(counters(c), 101); /* the same again changes nothing */
    assert_int_equal(listen_vote(db, &ex, other, c, 0, 0), APP_OK);
    assert_int_equal(counters(c), 112); /* a pass is a vote too */
    assert_int_equal(counters(c), counted(c));
    assert_int_equal(one_int("SELECT count(*) FROM listen_votes WHERE contribution_id = $1", c),
                     2);
}

static void test_what_a_vote_refuses(void **state)
{
    int64_t c = contribution(author, "Shorter waiting lists for hearing tests");
    struct listen_exercise closed = ex;
    (void)state;
    assert_int_equal(listen_vote(db, &ex, author, c, 1, 0), APP_E_FORBIDDEN); /* one's own */
    assert_int_equal(listen_vote(db, &ex, voter, c, 2, 0), APP_E_INVALID);
    assert_int_equal(listen_vote(db, &ex, voter, c + 1000, 1, 0), APP_E_NOTFOUND);
    closed.status = LS_CLOSED;
    assert_int_equal(listen_vote(db, &closed, voter, c, 1, 0), APP_E_CLOSED);
    assert_int_equal(counters(c), 0);
}

/* The exercise closed after the caller read it (ex still says open): each write asks the
 * database again in its transaction, answers APP_E_CLOSED, and writes and counts nothing. */
static void test_closed_since_it_was_read(void **state)
{
    int64_t c = contribution(author, "Evening appointments for carers");
    enum listen_cstatus status;
    int64_t id = 0;
    int was = 9;
    (void)state;
    assert_int_equal(listen_vote(db, &ex, voter, c, 1, 0), APP_OK);
    assert_int_equal(listen_exercise_set_status(db, ex.id, LS_CLOSED, 0), APP_OK);
    assert_int_equal(ex.status, LS_OPEN);
    assert_int_equal(listen_vote(db, &ex, voter, c, -1, 5), APP_E_CLOSED);
    assert_int_equal(listen_vote(db, &ex, other, c, 1, 5), APP_E_CLOSED);
    assert_int_equal(listen_vote_undo(db, &ex, voter, c, 5, &was), APP_E_CLOSED);
    assert_int_equal(was, 9);
    assert_int_equal(listen_flag(db, &ex, voter, c, "personal", 5), APP_E_CLOSED);
    assert_int_equal(
        listen_contribute(db, &ex, voter, ex.prompts[0].id, 0, "Too late", 5, &id, &status),
        APP_E_CLOSED);
    assert_int_equal(id, 0);
    assert_int_equal(counters(c), 1001); /* the vote given while open, as it was */
    assert_int_equal(counters(c), counted(c));
    assert_int_equal(one_int("SELECT flag_count FROM listen_contributions WHERE id = $1", c), 0);
    /* nothing was counted against the limits either */
    assert_int_equal(one_int("SELECT rate_votes + rate_posts + rate_flags FROM "
                             "listen_participants WHERE id = $1",
                             voter),
                     0);
    assert_int_equal(listen_exercise_set_status(db, ex.id, LS_OPEN, 0), APP_OK);
    assert_int_equal(listen_vote_undo(db, &ex, voter, c, 0, &was), APP_OK);
    assert_int_equal(was, 1);
}

static void test_the_feed_shows_my_vote(void **state)
{
    int64_t c = contribution(author, "Parking for community staff");
    struct listen_contribution *list = NULL;
    size_t n = 0;
    int64_t total = 0;
    bool seen = false;
    (void)state;
    assert_int_equal(listen_feed(db, a, ex.id, 0, voter, 1, 0, 100, &list, &n, &total), APP_OK);
    for (size_t i = 0; i < n; i++)
        if (list[i].id == c) {
            assert_false(list[i].voted); /* no vote: not a "pass" */
            seen = true;
        }
    assert_true(seen);
    assert_int_equal(listen_vote(db, &ex, voter, c, 0, 0), APP_OK);
    assert_int_equal(listen_feed(db, a, ex.id, 0, voter, 1, 0, 100, &list, &n, &total), APP_OK);
    for (size_t i = 0; i < n; i++)
        if (list[i].id == c) {
            assert_true(list[i].voted);
            assert_int_equal(list[i].my_vote, 0);
        }
}

static void test_flags_hide_at_the_threshold(void **state)
{
    int64_t c = contribution(author, "The ward manager is unkind");
    (void)state;
    assert_int_equal(listen_flag(db, &ex, voter, c, "personal", 0), APP_OK);
    assert_int_equal(listen_flag(db, &ex, voter, c, "personal", 0), APP_OK); /* once each */
    assert_int_equal(one_int("SELECT hidden FROM listen_contributions WHERE id = $1", c), 0);
    assert_int_equal(listen_flag(db, &ex, author, c, "personal", 0), APP_E_FORBIDDEN);
    assert_int_equal(listen_flag(db, &ex, other, c, "", 0), APP_E_INVALID);
    assert_int_equal(listen_flag(db, &ex, other, c, "personal", 0), APP_OK);
    assert_int_equal(one_int("SELECT flag_count * 10 + hidden FROM listen_contributions "
                             "WHERE id = $1",
                             c),
                     21);
    /* hidden: no longer shown, so no more votes */
    assert_int_equal(listen_vote(db, &ex, voter, c, 1, 0), APP_E_NOTFOUND);
}

/* Undo takes the vote and its counts back in one go; one statement at a time walks the
 * participant's statements, and the progress counts them. */
static void test_undo_and_one_at_a_time(void **state)
{
    int64_t c1 = contribution(author, "Undo me if you like"), me = participant();
    int64_t c2 = contribution(author, "The next one in line"), voted = -1, total = -1;
    int64_t mine = contribution(me, "My own, never asked of me");
    struct listen_contribution next, got;
    bool found = false;
    int was = 9;
    (void)state;
    (void)mine;
    assert_int_equal(listen_vote_progress(db, ex.id, me, &voted, &total), APP_OK);
    assert_int_equal(voted, 0);
    assert_true(total >= 2);
    assert_int_equal(listen_vote(db, &ex, me, c1, -1, 0), APP_OK);
    assert_int_equal(counters(c1), counted(c1));
    assert_int_equal(listen_vote_undo(db, &ex, me, c1, 0, &was), APP_OK);
    assert_int_equal(was, -1);
    assert_int_equal(counters(c1), counted(c1));
    assert_int_equal(one_int("SELECT count(*) FROM listen_votes WHERE contribution_id = $1", c1),
                     0);
    /* nothing left to undo, and no count goes below what the table says */
    assert_int_equal(listen_vote_undo(db, &ex, me, c1, 0, NULL), APP_E_NOTFOUND);
    assert_int_equal(counters(c1), counted(c1));
    /* the next statement is never one's own, and never one already voted on */
    for (int i = 0; i < 50; i++) {
        assert_int_equal(listen_statement_next(db, a, ex.id, me, 7, &next, &found), APP_OK);
        if (!found)
            break;
        assert_false(next.mine);
        assert_false(next.voted);
        assert_int_equal(listen_vote(db, &ex, me, next.id, 1, 0), APP_OK);
    }
    assert_false(found);
    assert_int_equal(listen_vote_progress(db, ex.id, me, &voted, &total), APP_OK);
    assert_int_equal(voted, total);
    /* a statement by id: with the participant's vote; one's own is not one */
    assert_int_equal(listen_statement_get(db, a, &ex, me, c2, &got), APP_OK);
    assert_true(got.voted && got.my_vote == 1);
    assert_int_equal(listen_statement_get(db, a, &ex, me, mine, &got), APP_E_NOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_vote_replaces_the_last),
        cmocka_unit_test(test_what_a_vote_refuses),
        cmocka_unit_test(test_closed_since_it_was_read),
        cmocka_unit_test(test_the_feed_shows_my_vote),
        cmocka_unit_test(test_flags_hide_at_the_threshold),
        cmocka_unit_test(test_undo_and_one_at_a_time),
    };
    return cmocka_run_group_tests_name("listen/vote", tests, setup, teardown);
}
