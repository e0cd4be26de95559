/* connect_round_test.c: matching rounds through the database, called as the pages call them
 *
 * On 60 random small instances (profiles saved as members save them, a cohort, eligibility
 * and conflicts) the round's total equals the brute-force optimum of the same pairs, and no
 * match breaks a rule (capacity, eligibility, conflicts in either direction, one match per
 * mentee); every explanation names the factors that scored. A decline rematches without
 * the declined pair; self-select takes only one of the five; shares follow the disclosure
 * rule; conflict pairs and mentoring hours read back. Runs on SQLite and PostgreSQL.
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

#include "account/cohort.h"
#include "connect/conflict.h"
#include "connect/match.h"
#include "connect/mentoring.h"
#include "connect/score.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rand.h"
#include "store/db.h"
#include "support/testapp.h"

#define POOL 24

static struct app *app;
static struct db *db;
static int64_t users[POOL], lead;
static const char *const AREAS[] = {"research", "digital", "clinical-safety",
                                    "quality-improvement"};
static const char *const PROFS[] = {"physiotherapist", "paramedic", "dietitian"};
static const char *const REGS[] = {"london", "north-west"};
static const char *const BANDS[] = {"5", "6", "7", "8a", "8b", "9"};
static const char *const PREFS[] = {"any", "other", "same"};
static int cohort_seq;

static char *email_of(int i)
{
    static char buf[POOL][40];
    snprintf(buf[i], sizeof buf[i], "p%d@example.test", i);
    return buf[i];
}

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    db = db_pool_get(app->pool);
    lead = testapp_user(app, "lead@example.test", "facilitator", "correct horse battery");
    for (int i = 0; i < POOL; i++) {
        char name[32];
        snprintf(name, sizeof name, "Person %02d", i);
        if (db_run_int(db,
                       "INSERT INTO users (email, display_name, role, password_hash, created_at, "
                       "updated_at) VALUES ($1, $2, 'member', '', 1, 1) RETURNING id",
                       &users[i], "tt", email_of(i), name))
            return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_pool_put(app->pool, db);
    testapp_free(app);
    return 0;
}

/* One generated person, as the test keeps them for the brute force. */
struct gen {
    bool mentor, seeks;
    const char *offers[4], *seeks_areas[4];
    size_t noffers, nseeks;
    const char *prof, *region, *org, *band, *pref;
    bool outside, accredited, coaching;
    int64_t places, hours;
    int excl; /* index of someone they must not be matched with, or -1 */
};

static void save_profile(struct arena *a, int i, const struct gen *g)
{
    struct connect_profile p;
    struct connect_field_error *errs;
    size_t nerrs;
    const char *ex[1];
    memset(&p, 0, sizeof p);
    p.user_id = users[i];
    p.matching = true;
    p.directory_role = "";
    p.offers_mentoring = g->mentor && !g->coaching;
    p.offers_coaching = g->mentor && g->coaching;
    p.coach_accredited = g->mentor && g->coaching && g->accredited;
    p.offers = g->mentor ? (const char **)g->offers : NULL;
    p.noffers = g->mentor ? g->noffers : 0;
    p.seeks_kind = g->seeks ? (g->coaching ? "coaching" : "mentoring") : "";
    p.seeks = g->seeks ? (const char **)g->seeks_areas : NULL;
    p.nseeks = g->seeks ? g->nseeks : 0;
    p.profession = g->prof;
    p.region = g->region;
    p.organisation = g->org;
    p.band = g->band;
    p.max_mentees = g->mentor ? g->places : 0;
    p.hours_month = g->hours;
    p.preference = g->pref;
    p.outside_org = g->outside;
    if (g->excl >= 0) {
        ex[0] = email_of(g->excl);
        p.excluded = ex;
        p.nexcluded = 1;
    }
    assert_int_equal(connect_profile_save(db, a, &p, 100, &errs, &nerrs), APP_OK);
    /* profession and region are the account's (set on the account page) */
    assert_int_equal(db_run(db, "UPDATE users SET profession = $1, region = $2 WHERE id = $3",
                            "tti", g->prof, g->region, users[i]),
                     APP_OK);
}

