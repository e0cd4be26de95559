/* nextbest.c: a mentee's next best mentors (see nextbest.h) */
#include "connect/nextbest.h"

#include <stdlib.h>

static int by_score(const void *x, const void *y)
{
    const struct connect_option *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return (a->mentor_id > b->mentor_id) - (a->mentor_id < b->mentor_id);
}

size_t connect_next_best(struct connect_option *cand, size_t n, int64_t matched)
{
    size_t k = 0;
    if (!cand || !n)
        return 0;
    qsort(cand, n, sizeof *cand, by_score);
    /* keep the order: shift the chosen ones to the front */
    for (size_t i = 0; i < n && k < CONNECT_NEXT_BEST; i++) {
        if (cand[i].score <= 0 || (matched && cand[i].mentor_id == matched))
            continue;
        if (i != k) {
            struct connect_option t = cand[i];
            for (size_t j = i; j > k; j--)
                cand[j] = cand[j - 1];
            cand[k] = t;
        }
        k++;
    }
    return k;
}
