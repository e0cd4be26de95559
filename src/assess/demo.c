/* demo.c: demonstration assessment rounds with synthetic responses (ahphub demo)
 *
 * The national rounds need enough responses for every breakdown to show, means near the
 * published national figures, and differences that a heat map can show, so answers come
 * from a small latent model rather than from uniform noise:
 *  - each respondent has a general digital confidence and a confidence per domain (normal
 *    draws), shifted by their profession (radiographers ahead on AI, arts therapists behind
 *    on data, operating department practitioners with little remote care …), their pay band
 *    (senior staff ahead, most of all on leadership), their region and organisation;
 *  - an item's expected score is lo + (hi − lo) × logistic(a_d + that sum + the item's
 *    difficulty), and the answer is the option whose score lies either side of it, chosen
 *    with the probability that keeps the expectation (stochastic rounding), so the mean of
 *    the answers is the mean of the expectations;
 *  - a_d is set per domain by bisection so that the expected domain mean over (a sample of)
 *    the respondents equals the target: the baseline where the instrument has one, else a
 *    figure of our own (targets[] below).
 * About 2% of answers are left blank, as real respondents do. Everything comes from fixed
 * seeds (src/core/rand.h), so two databases get the same answers.
 *
 * Rows go in through assess_load_rows, one prepared statement reused per row, inside one
 * transaction with the rounds themselves, so a failed run leaves nothing and 30,000
 * responses take well under a second on SQLite.
 */
#include "assess/demo.h"
#include "account/account.h"
#include "account/org.h"
#include "assess/round.h"
#include "assess/store.h"
#include "assess/transfer.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rand.h"
#include "store/db.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#define T_BASELINE         "AHP digital capability baseline 2025"
#define T_PILOT            "AHP digital capability pilot 2024"
#define T_OPEN             "AHP digital capability 2026"
#define T_WGLL             "What Good Looks Like self-assessment 2026"
#define CAPABILITY         "ahp-digital-capability"
#define WGLL               "wgll-organisation"
#define WGLL_RESPONSES     40
#define CALIBRATION_SAMPLE 2000
#define BLANK_SHARE        0.02
#define PILOT_SHIFT        (-4.0) /* points below the baseline round's targets */
#define DAY                86400

/* Midnight UTC of the dates the rounds ran. */
#define PILOT_OPENS     INT64_C(1715040000) /* 2024-05-07 */
#define PILOT_CLOSES    INT64_C(1721347200) /* 2024-07-19 */
#define BASELINE_OPENS  INT64_C(1740960000) /* 2025-03-03 */
#define BASELINE_CLOSES INT64_C(1748563200) /* 2025-05-30 */
#define OPEN_OPENS      INT64_C(1768176000) /* 2026-01-12 */
#define WGLL_OPENS      INT64_C(1789344000) /* 2026-09-14 */

/* The organisations of account/demo.c, with the same regions: account_org_ensure is
 * idempotent, so whichever demo runs first creates them. size is a relative share of
 * respondents; offset shifts its staff's confidence. */
static const struct {
    const char *name, *region;
    double size, offset;
} demo_orgs[] = {
    {"Northfield Community Health NHS Trust", "north-east-yorkshire", 1.2, 0.10},
    {"Riverside University Hospitals NHS Foundation Trust", "london", 1.6, 0.25},
    {"Moorland Ambulance Service NHS Trust", "south-west", 0.6, -0.20},
    {"Eastbridge Integrated Care Board", "east-of-england", 0.4, -0.10},
    {"Midshire Partnership NHS Foundation Trust", "midlands", 1.3, 0.05},
    {"Coastway Hospitals NHS Trust", "south-east", 1.1, -0.15},
    {"Pennine Care and Therapies NHS Trust", "north-west", 1.0, 0.10},
};
#define NORGS (sizeof demo_orgs / sizeof demo_orgs[0])

/* Mean item score per domain (percent) for the baseline round; the instrument's baseline
 * wins where it has one. Under the levels method (What Good Looks Like) a domain's figure is
 * its level, which comes out well below its mean item score: these put most services at
 * levels 1 to 3. */
