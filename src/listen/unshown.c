/* unshown.c: what is no longer shown leaves every result that quotes it
 *
 * A stored run quotes contributions as they were when it ran: a theme's representatives and
 * its quotes by audience, each group's representative statements, and the statements every
 * group agrees on. A contribution rejected, withdrawn or hidden after the run (or still
 * waiting, which a run counts but never names) must not be quoted by any page or file made
 * from that run, published or not: a participant who withdraws after "What we heard" was
 * published is taken at their word, and a text rejected because it names someone stops
 * being shown everywhere at once.
 *
 * So every reading of a run for display goes through listen_analysis_forget_unshown (called
 * by listen_curation_apply, which every page and file of a run applies). It reads the
 * exercise's contributions that are not shown (few: moderation rejects a small share) and
 * drops every quote whose contribution id is one of them, or whose text is the text of one of
 * them. Text is what the older fields carry (quotes and statements were stored without ids);
 * a quote whose words are also those of a shown contribution is dropped too, which loses a
 * quote but never shows a text that was taken back.
 */
#include "listen/analysis.h"
#include "listen/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

struct unshown {
    int64_t *ids;
    const char **texts;
    size_t n;
};

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool gone_id(const struct unshown *u, int64_t id)
{
    return bsearch(&id, u->ids, u->n, sizeof *u->ids, cmp_id) != NULL;
}

static bool gone_text(const struct unshown *u, const char *text)
{
    return text && bsearch(&text, u->texts, u->n, sizeof *u->texts, cmp_text) != NULL;
}

/* The exercise's contributions that are not shown, sorted for lookup. */
static int unshown_read(struct db *db, struct arena *a, int64_t exercise_id, struct unshown *u)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc;
    memset(u, 0, sizeof *u);
    if ((rc = db_prepare_bind(db, SQL_LA_UNSHOWN, &st, "i", exercise_id)))
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (u->n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            int64_t *ni = arena_alloc(a, ncap * sizeof *ni);
            const char **nt = arena_alloc(a, ncap * sizeof *nt);
            if (!ni || !nt) {
                rc = APP_E_NOMEM;
                goto done;
            }
            if (u->n) {
                memcpy(ni, u->ids, u->n * sizeof *ni);
                memcpy(nt, u->texts, u->n * sizeof *nt);
            }
            u->ids = ni;
            u->texts = nt;
            cap = ncap;
        }
        u->ids[u->n] = db_col_int(st, 0);
        if (!(u->texts[u->n] = arena_strdup(a, db_col_text(st, 1)))) {
            rc = APP_E_NOMEM;
            goto done;
        }
        u->n++;
    }
    if (rc != DB_DONE)
        goto done;
    rc = APP_OK;
    if (u->n) {
        qsort(u->ids, u->n, sizeof *u->ids, cmp_id);
        qsort(u->texts, u->n, sizeof *u->texts, cmp_text);
    }
done:
    db_finalize(st);
    return rc;
}

/* Keeps, in order, the strings of l that are not the text of an unshown contribution. */
static void keep_strs(const struct unshown *u, struct listen_strs *l)
{
    size_t kept = 0;
    for (size_t i = 0; i < l->n; i++)
        if (!gone_text(u, l->v[i]))
            l->v[kept++] = l->v[i];
    l->n = kept;
}

/* The representatives, with their ids beside them when the run stored ids. */
static void keep_representatives(const struct unshown *u, struct listen_theme *t)
{
    size_t kept = 0, kept_ids = 0, nid = t->representative_ids ? t->nrepresentative_ids : 0;
    for (size_t i = 0; i < t->representatives.n; i++) {
        int64_t id = i < nid ? t->representative_ids[i] : 0;
        if (gone_text(u, t->representatives.v[i]) || (i < nid && gone_id(u, id)))
            continue;
        t->representatives.v[kept++] = t->representatives.v[i];
        if (i < nid)
            t->representative_ids[kept_ids++] = id;
    }
    t->representatives.n = kept;
    if (t->representative_ids)
        t->nrepresentative_ids = kept_ids;
}

int listen_analysis_forget_unshown(struct db *db, struct arena *a, int64_t exercise_id,
                                   struct listen_analysis *r)
{
    struct unshown u;
    int rc = unshown_read(db, a, exercise_id, &u);
    if (rc || !u.n)
        return rc;
    for (size_t t = 0; t < r->nthemes; t++) {
        struct listen_theme *th = &r->themes[t];
        keep_representatives(&u, th);
        keep_strs(&u, &th->quotes_citizens);
        keep_strs(&u, &th->quotes_professionals);
    }
    if (r->opinion) {
        for (size_t g = 0; g < r->opinion->ngroups; g++) {
            struct listen_opinion_group *grp = &r->opinion->groups[g];
            size_t kept = 0;
            for (size_t s = 0; s < grp->nstatements; s++)
                if (!gone_text(&u, grp->statements[s].text))
                    grp->statements[kept++] = grp->statements[s];
            grp->nstatements = kept;
        }
        keep_strs(&u, &r->opinion->consensus);
    }
    return APP_OK;
}
