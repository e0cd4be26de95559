/* disclosure.h: statistical disclosure control for every published count, table and mean
 *
 * NHS Digital's rule, as DESIGN.md §5 states it:
 *  - a count of 0 is shown as 0 (a true zero is never hidden; it discloses nothing about a
 *    person);
 *  - a count of 1..threshold is suppressed, shown as "*" (primary suppression);
 *  - a larger count is rounded to the nearest 5 in published outputs (opts.round);
 *  - a mean, median, quartile or percentage over 1..threshold people is suppressed;
 *  - in a table, a further shown cell or total is suppressed wherever the shown cells and
 *    totals would otherwise pin a hidden cell to one value (secondary suppression).
 * The threshold is 7 and may be configured upwards, never below: a lower value (0 included)
 * is read as 7. With a threshold of at least 7 the smallest shown non-zero count is 8, which
 * rounds to 10, so a shown 0 always means a true 0.
 *
 * What the table routine guarantees, and its limits, are in disclosure.c's opening comment.
 * In short: no hidden cell or total of ONE table can be recovered exactly from that table's
 * shown cells and exact (unrounded) totals. It does not protect against combining several
 * published tables over the same people (differencing), nor against narrow intervals (an
 * attacker may learn that a hidden cell is 1 or 2). A caller publishing several tables over
 * the same people can check them all at once with disclosure_span.h (the benchmark does).
 *
 * The primary/secondary flags are for tests and moderators' tools: never publish them, since
 * "primary" says the true count is 1..threshold. Publish only disclosure_format()'s text or
 * the value of a shown cell.
 *
 * Pure functions over caller memory: no I/O, no global state, thread-safe.
 */
#ifndef AHP_DISCLOSURE_H
#define AHP_DISCLOSURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The floor of the threshold: NHS Digital's 1–7 rule. */
#define DISCLOSURE_MIN_THRESHOLD 7
/* The threshold in words, for every sentence that explains the rule to a reader (pages,
 * reports, the API's reasons): "numbers from 1 to " DISCLOSURE_HIDDEN_UP_TO " are shown as *".
 * Pages take them from the layout's model ({{disclosure.hidden_up_to}}, web/render.c).
 * disclosure_test fails when they stop reading DISCLOSURE_MIN_THRESHOLD and one more. */
#define DISCLOSURE_HIDDEN_UP_TO "7"
#define DISCLOSURE_SHOWN_FROM   "8"
/* The largest table disclosure_table() takes (rows × cols); larger is APP_E_TOOBIG. The
 * secondary suppression is quadratic in the worst case, and real breakdowns (profession ×
 * region, profession × organisation) are far smaller. */
#define DISCLOSURE_MAX_CELLS 65536
/* The most a caller may allow instead (disclosure_hide.max_cells), for a table it knows to be
 * mostly zeros: 2^20 cells. */
#define DISCLOSURE_MAX_CELLS_WIDE 1048576
/* Room for any formatted count: "18,446,744,073,709,551,615" and its NUL, with spare. */
#define DISCLOSURE_TEXT_MAX 32

struct disclosure_opts {
    uint32_t threshold; /* counts 1..threshold are hidden; below 7 (0 too) means 7 */
    bool round;         /* round shown counts to the nearest 5, as in published outputs */
};

/* The default for published outputs: threshold 7, rounding on. A NULL opts means this. */
#define DISCLOSURE_OPTS_DEFAULT                                                                    \
    {                                                                                              \
        DISCLOSURE_MIN_THRESHOLD, true                                                             \
    }

/* One published count: a cell of a table, a total, or a lone count. */
struct disclosure_cell {
    uint64_t value; /* when shown: the count, rounded when opts.round; when hidden: 0 */
    bool shown;     /* false: publish "*" */
    bool primary;   /* hidden because the count is 1..threshold (never publish this flag) */
    bool secondary; /* hidden to protect another cell (never publish this flag) */
};

/* One published statistic (mean, median, percentage …) over a group of people. */
struct disclosure_stat {
    double value;    /* when shown: the statistic; otherwise 0 */
    bool shown;      /* over more than threshold people */
    bool suppressed; /* over 1..threshold people: publish "*"; false with !shown: nobody */
};

/* The threshold in force: opts->threshold raised to 7; 7 for NULL opts. */
uint32_t disclosure_threshold(const struct disclosure_opts *opts);

/* n rounded to the nearest multiple of 5 (remainders 0–2 down, 3–4 up; an integer is never
 * exactly half-way). Never wraps: UINT64_MAX is a multiple of 5. */
uint64_t disclosure_round5(uint64_t n);

/* A single count with no totals involved: 0 shown, 1..threshold hidden, larger shown
 * (rounded when opts->round). opts may be NULL (the default). Cannot fail. */
struct disclosure_cell disclosure_count(uint64_t n, const struct disclosure_opts *opts);

