/* benchmark.c: a round's benchmark — national and per-group distributions, the profession ×
 * region table — with the disclosure rule applied to everything it returns
 *
 * A national round has tens of thousands of responses and a page wants every breakdown at
 * once, so the work is one pass over the answers and then passes over compact scores:
 *  1. every response is scored once into a float matrix stored column by column (one column
 *     per domain, then the overall score; NaN where not scored). The percent and mean5
 *     methods go through a flat per-item table (score_fast: one table look-up and one
 *     two-lane addition per answer), which halves this pass; the levels method calls
 *     assess_score() itself. Both follow assess.h; the tests hold one against the other.
 *  2. per dimension, the respondents are counting-sorted by group (stable), the group
 *     counts are suppressed as one breakdown (disclosure_breakdown, with the not-stated
 *     respondents as a cell so the secondary suppression holds against the published
 *     total), and each group is summed column by column: the loads then stay within one
 *     column (280 KB at 70,000 responses, cache-sized) and one pair of 1001-bin histograms
 *     (0.1 points a bin, 8 KiB) serves every column of every group, cleared after each;
 *  3. quartiles come from the histograms by nearest rank (see benchmark.h), and only for
 *     groups whose statistics will be shown, so a hidden or small group costs a sum.
 * The means are exact (sums of the float scores in double); the quartiles are exact on the
 * scores rounded to 0.1, which is how they are published.
 *
 * Measured (bench/assess_bench.c, one core of the 2-core build machine, -O2, a loaded
 * machine): 70,000 responses × 40 items × 9 domains, 234 groups, median 16.5 ms against an
 * anchor of 1.0 ms (ratio 16; 15.6 ms before the cross table's cells were audited with the
 * organisations and the bands, run alternately with it; on a busier day once 47 ms against
 * 1.2 ms). Scoring is as before (a quarter of the former 15–25 ms); the organisations' pass,
 * whose small groups are scattered over the columns, is the dearest of the group passes
 * (prefetched; respondents ordered by organisation make it sequential); the audit of
 * profession × organisation is most of the rest: the 2% who give no profession make a row of
 * some 200 cells of 1 to 7, each of which the audit protects. The (cell × organisation) audit
 * costs about 1 ms at 200 organisations but grows fast with them: the whole benchmark takes
 * 69 ms at 600 organisations, 0.3 s at 2,000 (29 ms before), 6 s at 4,000 (see the limit
 * below). The anchor decodes every answer once.
 *
 * What is shown: a group's statistics only when its count cell is shown AND its n in that
 * domain is shown (more than the threshold scored there, and the audit of those scored in
 * the column, col_audit() below, left it shown); a hidden group's statistics are all
 * suppressed ("*"), even over nobody, since "nobody in this hidden group answered" is itself
 * a fact about it. Counts per domain follow the two-cell rule in benchmark.h, which that
 * audit applies, so a group whose few answerers of a domain are hidden is not the national
 * figure less the shown ones.
 *
 * Every pair of breakdowns audited as one table (suppress_all()). For each pair of the four
 * dimensions, the (groups + not stated) × (groups + not stated) table whose row totals are
 * one breakdown, whose column totals are the other and whose grand total is the number of
 * responses is audited by disclosure_table_hiding() with everything hidden anywhere forced
 * hidden; what one pair's audit hides more is hidden in every table of its dimension, and
 * the audits are repeated until none hides anything more. The cells of the profession ×
 * region table (not stated on either side included) are a fifth dimension, audited the same
 * way against the organisations and against the bands: the (cell × organisation) table is
 * profession × region × organisation with the cross table and the organisations as its
 * published margins; a cell hidden there is forced hidden in the cross table's audit and
 * the other way round. Every figure then published (breakdowns, cross table, number of
 * responses; page, API answer, CSV or JSON, members' and facilitators' views alike, all read
 * from here) is a margin or, for profession × region, a cell of tables whose last audits all
 * agree. Guaranteed:
 *  - what one breakdown hides, every other table hides (a profession hidden in the breakdown
 *    is hidden as the cross table's "All regions", and its only cell is hidden too), and a
 *    hidden number of responses is hidden everywhere;
 *  - no hidden group, cell or total can be worked out exactly from the shown figures of any
 *    two breakdowns together (the cross table's cells included for profession × region),
 *    nor from the cross table's cells with the breakdown by organisation or by band, even by
 *    an attacker who knows every count of the audited two-way table that the rule would
 *    show (which groups are empty together, how many physiotherapists are in band 6, that
 *    organisation 3 employs only the physiotherapists of one region, all of them): the
 *    interiors other than profession × region's are not published, and are audited as if
 *    they were, which is stronger than needed. So the orthoptist alone in a band with
 *    physiotherapists is not band − physiotherapists, an organisation hidden in its
 *    breakdown is not shown as the cross-table cell of the same people (with its means),
 *    and neither a hidden group's count nor (the sums following the same tables) the sum
 *    of its scores is a difference of shown ones;
 *  - against an attacker who does not know which combinations are empty, nothing hidden is
 *    a linear combination of everything shown at once (every table together). Every
 *    published figure is a sum of cells of the four-way table that depends on (profession,
 *    region) alone, on the organisation alone or on the band alone; with every combination
 *    possible (bar those a shown 0 empties, which leave a product), a sum of such figures
 *    that depends on one of the three alone takes the other two only as multiples of the
 *    number of responses. So a hidden figure would follow from its own table plus, at most,
 *    the number of responses as another table gives it; the audits hide the number wherever
 *    one table could give it, and each table's audit rules out the rest. A search of
 *    100,000 random populations (2 to 8 professions, 2 to 6 regions, 2 to 7 bands, 2 to 11
 *    organisations, 3 to 200 people, organisations within regions or of one profession,
 *    bands following professions) found none, before and after the cell audits;
 *  - against an attacker who also knows which (profession, region, organisation, band)
 *    combinations are empty (organisation B employs only the north's occupational
 *    therapists), nothing hidden is a linear combination of everything shown at once: the
 *    final check below (span_fix(), exact arithmetic modulo 2^61 − 1, text/disclosure_span.h)
 *    tests every hidden figure on the audited outcome and, where one is determined, hides one
 *    more shown figure and runs the audits again, until none is. The means follow (every
 *    statistic of a hidden group or cell is suppressed, and a group's sum of scores is
 *    determined exactly when its count is, the sums being over the same groups). Before
 *    it, the search above
 *    found 193 hidden figures so determined in its 100,000 populations (say, a region's count
 *    less its shown cells was the organisation that employs exactly the hidden rest); with it,
 *    none. Its cost is within the machine's noise (bench/assess_bench.c: median 27 ms against
 *    25 ms, where nothing published is hidden; at 2,047 organisations of skewed sizes, 173
 *    to 396 hidden figures against 141 shown ones, about 1 s or 0.5 s with or without it).
 * benchmark_test checks the second by exact rank (a hidden figure in the span of the shown
 * cells, organisations or bands, and the number of responses) on a fixed population and on
 * 3,000 small random ones, the first on every population it draws, and the third (every
 * table at once, the combinations someone is in as unknowns) on a fixed population and on
 * every random one of both kinds.
 * A pair's table is at most DISCLOSURE_MAX_CELLS (65,536) cells, disclosure_table_hiding()'s
 * bound on its audit (quadratic in the worst case): with 15 professions + not stated, a round
 * of more than 4,095 organisations is APP_E_TOOBIG. The cell tables may have four times as
 * many (CELL_AUDIT_MAX), so a round is also APP_E_TOOBIG when the cross table's occupied
 * cells (at most 16 × 8 with the not stated) times the organisations + 1 exceed 262,144:
 * more than 2,047 organisations when all 128 cells hold someone (their audit grows quickly
 * with the organisations, as measured above); and when the final check's system would
 * exceed 2^23 entries (occupied profession × region × band combinations times the figures
 * involved: far beyond 16 × 8 × 13 with a few hundred figures). results.c then computes the
 * round again with every organisation as not stated, and the pages say why there is no
 * breakdown by organisation (results.h: orgs_withheld).
 *
 * Not guaranteed (the limits of disclosure.h): the final check is exact only for a
 * determination whose rational coefficients' denominators 2^61 − 1 does not divide (a
 * chance of the order of 2^-61 per figure; a false alarm only hides one figure more).
 * Also not guaranteed: narrow intervals (a hidden cell may be known to be 1 or 2, a hidden
 * mean to lie in a range), and bounds combined across tables (a hidden total that the cross
 * table caps and the organisations' hidden groups, all of one person, floor). The counts and
 * the columns' ns are checked as one system (joint_check.h, after the columns' audits): a
 * group's count less its n is its unscored rest, so where whole professions skip a domain, a
 * region's count less its n can be a profession's cell of the cross table that the counts'
 * audit hid, or the national count less the national n and a shown profession's rest a
 * hidden profession (17 people suffice, test_answerers_give_a_hidden_profession); and where
 * two professions answer two different domains, n(a) + n(b) − N is those who answered both
 * less those who answered neither (test_two_domains_answered_by_different_professions).
 * Each audit was exact on its own; before the joint check, benchmark_test's 300 random
 * populations in which whole professions skip one domain gave 37 hidden figures so
 * determined, and 300 in which they skip different domains 63 more from every column at
 * once; an independent attacker (exact arithmetic modulo 2^89 − 1) found 780 figures in
 * 1,500 random populations one column at a time, and two-column ones in 2.9% of populations
 * where professions skip different domains. With it: none, in those or in 1,000 and 1,500
 * more. Where it finds one, one more n is hidden (of the fewest smallest shown ns whose
 * hiding undetermines it, the largest) and that column audited again. The check keeps only
 * the equations that raise the rank, as their nonzero entries (joint_check.c): where 70,000
 * respondents skip 84 different sets of 9 domains, 46,301 entries where the whole system is
 * 25.8 million, which it once found beyond its size (2^23) and took one column at a time,
 * missing what only every column at once gives (joint_check_test: a profession of one that
 * n(a) + n(b) − count gives among 8,000 others; the benchmark below hid 1 more n in each of
 * those rounds; and an instrument of 16 domains with 1,400 respondents and 50 pay bands,
 * where the check's tables of every slot once gave up before solving). Only when the kept
 * entries pass 2^23 is each column checked with the counts on its own, which leaves
 * combinations of several columns unchecked; none of the rounds below comes near it
 * (249,747 entries at 2,047 organisations). Also not guaranteed:
 * combining two rounds. A column some respondents skipped costs one more audit of everything, once per
 * different set of them, and the joint check (bench/assess_bench.c, 70,000 responses, a
 * tenth of them skipping the last domain, BENCH_SKIP=0.1: 27 ms against 19 ms with none
 * skipped, before the joint check; with its organisations set to 2,047, 0.78 s against
 * 0.28 s. The joint check adds one solve when nothing is determined: 27 ms to 29 ms there,
 * and 0.79 s to 0.94 s with 2,047 organisations (medians of five alternating runs on an idle
 * machine); with each respondent skipping each domain with a chance of 0.02
 * (BENCH_SKIP_EACH=0.02: 84 different sets), 0.17 s to 0.30 s one domain at a time. Checked
 * at once, as now (medians of five alternating runs on a busy machine): 0.33 s to 0.92 s,
 * and at 2,047 organisations 6.7 s to 9.2 s; BENCH_SKIP=0.1 at 2,047 organisations went from
 * 0.99 s to 0.83 s with the kept-rows elimination. Where a whole
 * profession of 10 skips a domain in a round of 3,000 or 10,010 responses from 60 or 200
 * organisations, the rounds of the check take it from 0.014 to 0.15 s and from 0.034 to
 * 0.19 s, and it hides 10 and 11 ns of that domain, where the
 * columns' audits alone hid 13 and 14); its working memory is freed, and results.c caches the
 * outcome per round. Rounding counts to 5 and members' means to whole percentages
 * (assess_benchmark_for_members) adds uncertainty but is not relied on.
 */
