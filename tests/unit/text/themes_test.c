/* themes_test.c: the theme pipeline end to end, and theme quality on a labelled public corpus
 *
 * Quality corpus: the licence texts Debian ships in /usr/share/common-licenses (package
 * base-files, present on every Debian system; see /usr/share/doc/base-files/copyright).
 * The texts themselves are the licences (Apache-2.0, Artistic, GFDL-1.3, GPL-3, MPL-2.0),
 * whose verbatim copying and distribution each licence permits ("Everyone is permitted to
 * copy and distribute verbatim copies of this license document"; Apache and MPL likewise);
 * the test only reads them at run time and ships nothing. Each paragraph of 8 or more words
 * becomes a document labelled by its licence. The labels are not topics in the usual sense
 * (every licence talks of copies, source and warranty), so this is a hard, honest test: a
 * theme model that only found generic legal vocabulary would score near chance.
 *
 * Measure: normalised mutual information, NMI = I(T; L) / sqrt(H(T) H(L)), between each
 * document's strongest theme T and its licence L. Chance level is measured, not assumed: the
 * same theme assignment randomly permuted across documents (same theme sizes), averaged over
 * 50 shuffles with a fixed seed. Asserted: NMI >= chance + 0.20, with k = 5 fixed and with
 * k chosen automatically, which must land within 30% of the 5 licences. At the time of
 * writing (266 paragraphs): k = 5 gives NMI 0.284 against chance 0.021; automatic k picks 5
 * (the run prints the figures, the coherence of each k tried and the labels).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/rand.h"
#include "text/themes.h"

#define MAXDOCS 1024

struct corpus {
    char *text[8];
    struct text_span docs[MAXDOCS];
    int label[MAXDOCS];
    size_t n, nlabels;
    char *stop;
    size_t stop_len;
};

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *s = NULL;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (s = malloc((size_t)n + 1)) != NULL) {
        *len = fread(s, 1, (size_t)n, f);
        s[*len] = '\0';
    }
    fclose(f);
    return s;
}

static size_t words(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        w += (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\n') && s[i] != ' ' && s[i] != '\n';
    return w;
}

/* Splits text into paragraphs at blank (whitespace-only) lines. */
static void add_paragraphs(struct corpus *c, const char *s, size_t len, int label)
{
    size_t start = 0, i = 0;
    while (i <= len) {
        size_t e = i;
        int blank = 1;
        while (e < len && s[e] != '\n') {
            if (s[e] != ' ' && s[e] != '\t' && s[e] != '\f' && s[e] != '\r')
                blank = 0;
            e++;
        }
        if (blank || e >= len) {
            size_t end = blank ? i : len;
            if (end > start && words(s + start, end - start) >= 8 && c->n < MAXDOCS) {
                c->docs[c->n].s = s + start;
                c->docs[c->n].len = end - start;
                c->label[c->n++] = label;
            }
            start = e + 1;
        }
        i = e + 1;
    }
}

static int corpus_setup(void **state)
{
    static const char *const files[] = {"Apache-2.0", "Artistic", "GFDL-1.3", "GPL-3",
                                        "MPL-2.0"};
    struct corpus *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char path[128];
        size_t len = 0;
        snprintf(path, sizeof path, "/usr/share/common-licenses/%s", files[f]);
        c->text[f] = slurp(path, &len);
        if (!c->text[f])
            return -1;
        add_paragraphs(c, c->text[f], len, (int)f);
    }
    c->nlabels = sizeof files / sizeof files[0];
    c->stop = slurp("data/stopwords-en.txt", &c->stop_len);
    if (!c->stop)
        return -1;
    *state = c;
    return 0;
}

static int corpus_teardown(void **state)
{
    struct corpus *c = *state;
    for (size_t f = 0; f < 8; f++)
        free(c->text[f]);
    free(c->stop);
    free(c);
    return 0;
}

