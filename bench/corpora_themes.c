/* corpora_themes.c: ahphub's side of bench/corpora.sh (themes on labelled Debian corpora)
 *
 * Usage: corpora_themes [-r R] [-s SEED] [--kmin A --kmax B] [--assign OUT] FILE K
 *   FILE  "label<TAB>text" lines (bench/corpora_build.py); up to MAXLABELS labels
 *   K     themes wanted; 0 lets themes_fit choose k in [A, B] (default 3..10, its own
 *         default), so the automatic k can be compared with the number of labels
 *   OUT   also writes "label<TAB>theme" for each text, in order (each text's strongest
 *         theme), so other scores than the NMI can be read from it (bench/k_curve.sh)
 * Runs themes_fit() as the server does (themes_fit's defaults written out as in
 * bench/themes_compare.c: min_df 2, max_df 0.8, bigrams, max_iter 200, tol 1e-4, stop words
 * data/stopwords-en.txt read from the working directory) R times on the texts already in
 * memory and prints one JSON line with the median seconds (and CPU seconds, steadier when
 * other work shares the cores) and the NMI (geometric normalisation, as scikit-learn's
 * normalized_mutual_info_score) between each text's strongest theme and its label:
 *   {"bench":"corpora_themes","system":"ahphub","texts":N,"labels":L,"k":K,"seconds":S,
 *    "nmi":X,"terms":T,...}
 * With no arguments (as `make bench` runs every bench binary) it says that bench/corpora.sh
 * drives it and exits 0, since its corpora are built by that script.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/themes.h"
#include "timing.h"

#define MAXLABELS 64
#define MAXK      64

struct corpus {
    char *buf;
    struct text_span *docs;
    int *label;
    size_t n;
    char *names[MAXLABELS];
    size_t nnames;
};

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *b;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b = malloc((size_t)n + 1);
    if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        fclose(f);
        return NULL;
    }
    fclose(f);
    b[n] = '\0';
    *len = (size_t)n;
    return b;
}

static int label_id(struct corpus *c, const char *name, size_t len)
{
    for (size_t i = 0; i < c->nnames; i++)
        if (strlen(c->names[i]) == len && memcmp(c->names[i], name, len) == 0)
            return (int)i;
    if (c->nnames == MAXLABELS || !(c->names[c->nnames] = strndup(name, len)))
        return -1;
    return (int)c->nnames++;
}

/* Reads the file in place: each line's text becomes a span of the buffer. */
static int corpus_read(struct corpus *c, const char *path)
{
    size_t len, lines = 1;
    char *s = slurp(path, &len);
    if (!s)
        return -1;
    for (size_t i = 0; i < len; i++)
        lines += s[i] == '\n';
    c->buf = s;
    c->docs = malloc(lines * sizeof *c->docs);
    c->label = malloc(lines * sizeof *c->label);
    if (!c->docs || !c->label)
        return -1;
    for (size_t i = 0; i < len;) {
        char *nl = memchr(s + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - s) : len;
        char *tab = memchr(s + i, '\t', e - i);
        if (tab && (size_t)(tab - s) + 1 < e) {
            int lab = label_id(c, s + i, (size_t)(tab - s) - i);
            if (lab < 0)
                return -1;
            c->docs[c->n].s = tab + 1;
            c->docs[c->n].len = e - (size_t)(tab - s) - 1;
            c->label[c->n++] = lab;
        }
        i = e + 1;
    }
    return 0;
}

/* One "label<TAB>theme" line per text, in the file's order. */
static int assign_write(const char *path, const struct corpus *c, const int *got)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    for (size_t i = 0; i < c->n; i++)
        fprintf(f, "%s\t%d\n", c->names[c->label[i]], got[i]);
    return fclose(f) == 0 ? 0 : -1;
}