static int64_t new_cohort(int n)
{
    char name[40];
    int64_t id = 0;
    snprintf(name, sizeof name, "cohort %d", ++cohort_seq);
    assert_int_equal(account_cohort_create(db, lead, name, "", &id), APP_OK);
    for (int i = 0; i < n; i++)
        assert_int_equal(account_cohort_add(db, id, users[i]), APP_OK);
    return id;
}

static int64_t brute(const int64_t *w, const uint32_t *cap, int ne, int nm, int i, uint32_t *load)
{
    int64_t best;
    if (i == ne)
        return 0;
    best = brute(w, cap, ne, nm, i + 1, load);
    for (int j = 0; j < nm; j++) {
        int64_t v;
        if (w[i * nm + j] <= 0 || load[j] >= cap[j])
            continue;
        load[j]++;
        v = w[i * nm + j] + brute(w, cap, ne, nm, i + 1, load);
        load[j]--;
        if (v > best)
            best = v;
    }
    return best;
}

static void to_person(const struct gen *g, int i, bool as_mentor, struct score_person *sp,
                      const char **idbuf)
{
    memset(sp, 0, sizeof *sp);
    sp->id = idbuf[i];
    sp->name = "";
    sp->profession = g->prof;
    sp->region = g->region;
    sp->organisation = g->org;
    sp->band = score_band(g->band);
    sp->areas = as_mentor ? (const char **)g->offers : (const char **)g->seeks_areas;
    sp->nareas = as_mentor ? g->noffers : g->nseeks;
    sp->pref = !strcmp(g->pref, "other")  ? SCORE_PREF_OTHER
               : !strcmp(g->pref, "same") ? SCORE_PREF_SAME
                                          : SCORE_PREF_ANY;
    sp->outside_org = g->outside;
    sp->hours = (int)g->hours;
}

/* The factor names score.c uses, checked in the stored sentence. */
static void check_why(const char *why, const struct gen *e, const struct gen *o)
{
    size_t goals = 0;
    char head[32];
    for (size_t k = 0; k < e->nseeks; k++)
        for (size_t j = 0; j < o->noffers; j++)
            goals += !strcmp(e->seeks_areas[k], o->offers[j]);
    assert_true(goals > 0);
    snprintf(head, sizeof head, "%zu goal%s met: ", goals, goals == 1 ? "" : "s");
    assert_non_null(strstr(why, head));
    if (!strcmp(e->pref, "other") && strcmp(e->prof, o->prof))
        assert_non_null(strstr(why, "another profession as asked"));
    if (!strcmp(e->pref, "any"))
        assert_null(strstr(why, "profession as asked"));
    if (!strcmp(e->region, o->region))
        assert_non_null(strstr(why, "same region"));
    else
        assert_null(strstr(why, "same region"));
    if (e->outside && strcmp(e->org, o->org))
        assert_non_null(strstr(why, "outside own organisation as asked"));
    if (e->hours > 0 && o->hours >= e->hours)
        assert_non_null(strstr(why, "enough hours a month"));
    else
        assert_null(strstr(why, "enough hours a month"));
}

static const char *area_title(const char *code)
{
    /* the names the areas list gives the specialisms (and the framework, when stored) */
    if (!strcmp(code, "research"))
        return "Research";
    if (!strcmp(code, "quality-improvement"))
        return "Quality improvement";
    return NULL; /* digital and clinical safety take the framework's titles when it exists */
}

