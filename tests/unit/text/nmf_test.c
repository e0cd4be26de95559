/* nmf_test.c: NMF recovers a known non-negative factorisation, deterministically; the SVD behind it
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/rand.h"
#include "text/nmf.h"
#include "text/sparse.h"

#define N 40
#define M 30
#define K 3

/* A planted X = W H, N x M, with disjoint supports: document i uses only component i % K,
 * term t belongs only to component t % K (so X is block diagonal up to a permutation of
 * rows and columns, each block rank one). Values are random in [0.5, 1.5) from a fixed seed.
 * Two thirds of X are true zeros, which the recovered WH must reproduce. */
static void planted(double *w, double *h, struct sparse *x)
{
    struct rng r;
    size_t nnz = 0;
    rng_seed(&r, 42);
    memset(w, 0, sizeof(double) * N * K);
    memset(h, 0, sizeof(double) * K * M);
    for (size_t i = 0; i < N; i++)
        w[i * K + i % K] = 0.5 + rng_double(&r);
    for (size_t t = 0; t < M; t++)
        h[(t % K) * M + t] = 0.5 + rng_double(&r);
    assert_int_equal(sparse_alloc(x, N, M, N * M / K), APP_OK);
    for (size_t i = 0; i < N; i++) {
        for (size_t t = 0; t < M; t++) {
            double v = 0;
            for (size_t j = 0; j < K; j++)
                v += w[i * K + j] * h[j * M + t];
            if (v != 0) {
                x->col[nnz] = (uint32_t)t;
                x->val[nnz++] = v;
            }
        }
        x->rowptr[i + 1] = nnz;
    }
    x->nnz = nnz;
}

static double cosine(const double *a, size_t sa, const double *b, size_t sb, size_t n)
{
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < n; i++) {
        ab += a[i * sa] * b[i * sb];
        aa += a[i * sa] * a[i * sa];
        bb += b[i * sb] * b[i * sb];
    }
    return aa > 0 && bb > 0 ? ab / sqrt(aa * bb) : 0;
}

static void test_recovers_planted_factorisation(void **state)
{
    static double w[N * K], h[K * M];
    struct sparse x;
    struct nmf_options o = {.k = K, .max_iter = 1000, .tol = 1e-10, .seed = 7};
    struct nmf_result f;
    int used[K] = {0};
    (void)state;
    planted(w, h, &x);
    assert_int_equal(nmf_fit(&x, &o, &f), APP_OK);
    assert_int_equal(f.k, K);
    assert_true(f.rel_err < 1e-3);
    /* Independent check of the error: rebuild WH densely. */
    {
        double num = 0, den = 0;
        for (size_t i = 0; i < N; i++)
            for (size_t t = 0; t < M; t++) {
                double v = 0, xv = 0;
                for (size_t j = 0; j < K; j++)
                    v += f.w[i * K + j] * f.h[j * M + t];
                for (size_t p = x.rowptr[i]; p < x.rowptr[i + 1]; p++)
                    if (x.col[p] == t)
                        xv = x.val[p];
                num += (xv - v) * (xv - v);
                den += xv * xv;
            }
        assert_true(sqrt(num / den) < 1e-3);
    }
    /* Each planted component is found once, up to permutation and scale: cosine > 0.999
     * for both its H row and its W column. Rows of H have unit norm. */
    for (size_t j = 0; j < K; j++) {
        size_t best = K;
        double bc = 0, hn = 0;
        for (size_t q = 0; q < K; q++) {
            double c = cosine(h + j * M, 1, f.h + q * M, 1, M);
            if (c > bc) {
                bc = c;
                best = q;
            }
        }
        assert_true(best < K);
        assert_false(used[best]);
        used[best] = 1;
        assert_true(bc > 0.999);
        assert_true(cosine(w + j, K, f.w + best, K, N) > 0.999);
        for (size_t t = 0; t < M; t++)
            hn += f.h[best * M + t] * f.h[best * M + t];
        assert_float_equal(hn, 1, 1e-9);
    }
    for (size_t i = 0; i < N * K; i++)
        assert_true(f.w[i] >= 0);
    for (size_t i = 0; i < K * M; i++)
        assert_true(f.h[i] >= 0);
    nmf_free(&f);
    sparse_free(&x);
}