static const struct {
    const char *domain;
    double mean;
} targets[] = {
    {"leadership", 28},
    {"ai", 38},
    {"data", 50},
    {"safety", 42},
    {"ig", 63},
    {"inclusion", 52},
    {"records", 58},
    {"remote", 47},
    {"learning", 45},
    {"well-led", 62},
    {"smart-foundations", 72},
    {"safe-practice", 68},
    {"support-people", 58},
    {"empower-citizens", 55},
    {"improve-care", 62},
    {"healthy-populations", 48},
};

/* Relative numbers of respondents, roughly the professions' sizes on the HCPC register. */
static const struct {
    const char *code;
    double weight;
} prof_weights[] = {
    {"physiotherapist", 24},
    {"occupational-therapist", 18},
    {"radiographer", 15},
    {"paramedic", 12},
    {"speech-language-therapist", 8},
    {"odp", 5},
    {"dietitian", 5},
    {"podiatrist", 4.5},
    {"art-therapist", 1.3},
    {"orthoptist", 0.9},
    {"osteopath", 0.8},
    {"prosthetist-orthotist", 0.6},
    {"music-therapist", 0.5},
    {"drama-therapist", 0.45},
    {"other", 1.5},
};

/* Where professions differ from the average, in logits (0.3 is about 7 points). */
static const struct {
    const char *profession, *domain;
    double offset;
} prof_offsets[] = {
    {"radiographer", "ai", 0.6},
    {"radiographer", "data", 0.25},
    {"radiographer", "records", 0.2},
    {"radiographer", "remote", -0.4},
    {"paramedic", "remote", 0.2},
    {"paramedic", "records", -0.3},
    {"paramedic", "leadership", -0.2},
    {"paramedic", "safety", 0.2},
    {"paramedic", "inclusion", -0.2},
    {"physiotherapist", "remote", 0.35},
    {"physiotherapist", "data", 0.1},
    {"physiotherapist", "learning", 0.1},
    {"occupational-therapist", "inclusion", 0.35},
    {"occupational-therapist", "remote", 0.15},
    {"speech-language-therapist", "remote", 0.3},
    {"speech-language-therapist", "inclusion", 0.3},
    {"speech-language-therapist", "ai", -0.1},
    {"dietitian", "data", 0.25},
    {"dietitian", "remote", 0.2},
    {"podiatrist", "remote", -0.3},
    {"podiatrist", "records", 0.1},
    {"odp", "remote", -0.8},
    {"odp", "inclusion", -0.4},
    {"odp", "safety", 0.3},
    {"odp", "ai", -0.2},
    {"art-therapist", "data", -0.45},
    {"art-therapist", "ai", -0.35},
    {"art-therapist", "records", -0.3},
    {"art-therapist", "inclusion", 0.25},
    {"music-therapist", "data", -0.45},
    {"music-therapist", "ai", -0.35},
    {"music-therapist", "records", -0.3},
    {"music-therapist", "inclusion", 0.25},
    {"drama-therapist", "data", -0.45},
    {"drama-therapist", "ai", -0.35},
    {"drama-therapist", "records", -0.3},
    {"drama-therapist", "inclusion", 0.25},
    {"orthoptist", "records", 0.2},
    {"orthoptist", "ai", 0.2},
    {"osteopath", "ig", -0.2},
    {"osteopath", "records", -0.35},
    {"osteopath", "leadership", -0.3},
    {"prosthetist-orthotist", "data", -0.15},
    {"prosthetist-orthotist", "remote", -0.3},
};

/* Pay bands: share of respondents, general offset, and the extra on leadership. */
static const struct {
    const char *band;
    double weight, offset, leadership;
} bands[] = {
    {"3", 0.5, -0.5, -0.4}, {"4", 1.5, -0.4, -0.4}, {"5", 24, -0.25, -0.3}, {"6", 35, 0, -0.1},
    {"7", 22, 0.2, 0.2},    {"8a", 8, 0.4, 0.5},    {"8b", 2.5, 0.55, 0.8}, {"8c", 0.8, 0.6, 0.9},
    {"8d", 0.3, 0.6, 1.0},  {"other", 1.4, 0, 0},
};
#define NBANDS (sizeof bands / sizeof bands[0])