#include "assess/benchmark.h"
#include "assess/joint_check.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "text/disclosure_span.h"

#define NBINS 1001 /* 0.0, 0.1, …, 100.0 */
/* How many respondents ahead a group's scan asks for a score: a small organisation's members
 * are scattered over the column, and the loads are known well before they are needed. */
#define PREFETCH 32

const char *const assess_pay_bands[] = {"2",  "3",  "4",  "5",  "6", "7",
                                        "8a", "8b", "8c", "8d", "9", "other"};
const size_t assess_pay_bands_count = sizeof assess_pay_bands / sizeof assess_pay_bands[0];

static const char *const pay_band_names[] = {
    "Band 2",  "Band 3",  "Band 4",  "Band 5",  "Band 6", "Band 7",
    "Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9", "Other or not on Agenda for Change"};

const char *assess_pay_band_name(const char *code)
{
    if (!code)
        return NULL;
    for (size_t k = 0; k < assess_pay_bands_count; k++)
        if (strcmp(code, assess_pay_bands[k]) == 0)
            return pay_band_names[k];
    return NULL;
}

const char *assess_dim_name(enum assess_dim d)
{
    switch (d) {
    case AD_PROFESSION:
        return "profession";
    case AD_REGION:
        return "region";
    case AD_ORGANISATION:
        return "organisation";
    case AD_BAND:
        return "band";
    case AD_NDIMS:
        break;
    }
    return "unknown";
}

/* The state of one computation. */
struct bench {
    const struct assess_instrument *ins;
    const struct disclosure_opts *dopts;
    uint32_t threshold;
    size_t n, nd, cols; /* cols = nd + 1: the domains, then overall */
    size_t ngroups[AD_NDIMS];
    uint32_t *grp[AD_NDIMS]; /* n each: each respondent's group; ngroups[d] for not stated */
    float *score;            /* cols × n, column-major; NaN when not scored */
    uint32_t *order;         /* n: respondent numbers sorted by group (scratch) */
    uint32_t *hist;          /* 2 × NBINS, all zero between uses */
    const struct col_hides *col_hidden; /* cols: what each column's audit hid (col_audit()) */
};

/* Groups (not stated last in each dimension), profession × region cells (the whole table,
 * (professions + 1) × (regions + 1)) and the national figure of one column (a domain, or the
 * overall figure): what must be hidden there before its audit (col_audit()), or what that
 * audit hid (b->col_hidden), whose count and statistics in that column are then all suppressed.
 * all: everyone was scored in the column, so its counts are the groups' and the audit of the
 * counts covers it; nothing more is hidden. */
struct col_hides {
    bool all;
    bool *dim[AD_NDIMS];
    bool *cell;
    bool total;
};

/* True when column audit ce hid group g of dimension d (d < 0: the national figure, d ==
 * AD_NDIMS: cross-table cell g). */
static bool col_hid(const struct col_hides *ce, int d, size_t g)
{
    if (!ce || ce->all)
        return false;
    return d < 0 ? ce->total : d == AD_NDIMS ? ce->cell[g] : ce->dim[d][g];
}

/* The histogram bin of a percentage: to the nearest 0.1, halves up, clamped to 0–100. */
static unsigned bin_of(float v)
{
    float b = v * 10.0f + 0.5f;
    if (!(b >= 0))
        return 0;
    if (b >= NBINS - 1)
        return NBINS - 1;
    return (unsigned)b;
}

/* Q1, median and Q3 by nearest rank (ranks ceil(n/4), ceil(n/2), ceil(3n/4)) from the two
 * interleaved histograms at h (2 × NBINS) holding n values, in one scan. */
static void hist_quartiles(const uint32_t *h, uint32_t n, double q[3])
{
    uint64_t rank[3] = {((uint64_t)n + 3) / 4, ((uint64_t)n + 1) / 2, (3 * (uint64_t)n + 3) / 4};
    uint64_t seen = 0;
    int k = 0;

    for (unsigned bin = 0; bin < NBINS && k < 3; bin++) {
        seen += (uint64_t)h[bin] + h[NBINS + bin];
        while (k < 3 && seen >= rank[k])
            q[k++] = bin / 10.0;
    }
    while (k < 3)
        q[k++] = 100.0; /* not reached: the histograms hold n values */
}

static void suppress_stat(struct disclosure_stat *s)
{
    s->value = 0;
    s->shown = false;
    s->suppressed = true;
}

/* One distribution: column col (a domain, or the overall figure when col == nd) of a group
 * whose count cell is group_shown, whose n in this column col_hidden hides (col_audit()),
 * and whose scores in this column sum to sum over n of them; b->hist holds them when the
 * statistics can be shown. */
static int dist_fill(struct bench *b, struct assess_dist *out, size_t col, bool group_shown,
                     bool col_hidden, uint32_t n, double sum)
{
    const struct assess_domain *dom = col < b->nd ? &b->ins->domains[col] : NULL;
    bool baseline = dom && dom->has_baseline;
    double mean, q[3];
    int rc = 0;

    memset(out, 0, sizeof *out);
    out->n = n;
    /* a hidden group, or one the column's audit hid (col_audit()): its own few scored, its
     * few unscored, or to protect another group's figures */
    if (!group_shown || col_hidden) {
        out->count.primary = n >= 1 && n <= b->threshold;
        out->count.secondary = !out->count.primary;
        suppress_stat(&out->mean);
        suppress_stat(&out->median);
        suppress_stat(&out->q1);
        suppress_stat(&out->q3);
        if (baseline)
            suppress_stat(&out->vs_baseline);
        goto done;
    }
    /* n in 1..threshold, or a rest (group_n − n) that is, was hidden by the column's audit;
     * a column everyone was scored in has no rest */
    out->count = disclosure_count(n, b->dopts);
    mean = n > 0 ? sum / n : 0;
    if ((rc = disclosure_mean(n, mean, b->dopts, &out->mean)) != 0)
        goto done;
    if (baseline &&
        (rc = disclosure_mean(n, mean - dom->baseline, b->dopts, &out->vs_baseline)) != 0)
        goto done;
    if (!out->mean.shown) {
        out->median = out->q1 = out->q3 = out->mean;
        goto done;
    }
    hist_quartiles(b->hist, n, q);
    if ((rc = disclosure_mean(n, q[0], b->dopts, &out->q1)) != 0 ||
        (rc = disclosure_mean(n, q[1], b->dopts, &out->median)) != 0 ||
        (rc = disclosure_mean(n, q[2], b->dopts, &out->q3)) != 0)
        goto done;
done:
    return rc;
}

/* Sums column col over the respondents rows[0..m) into *sum and *n and, when hist is not
 * NULL, into the two interleaved histograms there. Two of everything, alternately, so that
 * neither the floating-point additions nor the increments of a popular bin wait on each
 * other: the loop runs at the speed of the loads. */
static void column_scan(const float *col, const uint32_t *rows, size_t m, uint32_t *hist,
                        double *sum, uint32_t *n)
{
    double s0 = 0, s1 = 0;
    uint32_t n0 = 0, n1 = 0;
    size_t k = 0;

    if (hist) {
        uint32_t *h0 = hist, *h1 = hist + NBINS;
        for (; k + 1 < m; k += 2) {
            float v0 = col[rows[k]], v1 = col[rows[k + 1]];
            if (k + PREFETCH + 1 < m) {
                __builtin_prefetch(&col[rows[k + PREFETCH]]);
                __builtin_prefetch(&col[rows[k + PREFETCH + 1]]);
            }
            if (!isnan(v0)) {
                s0 += v0;
                n0++;
                h0[bin_of(v0)]++;
            }
            if (!isnan(v1)) {
                s1 += v1;
                n1++;
                h1[bin_of(v1)]++;
            }
        }
        if (k < m && !isnan(col[rows[k]])) {
            s0 += col[rows[k]];
            n0++;
            h0[bin_of(col[rows[k]])]++;
        }
    } else {
        for (; k < m; k++) {
            float v = col[rows[k]];
            if (k + PREFETCH < m)
                __builtin_prefetch(&col[rows[k + PREFETCH]]);
            if (!isnan(v)) {
                s0 += v;
                n0++;
            }
        }
    }
    *sum = s0 + s1;
    *n = n0 + n1;
}

/* One group's distributions, the domains into doms (b->nd) and the overall into *overall,
 * from the respondents rows[0..m). Column by column, so the scores read at random stay
 * within one column (n floats, cache-resident at national scale) and one 8 KiB pair of
 * histograms serves every column. */
