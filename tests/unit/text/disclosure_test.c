/* disclosure_test.c: the 1–7 rule, rounding, means, secondary suppression, and an attacker
 *
 * The property tests draw random tables from a fixed seed. For small tables an independent
 * brute-force attacker (it knows nothing of the library's graph model) tries, for every
 * hidden cell and total, to find a whole table consistent with everything shown in which
 * that cell or total has another value. It uses the EXACT totals (published totals are
 * rounded, which only adds uncertainty, so this attacker is stronger than a real one) and
 * assumes only that a hidden cell is a whole number ≥ 1, since zeros are always shown. It
 * searches within ±SEARCH_WINDOW of the true values: anything it finds is a genuine second
 * solution, so the narrow window can only make the test fail wrongly, never pass wrongly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/rand.h"
#include "text/disclosure.h"

static struct disclosure_opts mkopts(uint32_t threshold, bool round)
{
    struct disclosure_opts o = {threshold, round};
    return o;
}

static const char *fmt(const struct disclosure_cell *c)
{
    static char text[DISCLOSURE_TEXT_MAX];
    assert_int_equal(disclosure_format(c, text, sizeof text), 0);
    return text;
}

static void assert_hidden(const struct disclosure_cell *c, bool primary)
{
    assert_false(c->shown);
    assert_int_equal(c->value, 0);
    assert_int_equal(c->primary, primary);
    assert_int_equal(c->secondary, !primary);
    assert_string_equal(fmt(c), "*");
}

static void assert_shown(const struct disclosure_cell *c, uint64_t value)
{
    assert_true(c->shown);
    assert_false(c->primary);
    assert_false(c->secondary);
    assert_int_equal(c->value, value);
}

/* ---- single counts ------------------------------------------------------------------- */

/* Forced hiding: a row [20, 30, 40] needs nothing hidden; with its 20 forced hidden (another
 * table hid it) the 20 is the row total less the rest, so a second cell goes too; a forced
 * zero stays shown. */
static void test_table_hiding(void **state)
{
    (void)state;
    const uint32_t counts[4] = {20, 30, 40, 0};
    const bool force[4] = {true, false, false, true};
    struct disclosure_hide h = {force, NULL, NULL, false, 0};
    struct disclosure_cell cells[4], row, cols[4], grand;
    size_t hidden = 0;

    assert_int_equal(disclosure_table_hiding(1, 4, counts, NULL, NULL, cells, &row, cols, &grand),
                     0);
    for (int k = 0; k < 3; k++)
        assert_true(cells[k].shown);
    assert_int_equal(disclosure_table_hiding(1, 4, counts, NULL, &h, cells, &row, cols, &grand), 0);
    assert_hidden(&cells[0], false);
    assert_shown(&cells[3], 0);
    for (int k = 0; k < 3; k++)
        hidden += !cells[k].shown;
    assert_true(hidden >= 2 || !row.shown);
}

static void test_threshold(void **state)
{
    (void)state;
    struct disclosure_opts o = mkopts(10, true);
    assert_int_equal(disclosure_threshold(NULL), 7);
    assert_int_equal(disclosure_threshold(&o), 10);
    o.threshold = 5; /* never below 7 */
    assert_int_equal(disclosure_threshold(&o), 7);
    o.threshold = 0;
    assert_int_equal(disclosure_threshold(&o), 7);
}

static void test_count_rules(void **state)
{
    (void)state;
    struct disclosure_opts exact = mkopts(7, false), ten = mkopts(10, false),
                           five = mkopts(5, false);
    struct disclosure_cell c;

    c = disclosure_count(0, &exact);
    assert_shown(&c, 0);
    assert_string_equal(fmt(&c), "0");
    c = disclosure_count(1, &exact);
    assert_hidden(&c, true);
    c = disclosure_count(7, &exact);
    assert_hidden(&c, true);
    c = disclosure_count(8, &exact);
    assert_shown(&c, 8);
    /* configured up to 10 */
    c = disclosure_count(8, &ten);
    assert_hidden(&c, true);
    c = disclosure_count(10, &ten);
    assert_hidden(&c, true);
    c = disclosure_count(11, &ten);
    assert_shown(&c, 11);
    /* configured to 5: raised to 7 */
    c = disclosure_count(6, &five);
    assert_hidden(&c, true);
    c = disclosure_count(7, &five);
    assert_hidden(&c, true);
    c = disclosure_count(8, &five);
    assert_shown(&c, 8);
    /* NULL opts: threshold 7 and rounding, as published */
    c = disclosure_count(7, NULL);
    assert_hidden(&c, true);
    c = disclosure_count(8, NULL);
    assert_shown(&c, 10);
}