/* ||X - W H||_F / ||X||_F of a result, from a dense rebuild of W H. */
static double dense_rel_err(const struct sparse *x, const struct nmf_result *f)
{
    double num = 0, den = 0;
    for (size_t i = 0; i < x->rows; i++)
        for (size_t t = 0; t < x->cols; t++) {
            double v = 0, xv = 0;
            for (size_t j = 0; j < f->k; j++)
                v += f->w[i * f->k + j] * f->h[j * x->cols + t];
            for (size_t p = x->rowptr[i]; p < x->rowptr[i + 1]; p++)
                if (x->col[p] == t)
                    xv = x->val[p];
            num += (xv - v) * (xv - v);
            den += xv * xv;
        }
    return sqrt(num / den);
}

/* rel_err is the error of the factors returned (after H's rows are made unit length), whether
 * the iterations stopped on the tolerance, on max_iter, or after one. */
static void test_rel_err_is_the_factors_error(void **state)
{
    static double w[N * K], h[K * M];
    static const struct nmf_options opts[] = {
        {K, 200, 1e-4, 3, 0}, {K, 1, 0, 3, 0}, {K, 7, 1e-12, 3, 0}, {K - 1, 200, 1e-6, 3, 0}};
    struct sparse x;
    (void)state;
    planted(w, h, &x);
    for (size_t p = 0; p < x.nnz; p++) /* noise, so the error is not ~0 */
        x.val[p] += 0.05 * (double)(p % 5);
    for (size_t o = 0; o < sizeof opts / sizeof opts[0]; o++) {
        struct nmf_result f;
        double want;
        assert_int_equal(nmf_fit(&x, &opts[o], &f), APP_OK);
        want = dense_rel_err(&x, &f);
        assert_true(want > 1e-3);
        assert_float_equal(f.rel_err, want, 1e-9 * want);
        nmf_free(&f);
    }
    sparse_free(&x);
}

static void test_deterministic(void **state)
{
    static double w[N * K], h[K * M];
    struct sparse x;
    struct nmf_options o = {.k = K, .max_iter = 50, .seed = 1234};
    struct nmf_result a, b;
    (void)state;
    planted(w, h, &x);
    /* Make the problem less trivial so the iterations matter: add a dense-ish noise term. */
    for (size_t p = 0; p < x.nnz; p++)
        x.val[p] += 0.01 * (double)(p % 7);
    assert_int_equal(nmf_fit(&x, &o, &a), APP_OK);
    assert_int_equal(nmf_fit(&x, &o, &b), APP_OK);
    assert_int_equal(a.iter, b.iter);
    assert_memory_equal(a.w, b.w, sizeof(double) * N * K);
    assert_memory_equal(a.h, b.h, sizeof(double) * K * M);
    assert_memory_equal(&a.rel_err, &b.rel_err, sizeof a.rel_err);
    nmf_free(&a);
    nmf_free(&b);
    sparse_free(&x);
}

static void test_svd_singular_values(void **state)
{
    /* For the planted block matrix the singular values are ||w_j|| * ||h_j|| per block. */
    static double w[N * K], h[K * M], u[N * K], v[M * K], want[K];
    double s[K];
    struct sparse x;
    (void)state;
    planted(w, h, &x);
    for (size_t j = 0; j < K; j++) {
        double a = 0, b = 0;
        for (size_t i = 0; i < N; i++)
            a += w[i * K + j] * w[i * K + j];
        for (size_t t = 0; t < M; t++)
            b += h[j * M + t] * h[j * M + t];
        want[j] = sqrt(a * b);
    }
    for (size_t a = 0; a < K; a++) /* sort descending */
        for (size_t b = a + 1; b < K; b++)
            if (want[b] > want[a]) {
                double t = want[a];
                want[a] = want[b];
                want[b] = t;
            }
    assert_int_equal(nmf_svd(&x, K, 99, u, s, v), APP_OK);
    for (size_t j = 0; j < K; j++)
        assert_float_equal(s[j], want[j], 1e-8 * want[0]);
    /* Orthonormal U columns. */
    for (size_t a = 0; a < K; a++)
        for (size_t b = 0; b < K; b++) {
            double d = 0;
            for (size_t i = 0; i < N; i++)
                d += u[i * K + a] * u[i * K + b];
            assert_float_equal(d, a == b, 1e-9);
        }
    sparse_free(&x);
}