/* A mean (or median, quartile, percentage) over n_people: shown only when n_people exceeds
 * the threshold; suppressed over 1..threshold people; neither over nobody. The value is not
 * rounded (the caller picks the decimals). Writes *out; returns 0, or APP_E_INVALID when out
 * is NULL or a statistic to be shown is not finite. */
int disclosure_mean(uint64_t n_people, double value, const struct disclosure_opts *opts,
                    struct disclosure_stat *out);

/* A rows × cols table of counts (row-major, borrowed) with its row totals, column totals and
 * grand total, all published: primary suppression, then secondary suppression until no
 * hidden cell or total can be pinned to one value (see disclosure.c), then rounding of what
 * is shown (when opts->round; decisions always use the true counts). Caller-owned outputs:
 * cells (rows × cols), row_totals (rows), col_totals (cols), grand_total (1); any of the last
 * three may be NULL when the caller does not publish it, but the suppression still assumes
 * it is published (which only errs on the safe side). Deterministic: ties go to the smaller
 * value, then the lower index. Returns 0, APP_E_INVALID (rows or cols 0, counts or cells
 * NULL), APP_E_TOOBIG (more than DISCLOSURE_MAX_CELLS cells), APP_E_NOMEM, or
 * APP_E_INTERNAL (an invariant failed; nothing should be published). On failure the outputs
 * are all set hidden, so a careless caller still discloses nothing; except when rows or cols
 * is 0 or the table is too big, when they are left alone. */
int disclosure_table(size_t rows, size_t cols, const uint32_t *counts,
                     const struct disclosure_opts *opts, struct disclosure_cell *cells,
                     struct disclosure_cell *row_totals, struct disclosure_cell *col_totals,
                     struct disclosure_cell *grand_total);

/* Edges a caller needs hidden whatever their value, because another table published from the
 * same people hides them (a profession's count hidden in a breakdown by profession is the
 * row total of the profession × region table). Each array may be NULL (nothing forced
 * there); cells is rows × cols row-major, row_totals rows, col_totals cols. A forced count
 * of 0 stays shown: a true zero discloses nobody, and the audit assumes hidden counts ≥ 1. */
struct disclosure_hide {
    const bool *cells, *row_totals, *col_totals;
    bool grand_total;
    /* the largest table (rows × cols) to take: 0 means DISCLOSURE_MAX_CELLS; more, up to
     * DISCLOSURE_MAX_CELLS_WIDE, for a caller that accepts the time (quadratic in the worst
     * case: 70,000 people in a 128 × 2,001 table, mostly of 0s, 1s and 2s, take about 0.3 s) */
    size_t max_cells;
};

/* disclosure_table() with the edges hide names hidden before the secondary suppression runs
 * (published as "*", flagged secondary unless primary anyway), so the audit makes every
 * hidden edge, forced ones included, safe against this table's shown figures. hide may be
 * NULL (disclosure_table() itself). Returns as disclosure_table(), APP_E_TOOBIG beyond
 * hide->max_cells when that is set. */
int disclosure_table_hiding(size_t rows, size_t cols, const uint32_t *counts,
                            const struct disclosure_opts *opts, const struct disclosure_hide *hide,
                            struct disclosure_cell *cells, struct disclosure_cell *row_totals,
                            struct disclosure_cell *col_totals,
                            struct disclosure_cell *grand_total);

/* A one-dimensional breakdown: n categories (counts borrowed) and their shown total, e.g. the
 * size of a theme per audience. The same rule as a one-row table. Outputs: cells (n),
 * total (may be NULL, with the same caveat as above). Returns as disclosure_table(). */
int disclosure_breakdown(size_t n, const uint32_t *counts, const struct disclosure_opts *opts,
                         struct disclosure_cell *cells, struct disclosure_cell *total);

/* The published text of a cell into out (size bytes, NUL-terminated): "*" when hidden,
 * otherwise the value with thousands separators ("0", "10", "1,235"). Returns 0,
 * APP_E_INVALID (NULL c or out) or APP_E_TOOBIG (size too small; DISCLOSURE_TEXT_MAX is
 * always enough), in which case out is "" when size > 0. */
int disclosure_format(const struct disclosure_cell *c, char *out, size_t size);

/* The published text of a count shown on its own (disclosure_count() with the default rule,
 * then disclosure_format()), copied into the arena: "*" for a small count. NULL when out of
 * memory. */
struct arena;
const char *disclosure_count_text(struct arena *a, uint64_t n);

/* The published text of a statistic: "*" when suppressed, "" when over nobody, otherwise
 * the value with `decimals` (0..6) decimals ("4.3"). Returns as disclosure_format(), and
 * APP_E_INVALID for decimals out of range. */
int disclosure_stat_format(const struct disclosure_stat *s, int decimals, char *out, size_t size);

#endif
