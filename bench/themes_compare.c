/* themes_compare.c: ahphub's side of bench/themes_compare.sh (themes against scikit-learn)
 *
 * Usage:
 *   themes_compare                          10,000 texts made in memory, k = 5: one JSON line
 *   themes_compare --gen N FILE             write N texts to FILE, one "label<TAB>text" a line
 *   themes_compare [-v] [-r R] [-s SEED] FILE [K]   ahphub's pipeline on FILE, k = K (default 5)
 * With no arguments (as `make bench` runs every bench binary) it does the smallest size of the
 * comparison on its own, without scikit-learn; bench/themes_compare.sh runs both sides.
 *
 * Corpus. Short texts sampled from a labelled corpus: the licences Debian ships in
 * /usr/share/common-licenses (Apache-2.0, Artistic, GFDL-1.3, GPL-3, MPL-2.0; the same texts
 * and paragraph rule as tests/unit/text/themes_test.c, which explains why they may be used).
 * Each text: a licence chosen uniformly, a word position chosen uniformly in that licence's
 * paragraphs of 8 or more words, then 8 to 25 consecutive words of that paragraph (the whole
 * paragraph when it is shorter), joined by single spaces, punctuation kept; its label is the
 * licence. xoshiro256** with a fixed seed, so N always gives the same file. The licences hold
 * about 14,000 words, so from 100,000 texts on the fragments repeat and overlap a great deal:
 * the vocabulary stops growing and only the document count does, which is what a timing
 * curve over N should isolate.
 *
 * Timing. seconds is the wall time of themes_fit() alone, the texts already in memory (file
 * reading is excluded, as it is on the Python side): tokenise (NFKC, case folding), stop
 * words, Snowball stems and bigrams, min_df/max_df cut-offs, sublinear TF-IDF with l2 rows,
 * NNDSVDa + HALS NMF with k fixed, then labels, top terms, memberships, coherence and
 * representative documents. With -r R the pipeline runs R times and the median is printed.
 * -s sets themes_fit's seed (the NMF start's random SVD; default 1), -v prints the themes.
 * nmi: normalised mutual information I(T; L) / sqrt(H(T) H(L)) between each text's strongest
 * theme T and its licence L (as in themes_test.c; scikit-learn's average_method="geometric").
 * Options are themes_fit's defaults, written out so the Python side can match them: min_df 2,
 * max_df 0.8, bigrams on, max_iter 200, tol 1e-4, seed 1 (-s), stop words data/stopwords-en.txt
 * (read from the working directory: run from the repository root).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rand.h"
#include "text/themes.h"
#include "timing.h"

#define NLIC      5
#define MAXLABELS 16
#define SEED      20250101u

static const char *const licences[NLIC] = {"Apache-2.0", "Artistic", "GFDL-1.3", "GPL-3",
                                           "MPL-2.0"};

struct word {
    const char *s;
    size_t len;
    size_t para_start, para_end; /* word indices of its paragraph, [start, end) */
};

struct source {
    char *text[NLIC];
    struct word *w[NLIC];
    size_t nw[NLIC];
};

struct corpus {
    char *buf; /* texts, each followed by a NUL */
    size_t len, cap;
    struct text_span *docs;
    int *label;
    size_t n, cap_docs;
    char *names[MAXLABELS];
    size_t nnames;
};

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *s = NULL;
    long n;
    *len = 0;
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

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\r' || c == '\n' || c == '\v';
}

/* Appends the words of paragraph s[0..n) to the source's list for licence l when it has at
 * least 8 of them. Returns 0 or -1 (no memory). */
static int add_paragraph(struct source *src, int l, const char *s, size_t n, size_t *cap)
{
    size_t count = 0, first = src->nw[l];
    for (size_t i = 0; i < n; i++)
        count += !is_space(s[i]) && (i == 0 || is_space(s[i - 1]));
    if (count < 8)
        return 0;
    if (src->nw[l] + count > *cap) {
        size_t ncap = (src->nw[l] + count) * 2;
        struct word *nw = realloc(src->w[l], ncap * sizeof *nw);
        if (!nw)
            return -1;
        src->w[l] = nw;
        *cap = ncap;
    }
    for (size_t i = 0; i < n;) {
        size_t j = i;
        if (is_space(s[i])) {
            i++;
            continue;
        }
        while (j < n && !is_space(s[j]))
            j++;
        src->w[l][src->nw[l]].s = s + i;
        src->w[l][src->nw[l]++].len = j - i;
        i = j;
    }
    for (size_t q = first; q < src->nw[l]; q++) {
        src->w[l][q].para_start = first;
        src->w[l][q].para_end = src->nw[l];
    }
    return 0;
}

