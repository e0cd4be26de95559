/* tfidf_test.c: sublinear TF-IDF with smooth idf and l2 rows, against values worked by hand */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/err.h"
#include "text/sparse.h"
#include "text/tfidf.h"
#include "text/vocab.h"

#define EPS 1e-12

static double entry(const struct sparse *m, size_t i, long col)
{
    for (size_t p = m->rowptr[i]; p < m->rowptr[i + 1]; p++)
        if ((long)m->col[p] == col)
            return m->val[p];
    return 0;
}

/* Three documents, no stop words, no bigrams:
 *   d0 "wait wait staff"   d1 "staff kind"   d2 "wait long"
 * n = 3; df: wait 2, staff 2, kind 1, long 1.
 *   idf(wait) = idf(staff) = ln((1+3)/(1+2)) + 1 = ln(4/3) + 1 = 1.2876820724517808
 *   idf(kind) = idf(long)  = ln((1+3)/(1+1)) + 1 = ln 2 + 1   = 1.6931471805599454
 * d0: wait tf 2 -> (1 + ln 2) * 1.28768207 = 1.69314718 * 1.28768207 = 2.18023527042932
 *     staff tf 1 -> 1 * 1.28768207 = 1.2876820724517808
 *     norm = sqrt(2.18023527^2 + 1.28768207^2) = sqrt(4.75342584 + 1.65812512) = 2.53210405673577
 *     wait = 2.18023527 / 2.53210406 = 0.8610369959439765
 *     staff = 1.28768207 / 2.53210406 = 0.5085423203783268
 * d1: staff 1.28768207, kind 1.69314718; norm = 2.1271747682670097
 *     staff = 0.6053485081062916, kind = 0.7959605415681652
 * d2: wait 1.28768207, long 1.69314718: the same numbers as d1. */
static void test_hand_computed(void **state)
{
    static const struct text_span docs[] = {
        {"wait wait staff", 15}, {"staff kind", 10}, {"wait long", 9}};
    struct vocab_options o = {0};
    struct vocab v;
    struct sparse m;
    double idf[4];
    long wait, staff, kind, lng;
    (void)state;
    assert_int_equal(vocab_build(docs, 3, &o, &v, &m), APP_OK);
    assert_int_equal(v.n, 4);
    wait = vocab_find(&v, "wait");
    staff = vocab_find(&v, "staff");
    kind = vocab_find(&v, "kind");
    lng = vocab_find(&v, "long");
    assert_int_equal(tfidf_weight(&m, idf), APP_OK);
    assert_float_equal(idf[wait], 1.2876820724517808, EPS);
    assert_float_equal(idf[staff], 1.2876820724517808, EPS);
    assert_float_equal(idf[kind], 1.6931471805599454, EPS);
    assert_float_equal(idf[lng], 1.6931471805599454, EPS);
    assert_float_equal(entry(&m, 0, wait), 0.8610369959439765, EPS);
    assert_float_equal(entry(&m, 0, staff), 0.5085423203783268, EPS);
    assert_float_equal(entry(&m, 0, kind), 0, 0);
    assert_float_equal(entry(&m, 1, staff), 0.6053485081062916, EPS);
    assert_float_equal(entry(&m, 1, kind), 0.7959605415681652, EPS);
    assert_float_equal(entry(&m, 2, wait), 0.6053485081062916, EPS);
    assert_float_equal(entry(&m, 2, lng), 0.7959605415681652, EPS);
    for (size_t i = 0; i < 3; i++) /* unit rows */
        assert_float_equal(sparse_row_dot(&m, i, i), 1, EPS);
    /* cos(d0, d1) = staff*staff only = 0.50854232 * 0.60534851 */
    assert_float_equal(sparse_row_dot(&m, 0, 1), 0.5085423203783268 * 0.6053485081062916, EPS);
    vocab_free(&v);
    sparse_free(&m);
}

static void test_term_in_every_document_keeps_weight(void **state)
{
    /* df = n: idf = ln(4/4) + 1 = 1, not 0, so a one-word answer still has a unit row. */
    static const struct text_span docs[] = {{"care", 4}, {"care", 4}, {"care care", 9}};
    struct vocab_options o = {0};
    struct vocab v;
    struct sparse m;
    double idf[1];
    (void)state;
    assert_int_equal(vocab_build(docs, 3, &o, &v, &m), APP_OK);
    assert_int_equal(tfidf_weight(&m, idf), APP_OK);
    assert_float_equal(idf[0], 1, EPS);
    for (size_t i = 0; i < 3; i++)
        assert_float_equal(m.val[m.rowptr[i]], 1, EPS);
    vocab_free(&v);
    sparse_free(&m);
}

static void test_empty_rows_stay_empty(void **state)
{
    struct sparse m;
    (void)state;
    assert_int_equal(sparse_alloc(&m, 2, 3, 1), APP_OK);
    m.rowptr[1] = 0; /* row 0 empty */
    m.rowptr[2] = 1;
    m.col[0] = 2;
    m.val[0] = 5;
    assert_int_equal(tfidf_weight(&m, NULL), APP_OK);
    assert_int_equal(m.rowptr[1], 0);
    assert_float_equal(m.val[0], 1, EPS);
    sparse_free(&m);
}

static void test_transpose_and_products(void **state)
{
    /* [[1 0 2] [0 3 0]] */
    struct sparse m, t;
    double d[3 * 2] = {1, 2, 3, 4, 5, 6}, o[2 * 2], ot[3 * 2], e[2 * 2] = {1, 0, 0, 1};
    (void)state;
    assert_int_equal(sparse_alloc(&m, 2, 3, 3), APP_OK);
    m.rowptr[1] = 2;
    m.rowptr[2] = 3;
    m.col[0] = 0, m.val[0] = 1;
    m.col[1] = 2, m.val[1] = 2;
    m.col[2] = 1, m.val[2] = 3;
    sparse_mul_dense(&m, d, 2, o); /* [1*1+2*5, 1*2+2*6; 3*3, 3*4] */
    assert_float_equal(o[0], 11, 0);
    assert_float_equal(o[1], 14, 0);
    assert_float_equal(o[2], 9, 0);
    assert_float_equal(o[3], 12, 0);
    sparse_tmul_dense(&m, e, 2, ot); /* m^T */
    assert_float_equal(ot[0], 1, 0);
    assert_float_equal(ot[3], 3, 0);
    assert_float_equal(ot[4], 2, 0);
    assert_int_equal(sparse_transpose(&m, &t), APP_OK);
    assert_int_equal(t.rows, 3);
    assert_int_equal(t.rowptr[3], 3);
    assert_int_equal(t.col[t.rowptr[2]], 0);
    assert_float_equal(t.val[t.rowptr[2]], 2, 0);
    assert_float_equal(sparse_sqnorm(&t), 14, 0);
    sparse_free(&m);
    sparse_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_computed),
        cmocka_unit_test(test_term_in_every_document_keeps_weight),
        cmocka_unit_test(test_empty_rows_stay_empty),
        cmocka_unit_test(test_transpose_and_products),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
