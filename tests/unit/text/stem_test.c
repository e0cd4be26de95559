/* stem_test.c: Snowball stems in English, German and every language of the table (or none),
 * and how stems and bigrams make the vocabulary */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/err.h"
#include "text/language.h"
#include "text/stem.h"
#include "text/vocab.h"

static void test_porter2_stems(void **state)
{
    /* Expected values are Porter2 (Snowball "english") as published with the algorithm's
     * sample vocabulary; the last pairs show words that should and should not meet. */
    static const char *const cases[][2] = {
        {"waiting", "wait"},          {"waits", "wait"},           {"waited", "wait"},
        {"lists", "list"},            {"communication", "communic"}, {"communicate", "communic"},
        {"generously", "generous"},   {"running", "run"},          {"appointments", "appoint"},
        {"therapists", "therapist"},  {"physiotherapy", "physiotherapi"}, {"caring", "care"},
        {"cares", "care"},            {"staffing", "staf"},        {"staff", "staff"},
        {"news", "news"},             {"dying", "die"},            {"skies", "sky"},
        {"don't", "don't"},           {"café", "café"},
    };
    struct stemmer *st = NULL;
    (void)state;
    assert_int_equal(stemmer_new(&st), APP_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *s = NULL;
        size_t n = 0;
        assert_int_equal(stemmer_stem(st, cases[i][0], strlen(cases[i][0]), &s, &n), APP_OK);
        if (strcmp(s, cases[i][1]) != 0)
            print_error("%s: want %s, got %s\n", cases[i][0], cases[i][1], s);
        assert_string_equal(s, cases[i][1]);
        assert_int_equal(n, strlen(cases[i][1]));
    }
    stemmer_free(st);
    stemmer_free(NULL);
}

/* Stemming follows the language: German words meet their German stems, which English rules
 * would leave alone; a tag with a region stems as its language. */
static void test_german_stems(void **state)
{
    static const char *const cases[][2] = {
        {"wohnungen", "wohnung"}, {"wohnung", "wohnung"},   {"häuser", "haus"},
        {"gebäude", "gebaud"},    {"gebäuden", "gebaud"},   {"sanierungen", "sanier"},
        {"sanierung", "sanier"},  {"kinder", "kind"},       {"mieten", "miet"},
    };
    static const char *const tags[] = {"de", "de-AT", "DE_ch"};
    struct stemmer *st = NULL, *en = NULL;
    const char *s;
    size_t n;
    (void)state;
    for (size_t t = 0; t < sizeof tags / sizeof tags[0]; t++) {
        assert_int_equal(stemmer_new_lang(tags[t], &st), APP_OK);
        assert_true(stemmer_stems(st));
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            assert_int_equal(stemmer_stem(st, cases[i][0], strlen(cases[i][0]), &s, &n), APP_OK);
            assert_string_equal(s, cases[i][1]);
            assert_int_equal(n, strlen(cases[i][1]));
        }
        stemmer_free(st);
    }
    /* the English stemmer does not know these words: the language matters */
    assert_int_equal(stemmer_new_lang(NULL, &en), APP_OK);
    assert_int_equal(stemmer_stem(en, "wohnungen", 9, &s, &n), APP_OK);
    assert_string_equal(s, "wohnungen");
    stemmer_free(en);
}

/* Every language of the table opens: with its Snowball algorithm when it names one, else as
 * no stemming (words come back unchanged, never stemmed by English rules); a tag the table
 * does not know is refused. */
static void test_every_language_and_no_stemming(void **state)
{
    size_t n, unstemmed = 0;
    const struct language *all = language_all(&n);
    struct stemmer *st = NULL;
    const char *s;
    size_t len;
    (void)state;
    assert_true(n >= 40);
    for (size_t i = 0; i < n; i++) {
        if (stemmer_new_lang(all[i].code, &st) != APP_OK)
            fail_msg("%s (%s): Snowball \"%s\" does not open", all[i].code, all[i].name,
                     all[i].snowball ? all[i].snowball : "-");
        assert_int_equal(stemmer_stems(st), all[i].snowball != NULL);
        if (!all[i].snowball) {
            /* "running" would be "run" in English */
            assert_int_equal(stemmer_stem(st, "running", 7, &s, &len), APP_OK);
            assert_string_equal(s, "running");
            assert_int_equal(len, 7);
            unstemmed++;
        }
        stemmer_free(st);
    }
    assert_true(unstemmed >= 10); /* Welsh, Polish, Chinese, Japanese, ... */
    assert_int_equal(stemmer_new_lang("cy", &st), APP_OK);
    assert_int_equal(stemmer_stem(st, "meddygon", 8, &s, &len), APP_OK);
    assert_string_equal(s, "meddygon");
    stemmer_free(st);
    st = (struct stemmer *)1;
    assert_int_equal(stemmer_new_lang("xx", &st), APP_E_INVALID);
    assert_null(st);
    assert_int_equal(stemmer_new_lang("english", &st), APP_E_INVALID);
}

