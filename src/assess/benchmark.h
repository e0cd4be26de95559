/* benchmark.h: benchmarks of an assessment round — distributions per domain, breakdowns by
 * profession, region, organisation and pay band, and the profession × region table — with
 * the disclosure rule (src/text/disclosure.h) applied to every count and statistic
 *
 * Everything a benchmark publishes comes out of here already suppressed and rounded, so a
 * page, a chart, a CSV or an API answer cannot show a small group by mistake: the private
 * n fields are for tests only.
 */
#ifndef AHP_ASSESS_BENCHMARK_H
#define AHP_ASSESS_BENCHMARK_H

#include "assess/assess.h"
#include "text/disclosure.h"

/* The groups a benchmark breaks down by. */
enum assess_dim { AD_PROFESSION, AD_REGION, AD_ORGANISATION, AD_BAND, AD_NDIMS };
const char *assess_dim_name(enum assess_dim d); /* "profession", "region", … */

/* Why a published figure is missing, where an API or download says so: the same words for
 * a small group and for one hidden to protect another, since which it was must not be
 * published. */
#define ASSESS_WITHHELD_TEXT                                                                       \
    "suppressed: figures about " DISCLOSURE_HIDDEN_UP_TO                                           \
    " people or fewer are not published, nor figures from which "                                  \
    "such a figure could be worked out"

/* Agenda for Change pay bands, then "other" (not on Agenda for Change). */
extern const char *const assess_pay_bands[]; /* "2" … "7", "8a" … "8d", "9", "other" */
extern const size_t assess_pay_bands_count;
const char *assess_pay_band_name(const char *code); /* "Band 8a"; NULL when unknown */

/* One submitted response as the benchmark reads it: each dimension as an index into the
 * group list of that dimension (professions[], regions[], the caller's organisation list,
 * assess_pay_bands[]), or -1 when the respondent did not say. */
struct assess_respondent {
    int group[AD_NDIMS];
    const char *answers; /* borrowed */
    size_t len;
};

/* A published distribution of percentages over a group: every statistic follows the
 * disclosure rule on n, and is suppressed whenever count is hidden (a mean is shown only with
 * its n: means over hidden ns would be equations in them).
 *  n       the respondents scored in this domain (at least one item answered);
 *  count   n as published: hidden with the group, when n or the group's count less n (those
 *          who answered nothing in the domain) is 1..threshold, so the two shown counts never
 *          reveal a small group by difference (both 0 excepted), and where the audit of
 *          those scored in the column hides it to protect another (benchmark.c, col_audit());
 *  mean    the mean of the respondents' percentages (exact);
 *  q1, median, q3  nearest rank on the percentages rounded to 0.1 (halves up): the values
 *          at ranks ceil(n/4), ceil(n/2), ceil(3n/4) of the sorted rounded values, so each
 *          is a value someone scored, within 0.05 points of their exact score (for even n
 *          the median is the lower middle value, not the average of the two);
 *  vs_baseline  mean − the domain's baseline, shown with the mean, when the domain has a
 *          baseline (never for the overall figure: nothing reported one). */
struct assess_dist {
    uint32_t n; /* private: never publish; use count */
    struct disclosure_cell count;
    struct disclosure_stat mean, median, q1, q3;
    struct disclosure_stat vs_baseline; /* mean − baseline, when the domain has one */
};

/* One group of a breakdown: its domains' distributions and the overall one. */
struct assess_group_stats {
    struct disclosure_cell count; /* respondents in the group (table-suppressed) */
    struct assess_dist *domains;  /* ndomains */
    struct assess_dist overall;
};

/* The group counts and the respondents who did not say (group -1) form one breakdown
 * whose total is the published number of responses, so the secondary suppression holds
 * against that total: not_stated may be published as a group of its own ("Not stated"). */
struct assess_breakdown {
    size_t ngroups;
    struct assess_group_stats *groups; /* ngroups, in the order of the dimension's list */
    struct disclosure_cell not_stated; /* respondents with group -1 (table-suppressed) */
};