static double nmi(const int *a, const int *b, size_t n, size_t na, size_t nb)
{
    double joint[16][16] = {{0}}, pa[16] = {0}, pb[16] = {0}, mi = 0, ha = 0, hb = 0;
    for (size_t i = 0; i < n; i++) {
        joint[a[i]][b[i]] += 1.0 / (double)n;
        pa[a[i]] += 1.0 / (double)n;
        pb[b[i]] += 1.0 / (double)n;
    }
    for (size_t x = 0; x < na; x++)
        for (size_t y = 0; y < nb; y++)
            if (joint[x][y] > 0)
                mi += joint[x][y] * log(joint[x][y] / (pa[x] * pb[y]));
    for (size_t x = 0; x < na; x++)
        if (pa[x] > 0)
            ha -= pa[x] * log(pa[x]);
    for (size_t y = 0; y < nb; y++)
        if (pb[y] > 0)
            hb -= pb[y] * log(pb[y]);
    return ha > 0 && hb > 0 ? mi / sqrt(ha * hb) : 0;
}

/* Strongest theme per document (documents without terms go to theme 0: they are few and
 * this only makes the score worse). */
static void argmax_themes(const struct themes_result *r, int *t)
{
    for (size_t i = 0; i < r->ndocs; i++) {
        size_t best = 0;
        for (size_t j = 1; j < r->k; j++)
            if (r->weights[i * r->k + j] > r->weights[i * r->k + best])
                best = j;
        t[i] = (int)best;
    }
}

static double chance_nmi(const int *t, const int *labels, size_t n, size_t k, size_t nl)
{
    int *p = malloc(n * sizeof *p);
    struct rng r;
    double sum = 0;
    assert_non_null(p);
    rng_seed(&r, 2024);
    for (int s = 0; s < 50; s++) {
        memcpy(p, t, n * sizeof *p);
        for (size_t i = n; i > 1; i--) { /* Fisher-Yates */
            size_t j = (size_t)rng_below(&r, i);
            int tmp = p[i - 1];
            p[i - 1] = p[j];
            p[j] = tmp;
        }
        sum += nmi(p, labels, n, k, nl);
    }
    free(p);
    return sum / 50;
}

static double quality(const struct corpus *c, size_t k, struct themes_result *r)
{
    struct themes_input in = {0};
    int *t = malloc(c->n * sizeof *t);
    double got, base;
    assert_non_null(t);
    in.docs = c->docs;
    in.n = c->n;
    in.k = k;
    in.seed = 1;
    in.stopwords = c->stop;
    in.stopwords_len = c->stop_len;
    assert_int_equal(themes_fit(&in, r), APP_OK);
    argmax_themes(r, t);
    got = nmi(t, c->label, c->n, r->k, c->nlabels);
    base = chance_nmi(t, c->label, c->n, r->k, c->nlabels);
    printf("  licences: %zu paragraphs, k=%zu, NMI %.3f, chance %.3f, err %.3f\n", c->n, r->k,
           got, base, r->rel_err);
    for (size_t j = 0; j < r->ntried; j++)
        printf("    k=%zu coherence %.4f\n", r->tried_k[j], r->tried_score[j]);
    for (size_t j = 0; j < r->k; j++)
        printf("    theme %zu (%zu docs): %s\n", j, r->themes[j].size, r->themes[j].label);
    free(t);
    return got - base;
}

static void test_quality_fixed_k(void **state)
{
    struct themes_result r;
    double margin = quality(*state, 5, &r);
    assert_int_equal(r.k, 5);
    assert_true(margin >= 0.20);
    themes_result_free(&r);
}

static void test_quality_automatic_k(void **state)
{
    struct themes_result r;
    double margin = quality(*state, 0, &r);
    /* Range 3..26 (a theme per 10 of the 266 paragraphs): 3..10, 12, 14, ..., 24 are tried.
     * Issue 19's target: within 30% of the number of labels (5 licences). */
    assert_int_equal(r.ntried, 14);
    assert_int_equal(r.tried_k[8], 12);
    assert_int_equal(r.tried_k[13], 24);
    assert_true(r.k >= 4 && r.k <= 6);
    assert_true(margin >= 0.20);
    themes_result_free(&r);
}

