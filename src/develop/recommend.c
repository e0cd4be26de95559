/* recommend.c: the member's measured gaps, and the catalogue's activities that meet them,
 * ranked and explained (recommend.h states the rule)
 *
 * Plain loops over small arrays: a member has some ten framework domains, a few Assess
 * domains and a catalogue of tens to hundreds of activities, so gaps × areas is tiny.
 */
#include "develop/recommend.h"
#include "core/arena.h"
#include "core/err.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *develop_gap_source_name(enum develop_gap_source s)
{
    switch (s) {
    case DGS_SELF:
        return "self-assessment";
    case DGS_FEEDBACK:
        return "360 feedback";
    case DGS_ASSESS:
        return "assessment";
    }
    return "";
}

/* One decimal, as sentences write a mean ("2.5", "3.0"). */
static double one_decimal(double x)
{
    return round(x * 10) / 10 + 0.0;
}

/* A mean as the results page writes it (two decimals, trailing zeros dropped: 2.17, 2.4), or
 * with d decimals; into s. */
static void mean_text(char *s, size_t n, double x, int d)
{
    size_t len;
    snprintf(s, n, "%.*f", d, round(x * pow(10, d)) / pow(10, d) + 0.0);
    len = strlen(s);
    while (len > 0 && s[len - 1] == '0')
        s[--len] = '\0';
    if (len > 0 && s[len - 1] == '.')
        s[--len] = '\0';
}

/* An area's mean and the average it is below, as the results page writes them, with a third
 * decimal where two would read the same ("2.4, below your average of 2.4" never). */
static void means_apart(char *mean_s, char *avg_s, size_t n, double mean, double avg)
{
    mean_text(mean_s, n, mean, 2);
    mean_text(avg_s, n, avg, 2);
    if (!strcmp(mean_s, avg_s)) {
        mean_text(mean_s, n, mean, 3);
        mean_text(avg_s, n, avg, 3);
    }
}

static const char *self_title(const struct develop_rec_input *in, const char *domain)
{
    for (size_t i = 0; i < in->nself; i++)
        if (in->self[i].domain && !strcmp(in->self[i].domain, domain))
            return in->self[i].title;
    return domain;
}

static int gap_cmp(const void *pa, const void *pb)
{
    const struct develop_gap *a = pa, *b = pb;
    int c;
    if (a->points != b->points)
        return a->points > b->points ? -1 : 1;
    if (a->source != b->source)
        return a->source < b->source ? -1 : 1;
    if ((c = strcmp(a->title, b->title)))
        return c;
    return strcmp(a->domain, b->domain);
}

/* The gaps of the input, unsorted, into *out (arena). */
static int find_gaps(struct arena *a, const struct develop_rec_input *in, struct develop_gap **out,
                     size_t *n)
{
    size_t cap = in->nself + in->nfeedback + in->nassess, k = 0, scored = 0;
    struct develop_gap *g = arena_calloc(a, cap ? cap : 1, sizeof *g);
    double range = in->points > 1 ? in->points - 1 : 1, sum = 0, avg;
    if (!g)
        return APP_E_NOMEM;
    for (size_t i = 0; i < in->nself; i++)
        if (in->self[i].scored) {
            sum += in->self[i].mean;
            scored++;
        }
    avg = scored ? sum / (double)scored : 0;
    for (size_t i = 0; scored > 1 && i < in->nself; i++) {
        const struct develop_rec_self *s = &in->self[i];
        if (!s->scored || s->mean >= avg)
            continue;
        g[k] = (struct develop_gap){
            DGS_SELF, in->framework_code, s->domain, s->title, (avg - s->mean) / range * 100, NULL};
        char mean_s[32], avg_s[32];
        means_apart(mean_s, avg_s, sizeof mean_s, s->mean, avg);
        g[k].text = arena_printf(a,
                                 "You rated \u2018%s\u2019 %s out of %d, below your average "
                                 "of %s across your areas.",
                                 s->title, mean_s, in->points, avg_s);
        if (!g[k++].text)
            return APP_E_NOMEM;
    }
    for (size_t i = 0; i < in->nfeedback; i++) {
        const struct develop_rec_feedback *f = &in->feedback[i];
        double d = f->self_mean - f->others_mean;
        const char *title = f->title ? f->title : self_title(in, f->domain);
        if (d < DEVELOP_REC_MIN_FEEDBACK)
            continue;
        g[k] = (struct develop_gap){DGS_FEEDBACK, in->framework_code, f->domain,
                                    title,        d / range * 100,    NULL};
        g[k].text = arena_printf(a,
                                 "Others rated \u2018%s\u2019 %.1f below your own rating (%.1f "
                                 "against your %.1f).",
                                 title, one_decimal(d), one_decimal(f->others_mean),
                                 one_decimal(f->self_mean));
        if (!g[k++].text)
            return APP_E_NOMEM;
    }
    for (size_t i = 0; i < in->nassess; i++) {
        const struct develop_rec_assess *s = &in->assess[i];
        if (!s->has_baseline || s->percent >= s->baseline)
            continue;
        g[k] = (struct develop_gap){
            DGS_ASSESS, s->code, s->domain, s->title, s->baseline - s->percent, NULL};
        g[k].text =
            arena_printf(a, "Your \u2018%s\u2019 result was %.0f%%, national baseline %.0f%%.",
                         s->title, round(s->percent), round(s->baseline));
        if (!g[k++].text)
            return APP_E_NOMEM;
    }
    *out = g;
    *n = k;
    return APP_OK;
}