/* X = U diag(sigma) V^T with known orthonormal U (KR x KC) and V (KC x KC): DCT-II basis
 * vectors, orthonormal in exact arithmetic. Full rank; the four leading singular values
 * (10, 9, 8, 7) are followed by a long, slowly decaying tail (tail_top * 0.97^j). With
 * tail_top 3 the gap is clear and the SVD must be exact to 1e-9; with 6 it is modest, as in
 * real tf-idf matrices, and the SVD (7 power iterations on k + 10 columns, as scikit-learn's
 * randomized_svd) is only an approximation, whose size test_svd_modest_gap pins. Stored
 * densely as CSR, or transposed (then U and V swap roles, and the other side is iterated
 * on). */
#define KR 400
#define KC 300
static double dct(size_t n, size_t i, size_t j)
{
    return j == 0 ? 1 / sqrt((double)n)
                  : sqrt(2 / (double)n) * cos(M_PI * ((double)i + 0.5) * (double)j / (double)n);
}

static double tail_top = 3;

static double known_sigma(size_t j)
{
    static const double top[4] = {10, 9, 8, 7};
    return j < 4 ? top[j] : tail_top * pow(0.97, (double)(j - 4));
}

static void known(struct sparse *x, bool transposed)
{
    size_t n = transposed ? KC : KR, m = transposed ? KR : KC, nnz = 0;
    double *ur = malloc(sizeof(double) * KR * KC), *vc = malloc(sizeof(double) * KC * KC);
    assert_non_null(ur);
    assert_non_null(vc);
    for (size_t i = 0; i < KR; i++) /* U diag(sigma), then V */
        for (size_t j = 0; j < KC; j++)
            ur[i * KC + j] = known_sigma(j) * dct(KR, i, j);
    for (size_t i = 0; i < KC; i++)
        for (size_t j = 0; j < KC; j++)
            vc[i * KC + j] = dct(KC, i, j);
    assert_int_equal(sparse_alloc(x, n, m, n * m), APP_OK);
    for (size_t i = 0; i < n; i++) {
        for (size_t t = 0; t < m; t++) {
            const double *a = ur + (transposed ? t : i) * KC, *b = vc + (transposed ? i : t) * KC;
            double v = 0;
            for (size_t j = 0; j < KC; j++)
                v += a[j] * b[j];
            x->col[nnz] = (uint32_t)t;
            x->val[nnz++] = v;
        }
        x->rowptr[i + 1] = nnz;
    }
    free(ur);
    free(vc);
}

/* Largest entry of the difference between column c of the row-major n x k matrix a and the
 * DCT vector j of length n, up to sign. */
static double vec_err(const double *a, size_t n, size_t k, size_t c, size_t j)
{
    double d = 0, e = 0;
    for (size_t i = 0; i < n; i++)
        d += a[i * k + c] * dct(n, i, j);
    for (size_t i = 0; i < n; i++)
        e = fmax(e, fabs(a[i * k + c] - (d < 0 ? -1 : 1) * dct(n, i, j)));
    return e;
}

static void test_svd_known_decomposition(void **state)
{
    enum { k = 4 };
    static double u[KR * k], v[KR * k];
    double s[k];
    (void)state;
    tail_top = 3;
    for (int tr = 0; tr < 2; tr++) { /* terms side (rows >= cols), then the documents side */
        struct sparse x;
        size_t n = tr ? KC : KR, m = tr ? KR : KC;
        known(&x, tr);
        assert_int_equal(nmf_svd(&x, k, 5, u, s, v), APP_OK);
        for (size_t j = 0; j < k; j++) {
            /* sigma to 1e-9 relative, every entry of the singular vectors to 1e-6. */
            assert_float_equal(s[j], known_sigma(j), 1e-9 * known_sigma(j));
            assert_true(vec_err(u, n, k, j, j) < 1e-6);
            assert_true(vec_err(v, m, k, j, j) < 1e-6);
        }
        for (size_t a = 0; a < k; a++) /* both sides orthonormal */
            for (size_t b = 0; b < k; b++) {
                double du = 0, dv = 0;
                for (size_t i = 0; i < n; i++)
                    du += u[i * k + a] * u[i * k + b];
                for (size_t i = 0; i < m; i++)
                    dv += v[i * k + a] * v[i * k + b];
                assert_float_equal(du, a == b, 1e-9);
                assert_float_equal(dv, a == b, 1e-9);
            }
        /* X v_j = sigma_j u_j and X^T u_j = sigma_j v_j, to the vectors' accuracy. */
        for (size_t j = 0; j < k; j++) {
            static double xtu[KR];
            memset(xtu, 0, sizeof xtu);
            for (size_t i = 0; i < n; i++) {
                double xv = 0;
                for (size_t p = x.rowptr[i]; p < x.rowptr[i + 1]; p++) {
                    xv += x.val[p] * v[x.col[p] * k + j];
                    xtu[x.col[p]] += x.val[p] * u[i * k + j];
                }
                assert_float_equal(xv, s[j] * u[i * k + j], 1e-5);
            }
            for (size_t t = 0; t < m; t++)
                assert_float_equal(xtu[t], s[j] * v[t * k + j], 1e-5);
        }
        sparse_free(&x);
    }
}