/* A small survey with three planted subjects, repeated with variations. */
static const char *const survey[] = {
    "The waiting list for physio is far too long",
    "Waiting lists for physiotherapy are too long, I waited months",
    "I was on the waiting list for a year",
    "Long waiting lists stop people getting physio",
    "waiting list times are awful for children's therapy",
    "The staff were kind and caring and listened to me",
    "Kind staff, caring and patient with my mother",
    "Staff listened and were very kind",
    "caring staff who listened, thank you",
    "The staff were kind and caring and listened to me!",
    "Parking at the hospital is expensive and hard to find",
    "Hospital parking costs too much",
    "Could not find parking at the hospital, parking is expensive",
    "Parking charges at the hospital are unfair",
};

static void fit_survey(struct themes_result *r, size_t k, const char *stop, size_t stop_len)
{
    struct text_span docs[sizeof survey / sizeof survey[0]];
    struct themes_input in = {0};
    for (size_t i = 0; i < sizeof survey / sizeof survey[0]; i++) {
        docs[i].s = survey[i];
        docs[i].len = strlen(survey[i]);
    }
    in.docs = docs;
    in.n = sizeof survey / sizeof survey[0];
    in.k = k;
    in.seed = 7;
    in.stopwords = stop;
    in.stopwords_len = stop_len;
    assert_int_equal(themes_fit(&in, r), APP_OK);
}

static void test_survey_themes(void **state)
{
    struct corpus *c = *state;
    struct themes_result r;
    int seen[3] = {0};
    fit_survey(&r, 3, c->stop, c->stop_len);
    assert_int_equal(r.k, 3);
    for (size_t j = 0; j < 3; j++) {
        const struct theme *t = &r.themes[j];
        int subject;
        printf("    %s (%zu):", t->label, t->size);
        for (size_t q = 0; q < t->nterms; q++)
            printf(" %s", t->terms[q]);
        printf("\n");
        /* Each theme is one planted subject: its representatives all come from one block. */
        assert_true(t->nrepr >= 3 && t->nrepr <= THEMES_MAX_REPR);
        subject = t->repr[0] < 5 ? 0 : t->repr[0] < 10 ? 1 : 2;
        for (size_t q = 0; q < t->nrepr; q++) {
            int sq = t->repr[q] < 5 ? 0 : t->repr[q] < 10 ? 1 : 2;
            assert_int_equal(sq, subject);
            /* Documents 5 and 9 are the same text: never both representatives. */
            for (size_t p = 0; p < q; p++)
                assert_false((t->repr[p] == 5 && t->repr[q] == 9) ||
                             (t->repr[p] == 9 && t->repr[q] == 5));
        }
        seen[subject] = 1;
        /* Sizes count members; membership rule: weight >= half the document's max. */
        {
            size_t members = 0;
            for (size_t i = 0; i < r.ndocs; i++) {
                double mx = 0;
                for (size_t l = 0; l < r.k; l++)
                    mx = r.weights[i * r.k + l] > mx ? r.weights[i * r.k + l] : mx;
                assert_int_equal(r.member[i * r.k + j],
                                 mx > 0 && r.weights[i * r.k + j] >= 0.5 * mx);
                members += r.member[i * r.k + j];
            }
            assert_int_equal(members, t->size);
        }
        if (j > 0) /* largest first */
            assert_true(r.themes[j - 1].size >= t->size);
    }
    assert_true(seen[0] && seen[1] && seen[2]);
    /* Labels use surface forms and the top bigram: the waiting theme reads "waiting list…",
     * never the stem "wait list". */
    for (size_t j = 0; j < 3; j++)
        if (strstr(r.themes[j].label, "wait"))
            assert_non_null(strstr(r.themes[j].label, "waiting list"));
    themes_result_free(&r);
}

