/* gap_release.c: the rule against differencing two gap views (gap_release.h), over arrays
 *
 * Sets are compared by one merge over (id, submitted) sorted ascending, per area at once: a
 * self-assessment in one set only counts for each area it has a result in; one in both counts
 * where the two disagree about the area, which they never do, a submitted self-assessment
 * being fixed.
 */
#include "develop/gap_release.h"
#include "core/arena.h"
#include "core/buf.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* -1, 0 or 1 as a names an earlier, the same or a later self-assessment than b. */
static int item_cmp(const struct gap_item *a, const struct gap_item *b)
{
    if (a->id != b->id)
        return a->id < b->id ? -1 : 1;
    return a->at < b->at ? -1 : a->at > b->at;
}

static int by_id(const void *pa, const void *pb)
{
    return item_cmp(pa, pb);
}

void gap_items_sort(struct gap_item *items, size_t n)
{
    if (n > 1)
        qsort(items, n, sizeof *items, by_id);
}

void gap_items_text(const struct gap_item *items, size_t n, struct buf *out)
{
    for (size_t i = 0; i < n; i++)
        buf_printf(out, "%s%" PRId64 ":%" PRId64 ":%" PRIu32, i ? "," : "", items[i].id,
                   items[i].at, items[i].has);
}

bool gap_items_parse(struct arena *a, const char *s, struct gap_item **out, size_t *n)
{
    size_t cap = 1;
    struct gap_item *v;
    for (const char *p = s; *p; p++)
        cap += *p == ',';
    *out = NULL;
    *n = 0;
    if (!(v = arena_calloc(a, cap, sizeof *v)))
        return false;
    while (*s) {
        char *end;
        long long id = strtoll(s, &end, 10), at;
        unsigned long has;
        if (end == s || *end != ':' || id <= 0)
            return false;
        s = end + 1;
        at = strtoll(s, &end, 10);
        if (end == s || *end != ':' || at < 0)
            return false;
        s = end + 1;
        has = strtoul(s, &end, 10);
        if (end == s || has > UINT32_MAX || (*end && (*end != ',' || !end[1])))
            return false;
        v[*n] = (struct gap_item){id, at, (uint32_t)has};
        if (*n && item_cmp(&v[*n - 1], &v[*n]) >= 0)
            return false;
        (*n)++;
        s = *end ? end + 1 : end;
    }
    *out = v;
    return true;
}

void gap_items_counts(const struct gap_item *items, size_t n, size_t nd, uint64_t *counts)
{
    memset(counts, 0, nd * sizeof *counts);
    for (size_t i = 0; i < n; i++)
        for (size_t d = 0; d < nd; d++)
            counts[d] += items[i].has >> d & 1u;
}

void gap_counts_text(const uint64_t *counts, size_t nd, struct buf *out)
{
    for (size_t d = 0; d < nd; d++)
        buf_printf(out, "%s%" PRIu64, d ? "," : "", counts[d]);
}

bool gap_counts_parse(const char *s, size_t nd, uint64_t *counts)
{
    for (size_t d = 0; d < nd; d++) {
        char *end;
        if (*s < '0' || *s > '9')
            return false;
        counts[d] = strtoull(s, &end, 10);
        if (*end != (d + 1 < nd ? ',' : '\0'))
            return false;
        s = *end ? end + 1 : end;
    }
    return *s == '\0';
}

void gap_sums_text(const struct gap_sums *sums, size_t nd, struct buf *out)
{
    for (size_t d = 0; d < nd; d++)
        buf_printf(out, "%s%" PRId64 ":%" PRIu64, d ? "," : "", sums->total[d], sums->people[d]);
}

bool gap_sums_parse(const char *s, size_t nd, struct gap_sums *sums)
{
    memset(sums, 0, sizeof *sums);
    for (size_t d = 0; d < nd; d++) {
        char *end;
        if (*s < '0' || *s > '9')
            return false;
        sums->total[d] = strtoll(s, &end, 10);
        if (*end != ':' || end[1] < '0' || end[1] > '9')
            return false;
        sums->people[d] = strtoull(end + 1, &end, 10);
        if (*end != (d + 1 < nd ? ',' : '\0'))
            return false;
        s = *end ? end + 1 : end;
    }
    return *s == '\0';
}

bool gap_release_conflict(const struct gap_item *a_items, size_t na, const uint64_t *a_counts,
                          const struct gap_item *b_items, size_t nb, const uint64_t *b_counts,
                          size_t nd, uint32_t threshold)
{
    uint64_t apart[DEVELOP_MAX_DOMAINS] = {0};
    uint64_t wide = 2 * (uint64_t)threshold;
    bool might = false;
    for (size_t d = 0; d < nd; d++) {
        uint64_t gap =
            a_counts[d] > b_counts[d] ? a_counts[d] - b_counts[d] : b_counts[d] - a_counts[d];
        /* a figure is shown over more than threshold; the sets differ by at least the gap */
        if (a_counts[d] > threshold && b_counts[d] > threshold && gap <= wide)
            might = true;
    }
    if (!might || !a_items || !b_items)
        return might;
    for (size_t i = 0, j = 0; i < na || j < nb;) {
        uint32_t only;
        int c = j == nb ? -1 : i == na ? 1 : item_cmp(&a_items[i], &b_items[j]);
        if (c < 0)
            only = a_items[i++].has;
        else if (c > 0)
            only = b_items[j++].has;
        else
            only = a_items[i++].has ^ b_items[j++].has;
        for (size_t d = 0; only && d < nd; d++)
            apart[d] += only >> d & 1u;
    }
    for (size_t d = 0; d < nd; d++)
        if (a_counts[d] > threshold && b_counts[d] > threshold && apart[d] >= 1 && apart[d] <= wide)
            return true;
    return false;
}