static int group_fill(struct bench *b, const uint32_t *rows, size_t m, bool shown, int d, size_t g,
                      struct assess_dist *doms, struct assess_dist *overall)
{
    /* a hidden group, or one too small for any statistic, needs only its n per column */
    bool with_hist = shown && m > b->threshold;
    int rc = 0;

    for (size_t c = 0; c < b->cols && rc == 0; c++) {
        double sum;
        uint32_t n;
        column_scan(b->score + c * b->n, rows, m, with_hist ? b->hist : NULL, &sum, &n);
        rc = dist_fill(b, c < b->nd ? &doms[c] : overall, c, shown,
                       col_hid(b->col_hidden ? &b->col_hidden[c] : NULL, d, g), n, sum);
        if (with_hist)
            memset(b->hist, 0, 2 * NBINS * sizeof *b->hist);
    }
    return rc;
}

/* Option index + 1 of an answer character, 0 when it is none (as scoring.c reads them). */
static const unsigned char decode1[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['g'] = 17, ['h'] = 18, ['i'] = 19, ['j'] = 20, ['k'] = 21, ['l'] = 22, ['m'] = 23, ['n'] = 24,
    ['o'] = 25, ['p'] = 26, ['q'] = 27, ['r'] = 28, ['s'] = 29, ['t'] = 30, ['u'] = 31, ['v'] = 32,
    ['w'] = 33, ['x'] = 34, ['y'] = 35, ['z'] = 36,
};

/* Two doubles added as one (GCC and Clang vector extension; SSE2 on x86-64, NEON on arm64,
 * plain code elsewhere): an answer's weighted score and its weight. */
typedef double pair __attribute__((vector_size(2 * sizeof(double))));

/* One item as the percent and mean5 fast path reads it: for decoded answer k, at t[k] the
 * pair {weight × score, weight}, {0, 0} where k is not an option of the item (unanswered or
 * out of range). With every weight > 0, a domain's weight sum is > 0 exactly when something
 * in it was answered, so no count is kept. */
struct fast_item {
    pair t[ASSESS_MAX_OPTIONS + 1];
};

/* The percent and mean5 methods as assess_score() defines them, over a flat table and
 * without branches: a national round is millions of answers, and this is the only pass
 * that reads them. One vector addition per answer carries both the weighted score and the
 * weight, in two partial sums (even and odd items) so the additions overlap; the results equal
 * assess_score()'s up to rounding in the last bits, far below the float they are stored in. a holds
 * at least nitems characters; the scores go to row p of each column. */
static void score_fast(const struct bench *b, const struct fast_item *fi, const char *a, size_t p)
{
    const struct assess_instrument *ins = b->ins;
    double dsum = 0, dwsum = 0, isum = 0, iwsum = 0;
    bool answered = false;

    for (size_t c = 0; c < ins->ndomains; c++) {
        const struct assess_domain *d = &ins->domains[c];
        const struct fast_item *it = fi + d->first;
        const unsigned char *ans = (const unsigned char *)a + d->first;
        pair acc0 = {0, 0}, acc1 = {0, 0};
        double sum, wsum;
        size_t j = 0;
        for (; j + 1 < d->nitems; j += 2) {
            acc0 += it[j].t[decode1[ans[j]]];
            acc1 += it[j + 1].t[decode1[ans[j + 1]]];
        }
        if (j < d->nitems)
            acc0 += it[j].t[decode1[ans[j]]];
        acc0 += acc1;
        sum = acc0[0];
        wsum = acc0[1];
        if (!(wsum > 0)) {
            /* every weight is > 0 here (fast_items), so nothing was answered */
            b->score[c * b->n + p] = NAN;
            continue;
        }
        answered = true;
        isum += sum;
        iwsum += wsum;
        sum /= wsum;
        b->score[c * b->n + p] = (float)sum;
        dsum += d->weight * sum;
        dwsum += d->weight;
    }
    if (!answered)
        b->score[ins->ndomains * b->n + p] = NAN;
    else if (ins->method == AM_MEAN5)
        b->score[ins->ndomains * b->n + p] = (float)(iwsum > 0 ? isum / iwsum : 0);
    else
        b->score[ins->ndomains * b->n + p] = (float)(dwsum > 0 ? dsum / dwsum : 0);
}

/* The fast path's item table, or NULL when the instrument does not suit it (the levels
 * method, domains that do not tile the answer string, a weight that is not a positive
 * number, which the parser forbids) or memory runs out. */
static struct fast_item *fast_items(struct arena *a, const struct assess_instrument *ins)
{
    struct fast_item *fi;

    if (ins->method == AM_LEVELS || ins->nitems > ASSESS_MAX_ITEMS)
        return NULL;
    for (size_t c = 0; c < ins->ndomains; c++) {
        const struct assess_domain *d = &ins->domains[c];
        if (d->first > ins->nitems || d->nitems > ins->nitems - d->first)
            return NULL;
        for (size_t j = 0; j < d->nitems; j++)
            if (!(d->items[j].weight > 0) || !isfinite(d->items[j].weight))
                return NULL;
    }
    if (!(fi = arena_calloc(a, ins->nitems ? ins->nitems : 1, sizeof *fi)))
        return NULL;
    for (size_t c = 0; c < ins->ndomains; c++) {
        const struct assess_domain *d = &ins->domains[c];
        for (size_t j = 0; j < d->nitems; j++) {
            const struct assess_item *it = &d->items[j];
            struct fast_item *f = &fi[d->first + j];
            size_t nopt = it->options ? it->noptions : 0;
            for (size_t k = 0; k < nopt && k < ASSESS_MAX_OPTIONS; k++)
                f->t[k + 1] = (pair){it->weight * it->options[k].score, it->weight};
        }
    }
    return fi;
}

/* Scores every response into b->score and copies its groups into b->grp: the fast path when
 * the method allows, otherwise assess_score(). */
static int score_all(struct arena *a, struct bench *b, const struct assess_respondent *r)
{
    struct assess_score dom[ASSESS_MAX_DOMAINS], all;
    struct fast_item *fi = fast_items(a, b->ins);
    char pad[ASSESS_MAX_ITEMS];
    size_t nitems = b->ins->nitems;
    int rc = 0;

    for (size_t p = 0; p < b->n; p++) {
        const struct assess_respondent *ri = &r[p];
        for (int d = 0; d < AD_NDIMS; d++)
            b->grp[d][p] = ri->group[d] < 0 ? (uint32_t)b->ngroups[d] : (uint32_t)ri->group[d];
        if (fi) {
            const char *s = ri->answers;
            if (ri->len < nitems) {
                /* a short string: the rest is unanswered */
                memset(pad, ASSESS_UNANSWERED, nitems);
                if (ri->len)
                    memcpy(pad, ri->answers, ri->len);
                s = pad;
            }
            score_fast(b, fi, s, p);
            continue;
        }
        if ((rc = assess_score(b->ins, ri->answers, ri->len, dom, &all)) != 0)
            goto done;
        for (size_t c = 0; c < b->nd; c++)
            b->score[c * b->n + p] = dom[c].scored ? (float)dom[c].percent : NAN;
        b->score[b->nd * b->n + p] = all.scored ? (float)all.percent : NAN;
    }
done:
    return rc;
}

/* Counting sort of respondents by their group in dimension d (not stated last): group g's
 * respondents, ascending, are order[start[g] .. start[g] + counts[g]). counts: ngroups + 1,
 * filled here; start: ngroups + 1. */
static void sort_by_group(const struct bench *b, int d, uint32_t *counts, size_t *start,
                          uint32_t *order)
{
    size_t ng = b->ngroups[d], at = 0;
    const uint32_t *grp = b->grp[d];

    memset(counts, 0, (ng + 1) * sizeof *counts);
    for (size_t p = 0; p < b->n; p++)
        counts[grp[p]]++;
    for (size_t g = 0; g <= ng; g++) {
        start[g] = at;
        at += counts[g];
    }
    for (size_t i = 0; i < b->n; i++)
        order[start[grp[i]]++] = (uint32_t)i;
    for (size_t g = 0; g <= ng; g++)
        start[g] -= counts[g]; /* back to the start */
}

/* The dimensions the audits see: the four breakdowns, then the cells of the profession ×
 * region table as a dimension of their own (a respondent's cell, not stated included on
 * either side), numbered over the cells anyone is in (an empty cell is a shown 0 that no
 * audit needs): the cross table's cells are then the row totals of a (cell × organisation)
 * and a (cell × band) table, whose column totals are the breakdowns by organisation and
 * band, as the three-way tables profession × region × organisation and × band. */
#define AD_CELL  AD_NDIMS
#define NAUDITED (AD_NDIMS + 1)

/* The pairs audited as two-way tables, profession × region first: its interior is the
 * published cross table, and its cells are the dimension AD_CELL. */
static const int dim_pairs[][2] = {{AD_PROFESSION, AD_REGION}, {AD_PROFESSION, AD_ORGANISATION},
                                   {AD_PROFESSION, AD_BAND},   {AD_REGION, AD_ORGANISATION},
                                   {AD_REGION, AD_BAND},       {AD_ORGANISATION, AD_BAND},
                                   {AD_CELL, AD_ORGANISATION}, {AD_CELL, AD_BAND}};
#define NPAIRS (sizeof dim_pairs / sizeof dim_pairs[0])
/* The largest (cell × organisation) or (cell × band) table audited: four times what other
 * tables may be, so that a round of 2,047 organisations with all 128 cells occupied is
 * audited (in about 0.3 s at 70,000 responses, the table being mostly 0s and 1s) rather than
 * refused. */
#define CELL_AUDIT_MAX (4 * (size_t)DISCLOSURE_MAX_CELLS)

/* The largest table pair k's audit takes. */
static size_t pair_max(size_t k)
{
    return dim_pairs[k][0] == AD_CELL ? CELL_AUDIT_MAX : DISCLOSURE_MAX_CELLS;
}

/* One pair's two-way table, (groups of the first + not stated) × (groups of the second + not
 * stated): its counts and its last audit's outcome. */