static void test_rounding(void **state)
{
    (void)state;
    struct disclosure_opts r = mkopts(7, true);
    static const uint64_t cases[][2] = {{0, 0},       {5, 5},       {8, 10},    {10, 10},
                                        {12, 10},     {13, 15},     {17, 15},   {18, 20},
                                        {1233, 1235}, {1232, 1230}, {999, 1000}};
    struct disclosure_cell c;

    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
        assert_int_equal(disclosure_round5(cases[k][0]), cases[k][1]);
    c = disclosure_count(8, &r);
    assert_shown(&c, 10);
    c = disclosure_count(12, &r);
    assert_shown(&c, 10);
    c = disclosure_count(13, &r);
    assert_shown(&c, 15);
    c = disclosure_count(1233, &r);
    assert_shown(&c, 1235);
    assert_string_equal(fmt(&c), "1,235");
    c = disclosure_count(0, &r);
    assert_shown(&c, 0); /* 0 stays 0 */
    /* no wrap-around at the top of the range */
    assert_int_equal(disclosure_round5(UINT64_MAX), UINT64_MAX);
    assert_int_equal(disclosure_round5(UINT64_MAX - 1), UINT64_MAX);
    assert_int_equal(disclosure_round5(UINT64_MAX - 2), UINT64_MAX);
    assert_int_equal(disclosure_round5(UINT64_MAX - 3), UINT64_MAX - 5);
    /* with a threshold ≥ 7 no shown non-zero count rounds to 0: a shown 0 is a true 0 */
    for (uint32_t t = 7; t <= 12; t++) {
        struct disclosure_opts o = mkopts(t, true);
        for (uint64_t n = 1; n < 200; n++) {
            c = disclosure_count(n, &o);
            if (c.shown)
                assert_true(c.value >= 10);
        }
    }
}

static void test_format(void **state)
{
    (void)state;
    struct disclosure_cell c = {1234567, true, false, false};
    char small[4];

    assert_string_equal(fmt(&c), "1,234,567");
    c.value = 999;
    assert_string_equal(fmt(&c), "999");
    c.value = 1000;
    assert_string_equal(fmt(&c), "1,000");
    c.value = UINT64_MAX;
    assert_string_equal(fmt(&c), "18,446,744,073,709,551,615");
    c.value = 12345;
    assert_int_equal(disclosure_format(&c, small, sizeof small), APP_E_TOOBIG);
    assert_string_equal(small, "");
    c.value = 123;
    assert_int_equal(disclosure_format(&c, small, sizeof small), 0);
    assert_string_equal(small, "123");
    assert_int_equal(disclosure_format(NULL, small, sizeof small), APP_E_INVALID);
    /* a hidden cell prints "*" whatever value it carries */
    c.shown = false;
    c.value = 42;
    assert_string_equal(fmt(&c), "*");
}

static void test_mean(void **state)
{
    (void)state;
    struct disclosure_opts o = mkopts(7, true), ten = mkopts(10, true);
    struct disclosure_stat s;
    char text[32];

    assert_int_equal(disclosure_mean(3, 4.25, &o, &s), 0);
    assert_false(s.shown);
    assert_true(s.suppressed);
    assert_true(s.value == 0);
    assert_int_equal(disclosure_stat_format(&s, 1, text, sizeof text), 0);
    assert_string_equal(text, "*");

    assert_int_equal(disclosure_mean(30, 4.25, &o, &s), 0);
    assert_true(s.shown);
    assert_false(s.suppressed);
    assert_true(s.value == 4.25);
    assert_int_equal(disclosure_stat_format(&s, 2, text, sizeof text), 0);
    assert_string_equal(text, "4.25");
    /* a difference just below zero reads as 0, not "-0"; a real negative keeps its sign */
    assert_int_equal(disclosure_mean(30, -0.3, &o, &s), 0);
    assert_int_equal(disclosure_stat_format(&s, 0, text, sizeof text), 0);
    assert_string_equal(text, "0");
    assert_int_equal(disclosure_stat_format(&s, 1, text, sizeof text), 0);
    assert_string_equal(text, "-0.3");
    assert_int_equal(disclosure_mean(30, -0.04, &o, &s), 0);
    assert_int_equal(disclosure_stat_format(&s, 1, text, sizeof text), 0);
    assert_string_equal(text, "0.0");

    assert_int_equal(disclosure_mean(7, 1.0, &o, &s), 0);
    assert_true(s.suppressed);
    assert_int_equal(disclosure_mean(8, 1.0, &o, &s), 0);
    assert_true(s.shown);
    assert_int_equal(disclosure_mean(8, 1.0, &ten, &s), 0);
    assert_true(s.suppressed);

    /* over nobody: neither shown nor hidden, printed empty */
    assert_int_equal(disclosure_mean(0, 0.0, &o, &s), 0);
    assert_false(s.shown);
    assert_false(s.suppressed);
    assert_int_equal(disclosure_stat_format(&s, 1, text, sizeof text), 0);
    assert_string_equal(text, "");

    /* a NaN that would be published is a bug upstream; a hidden one is harmless */
    assert_int_equal(disclosure_mean(30, NAN, &o, &s), APP_E_INVALID);
    assert_int_equal(disclosure_mean(3, NAN, &o, &s), 0);
    assert_int_equal(disclosure_mean(30, 1.0, &o, NULL), APP_E_INVALID);
    assert_int_equal(disclosure_stat_format(&s, 7, text, sizeof text), APP_E_INVALID);
}

/* ---- tables by hand ------------------------------------------------------------------ */

