/* gaps.c: a cohort's or an organisation's weakest leadership domains (gaps.h)
 *
 * One streamed query gives every submitted self-assessment of the group's members on any
 * version of the framework, in no order; sorted here by member and newest first, the first on
 * the current version is the member's, and a member with rows but none on it is counted as
 * "older only". Sorting 70,000 rows in memory costs a few milliseconds, less than either
 * engine takes to order them. Sums per domain are kept in doubles over at most some hundred
 * thousand members, far from losing precision.
 */
#include "develop/gaps.h"
#include "develop/gap_release.h"
#include "develop/plan_store.h"
#include "develop/self.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/db.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *develop_means_text(struct arena *a, const struct develop_framework *fw,
                               const struct develop_answer *answers)
{
    struct develop_result *r = arena_calloc(a, fw->ndomains ? fw->ndomains : 1, sizeof *r);
    char *s, *p;
    if (!r || develop_score(fw, answers, r))
        return NULL;
    /* at most "10000," per domain */
    if (!(s = arena_alloc(a, fw->ndomains * 7 + 1)))
        return NULL;
    p = s;
    for (size_t d = 0; d < fw->ndomains; d++) {
        if (d)
            *p++ = ',';
        if (r[d].scored)
            p += snprintf(p, 7, "%ld", lround(r[d].mean * 1000));
        else
            *p++ = '-';
    }
    *p = '\0';
    return s;
}

int develop_means_store(struct db *db, struct arena *a, const struct develop_framework *fw,
                        const struct develop_answer *answers, int64_t id)
{
    const char *text = develop_means_text(a, fw, answers);
    if (!text)
        return APP_E_NOMEM;
    return db_run(db, SQL_DGAP_SET_MEANS, "it", id, text);
}

/* Computes the means of submitted self-assessments on version fw that have none yet, a batch
 * at a time. */
static int backfill(struct db *db, struct arena *a, const struct develop_framework *fw)
{
    for (;;) {
        struct db_stmt *st = NULL;
        int64_t ids[500];
        size_t n = 0;
        int rc = db_prepare_bind(db, SQL_DGAP_UNSCORED, &st, "i", fw->id);
        while (!rc && (rc = db_step(st)) == DB_ROW) {
            rc = APP_OK;
            if (n < sizeof ids / sizeof ids[0])
                ids[n++] = db_col_int(st, 0);
        }
        db_finalize(st);
        if (rc != DB_DONE)
            return rc;
        if (!n)
            return APP_OK;
        for (size_t i = 0; i < n; i++) {
            struct develop_answer *ans;
            if ((rc = develop_self_answers(db, a, fw, ids[i], &ans)) ||
                (rc = develop_means_store(db, a, fw, ans, ids[i])))
                return rc;
        }
    }
}

/* Reads one stored means text into v[] (thousandths, as stored) and *has (bit d: a result in
 * area d); false when it does not fit the version. */
static bool parse_means(const char *s, size_t nd, int64_t *v, uint32_t *has)
{
    size_t d = 0;
    *has = 0;
    while (d < nd) {
        char *end;
        if (*s == '-') {
            end = (char *)s + 1;
        } else {
            long x = strtol(s, &end, 10);
            if (end == s || x < 0)
                return false;
            *has |= 1u << d;
            v[d] = x;
        }
        d++;
        s = end;
        if (*s == ',')
            s++;
        else
            break;
    }
    return d == nd && !*s;
}

static int weakest_first(const void *pa, const void *pb)
{
    const struct develop_gap_domain *a = pa, *b = pb;
    if (a->mean.shown != b->mean.shown)
        return a->mean.shown ? -1 : 1;
    if (a->mean.shown && a->mean.value != b->mean.value)
        return a->mean.value < b->mean.value ? -1 : 1;
    return a->position < b->position ? -1 : a->position > b->position;
}

/* One submitted self-assessment of a member of the group. */
struct row {
    int64_t user, framework, submitted, id;
    const char *means;
};

/* By member, then newest first. */
static int row_cmp(const void *pa, const void *pb)
{
    const struct row *a = pa, *b = pb;
    if (a->user != b->user)
        return a->user < b->user ? -1 : 1;
    if (a->submitted != b->submitted)
        return a->submitted > b->submitted ? -1 : 1;
    return a->id > b->id ? -1 : a->id < b->id;
}

/* Adds one parsed self-assessment (v, has: parse_means) to the sums. */
static void add(const int64_t *v, uint32_t has, size_t nd, struct gap_sums *sums)
{
    for (size_t d = 0; d < nd; d++)
        if (has >> d & 1u) {
            sums->total[d] += v[d];
            sums->people[d]++;
        }
}

/* The figures from the sums over n self-assessments, into out. A mean is shown to one decimal
 * and its percentage of the scale in steps of 5, and the areas are ordered by what is shown:
 * coarse enough that sums of several views, each allowed by gap_release.h, do not pin down
 * one member (gap_release.h works out the error). */