struct pair_table {
    int r, c;
    size_t nr, nc;
    uint32_t *counts; /* nr × nc */
    struct disclosure_cell *cells, *rows, *cols, total;
    uint64_t ran; /* when it was last audited (suppress_all()'s clock); 0: never */
};

/* The suppressed group counts of every dimension (the not-stated respondents last in each)
 * and every pair's table, all decided before any statistic is worked out; see
 * suppress_all(). pair[0] is profession × region, the published cross table. */
struct bench_cells {
    struct disclosure_cell *dim[AD_NDIMS]; /* ngroups[d] + 1 each */
    struct pair_table pair[NPAIRS];
};

/* Respondents per group of dimension d, the not-stated ones last: counts has ngroups + 1. */
static void group_counts(const struct bench *b, int d, uint32_t *counts)
{
    memset(counts, 0, (b->ngroups[d] + 1) * sizeof *counts);
    for (size_t p = 0; p < b->n; p++)
        counts[b->grp[d][p]]++;
}

/* What the audits see of each dimension: its number of groups, not stated included, and
 * each respondent's group. AD_CELL's groups are the occupied profession × region cells;
 * cell[k] is the number of cell k (prof × (regions + 1) + region) among them, or UINT32_MAX
 * when nobody is in it. */
struct audit_dims {
    size_t size[NAUDITED];
    const uint32_t *grp[NAUDITED];
    uint32_t *cell; /* (professions + 1) × (regions + 1) */
};

static int audit_dims_init(struct arena *a, const struct bench *b, struct audit_dims *ad)
{
    size_t npc = b->ngroups[AD_PROFESSION] + 1, nrc = b->ngroups[AD_REGION] + 1, ncell, used = 0;
    uint32_t *cg;

    /* as the profession × region table's own audit would say, before a product can wrap */
    if (npc > DISCLOSURE_MAX_CELLS || nrc > DISCLOSURE_MAX_CELLS ||
        npc * nrc > DISCLOSURE_MAX_CELLS)
        return APP_E_TOOBIG;
    ncell = npc * nrc;
    cg = arena_alloc(a, (b->n ? b->n : 1) * sizeof *cg);
    ad->cell = arena_alloc(a, ncell * sizeof *ad->cell);
    if (!cg || !ad->cell)
        return APP_E_NOMEM;
    for (int d = 0; d < AD_NDIMS; d++) {
        ad->size[d] = b->ngroups[d] + 1;
        ad->grp[d] = b->grp[d];
    }
    for (size_t k = 0; k < ncell; k++)
        ad->cell[k] = UINT32_MAX;
    for (size_t p = 0; p < b->n; p++) {
        size_t k = b->grp[AD_PROFESSION][p] * nrc + b->grp[AD_REGION][p];
        if (ad->cell[k] == UINT32_MAX)
            ad->cell[k] = (uint32_t)used++;
        cg[p] = ad->cell[k];
    }
    ad->size[AD_CELL] = used ? used : 1; /* nobody: one empty cell, so the tables exist */
    ad->grp[AD_CELL] = cg;
    return 0;
}

/* Allocates pair k's table and counts its respondents. APP_E_TOOBIG beyond what
 * disclosure_table_hiding() takes. */
static int pair_init(struct arena *a, const struct bench *b, const struct audit_dims *ad, size_t k,
                     struct pair_table *pt)
{
    const uint32_t *rg, *cg;

    pt->r = dim_pairs[k][0];
    pt->c = dim_pairs[k][1];
    pt->nr = ad->size[pt->r];
    pt->nc = ad->size[pt->c];
    if (pt->nr > pair_max(k) || pt->nc > pair_max(k) || pt->nr * pt->nc > pair_max(k))
        return APP_E_TOOBIG;
    pt->counts = arena_calloc(a, pt->nr * pt->nc, sizeof *pt->counts);
    pt->cells = arena_calloc(a, pt->nr * pt->nc, sizeof *pt->cells);
    pt->rows = arena_calloc(a, pt->nr, sizeof *pt->rows);
    pt->cols = arena_calloc(a, pt->nc, sizeof *pt->cols);
    if (!pt->counts || !pt->cells || !pt->rows || !pt->cols)
        return APP_E_NOMEM;
    rg = ad->grp[pt->r];
    cg = ad->grp[pt->c];
    for (size_t p = 0; p < b->n; p++)
        pt->counts[rg[p] * pt->nc + cg[p]]++;
    return 0;
}

/* Adds to hide[0..n) the groups cells[0..n) hide; sets *changed to now when one is new. */
static void take_hidden(const struct disclosure_cell *cells, size_t n, bool *hide,
                        uint64_t *changed, uint64_t now)
{
    for (size_t i = 0; i < n; i++)
        if (!cells[i].shown && !hide[i]) {
            hide[i] = true;
            *changed = now;
        }
}

/* The profession × region table's cells hidden so far (hide_cell, by occupied cell) spread
 * over the whole table, for its audit: out has (professions + 1) × (regions + 1). */
static void cells_spread(const struct audit_dims *ad, size_t ncell, const bool *hide_cell,
                         bool *out)
{
    for (size_t k = 0; k < ncell; k++)
        out[k] = ad->cell[k] != UINT32_MAX && hide_cell[ad->cell[k]];
}

/* The hidden cells of the profession × region table's last audit, added to hide_cell. */
static void cells_take(const struct audit_dims *ad, const struct pair_table *pt, bool *hide_cell,
                       uint64_t *changed, uint64_t now)
{
    for (size_t k = 0; k < pt->nr * pt->nc; k++)
        if (ad->cell[k] != UINT32_MAX && !pt->cells[k].shown && !hide_cell[ad->cell[k]]) {
            hide_cell[ad->cell[k]] = true;
            *changed = now;
        }
}

/* True when every edge of pair table pt shows or hides as hide and hide_total say (the
 * profession × region table's cells too). */
static bool pair_agrees(const struct pair_table *pt, const struct audit_dims *ad,
                        bool *const hide[NAUDITED], bool hide_total)
{
    for (size_t i = 0; i < pt->nr; i++)
        if (pt->rows[i].shown == hide[pt->r][i])
            return false;
    for (size_t j = 0; j < pt->nc; j++)
        if (pt->cols[j].shown == hide[pt->c][j])
            return false;
    if (pt->r == AD_PROFESSION && pt->c == AD_REGION)
        for (size_t k = 0; k < pt->nr * pt->nc; k++)
            if (ad->cell[k] != UINT32_MAX && pt->cells[k].shown == hide[AD_CELL][ad->cell[k]])
                return false;
    return pt->total.shown != hide_total;
}

/* ---- the final check: nothing hidden is a combination of everything shown ----------------
 *
 * The pairwise audits look at two tables at a time. An attacker may take every published
 * figure at once and know which combinations of groups are empty (say, that organisation B
 * employs only the occupational therapists of the north): the unknowns are then the counts
 * of the occupied (profession, region, organisation, band) combinations, every published
 * figure is the sum of some of them, and a hidden figure is known exactly when its sum is a
 * linear combination of the shown figures'. This is checked on the audited outcome, and
 * where a hidden figure is so determined one more shown figure is hidden (the smallest
 * whose hiding undoes the determination) and the audits run again, until none is.
 *
 * The system is not built over the combinations themselves (tens of thousands at national
 * scale) but reduced exactly: a published figure depends on the profession × region cell
 * alone (professions, regions, the cross table's cells, the total), on the organisation
 * alone or on the band alone. Writing f(c) for the combination of the shown cell figures,
 * G(o) for the shown organisations' coefficients (0 for a hidden one) and K(b) for the
 * bands', a hidden figure h is determined when f(c) + G(o) + K(b) = h(c, o, b) on every
 * occupied combination. Organisations and (cell, band) pairs joined by a combination form
 * connected components, on which G is constant (two organisations meeting at a pair have
 * equal G); so the condition is: for every occupied (cell, band) pair, f(c) + K(b) − h =
 * the value of its component, which is free (a variable) unless the component holds a
 * hidden organisation, where it is 0 (1 on the component of a hidden organisation h itself,
 * and h is not determined when that component holds another hidden organisation). One
 * equation per occupied (cell, band) pair (at most 16 × 8 × 13), one unknown per shown
 * cell figure, shown band and free component: a few hundred, solved for every hidden
 * figure at once by disclosure_span_solvable(). */

/* What the check works on: the occupied cells' profession and region, the components. */
struct span_ctx {
    size_t ncu, nb, no, nnode; /* occupied cells, bands and organisations (not stated in
                                * each), (cell, band) pairs = ncu × nb */
    uint32_t *cp, *cr;         /* ncu: each occupied cell's profession and region index */
    uint32_t *cellk;           /* ncu: its number in the whole profession × region table */
    bool *occ;                 /* nnode: someone is in this (cell, band) */
    uint32_t *uf;              /* nnode + no: union-find over pairs and organisations */
    uint32_t *root;            /* nnode: each occupied pair's component */
    uint32_t *counts[NAUDITED];
    uint32_t *cell_count; /* ncu */
};

/* One published figure: a group of dimension d (< AD_NDIMS), a cross-table cell (AD_CELL,
 * g its occupied number) or the total (NAUDITED). */
struct span_fig {
    int d;
    uint32_t g;
    uint32_t count;
};

static uint32_t uf_find(uint32_t *uf, uint32_t x)
{
    while (uf[x] != x) {
        uf[x] = uf[uf[x]];
        x = uf[x];
    }
    return x;
}

/* The check's entries beyond which a round is APP_E_TOOBIG (64 MiB of matrix): far beyond
 * 16 professions × 8 regions × 13 bands with a few hundred figures. */
#define SPAN_MAX_ENTRIES ((size_t)1 << 23)

