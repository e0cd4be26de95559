/* sets.c: the balanced split into action learning sets (see sets.h for the rules)
 *
 * Sets hold at most SETS_MAX people, so a set is a small array of member indices and every
 * count ("how many in set B share a's profession") is a scan of at most eight entries: no
 * table per profession and organisation, whose size would grow with the number of
 * organisations. The swap search is quadratic in people (for each person, every person of
 * every other set), about 8 n² steps a pass: a thousand people take milliseconds a pass.
 */
#include "connect/sets.h"
#include "core/err.h"
#include "core/rand.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Constructions, each improved by swaps, the best kept: many for a small cohort, where a
 * start costs nothing and one local optimum may be poor; fewer for a large one, where one
 * start already mixes well and each costs seconds. */
#define STARTS_WORK 4000000 /* starts × people²: a thousand people get four, 2,000 one */
#define STARTS_MIN  1
#define STARTS_MAX  16
#define RESTARTS    24  /* constructions tried before the keep-apart pairs are declared unkept */
#define PASSES_MAX  200 /* swap passes; each improves, so this is a guard, rarely reached */

int sets_count(size_t n, int target, size_t *k)
{
    size_t lo, hi, best;
    if (target < SETS_MIN || target > SETS_MAX || n < SETS_MIN)
        return APP_E_INVALID;
    lo = (n + SETS_MAX - 1) / SETS_MAX;
    hi = n / SETS_MIN;
    if (lo > hi)
        return APP_E_INVALID;
    /* the k nearest n / target: n/k closest to target means k closest to n/target; compare
     * |n - k·t| (ties: the larger k, smaller sets) */
    best = (n + (size_t)target / 2) / (size_t)target;
    if (best < lo)
        best = lo;
    if (best > hi)
        best = hi;
    if (best + 1 <= hi) {
        size_t d0 =
            n > best * (size_t)target ? n - best * (size_t)target : best * (size_t)target - n;
        size_t k1 = best + 1;
        size_t d1 = n > k1 * (size_t)target ? n - k1 * (size_t)target : k1 * (size_t)target - n;
        if (d1 <= d0)
            best = k1;
    }
    *k = best;
    return APP_OK;
}

size_t sets_size(size_t n, size_t k, size_t s)
{
    return n / k + (s < n % k ? 1 : 0);
}

/* Whether x and y clash on an attribute: both known and equal. */
static int same(int32_t x, int32_t y)
{
    return x != SETS_UNKNOWN && x == y;
}

static int match(const struct sets_person *x, const struct sets_person *y)
{
    return same(x->profession, y->profession) + same(x->organisation, y->organisation);
}

/* The working state of one split. */
struct work {
    size_t n, k;
    const struct sets_person *people;
    uint32_t *set_of;
    uint32_t (*members)[SETS_MAX]; /* k sets */
    uint8_t *size, *cap;           /* k each */
    /* keep-apart partners, compressed rows: partners of i are adj[off[i]…off[i+1]) */
    size_t *off;
    uint32_t *adj;
};

/* Clashes person x would have with the members of set s (x itself not counted). */
static int cost_in(const struct work *w, uint32_t x, size_t s)
{
    int c = 0;
    for (size_t i = 0; i < w->size[s]; i++)
        if (w->members[s][i] != x)
            c += match(&w->people[x], &w->people[w->members[s][i]]);
    return c;
}

static void put(struct work *w, uint32_t x, size_t s)
{
    w->members[s][w->size[s]++] = x;
    w->set_of[x] = (uint32_t)s;
}

static void take(struct work *w, uint32_t x)
{
    size_t s = w->set_of[x];
    for (size_t i = 0; i < w->size[s]; i++)
        if (w->members[s][i] == x) {
            w->members[s][i] = w->members[s][--w->size[s]];
            break;
        }
    w->set_of[x] = UINT32_MAX;
}

/* A keep-apart pair sharing a set outweighs any number of clashes a swap can change (at
 * most 2 × 2 × (SETS_MAX − 1) per person moved), so the search removes those first. */
#define BROKEN 1000

/* x's keep-apart partners in set s, other than except (UINT32_MAX: none). */
static int partners_in(const struct work *w, uint32_t x, size_t s, uint32_t except)
{
    int c = 0;
    for (size_t i = w->off[x]; i < w->off[x + 1]; i++)
        c += w->adj[i] != except && w->set_of[w->adj[i]] == s;
    return c;
}

/* What x costs in set s: broken pairs first, then clashes. */
static int weight_in(const struct work *w, uint32_t x, size_t s, uint32_t except)
{
    return BROKEN * partners_in(w, x, s, except) + cost_in(w, x, s);
}

