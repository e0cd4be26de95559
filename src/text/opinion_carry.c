/* opinion_carry.c: the rules that carry opinion groups from one run to the next
 *
 * See opinion_carry.h for the rules and why. Both functions are small and pure: no
 * allocation, no globals, the same answer for the same arguments.
 */
#include "text/opinion_carry.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#define MAXG 16

/* The k a fit alone takes: the smallest whose silhouette is within the margin of the best. */
static size_t alone_k(const double *sil, size_t kmin, size_t kmax, size_t *best)
{
    double top = -INFINITY;
    size_t bk = 0;
    for (size_t k = kmin; k <= kmax; k++)
        if (!isnan(sil[k]) && sil[k] > top + 1e-12) {
            top = sil[k];
            bk = k;
        }
    *best = bk;
    if (!bk)
        return 0;
    for (size_t k = kmin; k <= kmax; k++)
        if (!isnan(sil[k]) && sil[k] >= top - OPINION_CARRY_MARGIN)
            return k;
    return bk;
}

size_t opinion_carry_k(const double *sil, size_t kmin, size_t kmax,
                       const struct opinion_state *prev, struct opinion_state *next)
{
    struct opinion_state st = {0};
    size_t best, k = alone_k(sil, kmin, kmax, &best), pk = prev ? prev->k : 0;

    if (k && pk >= kmin && pk <= kmax && !isnan(sil[pk])) {
        if (sil[best] > sil[pk] + OPINION_CARRY_MARGIN && k != pk) {
            /* a clearly better k: count the run, change once it has held long enough */
            st.cand_k = (uint32_t)k;
            st.cand_runs = prev->cand_k == k ? prev->cand_runs + 1 : 1;
            if (st.cand_runs >= OPINION_CARRY_RUNS) {
                st.cand_k = st.cand_runs = 0;
            } else {
                k = pk;
            }
        } else {
            k = pk;
        }
    }
    st.k = (uint32_t)k;
    if (next)
        *next = st;
    return k;
}

void opinion_carry_number(const uint32_t *assign, const uint32_t *part, size_t n, size_t ng,
                          const int32_t *prev_group, uint32_t *number)
{
    size_t ov[MAXG][MAXG], size[MAXG] = {0}, first[MAXG], order[MAXG];
    long match[MAXG]; /* the previous group each cluster took, −1 none */
    bool taken[MAXG] = {false}, any = false;

    if (ng > MAXG)
        ng = MAXG;
    memset(ov, 0, sizeof ov);
    for (size_t c = 0; c < ng; c++) {
        first[c] = SIZE_MAX;
        match[c] = -1;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t c = assign[i];
        if (c >= ng)
            continue;
        size[c]++;
        if (first[c] == SIZE_MAX)
            first[c] = i;
        if (prev_group && prev_group[part[i]] >= 0 && prev_group[part[i]] < MAXG) {
            ov[c][prev_group[part[i]]]++;
            any = true;
        }
    }
    /* greedy matching, the largest overlap first */
    while (any) {
        size_t bc = 0, bh = 0, bv = 0;
        for (size_t c = 0; c < ng; c++)
            for (size_t h = 0; h < MAXG; h++)
                if (match[c] < 0 && !taken[h] && ov[c][h] > bv) {
                    bv = ov[c][h];
                    bc = c;
                    bh = h;
                }
        if (!bv)
            break;
        match[bc] = (long)bh;
        taken[bh] = true;
    }
    /* order: matched clusters by their previous number, then the rest by size (ties: the
     * cluster holding the earlier participant) */
    for (size_t c = 0; c < ng; c++)
        order[c] = c;
    for (size_t a = 1; a < ng; a++) {
        size_t t = order[a], b = a;
        while (b > 0) {
            size_t u = order[b - 1];
            bool after;
            if (match[u] >= 0 && match[t] >= 0)
                after = match[u] > match[t];
            else if (match[u] >= 0 || match[t] >= 0)
                after = match[u] < 0;
            else
                after = size[u] < size[t] || (size[u] == size[t] && first[u] > first[t]);
            if (!after)
                break;
            order[b] = u;
            b--;
        }
        order[b] = t;
    }
    for (size_t r = 0; r < ng; r++)
        number[order[r]] = (uint32_t)r;
}