static void test_random_rounds_are_optimal_and_keep_the_rules(void **state)
{
    struct rng r;
    const char *ids[POOL];
    char idtext[POOL][24];
    (void)state;
    rng_seed(&r, 20261206);
    for (int i = 0; i < POOL; i++) {
        snprintf(idtext[i], sizeof idtext[i], "%lld", (long long)users[i]);
        ids[i] = idtext[i];
    }
    for (int iter = 0; iter < 60; iter++) {
        struct arena *a = arena_new();
        struct gen g[9];
        int n = 4 + (int)rng_below(&r, 5), ne = 0, nm = 0, emap[9], mmap[9];
        bool coaching = rng_below(&r, 4) == 0;
        struct connect_round in = {0}, got;
        struct connect_field_error *errs;
        struct connect_match *ms;
        size_t nerrs, nms;
        int64_t round, w[81] = {0}, total = 0;
        uint32_t cap[9] = {0}, load[9] = {0};
        int min_band = rng_below(&r, 3) == 0 ? score_band("8a") : 0;
        bool need_acc = coaching && rng_below(&r, 2);
        assert_non_null(a);
        for (int i = 0; i < n; i++) {
            struct gen *x = &g[i];
            memset(x, 0, sizeof *x);
            x->mentor = rng_below(&r, 2);
            x->seeks = !x->mentor || rng_below(&r, 4) == 0;
            x->coaching = coaching;
            x->accredited = rng_below(&r, 2);
            for (size_t k = 0; k < 4; k++) {
                if (rng_below(&r, 2))
                    x->offers[x->noffers++] = AREAS[k];
                if (rng_below(&r, 3) == 0)
                    x->seeks_areas[x->nseeks++] = AREAS[k];
            }
            if (!x->noffers)
                x->offers[x->noffers++] = AREAS[rng_below(&r, 4)];
            if (!x->nseeks)
                x->seeks_areas[x->nseeks++] = AREAS[rng_below(&r, 4)];
            x->prof = PROFS[rng_below(&r, 3)];
            x->region = REGS[rng_below(&r, 2)];
            x->org = rng_below(&r, 2) ? "Trust A" : "Trust B";
            x->band = BANDS[rng_below(&r, 6)];
            x->pref = PREFS[rng_below(&r, 3)];
            x->outside = rng_below(&r, 2);
            x->places = 1 + (int64_t)rng_below(&r, 2);
            x->hours = (int64_t)rng_below(&r, 5);
            x->excl = rng_below(&r, 4) == 0 ? (int)rng_below(&r, (uint64_t)n) : -1;
            if (x->excl == i)
                x->excl = -1;
        }
        /* people outside the cohort keep profiles from earlier iterations: harmless */
        for (int i = 0; i < n; i++)
            save_profile(a, i, &g[i]);
        in.name = "random";
        in.cohort_id = new_cohort(n);
        in.kind = coaching ? "coaching" : "mentoring";
        in.min_mentor_band = min_band;
        in.need_accreditation = need_acc;
        assert_int_equal(connect_round_create(db, a, lead, &in, 200, &round, &errs, &nerrs), 0);
        assert_int_equal(connect_round_run(db, a, lead, round, 300), APP_OK);
        assert_int_equal(connect_round_run(db, a, lead, round, 300), APP_E_CONFLICT);
        /* the reference: every allowed pair scored by score.c, every rule applied here */
        for (int i = 0; i < n; i++) {
            emap[i] = mmap[i] = -1;
            if (g[i].seeks)
                emap[i] = ne++;
            if (g[i].mentor) {
                mmap[i] = nm++;
                cap[mmap[i]] =
                    (min_band && score_band(g[i].band) < min_band) || (need_acc && !g[i].accredited)
                        ? 0
                        : (uint32_t)g[i].places;
            }
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                struct score_person e, o;
                int64_t s = 0;
                if (emap[i] < 0 || mmap[j] < 0 || i == j || g[i].excl == j || g[j].excl == i)
                    continue;
                to_person(&g[i], i, false, &e, ids);
                to_person(&g[j], j, true, &o, ids);
                if (score_pair(&e, &o, &s) == SCORE_ALLOWED)
                    w[emap[i] * nm + mmap[j]] = s;
            }
        assert_int_equal(connect_round_get(db, a, round, &got), APP_OK);
        assert_int_equal(connect_round_matches(db, a, round, &ms, &nms), APP_OK);
        {
            int seen[9] = {0};
            for (size_t k = 0; k < nms; k++) {
                int e = -1, o = -1;
                for (int i = 0; i < n; i++) {
                    if (users[i] == ms[k].mentee_id)
                        e = i;
                    if (users[i] == ms[k].mentor_id)
                        o = i;
                }
                assert_true(e >= 0 && o >= 0 && emap[e] >= 0 && mmap[o] >= 0);
                assert_true(++seen[e] == 1);                   /* one match per mentee */
                assert_true(++load[mmap[o]] <= cap[mmap[o]]);  /* capacity, eligibility */
                assert_true(g[e].excl != o && g[o].excl != e); /* conflicts */
                assert_true(w[emap[e] * nm + mmap[o]] == ms[k].score);
                check_why(ms[k].why, &g[e], &g[o]);
                for (size_t q = 0; q < g[e].nseeks; q++) {
                    const char *t = area_title(g[e].seeks_areas[q]);
                    bool offered = false;
                    for (size_t z = 0; z < g[o].noffers; z++)
                        offered |= !strcmp(g[o].offers[z], g[e].seeks_areas[q]);
                    if (t && offered)
                        assert_non_null(strstr(ms[k].why, t));
                }
                total += ms[k].score;
            }
        }
        memset(load, 0, sizeof load);
        assert_int_equal(total, brute(w, cap, ne, nm, 0, load));
        assert_int_equal(got.total, total);
        arena_free(a);
    }
}