/* Reads the licences and splits them into paragraphs at blank lines (themes_test.c's rule). */
static int source_load(struct source *src)
{
    for (int l = 0; l < NLIC; l++) {
        char path[128];
        size_t len, start = 0, i = 0, cap = 0;
        snprintf(path, sizeof path, "/usr/share/common-licenses/%s", licences[l]);
        if (!(src->text[l] = slurp(path, &len))) {
            fprintf(stderr, "themes_compare: cannot read %s\n", path);
            return -1;
        }
        const char *s = src->text[l];
        while (i <= len) {
            size_t e = i;
            int blank = 1;
            while (e < len && s[e] != '\n') {
                blank &= is_space(s[e]);
                e++;
            }
            if (blank || e >= len) {
                size_t end = blank ? i : len;
                if (end > start && add_paragraph(src, l, s + start, end - start, &cap) != 0)
                    return -1;
                start = e + 1;
            }
            i = e + 1;
        }
        if (src->nw[l] == 0) {
            fprintf(stderr, "themes_compare: %s has no paragraph of 8 words\n", path);
            return -1;
        }
    }
    return 0;
}

static void source_free(struct source *src)
{
    for (int l = 0; l < NLIC; l++) {
        free(src->text[l]);
        free(src->w[l]);
    }
}

static int corpus_reserve(struct corpus *c, size_t bytes)
{
    if (c->len + bytes > c->cap) {
        size_t ncap = (c->len + bytes) * 2;
        char *nb = realloc(c->buf, ncap);
        if (!nb)
            return -1;
        c->buf = nb;
        c->cap = ncap;
    }
    if (c->n == c->cap_docs) {
        size_t ncap = c->cap_docs ? c->cap_docs * 2 : 1024;
        struct text_span *nd = realloc(c->docs, ncap * sizeof *nd);
        int *nl = nd ? realloc(c->label, ncap * sizeof *nl) : NULL;
        if (nd)
            c->docs = nd;
        if (!nl)
            return -1;
        c->label = nl;
        c->cap_docs = ncap;
    }
    return 0;
}

/* The label's number, adding the name when it is new. Returns -1 past MAXLABELS. */
static int label_id(struct corpus *c, const char *name, size_t len)
{
    for (size_t i = 0; i < c->nnames; i++)
        if (strlen(c->names[i]) == len && memcmp(c->names[i], name, len) == 0)
            return (int)i;
    if (c->nnames == MAXLABELS || !(c->names[c->nnames] = strndup(name, len)))
        return -1;
    return (int)c->nnames++;
}

/* Appends text s[0..len) labelled lab; the span is fixed up by corpus_spans(). */
static int corpus_add(struct corpus *c, int lab, const char *s, size_t len)
{
    if (corpus_reserve(c, len + 1) != 0)
        return -1;
    memcpy(c->buf + c->len, s, len);
    c->buf[c->len + len] = '\0';
    c->docs[c->n].s = (const char *)(uintptr_t)c->len; /* offset until the buffer settles */
    c->docs[c->n].len = len;
    c->label[c->n++] = lab;
    c->len += len + 1;
    return 0;
}

static void corpus_spans(struct corpus *c)
{
    for (size_t i = 0; i < c->n; i++)
        c->docs[i].s = c->buf + (uintptr_t)c->docs[i].s;
}

static void corpus_free(struct corpus *c)
{
    free(c->buf);
    free(c->docs);
    free(c->label);
    for (size_t i = 0; i < c->nnames; i++)
        free(c->names[i]);
    memset(c, 0, sizeof *c);
}