/* Respondents by region, roughly the AHP workforce; and a small regional shift. */
static const struct {
    const char *region;
    double weight, offset;
} region_weights[] = {
    {"east-of-england", 11, -0.1},   {"london", 15, 0.1},      {"midlands", 19, 0},
    {"north-east-yorkshire", 16, 0}, {"north-west", 13, 0.05}, {"south-east", 16, 0.05},
    {"south-west", 11, -0.05},
};
#define NREGIONS (sizeof region_weights / sizeof region_weights[0])

/* One item as the generator sees it: its option scores sorted, ties grouped. */
struct gen_item {
    size_t domain;
    double lo, hi; /* lowest and highest option score */
    double delta;  /* difficulty, in logits */
    double weight;
    size_t nv; /* distinct scores */
    double val[ASSESS_MAX_OPTIONS];
    unsigned char first[ASSESS_MAX_OPTIONS], cnt[ASSESS_MAX_OPTIONS];
    unsigned char idx[ASSESS_MAX_OPTIONS]; /* option indexes in score order */
};

struct model {
    const struct assess_instrument *ins;
    size_t nd;
    struct gen_item *items; /* ins->nitems */
    double target[ASSESS_MAX_DOMAINS];
    double a[ASSESS_MAX_DOMAINS];
};

/* ---- random draws ------------------------------------------------------------------------ */

static double normal(struct rng *r)
{
    double u1 = 1.0 - rng_double(r), u2 = rng_double(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* An index drawn with probability proportional to w[i]. */
static size_t pick_weighted(struct rng *r, const double *w, size_t n)
{
    double total = 0, x;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    x = rng_double(r) * total;
    for (size_t i = 0; i < n; i++) {
        x -= w[i];
        if (x < 0)
            return i;
    }
    return n - 1;
}

static double logistic(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

/* ---- the model --------------------------------------------------------------------------- */

static double target_of(const struct assess_domain *d, double shift)
{
    double t = 50;
    if (d->has_baseline)
        t = d->baseline;
    else
        for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
            if (!strcmp(targets[i].domain, d->id))
                t = targets[i].mean;
    t += shift;
    return t < 5 ? 5 : t > 95 ? 95 : t;
}

static int model_init(struct arena *a, const struct assess_instrument *ins, double shift,
                      struct model *m)
{
    size_t pos = 0;
    memset(m, 0, sizeof *m);
    m->ins = ins;
    m->nd = ins->ndomains;
    if (m->nd > ASSESS_MAX_DOMAINS || !ins->nitems)
        return APP_E_INVALID;
    if (!(m->items = arena_calloc(a, ins->nitems, sizeof *m->items)))
        return APP_E_NOMEM;
    for (size_t d = 0; d < m->nd; d++) {
        const struct assess_domain *dom = &ins->domains[d];
        m->target[d] = target_of(dom, shift);
        for (size_t i = 0; i < dom->nitems && pos < ins->nitems; i++, pos++) {
            const struct assess_item *it = &dom->items[i];
            struct gen_item *g = &m->items[pos];
            size_t n = it->noptions;
            g->domain = d;
            g->weight = it->weight > 0 ? it->weight : 1;
            /* Under the levels method higher levels are harder, which is what makes the
             * levels climb; otherwise a small fixed spread so items are not all alike. */
            g->delta = it->level ? -(it->level - 3) * 1.0 : ((double)(pos * 7 % 9) - 4) * 0.12;
            for (size_t k = 0; k < n; k++)
                g->idx[k] = (unsigned char)k;
            for (size_t k = 1; k < n; k++) /* insertion sort: stable, n ≤ 36 */
                for (size_t j = k;
                     j > 0 && it->options[g->idx[j - 1]].score > it->options[g->idx[j]].score;
                     j--) {
                    unsigned char t = g->idx[j];
                    g->idx[j] = g->idx[j - 1];
                    g->idx[j - 1] = t;
                }
            for (size_t k = 0; k < n; k++) {
                double s = it->options[g->idx[k]].score;
                if (!g->nv || g->val[g->nv - 1] != s) {
                    g->val[g->nv] = s;
                    g->first[g->nv] = (unsigned char)k;
                    g->cnt[g->nv++] = 0;
                }
                g->cnt[g->nv - 1]++;
            }
            g->lo = g->val[0];
            g->hi = g->val[g->nv - 1];
        }
    }
    return pos == ins->nitems ? APP_OK : APP_E_INVALID;
}

/* The expected mean percentage of domain d over n respondents with latent sums eta (n × nd)
 * when its intercept is a. */
static double expected_mean(const struct model *m, size_t d, double a, const float *eta, size_t n)
{
    const struct assess_domain *dom = &m->ins->domains[d];
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        double num = 0, den = 0;
        for (size_t k = dom->first; k < dom->first + dom->nitems; k++) {
            const struct gen_item *g = &m->items[k];
            num +=
                g->weight * (g->lo + (g->hi - g->lo) * logistic(a + eta[i * m->nd + d] + g->delta));
            den += g->weight;
        }
        total += den > 0 ? num / den : 0;
    }
    return n ? total / (double)n : 0;
}

/* Sets each domain's intercept so that its expected mean is the target. The first
 * CALIBRATION_SAMPLE respondents stand for all (they are drawn in random order), and 30
 * halvings of 24 logits leave an error far below a tenth of a point. */
static void calibrate(struct model *m, const float *eta, size_t n)
{
    if (n > CALIBRATION_SAMPLE)
        n = CALIBRATION_SAMPLE;
    for (size_t d = 0; d < m->nd; d++) {
        double lo = -12, hi = 12;
        for (int it = 0; it < 30; it++) {
            double mid = (lo + hi) / 2;
            if (expected_mean(m, d, mid, eta, n) < m->target[d])
                lo = mid;
            else
                hi = mid;
        }
        m->a[d] = (lo + hi) / 2;
    }
}

/* An option for an item whose expected score is e, keeping the expectation. */
static char pick_option(const struct gen_item *g, double e, struct rng *r)
{
    size_t v = 0;
    while (v + 1 < g->nv && g->val[v + 1] <= e)
        v++;
    if (v + 1 < g->nv && rng_double(r) < (e - g->val[v]) / (g->val[v + 1] - g->val[v]))
        v++;
    return assess_answer_char(g->idx[g->first[v] + rng_below(r, g->cnt[v])]);
}

/* Fills answers (nitems characters and a NUL) for a respondent with latent sums eta (nd). */
static void answer(const struct model *m, const float *eta, struct rng *r, char *answers)
{
    for (size_t k = 0; k < m->ins->nitems; k++) {
        const struct gen_item *g = &m->items[k];
        double x = m->a[g->domain] + eta[g->domain] + g->delta;
        if (rng_double(r) < BLANK_SHARE) {
            answers[k] = ASSESS_UNANSWERED;
            continue;
        }
        answers[k] = pick_option(g, g->lo + (g->hi - g->lo) * logistic(x), r);
    }
    answers[m->ins->nitems] = '\0';
}

/* ---- rounds ------------------------------------------------------------------------------ */

struct orgs {
    int64_t id[NORGS];
};

static int round_exists(struct db *db, const char *title, bool *exists)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_AR_BY_TITLE, &st, "t", title);
    db_finalize(st);
    *exists = rc == APP_OK;
    return rc == APP_E_NOTFOUND ? APP_OK : rc;
}