/* The tail starts at 6, just below the fourth value 7: seven power iterations leave an error,
 * but a small one, on both sides. Measured: sigma within 9e-8 relative and vector entries
 * within 7e-5 (the fourth pair is the worst); the bounds are about 3x that, so fewer power
 * iterations or a smaller block fail them. */
static void test_svd_modest_gap(void **state)
{
    enum { k = 4 };
    static double u[KR * k], v[KR * k];
    double s[k];
    (void)state;
    tail_top = 6;
    for (int tr = 0; tr < 2; tr++) {
        struct sparse x;
        size_t n = tr ? KC : KR, m = tr ? KR : KC;
        known(&x, tr);
        assert_int_equal(nmf_svd(&x, k, 5, u, s, v), APP_OK);
        for (size_t j = 0; j < k; j++) {
            assert_float_equal(s[j], known_sigma(j), 3e-7 * known_sigma(j));
            assert_true(vec_err(u, n, k, j, j) < 2e-4);
            assert_true(vec_err(v, m, k, j, j) < 2e-4);
        }
        sparse_free(&x);
    }
    tail_top = 3;
}

static void test_svd_deterministic(void **state)
{
    enum { k = 3 };
    static double u1[KR * k], v1[KC * k], u2[KR * k], v2[KC * k];
    double s1[k], s2[k];
    struct sparse x;
    (void)state;
    tail_top = 3;
    known(&x, false);
    /* The same seed gives the same bytes. */
    assert_int_equal(nmf_svd(&x, k, 42, u1, s1, v1), APP_OK);
    assert_int_equal(nmf_svd(&x, k, 42, u2, s2, v2), APP_OK);
    assert_memory_equal(s1, s2, sizeof s1);
    assert_memory_equal(u1, u2, sizeof u1);
    assert_memory_equal(v1, v2, sizeof v1);
    /* Another seed starts elsewhere but converges to the same triplets (up to sign). */
    assert_int_equal(nmf_svd(&x, k, 43, u2, s2, v2), APP_OK);
    for (size_t j = 0; j < k; j++) {
        double d = 0;
        assert_float_equal(s1[j], s2[j], 1e-9 * s1[j]);
        for (size_t t = 0; t < KC; t++)
            d += v1[t * k + j] * v2[t * k + j];
        assert_float_equal(fabs(d), 1, 1e-10);
    }
    sparse_free(&x);
}

static void test_svd_rank_deficient(void **state)
{
    /* The planted matrix has rank K = 3; asking for 5 triplets gives zeros past the rank,
     * never NaN, and the first three are still right. Bad k is refused. */
    static double w[N * K], h[K * M], u[N * 5], v[M * 5];
    double s[5];
    struct sparse x;
    (void)state;
    planted(w, h, &x);
    assert_int_equal(nmf_svd(&x, 5, 3, u, s, v), APP_OK);
    assert_true(s[2] > 1);
    assert_float_equal(s[3], 0, 0);
    assert_float_equal(s[4], 0, 0);
    for (size_t i = 0; i < N * 5; i++)
        assert_true(isfinite(u[i]));
    for (size_t i = 0; i < M * 5; i++)
        assert_true(isfinite(v[i]));
    assert_int_equal(nmf_svd(&x, 0, 3, u, s, v), APP_E_INVALID);
    assert_int_equal(nmf_svd(&x, M + 1, 3, u, s, v), APP_E_INVALID);
    sparse_free(&x);
}

