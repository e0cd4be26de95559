/* themes_corpora_test.c: theme quality on real labelled text, Debian's package descriptions
 *
 * The corpora are bench/corpora_build.py's packages-N, built here the same way from what apt
 * knows on this machine (`apt-cache dumpavail`: every package of the package lists that
 * `apt-get update` fetched, which scripts/deps runs whenever it installs anything): the
 * one-line description (the synopsis) of each package, labelled by its Section with an area
 * prefix such as contrib/ removed, the first record of a package name only, keeping the N
 * largest sections (ties by name); a synopsis that appears more than once in a section is kept
 * once, one found in two sections is dropped, and the texts are ordered by (section, text).
 * Nothing is shipped: the texts are read at run time.
 *
 * Measure: NMI (geometric normalisation, as scikit-learn's normalized_mutual_info_score)
 * between each text's strongest theme and its section, with k = N fixed, as bench/corpora.sh
 * does. Floors: the figure measured on Debian bookworm's lists (December 2026) minus 0.03,
 * which leaves room for the lists to change with point releases but not for a pipeline that
 * lost its way (a random assignment scores under 0.01) nor for one without the k-means
 * refinement of themes.c (NMF's strongest theme alone scored 0.474 on packages-5):
 *     packages-5   23,885 texts  measured 0.523  floor 0.49
 *     packages-15  42,941 texts  measured 0.369  floor 0.34
 *     packages-30  54,700 texts  measured 0.300  floor 0.27
 * When apt knows fewer than 20,000 packages (the lists were removed, as some container images
 * do, and nothing has run apt-get update since), the test is skipped with that message: the
 * installed packages alone are too few, and too different between machines, for a floor.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "text/themes.h"

#define MIN_PACKAGES 20000

struct pkg {
    const char *name, *section, *text;
    size_t order;
};

struct packages {
    char *buf;
    struct pkg *p;
    size_t n;
    char *stop;
    size_t stop_len;
};

static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 1 << 20, n = 0, got;
    char *b = malloc(cap);
    while (b && (got = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2) {
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                return NULL;
            }
            b = nb;
            cap *= 2;
        }
    }
    if (b)
        b[n] = '\0';
    *len = n;
    return b;
}

/* The value of field "name:" on the line at s, or NULL. Lines starting with a space are
 * continuations and never match. */
static char *field(char *s, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(s, name, n) != 0 || s[n] != ':')
        return NULL;
    s += n + 1;
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* Collapses runs of whitespace into one space and trims, in place. */
static void squeeze(char *s)
{
    char *d = s;
    for (char *p = s; *p; p++) {
        if (isspace((unsigned char)*p)) {
            if (d > s && d[-1] != ' ')
                *d++ = ' ';
        } else {
            *d++ = *p;
        }
    }
    if (d > s && d[-1] == ' ')
        d--;
    *d = '\0';
}