static int span_init(struct arena *a, const struct bench *b, const struct audit_dims *ad,
                     const struct pair_table *pr, struct span_ctx *sc)
{
    size_t nrc = b->ngroups[AD_REGION] + 1, ncell = (b->ngroups[AD_PROFESSION] + 1) * nrc;

    sc->ncu = b->n ? ad->size[AD_CELL] : 0;
    sc->nb = b->ngroups[AD_BAND] + 1;
    sc->no = b->ngroups[AD_ORGANISATION] + 1;
    sc->nnode = sc->ncu * sc->nb;
    sc->cp = arena_alloc(a, (sc->ncu + 1) * sizeof *sc->cp);
    sc->cr = arena_alloc(a, (sc->ncu + 1) * sizeof *sc->cr);
    sc->cellk = arena_alloc(a, (sc->ncu + 1) * sizeof *sc->cellk);
    sc->cell_count = arena_alloc(a, (sc->ncu + 1) * sizeof *sc->cell_count);
    sc->occ = arena_calloc(a, sc->nnode + 1, sizeof *sc->occ);
    sc->uf = arena_alloc(a, (sc->nnode + sc->no) * sizeof *sc->uf);
    sc->root = arena_alloc(a, (sc->nnode + 1) * sizeof *sc->root);
    if (!sc->cp || !sc->cr || !sc->cellk || !sc->cell_count || !sc->occ || !sc->uf || !sc->root)
        return APP_E_NOMEM;
    for (int d = 0; d < AD_NDIMS; d++) {
        if (!(sc->counts[d] = arena_alloc(a, (b->ngroups[d] + 1) * sizeof *sc->counts[d])))
            return APP_E_NOMEM;
        group_counts(b, d, sc->counts[d]);
    }
    for (size_t k = 0; k < ncell; k++)
        if (ad->cell[k] != UINT32_MAX) {
            sc->cp[ad->cell[k]] = (uint32_t)(k / nrc);
            sc->cr[ad->cell[k]] = (uint32_t)(k % nrc);
            sc->cellk[ad->cell[k]] = (uint32_t)k;
            sc->cell_count[ad->cell[k]] = pr->counts[k];
        }
    for (size_t x = 0; x < sc->nnode + sc->no; x++)
        sc->uf[x] = (uint32_t)x;
    for (size_t p = 0; p < b->n; p++) {
        uint32_t node = ad->grp[AD_CELL][p] * (uint32_t)sc->nb + b->grp[AD_BAND][p];
        uint32_t x = uf_find(sc->uf, node),
                 y = uf_find(sc->uf, (uint32_t)sc->nnode + b->grp[AD_ORGANISATION][p]);
        sc->occ[node] = true;
        if (x != y)
            sc->uf[x] = y;
    }
    for (size_t n = 0; n < sc->nnode; n++)
        if (sc->occ[n])
            sc->root[n] = uf_find(sc->uf, (uint32_t)n);
    return 0;
}

/* Whether figure f is published and holds anyone (an empty group is a shown 0, outside the
 * system). The cross table publishes the cells of stated professions only. */
static bool span_fig_real(const struct bench *b, const struct span_ctx *sc,
                          const struct span_fig *f)
{
    if (f->d == AD_CELL)
        return sc->cp[f->g] < b->ngroups[AD_PROFESSION] && f->count > 0;
    return f->count > 0;
}

/* Every figure the check considers, in a fixed order: professions, regions, organisations,
 * bands (each with its not stated), the cross table's occupied cells, the total. */
static size_t span_figs(const struct bench *b, const struct span_ctx *sc, struct span_fig *out)
{
    size_t nf = 0;
    for (int d = 0; d < AD_NDIMS; d++)
        for (size_t g = 0; g <= b->ngroups[d]; g++)
            out[nf++] = (struct span_fig){d, (uint32_t)g, sc->counts[d][g]};
    for (size_t c = 0; c < sc->ncu; c++)
        out[nf++] = (struct span_fig){AD_CELL, (uint32_t)c, sc->cell_count[c]};
    out[nf++] = (struct span_fig){NAUDITED, 0, (uint32_t)b->n};
    return nf;
}

static bool span_hidden(bool *const hide[NAUDITED], bool hide_total, const struct span_fig *f)
{
    return f->d == NAUDITED ? hide_total : hide[f->d][f->g];
}

/* Whether the cell figure f (a profession, region, cross-table cell or the total) counts
 * the occupied cell c. */
static bool span_cell_has(const struct span_ctx *sc, const struct span_fig *f, size_t c)
{
    switch (f->d) {
    case AD_PROFESSION:
        return sc->cp[c] == f->g;
    case AD_REGION:
        return sc->cr[c] == f->g;
    case AD_CELL:
        return c == f->g;
    case NAUDITED:
        return true;
    default:
        return false;
    }
}

/* The check on the hidings hide/hide_total: det[i] (nf) is set for every hidden figure figs[i]
 * that the shown ones determine; only figure `only` is tested when it is below nf. Returns
 * 0, APP_E_NOMEM or APP_E_TOOBIG. */
static int span_check(const struct bench *b, const struct span_ctx *sc, const struct span_fig *figs,
                      size_t nf, bool *const hide[NAUDITED], bool hide_total, size_t only,
                      bool *det)
{
    size_t nunk = 0, nrhs = 0, neq = 0, w, nfree = 0;
    size_t *col = NULL, *rhs = NULL, *eq = NULL, *comp = NULL;
    uint32_t *hcnt = NULL, *horg = NULL;
    uint64_t *m = NULL;
    bool *ok = NULL;
    int rc = APP_E_NOMEM;

    memset(det, 0, nf * sizeof *det);
    col = malloc((nf + 1) * sizeof *col);
    rhs = malloc((nf + 1) * sizeof *rhs);
    eq = malloc((sc->nnode + 1) * sizeof *eq);
    comp = malloc((sc->nnode + sc->no + 1) * sizeof *comp);
    hcnt = calloc(sc->nnode + sc->no + 1, sizeof *hcnt);
    horg = calloc(sc->nnode + sc->no + 1, sizeof *horg);
    if (!col || !rhs || !eq || !comp || !hcnt || !horg)
        goto done;
    /* components: those holding a hidden organisation are fixed */
    for (size_t o = 0; o < sc->no; o++)
        if (hide[AD_ORGANISATION][o] && sc->counts[AD_ORGANISATION][o] > 0) {
            uint32_t r = uf_find(sc->uf, (uint32_t)(sc->nnode + o));
            hcnt[r]++;
            horg[r] = (uint32_t)o;
        }
    for (size_t x = 0; x < sc->nnode + sc->no; x++)
        comp[x] = SIZE_MAX;
    for (size_t n = 0; n < sc->nnode; n++)
        if (sc->occ[n]) {
            eq[n] = neq++;
            if (!hcnt[sc->root[n]] && comp[sc->root[n]] == SIZE_MAX)
                comp[sc->root[n]] = nfree++;
        }
    /* the unknowns: shown cell figures and bands (organisations are in the components),
     * then the free components; the right-hand sides: the hidden figures */
    for (size_t i = 0; i < nf; i++) {
        col[i] = rhs[i] = SIZE_MAX;
        if (!span_fig_real(b, sc, &figs[i]))
            continue;
        if (span_hidden(hide, hide_total, &figs[i])) {
            if (only >= nf || only == i)
                rhs[i] = nrhs++;
        } else if (figs[i].d != AD_ORGANISATION) {
            col[i] = nunk++;
        }
    }
    if (nrhs == 0) {
        rc = 0;
        goto done;
    }
    w = nunk + nfree + nrhs;
    rc = APP_E_TOOBIG;
    if (neq > SPAN_MAX_ENTRIES / w)
        goto done;
    rc = APP_E_NOMEM;
    m = calloc(neq * w + 1, sizeof *m);
    ok = malloc(nrhs * sizeof *ok);
    if (!m || !ok)
        goto done;
    for (size_t n = 0; n < sc->nnode; n++) {
        size_t c = n / sc->nb, band = n % sc->nb, r = sc->root[n];
        uint64_t *row;
        if (!sc->occ[n])
            continue;
        row = m + eq[n] * w;
        if (!hcnt[r])
            row[nunk + comp[r]] = DISCLOSURE_SPAN_MINUS_ONE;
        for (size_t i = 0; i < nf; i++) {
            const struct span_fig *f = &figs[i];
            uint64_t *at;
            bool has;
            if (col[i] == SIZE_MAX && rhs[i] == SIZE_MAX)
                continue;
            if (f->d == AD_BAND)
                has = band == f->g;
            else if (f->d == AD_ORGANISATION)
                has = hcnt[r] == 1 && horg[r] == f->g; /* its component's value */
            else
                has = span_cell_has(sc, f, c);
            at = col[i] != SIZE_MAX ? &row[col[i]] : &row[nunk + nfree + rhs[i]];
            *at = has;
        }
    }
    if ((rc = disclosure_span_solvable(neq, nunk + nfree, nrhs, m, ok)) != 0)
        goto done;
    for (size_t i = 0; i < nf; i++) {
        if (rhs[i] == SIZE_MAX || !ok[rhs[i]])
            continue;
        if (figs[i].d == AD_ORGANISATION &&
            hcnt[uf_find(sc->uf, (uint32_t)(sc->nnode + figs[i].g))] > 1)
            continue; /* its component holds another hidden organisation: 0 = 1 */
        det[i] = true;
    }
done:
    free(col);
    free(rhs);
    free(eq);
    free(comp);
    free(hcnt);
    free(horg);
    free(m);
    free(ok);
    return rc;
}

/* Orders the candidates of span_fix(): the smaller count first, then the earlier figure. */
static int span_cmp(const void *x, const void *y)
{
    const struct span_fig *const *f = x, *const *g = y;
    if ((*f)->count != (*g)->count)
        return (*f)->count < (*g)->count ? -1 : 1;
    return *f < *g ? -1 : *f > *g;
}

/* The hidings in *figure f set or cleared. */
static void span_set(bool *const hide[NAUDITED], bool *hide_total, const struct span_fig *f,
                     bool on)
{
    if (f->d == NAUDITED)
        *hide_total = on;
    else
        hide[f->d][f->g] = on;
}

/* How many shown figures span_fix() tries hiding, smallest first, before it hides the
 * smallest without trying: each try is a whole check. */
#define SPAN_TRIES 64

/* The final check; when a hidden figure is determined, hides one more shown figure (the
 * smallest whose hiding leaves the first determined figure undetermined; failing that, the
 * smallest) and returns it in *hidden (NULL when nothing was determined). */
