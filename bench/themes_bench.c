/* themes_bench.c: wall time of the theme pipeline on synthetic survey answers, with an anchor
 *
 * Usage: themes_bench [N ...] (default 5000 20000). For each N, N short answers are generated
 * with a fixed seed from eight planted subjects (phrase lists in the style of NHS feedback)
 * plus shared filler, so the same N always gives the same texts. Printed, one JSON line per
 * figure:
 *   {"bench":"themes","docs":N,"k":8,"seconds":S,"nmi":X}       themes_fit with k = 8 fixed
 *   {"bench":"themes_auto","docs":N,"k":K,"seconds":S,"nmi":X}  k chosen within 3..10
 *   {"bench":"themes_anchor","docs":N,"seconds":S}              tokenise + stem every token
 * The anchor runs in the same process on the same texts, so the ratio seconds/anchor
 * compares across machines better than the absolute figure. nmi is the normalised mutual
 * information between each answer's strongest theme and its planted subject.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rand.h"
#include "text/stem.h"
#include "text/themes.h"
#include "text/tokenise.h"
#include "timing.h"

#define SUBJECTS 8

static const char *const phrases[SUBJECTS][6] = {
    {"the waiting list for physio is too long", "I waited months for an appointment",
     "waiting times for therapy are getting worse", "long waits to be seen by a therapist",
     "the referral took ages", "nobody told me how long the wait would be"},
    {"the staff were kind and caring", "the therapist listened to me",
     "friendly staff who explained everything", "compassionate nurses and therapists",
     "they treated me with dignity", "the team were patient and supportive"},
    {"parking at the hospital is expensive", "could not find a parking space",
     "the car park charges are unfair", "public transport to the clinic is poor",
     "the bus does not go near the hospital", "travel costs to appointments add up"},
    {"the online booking system kept crashing", "video appointments worked well",
     "the app would not let me log in", "digital records were not shared between teams",
     "I had to repeat my history to every clinic", "the portal needs better accessibility"},
    {"there are not enough speech and language therapists", "staff shortages mean cancelled clinics",
     "the team is overstretched and burnt out", "recruitment of occupational therapists is hard",
     "agency staff change every week", "vacancies in the service are never filled"},
    {"my child needed support at school", "paediatric therapy for children is hard to get",
     "the school nurse referred my son", "young people fall through the gaps",
     "transition from children's to adult services is poor", "family support was excellent"},
    {"mental health support should be offered", "anxiety and depression after my injury",
     "the counsellor helped me cope", "psychological support alongside physio",
     "talking therapies have a long waiting time", "wellbeing checks would help"},
    {"exercises to do at home were useful", "the leaflet of home exercises helped",
     "rehabilitation at home after surgery", "a home visit from the occupational therapist",
     "equipment for my home was delivered late", "I would like more follow up at home"},
};

static const char *const filler[] = {"overall", "to be honest", "in my experience",
                                     "last year", "as a carer", "for my mum", "thank you",
                                     "on the whole", "sadly", "again and again"};

static double nmi(const int *a, const int *b, size_t n, size_t na, size_t nb)
{
    static double joint[16][16];
    double pa[16] = {0}, pb[16] = {0}, mi = 0, ha = 0, hb = 0;
    memset(joint, 0, sizeof joint);
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

/* One answer: one or two phrases of its subject, sometimes one of another subject, and
 * filler, in "Phrase. phrase, filler" form. Returns a malloc'd string. */
static char *make_doc(struct rng *r, int subject)
{
    char buf[512];
    size_t len = 0;
    int parts = 1 + (int)rng_below(r, 2);
    for (int p = 0; p < parts; p++) {
        int w = snprintf(buf + len, sizeof buf - len, "%s%s", p ? ". " : "",
                         phrases[subject][rng_below(r, 6)]);
        len += (size_t)w;
    }
    if (rng_below(r, 4) == 0)
        len += (size_t)snprintf(buf + len, sizeof buf - len, ", and %s",
                                phrases[rng_below(r, SUBJECTS)][rng_below(r, 6)]);
    if (rng_below(r, 2) == 0)
        len += (size_t)snprintf(buf + len, sizeof buf - len, ", %s",
                                filler[rng_below(r, sizeof filler / sizeof filler[0])]);
    buf[0] = (char)(buf[0] >= 'a' && buf[0] <= 'z' ? buf[0] - 32 : buf[0]);
    return strndup(buf, len);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *s = NULL;
    long n;
    *len = 0;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (s = malloc((size_t)n + 1)) != NULL)
        *len = fread(s, 1, (size_t)n, f);
    fclose(f);
    return s;
}

