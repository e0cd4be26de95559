/* themes.c: themes in a set of free-text answers (tokenise -> TF-IDF -> NMF -> k-means -> labels)
 *
 * Pipeline: vocab_build (stems and bigrams, min_df/max_df cut-offs) -> tfidf_weight
 * (sublinear, smooth idf, l2 rows) -> nmf_fit (NNDSVDa + HALS) -> refine (spherical k-means
 * from NMF's themes) -> per theme: top terms by their weight in its centroid, a label,
 * members, representative documents.
 *
 * Refinement. NMF spreads each text over the themes; what a reader takes from it is each
 * text's strongest theme, and NMF does not optimise that. So its themes are the start of
 * spherical k-means (I. Dhillon, D. Modha, "Concept decompositions for large sparse text data
 * using clustering", Machine Learning 42, 2001): each text goes to its strongest NMF theme;
 * then, in rounds, each theme's centroid is the unit-length sum of its texts' tf-idf rows, and
 * each text moves to the centroid it is most similar to (cosine; ties to the lower theme), until
 * fewer than 1 text in 1,000 moves (at most 30 rounds). A theme left empty keeps NMF's
 * direction. The weights of a text are then its cosine similarities with the centroids, so a
 * text still belongs to several themes (membership below) and its strongest theme is the one
 * k-means gave it. Measured with bench/corpora.sh (NMI of the strongest theme against the
 * label, k = the number of labels, Debian package descriptions by section and manual pages by
 * section): +0.008 to +0.05 on every corpus against NMF alone, at a few sparse products per
 * round (O(nnz k) each, the cost of half an NMF iteration).
 *
 * Measured and not adopted (bench/corpora.sh, medians over seeds 1 to 3, against this pipeline's
 * NMI on the 12 corpus files, of which it is at or above scikit-learn's on 10 since a full stop
 * inside a word ("node.js") marks no phrase boundary (tokenise.h; 8 before, with the SVD of the
 * 4,096 commonest terms, nmf.c, and 9 with the SVD of every term)): the refinement on unigrams only
 * (packages-5 and -10 up by 0.005 to 0.013, packages-20 and -30 down by 0.002 to 0.004), or on
 * tf-idf weights squared (lower on all 12) or square-rooted (within 0.005 either way), or on the
 * terms in 5 or more (or 20 or more) texts only (within 0.003 either way); any punctuation inside a
 * word, not only a full stop, marking no boundary (packages-30 falls below scikit-learn again); NMF
 * run to a tighter tolerance before the refinement (worse: 0.298 -> 0.290 on packages-20 at 100,000
 * texts); NMF stopped after one iteration (9 of 12 again, mean NMI 0.003 lower); 1 to 4 power
 * iterations in the SVD instead of 7 (8 of 12, and NMI spread more with the seed); the SVD on a
 * 20,000-text sample (15% faster, NMI 0.41 to 0.44 by seed on packages-10 where it is 0.433 now);
 * k-means++ seeds instead of NMF (2.5x faster, NMI 0.25 to 0.30 by seed on packages-20 where it is
 * 0.30); stems and surface words both as terms (lifts packages-20 or -30 above scikit-learn and
 * drops packages-5, -10 or -15 below it); unstemmed words with scikit-learn's bigrams likewise
 * (packages-5 at 100,000 falls to 0.375). Measured again after the two changes above (December
 * 2026): no stemming is at or above scikit-learn on 10 of 12, a different 10 (packages-20 and -30
 * at 100,000 rise to 0.326 and 0.293; packages-5 and man-6 at natural size fall to 0.477 and
 * 0.106, below 0.501 and 0.108); plural-only stemming (Harman's S rules) on 11, packages-30 at
 * 100,000 level with scikit-learn to four places (0.2851) and packages-5 at natural size 0.026
 * below. What moves is which local optimum k-means settles in, not a better reading of the words:
 * unstemmed, packages-5 puts python with libs in one theme; stemmed, packages-20 at 100,000 puts
 * java with ruby. A split-and-merge search on the k-means objective (split the theme that loses
 * most along its principal direction, merge the closest pair, keep the move if the objective
 * rises), prototyped in Python on the same features, moved packages-20 at 100,000 by 0.002 at
 * most. Stemming stays because the exercise's language asks for it (text/language.h).
 * What the 100,000-text files change is repetition, not size: on three bootstrap resamples
 * of packages-20 at its natural size (48,730 texts drawn with replacement, no word left
 * out; seed 1), this pipeline scores 0.336, 0.315 and 0.307 where scikit-learn scores 0.334,
 * 0.337 and 0.337, and unstemmed 0.336, 0.340 and 0.351; doubling every text exactly takes
 * it from 0.336 to 0.323 (its terms from 28,629 to 72,403, each text's own words now in two
 * texts), and min_df 3 on the doubled file gives 0.336 back, but min_df 3 or 5 on the
 * 100,000 file does not (0.304, 0.299). NMF alone falls the same way (0.32 to 0.29), so the
 * refinement is not the cause.
 *
 * Number of themes. When k is not fixed, k is tried in [kmin, kmax] in steps of about 15%
 * (every k up to 10, then 12, 14, 16, 18, 21, 24, 28), by default from 3 to one theme per 10
 * texts, at most 30 (50 answers: 3..5; 300 and more: up to 28): fewer than about 10 texts a
 * theme is an anecdote, not a pattern, and more than 30 themes is more than a reader can
 * take in. The k with the highest mean topic coherence wins: for each theme, the normalised
 * pointwise mutual information (NPMI; Bouma 2009, used for topic coherence by Aletras &
 * Stevenson 2013 and Röder et al. 2015) of every pair among its top 10 unigrams, with
 * probabilities counted as document co-occurrence in the same corpus, averaged over pairs and
 * themes. NPMI is in [-1, 1] and does not grow with term frequency, unlike UMass, so broad
 * themes of common words are not favoured. Bigrams are left out of coherence because a bigram
 * co-occurs with its own words by construction. Ties (within 1e-9) go to the smaller k.
 * Rejected after measuring (bench/corpora.sh, BENCH_AUTO_K=1): the reconstruction error falls
 * monotonically with k; the mean cosine between themes (Cao et al. 2009) falls with k too, so
 * it always chose the largest; the agreement of top terms between the fit on all texts and on
 * every other text (Greene et al. 2014) chose 5 for 5 labels and 6 for 6, as coherence nearly
 * does, but 3 or 4 for 10, 20 and 30 package sections, no better than coherence, at twice the
 * cost. Neither finds 10 to 30 package sections: coherence prefers 3 broad themes there.
 * Nor do criteria read from the fitted themes themselves: the mean simplified silhouette
 * (strongest against second cosine) falls with k and the mean cosine to the own centroid rises
 * with k on every corpus, without a peak or a knee. On package sections that name a subject
 * (games, science, mail ...; no packaging roles, languages or desktops), coherence picks 6 for
 * 10, 7 for 15 and 9 for 20: closer, still outside +-30%. The synopses are 5 to 10 words, so
 * two top words of a theme rarely meet in one, and the coherence of every k is near 0.
 * Nor does stability under the random start (the clustering-stability idea of Ben-Hur,
 * Elisseeff & Guyon 2002): the largest k at which the strongest themes of seeds 1, 2 and 3
 * agree pairwise with an adjusted Rand index of 0.95 or more is 10 for packages-5, 12 for
 * packages-10, 10 for packages-20, 12 for packages-30 (10 is unstable there) and 6 for man-6
 * (5 is unstable), at three fits a k. The package descriptions hold about a dozen groups that
 * the data fixes (the language ecosystems, libraries and their headers, documentation),
 * whatever number of sections the labels count.
 * Nor does the gap statistic (Tibshirani, Walther & Hastie 2001; prototyped with k-means on
 * scikit-learn's unit-length tf-idf rows of packages-10 and man-6, against the same rows with
 * each term's postings moved to random texts): the shuffled texts cluster as well as the real
 * ones, within 0.035 in log dispersion at every k from 2 to 42, with no peak. bench/k_curve.sh asks
 * the labels themselves which k reproduces them best (chance-corrected: adjusted mutual
 * information): the number of labels for packages-5 and -10, but 12 for packages-15 and -20 and
 * 14 for packages-30, on curves so flat beyond 10 (packages-30 within 0.02 of its best from 8
 * to 40) that those section counts are not a number of groups the texts hold.
 *
 * Labels. The most common surface forms (as people wrote them, never stems) of the theme's
 * top terms: its most phrase-like bigram among the top 10 terms (when there is one), followed
 * by the best two unigrams that are not words of that bigram, otherwise its best three
 * unigrams, joined by " · ". Phrase-like: the highest product of the bigram's weight in the
 * theme and its Dice coefficient 2 df(ab) / (df(a) + df(b)), so "shared records" is chosen
 * over "need shared" even when the latter weighs a little more, because "need" meets many
 * other words (on the demonstration exercise: "shared records", "workforce plan", "board
 * level", "booking app" instead of "need shared", "smaller professions", "chief ahp", "good
 * broadband").
 *
 * Membership. Document i belongs to theme j when W[i][j] > 0 and W[i][j] >= member_ratio *
 * max_l W[i][l] (default 0.5): a document may belong to several themes, and a document with no
 * usable terms belongs to none. Size counts members.
 *
 * Representatives. Members ranked by W[i][j] * W[i][j] / sum_l W[i][l] (strong weight, and
 * mostly about this theme), then chosen greedily, skipping any document whose tf-idf cosine
 * with one already chosen is 0.9 or more, so the quotes are not near-duplicates.
 */