/* A corpus-like matrix whose vocabulary is mostly rare: 600 texts of 3 topics (text i is of
 * topic i % 3), each with 4 of its topic's 10 common terms and 2 rare terms of its own pair of
 * texts (texts i and i + 3 of each block of 6 share theirs). So 30 columns are in about 80
 * rows each and 600 in exactly 2. */
#define FR 600
#define FC (30 + 600)
static void mostly_rare(struct sparse *x)
{
    struct rng r;
    size_t nnz = 0;
    rng_seed(&r, 7);
    assert_int_equal(sparse_alloc(x, FR, FC, FR * 6), APP_OK);
    for (size_t i = 0; i < FR; i++) {
        size_t topic = i % 3, first = topic * 10 + rng_below(&r, 7);
        size_t rare = 30 + 2 * ((i / 6) * 3 + topic);
        for (size_t c = 0; c < 6; c++) { /* ascending columns: common, then rare */
            x->col[nnz] = (uint32_t)(c < 4 ? first + c : rare + c - 4);
            x->val[nnz++] = 0.5 + rng_double(&r);
        }
        x->rowptr[i + 1] = nnz;
    }
    x->nnz = nnz;
}

static void test_svd_frequent(void **state)
{
    enum { k = 3 };
    static double u[FR * k], v[FC * k], uf[FR * k], vf[FC * k], xtu[FC * k];
    double s[k], sf[k];
    struct sparse x;
    (void)state;
    mostly_rare(&x);
    /* With room for every column it is nmf_svd, byte for byte. */
    assert_int_equal(nmf_svd(&x, k, 11, uf, sf, vf), APP_OK);
    assert_int_equal(nmf_svd_frequent(&x, k, 11, FC, u, s, v), APP_OK);
    assert_memory_equal(u, uf, sizeof u);
    assert_memory_equal(v, vf, sizeof v);
    assert_memory_equal(s, sf, sizeof s);
    /* Room for 30: the SVD reads the common terms only, and every column, rare ones too, gets
     * v_j = X^T u_j / sigma_j with sigma_j = ||X^T u_j||. */
    assert_int_equal(nmf_svd_frequent(&x, k, 11, 30, u, s, v), APP_OK);
    sparse_tmul_dense(&x, u, k, xtu);
    for (size_t j = 0; j < k; j++) {
        double nn = 0;
        assert_true(s[j] > 0);
        for (size_t t = 0; t < FC; t++) {
            assert_float_equal(xtu[t * k + j], s[j] * v[t * k + j], 1e-12 * s[j]);
            nn += v[t * k + j] * v[t * k + j];
        }
        assert_float_equal(nn, 1, 1e-12);
    }
    /* ... and the triplets are the whole matrix's to within a small part: measured, sigma
     * within 9e-6 relative and |cos| between the u vectors above 0.99999; the bounds are 3x
     * the distance. The topics' sigma (about 20) is ten times the rare pairs'. */
    for (size_t j = 0; j < k; j++) {
        double d = 0, a = 0, b = 0;
        assert_float_equal(s[j], sf[j], 3e-5 * sf[j]);
        for (size_t i = 0; i < FR; i++) {
            d += u[i * k + j] * uf[i * k + j];
            a += u[i * k + j] * u[i * k + j];
            b += uf[i * k + j] * uf[i * k + j];
        }
        assert_true(fabs(d) / sqrt(a * b) > 0.99997);
    }
    /* A limit inside a group of columns in equally many texts keeps none of the group: the
     * SVD reads exactly the columns in more texts than the group's (the rule takes a count of
     * texts, never a rank among ties), byte for byte as nmf_svd on those columns. */
    {
        static double ue[FR * k], ve[FC * k];
        double se[k];
        size_t df[FC] = {0}, above = 0, tie = 0, kept = 0, nnz = 0;
        struct sparse xr;
        for (size_t p = 0; p < x.nnz; p++)
            df[x.col[p]]++;
        for (size_t t = 0; t < FC && !tie; t++) { /* the first df shared by two columns with
                                                   * enough columns above it for the block */
            size_t same = 0, more = 0;
            for (size_t q = 0; q < FC; q++) {
                same += df[q] == df[t];
                more += df[q] > df[t];
            }
            if (same >= 2 && more >= k + 10) {
                tie = df[t];
                above = more;
            }
        }
        assert_true(tie > 0); /* the rare pairs' 2 here; without one this proves nothing */
        assert_int_equal(sparse_alloc(&xr, FR, above, x.nnz), APP_OK);
        for (size_t i = 0; i < FR; i++) {
            for (size_t p = x.rowptr[i]; p < x.rowptr[i + 1]; p++)
                if (df[x.col[p]] > tie) {
                    size_t rank = 0;
                    for (size_t q = 0; q < x.col[p]; q++)
                        rank += df[q] > tie;
                    xr.col[nnz] = (uint32_t)rank;
                    xr.val[nnz++] = x.val[p];
                }
            xr.rowptr[i + 1] = nnz;
        }
        xr.nnz = nnz;
        for (size_t q = 0; q < FC; q++)
            kept += df[q] > tie;
        assert_int_equal(kept, above);
        assert_int_equal(nmf_svd(&xr, k, 11, ue, se, ve), APP_OK);
        assert_int_equal(nmf_svd_frequent(&x, k, 11, above + 1, u, s, v), APP_OK);
        assert_memory_equal(u, ue, sizeof u);
        sparse_free(&xr);
    }
    /* A limit that keeps fewer columns than the SVD's block needs falls back to all of them. */
    assert_int_equal(nmf_svd_frequent(&x, k, 11, 5, u, s, v), APP_OK);
    assert_memory_equal(u, uf, sizeof u);
    assert_memory_equal(v, vf, sizeof v);
    sparse_free(&x);
}