/* A and B look for mentors; X suits A best, Y suits both; each takes one. */
static void make_small(struct arena *a, int64_t *round, bool self_select)
{
    struct gen g[4];
    struct connect_round in = {0};
    struct connect_field_error *errs;
    size_t nerrs;
    memset(g, 0, sizeof g);
    for (int i = 0; i < 4; i++) {
        g[i].prof = "physiotherapist";
        g[i].region = "london";
        g[i].org = "Trust A";
        g[i].band = i < 2 ? "6" : "8a";
        g[i].pref = "any";
        g[i].places = 1;
        g[i].excl = -1;
    }
    /* 0 = A, 1 = B (mentees), 2 = X, 3 = Y (mentors) */
    g[0].seeks = g[1].seeks = true;
    g[0].seeks_areas[0] = "research";
    g[0].seeks_areas[1] = "digital";
    g[0].nseeks = 2;
    g[1].seeks_areas[0] = "education";
    g[1].nseeks = 1;
    g[2].mentor = g[3].mentor = true;
    g[2].offers[0] = "research";
    g[2].offers[1] = "digital";
    g[2].noffers = 2;
    g[3].offers[0] = "research";
    g[3].offers[1] = "education";
    g[3].noffers = 2;
    for (int i = 0; i < 4; i++)
        save_profile(a, i, &g[i]);
    in.name = self_select ? "small, self-select" : "small";
    in.cohort_id = new_cohort(4);
    in.kind = "mentoring";
    in.self_select = self_select;
    assert_int_equal(connect_round_create(db, a, lead, &in, 200, round, &errs, &nerrs), 0);
    assert_int_equal(connect_round_run(db, a, lead, *round, 300), APP_OK);
}

static const struct connect_match *match_of(const struct connect_match *ms, size_t n,
                                            int64_t mentee, const char *status)
{
    for (size_t k = 0; k < n; k++)
        if (ms[k].mentee_id == mentee && !strcmp(ms[k].status, status))
            return &ms[k];
    return NULL;
}

static void test_decline_rematches(void **state)
{
    struct arena *a = arena_new();
    struct connect_match *ms;
    struct connect_round_person *un;
    size_t nms, nun;
    int64_t round, rel;
    const struct connect_match *m;
    (void)state;
    make_small(a, &round, false);
    assert_int_equal(connect_round_matches(db, a, round, &ms, &nms), APP_OK);
    assert_int_equal(nms, 2);
    m = match_of(ms, nms, users[0], "proposed");
    assert_non_null(m);
    assert_int_equal(m->mentor_id, users[2]); /* A with X, B with Y */
    /* someone else cannot answer; B's mentor Y declines B: nobody else suits B */
    assert_int_equal(connect_match_answer(db, a, m->id, users[1], true, 400, &rel), APP_E_NOTFOUND);
    m = match_of(ms, nms, users[1], "proposed");
    assert_int_equal(connect_match_answer(db, a, m->id, users[3], false, 400, &rel), APP_OK);
    assert_int_equal(connect_match_answer(db, a, m->id, users[1], true, 400, &rel), APP_E_CONFLICT);
    assert_int_equal(connect_round_unmatched(db, a, round, &un, &nun), APP_OK);
    assert_int_equal(nun, 1);
    assert_int_equal(un[0].user_id, users[1]);
    assert_non_null(strstr(un[0].reason, "Declined"));
    /* A declines X: the rematch gives A the free Y, never X again */
    m = match_of(ms, nms, users[0], "proposed");
    assert_int_equal(connect_match_answer(db, a, m->id, users[0], false, 500, &rel), APP_OK);
    assert_int_equal(connect_round_matches(db, a, round, &ms, &nms), APP_OK);
    m = match_of(ms, nms, users[0], "proposed");
    assert_non_null(m);
    assert_int_equal(m->mentor_id, users[3]);
    assert_non_null(strstr(m->why, "1 goal met: Research"));
    /* both accept: a relationship */
    assert_int_equal(connect_match_answer(db, a, m->id, users[0], true, 600, &rel), APP_OK);
    assert_int_equal(rel, 0);
    assert_int_equal(connect_match_answer(db, a, m->id, users[3], true, 600, &rel), APP_OK);
    assert_true(rel > 0);
    arena_free(a);
}