static int load_latest(struct db *db, struct arena *a, const char *code,
                       struct assess_instrument *ins)
{
    struct db_stmt *st = NULL;
    int64_t id;
    int rc = db_row(db, SQL_AI_LATEST_ID, &st, "t", code);
    if (rc)
        goto done;
    id = db_col_int(st, 0);
    db_finalize(st);
    st = NULL;
    rc = assess_version_load(db, NULL, a, id, ins);
done:
    db_finalize(st);
    return rc;
}

static int make_round(struct db *db, struct arena *a, const char *title,
                      const struct assess_instrument *ins, bool anonymous, int64_t opens,
                      int64_t closes, struct assess_round *out)
{
    struct assess_round_input in = {title, ins->id, ins->audience, anonymous, 0, opens, closes};
    int64_t id;
    int rc = assess_round_create(db, a, &in, 0, &id, NULL);
    return rc ? rc : assess_round_get_id(db, a, id, out);
}

/* A closed round's dates, kept in the past even on a machine whose clock is behind. */
static void past_dates(int64_t now, int64_t *opens, int64_t *closes)
{
    if (*closes >= now) {
        *closes = now - DAY;
        *opens = *closes - 80 * DAY;
    }
}

/* n respondents to the capability instrument, in rows (arena). */
static int gen_individuals(struct arena *a, const struct assess_instrument *ins, size_t n,
                           double shift, uint64_t seed, const struct orgs *orgs, int64_t opens,
                           int64_t closes, struct assess_load_row **out)
{
    double pw[sizeof prof_weights / sizeof prof_weights[0]], bw[NBANDS], rw[NREGIONS], ow[NORGS];
    double poff[sizeof prof_weights / sizeof prof_weights[0]][ASSESS_MAX_DOMAINS] = {{0}};
    size_t np = sizeof prof_weights / sizeof prof_weights[0], org_region[NORGS], lead = SIZE_MAX;
    struct assess_load_row *rows;
    struct model m;
    struct rng r;
    float *eta;
    char *answers;
    int rc = model_init(a, ins, shift, &m);
    if (rc)
        return rc;
    rows = arena_calloc(a, n ? n : 1, sizeof *rows);
    eta = arena_calloc(a, (n ? n : 1) * m.nd, sizeof *eta);
    answers = arena_alloc(a, (n ? n : 1) * (ins->nitems + 1));
    if (!rows || !eta || !answers)
        return APP_E_NOMEM;
    for (size_t p = 0; p < np; p++) {
        pw[p] = prof_weights[p].weight;
        for (size_t k = 0; k < sizeof prof_offsets / sizeof prof_offsets[0]; k++)
            if (!strcmp(prof_offsets[k].profession, prof_weights[p].code))
                for (size_t d = 0; d < m.nd; d++)
                    if (!strcmp(prof_offsets[k].domain, ins->domains[d].id))
                        poff[p][d] += prof_offsets[k].offset;
    }
    for (size_t d = 0; d < m.nd; d++)
        if (!strcmp(ins->domains[d].id, "leadership"))
            lead = d;
    for (size_t b = 0; b < NBANDS; b++)
        bw[b] = bands[b].weight;
    for (size_t g = 0; g < NREGIONS; g++)
        rw[g] = region_weights[g].weight;
    for (size_t o = 0; o < NORGS; o++) {
        ow[o] = demo_orgs[o].size;
        org_region[o] = 0;
        for (size_t g = 0; g < NREGIONS; g++)
            if (!strcmp(region_weights[g].region, demo_orgs[o].region))
                org_region[o] = g;
    }
    rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++) {
        struct assess_load_row *row = &rows[i];
        float *e = eta + i * m.nd;
        double general = 0.9 * normal(&r), shared = 0;
        size_t p = pick_weighted(&r, pw, np), b = pick_weighted(&r, bw, NBANDS), g;
        bool has_prof = rng_double(&r) >= 0.03, has_band = rng_double(&r) >= 0.05;
        bool has_region = true;
        if (rng_double(&r) < 0.8) { /* says which organisation; lives in its region mostly */
            size_t o = pick_weighted(&r, ow, NORGS);
            row->organisation_id = orgs->id[o];
            shared += demo_orgs[o].offset;
            g = rng_double(&r) < 0.95 ? org_region[o] : pick_weighted(&r, rw, NREGIONS);
        } else {
            g = pick_weighted(&r, rw, NREGIONS);
            has_region = rng_double(&r) >= 0.04;
        }
        shared += region_weights[g].offset + bands[b].offset;
        row->profession = has_prof ? prof_weights[p].code : NULL;
        row->band = has_band ? bands[b].band : NULL;
        row->region = has_region ? region_weights[g].region : NULL;
        for (size_t d = 0; d < m.nd; d++)
            e[d] = (float)(general + shared + 0.55 * normal(&r) + poff[p][d] +
                           (d == lead ? bands[b].leadership : 0));
        /* 5 to 40 minutes to answer, all of it while the round was open */
        row->submitted_at =
            opens + 2400 + (int64_t)rng_below(&r, (uint64_t)(closes - opens - 2400 - 60));
        row->started_at = row->submitted_at - 300 - (int64_t)rng_below(&r, 2100);
    }
    calibrate(&m, eta, n);
    for (size_t i = 0; i < n; i++) {
        char *ans = answers + i * (ins->nitems + 1);
        answer(&m, eta + i * m.nd, &r, ans);
        rows[i].answers = ans;
    }
    *out = rows;
    return APP_OK;
}

