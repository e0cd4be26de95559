/* results.c: a round's submitted responses read for its benchmark
 *
 * The answers are copied into one arena block as they are read (SQLite's and libpq's text is
 * valid only until the next row), and organisations become indices in name order so the
 * breakdown lists them alphabetically.
 */
#include "assess/results.h"
#include "assess/store.h"
#include "account/account.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Codes become indices through one small open-addressed table per dimension, built once:
 * a round's benchmark looks up three codes for each of its (up to 70,000) responses, and a
 * linear scan of strcmp() was a tenth of the work. */
#define CODE_SLOTS 64 /* a power of two, at least twice the longest list */

struct code_slot {
    const char *code;
    int index;
};

static struct code_slot code_table[AD_NDIMS][CODE_SLOTS];
static pthread_once_t code_once = PTHREAD_ONCE_INIT;

static unsigned code_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h & (CODE_SLOTS - 1);
}

static const char *code_at(enum assess_dim d, size_t i)
{
    switch (d) {
    case AD_PROFESSION:
        return i < professions_count ? professions[i].code : NULL;
    case AD_REGION:
        return i < regions_count ? regions[i].code : NULL;
    case AD_BAND:
        return i < assess_pay_bands_count ? assess_pay_bands[i] : NULL;
    default:
        return NULL;
    }
}

static void code_tables_build(void)
{
    for (int d = 0; d < AD_NDIMS; d++) {
        const char *code;
        for (size_t i = 0; (code = code_at((enum assess_dim)d, i)) && i < CODE_SLOTS / 2; i++) {
            unsigned h = code_hash(code);
            while (code_table[d][h].code)
                h = (h + 1) & (CODE_SLOTS - 1);
            code_table[d][h] = (struct code_slot){code, (int)i};
        }
    }
}

int assess_group_index(enum assess_dim d, const char *code)
{
    if (!code || !*code || d < 0 || d >= AD_NDIMS)
        return -1;
    pthread_once(&code_once, code_tables_build);
    for (unsigned h = code_hash(code);; h = (h + 1) & (CODE_SLOTS - 1)) {
        const struct code_slot *sl = &code_table[d][h];
        if (!sl->code)
            return -1;
        if (!strcmp(sl->code, code))
            return sl->index;
    }
}

struct id_index {
    int64_t id;
    int index;
    const char *name;
};

static int by_id(const void *x, const void *y)
{
    const struct id_index *a = x, *b = y;
    return a->id < b->id ? -1 : a->id > b->id;
}

int assess_results_load(struct db *db, struct arena *a, int64_t round_id,
                        const struct assess_instrument *ins, const struct disclosure_opts *opts,
                        struct assess_results *out)
{
    struct db_stmt *st = NULL;
    struct assess_respondent *rs = NULL;
    struct id_index *ix = NULL;
    size_t n = 0, cap = 0, orgcap = 0;
    struct assess_bench_opts bo = {{0}, opts};
    int rc;
    memset(out, 0, sizeof *out);
    rc = db_prepare_bind(db, SQL_AS_BENCH_ORGS, &st, "i", round_id);
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        if (!(ix = arena_grow(a, ix, out->norgs + 1, &orgcap, sizeof *ix))) {
            rc = APP_E_NOMEM;
            break;
        }
        ix[out->norgs].id = db_col_int(st, 0);
        ix[out->norgs].index = (int)out->norgs;
        ix[out->norgs].name = arena_strdup(a, db_col_text(st, 1));
        rc = ix[out->norgs++].name ? APP_OK : APP_E_NOMEM;
    }
    if (rc != DB_DONE)
        goto done;
    db_finalize(st);
    st = NULL;
    out->org_ids = arena_alloc(a, (out->norgs + 1) * sizeof *out->org_ids);
    out->org_names = arena_alloc(a, (out->norgs + 1) * sizeof *out->org_names);
    if (!out->org_ids || !out->org_names) {
        rc = APP_E_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < out->norgs; i++) {
        out->org_ids[i] = ix[i].id;
        out->org_names[i] = ix[i].name;
    }
    if (out->norgs)
        qsort(ix, out->norgs, sizeof *ix, by_id);
    /* Streamed: on PostgreSQL each row is taken as it arrives, so reading overlaps the
     * server's sending instead of waiting for all 70,000 rows to be gathered first. */
    rc = db_prepare_bind(db, SQL_AS_BENCH, &st, "i", round_id);
    if (!rc)
        rc = db_stream(st);
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        struct assess_respondent *p;
        int64_t org = db_col_int(st, 2);
        size_t len = db_col_len(st, 4);
        char *ans;
        if (!(rs = arena_grow(a, rs, n + 1, &cap, sizeof *rs)) ||
            !(ans = arena_alloc(a, len + 1))) {
            rc = APP_E_NOMEM;
            break;
        }
        memcpy(ans, db_col_text(st, 4), len);
        ans[len] = '\0';
        p = &rs[n++];
        p->group[AD_PROFESSION] = assess_group_index(AD_PROFESSION, db_col_text(st, 0));
        p->group[AD_REGION] = assess_group_index(AD_REGION, db_col_text(st, 1));
        p->group[AD_BAND] = assess_group_index(AD_BAND, db_col_text(st, 3));
        p->group[AD_ORGANISATION] = -1;
        if (org && out->norgs) {
            struct id_index key = {org, 0, NULL}, *hit;
            hit = bsearch(&key, ix, out->norgs, sizeof *ix, by_id);
            p->group[AD_ORGANISATION] = hit ? hit->index : -1;
        }
        p->answers = ans;
        p->len = len;
        rc = APP_OK;
    }
    if (rc != DB_DONE)
        goto done;
    bo.ngroups[AD_PROFESSION] = professions_count;
    bo.ngroups[AD_REGION] = regions_count;
    bo.ngroups[AD_ORGANISATION] = out->norgs;
    bo.ngroups[AD_BAND] = assess_pay_bands_count;
    rc = assess_benchmark_compute(a, ins, rs, n, &bo, &out->bench);
    if (rc == APP_E_TOOBIG && out->norgs > 0) {
        /* too many organisations to audit with the rest: publish everything else */
        for (size_t i = 0; i < n; i++)
            rs[i].group[AD_ORGANISATION] = -1;
        bo.ngroups[AD_ORGANISATION] = 0;
        out->orgs_withheld = out->norgs;
        out->norgs = 0;
        rc = assess_benchmark_compute(a, ins, rs, n, &bo, &out->bench);
    }