static int span_fix(const struct bench *b, const struct span_ctx *sc, struct span_fig *figs,
                    size_t nf, bool *const hide[NAUDITED], bool *hide_total,
                    const struct span_fig **hidden)
{
    bool *det = malloc((nf + 1) * sizeof *det);
    const struct span_fig **cand = malloc((nf + 1) * sizeof *cand);
    size_t target = nf, ncand = 0;
    int rc = APP_E_NOMEM;

    *hidden = NULL;
    if (!det || !cand)
        goto done;
    if ((rc = span_check(b, sc, figs, nf, hide, *hide_total, nf, det)) != 0)
        goto done;
    for (size_t i = 0; i < nf && target == nf; i++)
        if (det[i])
            target = i;
    if (target == nf)
        goto done;
    for (size_t i = 0; i < nf; i++)
        if (span_fig_real(b, sc, &figs[i]) && !span_hidden(hide, *hide_total, &figs[i]))
            cand[ncand++] = &figs[i];
    rc = APP_E_INTERNAL;
    if (ncand == 0)
        goto done; /* determined by nothing shown: cannot be */
    qsort(cand, ncand, sizeof *cand, span_cmp);
    *hidden = cand[0];
    for (size_t k = 0; k < ncand && k < SPAN_TRIES; k++) {
        span_set(hide, hide_total, cand[k], true);
        rc = span_check(b, sc, figs, nf, hide, *hide_total, target, det);
        span_set(hide, hide_total, cand[k], false);
        if (rc != 0)
            goto done;
        if (!det[target]) {
            *hidden = cand[k];
            break;
        }
    }
    rc = 0;
done:
    free(det);
    free(cand);
    return rc;
}

/* Decides what every breakdown, the profession × region table and the number of responses
 * show, so that no figure one of them hides is shown, or can be worked out by difference,
 * from any two of them together:
 *  1. each dimension is suppressed as a one-dimensional breakdown against the total (its
 *     preferred pattern: the smallest other group hides a small one), which gives the first
 *     groups to hide;
 *  2. for each pair of dimensions, the two-way table whose row totals are the one breakdown,
 *     whose column totals are the other and whose grand total is the number of responses
 *     (a "not stated" row and column included) is audited (disclosure_table_hiding) with
 *     every group hidden so far forced hidden, its interior treated as published (only
 *     profession × region's is; the others' are audited as if an attacker knew them, which
 *     is stronger than needed); whatever margin it hides more is hidden from then on in
 *     every table of its dimension, and the total, once hidden, in all of them. The cells
 *     of profession × region are a dimension too (AD_CELL), paired with organisation and
 *     band: a cross-table cell hidden there is forced hidden in profession × region's audit,
 *     and one hidden by that audit is a hidden row of theirs;
 *  3. the audits are repeated until none hides anything more: a fixed point, reached since
 *     the hidden groups only grow. A pair is audited again only when one of its dimensions
 *     or the total gained a hidden figure since its last audit;
 *  4. every breakdown publishes the margins of its pairs' final audits (which all agree,
 *     since each last audit forced the final hidings and hid nothing more), the cross table
 *     the interior of profession × region's, and the number of responses their grand total.
 * The counts are all computed here, once. forced (NULL for the counts themselves) names what
 * is hidden before step 1 besides the rule's own: col_audit() audits a column's scored
 * respondents with everything the counts' audit hid forced hidden. */
static int suppress_all(struct arena *a, struct bench *b, const struct col_hides *forced,
                        struct bench_cells *bc, struct disclosure_cell *responses)
{
    bool *hide[NAUDITED] = {0}, hide_total = false, *pr_cells;
    uint64_t now = 0, changed[NAUDITED] = {0}, total_changed = 0;
    struct audit_dims ad;
    struct span_ctx sc = {0};
    struct span_fig *figs = NULL;
    size_t nfig = 0;
    size_t ncell = (b->ngroups[AD_PROFESSION] + 1) * (b->ngroups[AD_REGION] + 1);
    bool again = true;
    int rc;

    if ((rc = audit_dims_init(a, b, &ad)) != 0)
        goto done;
    rc = APP_E_NOMEM;
    pr_cells = arena_calloc(a, ncell, sizeof *pr_cells);
    hide[AD_CELL] = arena_calloc(a, ad.size[AD_CELL], sizeof *hide[AD_CELL]);
    if (!pr_cells || !hide[AD_CELL])
        goto done;
    for (int d = 0; d < AD_NDIMS; d++) {
        size_t ng = b->ngroups[d] + 1;
        uint32_t *counts = arena_alloc(a, ng * sizeof *counts);
        struct disclosure_cell total;
        bc->dim[d] = arena_calloc(a, ng, sizeof *bc->dim[d]);
        hide[d] = arena_calloc(a, ng, sizeof *hide[d]);
        if (!counts || !bc->dim[d] || !hide[d]) {
            rc = APP_E_NOMEM; /* rc is 0 after the dimension before */
            goto done;
        }
        group_counts(b, d, counts);
        if ((rc = disclosure_breakdown(ng, counts, b->dopts, bc->dim[d], &total)) != 0)
            goto done;
        for (size_t g = 0; g < ng; g++)
            hide[d][g] = !bc->dim[d][g].shown || (forced && forced->dim[d][g]);
        hide_total |= !total.shown;
    }
    if (forced) {
        hide_total |= forced->total;
        for (size_t k = 0; k < ncell; k++)
            if (ad.cell[k] != UINT32_MAX && forced->cell[k])
                hide[AD_CELL][ad.cell[k]] = true;
    }
    for (size_t k = 0; k < NPAIRS; k++)
        if ((rc = pair_init(a, b, &ad, k, &bc->pair[k])) != 0)
            goto done;

again:
    while (again) {
        again = false;
        for (size_t k = 0; k < NPAIRS; k++) {
            struct pair_table *pt = &bc->pair[k];
            struct disclosure_hide h = {NULL, hide[pt->r], hide[pt->c], hide_total, pair_max(k)};
            bool cross = k == 0;
            if (pt->ran && changed[pt->r] < pt->ran && changed[pt->c] < pt->ran &&
                total_changed < pt->ran && (!cross || changed[AD_CELL] < pt->ran))
                continue; /* audited since anything of it last changed */
            if (cross) {
                cells_spread(&ad, ncell, hide[AD_CELL], pr_cells);
                h.cells = pr_cells;
            }
            if ((rc = disclosure_table_hiding(pt->nr, pt->nc, pt->counts, b->dopts, &h, pt->cells,
                                              pt->rows, pt->cols, &pt->total)) != 0)
                goto done;
            now++;
            take_hidden(pt->rows, pt->nr, hide[pt->r], &changed[pt->r], now);
            take_hidden(pt->cols, pt->nc, hide[pt->c], &changed[pt->c], now);
            if (cross)
                cells_take(&ad, pt, hide[AD_CELL], &changed[AD_CELL], now);
            if (!pt->total.shown && !hide_total) {
                hide_total = true;
                total_changed = now;
            }
            pt->ran = ++now;
            again = true;
        }
    }

    /* the final check: when a hidden figure is a combination of shown ones, one more is
     * hidden and the audits run again (they protect it in turn) */
    {
        const struct span_fig *more;
        if (!sc.cp) {
            size_t nf = 0;
            if ((rc = span_init(a, b, &ad, &bc->pair[0], &sc)) != 0)
                goto done;
            for (int d = 0; d < AD_NDIMS; d++)
                nf += b->ngroups[d] + 1;
            nfig = nf + sc.ncu + 1;
            if (!(figs = arena_alloc(a, nfig * sizeof *figs))) {
                rc = APP_E_NOMEM;
                goto done;
            }
            span_figs(b, &sc, figs);
        }
        if ((rc = span_fix(b, &sc, figs, nfig, hide, &hide_total, &more)) != 0)
            goto done;
        if (more) {
            span_set(hide, &hide_total, more, true);
            now++;
            if (more->d == NAUDITED)
                total_changed = now;
            else
                changed[more->d] = now;
            again = true;
            goto again;
        }
    }

    /* a safety net: every pair's last audit published the final hidings */
    rc = APP_E_INTERNAL;
    for (size_t k = 0; k < NPAIRS; k++)
        if (!pair_agrees(&bc->pair[k], &ad, hide, hide_total))
            goto done;
    for (size_t k = NPAIRS; k-- > 0;) {
        const struct pair_table *pt = &bc->pair[k];
        if (pt->r < AD_NDIMS)
            memcpy(bc->dim[pt->r], pt->rows, pt->nr * sizeof *pt->rows);
        memcpy(bc->dim[pt->c], pt->cols, pt->nc * sizeof *pt->cols);
    }
    *responses = bc->pair[0].total;
    rc = 0;
done:
    return rc;
}

/* ---- the statistics per column: who was scored there, audited as the counts are ----------
 *
 * A column's statistics (a domain's, or the overall figure's) cover those scored in it, n of
 * a group's count, and n is published with them. If one group's statistics alone were
 * hidden, the national n and sum less the shown groups' would give them: a profession of
 * twelve of whom two answered a domain, beside groups that all answered it, would publish
 * those two people's mean. So the respondents scored in the column are audited as the counts
 * are (suppress_all() on them), with what must be hidden forced hidden: every group, cell or
 * total the counts' audit hid, and one whose unscored rest (count − n) is 1..threshold (the
 * two-cell rule of benchmark.h; an n of 1..threshold is the audit's own rule). A group, cell
 * or total that audit hides has its count and every statistic of the column suppressed: a
 * mean is shown only with its n, since means shown over hidden ns are equations in those ns
 * (two regions' means and the national n and sum give both regions' n). A cross-table cell's
 * n is not published, but is audited as if it were and its means follow it the same way.
 * One with n = 0 is audited as a shown 0, as if the attacker knew nobody there was scored.
 * Columns everyone was scored in are the counts' own table and are not audited again;
 * columns scored by the same respondents share one audit, whose working memory is freed
 * once it is done. */
static bool col_forced(uint32_t threshold, uint64_t count, uint64_t n)
{
    return count > n && count - n <= threshold && n >= 1;
}

/* One audit of the respondents with scored[p] set (m of them) into ex, whose arrays are
 * allocated in the arena a the first time and reused when the column is audited again (with
 * more hidden, col_audit()); more names the ns to hide besides the rule's. Its working memory
 * is freed before it returns. */
