/* assess_bench.c: wall time of a national assessment benchmark on synthetic responses
 *
 * A round of the AHP digital capability assessment at national scale: 70,000 responses to
 * an instrument of the shape of data/instruments/ahp-digital-capability.json (40 items in
 * 9 domains, mostly five-option agree and maturity items, a few yes/no, choice and
 * percentage-band items, built here in C), answered so that the national
 * means of the first three domains land near the published 28%, 38% and 50% (digital
 * leadership, AI and decision support, data analytics), with 3% of answers left blank.
 * Respondents are spread over the 15 professions, 7 regions, 200 organisations and 12 pay
 * bands, with 2% not saying their profession. assess_benchmark_compute() (scoring every
 * response, every breakdown with its suppression, quartiles, the profession × region
 * table) is timed over BENCH_ROUNDS runs (default 7) and the median reported.
 *
 * The anchor, measured in the same process on the same answers, is one pass that decodes
 * every answer character and sums the option indices: the least any scoring method that
 * reads every answer must do, so seconds / anchor says how many "passes over the answers"
 * the whole benchmark costs.
 *
 * The generator (population_make) is kept apart from the timing so that a later benchmark
 * can store the same population in a database and time the read as well.
 *
 * BENCH_SKIP=S (a share, default 0): that share of respondents leave the last domain wholly
 * unanswered, as when one is optional. Each domain some skipped is audited once more for
 * who was scored in it (benchmark.c, col_audit()); with none skipped (3% of answers blank
 * in domains of 4 or more items) no domain is, so this is how that cost is measured.
 * BENCH_SKIP_EACH=S: each respondent leaves each domain wholly unanswered with a chance of
 * S, so respondents skip many different sets of domains, which the joint check of the
 * counts and the domains' counts of answerers (joint_check.c) then takes one domain at a
 * time.
 *
 * Output: one JSON line,
 *   {"bench":"assess_compute","responses":…,"items":…,"seconds":…,"anchor_seconds":…,
 *    "ratio":…,"target_seconds":0.1,…}
 * Or other sizes from the command line: assess_bench RESPONSES.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/benchmark.h"
#include "timing.h"
#include "core/arena.h"
#include "core/rand.h"

#define NDOMAINS 9
#define NITEMS   40
#define NORGS    200

/* ---- the instrument ---------------------------------------------------------------------- */

/* The shape of data/instruments/ahp-digital-capability.json: per domain, its items' kinds
 * (A agree, M maturity, Y yes/no, C choice of five, c choice of four, B percentage bands
 * with a sixth "don't know" scoring 0, b bands of five). */
static const char *const domain_kinds[NDOMAINS] = {"AMYAC", "AMAYA", "AMBAA", "AMAY", "AAYcM",
                                                   "AAMY",  "bAMA",  "MACY",  "AYMA"};
/* the share of the way up the scale respondents sit, on average, per domain: the national
 * mean percentage / 100 (the first three as published: 28%, 38%, about 50%) */
static const double domain_target[NDOMAINS] = {0.28, 0.38, 0.50, 0.45, 0.55,
                                               0.60, 0.40, 0.52, 0.48};
static const char *const domain_ids[NDOMAINS] = {"leadership", "ai",      "data",   "safety",  "ig",
                                                 "inclusion",  "records", "remote", "learning"};

static struct assess_option five_options[5] = {
    {"1", 0}, {"2", 25}, {"3", 50}, {"4", 75}, {"5", 100}};
static struct assess_option four_options[4] = {{"1", 0}, {"2", 25}, {"3", 50}, {"4", 100}};
static struct assess_option bands_options[6] = {{"0–20%", 0},     {"20–40%", 25},
                                                {"40–60%", 50},   {"60–80%", 75},
                                                {"80–100%", 100}, {"Don't know", 0}};
static struct assess_option yesno_options[2] = {{"No", 0}, {"Yes", 100}};
static struct assess_item items[NITEMS];
static struct assess_domain domains[NDOMAINS];
static struct assess_band bands[4] = {
    {0, "Emerging", ""}, {30, "Developing", ""}, {55, "Established", ""}, {80, "Leading", ""}};