static void test_self_select_takes_one_of_five(void **state)
{
    struct arena *a = arena_new();
    struct connect_match *ms;
    struct connect_option *o;
    size_t nms, no;
    int64_t round, mid, rel;
    const struct connect_match *m;
    (void)state;
    make_small(a, &round, true);
    assert_int_equal(connect_round_matches(db, a, round, &ms, &nms), APP_OK);
    /* A is matched with X; Y is taken by B, so A has no other choice yet */
    assert_int_equal(connect_round_options(db, a, round, users[0], &o, &no), APP_OK);
    assert_int_equal(no, 0);
    assert_int_equal(connect_round_choose(db, a, round, users[0], users[3], 700, &mid),
                     APP_E_INVALID);
    /* B's mentor declines; Y is then free and among A's choices */
    m = match_of(ms, nms, users[1], "proposed");
    assert_int_equal(connect_match_answer(db, a, m->id, users[3], false, 800, &rel), APP_OK);
    assert_int_equal(connect_round_options(db, a, round, users[0], &o, &no), APP_OK);
    assert_int_equal(no, 1);
    assert_int_equal(o[0].mentor_id, users[3]);
    /* B, unmatched now, is asked to choose in this round (with nobody left who suits them);
     * A, who has a match, is not */
    {
        struct connect_round *rs;
        size_t nr;
        assert_int_equal(connect_rounds_to_choose(db, a, users[1], &rs, &nr), APP_OK);
        assert_int_equal(nr, 1);
        assert_int_equal(rs[0].id, round);
        assert_int_equal(connect_round_options(db, a, round, users[1], &o, &no), APP_OK);
        assert_int_equal(no, 0);
        assert_int_equal(connect_rounds_to_choose(db, a, users[0], &rs, &nr), APP_OK);
        assert_int_equal(nr, 0);
        assert_int_equal(connect_round_options(db, a, round, users[0], &o, &no), APP_OK);
    }
    assert_int_equal(connect_round_choose(db, a, round, users[0], users[3], 900, &mid), APP_OK);
    assert_int_equal(connect_round_matches(db, a, round, &ms, &nms), APP_OK);
    m = match_of(ms, nms, users[0], "proposed");
    assert_non_null(m);
    assert_int_equal(m->id, mid);
    assert_string_equal(m->mentee_answer, "accepted");
    assert_null(match_of(ms, nms, users[0], "replaced")); /* replaced ones are not listed */
    assert_int_equal(
        testapp_int(app, "SELECT COUNT(*) FROM connect_matches WHERE status = 'replaced'", NULL),
        1);
    /* in an assigned round nobody chooses */
    {
        int64_t r2;
        make_small(a, &r2, false);
        assert_int_equal(connect_round_choose(db, a, r2, users[0], users[3], 900, &mid),
                         APP_E_FORBIDDEN);
    }
    arena_free(a);
}

/* 10 paramedic and 9 dietitian mentees, 5 mentors: every group's mentees are shown (rounded
 * to 10), a matched count of 1..7 is "*", and a share is shown only when neither the
 * matched nor the unmatched count of its group is a small number. */