static void test_vocab_stems_surfaces_and_bigrams(void **state)
{
    static const struct text_span docs[] = {
        {"Waiting lists are long. Waiting lists!", 38},
        {"The waiting list was long; staff waited", 39},
        {"staff were kind", 15},
    };
    struct stopwords *sw = NULL;
    struct vocab v;
    struct sparse c;
    struct vocab_options o = {0};
    long wl, wait, staff, lw;
    (void)state;
    assert_int_equal(stopwords_parse("the\nare\nwas\nwere\n", 18, &sw), APP_OK);
    o.stop = sw;
    o.bigrams = true;
    assert_int_equal(vocab_build(docs, 3, &o, &v, &c), APP_OK);
    wl = vocab_find(&v, "wait list");
    wait = vocab_find(&v, "wait");
    staff = vocab_find(&v, "staff");
    assert_true(wl >= 0 && wait >= 0 && staff >= 0);
    /* Unigrams come first. */
    assert_true((size_t)wait < v.nunigrams && (size_t)wl >= v.nunigrams);
    assert_true(v.t[wl].bigram);
    /* "waiting" (3 uses) beats "waited" (1) as the surface of "wait". */
    assert_string_equal(v.t[wait].label, "waiting");
    /* "waiting lists" twice, "waiting list" once. */
    assert_string_equal(v.t[wl].label, "waiting lists");
    assert_int_equal(v.t[wl].df, 2);
    assert_int_equal(v.t[wait].df, 2);
    /* No bigram across the full stop ("long waiting"), nor across the stop word "were". */
    assert_int_equal(vocab_find(&v, "long wait"), -1);
    assert_int_equal(vocab_find(&v, "staff kind"), -1);
    assert_int_equal(vocab_find(&v, "list long"), -1); /* "are" sits between */
    assert_true(vocab_find(&v, "staff wait") >= 0);
    lw = vocab_find(&v, "the");
    assert_int_equal(lw, -1);
    /* Counts: doc 0 has "wait" twice and "wait list" twice; doc 2 has staff and kind. */
    assert_int_equal(c.rows, 3);
    assert_int_equal(c.cols, v.n);
    for (size_t p = c.rowptr[0]; p < c.rowptr[1]; p++)
        if (c.col[p] == (uint32_t)wait || c.col[p] == (uint32_t)wl)
            assert_true(c.val[p] == 2);
    assert_int_equal(c.rowptr[3] - c.rowptr[2], 2);
    for (size_t i = 0; i < c.rows; i++) /* sorted columns */
        for (size_t p = c.rowptr[i] + 1; p < c.rowptr[i + 1]; p++)
            assert_true(c.col[p - 1] < c.col[p]);
    vocab_free(&v);
    sparse_free(&c);

    /* Cut-offs: min_df 2 keeps terms in two or more documents; max_df 0.5 drops "wait" and
     * "staff" (in 2 of 3 documents, above 1.5). */
    o.min_df = 2;
    assert_int_equal(vocab_build(docs, 3, &o, &v, &c), APP_OK);
    assert_true(vocab_find(&v, "wait") >= 0);
    assert_int_equal(vocab_find(&v, "kind"), -1);
    vocab_free(&v);
    sparse_free(&c);
    o.min_df = 1;
    o.max_df = 0.5;
    assert_int_equal(vocab_build(docs, 3, &o, &v, &c), APP_OK);
    assert_int_equal(vocab_find(&v, "wait"), -1);
    assert_int_equal(vocab_find(&v, "staff"), -1);
    assert_true(vocab_find(&v, "kind") >= 0);
    vocab_free(&v);
    sparse_free(&c);
    o.max_df = 1.5;
    assert_int_equal(vocab_build(docs, 3, &o, &v, &c), APP_E_INVALID);
    stopwords_free(sw);
}

static void test_vocab_empty_inputs(void **state)
{
    static const struct text_span docs[] = {{"", 0}, {"2019 !!!", 8}};
    struct vocab v;
    struct sparse c;
    struct vocab_options o = {0};
    (void)state;
    assert_int_equal(vocab_build(docs, 2, &o, &v, &c), APP_OK);
    assert_int_equal(v.n, 0);
    assert_int_equal(c.rows, 2);
    assert_int_equal(c.nnz, 0);
    vocab_free(&v);
    sparse_free(&c);
    assert_int_equal(vocab_build(NULL, 0, &o, &v, &c), APP_OK);
    assert_int_equal(c.rows, 0);
    vocab_free(&v);
    sparse_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_porter2_stems),
        cmocka_unit_test(test_german_stems),
        cmocka_unit_test(test_every_language_and_no_stemming),
        cmocka_unit_test(test_vocab_stems_surfaces_and_bigrams),
        cmocka_unit_test(test_vocab_empty_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