done:
    db_finalize(st);
    return rc;
}

/* ---- the shared results ----
 *
 * A few entries (rounds being looked at), each owning an arena with its benchmark. An entry
 * is replaced when its round has more submitted responses, or they were regrouped by a merge
 * of organisations; a replaced entry lives on, marked
 * stale, until the last request reading it lets go. */
#define CACHE_SLOTS 8

#define FRAGMENTS_MAX 32

struct fragment {
    char *key, *text;
    size_t len;
};

struct cached {
    struct assess_results res; /* first: a results pointer is its entry's */
    struct assess_results_cache *cache;
    int64_t round_id, instrument_id, submitted, regrouped;
    struct arena *arena;
    struct fragment fragments[FRAGMENTS_MAX];
    size_t nfragments;
    int readers;
    bool stale;
    struct cached *next_stale;
    uint64_t used;
};

struct assess_results_cache {
    pthread_mutex_t lock;
    struct cached *slots[CACHE_SLOTS];
    struct cached *stale_list;
    uint64_t clock;
};

static void entry_free(struct cached *e)
{
    for (size_t i = 0; i < e->nfragments; i++) {
        free(e->fragments[i].key);
        free(e->fragments[i].text);
    }
    arena_free(e->arena);
    free(e);
}

/* Unlinks the stale entries that nobody reads any more. Called with the lock held. */
static void stale_sweep(struct assess_results_cache *rc)
{
    struct cached **pp = &rc->stale_list;
    while (*pp) {
        struct cached *e = *pp;
        if (e->readers == 0) {
            *pp = e->next_stale;
            entry_free(e);
        } else {
            pp = &e->next_stale;
        }
    }
}

static void retire(struct cached *e)
{
    e->stale = true;
    e->next_stale = e->cache->stale_list;
    e->cache->stale_list = e;
}

static void release(void *p)
{
    struct cached *e = p;
    struct assess_results_cache *rc = e->cache;
    pthread_mutex_lock(&rc->lock);
    e->readers--;
    stale_sweep(rc);
    pthread_mutex_unlock(&rc->lock);
}

/* The entry for a round in this state, with a reader taken; NULL when not cached. */
static struct cached *cache_take(struct assess_results_cache *rc, int64_t round_id,
                                 int64_t instrument_id, int64_t submitted, int64_t regrouped)
{
    struct cached *hit = NULL;
    pthread_mutex_lock(&rc->lock);
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (rc->slots[i] && rc->slots[i]->round_id == round_id &&
            rc->slots[i]->instrument_id == instrument_id && rc->slots[i]->submitted == submitted &&
            rc->slots[i]->regrouped == regrouped) {
            hit = rc->slots[i];
            hit->readers++;
            hit->used = ++rc->clock;
            break;
        }
    pthread_mutex_unlock(&rc->lock);
    return hit;
}