/* The percent-method instrument; the first three domains carry the national baselines. */
static void instrument_make(struct assess_instrument *ins)
{
    size_t pos = 0;

    for (int d = 0; d < NDOMAINS; d++) {
        struct assess_domain *dom = &domains[d];
        size_t nitems = strlen(domain_kinds[d]);
        memset(dom, 0, sizeof *dom);
        dom->id = domain_ids[d];
        dom->title = domain_ids[d];
        dom->description = "";
        dom->weight = 1;
        dom->has_baseline = d < 3;
        dom->baseline = domain_target[d] * 100;
        dom->items = &items[pos];
        dom->nitems = nitems;
        dom->first = pos;
        for (size_t j = 0; j < nitems; j++, pos++) {
            struct assess_item *it = &items[pos];
            memset(it, 0, sizeof *it);
            it->id = "item";
            it->text = "";
            it->help = "";
            it->weight = 1;
            it->met_at = 75;
            switch (domain_kinds[d][j]) {
            case 'Y':
                it->kind = AK_YESNO;
                it->options = yesno_options;
                it->noptions = 2;
                break;
            case 'c':
                it->kind = AK_CHOICE;
                it->options = four_options;
                it->noptions = 4;
                break;
            case 'B':
                it->kind = AK_BANDS;
                it->options = bands_options;
                it->noptions = 6;
                break;
            default:
                it->kind = domain_kinds[d][j] == 'M' ? AK_MATURITY : AK_AGREE;
                it->options = five_options;
                it->noptions = 5;
                break;
            }
        }
    }
    memset(ins, 0, sizeof *ins);
    ins->code = "ahp-digital-capability";
    ins->version = 1;
    ins->title = "AHP digital capability (synthetic)";
    ins->description = "";
    ins->audience = "individual";
    ins->method = AM_PERCENT;
    ins->level_share = 1;
    ins->baseline_source = "";
    ins->bands = bands;
    ins->nbands = 4;
    ins->domains = domains;
    ins->ndomains = NDOMAINS;
    ins->nitems = pos;
}

/* ---- the population ---------------------------------------------------------------------- */

struct population {
    struct assess_instrument ins;
    struct assess_respondent *r;
    char *answers; /* n × ins.nitems, not NUL-terminated */
    size_t n;
    struct assess_bench_opts opts;
};

static void population_free(struct population *p)
{
    free(p->r);
    free(p->answers);
    p->r = NULL;
    p->answers = NULL;
}

/* n synthetic responses from seed. Returns 0, or -1 when out of memory. */
static int population_make(size_t n, uint64_t seed, double skip, double each, struct population *p)
{
    struct rng g;

    memset(p, 0, sizeof *p);
    instrument_make(&p->ins);
    p->n = n;
    p->r = calloc(n ? n : 1, sizeof *p->r);
    p->answers = malloc(n * p->ins.nitems + 1);
    if (!p->r || !p->answers) {
        population_free(p);
        return -1;
    }
    p->opts.ngroups[AD_PROFESSION] = 15;
    p->opts.ngroups[AD_REGION] = 7;
    p->opts.ngroups[AD_ORGANISATION] = NORGS;
    p->opts.ngroups[AD_BAND] = assess_pay_bands_count;
    rng_seed(&g, seed);
    for (size_t i = 0; i < n; i++) {
        struct assess_respondent *r = &p->r[i];
        char *a = p->answers + i * p->ins.nitems;
        /* a respondent's own lean, the same across domains, so domains correlate */
        double lean = (rng_double(&g) - 0.5) * 0.3;
        bool skipper = skip > 0 && rng_double(&g) < skip, skipped = false;

        r->group[AD_PROFESSION] = rng_double(&g) < 0.02 ? -1 : (int)rng_below(&g, 15);
        r->group[AD_REGION] = (int)rng_below(&g, 7);
        r->group[AD_ORGANISATION] = (int)rng_below(&g, NORGS);
        r->group[AD_BAND] = (int)rng_below(&g, assess_pay_bands_count);
        r->answers = a;
        r->len = p->ins.nitems;
        for (size_t d = 0; d < p->ins.ndomains; d++) {
            const struct assess_domain *dom = &p->ins.domains[d];
            double share = domain_target[d] + lean;
            for (size_t j = 0; j < dom->nitems; j++) {
                const struct assess_item *it = &dom->items[j];
                int k = 0;
                if (j == 0 && each > 0)
                    skipped = rng_double(&g) < each;
                if (rng_double(&g) < 0.03 || (d + 1 == p->ins.ndomains && skipper) || skipped) {
                    a[dom->first + j] = '-';
                    continue;
                }
                /* binomial over the steps of the evenly spaced options (the bands' "don't
                 * know" is never chosen): on those the mean score is 100 × share */
                for (size_t s = 0; s + 1 < it->noptions && s < 4; s++)
                    k += rng_double(&g) < share;
                a[dom->first + j] = (char)('0' + k);
            }
        }
    }
    return 0;
}