#include "text/themes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "text/language.h"
#include "text/nmf.h"
#include "text/sparse.h"
#include "text/tfidf.h"
#include "text/vocab.h"

#define COHERENCE_TERMS 10
#define NEAR_DUPLICATE  0.9
#define LABEL_SEP       " \xc2\xb7 " /* " · " */
#define REFINE_MAX_ITER 30   /* spherical k-means rounds at most */
#define REFINE_TOL_INV  1000 /* stop when fewer than 1 text in 1,000 changed theme */

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Term ids of component j by weight in h (k x m), descending, ties by id; up to max, only
 * weights > 0, optionally unigrams only. Returns how many. */
static size_t top_terms(const double *h, size_t m, size_t j, const struct vocab *v,
                        bool unigrams_only, size_t max, size_t *out)
{
    size_t cnt = 0;
    const double *row = h + j * m;
    for (size_t t = 0; t < m; t++) {
        size_t pos;
        if (row[t] <= 0 || (unigrams_only && v->t[t].bigram))
            continue;
        if (cnt == max && row[t] <= row[out[max - 1]])
            continue;
        pos = cnt < max ? cnt++ : max - 1;
        while (pos > 0 && row[out[pos - 1]] < row[t]) {
            out[pos] = out[pos - 1];
            pos--;
        }
        out[pos] = t;
    }
    return cnt;
}