/* The best set for x now among those with room: the lowest weight, then the emptiest, then
 * the lowest. There is always one: the capacities add up to n. */
static size_t best_set(const struct work *w, uint32_t x)
{
    size_t best = SIZE_MAX;
    int best_cost = 0;
    for (size_t s = 0; s < w->k; s++) {
        int c;
        if (w->size[s] >= w->cap[s])
            continue;
        c = weight_in(w, x, s, UINT32_MAX);
        if (best == SIZE_MAX || c < best_cost || (c == best_cost && w->size[s] < w->size[best])) {
            best = s;
            best_cost = c;
        }
    }
    return best;
}

/* x has a partner in every set with room: move one member q of a set T that holds no
 * partner of x to a set U with room that holds none of q's, and put x in T. false when no
 * such move exists (x then goes where it weighs least, and the swaps try to mend it). */
static bool eject(struct work *w, uint32_t x)
{
    for (size_t t = 0; t < w->k; t++) {
        if (partners_in(w, x, t, UINT32_MAX))
            continue;
        for (size_t i = 0; i < w->size[t]; i++) {
            uint32_t q = w->members[t][i];
            for (size_t u = 0; u < w->k; u++) {
                if (u == t || w->size[u] >= w->cap[u] || partners_in(w, q, u, UINT32_MAX))
                    continue;
                take(w, q);
                put(w, q, u);
                put(w, x, t);
                return true;
            }
        }
    }
    return false;
}

struct keyed {
    uint32_t who;
    uint32_t degree;
    uint64_t key;
};

static int by_degree_then_key(const void *pa, const void *pb)
{
    const struct keyed *a = pa, *b = pb;
    if (a->degree != b->degree)
        return a->degree > b->degree ? -1 : 1;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->who < b->who ? -1 : a->who > b->who;
}

/* One greedy construction with the shuffle of seed. */
static void construct(struct work *w, uint64_t seed, struct keyed *order)
{
    struct rng r;
    rng_seed(&r, seed);
    for (size_t s = 0; s < w->k; s++)
        w->size[s] = 0;
    for (size_t i = 0; i < w->n; i++) {
        w->set_of[i] = UINT32_MAX;
        order[i].who = (uint32_t)i;
        order[i].degree = (uint32_t)(w->off[i + 1] - w->off[i]);
        order[i].key = rng_next(&r);
    }
    qsort(order, w->n, sizeof *order, by_degree_then_key);
    for (size_t i = 0; i < w->n; i++) {
        uint32_t x = order[i].who;
        size_t s = best_set(w, x);
        if (partners_in(w, x, s, UINT32_MAX) && eject(w, x))
            continue;
        put(w, x, s);
    }
}

/* Swaps that lower the weight (broken pairs, then clashes), the best swap for each person
 * in a shuffled order, until a pass finds none. order is n scratch entries. */