/* ---- timing ------------------------------------------------------------------------------ */

/* The anchor: decode every answer character and sum the option indices. */
static double anchor(const struct population *p, uint64_t *check)
{
    unsigned char dec[256];
    uint64_t sum = 0;
    double t0;

    memset(dec, 0, sizeof dec);
    for (int c = 0; c < 10; c++)
        dec['0' + c] = (unsigned char)(c + 1);
    for (int c = 0; c < 26; c++)
        dec['a' + c] = (unsigned char)(c + 11);
    t0 = now_s();
    for (size_t i = 0; i < p->n; i++) {
        const unsigned char *a = (const unsigned char *)p->r[i].answers;
        for (size_t k = 0; k < p->r[i].len; k++)
            sum += dec[a[k]];
    }
    t0 = now_s() - t0;
    *check += sum;
    return t0;
}

static int run(size_t n, int rounds, double skip, double each)
{
    struct population p;
    double *ts = malloc((size_t)rounds * sizeof *ts), *as = malloc((size_t)rounds * sizeof *as);
    double means[3] = {0, 0, 0}, tmed, amed;
    uint64_t check = 0;
    int rc = 1;

    if (!ts || !as || population_make(n, 42, skip, each, &p) != 0) {
        fprintf(stderr, "assess_bench: out of memory\n");
        free(ts);
        free(as);
        return 1;
    }
    for (int k = 0; k < rounds; k++) {
        struct arena *a = arena_new();
        struct assess_benchmark b;
        double t0;
        if (!a) {
            fprintf(stderr, "assess_bench: out of memory\n");
            goto done;
        }
        t0 = now_s();
        if (assess_benchmark_compute(a, &p.ins, p.r, p.n, &p.opts, &b) != 0) {
            fprintf(stderr, "assess_bench: assess_benchmark_compute failed\n");
            arena_free(a);
            goto done;
        }
        ts[k] = now_s() - t0;
        for (int d = 0; d < 3; d++)
            means[d] = b.domains[d].mean.value;
        check += b.dims[AD_ORGANISATION].groups[0].count.value;
        arena_free(a);
        as[k] = anchor(&p, &check);
    }
    tmed = median(ts, (size_t)rounds);
    amed = median(as, (size_t)rounds);
    printf("{\"bench\":\"assess_compute\",\"responses\":%zu,\"items\":%zu,\"domains\":%zu,"
           "\"groups\":%zu,\"skipped_last_domain\":%.2f,\"skipped_each_domain\":%.2f,"
           "\"seconds\":%.5f,"
           "\"anchor\":\"one pass decoding and summing every answer character\","
           "\"anchor_seconds\":%.5f,\"ratio\":%.1f,\"target_seconds\":0.1,"
           "\"national_means\":[%.1f,%.1f,%.1f],\"check\":%llu}\n",
           n, p.ins.nitems, p.ins.ndomains,
           p.opts.ngroups[0] + p.opts.ngroups[1] + p.opts.ngroups[2] + p.opts.ngroups[3], skip,
           each, tmed, amed, tmed / amed, means[0],
           means[1], means[2], (unsigned long long)(check % 1000));
    fflush(stdout);
    rc = 0;
done:
    population_free(&p);
    free(ts);
    free(as);
    return rc;
}

int main(int argc, char **argv)
{
    const char *r = getenv("BENCH_ROUNDS");
    const char *sk = getenv("BENCH_SKIP"), *se = getenv("BENCH_SKIP_EACH");
    int rounds = r && atoi(r) > 0 ? atoi(r) : 7;
    double skip = sk ? atof(sk) : 0, each = se ? atof(se) : 0;

    if (!(skip >= 0 && skip <= 1) || !(each >= 0 && each <= 1)) {
        fprintf(stderr, "assess_bench: BENCH_SKIP and BENCH_SKIP_EACH are shares from 0 to 1\n");
        return 2;
    }
    if (argc == 2)
        return run((size_t)strtoull(argv[1], NULL, 10), rounds, skip, each);
    return run(70000, rounds, skip, each);
}
