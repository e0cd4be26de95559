/* opinion.c: opinion groups from agree/disagree/pass votes, by Pol.is's published method
 *
 * See opinion.h for the method and where it differs from Pol.is. Implementation notes:
 *  - The votes are bucketed twice with a stable counting sort (by statement, then by
 *    participant), which gives every participant's votes in statement order with repeated
 *    pairs adjacent in input order, so "the later entry wins" is one pass. O(votes + P + S).
 *  - The P × S matrix is never formed. Mean-filled, centred entries are exactly zero, so the
 *    voters' centred votes on the analysed statements in compressed rows ARE the centred
 *    matrix (pca_csr); the zeroed moderated-out columns are all zero after centring and are
 *    left out, counted only in the projection's scaling √(C/(n+M)). Memory is
 *    O(votes + P + S·groups).
 *  - Seeds: PCA uses seed, the group restarts seed + 2 (seed + 1 was the base clusters',
 *    whose start is now deterministic), so changing one stage's use of randomness does not
 *    shift the others.
 *  - The group k-means keeps the best of 100 seeded restarts per k (on ≤ base_k weighted
 *    points, so cheap: under 0.03 s for 1,500 participants); the base k-means is one Lloyd
 *    run from its deterministic start.
 * Single-threaded.
 */
#include "text/opinion.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "text/kmeans.h"
#include "text/opinion_carry.h"
#include "text/pca.h"

#define DEF_MIN_VOTES        7
#define DEF_MIN_PARTICIPANTS 15
#define DEF_BASE_K           100
#define DEF_K_MIN            2
#define DEF_K_MAX            5
#define DEF_N_REPR           5
#define DEF_N_CONSENSUS      5
#define DEF_MIN_MAJORITY     5
#define BASE_MAX_ITER        100
#define GROUP_N_INIT         100
#define GROUP_MAX_ITER       100


static size_t or_default(size_t v, size_t def)
{
    return v ? v : def;
}

void opinion_result_free(struct opinion_result *r)
{
    if (!r)
        return;
    free(r->kept);
    free(r->x);
    free(r->y);
    free(r->group);
    free(r->group_of);
    free(r->pc);
    free(r->mean);
    free(r->consensus);
    free(r->majority);
    memset(r, 0, sizeof *r);
}

/* ---- ranking helpers: every comparison ends on the statement index, a total order ---- */

static int cmp_repr(const void *a, const void *b)
{
    const struct opinion_repr *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->statement > y->statement) - (x->statement < y->statement);
}

static int cmp_consensus(const void *a, const void *b)
{
    const struct opinion_consensus *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->statement > y->statement) - (x->statement < y->statement);
}

static int cmp_majority(const void *a, const void *b)
{
    const struct opinion_majority *x = a, *y = b;
    if (x->direction != y->direction)
        return x->direction > y->direction ? -1 : 1; /* agree first */
    if (x->share != y->share)
        return x->share > y->share ? -1 : 1;
    return (x->statement > y->statement) - (x->statement < y->statement);
}

/* For the top-up: most votes first, then lower participant index. */
struct cand {
    uint32_t p;
    size_t n;
};
static int cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return (x->p > y->p) - (x->p < y->p);
}

/* ---- Pol.is's statistics (polismath/math/stats.clj) ---- */

/* One-proportion test of succ/n against ½, with Pol.is's +1 on both counts. */
static double prop_test(double succ, double n)
{
    succ += 1;
    n += 1;
    return 2 * sqrt(n) * (succ / n - 0.5);
}

/* Two-proportion test, pooled variance, +1 on all four counts; 0 when the pooled rate is 1. */
static double two_prop_test(double s1, double s2, double n1, double n2)
{
    double p1, p2, ph;
    s1 += 1;
    s2 += 1;
    n1 += 1;
    n2 += 1;
    p1 = s1 / n1;
    p2 = s2 / n2;
    ph = (s1 + s2) / (n1 + n2);
    if (ph >= 1)
        return 0;
    return (p1 - p2) / sqrt(ph * (1 - ph) * (1 / n1 + 1 / n2));
}