/* n texts sampled from the licences (see the header). */
static int corpus_generate(struct corpus *c, const struct source *src, size_t n)
{
    struct rng r;
    char text[4096];
    rng_seed(&r, SEED);
    for (int l = 0; l < NLIC; l++)
        if (label_id(c, licences[l], strlen(licences[l])) != l)
            return -1;
    for (size_t i = 0; i < n; i++) {
        int l = (int)rng_below(&r, NLIC);
        size_t pos = (size_t)rng_below(&r, src->nw[l]), want = 8 + (size_t)rng_below(&r, 18);
        const struct word *w = src->w[l];
        size_t ps = w[pos].para_start, pe = w[pos].para_end, start = pos, len = 0;
        if (pe - ps <= want)
            start = ps, want = pe - ps;
        else if (start + want > pe)
            start = pe - want;
        for (size_t q = start; q < start + want; q++) {
            if (len + w[q].len + 1 >= sizeof text)
                break;
            if (len)
                text[len++] = ' ';
            memcpy(text + len, w[q].s, w[q].len);
            len += w[q].len;
        }
        if (corpus_add(c, l, text, len) != 0)
            return -1;
    }
    corpus_spans(c);
    return 0;
}

/* Reads "label<TAB>text" lines; lines without a tab or with empty text are skipped. */
static int corpus_read(struct corpus *c, const char *path)
{
    size_t len;
    char *s = slurp(path, &len);
    if (!s) {
        fprintf(stderr, "themes_compare: cannot read %s\n", path);
        return -1;
    }
    for (size_t i = 0; i < len;) {
        char *nl = memchr(s + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - s) : len;
        char *tab = memchr(s + i, '\t', e - i);
        if (tab && (size_t)(tab - s) + 1 < e) {
            int lab = label_id(c, s + i, (size_t)(tab - s) - i);
            size_t t = (size_t)(tab - s) + 1;
            if (lab < 0 || corpus_add(c, lab, s + t, e - t) != 0) {
                fprintf(stderr, "themes_compare: too many labels or no memory\n");
                free(s);
                return -1;
            }
        }
        i = e + 1;
    }
    free(s);
    corpus_spans(c);
    return 0;
}