/* About 40 AHP services of the demo organisations assess themselves, each through its
 * organisation's invitation link. */
static int gen_services(struct db *db, struct arena *a, const struct assess_instrument *ins,
                        const struct assess_round *round, const struct orgs *orgs, int64_t opens,
                        int64_t now, struct assess_load_row **out, size_t *nout)
{
    struct assess_load_row *rows;
    int64_t inv[NORGS];
    double org_level[NORGS];
    struct model m;
    struct rng r;
    float *eta;
    char *answers;
    size_t n = WGLL_RESPONSES;
    int rc = model_init(a, ins, 0, &m);
    if (rc)
        return rc;
    rows = arena_calloc(a, n, sizeof *rows);
    eta = arena_calloc(a, n * m.nd, sizeof *eta);
    answers = arena_alloc(a, n * (ins->nitems + 1));
    if (!rows || !eta || !answers)
        return APP_E_NOMEM;
    for (size_t o = 0; o < NORGS; o++) {
        struct assess_invitation v;
        const char *code;
        if ((rc = assess_invitation_make(db, a, round->id, orgs->id[o], &code)) ||
            (rc = assess_invitation_find(db, a, round->id, code, &v)))
            return rc;
        inv[o] = v.id;
    }
    rng_seed(&r, 20260914);
    for (size_t o = 0; o < NORGS; o++)
        org_level[o] = demo_orgs[o].offset * 2 + 0.7 * normal(&r);
    for (size_t i = 0; i < n; i++) {
        size_t o = i % NORGS;
        double service = org_level[o] + 0.5 * normal(&r);
        rows[i].organisation_id = orgs->id[o];
        rows[i].invitation_id = inv[o];
        rows[i].region = demo_orgs[o].region;
        for (size_t d = 0; d < m.nd; d++)
            eta[i * m.nd + d] = (float)(service + 0.4 * normal(&r));
        /* half an hour to two hours of a team's time, since the round opened */
        rows[i].submitted_at =
            opens + 7200 + (int64_t)rng_below(&r, (uint64_t)(now - opens - 7200 - 60));
        rows[i].started_at = rows[i].submitted_at - 1800 - (int64_t)rng_below(&r, 5400);
    }
    calibrate(&m, eta, n);
    for (size_t i = 0; i < n; i++) {
        char *ans = answers + i * (ins->nitems + 1);
        answer(&m, eta + i * m.nd, &r, ans);
        rows[i].answers = ans;
    }
    *out = rows;
    *nout = n;
    return APP_OK;
}

