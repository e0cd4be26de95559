/* themes.h: themes in a set of free-text answers (tokenise -> TF-IDF -> NMF -> k-means -> labels)
 *
 * The whole theme pipeline over plain documents, with no database and no HTTP: the caller
 * hands in texts and gets back themes with readable labels, top terms, sizes, per-document
 * weights, memberships and representative documents. Agreement and audience breakdowns are
 * the caller's (it knows the votes and the participants). Deterministic: the same documents
 * in the same order with the same options give byte-identical results.
 */
#ifndef AHP_THEMES_H
#define AHP_THEMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text/tokenise.h"

#define THEMES_MAX_REPR 5   /* representative documents per theme */
#define THEMES_TOP_TERMS 10 /* top terms reported per theme */
#define THEMES_KMIN 3          /* automatic k: at least this many themes */
#define THEMES_KMAX 30         /* and at most this many */
#define THEMES_TEXTS_PER_K 10  /* and at most one theme for every this many texts */

struct themes_input {
    const struct text_span *docs; /* n documents (UTF-8; invalid bytes are tolerated) */
    size_t n;
    size_t k;          /* themes wanted; 0 chooses automatically within [kmin, kmax] */
    size_t kmin, kmax; /* 0: THEMES_KMIN, and n / THEMES_TEXTS_PER_K within [kmin, THEMES_KMAX].
                          Every k is capped by the documents and terms there are */
    uint64_t seed;     /* NMF's SVD start; any value, 0 included */
    size_t min_df;     /* terms in fewer documents are dropped; 0: 2 (1 under 20 documents) */
    double max_df;     /* terms in more than this fraction of documents are dropped; 0: 0.8 */
    bool no_bigrams;   /* unigrams only */
    unsigned max_iter; /* NMF iterations; 0: 200 */
    double tol;        /* NMF tolerance; 0: 1e-4 */
    double member_ratio; /* a document belongs to theme j when its weight for j is at least
                            this fraction of its largest weight; 0: 0.5 */
    const char *stopwords; /* stop-word list text (format of data/stopwords-en.txt), or NULL */
    size_t stopwords_len;
    const char *language; /* BCP 47 tag (text/language.h): its Snowball stemmer and, when
                             stopwords is NULL, its shipped stop-word list. NULL: English
                             stemming and only the stop words given */
};

struct theme {
    size_t index;       /* original NMF component (for debugging; columns are re-ordered) */
    char *label;        /* "waiting list · access · staff" (U+00B7 between parts) */
    char *terms[THEMES_TOP_TERMS]; /* top terms, surface forms, by weight */
    size_t nterms;
    size_t size;        /* member documents */
    size_t repr[THEMES_MAX_REPR]; /* representative document indices, best first */
    size_t nrepr;
    double coherence;   /* mean NPMI of its top unigrams over the documents, in [-1, 1] */
};

struct themes_result {
    size_t k;             /* themes found (0 when there were no usable terms) */
    size_t ndocs, nterms; /* documents in, vocabulary size after cut-offs */
    struct theme *themes; /* k themes, largest first (ties: lower component first) */
    double *weights;      /* ndocs x k, row-major; column j belongs to themes[j]: the cosine
                             similarity, in [0, 1], of the document's tf-idf vector with the
                             theme's centroid; the largest is its strongest theme. A row of
                             zeros means the document had no usable terms */
    unsigned char *member; /* ndocs x k: 1 when document i belongs to themes[j] */
    double rel_err;       /* NMF's ||X - WH|| / ||X|| (the factorisation refined into themes) */
    unsigned nmf_iter;    /* NMF's iterations for the k chosen */
    double coherence;     /* mean of the themes' coherence */
    size_t ntried;        /* automatic k: the k values tried and their mean coherence */
    size_t tried_k[16];
    double tried_score[16];
};

/* Finds the themes of in->docs. *out is owned by the caller (themes_result_free) and is
 * zeroed on error. Returns 0, APP_E_INVALID (bad options: kmin > kmax, max_df outside
 * [0, 1], member_ratio outside [0, 1], more than 16 k values to try, a language tag
 * text/language.h does not know), APP_E_NOMEM, or
 * APP_E_TOOBIG (a document or the vocabulary too large). Fewer than 2 usable documents or
 * terms give k = 0 and return 0. */
int themes_fit(const struct themes_input *in, struct themes_result *out);

void themes_result_free(struct themes_result *r);

#endif
