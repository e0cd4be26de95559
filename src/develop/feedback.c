/* feedback.c: the 360° report — which cells, figures and texts may be shown (the rules in
 * feedback.h), computed from the submitted answers
 *
 * Pure: no database, no HTTP. The rules are applied in three passes: which groups are shown
 * and what is folded (rules 2–3, by counts of answers), then each behaviour's figure per cell
 * (rule 4, by counts of ratings), then the domain figures from the behaviour figures shown
 * (rule 5). Every figure that is not shown keeps mean 0 and n 0, so nothing downstream can
 * use a suppressed value by mistake.
 */
#include "develop/feedback.h"
#include "core/arena.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const CODES[FG_COUNT] = {"manager", "peer", "report", "other"};
static const char *const TITLES[FC_COUNT] = {"Line manager", "Peers", "Direct reports", "Others",
                                             "All raters except you"};

const char *feedback_group_code(enum feedback_group g)
{
    return (unsigned)g < FG_COUNT ? CODES[g] : "";
}

int feedback_group_parse(const char *code)
{
    for (int g = 0; code && g < FG_COUNT; g++)
        if (!strcmp(code, CODES[g]))
            return g;
    return -1;
}

const char *feedback_cell_title(enum feedback_cell c)
{
    return (unsigned)c < FC_COUNT ? TITLES[c] : "";
}

const struct feedback_figure *feedback_behaviour(const struct feedback_report *r, size_t b,
                                                 enum feedback_cell c)
{
    return &r->behaviour[b * FC_COUNT + c];
}

const struct feedback_figure *feedback_domain(const struct feedback_report *r, size_t d,
                                              enum feedback_cell c)
{
    return &r->domain[d * FC_COUNT + c];
}

int feedback_self_rating(const struct feedback_report *r, size_t b)
{
    int v = r->self_answers ? r->self_answers[b].rating : 0;
    return v >= 1 ? v : 0;
}

/* Rules 2 and 3: which cells are shown and which groups are folded. */
static void choose_cells(const size_t count[FG_COUNT], size_t total, struct feedback_report *out)
{
    size_t fold = 0;
    out->cell_shown[FC_MANAGER] = count[FG_MANAGER] > 0;
    for (int g = FG_PEER; g < FG_COUNT; g++) {
        out->cell_shown[g] = count[g] >= FEEDBACK_MIN_GROUP;
        out->folded[g] = count[g] > 0 && count[g] < FEEDBACK_MIN_GROUP;
        if (out->folded[g])
            fold += count[g];
    }
    while (fold > 0 && fold < FEEDBACK_MIN_GROUP) {
        int smallest = -1;
        for (int g = FG_PEER; g < FG_COUNT; g++)
            if (out->cell_shown[g] && (smallest < 0 || count[g] < count[smallest]))
                smallest = g;
        if (smallest < 0)
            break;
        out->cell_shown[smallest] = false;
        out->folded[smallest] = true;
        fold += count[smallest];
    }
    out->fold_shown = fold >= FEEDBACK_MIN_GROUP;
    out->cell_shown[FC_ALL] =
        total >= FEEDBACK_MIN_GROUP && (fold == 0 || fold >= FEEDBACK_MIN_GROUP);
    for (int c = 0; c < FC_COUNT; c++)
        out->cell_n[c] = !out->cell_shown[c] ? 0 : c == FC_ALL ? (int)total : (int)count[c];
}

/* Alphabetical, as the pages say: case set aside ("calm" before "Kind"), then byte order, so
 * that the order is the same whatever order the answers came in. */
static int by_text(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int d = strcasecmp(x, y);
    return d ? d : strcmp(x, y);
}

/* Rule 6: the texts of a shown cell, and the fold's under FC_ALL. Each list is put in
 * alphabetical order on its own: in the answers' order (one random key per answer) the n-th
 * strength and the n-th "do differently" were the same rater's, so the two lists could be paired
 * and a rater's two answers read together, which says more about who wrote them than either. */
static int collect_text(struct arena *a, const struct feedback_response *r, size_t n,
                        struct feedback_report *out)
{
    for (int c = 0; c < FC_COUNT; c++) {
        out->strengths[c] = arena_calloc(a, n ? n : 1, sizeof(char *));
        out->differently[c] = arena_calloc(a, n ? n : 1, sizeof(char *));
        if (!out->strengths[c] || !out->differently[c])
            return APP_E_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        int c = (int)r[i].group;
        if (out->folded[c])
            c = out->fold_shown ? FC_ALL : -1;
        else if (!out->cell_shown[c])
            c = -1;
        if (c < 0)
            continue;
        if (r[i].strengths && *r[i].strengths)
            out->strengths[c][out->nstrengths[c]++] = r[i].strengths;
        if (r[i].differently && *r[i].differently)
            out->differently[c][out->ndifferently[c]++] = r[i].differently;
    }
    for (int c = 0; c < FC_COUNT; c++) {
        qsort(out->strengths[c], out->nstrengths[c], sizeof(char *), by_text);
        qsort(out->differently[c], out->ndifferently[c], sizeof(char *), by_text);
    }
    return APP_OK;
}