/* nmf_fit from the frequent terms' SVD still separates the topics: every text's strongest
 * component is the one its topic's other texts have. */
static void test_fit_from_frequent_terms(void **state)
{
    struct sparse x;
    struct nmf_options o = {.k = 3, .seed = 5, .svd_terms = 30};
    struct nmf_result f;
    size_t of_topic[3];
    (void)state;
    mostly_rare(&x);
    assert_int_equal(nmf_fit(&x, &o, &f), APP_OK);
    for (size_t i = 0; i < FR; i++) {
        size_t best = 0;
        for (size_t j = 1; j < 3; j++)
            if (f.w[i * 3 + j] > f.w[i * 3 + best])
                best = j;
        if (i < 3)
            of_topic[i] = best;
        else
            assert_int_equal(best, of_topic[i % 3]);
    }
    assert_true(of_topic[0] != of_topic[1] && of_topic[1] != of_topic[2] &&
                of_topic[0] != of_topic[2]);
    nmf_free(&f);
    sparse_free(&x);
}

static void test_invalid_input(void **state)
{
    static double w[N * K], h[K * M];
    struct sparse x;
    struct nmf_options o = {.k = 0, .seed = 1};
    struct nmf_result f;
    (void)state;
    planted(w, h, &x);
    assert_int_equal(nmf_fit(&x, &o, &f), APP_E_INVALID);
    assert_null(f.w);
    o.k = M + 1;
    assert_int_equal(nmf_fit(&x, &o, &f), APP_E_INVALID);
    o.k = 2;
    x.val[3] = -1;
    assert_int_equal(nmf_fit(&x, &o, &f), APP_E_INVALID);
    x.val[3] = NAN;
    assert_int_equal(nmf_fit(&x, &o, &f), APP_E_INVALID);
    sparse_free(&x);
}

static void test_zero_matrix(void **state)
{
    struct sparse x;
    struct nmf_options o = {.k = 2, .seed = 1};
    struct nmf_result f;
    (void)state;
    assert_int_equal(sparse_alloc(&x, 4, 5, 0), APP_OK);
    assert_int_equal(nmf_fit(&x, &o, &f), APP_OK);
    assert_float_equal(f.rel_err, 0, 0);
    for (size_t i = 0; i < 4 * 2; i++)
        assert_float_equal(f.w[i], 0, 0);
    nmf_free(&f);
    sparse_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recovers_planted_factorisation),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_rel_err_is_the_factors_error),
        cmocka_unit_test(test_svd_singular_values),
        cmocka_unit_test(test_svd_known_decomposition),
        cmocka_unit_test(test_svd_modest_gap),
        cmocka_unit_test(test_svd_deterministic),
        cmocka_unit_test(test_svd_rank_deficient),
        cmocka_unit_test(test_svd_frequent),
        cmocka_unit_test(test_fit_from_frequent_terms),
        cmocka_unit_test(test_invalid_input),
        cmocka_unit_test(test_zero_matrix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