static int demo_capability(struct db *db, struct arena *a, size_t responses,
                           const struct orgs *orgs, int64_t now)
{
    struct assess_instrument ins;
    struct assess_round round;
    struct assess_load_row *rows;
    bool exists;
    int rc = load_latest(db, a, CAPABILITY, &ins);
    if (rc)
        return rc;
    if ((rc = round_exists(db, T_BASELINE, &exists)))
        return rc;
    if (!exists) {
        int64_t opens = BASELINE_OPENS, closes = BASELINE_CLOSES;
        past_dates(now, &opens, &closes);
        if ((rc = make_round(db, a, T_BASELINE, &ins, true, opens, closes, &round)) ||
            (rc = gen_individuals(a, &ins, responses, 0, 20250303, orgs, opens, closes, &rows)) ||
            (rc = assess_load_rows(db, &round, "demo", rows, responses)))
            return rc;
    }
    if ((rc = round_exists(db, T_PILOT, &exists)))
        return rc;
    if (!exists) {
        int64_t opens = PILOT_OPENS, closes = PILOT_CLOSES;
        size_t n = responses / 5;
        past_dates(now - 365 * DAY, &opens, &closes);
        if ((rc = make_round(db, a, T_PILOT, &ins, true, opens, closes, &round)) ||
            (rc = gen_individuals(a, &ins, n, PILOT_SHIFT, 20240507, orgs, opens, closes, &rows)) ||
            (rc = assess_load_rows(db, &round, "demo", rows, n)))
            return rc;
    }
    if ((rc = round_exists(db, T_OPEN, &exists)))
        return rc;
    if (!exists)
        rc = make_round(db, a, T_OPEN, &ins, true, OPEN_OPENS < now ? OPEN_OPENS : 0, 0, &round);
    return rc;
}