static void test_row_secondary(void **state)
{
    (void)state;
    const uint32_t row[3] = {3, 50, 60};
    struct disclosure_opts exact = mkopts(7, false), round = mkopts(7, true);
    struct disclosure_cell cells[3], total, col_totals[3], grand;

    assert_int_equal(disclosure_breakdown(3, row, &exact, cells, &total), 0);
    assert_hidden(&cells[0], true);
    assert_hidden(&cells[1], false); /* the smallest other cell protects the 3 */
    assert_shown(&cells[2], 60);
    assert_shown(&total, 113);

    assert_int_equal(disclosure_breakdown(3, row, &round, cells, &total), 0);
    assert_shown(&cells[2], 60);
    assert_shown(&total, 115);

    /* as a one-row table, the column totals (= the cells) are hidden with them */
    assert_int_equal(disclosure_table(1, 3, row, &exact, cells, &total, col_totals, &grand), 0);
    assert_hidden(&col_totals[0], true);
    assert_false(col_totals[1].shown);
    assert_shown(&col_totals[2], 60);
    assert_shown(&grand, 113);
}

/* Two hidden cells in a row are not enough when they are all the row hides: 52 − 50 = 2
 * pins both 1s. The rule of thumb "0 or ≥ 2 per row" would publish this. */
static void test_two_ones_are_not_enough(void **state)
{
    (void)state;
    const uint32_t row[3] = {1, 1, 50};
    struct disclosure_opts exact = mkopts(7, false);
    struct disclosure_cell cells[3], total;

    assert_int_equal(disclosure_breakdown(3, row, &exact, cells, &total), 0);
    assert_hidden(&cells[0], true);
    assert_hidden(&cells[1], true);
    assert_hidden(&cells[2], false);
    assert_shown(&total, 52);
}

static void test_row_edge_cases(void **state)
{
    (void)state;
    struct disclosure_opts exact = mkopts(7, false);
    struct disclosure_cell cells[4], total;

    /* one small category alone: the total is small too, and both go */
    const uint32_t lone[3] = {3, 0, 0};
    assert_int_equal(disclosure_breakdown(3, lone, &exact, cells, &total), 0);
    assert_hidden(&cells[0], true);
    assert_shown(&cells[1], 0);
    assert_shown(&cells[2], 0);
    assert_hidden(&total, true);

    /* one large category: nothing to hide */
    const uint32_t big[3] = {0, 9, 0};
    assert_int_equal(disclosure_breakdown(3, big, &exact, cells, &total), 0);
    assert_shown(&cells[1], 9);
    assert_shown(&total, 9);

    /* a small category and one large one: nothing else to hide, so the total goes */
    const uint32_t pair[2] = {3, 40};
    assert_int_equal(disclosure_breakdown(2, pair, &exact, cells, &total), 0);
    assert_hidden(&cells[0], true);
    assert_hidden(&cells[1], false);
    assert_shown(&total, 43);

    /* two small categories that sum to more than 7: protect each other */
    const uint32_t two[4] = {3, 4, 0, 20};
    assert_int_equal(disclosure_breakdown(4, two, &exact, cells, &total), 0);
    assert_hidden(&cells[0], true);
    assert_hidden(&cells[1], true);
    assert_shown(&cells[2], 0);
    assert_shown(&cells[3], 20);
    assert_shown(&total, 27);

    /* all zero */
    const uint32_t none[2] = {0, 0};
    assert_int_equal(disclosure_breakdown(2, none, &exact, cells, &total), 0);
    assert_shown(&cells[0], 0);
    assert_shown(&cells[1], 0);
    assert_shown(&total, 0);
}

/* Hiding a second cell in the row leaves each column with one hidden cell, so columns need
 * fixing in turn: the result is the rectangle of the 3, its row's 20, its column's 40 and
 * the 50 that closes the cycle (the cheapest choice, 110 in all). */
static void test_table_row_fix_forces_column_fix(void **state)
{
    (void)state;
    const uint32_t t[9] = {3, 20, 30, 40, 50, 60, 70, 80, 90};
    struct disclosure_opts exact = mkopts(7, false);
    struct disclosure_cell cells[9], rt[3], ct[3], grand;

    assert_int_equal(disclosure_table(3, 3, t, &exact, cells, rt, ct, &grand), 0);
    assert_hidden(&cells[0], true);
    assert_hidden(&cells[1], false);
    assert_shown(&cells[2], 30);
    assert_hidden(&cells[3], false);
    assert_hidden(&cells[4], false);
    for (size_t k = 5; k < 9; k++)
        assert_shown(&cells[k], t[k]);
    assert_shown(&rt[0], 53);
    assert_shown(&rt[1], 150);
    assert_shown(&rt[2], 240);
    assert_shown(&ct[0], 113);
    assert_shown(&ct[1], 150);
    assert_shown(&ct[2], 180);
    assert_shown(&grand, 443);
}

/* A small row total is itself hidden, and protecting it reaches into the margins. */
static void test_table_small_total(void **state)
{
    (void)state;
    const uint32_t t[4] = {3, 2, 40, 50};
    struct disclosure_opts exact = mkopts(7, false);
    struct disclosure_cell cells[4], rt[2], ct[2], grand;

    assert_int_equal(disclosure_table(2, 2, t, &exact, cells, rt, ct, &grand), 0);
    assert_hidden(&cells[0], true);
    assert_hidden(&cells[1], true);
    assert_hidden(&rt[0], true);
    /* the 3 and the 2 are each alone in a column with a total: something there must go */
    assert_false(cells[2].shown && ct[0].shown);
    assert_false(cells[3].shown && ct[1].shown);
}