static void test_shares_follow_the_disclosure_rule(void **state)
{
    struct arena *a = arena_new();
    struct gen g[POOL];
    struct connect_round in = {0};
    struct connect_field_error *errs;
    struct connect_share *s;
    size_t nerrs, n;
    int64_t round;
    bool some_hidden = false;
    (void)state;
    memset(g, 0, sizeof g);
    for (int i = 0; i < 24; i++) {
        g[i].prof = i < 10 ? "paramedic" : i < 19 ? "dietitian" : "physiotherapist";
        g[i].region = "london";
        g[i].org = "Trust A";
        g[i].pref = "any";
        g[i].excl = -1;
        g[i].places = 1;
        if (i < 19) {
            g[i].seeks = true;
            g[i].band = "6";
            g[i].seeks_areas[g[i].nseeks++] = "research";
        } else {
            g[i].mentor = true;
            g[i].band = "8a";
            g[i].offers[g[i].noffers++] = "research";
        }
        save_profile(a, i, &g[i]);
    }
    in.name = "shares";
    in.cohort_id = new_cohort(24);
    in.kind = "mentoring";
    assert_int_equal(connect_round_create(db, a, lead, &in, 200, &round, &errs, &nerrs), 0);
    assert_int_equal(connect_round_run(db, a, lead, round, 300), APP_OK);
    assert_int_equal(connect_round_shares(db, a, round, false, &s, &n), APP_OK);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++) {
        int64_t total = !strcmp(s[i].code, "paramedic") ? 10 : 9;
        int64_t matched = testapp_int(
            app,
            "SELECT COUNT(*) FROM connect_matches m JOIN connect_round_people p ON "
            "p.round_id = m.round_id AND p.user_id = m.mentee_id AND p.side = 'mentee' "
            "WHERE m.round_id = (SELECT MAX(id) FROM connect_rounds) AND p.profession = $1",
            s[i].code);
        assert_string_equal(s[i].mentees, "10");
        if (matched >= 1 && matched <= 7) {
            assert_string_equal(s[i].matched, "*");
            some_hidden = true;
        }
        if (s[i].share_shown) {
            assert_true(matched == 0 || matched > 7);
            assert_true(total - matched == 0 || total - matched > 7);
        }
    }
    assert_true(some_hidden); /* 5 matches over two groups: one of them is 1..5 */
    arena_free(a);
}

static void test_conflict_pairs_and_hours(void **state)
{
    struct arena *a = arena_new();
    struct connect_pair *p;
    struct connect_hours *h;
    size_t n;
    int64_t set[4] = {users[5], users[6], users[7], users[5]};
    (void)state;
    assert_int_equal(db_run(db, "DELETE FROM connect_exclusions", ""), APP_OK);
    assert_int_equal(db_run(db,
                            "INSERT INTO connect_exclusions VALUES ($1, $2), ($2, $1), "
                            "($3, $4), ($1, $5)",
                            "iiiii", users[5], users[6], users[7], users[5], users[9]),
                     APP_OK);
    assert_int_equal(connect_conflict_pairs(db, a, set, 4, &p, &n), APP_OK);
    assert_int_equal(n, 2); /* 5–6 once though both named it; 5–9 is outside the set */
    assert_true(p[0].a < p[0].b && p[1].a < p[1].b);
    assert_int_equal(connect_conflict_pairs(db, a, set, 0, &p, &n), APP_OK);
    assert_int_equal(n, 0);
    /* hours: the relationship made by the decline test has none yet; log two meetings */
    assert_int_equal(connect_mentoring_hours(db, a, users[3], &h, &n), APP_OK);
    assert_true(n >= 1);
    {
        struct connect_field_error *errs;
        size_t nerrs;
        int64_t mid, now = (int64_t)time(NULL);
        int64_t rel = h[0].relationship_id;
        assert_int_equal(connect_meeting_log(db, a, rel, users[3], now / 86400 * 86400, 90, now,
                                             &mid, &errs, &nerrs),
                         APP_OK);
        assert_int_equal(connect_meeting_log(db, a, rel, users[3], now + 3 * 86400, 90, now, &mid,
                                             &errs, &nerrs),
                         APP_E_INVALID);
        assert_string_equal(errs[0].field, "met_on");
        assert_int_equal(connect_meeting_log(db, a, rel, users[8], now / 86400 * 86400, 90, now,
                                             &mid, &errs, &nerrs),
                         APP_E_NOTFOUND);
        assert_int_equal(connect_mentoring_hours(db, a, users[3], &h, &n), APP_OK);
        assert_int_equal(h[0].minutes, 90);
        assert_int_equal(h[0].meetings, 1);
        assert_string_equal(h[0].role, "mentor");
    }
    arena_free(a);
}

/* A coaching round's stored reasons say coach and coachee, as its page does: one left
 * unmatched with no coach offering their goals, one at capacity, one after a decline; on the
 * lead's page and in the API. */