/* Documents containing both a and b, from the transposed (term x doc) matrix. */
static size_t co_docs(const struct sparse *xt, size_t a, size_t b)
{
    size_t p = xt->rowptr[a], pe = xt->rowptr[a + 1], q = xt->rowptr[b], qe = xt->rowptr[b + 1];
    size_t c = 0;
    while (p < pe && q < qe) {
        if (xt->col[p] < xt->col[q])
            p++;
        else if (xt->col[p] > xt->col[q])
            q++;
        else {
            c++;
            p++;
            q++;
        }
    }
    return c;
}

/* Mean NPMI over pairs of the top unigrams of component j. */
static double npmi_coherence(const struct sparse *xt, const double *h, size_t m, size_t j,
                             const struct vocab *v, size_t ndocs)
{
    size_t top[COHERENCE_TERMS], n = top_terms(h, m, j, v, true, COHERENCE_TERMS, top), pairs = 0;
    double sum = 0, nd = (double)ndocs;

    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++) {
            double pa = (double)(xt->rowptr[top[a] + 1] - xt->rowptr[top[a]]) / nd;
            double pb = (double)(xt->rowptr[top[b] + 1] - xt->rowptr[top[b]]) / nd;
            double pab = (double)co_docs(xt, top[a], top[b]) / nd;
            pairs++;
            if (pab <= 0)
                sum += -1;
            else if (pab >= 1)
                sum += 1; /* both terms in every document: perfectly associated */
            else
                sum += log(pab / (pa * pb)) / -log(pab);
        }
    return pairs ? sum / (double)pairs : -1;
}

/* True if unigram key u is one of the two words of bigram key bk. */
static bool bigram_has(const char *bk, const char *u)
{
    const char *sp = strchr(bk, ' ');
    size_t n = strlen(u);
    if (!sp)
        return false;
    return ((size_t)(sp - bk) == n && memcmp(bk, u, n) == 0) || strcmp(sp + 1, u) == 0;
}

/* The unigrams sorted by key, for unigram_df. */
struct keydf {
    const char *key;
    size_t df;
};

