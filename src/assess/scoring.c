/* scoring.c: one response's domain and overall scores under the three scoring methods
 *
 * Scores are never stored: every page, export and benchmark recomputes them from the raw
 * answer string, so a fix to a method or a new reading of an old round is one code change
 * with no migration. It reads each answer character once, decodes it through a table, and
 * allocates nothing. The benchmark of a national round has its own table-driven copy of the
 * percent and mean5 rules (benchmark.c, score_fast) because it scores tens of thousands of
 * responses at once: a change here must be made there too, and tests/unit/assess/
 * benchmark_test.c's property test, which checks the benchmark against this file, fails
 * until it is.
 *
 * The rules are those of assess.h's opening comment. Where that comment leaves a choice,
 * this file makes it as follows, and the instruments' documentation should say the same:
 *  - an answer character outside '0'…'9', 'a'…'z', or naming an option the item does not
 *    have, counts as unanswered (the string was checked when it was stored; scoring an old
 *    response against a damaged instrument must not crash or invent a score);
 *  - mean5's overall figure is the mean over all answered items weighted by the ITEM
 *    weights only; domain weights do not enter it (that is what "over all answered items"
 *    means, and why it differs from percent's mean of domains);
 *  - under levels, shares count items (item weights do not enter), a level with no items
 *    passes (so a domain climbs through it), and the overall level is the level the overall
 *    percentage has reached, floor(percent / 20), so the level shown never contradicts the
 *    percentage beside it;
 *  - mean5 in the other methods is 1 + 4 × percent / 100, and level is 0 outside levels.
 * Floating point: a domain's percentage is Σ w·s / Σ w in double, in item order, so equal
 * inputs give bit-equal results; level shares are compared with a 1e-9 allowance so that
 * 0.55 × 100 is "55 of 100" and not 55.00000000000001.
 */
#include "assess/assess.h"

#include <math.h>
#include <string.h>

#include "core/err.h"

/* One more than the option index of an answer character; 0 for '-' and anything else, so
 * the table needs no initialiser for the 220 bytes that are not answers. */
static const unsigned char decode1[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['g'] = 17, ['h'] = 18, ['i'] = 19, ['j'] = 20, ['k'] = 21, ['l'] = 22, ['m'] = 23, ['n'] = 24,
    ['o'] = 25, ['p'] = 26, ['q'] = 27, ['r'] = 28, ['s'] = 29, ['t'] = 30, ['u'] = 31, ['v'] = 32,
    ['w'] = 33, ['x'] = 34, ['y'] = 35, ['z'] = 36,
};

/* The score (0–100) of the answer at pos, or -1 when unanswered. */
static double answer_score(const struct assess_item *it, const char *answers, size_t len,
                           size_t pos)
{
    unsigned idx;

    if (pos >= len)
        return -1;
    idx = decode1[(unsigned char)answers[pos]];
    if (idx == 0 || idx > it->noptions || !it->options)
        return -1;
    idx--;
    return it->options[idx].score;
}

static void set_percent(struct assess_score *s, double percent)
{
    s->percent = percent;
    s->mean5 = 1 + 4 * percent / 100;
}

/* The levels method for one domain: the highest level L such that every level ≤ L with
 * items has at least one answered and level_share of its answered ones met. */
static int domain_level(const struct assess_domain *d, const char *answers, size_t len,
                        double share)
{
    int has[ASSESS_LEVELS + 1] = {0}, answered[ASSESS_LEVELS + 1] = {0},
                            met[ASSESS_LEVELS + 1] = {0};
    int level = 0;

    for (size_t j = 0; j < d->nitems; j++) {
        const struct assess_item *it = &d->items[j];
        double s;
        if (it->level < 1 || it->level > ASSESS_LEVELS)
            continue; /* the parser forbids it; such an item belongs to no level */
        has[it->level] = 1;
        s = answer_score(it, answers, len, d->first + j);
        if (s < 0)
            continue;
        answered[it->level]++;
        met[it->level] += s >= it->met_at;
    }
    for (int l = 1; l <= ASSESS_LEVELS; l++) {
        if (has[l] && (answered[l] == 0 || (double)met[l] < share * answered[l] - 1e-9))
            break; /* an unmet level blocks every level above it, met or not */
        level = l;
    }
    return level;
}

int assess_score(const struct assess_instrument *ins, const char *answers, size_t len,
                 struct assess_score *domains, struct assess_score *overall)
{
    double dsum = 0, dwsum = 0; /* domain-weighted sum of domain percentages, and weights */
    double isum = 0, iwsum = 0; /* item-weighted sum of item scores (mean5 overall) */
    int rc = APP_E_INVALID;

    if (!ins || !overall || (!domains && ins->ndomains > 0) || (!answers && len > 0))
        goto done;
    if (len > ins->nitems)
        len = ins->nitems; /* characters past the last item belong to nothing */
    memset(overall, 0, sizeof *overall);
    for (size_t k = 0; k < ins->ndomains; k++) {
        const struct assess_domain *d = &ins->domains[k];
        struct assess_score *s = &domains[k];
        double sum = 0, wsum = 0;

        memset(s, 0, sizeof *s);
        for (size_t j = 0; j < d->nitems; j++) {
            const struct assess_item *it = &d->items[j];
            double v = answer_score(it, answers, len, d->first + j);
            if (v < 0)
                continue;
            sum += it->weight * v;
            wsum += it->weight;
            s->answered++;
        }
        if (s->answered == 0)
            continue; /* no score; left out of the overall figure */
        s->scored = true;
        overall->answered += s->answered;
        isum += sum;
        iwsum += wsum;
        if (ins->method == AM_LEVELS) {
            s->level = domain_level(d, answers, len, ins->level_share);
            set_percent(s, s->level * 100.0 / ASSESS_LEVELS);
        } else {
            set_percent(s, wsum > 0 ? sum / wsum : 0);
        }
        dsum += d->weight * s->percent;
        dwsum += d->weight;
    }
    rc = 0;
    if (overall->answered == 0)
        goto done;
    overall->scored = true;
    if (ins->method == AM_MEAN5)
        set_percent(overall, iwsum > 0 ? isum / iwsum : 0);
    else
        set_percent(overall, dwsum > 0 ? dsum / dwsum : 0);
    if (ins->method == AM_LEVELS)
        overall->level = (int)floor(overall->percent / (100.0 / ASSESS_LEVELS) + 1e-9);
done:
    return rc;
}

const struct assess_band *assess_band_for(const struct assess_instrument *ins, double percent)
{
    const struct assess_band *best = NULL, *lowest = NULL;

    if (!ins)
        return NULL;
    /* The band with the greatest start not above percent, whatever order the bands are in;
     * below every start (or NaN) the lowest band. The 1e-9 keeps 39.99999999999999, an
     * artefact of averaging, in the band that starts at 40. */
    for (size_t k = 0; k < ins->nbands; k++) {
        const struct assess_band *b = &ins->bands[k];
        if (!lowest || b->from < lowest->from)
            lowest = b;
        if (percent + 1e-9 >= b->from && (!best || b->from > best->from))
            best = b;
    }
    return best ? best : lowest;
}