static void test_coaching_reasons_say_coach(void **state)
{
    struct arena *a = arena_new();
    struct gen g[4];
    struct connect_round in = {0};
    struct connect_field_error *errs;
    struct connect_round_person *un;
    struct connect_match *ms;
    struct test_client tc;
    size_t nerrs, nun, nms;
    int64_t round, rel;
    char uri[80];
    json_t *j, *arr;
    (void)state;
    memset(g, 0, sizeof g);
    for (int i = 0; i < 4; i++) {
        g[i].prof = "physiotherapist";
        g[i].region = "london";
        g[i].org = "Trust A";
        g[i].band = i < 3 ? "6" : "8a";
        g[i].pref = "any";
        g[i].places = 1;
        g[i].excl = -1;
        g[i].coaching = true;
    }
    /* 0 and 1 seek research (the one coach, 3, has one place); 2 seeks what nobody offers */
    g[0].seeks = g[1].seeks = g[2].seeks = true;
    g[0].seeks_areas[0] = g[1].seeks_areas[0] = "research";
    g[0].nseeks = g[1].nseeks = 1;
    g[2].seeks_areas[0] = "education";
    g[2].nseeks = 1;
    g[3].mentor = true;
    g[3].offers[0] = "research";
    g[3].noffers = 1;
    for (int i = 0; i < 4; i++)
        save_profile(a, i, &g[i]);
    in.name = "coaching reasons";
    in.cohort_id = new_cohort(4);
    in.kind = "coaching";
    assert_int_equal(connect_round_create(db, a, lead, &in, 200, &round, &errs, &nerrs), 0);
    assert_int_equal(connect_round_run(db, a, lead, round, 300), APP_OK);
    assert_int_equal(connect_round_unmatched(db, a, round, &un, &nun), APP_OK);
    assert_int_equal(nun, 2);
    for (size_t k = 0; k < nun; k++) {
        assert_null(strstr(un[k].reason, "mentor"));
        assert_null(strstr(un[k].reason, "mentee"));
        if (un[k].user_id == users[2])
            assert_string_equal(un[k].reason, "No eligible coach: 1 offer none of their goals");
        else
            assert_string_equal(un[k].reason, "Capacity: every coach who suits them is full "
                                              "with coachees who score at least as well");
    }
    /* the coach declines: the one left out after a decline is told so in coaching words */
    assert_int_equal(connect_round_matches(db, a, round, &ms, &nms), APP_OK);
    assert_int_equal(nms, 1);
    assert_int_equal(connect_match_answer(db, a, ms[0].id, users[3], false, 400, &rel), APP_OK);
    assert_int_equal(connect_round_unmatched(db, a, round, &un, &nun), APP_OK);
    for (size_t k = 0; k < nun; k++)
        if (un[k].user_id == ms[0].mentee_id)
            assert_string_equal(un[k].reason,
                                "Declined, and no other coach who suits them has a free place");
    /* the lead's page and the API */
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "lead@example.test", "correct horse battery"), 303);
    snprintf(uri, sizeof uri, "/api/v1/connect/rounds/%lld", (long long)round);
    assert_int_equal(tc_get(&tc, uri), 200);
    j = json_loadb(tc.res.body, tc.res.len, 0, NULL);
    assert_non_null(j);
    arr = json_object_get(j, "unmatched");
    assert_true(json_array_size(arr) >= 2);
    for (size_t k = 0; k < json_array_size(arr); k++) {
        const char *r = json_string_value(json_object_get(json_array_get(arr, k), "reason"));
        assert_non_null(r);
        assert_null(strstr(r, "mentor"));
    }
    json_decref(j);
    snprintf(uri, sizeof uri, "/connect/rounds/%lld", (long long)round);
    assert_int_equal(tc_get(&tc, uri), 200);
    assert_true(tc_body_has(&tc, "No eligible coach: 1 offer none of their goals"));
    assert_true(tc_body_has(&tc, "Declined, and no other coach who suits them"));
    assert_false(tc_body_has(&tc, "No eligible mentor"));
    tc_free(&tc);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_rounds_are_optimal_and_keep_the_rules),
        cmocka_unit_test(test_decline_rematches),
        cmocka_unit_test(test_self_select_takes_one_of_five),
        cmocka_unit_test(test_shares_follow_the_disclosure_rule),
        cmocka_unit_test(test_conflict_pairs_and_hours),
        cmocka_unit_test(test_coaching_reasons_say_coach),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
