/* demo_test.c: the demonstration assessment rounds
 *
 * The demo is what people first see of Assess, so its figures must tell the story the
 * design promises: national means near the published baselines (digital leadership 28, AI
 * 38, data analytics 50), a pilot round a little lower, professions that differ, rounds in
 * the right states, and a second run that changes nothing.
 *
 * Runs on the database AHPHUB_TEST_DB names (SQLite or PostgreSQL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "assess/assess.h"
#include "assess/demo.h"
#include "assess/round.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "support/testapp.h"

#define RESPONSES 3000

static struct app *app;
static struct db *db;

#define NTABLES 5
static const char *const count_sql[NTABLES] = {
    "SELECT count(*) FROM assess_instruments", "SELECT count(*) FROM assess_rounds",
    "SELECT count(*) FROM assess_invitations", "SELECT count(*) FROM assess_responses",
    "SELECT count(*) FROM organisations",
};

static void count_rows(int64_t out[NTABLES])
{
    for (int i = 0; i < NTABLES; i++) {
        struct db_stmt *st = NULL;
        assert_int_equal(db_row(db, count_sql[i], &st, ""), APP_OK);
        out[i] = db_col_int(st, 0);
        db_finalize(st);
    }
}

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    db = db_pool_get(app->pool);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_pool_put(app->pool, db);
    testapp_free(app);
    return 0;
}

static struct assess_round *find(struct assess_round *list, size_t n, const char *title)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i].title, title))
            return &list[i];
    fail_msg("no round \"%s\"", title);
    return NULL;
}

/* Mean percentage per domain of the round's submitted responses (scored ones only), and the
 * same for the respondents of one profession. */
struct means {
    double all[ASSESS_MAX_DOMAINS], prof[ASSESS_MAX_DOMAINS], overall_sd;
    size_t n;
};

static void round_means(struct arena *a, const struct assess_round *r,
                        const struct assess_instrument *ins, const char *profession,
                        struct means *m)
{
    struct assess_response *list;
    struct assess_score doms[ASSESS_MAX_DOMAINS], overall;
    double sum[ASSESS_MAX_DOMAINS] = {0}, psum[ASSESS_MAX_DOMAINS] = {0}, osum = 0, osq = 0;
    size_t cnt[ASSESS_MAX_DOMAINS] = {0}, pcnt[ASSESS_MAX_DOMAINS] = {0}, on = 0;
    assert_int_equal(assess_response_submitted(db, a, r->id, &list, &m->n), APP_OK);
    for (size_t i = 0; i < m->n; i++) {
        bool mine = profession && !strcmp(list[i].profession, profession);
        assert_true(assess_answers_valid(ins, list[i].answers));
        assert_int_equal(
            assess_score(ins, list[i].answers, strlen(list[i].answers), doms, &overall), APP_OK);
        for (size_t d = 0; d < ins->ndomains; d++)
            if (doms[d].scored) {
                sum[d] += doms[d].percent;
                cnt[d]++;
                if (mine) {
                    psum[d] += doms[d].percent;
                    pcnt[d]++;
                }
            }
        if (overall.scored) {
            osum += overall.percent;
            osq += overall.percent * overall.percent;
            on++;
        }
    }
    for (size_t d = 0; d < ins->ndomains; d++) {
        m->all[d] = cnt[d] ? sum[d] / (double)cnt[d] : 0;
        m->prof[d] = pcnt[d] ? psum[d] / (double)pcnt[d] : 0;
    }
    m->overall_sd = on > 1 ? sqrt(osq / (double)on - (osum / (double)on) * (osum / (double)on)) : 0;
}

static size_t domain_index(const struct assess_instrument *ins, const char *id)
{
    for (size_t d = 0; d < ins->ndomains; d++)
        if (!strcmp(ins->domains[d].id, id))
            return d;
    fail_msg("no domain %s", id);
    return 0;
}