static int run(size_t n, const char *stop, size_t stop_len)
{
    struct text_span *docs = calloc(n, sizeof *docs);
    int *label = calloc(n, sizeof *label), *got = calloc(n, sizeof *got);
    struct themes_input in = {0};
    struct themes_result res;
    struct tokens tk = {0};
    struct stemmer *st = NULL;
    struct rng r;
    double t0, anchor, sec;
    size_t stems = 0;
    int rc = 1;

    if (!docs || !label || !got || stemmer_new(&st) != 0)
        goto done;
    rng_seed(&r, 20240601);
    for (size_t i = 0; i < n; i++) {
        label[i] = (int)rng_below(&r, SUBJECTS);
        docs[i].s = make_doc(&r, label[i]);
        if (!docs[i].s)
            goto done;
        docs[i].len = strlen(docs[i].s);
    }
    /* Anchor: tokenise and stem every token, no caching. */
    t0 = now_s();
    for (size_t i = 0; i < n; i++) {
        if (tokenise(&tk, docs[i].s, docs[i].len) != 0)
            goto done;
        for (size_t k = 0; k < tk.n; k++) {
            const char *s;
            size_t sl;
            if (stemmer_stem(st, tokens_str(&tk, k), tk.v[k].len, &s, &sl) != 0)
                goto done;
            stems += sl > 0;
        }
    }
    anchor = now_s() - t0;
    printf("{\"bench\":\"themes_anchor\",\"docs\":%zu,\"tokens\":%zu,\"seconds\":%.4f}\n", n,
           stems, anchor);

    in.docs = docs;
    in.n = n;
    in.seed = 1;
    in.stopwords = stop;
    in.stopwords_len = stop_len;
    for (int pass = 0; pass < 2; pass++) {
        in.k = pass == 0 ? SUBJECTS : 0;
        t0 = now_s();
        if (themes_fit(&in, &res) != 0)
            goto done;
        sec = now_s() - t0;
        for (size_t i = 0; i < n; i++) {
            size_t best = 0;
            for (size_t j = 1; j < res.k; j++)
                if (res.weights[i * res.k + j] > res.weights[i * res.k + best])
                    best = j;
            got[i] = (int)best;
        }
        printf("{\"bench\":\"%s\",\"docs\":%zu,\"k\":%zu,\"terms\":%zu,\"seconds\":%.4f,"
               "\"ratio_to_anchor\":%.2f,\"nmi\":%.3f}\n",
               pass == 0 ? "themes" : "themes_auto", n, res.k, res.nterms, sec,
               anchor > 0 ? sec / anchor : 0, nmi(got, label, n, res.k, SUBJECTS));
        fflush(stdout);
        themes_result_free(&res);
    }
    rc = 0;
done:
    for (size_t i = 0; docs && i < n; i++)
        free((char *)docs[i].s);
    free(docs);
    free(label);
    free(got);
    tokens_free(&tk);
    stemmer_free(st);
    if (rc)
        fprintf(stderr, "themes_bench: failed at %zu documents\n", n);
    return rc;
}

int main(int argc, char **argv)
{
    size_t stop_len;
    char *stop = slurp("data/stopwords-en.txt", &stop_len);
    int rc = 0;

    if (!stop)
        fprintf(stderr, "themes_bench: data/stopwords-en.txt not found; no stop words\n");
    if (argc < 2) {
        rc |= run(5000, stop, stop_len);
        rc |= run(20000, stop, stop_len);
    }
    for (int a = 1; a < argc; a++)
        rc |= run((size_t)strtoul(argv[a], NULL, 10), stop, stop_len);
    free(stop);
    return rc;
}