static void improve(struct work *w, uint64_t seed, uint32_t *order, int *own)
{
    struct rng r;
    rng_seed(&r, seed ^ 0x5bd1e995u);
    for (size_t i = 0; i < w->n; i++)
        order[i] = (uint32_t)i;
    for (size_t i = w->n; i > 1; i--) {
        size_t j = (size_t)rng_below(&r, i);
        uint32_t t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    for (size_t x = 0; x < w->n; x++)
        own[x] = weight_in(w, (uint32_t)x, w->set_of[x], UINT32_MAX);
    for (int pass = 0; pass < PASSES_MAX; pass++) {
        bool changed = false;
        for (size_t oi = 0; oi < w->n; oi++) {
            uint32_t a = order[oi], best_b = UINT32_MAX;
            size_t A = w->set_of[a];
            int own_a = own[a], best_delta = 0;
            /* A swap's gain is the same seen from either person, and one who weighs nothing
             * where they are can gain nothing themself: any swap that helps is found from
             * the side of someone who weighs something. Near a perfect mix this skips most
             * people. */
            if (!own_a)
                continue;
            bool apart_a = w->off[a + 1] > w->off[a];
            for (size_t B = 0; B < w->k; B++) {
                int cost_a, most = 0;
                if (B == A)
                    continue;
                cost_a = cost_in(w, a, B);
                /* no swap into B can beat best_delta when even the heaviest member of B,
                 * leaving and clashing with nobody in A, would not: delta ≥ cost_a − 2 −
                 * own_a − own[b] (b's clashes in A without a are ≥ 0, as are broken pairs) */
                for (size_t j = 0; j < w->size[B]; j++)
                    if (own[w->members[B][j]] > most)
                        most = own[w->members[B][j]];
                if (cost_a - 2 - own_a - most >= best_delta)
                    continue;
                for (size_t j = 0; j < w->size[B]; j++) {
                    uint32_t b = w->members[B][j];
                    int m = match(&w->people[a], &w->people[b]);
                    /* own[] holds broken pairs too: what a and b weigh where they are */
                    int delta = cost_a + cost_in(w, b, A) - 2 * m - own_a - own[b];
                    if (apart_a)
                        delta += BROKEN * partners_in(w, a, B, b);
                    if (w->off[b + 1] > w->off[b])
                        delta += BROKEN * partners_in(w, b, A, a);
                    if (delta < best_delta) {
                        best_delta = delta;
                        best_b = b;
                    }
                }
            }
            if (best_b != UINT32_MAX) {
                size_t B = w->set_of[best_b];
                take(w, a);
                take(w, best_b);
                put(w, a, B);
                put(w, best_b, A);
                for (size_t j = 0; j < w->size[A]; j++)
                    own[w->members[A][j]] = weight_in(w, w->members[A][j], A, UINT32_MAX);
                for (size_t j = 0; j < w->size[B]; j++)
                    own[w->members[B][j]] = weight_in(w, w->members[B][j], B, UINT32_MAX);
                /* partners elsewhere of the two who moved weigh differently now */
                for (size_t i = w->off[a]; i < w->off[a + 1]; i++)
                    own[w->adj[i]] = weight_in(w, w->adj[i], w->set_of[w->adj[i]], UINT32_MAX);
                for (size_t i = w->off[best_b]; i < w->off[best_b + 1]; i++)
                    own[w->adj[i]] = weight_in(w, w->adj[i], w->set_of[w->adj[i]], UINT32_MAX);
                changed = true;
            }
        }
        if (!changed)
            break;
    }
}

/* The broken pairs and clashes of the current split. */
static void totals(const struct work *w, int64_t *broken, int64_t *clashes)
{
    *broken = 0;
    *clashes = 0;
    for (size_t x = 0; x < w->n; x++) {
        *broken += partners_in(w, (uint32_t)x, w->set_of[x], (uint32_t)x);
        *clashes += cost_in(w, (uint32_t)x, w->set_of[x]);
    }
}

/* Builds the compressed partner rows of p. */
static int build_adjacency(const struct sets_problem *p, struct work *w)
{
    size_t *deg;
    if (!(w->off = calloc(p->n + 1, sizeof *w->off)) ||
        !(w->adj = malloc((2 * p->napart + 1) * sizeof *w->adj)))
        return APP_E_NOMEM;
    for (size_t i = 0; i < p->napart; i++) {
        if (p->apart[i].a >= p->n || p->apart[i].b >= p->n)
            return APP_E_INVALID;
        if (p->apart[i].a == p->apart[i].b)
            continue;
        w->off[p->apart[i].a + 1]++;
        w->off[p->apart[i].b + 1]++;
    }
    for (size_t i = 0; i < p->n; i++)
        w->off[i + 1] += w->off[i];
    if (!(deg = calloc(p->n, sizeof *deg)))
        return APP_E_NOMEM;
    for (size_t i = 0; i < p->napart; i++) {
        uint32_t a = p->apart[i].a, b = p->apart[i].b;
        if (a == b)
            continue;
        w->adj[w->off[a] + deg[a]++] = b;
        w->adj[w->off[b] + deg[b]++] = a;
    }
    free(deg);
    return APP_OK;
}

int sets_split(const struct sets_problem *p, uint32_t *set_of, size_t *k)
{
    struct work w = {0};
    struct keyed *order = NULL;
    uint32_t *best = NULL, *scratch = NULL;
    int *own = NULL;
    int64_t best_broken = -1, best_clashes = 0;
    int rc = sets_count(p->n, p->target, k), starts = 0, want;
    if (rc)
        return rc;
    if (p->n > SETS_PEOPLE_MAX)
        return APP_E_INVALID;
    w.n = p->n;
    w.k = *k;
    w.people = p->people;
    w.set_of = set_of;
    if (!(w.members = malloc(w.k * sizeof *w.members)) || !(w.size = calloc(w.k, 1)) ||
        !(w.cap = malloc(w.k)) || !(order = malloc(w.n * sizeof *order)) ||
        !(best = malloc(w.n * sizeof *best)) || !(scratch = malloc(w.n * sizeof *scratch)) ||
        !(own = malloc(w.n * sizeof *own))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    for (size_t s = 0; s < w.k; s++)
        w.cap[s] = (uint8_t)sets_size(w.n, w.k, s);
    if ((rc = build_adjacency(p, &w)))
        goto done;
    want = (int)(STARTS_WORK / ((double)w.n * (double)w.n));
    want = want < STARTS_MIN ? STARTS_MIN : want > STARTS_MAX ? STARTS_MAX : want;
    /* `want` constructions each improved by swaps, the best kept; up to RESTARTS more while
     * pairs are still broken */
    for (int attempt = 0; attempt < want + RESTARTS; attempt++) {
        uint64_t seed = p->seed + (uint64_t)attempt * 0x9e3779b97f4a7c15ull;
        int64_t broken, clashes;
        construct(&w, seed, order);
        improve(&w, seed, scratch, own);
        totals(&w, &broken, &clashes);
        if (best_broken < 0 || broken < best_broken ||
            (broken == best_broken && clashes < best_clashes)) {
            best_broken = broken;
            best_clashes = clashes;
            memcpy(best, set_of, w.n * sizeof *best);
        }
        if ((++starts >= want || best_clashes == 0) && best_broken == 0)
            break; /* enough starts, or nothing left to improve */
    }
    memcpy(set_of, best, w.n * sizeof *best);
    if (best_broken > 0)
        rc = APP_E_CONFLICT;
done:
    free(w.members);
    free(w.size);
    free(w.cap);
    free(w.off);
    free(w.adj);
    free(order);
    free(best);
    free(scratch);
    free(own);
    return rc;
}

int sets_random_split(size_t n, int target, uint64_t seed, uint32_t *set_of, size_t *k)
{
    uint32_t *order;
    struct rng r;
    size_t at = 0;
    int rc = sets_count(n, target, k);
    if (rc)
        return rc;
    if (!(order = malloc(n * sizeof *order)))
        return APP_E_NOMEM;
    rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++)
        order[i] = (uint32_t)i;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)rng_below(&r, i);
        uint32_t t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    for (size_t s = 0; s < *k; s++)
        for (size_t m = sets_size(n, *k, s); m > 0; m--)
            set_of[order[at++]] = (uint32_t)s;
    free(order);
    return APP_OK;
}