static int figures(struct develop_group_gaps *out, const struct gap_sums *sums, size_t n,
                   const struct disclosure_opts *opts)
{
    size_t nd = out->fw.ndomains;
    out->counted = disclosure_count(n, opts);
    for (size_t d = 0; d < nd; d++) {
        struct develop_gap_domain *g = &out->domains[d];
        uint64_t people = sums->people[d];
        double mean = people ? (double)sums->total[d] / 1000.0 / (double)people : 0;
        double range = out->fw.scale.npoints > 1 ? (double)out->fw.scale.npoints - 1 : 1;
        double shown = round(mean * 10) / 10;
        int rc;
        g->id = out->fw.domains[d].id;
        g->title = out->fw.domains[d].title;
        g->position = d;
        g->people = disclosure_count(people, opts);
        /* the percentage is read from the mean as shown, so together they say no more than
         * the one-decimal mean does (a finer percentage would narrow it: gap_release.h) */
        if ((rc = disclosure_mean(people, shown, opts, &g->mean)) ||
            (rc = disclosure_mean(people, people ? 5 * round((shown - 1) / range * 20) : 0, opts,
                                  &g->percent)))
            return rc;
    }
    qsort(out->domains, nd, sizeof *out->domains, weakest_first);
    return APP_OK;
}

int develop_group_gaps(struct db *db, struct arena *a, const char *framework_code,
                       enum develop_group_kind kind, int64_t group_id,
                       const struct disclosure_opts *opts, struct develop_group_gaps *out)
{
    struct db_stmt *st = NULL;
    uint64_t older = 0;
    int64_t current = 0;
    struct row *rows = NULL;
    struct gap_item *items = NULL;
    struct gap_sums sums = {{0}, {0}};
    struct gap_release_decision dec;
    size_t nd, nrows = 0, cap = 0, nitems = 0;
    int rc;
    memset(out, 0, sizeof *out);
    if ((rc = develop_version_latest_id(db, framework_code, &current)) ||
        (rc = develop_version_load(db, a, current, &out->fw)) || (rc = backfill(db, a, &out->fw)))
        return rc;
    nd = out->fw.ndomains;
    rc = db_prepare_bind(db, kind == DGK_COHORT ? SQL_DGAP_COHORT : SQL_DGAP_ORG, &st, "it",
                         group_id, framework_code);
    if (!rc)
        rc = db_stream(st);
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        struct row *r = arena_grow(a, rows, nrows + 1, &cap, sizeof *r);
        rc = APP_OK;
        if (!r) {
            rc = APP_E_NOMEM;
            break;
        }
        rows = r;
        r = &rows[nrows++];
        r->user = db_col_int(st, 0);
        r->framework = db_col_int(st, 1);
        r->submitted = db_col_int(st, 2);
        r->id = db_col_int(st, 3);
        /* only the current version's means are ever read */
        r->means = r->framework == current ? arena_strdup(a, db_col_text(st, 4)) : "";
        if (!r->means)
            rc = APP_E_NOMEM;
    }
    if (rc == DB_DONE)
        rc = APP_OK;
    db_finalize(st);
    if (rc)
        return rc;
    if (!(items = arena_calloc(a, nrows ? nrows : 1, sizeof *items)))
        return APP_E_NOMEM;
    /* each member's rows together, newest first (SQLite, reading by member, gives them
     * grouped already: then each group is ordered in place) */
    {
        bool grouped = true;
        for (size_t i = 1; i < nrows && grouped; i++)
            grouped = rows[i].user >= rows[i - 1].user;
        if (!grouped)
            qsort(rows, nrows, sizeof *rows, row_cmp);
    }
    for (size_t i = 0; i < nrows;) {
        size_t j = i;
        bool on_current = false, used = false;
        while (j < nrows && rows[j].user == rows[i].user)
            j++;
        if (j - i > 1)
            qsort(rows + i, j - i, sizeof *rows, row_cmp);
        for (size_t k = i; k < j && !used; k++) {
            int64_t v[DEVELOP_MAX_DOMAINS];
            if (rows[k].framework != current)
                continue;
            on_current = true;
            /* the latest on the current version; one whose means are not kept yet
             * (submitted while this ran) waits for the next view */
            if ((used = parse_means(rows[k].means, nd, v, &items[nitems].has))) {
                add(v, items[nitems].has, nd, &sums);
                items[nitems].id = rows[k].id;
                items[nitems++].at = rows[k].submitted;
            }
        }
        older += !on_current;
        i = j;
    }
    if (!(out->domains = arena_calloc(a, nd ? nd : 1, sizeof *out->domains)))
        return APP_E_NOMEM;
    out->ndomains = nd;
    out->older = disclosure_count(older, opts);
    gap_items_sort(items, nitems);
    if ((rc = gap_release_decide(db, a, current, kind, group_id, items, nitems, &sums, nd,
                                 disclosure_threshold(opts), (int64_t)time(NULL), &dec)))
        return rc;
    switch (dec.answer) {
    case GAP_SHOW_NOW:
        out->shown = DGS_NOW;
        return figures(out, &sums, nitems, opts);
    case GAP_SHOW_HELD:
        /* the figures shown then, as they were: recounting the release's self-assessments
         * now would leave out any deleted since, and show a set the rule refused */
        out->shown = DGS_HELD;
        out->held_at = dec.released_at;
        return figures(out, &dec.sums, dec.nitems, opts);
    case GAP_WITHHELD:
    default:
        out->shown = DGS_WITHHELD;
        out->counted = disclosure_count(nitems, opts);
        /* every figure hidden, in the framework's order, its count too */
        for (size_t d = 0; d < nd; d++) {
            struct develop_gap_domain *g = &out->domains[d];
            g->id = out->fw.domains[d].id;
            g->title = out->fw.domains[d].title;
            g->position = d;
            g->mean.suppressed = g->percent.suppressed = true; /* and people not shown */
        }
        return APP_OK;
    }
}