static double nmi(const int *a, const int *b, size_t n, size_t na, size_t nb)
{
    static size_t joint[MAXK][MAXLABELS];
    size_t ca[MAXK] = {0}, cb[MAXLABELS] = {0};
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

int main(int argc, char **argv)
{
    struct corpus c = {0};
    struct themes_input in = {0};
    struct themes_result res = {0};
    size_t k, kmin = 0, kmax = 0, stop_len = 0;
    uint64_t seed = 1;
    int rounds = 1, a = 1, rc = 1, *got = NULL;
    double secs[16], cpus[16], tol = 1e-4;
    unsigned iter = 200;
    char *stop = NULL;
    const char *assign = NULL;
    if (argc == 1) {
        fprintf(stderr, "corpora_themes: run by bench/corpora.sh, which builds its corpora\n");
        return 0;
    }
    for (; a + 1 < argc && argv[a][0] == '-'; a += 2) {
        if (!strcmp(argv[a], "-r"))
            rounds = atoi(argv[a + 1]);
        else if (!strcmp(argv[a], "-s"))
            seed = strtoull(argv[a + 1], NULL, 10);
        else if (!strcmp(argv[a], "--kmin"))
            kmin = (size_t)atoi(argv[a + 1]);
        else if (!strcmp(argv[a], "--kmax"))
            kmax = (size_t)atoi(argv[a + 1]);
        else if (!strcmp(argv[a], "--tol"))
            tol = strtod(argv[a + 1], NULL);
        else if (!strcmp(argv[a], "--iter"))
            iter = (unsigned)atoi(argv[a + 1]);
        else if (!strcmp(argv[a], "--assign"))
            assign = argv[a + 1];
        else
            break;
    }
    if (argc - a != 2 || rounds < 1 || rounds > 16) {
        fprintf(stderr, "usage: corpora_themes [-r R] [-s SEED] [--kmin A --kmax B] "
                        "[--assign OUT] FILE K\n");
        return 2;
    }
    k = (size_t)strtoull(argv[a + 1], NULL, 10);
    if (k > MAXK || kmax > MAXK) {
        fprintf(stderr, "corpora_themes: k at most %d\n", MAXK);
        return 2;
    }
    if (corpus_read(&c, argv[a]) != 0 || !(got = malloc((c.n + 1) * sizeof *got))) {
        fprintf(stderr, "corpora_themes: cannot read %s (or more than %d labels)\n", argv[a],
                MAXLABELS);
        goto done;
    }
    if (!(stop = slurp("data/stopwords-en.txt", &stop_len)))
        fprintf(stderr, "corpora_themes: data/stopwords-en.txt not found; no stop words\n");
    in.docs = c.docs;
    in.n = c.n;
    in.k = k;
    in.kmin = kmin;
    in.kmax = kmax;
    in.seed = seed;
    in.min_df = 2;
    in.max_df = 0.8;
    in.max_iter = iter;
    in.tol = tol;
    in.stopwords = stop;
    in.stopwords_len = stop_len;
    for (int r = 0; r < rounds; r++) {
        double t0 = now_s(), c0 = cpu_s();
        themes_result_free(&res);
        if (themes_fit(&in, &res) != 0) {
            fprintf(stderr, "corpora_themes: themes_fit failed\n");
            goto done;
        }
        secs[r] = now_s() - t0;
        cpus[r] = cpu_s() - c0;
    }
    qsort(secs, (size_t)rounds, sizeof secs[0], cmp_double);
    qsort(cpus, (size_t)rounds, sizeof cpus[0], cmp_double);
    for (size_t i = 0; i < c.n; i++) {
        size_t best = 0;
        for (size_t j = 1; j < res.k; j++)
            if (res.weights[i * res.k + j] > res.weights[i * res.k + best])
                best = j;
        got[i] = (int)best;
    }
    if (assign && assign_write(assign, &c, got) != 0) {
        fprintf(stderr, "corpora_themes: cannot write %s\n", assign);
        goto done;
    }
    printf("{\"bench\":\"corpora_themes\",\"system\":\"ahphub\",\"texts\":%zu,\"labels\":%zu,"
           "\"k\":%zu,\"k_asked\":%zu,\"seconds\":%.4f,\"cpu_seconds\":%.4f,\"nmi\":%.4f,"
           "\"terms\":%zu,"
           "\"rel_err\":%.5f,\"nmf_iter\":%u,\"seed\":%llu,\"first_labels\":[",
           c.n, c.nnames, res.k, k, secs[rounds / 2], cpus[rounds / 2],
           res.k ? nmi(got, c.label, c.n, res.k, c.nnames) : 0.0, res.nterms, res.rel_err,
           res.nmf_iter, (unsigned long long)seed);
    for (size_t j = 0; j < res.k && j < 3; j++) {
        printf("%s\"", j ? "," : "");
        for (const char *p = res.themes[j].label; *p; p++)
            if (*p == '"' || *p == '\\')
                printf("\\%c", *p);
            else if ((unsigned char)*p >= 0x20)
                putchar(*p);
        putchar('"');
    }
    printf("]");
    if (res.ntried) {
        printf(",\"tried\":[");
        for (size_t j = 0; j < res.ntried; j++)
            printf("%s[%zu,%.4f]", j ? "," : "", res.tried_k[j], res.tried_score[j]);
        printf("]");
    }
    printf("}\n");
    rc = 0;
done:
    themes_result_free(&res);
    free(got);
    free(stop);
    free(c.buf);
    free(c.docs);
    free(c.label);
    for (size_t i = 0; i < c.nnames; i++)
        free(c.names[i]);
    return rc;
}