static void test_demo(void **state)
{
    struct arena *a = arena_new();
    struct assess_round *list;
    struct assess_round *base, *pilot, *open, *wgll;
    struct assess_instrument ins;
    struct means mb, mp, radiographers;
    int64_t first[NTABLES], second[NTABLES], now = (int64_t)time(NULL);
    size_t n, lead, ai, data;
    clock_t t0;
    (void)state;
    t0 = clock();
    assert_int_equal(assess_demo(db, RESPONSES), APP_OK);
    fprintf(stderr, "# demo with %d responses: %.2f s of CPU\n", RESPONSES,
            (double)(clock() - t0) / CLOCKS_PER_SEC);
    count_rows(first);
    assert_int_equal(first[1], 4);
    assert_int_equal(first[2], 7);
    assert_int_equal(first[3], RESPONSES + RESPONSES / 5 + 40);
    assert_int_equal(assess_demo(db, RESPONSES), APP_OK);
    count_rows(second);
    for (int i = 0; i < NTABLES; i++)
        assert_int_equal(first[i], second[i]);

    assert_int_equal(assess_round_list(db, a, &list, &n), APP_OK);
    base = find(list, n, "AHP digital capability baseline 2025");
    pilot = find(list, n, "AHP digital capability pilot 2024");
    open = find(list, n, "AHP digital capability 2026");
    wgll = find(list, n, "What Good Looks Like self-assessment 2026");
    assert_int_equal(assess_round_state(base, now), ARS_CLOSED);
    assert_int_equal(assess_round_state(pilot, now), ARS_CLOSED);
    assert_int_equal(assess_round_state(open, now), ARS_OPEN);
    assert_int_equal(assess_round_state(wgll, now), ARS_OPEN);
    assert_int_equal(open->closes_at, 0);
    assert_int_equal(wgll->closes_at, 0);
    assert_true(base->anonymous && pilot->anonymous && open->anonymous);
    assert_false(wgll->anonymous);
    assert_string_equal(wgll->audience, "organisation");
    assert_string_equal(wgll->instrument_code, "wgll-organisation");
    assert_int_equal(assess_round_count(db, base), APP_OK);
    assert_int_equal(assess_round_count(db, pilot), APP_OK);
    assert_int_equal(assess_round_count(db, open), APP_OK);
    assert_int_equal(assess_round_count(db, wgll), APP_OK);
    assert_int_equal(base->submitted, RESPONSES);
    assert_int_equal(pilot->submitted, RESPONSES / 5);
    assert_int_equal(open->started, 0);
    assert_int_equal(wgll->submitted, 40);
    assert_true(pilot->closes_at < base->opens_at);

    assert_int_equal(assess_version_load(db, NULL, a, base->instrument_id, &ins), APP_OK);
    lead = domain_index(&ins, "leadership");
    ai = domain_index(&ins, "ai");
    data = domain_index(&ins, "data");
    round_means(a, base, &ins, "radiographer", &mb);
    radiographers = mb;
    assert_int_equal(mb.n, RESPONSES);
    fprintf(stderr, "# national means: leadership %.1f, AI %.1f, data %.1f; overall sd %.1f\n",
            mb.all[lead], mb.all[ai], mb.all[data], mb.overall_sd);
    assert_true(fabs(mb.all[lead] - 28) <= 4);
    assert_true(fabs(mb.all[ai] - 38) <= 4);
    assert_true(fabs(mb.all[data] - 50) <= 4);
    for (size_t d = 0; d < ins.ndomains; d++)
        assert_true(mb.all[d] >= 24 && mb.all[d] <= 70);
    /* real spread between people, and professions that differ */
    assert_true(mb.overall_sd > 8);
    assert_true(radiographers.prof[ai] > mb.all[ai] + 3);
    round_means(a, pilot, &ins, NULL, &mp);
    for (size_t d = 0; d < ins.ndomains; d++)
        assert_true(mp.all[d] < mb.all[d]);

    /* the organisational round: each response through its organisation's link */
    {
        struct assess_response *s;
        assert_int_equal(assess_response_submitted(db, a, wgll->id, &s, &n), APP_OK);
        assert_int_equal(n, 40);
        for (size_t i = 0; i < n; i++) {
            assert_true(s[i].organisation_id > 0);
            assert_true(s[i].invitation_id > 0);
            assert_int_equal(s[i].user_id, 0);
            assert_true(s[i].submitted_at > wgll->opens_at && s[i].submitted_at < now);
        }
    }
    arena_free(a);
}

/* A member's own named assessment: made once, submitted, theirs, and every item answered. */
static void test_demo_member(void **state)
{
    struct arena *a = arena_new();
    struct assess_response s;
    struct db_stmt *st = NULL;
    int64_t uid = testapp_user(app, "demo-member@example.test", "member", "a long password here");
    int64_t round;
    int made = -1;
    (void)state;
    assert_int_equal(assess_demo_member(db, uid, "podiatrist", "london", &made), APP_OK);
    assert_int_equal(made, 1);
    assert_int_equal(assess_demo_member(db, uid, "podiatrist", "london", &made), APP_OK);
    assert_int_equal(made, 0);
    assert_int_equal(db_row(db,
                            "SELECT id FROM assess_rounds WHERE title = $1 AND mode = 'named'",
                            &st, "t", "Leadership programme: digital capability check-in 2026"),
                     APP_OK);
    round = db_col_int(st, 0);
    db_finalize(st);
    assert_int_equal(assess_response_by_user(db, a, round, uid, &s), APP_OK);
    assert_true(s.submitted_at > 0);
    assert_string_equal(s.profession, "podiatrist");
    assert_null(strchr(s.answers, '-'));
    assert_int_equal(db_row(db, "SELECT count(*) FROM assess_responses WHERE user_id = $1", &st,
                            "i", uid),
                     APP_OK);
    assert_int_equal(db_col_int(st, 0), 1);
    db_finalize(st);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo),
        cmocka_unit_test(test_demo_member),
    };
    return cmocka_run_group_tests_name("assess/demo", tests, setup, teardown);
}