static int corpus_write(const struct corpus *c, const char *path)
{
    FILE *f = fopen(path, "wb");
    int rc = 0;
    if (!f) {
        fprintf(stderr, "themes_compare: cannot write %s\n", path);
        return -1;
    }
    for (size_t i = 0; i < c->n && rc == 0; i++)
        if (fprintf(f, "%s\t%.*s\n", c->names[c->label[i]], (int)c->docs[i].len, c->docs[i].s) < 0)
            rc = -1;
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

/* NMI with geometric normalisation, from counts (exact at any n). */
static double nmi(const int *a, const int *b, size_t n, size_t na, size_t nb)
{
    static size_t joint[MAXLABELS * 2][MAXLABELS];
    size_t ca[MAXLABELS * 2] = {0}, cb[MAXLABELS] = {0};
    double mi = 0, ha = 0, hb = 0, dn = (double)n;
    memset(joint, 0, sizeof joint);
    for (size_t i = 0; i < n; i++) {
        joint[a[i]][b[i]]++;
        ca[a[i]]++;
        cb[b[i]]++;
    }
    for (size_t x = 0; x < na; x++)
        for (size_t y = 0; y < nb; y++)
            if (joint[x][y])
                mi += (double)joint[x][y] / dn *
                      log((double)joint[x][y] * dn / ((double)ca[x] * (double)cb[y]));
    for (size_t x = 0; x < na; x++)
        if (ca[x])
            ha -= (double)ca[x] / dn * log((double)ca[x] / dn);
    for (size_t y = 0; y < nb; y++)
        if (cb[y])
            hb -= (double)cb[y] / dn * log((double)cb[y] / dn);
    return ha > 0 && hb > 0 ? mi / sqrt(ha * hb) : 0;
}

/* Runs themes_fit rounds times on c and prints the JSON line. */
static int run(const struct corpus *c, size_t k, int rounds, uint64_t seed, int verbose)
{
    size_t stop_len = 0;
    char *stop = slurp("data/stopwords-en.txt", &stop_len);
    struct themes_input in = {0};
    struct themes_result res = {0};
    double secs[64];
    int *got = malloc((c->n + 1) * sizeof *got), rc = 1;

    if (!stop)
        fprintf(stderr, "themes_compare: data/stopwords-en.txt not found; no stop words\n");
    if (!got || k > MAXLABELS * 2)
        goto done;
    in.docs = c->docs;
    in.n = c->n;
    in.k = k;
    in.seed = seed;
    in.min_df = 2;
    in.max_df = 0.8;
    in.max_iter = 200;
    in.tol = 1e-4;
    in.stopwords = stop;
    in.stopwords_len = stop_len;
    for (int r = 0; r < rounds; r++) {
        double t0 = now_s();
        themes_result_free(&res);
        if (themes_fit(&in, &res) != 0) {
            fprintf(stderr, "themes_compare: themes_fit failed\n");
            goto done;
        }
        secs[r] = now_s() - t0;
    }
    qsort(secs, (size_t)rounds, sizeof secs[0], cmp_double);
    for (size_t i = 0; i < c->n; i++) {
        size_t best = 0;
        for (size_t j = 1; j < res.k; j++)
            if (res.weights[i * res.k + j] > res.weights[i * res.k + best])
                best = j;
        got[i] = (int)best;
    }
    printf("{\"bench\":\"themes_vs_sklearn\",\"texts\":%zu,\"system\":\"ahphub\",\"k\":%zu,"
           "\"seconds\":%.4f,\"nmi\":%.4f,\"terms\":%zu,\"rel_err\":%.5f,\"seed\":%llu}\n",
           c->n, res.k, secs[rounds / 2], nmi(got, c->label, c->n, res.k, c->nnames), res.nterms,
           res.rel_err, (unsigned long long)seed);
    fflush(stdout);
    if (verbose)
        for (size_t j = 0; j < res.k; j++) {
            fprintf(stderr, "  theme %zu (%zu texts): %s |", j, res.themes[j].size,
                    res.themes[j].label);
            for (size_t q = 0; q < res.themes[j].nterms; q++)
                fprintf(stderr, " %s;", res.themes[j].terms[q]);
            fprintf(stderr, "\n");
        }
    rc = 0;
done:
    themes_result_free(&res);
    free(got);
    free(stop);
    return rc;
}

static void usage(void)
{
    fprintf(stderr, "usage: themes_compare                      (10000 texts, k = 5)\n"
                    "       themes_compare --gen N FILE\n"
                    "       themes_compare [-v] [-r ROUNDS] [-s SEED] FILE [K]\n");
}

int main(int argc, char **argv)
{
    struct source src = {0};
    struct corpus c = {0};
    int rc = 1, verbose = 0, rounds = 1, a = 1;
    size_t k = NLIC;
    uint64_t seed = 1;

    if (argc == 1 || (argc == 4 && !strcmp(argv[1], "--gen"))) {
        size_t n = argc == 1 ? 10000 : (size_t)strtoull(argv[2], NULL, 10);
        if (n == 0) {
            usage();
            return 2;
        }
        if (source_load(&src) == 0 && corpus_generate(&c, &src, n) == 0)
            rc = argc == 1 ? run(&c, k, 1, 1, 0) : corpus_write(&c, argv[3]) != 0;
        goto done;
    }
    for (; a < argc && argv[a][0] == '-'; a++) {
        if (!strcmp(argv[a], "-v"))
            verbose = 1;
        else if (!strcmp(argv[a], "-r") && a + 1 < argc)
            rounds = atoi(argv[++a]);
        else if (!strcmp(argv[a], "-s") && a + 1 < argc)
            seed = strtoull(argv[++a], NULL, 10);
        else
            break;
    }
    if (a >= argc || argc - a > 2 || rounds < 1 || rounds > 64) {
        usage();
        return 2;
    }
    if (argc - a == 2)
        k = (size_t)strtoull(argv[a + 1], NULL, 10);
    if (k < 1 || k > MAXLABELS * 2) {
        usage();
        return 2;
    }
    if (corpus_read(&c, argv[a]) == 0)
        rc = run(&c, k, rounds, seed, verbose);
done:
    if (rc)
        fprintf(stderr, "themes_compare: failed\n");
    corpus_free(&c);
    source_free(&src);
    return rc;
}