static int cmp_keydf(const void *a, const void *b)
{
    return strcmp(((const struct keydf *)a)->key, ((const struct keydf *)b)->key);
}

/* Documents containing the unigram whose key is s[0..n), 0 when it is not in the vocabulary
 * (too rare or too common). */
static size_t unigram_df(const struct vocab *v, const struct keydf *ids, const char *s, size_t n)
{
    size_t lo = 0, hi = v->nunigrams;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *k = ids[mid].key;
        int c = strncmp(k, s, n);
        if (c == 0 && k[n] != '\0')
            c = 1;
        if (c == 0)
            return ids[mid].df;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* How much a bigram is a phrase rather than two words that happen to meet: the Dice
 * coefficient 2 df(ab) / (df(a) + df(b)) of its words (F. Smadja, "Retrieving collocations
 * from text", Computational Linguistics 19, 1993), in [0, 1]; 0 when a word is not in the
 * vocabulary. "shared records" scores high; "need shared", whose first word meets many
 * others, low. */
static double phrase_score(const struct vocab *v, const struct keydf *ids, size_t bigram)
{
    const char *key = v->t[bigram].key, *sp = strchr(key, ' ');
    size_t da, db;
    if (!sp)
        return 0;
    da = unigram_df(v, ids, key, (size_t)(sp - key));
    db = unigram_df(v, ids, sp + 1, strlen(sp + 1));
    return da && db ? 2.0 * (double)v->t[bigram].df / (double)(da + db) : 0;
}

static int make_label(const struct vocab *v, const struct keydf *ids, const double *hrow,
                      const size_t *top, size_t ntop, char **out)
{
    const char *parts[3];
    size_t np = 0, len = 0, bi = (size_t)-1;
    double best = 0;
    char *s, *p;

    for (size_t i = 0; i < ntop; i++) /* the bigram of highest weight x phrase score */
        if (v->t[top[i]].bigram) {
            double sc = hrow[top[i]] * phrase_score(v, ids, top[i]);
            if (bi == (size_t)-1 || sc > best) {
                bi = top[i];
                best = sc;
            }
        }
    if (bi != (size_t)-1)
        parts[np++] = v->t[bi].label;
    for (size_t i = 0; i < ntop && np < 3; i++) {
        const struct vocab_term *t = &v->t[top[i]];
        if (t->bigram || (bi != (size_t)-1 && bigram_has(v->t[bi].key, t->key)))
            continue;
        parts[np++] = t->label;
    }
    for (size_t i = 0; i < np; i++)
        len += strlen(parts[i]) + strlen(LABEL_SEP);
    s = p = malloc(len + 1);
    if (!s)
        return APP_E_NOMEM;
    for (size_t i = 0; i < np; i++) {
        size_t n = strlen(parts[i]);
        if (i) {
            memcpy(p, LABEL_SEP, strlen(LABEL_SEP));
            p += strlen(LABEL_SEP);
        }
        memcpy(p, parts[i], n);
        p += n;
    }
    *p = '\0';
    *out = s;
    return APP_OK;
}

/* Spherical k-means from NMF's themes (see the header): f->w and f->h are replaced by the
 * texts' cosine similarities to the final centroids and the centroids (unit rows). xt is x
 * transposed, so each centroid entry is summed in one contiguous pass over its term's texts. */
static int refine(const struct sparse *x, const struct sparse *xt, struct nmf_result *f)
{
    size_t n = x->rows, m = x->cols, k = f->k, changed = n, *a = NULL;
    double *ct = calloc(m * k + 1, sizeof *ct), *nn = calloc(k + 1, sizeof *nn);
    int rc = APP_E_NOMEM;

    a = malloc((n + 1) * sizeof *a);
    if (!ct || !nn || !a)
        goto done;
    for (size_t i = 0; i < n; i++) { /* start: each text's strongest NMF theme */
        const double *w = f->w + i * k;
        size_t best = k;
        for (size_t j = 0; j < k; j++)
            if (w[j] > 0 && (best == k || w[j] > w[best]))
                best = j;
        a[i] = best; /* k: no usable terms, in no theme */
    }
    for (unsigned it = 0; it < REFINE_MAX_ITER && changed * REFINE_TOL_INV > n; it++) {
        memset(nn, 0, k * sizeof *nn);
        for (size_t t = 0; t < m; t++) { /* centroids: sums of the members' tf-idf rows */
            double *c = ct + t * k;
            memset(c, 0, k * sizeof *c);
            for (size_t p = xt->rowptr[t]; p < xt->rowptr[t + 1]; p++)
                if (a[xt->col[p]] < k)
                    c[a[xt->col[p]]] += xt->val[p];
            for (size_t j = 0; j < k; j++)
                nn[j] += c[j] * c[j];
        }
        for (size_t j = 0; j < k; j++)
            nn[j] = nn[j] > 0 ? 1 / sqrt(nn[j]) : 0;
        for (size_t t = 0; t < m; t++) /* unit length; an empty theme keeps NMF's direction */
            for (size_t j = 0; j < k; j++)
                ct[t * k + j] = nn[j] > 0 ? ct[t * k + j] * nn[j] : f->h[j * m + t];
        sparse_mul_dense(x, ct, k, f->w); /* cosine of each text with each centroid */
        changed = 0;
        for (size_t i = 0; i < n; i++) {
            const double *w = f->w + i * k;
            size_t best = k;
            for (size_t j = 0; j < k; j++)
                if (w[j] > 0 && (best == k || w[j] > w[best]))
                    best = j;
            if (best == k) /* no term shared with any centroid: stays where it was */
                best = a[i];
            changed += best != a[i];
            a[i] = best;
        }
    }
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < m; t++)
            f->h[j * m + t] = ct[t * k + j];
    rc = APP_OK;
done:
    free(ct);
    free(nn);
    free(a);
    return rc;
}

struct scored {
    size_t doc;
    double score;
};

static int cmp_scored(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return (x->doc > y->doc) - (x->doc < y->doc);
}

static void swap_scored(struct scored *a, struct scored *b)
{
    struct scored t = *a;
    *a = *b;
    *b = t;
}

/* Moves the want best of c[0..n) (cmp_scored order, a total order since documents differ) to
 * the front, sorted; the rest follow in no particular order. Quickselect (median-of-three
 * Lomuto partitions, expected O(n)) then a sort of the want; a partition budget of about
 * 2 log2 n falls back to sorting what is left, so the worst case stays O(n log n). The result
 * is exactly the first want entries of a full sort. */
static void select_best(struct scored *c, size_t n, size_t want)
{
    size_t lo = 0, hi = n, budget = 8;
    for (size_t t = n; t > 1; t >>= 1)
        budget += 2;
    if (want > n)
        want = n;
    while (lo < want && want < hi) {
        size_t mid = lo + (hi - lo) / 2, p = lo;
        if (budget-- == 0) {
            qsort(c + lo, hi - lo, sizeof *c, cmp_scored);
            break;
        }
        if (cmp_scored(&c[mid], &c[lo]) < 0) /* median of three to hi - 1 */
            swap_scored(&c[mid], &c[lo]);
        if (cmp_scored(&c[hi - 1], &c[lo]) < 0)
            swap_scored(&c[hi - 1], &c[lo]);
        if (cmp_scored(&c[mid], &c[hi - 1]) < 0)
            swap_scored(&c[mid], &c[hi - 1]);
        for (size_t i = lo; i + 1 < hi; i++)
            if (cmp_scored(&c[i], &c[hi - 1]) < 0)
                swap_scored(&c[i], &c[p++]);
        swap_scored(&c[p], &c[hi - 1]); /* c[lo..p) better than c[p], c(p..hi) worse */
        if (p < want)
            lo = p + 1;
        else
            hi = p;
    }
    if (want > 1)
        qsort(c, want, sizeof *c, cmp_scored);
}

struct order {
    size_t comp, size;
};

static int cmp_order(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    if (x->size != y->size)
        return x->size < y->size ? 1 : -1;
    return (x->comp > y->comp) - (x->comp < y->comp);
}

/* Fills out from the factorisation f of x (tf-idf) with vocabulary v. */
static int describe(const struct themes_input *in, const struct sparse *x, const struct sparse *xt,
                    const struct vocab *v, const struct nmf_result *f, struct themes_result *out)
{
    size_t n = x->rows, m = x->cols, k = f->k, *sizes = NULL;
    double ratio = in->member_ratio > 0 ? in->member_ratio : 0.5, csum = 0;
    unsigned char *mem = NULL;
    struct scored *cand = NULL;
    struct order *ord = NULL;
    struct keydf *uids = NULL;
    int rc = APP_E_NOMEM;

    out->k = k;
    out->rel_err = f->rel_err;
    out->nmf_iter = f->iter;
    out->themes = calloc(k, sizeof *out->themes);
    out->weights = malloc(n * k * sizeof *out->weights + 1);
    out->member = calloc(n * k + 1, 1);
    mem = calloc(n * k + 1, 1);
    sizes = calloc(k, sizeof *sizes);
    cand = malloc((n + 1) * sizeof *cand);
    ord = malloc(k * sizeof *ord);
    uids = malloc((v->nunigrams + 1) * sizeof *uids);
    if (!out->themes || !out->weights || !out->member || !mem || !sizes || !cand || !ord || !uids)
        goto done;
    for (size_t t = 0; t < v->nunigrams; t++) {
        uids[t].key = v->t[t].key;
        uids[t].df = v->t[t].df;
    }
    qsort(uids, v->nunigrams, sizeof *uids, cmp_keydf);
    for (size_t i = 0; i < n; i++) {
        const double *w = f->w + i * k;
        double mx = 0;
        for (size_t j = 0; j < k; j++)
            mx = w[j] > mx ? w[j] : mx;
        for (size_t j = 0; j < k; j++)
            if (mx > 0 && w[j] > 0 && w[j] >= ratio * mx) {
                mem[i * k + j] = 1;
                sizes[j]++;
            }
    }
    for (size_t j = 0; j < k; j++) {
        ord[j].comp = j;
        ord[j].size = sizes[j];
    }
    if (k > 1)
        qsort(ord, k, sizeof *ord, cmp_order);
    for (size_t jj = 0; jj < k; jj++) {
        struct theme *t = &out->themes[jj];
        size_t j = ord[jj].comp, top[THEMES_TOP_TERMS], nc = 0;

        t->index = j;
        t->size = sizes[j];
        t->nterms = top_terms(f->h, m, j, v, false, THEMES_TOP_TERMS, top);
        for (size_t q = 0; q < t->nterms; q++)
            if (!(t->terms[q] = dup_str(v->t[top[q]].label)))
                goto done;
        if ((rc = make_label(v, uids, f->h + j * m, top, t->nterms, &t->label)) != APP_OK)
            goto done;
        rc = APP_E_NOMEM;
        t->coherence = npmi_coherence(xt, f->h, m, j, v, n);
        csum += t->coherence;
        for (size_t i = 0; i < n; i++) {
            const double *w = f->w + i * k;
            double s = 0;
            out->weights[i * k + jj] = w[j];
            out->member[i * k + jj] = mem[i * k + j];
            if (!mem[i * k + j])
                continue;
            for (size_t l = 0; l < k; l++)
                s += w[l];
            cand[nc].doc = i;
            cand[nc++].score = w[j] * w[j] / s;
        }
        /* Candidates in ranking order, best first, but only as many ranked as the greedy
         * choice reaches: batches of 4 * THEMES_MAX_REPR, doubling while near-duplicates
         * keep it going. Same choice as ranking every member, in O(members). */
        for (size_t c = 0, batch = 4 * THEMES_MAX_REPR; c < nc && t->nrepr < THEMES_MAX_REPR;
             batch *= 2) {
            size_t end = nc - c < batch ? nc : c + batch;
            select_best(cand + c, nc - c, end - c);
            for (; c < end && t->nrepr < THEMES_MAX_REPR; c++) {
                bool dup = false;
                for (size_t r = 0; r < t->nrepr && !dup; r++)
                    dup = sparse_row_dot(x, cand[c].doc, t->repr[r]) >= NEAR_DUPLICATE;
                if (!dup)
                    t->repr[t->nrepr++] = cand[c].doc;
            }
        }
    }
    out->coherence = k ? csum / (double)k : 0;
    rc = APP_OK;
done:
    free(mem);
    free(sizes);
    free(cand);
    free(ord);
    free(uids);
    return rc;
}

/* The k tried after k when choosing automatically: steps of about 15% (every k up to 10, then
 * 12, 14, 16, 18, 21, 24, 28), so 3..30 takes 15 fits and every k in the range is within 8%
 * of one tried. */
static size_t next_k(size_t k)
{
    size_t n = (k * 115 + 50) / 100;
    return n > k ? n : k + 1;
}

static size_t grid_size(size_t kmin, size_t kmax)
{
    size_t c = 0;
    for (size_t k = kmin; k <= kmax; k = next_k(k))
        c++;
    return c;
}

int themes_fit(const struct themes_input *in, struct themes_result *out)
{
    struct stopwords *sw = NULL;
    struct vocab v = {0};
    struct sparse x = {0}, xt = {0};
    struct nmf_result best = {0}, f = {0};
    struct vocab_options vo;
    size_t kmin = in->kmin ? in->kmin : THEMES_KMIN, kmax = in->kmax, nonempty = 0, cap;
    double best_score = -INFINITY;
    int rc = APP_E_INVALID;

    memset(out, 0, sizeof *out);
    out->ndocs = in->n;
    if (!kmax) /* a theme for every THEMES_TEXTS_PER_K texts, within [kmin, THEMES_KMAX] */
        kmax = in->n / THEMES_TEXTS_PER_K < kmin ? kmin
               : in->n / THEMES_TEXTS_PER_K > THEMES_KMAX ? THEMES_KMAX
                                                         : in->n / THEMES_TEXTS_PER_K;
    if (kmin > kmax || in->max_df < 0 || in->max_df > 1 || in->member_ratio < 0 ||
        in->member_ratio > 1 || (!in->k && grid_size(kmin, kmax) > 16))
        goto done;
    if (in->stopwords && (rc = stopwords_parse(in->stopwords, in->stopwords_len, &sw)) != APP_OK)
        goto done;
    if (in->language && !in->stopwords) { /* the language's shipped list, if it has one */
        const char *lt;
        size_t ll;
        if (!language_find(in->language))
            goto done; /* APP_E_INVALID */
        if (language_stopwords(language_find(in->language), &lt, &ll) &&
            (rc = stopwords_parse(lt, ll, &sw)) != APP_OK)
            goto done;
    }
    vo.stop = sw;
    vo.language = in->language;
    vo.bigrams = !in->no_bigrams;
    vo.min_df = in->min_df ? in->min_df : in->n < 20 ? 1 : 2;
    vo.max_df = in->max_df > 0 ? in->max_df : 0.8;
    if ((rc = vocab_build(in->docs, in->n, &vo, &v, &x)) != APP_OK ||
        (rc = tfidf_weight(&x, NULL)) != APP_OK || (rc = sparse_transpose(&x, &xt)) != APP_OK)
        goto done;
    out->nterms = v.n;
    for (size_t i = 0; i < x.rows; i++)
        nonempty += x.rowptr[i + 1] > x.rowptr[i];
    cap = nonempty < v.n ? nonempty : v.n;
    if (cap < 2) { /* nothing to factorise: no themes */
        rc = APP_OK;
        goto done;
    }
    if (in->k)
        kmin = kmax = in->k;
    if (kmax > cap)
        kmax = cap;
    if (kmin > kmax)
        kmin = kmax;
    for (size_t k = kmin; k <= kmax; k = next_k(k)) {
        struct nmf_options no = {
            .k = k, .max_iter = in->max_iter, .tol = in->tol, .seed = in->seed};
        double score = 0;
        if ((rc = nmf_fit(&x, &no, &f)) != APP_OK || (rc = refine(&x, &xt, &f)) != APP_OK)
            goto done;
        if (kmin != kmax) {
            for (size_t j = 0; j < k; j++)
                score += npmi_coherence(&xt, f.h, f.cols, j, &v, x.rows);
            score /= (double)k;
            out->tried_k[out->ntried] = k;
            out->tried_score[out->ntried++] = score;
        }
        if (score > best_score + 1e-9) {
            nmf_free(&best);
            best = f;
            best_score = score;
            memset(&f, 0, sizeof f);
        } else {
            nmf_free(&f);
        }
    }
    rc = describe(in, &x, &xt, &v, &best, out);
done:
    if (rc != APP_OK)
        themes_result_free(out);
    stopwords_free(sw);
    vocab_free(&v);
    sparse_free(&x);
    sparse_free(&xt);
    nmf_free(&best);
    nmf_free(&f);
    return rc;
}

void themes_result_free(struct themes_result *r)
{
    for (size_t j = 0; r->themes && j < r->k; j++) {
        free(r->themes[j].label);
        for (size_t q = 0; q < r->themes[j].nterms; q++)
            free(r->themes[j].terms[q]);
    }
    free(r->themes);
    free(r->weights);
    free(r->member);
    memset(r, 0, sizeof *r);
}