static int cmp_name(const void *a, const void *b)
{
    const struct pkg *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

static int cmp_text(const void *a, const void *b)
{
    const struct pkg *x = a, *y = b;
    int c = strcmp(x->text, y->text);
    return c ? c : strcmp(x->section, y->section);
}

static int cmp_section_text(const void *a, const void *b)
{
    const struct pkg *x = a, *y = b;
    int c = strcmp(x->section, y->section);
    return c ? c : strcmp(x->text, y->text);
}

/* Reads apt-cache dumpavail into one record per package name (its first record). */
static int setup(void **state)
{
    struct packages *ps = calloc(1, sizeof *ps);
    FILE *f = popen("apt-cache dumpavail 2>/dev/null", "r");
    size_t len = 0, cap = 0, keep = 0;
    struct pkg cur = {0};
    char *line;

    assert_non_null(ps);
    if (f) {
        ps->buf = read_all(f, &len);
        pclose(f);
    }
    for (line = ps->buf; line && *line;) {
        char *nl = strchr(line, '\n'), *v;
        if (nl)
            *nl = '\0';
        if ((v = field(line, "Package")))
            cur.name = v;
        else if ((v = field(line, "Section")))
            cur.section = strrchr(v, '/') ? strrchr(v, '/') + 1 : v;
        else if ((v = field(line, "Description")))
            cur.text = v;
        if (*line == '\0' || !nl) { /* end of a stanza */
            if (cur.name && cur.section && cur.text && *cur.text) {
                if (ps->n == cap) {
                    cap = cap ? cap * 2 : 4096;
                    ps->p = realloc(ps->p, cap * sizeof *ps->p);
                    assert_non_null(ps->p);
                }
                squeeze((char *)cur.text);
                cur.order = ps->n;
                ps->p[ps->n++] = cur;
            }
            memset(&cur, 0, sizeof cur);
        }
        line = nl ? nl + 1 : NULL;
    }
    if (ps->n) { /* the first record of each package name */
        qsort(ps->p, ps->n, sizeof *ps->p, cmp_name);
        for (size_t i = 0; i < ps->n; i++)
            if (i == 0 || strcmp(ps->p[i].name, ps->p[i - 1].name) != 0)
                ps->p[keep++] = ps->p[i];
        ps->n = keep;
    }
    {
        FILE *sf = fopen("data/stopwords-en.txt", "rb");
        if (sf) {
            ps->stop = read_all(sf, &ps->stop_len);
            fclose(sf);
        }
        assert_non_null(ps->stop);
    }
    *state = ps;
    return 0;
}

static int teardown(void **state)
{
    struct packages *ps = *state;
    free(ps->buf);
    free(ps->p);
    free(ps->stop);
    free(ps);
    return 0;
}

struct count {
    const char *section;
    size_t n;
};

static int cmp_count(const void *a, const void *b)
{
    const struct count *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return strcmp(x->section, y->section);
}

/* NMI (geometric) between labelings a (values < na) and b (values < nb). */
static double nmi(const int *a, const int *b, size_t n, size_t na, size_t nb)
{
    double *joint = calloc(na * nb, sizeof *joint), *pa = calloc(na, sizeof *pa),
           *pb = calloc(nb, sizeof *pb), mi = 0, ha = 0, hb = 0;
    assert_non_null(joint);
    assert_non_null(pa);
    assert_non_null(pb);
    for (size_t i = 0; i < n; i++) {
        joint[(size_t)a[i] * nb + (size_t)b[i]] += 1.0 / (double)n;
        pa[a[i]] += 1.0 / (double)n;
        pb[b[i]] += 1.0 / (double)n;
    }
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            if (joint[i * nb + j] > 0)
                mi += joint[i * nb + j] * log(joint[i * nb + j] / (pa[i] * pb[j]));
    for (size_t i = 0; i < na; i++)
        if (pa[i] > 0)
            ha -= pa[i] * log(pa[i]);
    for (size_t j = 0; j < nb; j++)
        if (pb[j] > 0)
            hb -= pb[j] * log(pb[j]);
    free(joint);
    free(pa);
    free(pb);
    return ha > 0 && hb > 0 ? mi / sqrt(ha * hb) : 0;
}

/* Builds packages-top (the top largest sections), fits k = top themes, returns the NMI. */
static double corpus_nmi(struct packages *ps, size_t top, size_t *ntexts)
{
    struct pkg *rows = malloc((ps->n + 1) * sizeof *rows), *kept;
    struct count *counts = calloc(ps->n + 1, sizeof *counts);
    const char *sections[64];
    struct text_span *docs;
    struct themes_input in = {0};
    struct themes_result r;
    int *label, *got;
    size_t nc = 0, nr = 0, nk = 0;
    double score;

    assert_non_null(rows);
    assert_non_null(counts);
    assert_true(top <= 64);
    memcpy(rows, ps->p, ps->n * sizeof *rows);
    qsort(rows, ps->n, sizeof *rows, cmp_section_text);
    for (size_t i = 0; i < ps->n; i++) { /* packages per section */
        if (nc == 0 || strcmp(counts[nc - 1].section, rows[i].section) != 0)
            counts[nc++].section = rows[i].section;
        counts[nc - 1].n++;
    }
    qsort(counts, nc, sizeof *counts, cmp_count);
    assert_true(nc >= top);
    for (size_t s = 0; s < top; s++)
        sections[s] = counts[s].section;
    for (size_t i = 0; i < ps->n; i++) /* in the kept sections */
        for (size_t s = 0; s < top; s++)
            if (strcmp(rows[i].section, sections[s]) == 0) {
                rows[nr++] = rows[i];
                break;
            }
    qsort(rows, nr, sizeof *rows, cmp_text);
    kept = malloc((nr + 1) * sizeof *kept);
    assert_non_null(kept);
    for (size_t i = 0, j; i < nr; i = j) { /* each text once, and only under one section */
        bool one = true;
        for (j = i + 1; j < nr && strcmp(rows[j].text, rows[i].text) == 0; j++)
            one = one && strcmp(rows[j].section, rows[i].section) == 0;
        if (one)
            kept[nk++] = rows[i];
    }
    qsort(kept, nk, sizeof *kept, cmp_section_text);
    docs = malloc((nk + 1) * sizeof *docs);
    label = malloc((nk + 1) * sizeof *label);
    got = malloc((nk + 1) * sizeof *got);
    assert_non_null(docs);
    assert_non_null(label);
    assert_non_null(got);
    for (size_t i = 0; i < nk; i++) {
        docs[i].s = kept[i].text;
        docs[i].len = strlen(kept[i].text);
        for (size_t s = 0; s < top; s++)
            if (strcmp(kept[i].section, sections[s]) == 0)
                label[i] = (int)s;
    }
    in.docs = docs;
    in.n = nk;
    in.k = top;
    in.seed = 1;
    in.stopwords = ps->stop;
    in.stopwords_len = ps->stop_len;
    assert_int_equal(themes_fit(&in, &r), APP_OK);
    assert_int_equal(r.k, top);
    for (size_t i = 0; i < nk; i++) {
        size_t best = 0;
        for (size_t j = 1; j < r.k; j++)
            if (r.weights[i * r.k + j] > r.weights[i * r.k + best])
                best = j;
        got[i] = (int)best;
    }
    score = nmi(got, label, nk, r.k, top);
    printf("  packages-%zu: %zu texts, k=%zu, NMI %.4f; themes:", top, nk, r.k, score);
    for (size_t j = 0; j < r.k && j < 5; j++)
        printf("%s %s", j ? ";" : "", r.themes[j].label);
    printf("\n");
    *ntexts = nk;
    themes_result_free(&r);
    free(rows);
    free(counts);
    free(kept);
    free(docs);
    free(label);
    free(got);
    return score;
}

static void check_corpus(void **state, size_t top, double floor)
{
    struct packages *ps = *state;
    size_t n = 0;
    if (ps->n < MIN_PACKAGES) {
        printf("  SKIP: apt knows %zu packages (fewer than %d): its package lists are absent; "
               "run apt-get update (scripts/deps does when it installs anything)\n",
               ps->n, MIN_PACKAGES);
        skip();
    }
    assert_true(corpus_nmi(ps, top, &n) >= floor);
    assert_true(n > 1000);
}

static void test_packages_5(void **state)
{
    check_corpus(state, 5, 0.49);
}

static void test_packages_15(void **state)
{
    check_corpus(state, 15, 0.34);
}

static void test_packages_30(void **state)
{
    check_corpus(state, 30, 0.27);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packages_5),
        cmocka_unit_test(test_packages_15),
        cmocka_unit_test(test_packages_30),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