int feedback_report_build(struct arena *a, const struct develop_framework *fw,
                          const struct develop_answer *self, const struct feedback_response *r,
                          size_t n, struct feedback_report *out)
{
    size_t count[FG_COUNT] = {0};
    size_t nb, npts;
    double *sum;
    int *cnt;
    if (!a || !fw || !out || (n && !r))
        return APP_E_INVALID;
    memset(out, 0, sizeof *out);
    nb = fw->nbehaviours;
    npts = fw->scale.npoints;
    out->ndomains = fw->ndomains;
    out->nbehaviours = nb;
    out->self_answers = self;
    out->behaviour = arena_calloc(a, (nb ? nb : 1) * FC_COUNT, sizeof *out->behaviour);
    out->domain =
        arena_calloc(a, (fw->ndomains ? fw->ndomains : 1) * FC_COUNT, sizeof *out->domain);
    out->self = arena_calloc(a, fw->ndomains ? fw->ndomains : 1, sizeof *out->self);
    sum = arena_calloc(a, (nb ? nb : 1) * FC_COUNT, sizeof *sum);
    cnt = arena_calloc(a, (nb ? nb : 1) * FC_COUNT, sizeof *cnt);
    if (!out->behaviour || !out->domain || !out->self || !sum || !cnt)
        return APP_E_NOMEM;
    if (develop_score(fw, self, out->self))
        return APP_E_INVALID;
    for (size_t i = 0; i < n; i++)
        if ((unsigned)r[i].group < FG_COUNT)
            count[r[i].group]++;
    choose_cells(count, count[FG_MANAGER] + count[FG_PEER] + count[FG_REPORT] + count[FG_OTHER],
                 out);

    /* sums and counts of ratings on the scale, per behaviour, per group and in all */
    for (size_t i = 0; i < n; i++) {
        if ((unsigned)r[i].group >= FG_COUNT || !r[i].ratings)
            continue;
        for (size_t b = 0; b < nb; b++) {
            int v = r[i].ratings[b];
            if (v < 1 || (size_t)v > npts)
                continue;
            sum[b * FC_COUNT + r[i].group] += v;
            cnt[b * FC_COUNT + r[i].group]++;
            sum[b * FC_COUNT + FC_ALL] += v;
            cnt[b * FC_COUNT + FC_ALL]++;
        }
    }
    /* rule 4 */
    for (size_t b = 0; b < nb; b++) {
        int covered = 0;
        struct feedback_figure *f = &out->behaviour[b * FC_COUNT];
        for (int c = 0; c < FC_ALL; c++) {
            int k = cnt[b * FC_COUNT + c];
            int need = c == FC_MANAGER ? 1 : FEEDBACK_MIN_GROUP;
            if (!out->cell_shown[c] || k < need)
                continue;
            f[c] = (struct feedback_figure){true, k, sum[b * FC_COUNT + c] / k};
            covered += k;
        }
        if (out->cell_shown[FC_ALL]) {
            int k = cnt[b * FC_COUNT + FC_ALL], hidden = k - covered;
            if (k >= FEEDBACK_MIN_GROUP && (hidden == 0 || hidden >= FEEDBACK_MIN_GROUP))
                f[FC_ALL] = (struct feedback_figure){true, k, sum[b * FC_COUNT + FC_ALL] / k};
        }
    }
    /* rule 5 */
    for (size_t d = 0; d < fw->ndomains; d++) {
        const struct develop_domain *dm = &fw->domains[d];
        for (int c = 0; c < FC_COUNT; c++) {
            double s = 0;
            int k = 0;
            for (size_t i = 0; i < dm->nbehaviours; i++) {
                const struct feedback_figure *f = feedback_behaviour(out, dm->first + i, c);
                if (f->shown) {
                    s += f->mean;
                    k++;
                }
            }
            if (k)
                out->domain[d * FC_COUNT + c] = (struct feedback_figure){true, k, s / k};
        }
    }
    return collect_text(a, r, n, out);
}