static int demo_wgll(struct db *db, struct arena *a, const struct orgs *orgs, int64_t now)
{
    struct assess_instrument ins;
    struct assess_round round;
    struct assess_load_row *rows;
    int64_t opens = WGLL_OPENS < now - 7 * DAY ? WGLL_OPENS : now - 7 * DAY;
    size_t n;
    bool exists;
    int rc = load_latest(db, a, WGLL, &ins);
    if (!rc)
        rc = round_exists(db, T_WGLL, &exists);
    if (rc || exists)
        return rc;
    if ((rc = make_round(db, a, T_WGLL, &ins, false, opens, 0, &round)) ||
        (rc = gen_services(db, a, &ins, &round, orgs, opens, now, &rows, &n)))
        return rc;
    return assess_load_rows(db, &round, "demo", rows, n);
}

int assess_demo(struct db *db, size_t responses)
{
    struct arena *a = arena_new();
    struct orgs orgs;
    int64_t now = (int64_t)time(NULL);
    bool tx = false;
    int rc = a ? APP_OK : APP_E_NOMEM;
    if (rc || (rc = assess_version_seed(db)))
        goto done;
    if ((rc = db_begin(db)))
        goto done;
    tx = true;
    for (size_t o = 0; o < NORGS; o++)
        if ((rc = account_org_ensure(db, demo_orgs[o].name, NULL, demo_orgs[o].region,
                                                &orgs.id[o])))
            goto done;
    if ((rc = demo_capability(db, a, responses, &orgs, now)) || (rc = demo_wgll(db, a, &orgs, now)))
        goto done;
    rc = db_commit(db);
    tx = false;
done:
    if (tx)
        db_rollback(db);
    arena_free(a);
    return rc;
}

/* ---- one member's own named assessment ------------------------------------------------- */

#define T_MEMBER "Leadership programme: digital capability check-in 2026"

/* The round titled title, made (named, open for two more months) when missing. */
static int member_round(struct db *db, struct arena *a, const struct assess_instrument *ins,
                        int64_t now, struct assess_round *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_AR_BY_TITLE, &st, "t", T_MEMBER);
    if (rc == APP_OK) {
        int64_t id = db_col_int(st, 0);
        db_finalize(st);
        return assess_round_get_id(db, a, id, out);
    }
    db_finalize(st);
    if (rc != APP_E_NOTFOUND)
        return rc;
    return make_round(db, a, T_MEMBER, ins, false, now - 14 * DAY, now + 60 * DAY, out);
}

int assess_demo_member(struct db *db, int64_t user_id, const char *profession,
                       const char *region, int *made)
{
    struct arena *a = arena_new();
    struct assess_instrument ins;
    struct assess_round round;
    struct assess_response s;
    struct assess_about about = {profession, region, "6", 0};
    char token[ASSESS_TOKEN_HEX], *answers;
    int64_t now = (int64_t)time(NULL), id = 0;
    int rc = a ? APP_OK : APP_E_NOMEM;
    *made = 0;
    if (rc || (rc = load_latest(db, a, "ahp-digital-capability", &ins)) ||
        (rc = member_round(db, a, &ins, now, &round)))
        goto done;
    rc = assess_response_by_user(db, a, round.id, user_id, &s);
    if (rc != APP_E_NOTFOUND) /* answered already, or a failure */
        goto done;
    if (!(answers = assess_answers_blank(a, &ins))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    /* A spread of answers, the same on every database: a middling profile with strengths
     * and gaps, so the result page has something to say. */
    for (size_t d = 0, pos = 0; d < ins.ndomains; d++)
        for (size_t i = 0; i < ins.domains[d].nitems; i++, pos++) {
            size_t n = ins.domains[d].items[i].noptions;
            answers[pos] = assess_answer_char((int)((d * 3 + i * 5 + 1) % n));
        }
    if ((rc = assess_response_start(db, &round, &ins, user_id, 0, &about, token, &id)) ||
        (rc = assess_response_save(db, &round, &ins, id, answers, now)) ||
        (rc = assess_response_submit(db, &round, id, now)))
        goto done;
    *made = 1;
done:
    arena_free(a);
    return rc == APP_E_NOTFOUND ? APP_OK : rc;
}