static void test_invalid(void **state)
{
    (void)state;
    const uint32_t t[2] = {3, 50};
    struct disclosure_cell cells[2], total = {9, true, false, false};

    assert_int_equal(disclosure_table(0, 2, t, NULL, cells, NULL, NULL, NULL), APP_E_INVALID);
    assert_int_equal(disclosure_table(1, 0, t, NULL, cells, NULL, NULL, NULL), APP_E_INVALID);
    assert_int_equal(disclosure_table(1, 2, NULL, NULL, cells, NULL, NULL, NULL), APP_E_INVALID);
    assert_int_equal(disclosure_breakdown(2, t, NULL, NULL, &total), APP_E_INVALID);
    assert_false(total.shown); /* a careless caller still publishes nothing */
    assert_int_equal(
        disclosure_table(1, DISCLOSURE_MAX_CELLS + 1, t, NULL, cells, NULL, NULL, NULL),
        APP_E_TOOBIG);
    assert_int_equal(disclosure_table(300, 300, t, NULL, cells, NULL, NULL, NULL), APP_E_TOOBIG);
    assert_int_equal(disclosure_table(SIZE_MAX / 2, 4, t, NULL, cells, NULL, NULL, NULL),
                     APP_E_TOOBIG);
    {
        /* a caller may allow a wider table, up to DISCLOSURE_MAX_CELLS_WIDE */
        struct disclosure_hide wide = {NULL, NULL, NULL, false, 4 * (size_t)DISCLOSURE_MAX_CELLS};
        struct disclosure_hide widest = {NULL, NULL, NULL, false, SIZE_MAX};
        uint32_t *z = calloc(DISCLOSURE_MAX_CELLS_WIDE + 1, sizeof *z);
        struct disclosure_cell *out = calloc(DISCLOSURE_MAX_CELLS_WIDE + 1, sizeof *out);
        assert_non_null(z);
        assert_non_null(out);
        z[0] = 3;
        z[1] = 50;
        assert_int_equal(disclosure_table_hiding(1, DISCLOSURE_MAX_CELLS + 1, z, NULL, &wide, out,
                                                 NULL, NULL, NULL),
                         0);
        assert_false(out[0].shown);
        assert_false(out[1].shown); /* 50 covers the 3 against the row total */
        assert_int_equal(disclosure_table_hiding(1, 4 * DISCLOSURE_MAX_CELLS + 1, z, NULL, &wide,
                                                 out, NULL, NULL, NULL),
                         APP_E_TOOBIG);
        assert_int_equal(disclosure_table_hiding(1, DISCLOSURE_MAX_CELLS_WIDE + 1, z, NULL, &widest,
                                                 out, NULL, NULL, NULL),
                         APP_E_TOOBIG);
        free(out);
        free(z);
    }
    assert_int_equal(disclosure_breakdown(2, t, NULL, cells, NULL), 0);
    assert_false(cells[0].shown);
    assert_false(cells[1].shown);
}

/* ---- random tables -------------------------------------------------------------------- */

#define MAXR          4
#define MAXC          4
#define SEARCH_WINDOW 2

/* Skewed towards the interesting: a third zeros, a third 1..threshold, a third larger. */
static uint32_t draw_count(struct rng *g, uint32_t threshold, uint32_t spread)
{
    uint64_t r = rng_below(g, 9);
    if (r < 3)
        return 0;
    if (r < 6)
        return 1 + (uint32_t)rng_below(g, threshold);
    return threshold + 1 + (uint32_t)rng_below(g, spread);
}

struct published {
    size_t rows, cols;
    uint32_t threshold;
    uint32_t counts[MAXR * MAXC];
    struct disclosure_cell cells[MAXR * MAXC], rt[MAXR], ct[MAXC], grand;
};

/* The brute-force attacker. Known: shown cells and shown totals, exactly. Unknown: hidden
 * cells, each a whole number ≥ 1 (searched within ±SEARCH_WINDOW of the truth), and hidden
 * totals, which are sums. */
struct attack {
    const struct published *p;
    size_t nunk, unk[MAXR * MAXC];
    int64_t lo[MAXR * MAXC], hi[MAXR * MAXC];
    int64_t known_row[MAXR], known_col[MAXC], known_grand; /* −1: not known */
    int64_t row_sum[MAXR], col_sum[MAXC], grand_sum;       /* over assigned and shown cells */
    int64_t row_lo[MAXR], row_hi[MAXR], col_lo[MAXC], col_hi[MAXC], g_lo, g_hi; /* unassigned */
    unsigned long long nodes;
};

static bool line_ok(int64_t known, int64_t sum, int64_t lo, int64_t hi)
{
    return known < 0 || (sum + lo <= known && known <= sum + hi);
}