void sets_score(size_t n, const struct sets_person *people, const uint32_t *set_of, size_t k,
                struct sets_score *out)
{
    /* people sorted by set, by counting: then pairs are within runs */
    size_t *start = calloc(k + 1, sizeof *start), *fill = NULL;
    uint32_t *by = NULL;
    memset(out, 0, sizeof *out);
    out->permille = 1000;
    if (!start || !(fill = calloc(k, sizeof *fill)) || !(by = malloc(n * sizeof *by)))
        goto done;
    for (size_t i = 0; i < n; i++)
        if (set_of[i] < k)
            start[set_of[i] + 1]++;
    for (size_t s = 0; s < k; s++)
        start[s + 1] += start[s];
    for (size_t i = 0; i < n; i++)
        if (set_of[i] < k)
            by[start[set_of[i]] + fill[set_of[i]]++] = (uint32_t)i;
    for (size_t s = 0; s < k; s++)
        for (size_t i = start[s]; i < start[s + 1]; i++)
            for (size_t j = i + 1; j < start[s + 1]; j++) {
                out->pairs++;
                out->clashes += match(&people[by[i]], &people[by[j]]);
            }
    if (out->pairs)
        out->permille = (int)(1000 - (out->clashes * 1000 + out->pairs) / (2 * out->pairs));
done:
    free(start);
    free(fill);
    free(by);
}

int sets_move_check(size_t n, const uint32_t *set_of, size_t k, const struct sets_pair *apart,
                    size_t napart, uint32_t person, uint32_t to)
{
    size_t from_size = 0, to_size = 0;
    uint32_t from;
    if (person >= n || to >= k || set_of[person] == to)
        return APP_E_INVALID;
    from = set_of[person];
    for (size_t i = 0; i < n; i++) {
        from_size += set_of[i] == from;
        to_size += set_of[i] == to;
    }
    if (from_size <= SETS_MIN || to_size >= SETS_MAX)
        return APP_E_INVALID;
    for (size_t i = 0; i < napart; i++) {
        uint32_t a = apart[i].a, b = apart[i].b;
        if (a >= n || b >= n || a == b)
            continue;
        if ((a == person && set_of[b] == to) || (b == person && set_of[a] == to))
            return APP_E_CONFLICT;
    }
    return APP_OK;
}