static int col_audit_one(struct arena *a, const struct bench *b, const struct bench_cells *bc,
                         const struct disclosure_cell *responses, const unsigned char *scored,
                         size_t m, const struct col_hides *more, struct col_hides *ex)
{
    size_t nrc = b->ngroups[AD_REGION] + 1;
    size_t ncell = (b->ngroups[AD_PROFESSION] + 1) * nrc;
    struct arena *w = arena_new();
    uint32_t *all_cell = w ? arena_calloc(w, ncell, sizeof *all_cell) : NULL;
    uint32_t *col_cell = w ? arena_calloc(w, ncell, sizeof *col_cell) : NULL;
    struct bench sub = *b;
    struct col_hides fo = {0};
    struct bench_cells cc = {0};
    struct disclosure_cell total;
    int rc = APP_E_NOMEM;

    sub.n = m;
    if (!all_cell || !col_cell || !(fo.cell = arena_alloc(w, ncell * sizeof *fo.cell)))
        goto done;
    if (!ex->cell && !(ex->cell = arena_alloc(a, ncell * sizeof *ex->cell)))
        goto done;
    for (int d = 0; d < AD_NDIMS; d++) {
        size_t ng = b->ngroups[d] + 1, q = 0;
        uint32_t *g = arena_alloc(w, (m ? m : 1) * sizeof *g);
        uint32_t *all = arena_calloc(w, ng, sizeof *all), *cnt = arena_calloc(w, ng, sizeof *cnt);
        fo.dim[d] = arena_alloc(w, ng * sizeof *fo.dim[d]);
        if (!ex->dim[d])
            ex->dim[d] = arena_alloc(a, ng * sizeof *ex->dim[d]);
        if (!g || !all || !cnt || !fo.dim[d] || !ex->dim[d])
            goto done;
        for (size_t p = 0; p < b->n; p++) {
            all[b->grp[d][p]]++;
            if (scored[p]) {
                g[q++] = b->grp[d][p];
                cnt[b->grp[d][p]]++;
            }
        }
        sub.grp[d] = g;
        for (size_t k = 0; k < ng; k++)
            fo.dim[d][k] = cnt[k] > 0 && (!bc->dim[d][k].shown || more->dim[d][k] ||
                                          col_forced(b->threshold, all[k], cnt[k]));
    }
    for (size_t p = 0; p < b->n; p++) {
        size_t k = b->grp[AD_PROFESSION][p] * nrc + b->grp[AD_REGION][p];
        all_cell[k]++;
        col_cell[k] += scored[p];
    }
    for (size_t k = 0; k < ncell; k++)
        fo.cell[k] = col_cell[k] > 0 && (!bc->pair[0].cells[k].shown || more->cell[k] ||
                                         col_forced(b->threshold, all_cell[k], col_cell[k]));
    fo.total = m > 0 && (!responses->shown || more->total || col_forced(b->threshold, b->n, m));
    if ((rc = suppress_all(w, &sub, &fo, &cc, &total)) != 0)
        goto done;
    for (int d = 0; d < AD_NDIMS; d++)
        for (size_t k = 0; k <= b->ngroups[d]; k++)
            ex->dim[d][k] = !cc.dim[d][k].shown;
    for (size_t k = 0; k < ncell; k++)
        ex->cell[k] = !cc.pair[0].cells[k].shown;
    ex->total = !total.shown;
done:
    arena_free(w);
    return rc;
}

/* What the counts' audit hid, as the joint check reads it (in the arena w). */
static int joint_counts(struct arena *w, const struct bench *b, const struct bench_cells *bc,
                        const struct disclosure_cell *responses, struct joint_in *in)
{
    size_t ncell = (b->ngroups[AD_PROFESSION] + 1) * (b->ngroups[AD_REGION] + 1);
    bool *cell = arena_alloc(w, ncell * sizeof *cell);

    if (!cell)
        return APP_E_NOMEM;
    in->n = b->n;
    for (int d = 0; d < AD_NDIMS; d++) {
        bool *h = arena_alloc(w, (b->ngroups[d] + 1) * sizeof *h);
        if (!h)
            return APP_E_NOMEM;
        for (size_t g = 0; g <= b->ngroups[d]; g++)
            h[g] = !bc->dim[d][g].shown;
        in->ngroups[d] = b->ngroups[d];
        in->grp[d] = b->grp[d];
        in->count_dim[d] = h;
    }
    for (size_t k = 0; k < ncell; k++)
        cell[k] = !bc->pair[0].cells[k].shown;
    in->count_cell = cell;
    in->count_total = !responses->shown;
    return 0;
}

/* Checks the columns which[0..nw) with the counts as one system (joint_check.h); while that
 * finds a hidden figure determined, the n it names is forced hidden in its column, whose audit
 * is run again. Each round hides one shown n more, and with every n hidden the system is the
 * counts' alone, which the check does not count against them, so this ends. */
static int col_joint(struct arena *a, struct arena *w, const struct bench *b,
                     const struct bench_cells *bc, const struct disclosure_cell *responses,
                     struct joint_in *in, const unsigned char *scored, const size_t *m,
                     const size_t *which, size_t nw, struct col_hides *more, struct col_hides *ex)
{
    struct joint_col *jc = arena_alloc(w, (nw ? nw : 1) * sizeof *jc);
    bool again = true;
    int rc = APP_E_NOMEM;

    if (!jc)
        goto done;
    in->ncols = nw;
    in->cols = jc;
    while (again) {
        size_t t;
        int d;
        uint32_t g;
        struct col_hides *mo;
        for (size_t k = 0; k < nw; k++) {
            const struct col_hides *e = &ex[which[k]];
            jc[k].scored = scored + which[k] * b->n;
            for (int x = 0; x < AD_NDIMS; x++)
                jc[k].dim[x] = e->dim[x];
            jc[k].cell = e->cell;
            jc[k].total = e->total;
        }
        if ((rc = assess_joint_check(in, &again, &t, &d, &g)) != 0 || !again)
            goto done;
        mo = &more[which[t]];
        *(d == JOINT_TOTAL ? &mo->total : d == JOINT_CELL ? &mo->cell[g] : &mo->dim[d][g]) = true;
        if ((rc = col_audit_one(a, b, bc, responses, scored + which[t] * b->n, m[which[t]], mo,
                                &ex[which[t]])) != 0)
            goto done;
    }
done:
    return rc;
}

/* Every column (a domain, or the overall figure) some respondents were not scored in is
 * audited for those who were, then all such columns are checked with the counts as one
 * system; when that is beyond the joint check's size (APP_E_TOOBIG: the header says when),
 * each column is checked with the counts on its own. Columns scored by the same respondents
 * share one audit. */
static int col_audit(struct arena *a, struct bench *b, const struct bench_cells *bc,
                     const struct disclosure_cell *responses)
{
    size_t ncell = (b->ngroups[AD_PROFESSION] + 1) * (b->ngroups[AD_REGION] + 1);
    struct col_hides *ex = arena_calloc(a, b->cols, sizeof *ex);
    struct arena *w = arena_new();
    unsigned char *scored = w ? arena_alloc(w, b->cols * (b->n ? b->n : 1)) : NULL;
    size_t *m = w ? arena_alloc(w, b->cols * sizeof *m) : NULL;
    size_t *which = w ? arena_alloc(w, b->cols * sizeof *which) : NULL;
    size_t *same = w ? arena_alloc(w, b->cols * sizeof *same) : NULL;
    struct col_hides *more = w ? arena_calloc(w, b->cols, sizeof *more) : NULL;
    struct joint_in in = {0};
    size_t nw = 0;
    int rc = APP_E_NOMEM;

    if (!ex || !scored || !m || !which || !same || !more)
        goto done;
    if ((rc = joint_counts(w, b, bc, responses, &in)) != 0)
        goto done;
    rc = APP_E_NOMEM;
    for (size_t c = 0; c < b->cols; c++) {
        unsigned char *sc = scored + c * b->n;
        m[c] = 0;
        same[c] = c;
        for (size_t p = 0; p < b->n; p++)
            m[c] += (sc[p] = !isnan(b->score[c * b->n + p]));
        if (m[c] == b->n) {
            ex[c].all = true;
            continue;
        }
        for (size_t e = 0; e < c && same[c] == c; e++) /* scored by the same people as e */
            if (!ex[e].all && !memcmp(sc, scored + e * b->n, b->n))
                same[c] = e;
        if (same[c] < c)
            continue;
        if (!(more[c].cell = arena_calloc(w, ncell, sizeof *more[c].cell)))
            goto done;
        for (int d = 0; d < AD_NDIMS; d++)
            if (!(more[c].dim[d] = arena_calloc(w, b->ngroups[d] + 1, sizeof *more[c].dim[d])))
                goto done;
        if ((rc = col_audit_one(a, b, bc, responses, sc, m[c], &more[c], &ex[c])) != 0)
            goto done;
        rc = APP_E_NOMEM;
        which[nw++] = c;
    }
    if (nw > 0) {
        rc = col_joint(a, w, b, bc, responses, &in, scored, m, which, nw, more, ex);
        if (rc == APP_E_TOOBIG && nw > 1) /* too many sets of skipped domains: one by one */
            for (size_t k = 0; k < nw && (rc = col_joint(a, w, b, bc, responses, &in, scored, m,
                                                         &which[k], 1, more, ex)) == 0;
                 k++)
                ;
        if (rc != 0)
            goto done;
    }
    for (size_t c = 0; c < b->cols; c++)
        if (same[c] != c)
            ex[c] = ex[same[c]];
    b->col_hidden = ex;
    rc = 0;
done:
    arena_free(w);
    return rc;
}

/* One dimension's breakdown into *out, its group counts (ngroups + 1, not stated last) as
 * suppress_all() decided them. */