static bool search(struct attack *a, size_t k)
{
    const struct published *p = a->p;
    size_t idx, i, j;
    int64_t t;

    a->nodes++;
    if (k == a->nunk)
        return true; /* the line checks are exact once nothing is left unassigned */
    idx = a->unk[k];
    i = idx / p->cols;
    j = idx % p->cols;
    t = p->counts[idx];
    a->row_lo[i] -= a->lo[k];
    a->row_hi[i] -= a->hi[k];
    a->col_lo[j] -= a->lo[k];
    a->col_hi[j] -= a->hi[k];
    a->g_lo -= a->lo[k];
    a->g_hi -= a->hi[k];
    /* values nearest the truth first: t, t+1, t−1, t+2, … */
    for (int64_t d = 0; d <= 2 * SEARCH_WINDOW + 1; d++) {
        int64_t v = t + (d % 2 ? (d + 1) / 2 : -(d / 2));
        bool ok;
        if (v < a->lo[k] || v > a->hi[k])
            continue;
        a->row_sum[i] += v;
        a->col_sum[j] += v;
        a->grand_sum += v;
        ok = line_ok(a->known_row[i], a->row_sum[i], a->row_lo[i], a->row_hi[i]) &&
             line_ok(a->known_col[j], a->col_sum[j], a->col_lo[j], a->col_hi[j]) &&
             line_ok(a->known_grand, a->grand_sum, a->g_lo, a->g_hi) && search(a, k + 1);
        a->row_sum[i] -= v;
        a->col_sum[j] -= v;
        a->grand_sum -= v;
        if (ok)
            return true;
    }
    a->row_lo[i] += a->lo[k];
    a->row_hi[i] += a->hi[k];
    a->col_lo[j] += a->lo[k];
    a->col_hi[j] += a->hi[k];
    a->g_lo += a->lo[k];
    a->g_hi += a->hi[k];
    return false;
}

/* Sets up the attacker's knowledge with every unknown in its window. */
static void attack_init(struct attack *a, const struct published *p)
{
    memset(a, 0, sizeof *a);
    a->p = p;
    for (size_t i = 0; i < p->rows; i++)
        a->known_row[i] = p->rt[i].shown ? (int64_t)p->rt[i].value : -1;
    for (size_t j = 0; j < p->cols; j++)
        a->known_col[j] = p->ct[j].shown ? (int64_t)p->ct[j].value : -1;
    a->known_grand = p->grand.shown ? (int64_t)p->grand.value : -1;
    for (size_t idx = 0; idx < p->rows * p->cols; idx++) {
        size_t i = idx / p->cols, j = idx % p->cols;
        if (p->cells[idx].shown) {
            a->row_sum[i] += p->cells[idx].value;
            a->col_sum[j] += p->cells[idx].value;
            a->grand_sum += p->cells[idx].value;
            continue;
        }
        int64_t t = p->counts[idx];
        a->lo[a->nunk] = t - SEARCH_WINDOW < 1 ? 1 : t - SEARCH_WINDOW;
        a->hi[a->nunk] = t + SEARCH_WINDOW;
        a->unk[a->nunk++] = idx;
    }
    for (size_t k = 0; k < a->nunk; k++) {
        size_t i = a->unk[k] / p->cols, j = a->unk[k] % p->cols;
        a->row_lo[i] += a->lo[k];
        a->row_hi[i] += a->hi[k];
        a->col_lo[j] += a->lo[k];
        a->col_hi[j] += a->hi[k];
        a->g_lo += a->lo[k];
        a->g_hi += a->hi[k];
    }
}

/* What a hidden quantity is: a cell (its index), a row total, a column total, the grand. */
enum target_kind { T_CELL, T_ROW, T_COL, T_GRAND };

/* True when some table consistent with what is shown gives the target the value v. */
static bool attack_value(const struct published *p, enum target_kind kind, size_t at, int64_t v,
                         unsigned long long *nodes)
{
    struct attack a;
    bool found;

    if (v < 1)
        return false; /* a hidden quantity is never 0 */
    attack_init(&a, p);
    switch (kind) {
    case T_CELL:
        for (size_t k = 0; k < a.nunk; k++) {
            if (a.unk[k] != at)
                continue;
            /* pin the target to v: adjust the sums of unassigned bounds accordingly */
            size_t i = at / p->cols, j = at % p->cols;
            int64_t dlo = v - a.lo[k], dhi = v - a.hi[k];
            a.row_lo[i] += dlo;
            a.col_lo[j] += dlo;
            a.g_lo += dlo;
            a.row_hi[i] += dhi;
            a.col_hi[j] += dhi;
            a.g_hi += dhi;
            a.lo[k] = a.hi[k] = v;
        }
        break;
    case T_ROW:
        a.known_row[at] = v;
        break;
    case T_COL:
        a.known_col[at] = v;
        break;
    case T_GRAND:
        a.known_grand = v;
        break;
    }
    found = search(&a, 0);
    *nodes += a.nodes;
    return found;
}

/* True when the hidden quantity with true value t has a second feasible value. */
static bool has_second_value(const struct published *p, enum target_kind kind, size_t at, int64_t t,
                             unsigned long long *nodes)
{
    for (int64_t d = 1; d <= SEARCH_WINDOW; d++)
        if (attack_value(p, kind, at, t - d, nodes) || attack_value(p, kind, at, t + d, nodes))
            return true;
    return false;
}

/* Asserts the hidden quantity with true value t has a second feasible value. */
static void second_value(const struct published *p, enum target_kind kind, size_t at, int64_t t,
                         unsigned long long *nodes)
{
    if (has_second_value(p, kind, at, t, nodes))
        return;
    print_error("table %zux%zu threshold %u: hidden %s %zu (true %lld) is pinned\n", p->rows,
                p->cols, p->threshold,
                kind == T_CELL  ? "cell"
                : kind == T_ROW ? "row total"
                : kind == T_COL ? "column total"
                                : "grand total",
                at, (long long)t);
    fail();
}

