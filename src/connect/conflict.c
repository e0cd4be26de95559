/* conflict.c: pairs among a set of members who must not be together (see conflict.h) */
#include "connect/conflict.h"
#include "connect/mentoring_int.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

static int cmp_id(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

static int cmp_pair(const void *x, const void *y)
{
    const struct connect_pair *p = x, *q = y;
    if (p->a != q->a)
        return (p->a > q->a) - (p->a < q->a);
    return (p->b > q->b) - (p->b < q->b);
}

int connect_conflict_pairs(struct db *db, struct arena *arena, const int64_t *user_ids, size_t n,
                           struct connect_pair **out, size_t *nout)
{
    struct db_stmt *st = NULL;
    int64_t *ids = NULL;
    size_t m = 0, cap = 0, k = 0;
    int rc = APP_OK;
    *out = NULL;
    *nout = 0;
    if (!n)
        return APP_OK;
    if (!(ids = arena_alloc(arena, n * sizeof *ids)))
        return APP_E_NOMEM;
    memcpy(ids, user_ids, n * sizeof *ids);
    qsort(ids, n, sizeof *ids, cmp_id);
    for (size_t i = 0; i < n; i++) /* drop repeats */
        if (!m || ids[m - 1] != ids[i])
            ids[m++] = ids[i];
    for (size_t i = 0; i < m; i++) {
        if ((rc = db_prepare_bind(db, SQL_CP_EXCL_OF, &st, "i", ids[i])))
            goto done;
        while ((rc = db_step(st)) == DB_ROW) {
            int64_t other = db_col_int(st, 0);
            if (other == ids[i] || !bsearch(&other, ids, m, sizeof *ids, cmp_id))
                continue;
            if (!(*out = arena_grow(arena, *out, *nout + 1, &cap, sizeof **out))) {
                rc = APP_E_NOMEM;
                goto done;
            }
            (*out)[*nout].a = other < ids[i] ? other : ids[i];
            (*out)[*nout].b = other < ids[i] ? ids[i] : other;
            (*nout)++;
        }
        if (rc != DB_DONE)
            goto done;
        rc = APP_OK;
        db_finalize(st);
        st = NULL;
    }
    /* each pair once, even when both named the other */
    if (*nout) {
        qsort(*out, *nout, sizeof **out, cmp_pair);
        for (size_t i = 0; i < *nout; i++)
            if (!k || cmp_pair(&(*out)[k - 1], &(*out)[i]))
                (*out)[k++] = (*out)[i];
        *nout = k;
    }
done:
    db_finalize(st);
    if (rc) {
        *out = NULL;
        *nout = 0;
    }
    return rc;
}