static int dim_fill(struct arena *a, struct bench *b, enum assess_dim d,
                    const struct disclosure_cell *cells, struct assess_breakdown *out)
{
    size_t ngroups = b->ngroups[d];
    uint32_t *counts = arena_alloc(a, (ngroups + 1) * sizeof *counts);
    size_t *start = arena_alloc(a, (ngroups + 1) * sizeof *start);
    int rc = APP_E_NOMEM;

    out->ngroups = ngroups;
    out->groups = arena_calloc(a, ngroups, sizeof *out->groups);
    if (!counts || !start || !out->groups)
        goto done;
    /* stable, so a group's respondents are read in ascending order: when r came ordered by
     * organisation, the organisations' many small groups are read sequentially */
    sort_by_group(b, d, counts, start, b->order);
    out->not_stated = cells[ngroups];
    rc = 0;
    for (size_t g = 0; g < ngroups; g++) {
        struct assess_group_stats *gs = &out->groups[g];
        gs->count = cells[g];
        gs->domains = arena_calloc(a, b->nd, sizeof *gs->domains);
        if (!gs->domains) {
            rc = APP_E_NOMEM;
            goto done;
        }
        if ((rc = group_fill(b, b->order + start[g], counts[g], cells[g].shown, (int)d, g,
                             gs->domains, &gs->overall)) != 0)
            goto done;
    }
done:
    return rc;
}

/* The profession × region table, its counts and margins taken from the extended table
 * suppress_all() audited, and its means per domain. */
static int cross_fill(struct arena *a, struct bench *b, const struct bench_cells *bc,
                      struct assess_benchmark *out)
{
    size_t ncell = out->nprof * out->nreg, nd = b->nd, nr = out->nreg + 1;
    uint32_t *cnt = arena_calloc(a, ncell * nd + 1, sizeof *cnt);
    double *sum = arena_calloc(a, ncell * nd + 1, sizeof *sum);
    const uint32_t *prof = b->grp[AD_PROFESSION], *reg = b->grp[AD_REGION];
    const struct pair_table *pr = &bc->pair[0];
    int rc = APP_E_NOMEM;

    out->cross_counts = arena_calloc(a, ncell ? ncell : 1, sizeof *out->cross_counts);
    out->cross_means = arena_calloc(a, ncell * nd + 1, sizeof *out->cross_means);
    out->cross_prof_totals = arena_calloc(a, out->nprof + 1, sizeof *out->cross_prof_totals);
    out->cross_no_region = arena_calloc(a, out->nprof + 1, sizeof *out->cross_no_region);
    out->cross_reg_totals = arena_calloc(a, out->nreg + 1, sizeof *out->cross_reg_totals);
    if (!cnt || !sum || !out->cross_counts || !out->cross_means || !out->cross_prof_totals ||
        !out->cross_no_region || !out->cross_reg_totals)
        goto done;
    for (size_t p = 0; p < out->nprof; p++) {
        for (size_t r = 0; r < out->nreg; r++)
            out->cross_counts[p * out->nreg + r] = pr->cells[p * nr + r];
        out->cross_no_region[p] = pr->cells[p * nr + out->nreg];
        out->cross_prof_totals[p] = pr->rows[p];
    }
    for (size_t r = 0; r < out->nreg; r++)
        out->cross_reg_totals[r] = pr->cols[r];
    out->cross_total = pr->total;
    rc = 0;
    for (size_t p = 0; p < b->n; p++) {
        size_t cell;
        if (prof[p] >= out->nprof || reg[p] >= out->nreg)
            continue; /* did not say one or the other */
        cell = prof[p] * out->nreg + reg[p];
        for (size_t c = 0; c < nd; c++) {
            float v = b->score[c * b->n + p];
            if (isnan(v))
                continue;
            sum[cell * nd + c] += v;
            cnt[cell * nd + c]++;
        }
    }
    for (size_t cell = 0; cell < ncell; cell++)
        for (size_t c = 0; c < nd; c++) {
            struct disclosure_stat *st = &out->cross_means[cell * nd + c];
            uint32_t k = cnt[cell * nd + c];
            if (!out->cross_counts[cell].shown ||
                col_hid(b->col_hidden ? &b->col_hidden[c] : NULL, AD_NDIMS,
                        cell / out->nreg * nr + cell % out->nreg)) {
                suppress_stat(st);
                continue;
            }
            if ((rc = disclosure_mean(k, k ? sum[cell * nd + c] / k : 0, b->dopts, st)) != 0)
                goto done;
        }
done:
    return rc;
}

int assess_benchmark_compute(struct arena *a, const struct assess_instrument *ins,
                             const struct assess_respondent *r, size_t n,
                             const struct assess_bench_opts *opts, struct assess_benchmark *out)
{
    static const struct assess_bench_opts no_groups = {{0}, NULL};
    struct bench b = {0};
    struct bench_cells bc = {0};
    int rc = APP_E_INVALID;

    if (!out)
        return APP_E_INVALID;
    memset(out, 0, sizeof *out);
    if (!opts)
        opts = &no_groups;
    if (!a || !ins || (!r && n > 0) || ins->ndomains > ASSESS_MAX_DOMAINS || n > UINT32_MAX)
        goto done;
    for (int d = 0; d < AD_NDIMS; d++) {
        b.ngroups[d] = opts->ngroups[d];
        if (b.ngroups[d] >= UINT32_MAX)
            goto done;
    }
    for (size_t i = 0; i < n; i++) {
        if (!r[i].answers && r[i].len > 0)
            goto done;
        for (int d = 0; d < AD_NDIMS; d++)
            if (r[i].group[d] < -1 || (r[i].group[d] >= 0 && (size_t)r[i].group[d] >= b.ngroups[d]))
                goto done;
    }
    b.ins = ins;
    b.dopts = opts->disclosure;
    b.threshold = disclosure_threshold(opts->disclosure);
    b.n = n;
    b.nd = ins->ndomains;
    b.cols = b.nd + 1;
    out->ndomains = b.nd;
    out->nprof = b.ngroups[AD_PROFESSION];
    out->nreg = b.ngroups[AD_REGION];

    rc = APP_E_NOMEM;
    b.score = arena_alloc(a, n * b.cols * sizeof *b.score);
    b.order = arena_alloc(a, n * sizeof *b.order);
    b.hist = arena_calloc(a, 2 * NBINS, sizeof *b.hist);
    out->domains = arena_calloc(a, b.nd, sizeof *out->domains);
    if (!b.score || !b.order || !b.hist || !out->domains)
        goto done;
    for (int d = 0; d < AD_NDIMS; d++)
        if (!(b.grp[d] = arena_alloc(a, n * sizeof *b.grp[d])))
            goto done;
    if ((rc = score_all(a, &b, r)) != 0)
        goto done;

    /* Every count of every breakdown and of the profession × region table, decided together;
     * the total is published once, hidden everywhere when any table needs it hidden. */
    if ((rc = suppress_all(a, &b, NULL, &bc, &out->responses)) != 0 ||
        (rc = col_audit(a, &b, &bc, &out->responses)) != 0)
        goto done;
    for (int d = 0; d < AD_NDIMS; d++)
        if ((rc = dim_fill(a, &b, (enum assess_dim)d, bc.dim[d], &out->dims[d])) != 0)
            goto done;
    for (size_t p = 0; p < n; p++)
        b.order[p] = (uint32_t)p; /* the national figures: everyone */
    if ((rc = group_fill(&b, b.order, n, out->responses.shown, -1, 0, out->domains,
                         &out->overall)) != 0)
        goto done;
    rc = cross_fill(a, &b, &bc, out);
done:
    if (rc != 0)
        memset(out, 0, sizeof *out);
    return rc;
}

static void whole(struct disclosure_stat *s)
{
    if (s->shown)
        s->value = round(s->value);
}

static void as_members(struct assess_dist *x)
{
    whole(&x->mean);
    whole(&x->vs_baseline);
    if (!x->mean.shown) {
        x->median = x->q1 = x->q3 = x->mean; /* as the mean: hidden, or over nobody */
        return;
    }
    suppress_stat(&x->median);
    suppress_stat(&x->q1);
    suppress_stat(&x->q3);
}

/* A copy of n distributions with their order statistics suppressed; NULL when out of memory. */
static struct assess_dist *dists_copy(struct arena *a, const struct assess_dist *x, size_t n)
{
    struct assess_dist *y = arena_alloc(a, (n ? n : 1) * sizeof *y);
    if (!y)
        return NULL;
    for (size_t k = 0; k < n; k++) {
        y[k] = x[k];
        as_members(&y[k]);
    }
    return y;
}

int assess_benchmark_for_members(struct arena *a, const struct assess_benchmark *b,
                                 struct assess_benchmark *out)
{
    int rc = APP_E_INVALID;
    if (!out)
        return APP_E_INVALID;
    memset(out, 0, sizeof *out);
    if (!a || !b)
        goto done;
    rc = APP_E_NOMEM;
    *out = *b;
    if (!(out->domains = dists_copy(a, b->domains, b->ndomains)))
        goto done;
    as_members(&out->overall);
    for (int d = 0; d < AD_NDIMS; d++) {
        const struct assess_breakdown *in = &b->dims[d];
        struct assess_group_stats *g = arena_alloc(a, (in->ngroups ? in->ngroups : 1) * sizeof *g);
        if (!g)
            goto done;
        for (size_t k = 0; k < in->ngroups; k++) {
            g[k] = in->groups[k];
            if (!(g[k].domains = dists_copy(a, in->groups[k].domains, b->ndomains)))
                goto done;
            as_members(&g[k].overall);
        }
        out->dims[d].groups = g;
    }
    {
        size_t nm = b->nprof * b->nreg * b->ndomains;
        struct disclosure_stat *cm = arena_alloc(a, (nm ? nm : 1) * sizeof *cm);
        if (!cm)
            goto done;
        for (size_t k = 0; k < nm; k++) {
            cm[k] = b->cross_means[k];
            whole(&cm[k]);
        }
        out->cross_means = cm;
    }
    rc = APP_OK;
done:
    if (rc != APP_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

const struct assess_dist *assess_benchmark_cell(const struct assess_benchmark *b, enum assess_dim d,
                                                size_t group, size_t domain)
{
    const struct assess_group_stats *g;

    if (!b || (unsigned)d >= AD_NDIMS || group >= b->dims[d].ngroups || domain > b->ndomains)
        return NULL;
    g = &b->dims[d].groups[group];
    return domain == b->ndomains ? &g->overall : &g->domains[domain];
}