static bool meets(const struct develop_activity *act, const struct develop_gap *g)
{
    bool assess = g->source == DGS_ASSESS;
    for (size_t i = 0; i < act->nareas; i++)
        if (act->areas[i].assess == assess && g->code && !strcmp(act->areas[i].code, g->code) &&
            !strcmp(act->areas[i].domain, g->domain))
            return true;
    return false;
}

static int rec_cmp(const void *pa, const void *pb)
{
    const struct develop_recommendation *a = pa, *b = pb;
    int c;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->gaps[0]->points != b->gaps[0]->points)
        return a->gaps[0]->points > b->gaps[0]->points ? -1 : 1;
    if (a->ngaps != b->ngaps)
        return a->ngaps > b->ngaps ? -1 : 1;
    if ((c = strcmp(a->activity->title, b->activity->title)))
        return c;
    return a->activity->id < b->activity->id ? -1 : a->activity->id > b->activity->id;
}

int develop_recommend(struct arena *a, const struct develop_rec_input *in,
                      struct develop_gap **gaps, size_t *ngaps,
                      struct develop_recommendation **recs, size_t *nrecs)
{
    struct develop_gap *g;
    struct develop_recommendation *r;
    size_t ng = 0, nr = 0;
    int rc;
    if (!a || !in || !gaps || !ngaps || !recs || !nrecs ||
        ((in->nself || in->nfeedback) && in->points < 2))
        return APP_E_INVALID;
    *gaps = NULL;
    *recs = NULL;
    *ngaps = *nrecs = 0;
    if ((rc = find_gaps(a, in, &g, &ng)))
        return rc;
    qsort(g, ng, sizeof *g, gap_cmp);
    if (!(r = arena_calloc(a, in->nactivities ? in->nactivities : 1, sizeof *r)))
        return APP_E_NOMEM;
    for (size_t i = 0; i < in->nactivities; i++) {
        const struct develop_activity *act = &in->activities[i];
        size_t k = 0;
        for (size_t j = 0; j < ng; j++)
            k += meets(act, &g[j]);
        if (!k)
            continue;
        if (!(r[nr].gaps = arena_calloc(a, k, sizeof *r[nr].gaps)))
            return APP_E_NOMEM;
        r[nr].activity = act;
        /* the gaps are sorted largest first, so each list is too */
        for (size_t j = 0; j < ng; j++)
            if (meets(act, &g[j])) {
                r[nr].gaps[r[nr].ngaps++] = &g[j];
                r[nr].score += g[j].points;
            }
        nr++;
    }
    qsort(r, nr, sizeof *r, rec_cmp);
    *gaps = g;
    *ngaps = ng;
    *recs = r;
    *nrecs = nr;
    return APP_OK;
}