static void test_deterministic(void **state)
{
    struct corpus *c = *state;
    struct themes_input in = {0};
    struct themes_result a, b;
    (void)state;
    in.docs = c->docs;
    in.n = c->n;
    in.seed = 99;
    in.stopwords = c->stop;
    in.stopwords_len = c->stop_len;
    assert_int_equal(themes_fit(&in, &a), APP_OK);
    assert_int_equal(themes_fit(&in, &b), APP_OK);
    assert_int_equal(a.k, b.k);
    assert_memory_equal(a.weights, b.weights, a.ndocs * a.k * sizeof *a.weights);
    for (size_t j = 0; j < a.k; j++) {
        assert_string_equal(a.themes[j].label, b.themes[j].label);
        assert_int_equal(a.themes[j].nrepr, b.themes[j].nrepr);
        assert_memory_equal(a.themes[j].repr, b.themes[j].repr,
                            a.themes[j].nrepr * sizeof a.themes[j].repr[0]);
    }
    themes_result_free(&a);
    themes_result_free(&b);
}

/* A label's bigram is a phrase, not two words that happen to meet: "need shared" is in more
 * texts than "shared records" here, but "need" is in nearly every text, so its Dice score
 * is low and the label starts with "shared records". */
static void test_label_prefers_phrases(void **state)
{
    static const char *const texts[] = {
        "We need shared records", "We need shared records now", "We need shared notes",
        "We need shared notes today", "We need shared plans", "We need shared plans soon",
        "Shared records please", "Shared records would help",
        "We need more staff", "They need more staff", "Wards need more staff",
        "We need more staff today", "Clinics need more staff", "Teams need more staff now",
    };
    struct text_span docs[sizeof texts / sizeof texts[0]];
    struct themes_input in = {0};
    struct themes_result r;
    const struct corpus *c = *state;
    bool found = false;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        docs[i].s = texts[i];
        docs[i].len = strlen(texts[i]);
    }
    in.docs = docs;
    in.n = sizeof texts / sizeof texts[0];
    in.k = 2;
    in.seed = 1;
    in.stopwords = c->stop;
    in.stopwords_len = c->stop_len;
    assert_int_equal(themes_fit(&in, &r), APP_OK);
    for (size_t j = 0; j < r.k; j++) {
        bool has_need_shared = false;
        printf("    %s:", r.themes[j].label);
        for (size_t q = 0; q < r.themes[j].nterms; q++) {
            printf(" %s;", r.themes[j].terms[q]);
            has_need_shared |= strcmp(r.themes[j].terms[q], "need shared") == 0;
        }
        printf("\n");
        if (has_need_shared) {
            found = true;
            assert_memory_equal(r.themes[j].label, "shared records", strlen("shared records"));
        }
    }
    assert_true(found);
    themes_result_free(&r);
}

static void test_degenerate_inputs(void **state)
{
    static const struct text_span stopped[] = {{"the and of", 10}, {"it is what it is", 16},
                                               {"2019 2020", 9}};
    struct corpus *c = *state;
    struct themes_input in = {0};
    struct themes_result r;
    (void)state;
    assert_int_equal(themes_fit(&in, &r), APP_OK); /* no documents */
    assert_int_equal(r.k, 0);
    themes_result_free(&r);
    in.docs = stopped;
    in.n = 3;
    in.stopwords = c->stop;
    in.stopwords_len = c->stop_len;
    assert_int_equal(themes_fit(&in, &r), APP_OK); /* nothing but stop words and numbers */
    assert_int_equal(r.k, 0);
    assert_int_equal(r.nterms, 0);
    themes_result_free(&r);
    /* More themes asked for than the data allows: capped, not an error. */
    fit_survey(&r, 50, c->stop, c->stop_len);
    assert_true(r.k >= 2 && r.k <= 14);
    themes_result_free(&r);
    in.kmin = 5;
    in.kmax = 4;
    assert_int_equal(themes_fit(&in, &r), APP_E_INVALID);
    in.kmin = 0;
    in.kmax = 0;
    in.max_df = 2;
    assert_int_equal(themes_fit(&in, &r), APP_E_INVALID);
    assert_null(r.themes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_survey_themes),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_label_prefers_phrases),
        cmocka_unit_test(test_degenerate_inputs),
        cmocka_unit_test(test_quality_fixed_k),
        cmocka_unit_test(test_quality_automatic_k),
    };
    return cmocka_run_group_tests(tests, corpus_setup, corpus_teardown);
}