static uint64_t true_row(const struct published *p, size_t i)
{
    uint64_t s = 0;
    for (size_t j = 0; j < p->cols; j++)
        s += p->counts[i * p->cols + j];
    return s;
}

static uint64_t true_col(const struct published *p, size_t j)
{
    uint64_t s = 0;
    for (size_t i = 0; i < p->rows; i++)
        s += p->counts[i * p->cols + j];
    return s;
}

/* Checks one published quantity against its truth: primary iff 1..threshold, a hidden one
 * is never 0, a shown one is exact or rounded, and a shown 0 is a true 0. */
static void check_quantity(const struct disclosure_cell *c, uint64_t truth, uint32_t threshold,
                           bool round)
{
    assert_int_equal(c->primary, truth >= 1 && truth <= threshold);
    if (!c->shown) {
        assert_true(truth >= 1);
        assert_true(c->primary != c->secondary);
        assert_int_equal(c->value, 0);
        return;
    }
    assert_false(truth >= 1 && truth <= threshold); /* (1) no shown count in 1..threshold */
    assert_int_equal(c->value, round ? disclosure_round5(truth) : truth);
    assert_int_equal(c->value == 0, truth == 0);
}

/* (2) a line whose total is shown never hides exactly one non-zero entry. */
static void check_lines(const struct published *p)
{
    for (size_t i = 0; i < p->rows; i++) {
        size_t hid = 0;
        for (size_t j = 0; j < p->cols; j++)
            hid += !p->cells[i * p->cols + j].shown;
        if (p->rt[i].shown)
            assert_true(hid != 1);
    }
    for (size_t j = 0; j < p->cols; j++) {
        size_t hid = 0;
        for (size_t i = 0; i < p->rows; i++)
            hid += !p->cells[i * p->cols + j].shown;
        if (p->ct[j].shown)
            assert_true(hid != 1);
    }
    if (p->grand.shown) {
        size_t hr = 0, hc = 0;
        for (size_t i = 0; i < p->rows; i++)
            hr += !p->rt[i].shown;
        for (size_t j = 0; j < p->cols; j++)
            hc += !p->ct[j].shown;
        assert_true(hr != 1);
        assert_true(hc != 1);
    }
}

static void publish_table(struct published *p, bool round)
{
    struct disclosure_opts o = mkopts(p->threshold, round);
    uint32_t t = disclosure_threshold(&o);

    assert_int_equal(
        disclosure_table(p->rows, p->cols, p->counts, &o, p->cells, p->rt, p->ct, &p->grand), 0);
    for (size_t k = 0; k < p->rows * p->cols; k++)
        check_quantity(&p->cells[k], p->counts[k], t, round);
    for (size_t i = 0; i < p->rows; i++)
        check_quantity(&p->rt[i], true_row(p, i), t, round);
    for (size_t j = 0; j < p->cols; j++)
        check_quantity(&p->ct[j], true_col(p, j), t, round);
    uint64_t g = 0;
    for (size_t k = 0; k < p->rows * p->cols; k++)
        g += p->counts[k];
    check_quantity(&p->grand, g, t, round);
    check_lines(p);
}

static void show(struct disclosure_cell *c, uint64_t v)
{
    *c = (struct disclosure_cell){v, true, false, false};
}

static void hide(struct disclosure_cell *c)
{
    *c = (struct disclosure_cell){0, false, true, false};
}

/* The attacker is not toothless: it pins the cells of tables published by the rule of thumb
 * or with no secondary suppression at all, and frees them once protected. */
static void test_attacker_catches_leaks(void **state)
{
    (void)state;
    struct published p;
    unsigned long long nodes = 0;

    /* [*, *, 50] with total 52: both 1s pinned */
    memset(&p, 0, sizeof p);
    p.rows = 1;
    p.cols = 3;
    p.threshold = 7;
    p.counts[0] = 1;
    p.counts[1] = 1;
    p.counts[2] = 50;
    hide(&p.cells[0]);
    hide(&p.cells[1]);
    show(&p.cells[2], 50);
    show(&p.rt[0], 52);
    hide(&p.ct[0]);
    hide(&p.ct[1]);
    show(&p.ct[2], 50);
    show(&p.grand, 52);
    assert_false(has_second_value(&p, T_CELL, 0, 1, &nodes));
    assert_false(has_second_value(&p, T_CELL, 1, 1, &nodes));
    hide(&p.cells[2]); /* what the library does */
    hide(&p.ct[2]);
    assert_true(has_second_value(&p, T_CELL, 0, 1, &nodes));
    assert_true(has_second_value(&p, T_CELL, 2, 50, &nodes));

    /* [*, 50, 60] with total 113: the 3 is pinned without a second cell */
    p.cols = 3;
    p.counts[0] = 3;
    p.counts[1] = 50;
    p.counts[2] = 60;
    hide(&p.cells[0]);
    show(&p.cells[1], 50);
    show(&p.cells[2], 60);
    show(&p.rt[0], 113);
    hide(&p.ct[0]);
    show(&p.ct[1], 50);
    show(&p.ct[2], 60);
    show(&p.grand, 113);
    assert_false(has_second_value(&p, T_CELL, 0, 3, &nodes));

    /* the 3×3 of test_table_row_fix_forces_column_fix with the row fixed but no column */
    memset(&p, 0, sizeof p);
    p.rows = 3;
    p.cols = 3;
    p.threshold = 7;
    for (size_t k = 0; k < 9; k++) {
        p.counts[k] = (uint32_t)(k == 0 ? 3 : 10 * (k + 1));
        show(&p.cells[k], p.counts[k]);
    }
    hide(&p.cells[0]);
    hide(&p.cells[1]);
    show(&p.rt[0], 53);
    show(&p.rt[1], 150);
    show(&p.rt[2], 240);
    show(&p.ct[0], 113);
    show(&p.ct[1], 150);
    show(&p.ct[2], 180);
    show(&p.grand, 443);
    assert_false(has_second_value(&p, T_CELL, 0, 3, &nodes));
    hide(&p.cells[3]);
    hide(&p.cells[4]);
    assert_true(has_second_value(&p, T_CELL, 0, 3, &nodes));
}