/* Puts a new entry (with a reader taken) in place of the round's older one or of the least
 * recently used. Two requests may compute the same state at once; the later one wins. */
static void cache_put(struct assess_results_cache *rc, struct cached *e)
{
    int victim = -1;
    pthread_mutex_lock(&rc->lock);
    e->readers = 1;
    e->used = ++rc->clock;
    for (int i = 0; i < CACHE_SLOTS && victim < 0; i++)
        if (rc->slots[i] && rc->slots[i]->round_id == e->round_id)
            victim = i;
    for (int i = 0; i < CACHE_SLOTS && victim < 0; i++)
        if (!rc->slots[i])
            victim = i;
    if (victim < 0) {
        victim = 0;
        for (int i = 1; i < CACHE_SLOTS; i++)
            if (rc->slots[i]->used < rc->slots[victim]->used)
                victim = i;
    }
    if (rc->slots[victim])
        retire(rc->slots[victim]);
    rc->slots[victim] = e;
    stale_sweep(rc);
    pthread_mutex_unlock(&rc->lock);
}

int assess_results_cache_new(struct assess_results_cache **out)
{
    struct assess_results_cache *rc = calloc(1, sizeof *rc);
    *out = NULL;
    if (!rc)
        return APP_E_NOMEM;
    if (pthread_mutex_init(&rc->lock, NULL)) {
        free(rc);
        return APP_E_NOMEM;
    }
    *out = rc;
    return APP_OK;
}

void assess_results_cache_free(struct assess_results_cache *rc)
{
    if (!rc)
        return;
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (rc->slots[i])
            entry_free(rc->slots[i]);
    while (rc->stale_list) {
        struct cached *e = rc->stale_list;
        rc->stale_list = e->next_stale;
        entry_free(e);
    }
    pthread_mutex_destroy(&rc->lock);
    free(rc);
}

int assess_results_shared(struct db *db, struct assess_results_cache *cache, struct arena *request,
                          int64_t round_id, const struct assess_instrument *ins,
                          const struct assess_results **out)
{
    struct db_stmt *st = NULL;
    struct cached *e;
    int64_t submitted, regrouped;
    int rc = db_row(db, SQL_AS_SUBMITTED_COUNT, &st, "i", round_id);
    if (rc)
        return rc;
    submitted = db_col_int(st, 0);
    regrouped = db_col_int(st, 1);
    db_finalize(st);
    e = cache_take(cache, round_id, ins->id, submitted, regrouped);
    if (!e) {
        if (!(e = calloc(1, sizeof *e)) || !(e->arena = arena_new())) {
            free(e);
            return APP_E_NOMEM;
        }
        e->cache = cache;
        e->round_id = round_id;
        e->instrument_id = ins->id;
        e->submitted = submitted;
        e->regrouped = regrouped;
        /* A response submitted between the count and the read is simply in the next state:
         * the entry is then keyed one behind, and recomputed on the next view. */
        rc = assess_results_load(db, e->arena, round_id, ins, NULL, &e->res);
        if (rc) {
            entry_free(e);
            return rc;
        }
        cache_put(cache, e);
    }
    if (arena_on_free(request, release, e)) {
        release(e);
        return APP_E_NOMEM;
    }
    *out = &e->res;
    return APP_OK;
}

/* A results pointer handed out by assess_results_shared() is the first member of its entry. */
static struct cached *entry_of(const struct assess_results *res)
{
    return (struct cached *)(uintptr_t)res;
}

const char *assess_results_fragment(const struct assess_results *res, const char *key, size_t *len)
{
    struct cached *e = entry_of(res);
    const char *found = NULL;
    pthread_mutex_lock(&e->cache->lock);
    for (size_t i = 0; i < e->nfragments && !found; i++)
        if (!strcmp(e->fragments[i].key, key)) {
            found = e->fragments[i].text;
            *len = e->fragments[i].len;
        }
    pthread_mutex_unlock(&e->cache->lock);
    return found; /* fragments are never changed or freed while a reader holds the entry */
}

void assess_results_keep(const struct assess_results *res, const char *key, const char *s,
                         size_t len)
{
    struct cached *e = entry_of(res);
    char *k = strdup(key), *t = malloc(len + 1);
    pthread_mutex_lock(&e->cache->lock);
    if (k && t && e->nfragments < FRAGMENTS_MAX) {
        bool have = false;
        for (size_t i = 0; i < e->nfragments && !have; i++)
            have = !strcmp(e->fragments[i].key, key);
        if (!have) {
            memcpy(t, s, len);
            t[len] = '\0';
            e->fragments[e->nfragments++] = (struct fragment){k, t, len};
            k = t = NULL;
        }
    }
    pthread_mutex_unlock(&e->cache->lock);
    free(k);
    free(t);
}