struct assess_benchmark {
    size_t ndomains;
    struct disclosure_cell responses; /* submitted responses, as published; also the total
                                       * every breakdown was suppressed against */
    struct assess_dist *domains;      /* ndomains: everyone */
    struct assess_dist overall;
    struct assess_breakdown dims[AD_NDIMS];
    /* profession × region, every domain: means per cell. The counts are one table with the
     * breakdowns by profession and region (see benchmark.c): its margins ARE those
     * breakdowns' counts, so what one hides every other hides too; every pair of breakdowns
     * is audited so, and the cells with the organisations and with the bands. */
    size_t nprof, nreg;
    struct disclosure_cell *cross_counts;      /* nprof × nreg, row-major: respondents who gave
                                                * both */
    struct disclosure_cell *cross_no_region;   /* nprof: gave the profession, no region */
    struct disclosure_cell *cross_prof_totals; /* nprof: everyone of the profession, region
                                                * stated or not (= dims[AD_PROFESSION]) */
    struct disclosure_cell *cross_reg_totals;  /* nreg: everyone of the region, profession
                                                * stated or not (= dims[AD_REGION]) */
    struct disclosure_cell cross_total;        /* every response (= responses) */
    struct disclosure_stat *cross_means;       /* nprof × nreg × ndomains: a cell's domain means,
                                                * suppressed whenever its count is hidden */
};

/* How many groups each dimension has (ngroups[AD_ORGANISATION] is the caller's count), and
 * the disclosure options (NULL: the default, threshold 7 with rounding). */
struct assess_bench_opts {
    size_t ngroups[AD_NDIMS];
    const struct disclosure_opts *disclosure;
};

/* Computes the whole benchmark of n responses to one instrument: scores every response once,
 * then every distribution. Quartiles are exact to 0.1 percentage points. Everything is in
 * the arena. opts may be NULL (no groups in any dimension, default disclosure). Returns 0,
 * APP_E_INVALID (NULL a, ins or out; r NULL with n > 0; a group index below -1 or not
 * below its dimension's ngroups; answers NULL with len > 0; more than ASSESS_MAX_DOMAINS
 * domains), APP_E_NOMEM, or APP_E_TOOBIG (the two-way table of any two dimensions, their
 * not-stated groups included, beyond DISCLOSURE_MAX_CELLS: more than 4,095 organisations
 * with the 15 professions; or the occupied profession × region cells by the organisations
 * + 1 beyond four times that: more than 2,047 organisations when all 16 × 8 cells, not
 * stated included, hold someone, a round whose audit would take seconds; or the final
 * check's system beyond 2^23 entries, far beyond 16 × 8 × 13 profession × region × band
 * combinations). Nothing hidden is then a linear combination of everything shown, even to
 * an attacker who knows which combinations of groups are empty (benchmark.c). On failure
 * *out is zeroed: nothing to publish. Respondents with group -1 in a dimension are in no group of
 * it but in every national figure. Single-threaded; 70,000 responses × 40 items take about 20–40 ms
 * (bench/assess_bench.c), a little less when r comes ordered by organisation, and about 8 ms
 * more for each different set of respondents who skipped a whole domain (benchmark.c). */
int assess_benchmark_compute(struct arena *a, const struct assess_instrument *ins,
                             const struct assess_respondent *r, size_t n,
                             const struct assess_bench_opts *opts, struct assess_benchmark *out);
/* A copy of b, in the arena, as members may read it (publish.c): every median and quartile
 * suppressed ("*"), since a nearest-rank median is one respondent's own score and an attacker
 * who pads a group with as many low responses as high ones would read a real respondent's
 * score from it; every shown mean and difference from the baseline, the profession × region
 * table's included, rounded to a whole percentage (halves away from zero), so a sum worked
 * out from a mean is uncertain by half the group's size. Counts are unchanged. *out shares
 * with b only what it leaves unchanged; b is not changed. Returns 0, APP_E_INVALID (NULL
 * argument) or APP_E_NOMEM (*out zeroed). */
int assess_benchmark_for_members(struct arena *a, const struct assess_benchmark *b,
                                 struct assess_benchmark *out);
/* The distribution of one group's domain for one dimension (convenience for pages);
 * domain == b->ndomains gives the group's overall distribution. NULL when anything is out
 * of range. Points into b. */
const struct assess_dist *assess_benchmark_cell(const struct assess_benchmark *b, enum assess_dim d,
                                                size_t group, size_t domain);

#endif