#define N_ATTACKED 3000

static void test_property_attacker(void **state)
{
    (void)state;
    struct rng g;
    unsigned long long nodes = 0;
    size_t primary = 0, secondary = 0, hidden_totals = 0, cells = 0, attacked = 0;

    rng_seed(&g, 20240605);
    for (size_t n = 0; n < N_ATTACKED; n++) {
        struct published p;
        memset(&p, 0, sizeof p);
        p.rows = 1 + (size_t)rng_below(&g, MAXR);
        p.cols = 1 + (size_t)rng_below(&g, MAXC);
        /* mostly 7; sometimes configured up, sometimes asked for less (raised to 7) */
        p.threshold = (uint32_t)(n % 5 == 0 ? 10 : n % 7 == 0 ? 3 : 7);
        for (size_t k = 0; k < p.rows * p.cols; k++)
            p.counts[k] = draw_count(
                &g, disclosure_threshold(&(struct disclosure_opts){p.threshold, false}), 40);
        publish_table(&p, false); /* exact totals: the strongest attacker */
        cells += p.rows * p.cols;

        for (size_t k = 0; k < p.rows * p.cols; k++) {
            if (p.cells[k].shown)
                continue;
            primary += p.cells[k].primary;
            secondary += p.cells[k].secondary;
            second_value(&p, T_CELL, k, p.counts[k], &nodes);
            attacked++;
        }
        for (size_t i = 0; i < p.rows; i++)
            if (!p.rt[i].shown) {
                hidden_totals++;
                second_value(&p, T_ROW, i, (int64_t)true_row(&p, i), &nodes);
                attacked++;
            }
        for (size_t j = 0; j < p.cols; j++)
            if (!p.ct[j].shown) {
                hidden_totals++;
                second_value(&p, T_COL, j, (int64_t)true_col(&p, j), &nodes);
                attacked++;
            }
        if (!p.grand.shown) {
            uint64_t s = 0;
            for (size_t k = 0; k < p.rows * p.cols; k++)
                s += p.counts[k];
            hidden_totals++;
            second_value(&p, T_GRAND, 0, (int64_t)s, &nodes);
            attacked++;
        }
    }
    print_message("attacker: %d tables (up to %dx%d), %zu cells: %zu primary, %zu secondary, "
                  "%zu hidden totals; %zu hidden quantities attacked, none pinned "
                  "(%llu search nodes)\n",
                  N_ATTACKED, MAXR, MAXC, cells, primary, secondary, hidden_totals, attacked,
                  nodes);
}

/* The rule on a nearly-uniform grid of counts: hidden blocks must close up. */
static void test_property_attacker_dense_small(void **state)
{
    (void)state;
    struct rng g;
    unsigned long long nodes = 0;
    size_t attacked = 0;

    rng_seed(&g, 77);
    for (size_t n = 0; n < 500; n++) {
        struct published p;
        memset(&p, 0, sizeof p);
        p.rows = 2 + (size_t)rng_below(&g, MAXR - 1);
        p.cols = 2 + (size_t)rng_below(&g, MAXC - 1);
        p.threshold = 7;
        /* mostly 1..3 and a few just above the threshold: many 1s to pin */
        for (size_t k = 0; k < p.rows * p.cols; k++)
            p.counts[k] =
                rng_below(&g, 4) ? 1 + (uint32_t)rng_below(&g, 3) : 8 + (uint32_t)rng_below(&g, 3);
        publish_table(&p, false);
        for (size_t k = 0; k < p.rows * p.cols; k++)
            if (!p.cells[k].shown) {
                second_value(&p, T_CELL, k, p.counts[k], &nodes);
                attacked++;
            }
        for (size_t i = 0; i < p.rows; i++)
            if (!p.rt[i].shown) {
                second_value(&p, T_ROW, i, (int64_t)true_row(&p, i), &nodes);
                attacked++;
            }
        for (size_t j = 0; j < p.cols; j++)
            if (!p.ct[j].shown) {
                second_value(&p, T_COL, j, (int64_t)true_col(&p, j), &nodes);
                attacked++;
            }
    }
    print_message("dense small counts: 500 tables, %zu hidden quantities attacked, none pinned "
                  "(%llu search nodes)\n",
                  attacked, nodes);
}

static bool same_cell(const struct disclosure_cell *a, const struct disclosure_cell *b)
{
    return a->value == b->value && a->shown == b->shown && a->primary == b->primary &&
           a->secondary == b->secondary;
}