/* ---- the fit ---- */

struct counts {
    uint32_t a, d, n; /* agrees, disagrees, votes seen (passes included) */
};

static int check_input(const struct opinion_input *in)
{
    if (!in)
        return APP_E_INVALID;
    if (in->n_votes && !in->votes)
        return APP_E_INVALID;
    if (in->n_participants > UINT32_MAX || in->n_statements > UINT32_MAX)
        return APP_E_INVALID;
    for (size_t i = 0; i < in->n_votes; i++) {
        const struct opinion_vote *v = &in->votes[i];
        if (v->participant >= in->n_participants || v->statement >= in->n_statements ||
            v->vote < -1 || v->vote > 1)
            return APP_E_INVALID;
    }
    if (in->k_max > OPINION_MAX_GROUPS || in->n_repr > OPINION_MAX_REPR)
        return APP_E_INVALID;
    if (in->k_min == 1 || or_default(in->k_min, DEF_K_MIN) > or_default(in->k_max, DEF_K_MAX))
        return APP_E_INVALID;
    if (in->pca_tol < 0 || isnan(in->pca_tol))
        return APP_E_INVALID;
    if (in->carry && in->carry->prev_group) {
        if (in->carry->state.k > OPINION_MAX_GROUPS ||
            in->carry->state.cand_k > OPINION_MAX_GROUPS)
            return APP_E_INVALID;
        for (size_t p = 0; p < in->n_participants; p++)
            if (in->carry->prev_group[p] < -1 ||
                in->carry->prev_group[p] >= OPINION_MAX_GROUPS)
                return APP_E_INVALID;
    }
    return 0;
}

/* Representative statements of group g (see opinion.h step 6) into grp->repr; unlisted
 * statements, and those min_seen or fewer of the group voted on, are skipped. cand is scratch
 * for 2·S' entries. */
static void pick_repr(const struct counts *cg, const struct counts *tot, size_t S1,
                      const uint32_t *used, const bool *unlisted, size_t n_repr, size_t min_seen,
                      struct opinion_repr *cand, struct opinion_group *grp)
{
    size_t na = 0, nd = 0;
    struct opinion_repr *agree = cand, *dis = cand + S1;

    for (size_t s = 0; s < S1; s++) {
        if (unlisted && unlisted[used[s]])
            continue;
        if (cg[s].n <= min_seen)
            continue;
        double A = cg[s].a, D = cg[s].d, N = cg[s].n;
        double rA = tot[s].a - A, rD = tot[s].d - D, rN = tot[s].n - N;
        for (int dir = 1; dir >= -1; dir -= 2) {
            double k = dir > 0 ? A : D, rk = dir > 0 ? rA : rD;
            struct opinion_repr r;
            memset(&r, 0, sizeof r);
            r.statement = used[s];
            r.direction = (int8_t)dir;
            r.n_agree = cg[s].a;
            r.n_disagree = cg[s].d;
            r.n_seen = cg[s].n;
            r.r_agree = (uint32_t)rA;
            r.r_disagree = (uint32_t)rD;
            r.r_seen = (uint32_t)rN;
            r.p = (k + 1) / (N + 2);
            r.p_rest = (rk + 1) / (rN + 2);
            r.ratio = r.p / r.p_rest;
            r.z_prop = prop_test(k, N);
            r.z_diff = two_prop_test(k, rk, N, rN);
            r.score = r.ratio * r.z_diff * r.p * r.z_prop;
            if (r.z_prop > OPINION_Z90 && r.z_diff > OPINION_Z90) {
                if (dir > 0)
                    agree[na++] = r;
                else
                    dis[nd++] = r;
            }
        }
    }
    qsort(agree, na, sizeof *agree, cmp_repr);
    qsort(dis, nd, sizeof *dis, cmp_repr);
    grp->n_repr = 0;
    for (size_t i = 0; i < na && grp->n_repr < n_repr; i++)
        grp->repr[grp->n_repr++] = agree[i];
    for (size_t i = 0; i < nd && grp->n_repr < n_repr; i++)
        grp->repr[grp->n_repr++] = dis[i];
}

int opinion_fit(const struct opinion_input *in, struct opinion_result *out)
{
    size_t P, S, S1 = 0, nv, nnz = 0, n_kept = 0, thr;
    size_t min_votes, min_part, base_k, k_min, k_max, n_repr, n_cons, min_maj;
    int32_t *colmap = NULL;
    uint32_t *used = NULL, *kcol = NULL, *basn = NULL, *gass = NULL, *tass = NULL, *col = NULL;
    uint32_t *rows = NULL;
    const struct opinion_carry *carry = in ? in->carry : NULL;
    size_t *nall = NULL, n_cols = 0, n_mod_cols = 0, n_rows = 0;
    bool *voted = NULL;
    size_t *bucket = NULL, *ord1 = NULL, *ord2 = NULL, *rowptr = NULL, *krow = NULL;
    int8_t *val = NULL;
    double *kval = NULL, *sum = NULL, *pcs = NULL, *pts = NULL, *bcen = NULL, *bw = NULL;
    size_t *cnt = NULL;
    bool *kept = NULL;
    struct cand *cands = NULL;
    struct counts *cs = NULL, *tot = NULL;
    struct opinion_repr *rscratch = NULL;
    struct pca_info pinfo;
    int rc;

    if (out)
        memset(out, 0, sizeof *out);
    rc = check_input(in);
    if (rc || !out) {
        rc = APP_E_INVALID;
        goto done;
    }
    P = in->n_participants;
    S = in->n_statements;
    nv = in->n_votes;
    min_votes = or_default(in->min_votes, DEF_MIN_VOTES);
    min_part = or_default(in->min_participants, DEF_MIN_PARTICIPANTS);
    base_k = or_default(in->base_k, DEF_BASE_K);
    k_min = or_default(in->k_min, DEF_K_MIN);
    k_max = or_default(in->k_max, DEF_K_MAX);
    n_repr = or_default(in->n_repr, DEF_N_REPR);
    n_cons = or_default(in->n_consensus, DEF_N_CONSENSUS);
    min_maj = or_default(in->min_majority_voters, DEF_MIN_MAJORITY);
    for (size_t k = 0; k <= OPINION_MAX_GROUPS; k++)
        out->silhouette[k] = NAN;

    rc = APP_E_NOMEM;
    out->group_of = malloc((P ? P : 1) * sizeof *out->group_of);
    out->pc = calloc(2 * (S ? S : 1), sizeof *out->pc);
    out->mean = calloc(S ? S : 1, sizeof *out->mean);
    colmap = malloc((S ? S : 1) * sizeof *colmap);
    used = malloc((S ? S : 1) * sizeof *used);
    if (!out->group_of || !out->pc || !out->mean || !colmap || !used)
        goto done;
    for (size_t p = 0; p < P; p++)
        out->group_of[p] = -1;

    /* 1. statements left after moderation */
    for (size_t s = 0; s < S; s++) {
        if (in->moderated_out && in->moderated_out[s]) {
            colmap[s] = -1;
        } else {
            colmap[s] = (int32_t)S1;
            used[S1++] = (uint32_t)s;
        }
    }
    out->n_statements_used = S1;

    /* Every participant's votes, in statement order, later duplicates winning: counting sort
     * by statement, then (stably) by participant. All statements count for who is in and for
     * the projection's scaling (Pol.is's raw matrix); only those not moderated out enter the
     * compressed rows the PCA reads. */
    bucket = calloc((P > S ? P : S) + 1, sizeof *bucket);
    ord1 = malloc((nv ? nv : 1) * sizeof *ord1);
    ord2 = malloc((nv ? nv : 1) * sizeof *ord2);
    rowptr = calloc(P + 1, sizeof *rowptr);
    nall = calloc(P ? P : 1, sizeof *nall);
    voted = calloc(S ? S : 1, sizeof *voted);
    col = malloc((nv ? nv : 1) * sizeof *col);
    val = malloc((nv ? nv : 1) * sizeof *val);
    if (!bucket || !ord1 || !ord2 || !rowptr || !nall || !voted || !col || !val)
        goto done;
    {
        size_t acc = 0;
        for (size_t i = 0; i < nv; i++)
            bucket[in->votes[i].statement + 1]++;
        for (size_t s = 0; s < S; s++)
            bucket[s + 1] += bucket[s];
        for (size_t i = 0; i < nv; i++)
            ord1[bucket[in->votes[i].statement]++] = i;
        memset(bucket, 0, ((P > S ? P : S) + 1) * sizeof *bucket);
        for (size_t j = 0; j < nv; j++)
            bucket[in->votes[ord1[j]].participant + 1]++;
        for (size_t p = 0; p < P; p++)
            bucket[p + 1] += bucket[p];
        for (size_t j = 0; j < nv; j++)
            ord2[bucket[in->votes[ord1[j]].participant]++] = ord1[j];
        /* dedupe: within a participant's run, equal statements are adjacent, input order */
        for (size_t j = 0; j < nv; j++) {
            const struct opinion_vote *v = &in->votes[ord2[j]];
            if (j + 1 < nv && in->votes[ord2[j + 1]].participant == v->participant &&
                in->votes[ord2[j + 1]].statement == v->statement)
                continue; /* a later vote on the same pair follows */
            nall[v->participant]++;
            voted[v->statement] = true;
            if (colmap[v->statement] < 0)
                continue;
            col[nnz] = (uint32_t)colmap[v->statement];
            val[nnz] = v->vote;
            nnz++;
            rowptr[v->participant + 1]++;
        }
        for (size_t p = 0; p < P; p++) {
            acc += rowptr[p + 1];
            rowptr[p + 1] = acc;
        }
        for (size_t s = 0; s < S; s++) {
            n_cols += voted[s];
            n_mod_cols += voted[s] && colmap[s] < 0;
        }
    }
    free(ord1);
    free(ord2);
    ord1 = ord2 = NULL;

    /* who is in: min(min_votes, columns) votes, topped up to min_participants by most votes */
    kept = calloc(P ? P : 1, sizeof *kept);
    if (!kept)
        goto done;
    thr = min_votes < n_cols ? min_votes : n_cols;
    for (size_t p = 0; p < P; p++) {
        if (nall[p] > 0 && nall[p] >= thr) {
            kept[p] = true;
            n_kept++;
        }
    }
    if (n_kept < min_part) {
        size_t nc = 0;
        cands = malloc((P ? P : 1) * sizeof *cands);
        if (!cands)
            goto done;
        for (size_t p = 0; p < P; p++)
            if (!kept[p] && nall[p] > 0)
                cands[nc++] = (struct cand){(uint32_t)p, nall[p]};
        qsort(cands, nc, sizeof *cands, cmp_cand);
        for (size_t i = 0; i < nc && n_kept < min_part; i++) {
            kept[cands[i].p] = true;
            n_kept++;
        }
    }
    out->n_kept = n_kept;
    out->kept = malloc((n_kept ? n_kept : 1) * sizeof *out->kept);
    out->x = calloc(n_kept ? n_kept : 1, sizeof *out->x);
    out->y = calloc(n_kept ? n_kept : 1, sizeof *out->y);
    out->group = calloc(n_kept ? n_kept : 1, sizeof *out->group);
    if (!out->kept || !out->x || !out->y || !out->group)
        goto done;
    {
        size_t i = 0;
        for (size_t p = 0; p < P; p++)
            if (kept[p])
                out->kept[i++] = (uint32_t)p;
    }
    if (n_kept == 0 || S1 == 0) {
        rc = 0; /* nothing to analyse: no groups */
        goto done;
    }

    /* 2. statement means over the rows of the PCA: everyone who voted, kept or not (Pol.is's
     * rows) */
    n_rows = 0;
    rows = malloc((P ? P : 1) * sizeof *rows);
    if (!rows)
        goto done;
    for (size_t p = 0; p < P; p++) {
        if (nall[p] > 0)
            rows[n_rows++] = (uint32_t)p;
    }
    sum = calloc(S1, sizeof *sum);
    cnt = calloc(S1, sizeof *cnt);
    krow = malloc((n_rows + 1) * sizeof *krow);
    if (!sum || !cnt || !krow)
        goto done;
    krow[0] = 0;
    for (size_t i = 0; i < n_rows; i++) {
        size_t p = rows[i];
        for (size_t j = rowptr[p]; j < rowptr[p + 1]; j++) {
            sum[col[j]] += val[j];
            cnt[col[j]]++;
        }
        krow[i + 1] = krow[i] + (rowptr[p + 1] - rowptr[p]);
    }
    for (size_t s = 0; s < S1; s++) {
        sum[s] = cnt[s] ? sum[s] / (double)cnt[s] : 0;
        out->mean[used[s]] = sum[s];
    }

    /* 3. the centred matrix, compressed (missing = mean = 0 after centring), and its PCA */
    kcol = malloc((krow[n_rows] ? krow[n_rows] : 1) * sizeof *kcol);
    kval = malloc((krow[n_rows] ? krow[n_rows] : 1) * sizeof *kval);
    pcs = calloc(2 * S1, sizeof *pcs);
    if (!kcol || !kval || !pcs)
        goto done;
    for (size_t i = 0; i < n_rows; i++) {
        size_t p = rows[i], o = krow[i];
        for (size_t j = rowptr[p]; j < rowptr[p + 1]; j++, o++) {
            kcol[o] = col[j];
            kval[o] = val[j] - sum[col[j]];
        }
    }
    {
        struct pca_opts po = {.seed = in->seed, .max_iter = in->pca_max_iter, .tol = in->pca_tol};
        rc = pca_csr(n_rows, S1, krow, kcol, kval, S1 >= 2 ? 2 : 1, &po, pcs, &pinfo);
        if (rc)
            goto done;
        rc = APP_E_NOMEM;
        out->eigval[0] = pinfo.eigval[0];
        out->eigval[1] = S1 >= 2 ? pinfo.eigval[1] : 0;
        out->pca_converged = pinfo.converged;
        for (size_t s = 0; s < S1; s++) {
            out->pc[used[s]] = pcs[s];
            out->pc[S + used[s]] = pcs[S1 + s];
        }
    }

    /* 4. sparsity-aware projection of the kept participants: every column a participant
     * voted on counts, and so does every moderated-out column (Pol.is zeroes those columns,
     * which reads as a vote of 0 from everyone) */
    pts = malloc(2 * n_kept * sizeof *pts);
    if (!pts)
        goto done;
    for (size_t i = 0; i < n_kept; i++) {
        size_t p = out->kept[i];
        double a = 0, b = 0, n = (double)(rowptr[p + 1] - rowptr[p] + n_mod_cols), scale;
        for (size_t j = rowptr[p]; j < rowptr[p + 1]; j++) {
            double x = val[j] - sum[col[j]];
            a += x * pcs[col[j]];
            b += x * pcs[S1 + col[j]];
        }
        scale = sqrt((double)n_cols / (n > 0 ? n : 1));
        out->x[i] = pts[2 * i] = a * scale;
        out->y[i] = pts[2 * i + 1] = b * scale;
    }

    /* 5. base clusters, then groups of base clusters chosen by silhouette */
    {
        size_t kb = base_k < n_kept ? base_k : n_kept, nb = 0, ng, kmx, m = 0;
        size_t pk = carry && carry->prev_group ? carry->state.k : 0;
        uint32_t number[OPINION_MAX_GROUPS];

        bcen = malloc(2 * kb * sizeof *bcen);
        basn = malloc(n_kept * sizeof *basn);
        bw = calloc(kb, sizeof *bw);
        if (!bcen || !basn || !bw)
            goto done;
        /* Pol.is's start: the first kb distinct positions, in participant order */
        for (size_t i = 0; i < n_kept && m < kb; i++) {
            bool dup = false;
            for (size_t j = 0; j < m && !dup; j++)
                dup = bcen[2 * j] == pts[2 * i] && bcen[2 * j + 1] == pts[2 * i + 1];
            if (!dup) {
                bcen[2 * m] = pts[2 * i];
                bcen[2 * m + 1] = pts[2 * i + 1];
                m++;
            }
        }
        rc = kmeans_lloyd(pts, NULL, n_kept, 2, m, BASE_MAX_ITER, bcen, basn, &nb, NULL);
        if (rc)
            goto done;
        rc = APP_E_NOMEM;
        out->n_base = nb;
        for (size_t i = 0; i < n_kept; i++)
            bw[basn[i]] += 1;
        kmx = k_max;
        if (2 + nb / 12 < kmx) /* Pol.is's max-k: fewer groups from few base clusters */
            kmx = 2 + nb / 12;
        if (kmx < k_min)
            kmx = k_min;
        gass = malloc((OPINION_MAX_GROUPS + 1) * nb * sizeof *gass);
        tass = malloc((n_kept > nb ? n_kept : nb) * sizeof *tass);
        if (!gass || !tass)
            goto done;
        for (size_t k = k_min; k <= kmx && k <= nb; k++) {
            uint32_t *as = gass + k * nb;
            double cen[OPINION_MAX_GROUPS * 2], sv, in_best, in_warm;
            size_t got = 0;
            struct kmeans_opts go = {.seed = in->seed + 2, .n_init = GROUP_N_INIT};
            rc = kmeans_fit(bcen, bw, nb, 2, k, &go, cen, as, &got, &in_best);
            if (rc)
                goto done;
            if (got < k)
                break; /* fewer distinct base clusters than k */
            if (k == pk) {
                /* rule 1 (opinion_carry.h): start from the previous groups' centres, and keep
                 * that unless it is clearly worse than the best found from scratch */
                double cw[OPINION_MAX_GROUPS] = {0};
                bool warm = true;
                memset(cen, 0, sizeof cen);
                for (size_t i = 0; i < n_kept; i++) {
                    int32_t h = carry->prev_group[out->kept[i]];
                    if (h >= 0 && (size_t)h < k) {
                        cen[2 * h] += pts[2 * i];
                        cen[2 * h + 1] += pts[2 * i + 1];
                        cw[h] += 1;
                    }
                }
                for (size_t h = 0; h < k; h++) {
                    warm = warm && cw[h] > 0;
                    if (cw[h] > 0) {
                        cen[2 * h] /= cw[h];
                        cen[2 * h + 1] /= cw[h];
                    }
                }
                if (warm) {
                    rc = kmeans_lloyd(bcen, bw, nb, 2, k, GROUP_MAX_ITER, cen, tass, &got,
                                      &in_warm);
                    if (rc)
                        goto done;
                    if (got == k && in_warm <= in_best * (1 + OPINION_CARRY_SLACK))
                        memcpy(as, tass, nb * sizeof *as);
                }
            }
            /* Pol.is's silhouette: over base clusters, each counted once */
            rc = kmeans_silhouette(bcen, NULL, nb, 2, as, k, &sv);
            if (rc)
                goto done;
            rc = APP_E_NOMEM;
            out->silhouette[k] = sv;
        }
        ng = opinion_carry_k(out->silhouette, k_min, kmx, pk ? &carry->state : NULL, &out->state);
        for (size_t i = 0; i < n_kept; i++)
            tass[i] = ng ? gass[ng * nb + basn[i]] : 0;
        if (!ng)
            ng = 1; /* no spread: one group */
        /* rule 2: numbers follow the previous run's, or group size */
        opinion_carry_number(tass, out->kept, n_kept, ng, pk ? carry->prev_group : NULL, number);
        out->n_groups = ng;
        for (size_t i = 0; i < n_kept; i++) {
            uint32_t g = number[tass[i]];
            out->group[i] = (uint8_t)g;
            out->group_of[out->kept[i]] = (int32_t)g;
            out->groups[g].size++;
            out->groups[g].cx += out->x[i];
            out->groups[g].cy += out->y[i];
        }
        for (size_t g = 0; g < ng; g++) {
            out->groups[g].cx /= (double)out->groups[g].size;
            out->groups[g].cy /= (double)out->groups[g].size;
        }
    }

    /* 6. per-group counts, representative statements */
    cs = calloc(out->n_groups * S1, sizeof *cs);
    tot = calloc(S1, sizeof *tot);
    rscratch = malloc(2 * S1 * sizeof *rscratch);
    if (!cs || !tot || !rscratch)
        goto done;
    for (size_t i = 0; i < n_kept; i++) {
        size_t p = out->kept[i];
        struct counts *cg = cs + (size_t)out->group[i] * S1;
        for (size_t j = rowptr[p]; j < rowptr[p + 1]; j++) {
            uint32_t s = col[j];
            cg[s].n++;
            tot[s].n++;
            if (val[j] > 0) {
                cg[s].a++;
                tot[s].a++;
            } else if (val[j] < 0) {
                cg[s].d++;
                tot[s].d++;
            }
        }
    }
    if (out->n_groups >= 2)
        for (size_t g = 0; g < out->n_groups; g++)
            pick_repr(cs + g * S1, tot, S1, used, in->unlisted, n_repr, in->repr_min_seen,
                      rscratch, &out->groups[g]);

    /* 7. consensus: every group leans to agree, among at least min_maj voters; ranked by the
     * product of agree rates */
    {
        size_t nc = 0, nm = 0;
        struct opinion_consensus *c = malloc(S1 * sizeof *c);
        struct opinion_majority *m = malloc(2 * S1 * sizeof *m);
        out->consensus = c;
        out->majority = m;
        if (!c || !m)
            goto done;
        for (size_t s = 0; s < S1; s++) {
            double prod = 1;
            bool all = true;
            /* as for majorities: a statement one or two people agreed with is no consensus */
            if (tot[s].n < min_maj || (in->unlisted && in->unlisted[used[s]]))
                continue;
            for (size_t g = 0; g < out->n_groups; g++) {
                const struct counts *x = &cs[g * S1 + s];
                double pa = (x->a + 1.0) / (x->n + 2.0);
                if (!(pa > 0.5))
                    all = false;
                prod *= pa;
            }
            if (all)
                c[nc++] = (struct opinion_consensus){used[s], prod};
        }
        qsort(c, nc, sizeof *c, cmp_consensus);
        out->n_consensus = nc < n_cons ? nc : n_cons;

        /* 8. majority: more than half of those who voted on it, at least min_maj of them */
        for (size_t s = 0; s < S1; s++) {
            if (tot[s].n < min_maj || (in->unlisted && in->unlisted[used[s]]))
                continue;
            if (2 * (size_t)tot[s].a > tot[s].n)
                m[nm++] = (struct opinion_majority){used[s], 1, tot[s].a, tot[s].n,
                                                    (double)tot[s].a / tot[s].n};
            else if (2 * (size_t)tot[s].d > tot[s].n)
                m[nm++] = (struct opinion_majority){used[s], -1, tot[s].d, tot[s].n,
                                                    (double)tot[s].d / tot[s].n};
        }
        qsort(m, nm, sizeof *m, cmp_majority);
        out->n_majority = nm;
    }
    rc = 0;
done:
    if (rc && out)
        opinion_result_free(out);
    free(colmap);
    free(used);
    free(kcol);
    free(basn);
    free(gass);
    free(tass);
    free(rows);
    free(nall);
    free(voted);
    free(col);
    free(bucket);
    free(ord1);
    free(ord2);
    free(rowptr);
    free(krow);
    free(val);
    free(kval);
    free(sum);
    free(pcs);
    free(pts);
    free(bcen);
    free(bw);
    free(cnt);
    free(kept);
    free(cands);
    free(cs);
    free(tot);
    free(rscratch);
    return rc;
}