/* Bigger tables, beyond the attacker's reach: the rule's invariants, rounding, and that the
 * same input gives the same output. */
static void test_property_large(void **state)
{
    (void)state;
    enum { R = 15, C = 12 };
    static uint32_t counts[R * C];
    static struct disclosure_cell a[R * C], b[R * C];
    struct disclosure_cell art[R], act[C], ag, brt[R], bct[C], bg;
    struct rng g;
    size_t hidden = 0, secondary = 0, total = 0;

    rng_seed(&g, 99);
    for (size_t n = 0; n < 300; n++) {
        size_t rows = 1 + (size_t)rng_below(&g, R), cols = 1 + (size_t)rng_below(&g, C);
        uint32_t threshold = 7 + (uint32_t)rng_below(&g, 6);
        bool round = n % 2 == 0;
        struct disclosure_opts o = mkopts(threshold, round);
        uint64_t grand = 0;

        for (size_t k = 0; k < rows * cols; k++) {
            counts[k] = draw_count(&g, threshold, n % 3 == 0 ? 5000 : 60);
            grand += counts[k];
        }
        assert_int_equal(disclosure_table(rows, cols, counts, &o, a, art, act, &ag), 0);
        assert_int_equal(disclosure_table(rows, cols, counts, &o, b, brt, bct, &bg), 0);
        for (size_t k = 0; k < rows * cols; k++) {
            assert_true(same_cell(&a[k], &b[k]));
            check_quantity(&a[k], counts[k], threshold, round);
            if (a[k].shown && round)
                assert_int_equal(a[k].value % 5, 0);
            hidden += !a[k].shown;
            secondary += a[k].secondary;
        }
        for (size_t i = 0; i < rows; i++) {
            uint64_t s = 0;
            for (size_t j = 0; j < cols; j++)
                s += counts[i * cols + j];
            assert_true(same_cell(&art[i], &brt[i]));
            check_quantity(&art[i], s, threshold, round);
            if (art[i].shown) {
                size_t hid = 0;
                for (size_t j = 0; j < cols; j++)
                    hid += !a[i * cols + j].shown;
                assert_true(hid != 1);
            }
        }
        for (size_t j = 0; j < cols; j++) {
            uint64_t s = 0;
            for (size_t i = 0; i < rows; i++)
                s += counts[i * cols + j];
            assert_true(same_cell(&act[j], &bct[j]));
            check_quantity(&act[j], s, threshold, round);
            if (act[j].shown) {
                size_t hid = 0;
                for (size_t i = 0; i < rows; i++)
                    hid += !a[i * cols + j].shown;
                assert_true(hid != 1);
            }
        }
        assert_true(same_cell(&ag, &bg));
        check_quantity(&ag, grand, threshold, round);
        total += rows * cols;
    }
    print_message("large: 300 tables up to %dx%d, %zu cells, %zu hidden (%zu secondary)\n", R, C,
                  total, hidden, secondary);
}

/* The largest table accepted, to keep the cost in view: a profession × organisation table. */
static void test_large_breakdown_cost(void **state)
{
    (void)state;
    enum { R = 14, C = 220 };
    static uint32_t counts[R * C];
    static struct disclosure_cell cells[R * C];
    struct disclosure_opts o = mkopts(7, true);
    struct rng g;
    size_t hidden = 0;

    rng_seed(&g, 5);
    for (size_t k = 0; k < R * C; k++)
        counts[k] = draw_count(&g, 7, 300);
    assert_int_equal(disclosure_table(R, C, counts, &o, cells, NULL, NULL, NULL), 0);
    for (size_t k = 0; k < R * C; k++) {
        check_quantity(&cells[k], counts[k], 7, true);
        hidden += !cells[k].shown;
    }
    print_message("14x220: %zu of %d cells hidden\n", hidden, R * C);
}

/* The words that explain the rule to readers say the threshold the code applies. */
static void test_words_say_the_threshold(void **state)
{
    char up_to[DISCLOSURE_TEXT_MAX], from[DISCLOSURE_TEXT_MAX];
    (void)state;
    snprintf(up_to, sizeof up_to, "%u", (unsigned)disclosure_threshold(NULL));
    snprintf(from, sizeof from, "%u", (unsigned)disclosure_threshold(NULL) + 1);
    assert_string_equal(DISCLOSURE_HIDDEN_UP_TO, up_to);
    assert_string_equal(DISCLOSURE_SHOWN_FROM, from);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threshold),
        cmocka_unit_test(test_table_hiding),
        cmocka_unit_test(test_words_say_the_threshold),
        cmocka_unit_test(test_count_rules),
        cmocka_unit_test(test_rounding),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_mean),
        cmocka_unit_test(test_row_secondary),
        cmocka_unit_test(test_two_ones_are_not_enough),
        cmocka_unit_test(test_row_edge_cases),
        cmocka_unit_test(test_table_row_fix_forces_column_fix),
        cmocka_unit_test(test_table_small_total),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_attacker_catches_leaks),
        cmocka_unit_test(test_property_attacker),
        cmocka_unit_test(test_property_attacker_dense_small),
        cmocka_unit_test(test_property_large),
        cmocka_unit_test(test_large_breakdown_cost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
