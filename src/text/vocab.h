/* vocab.h: stop words, and the vocabulary of stems and bigrams with document frequencies
 *
 * vocab_build() turns documents into a docs x terms matrix of raw counts. A term is either a
 * unigram, the Snowball stem of a non-stop token ("waiting" -> "wait"), or a bigram of two
 * adjacent non-stop tokens in the same phrase ("waiting lists" -> "wait list"); a stop word,
 * a dropped token or clause punctuation between two words prevents the bigram. Terms found in
 * fewer than min_df documents or in more than max_df of them are dropped. Each term keeps its
 * most common surface form (as written, case-folded) for labels: "wait list" is shown as
 * "waiting list" when that is how people wrote it most often.
 */
#ifndef AHP_VOCAB_H
#define AHP_VOCAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text/sparse.h"
#include "text/tokenise.h"

/* ---- stop words ------------------------------------------------------------------------- */

struct stopwords;

/* Parses a stop-word list: one word per line, '#' starts a comment line, blank lines and
 * surrounding spaces/CR are ignored, words are case-folded like tokens (so the list is
 * matched against tokenise() output). text need not be NUL-terminated. *out is owned by the
 * caller (stopwords_free). Returns 0 or APP_E_NOMEM. */
int stopwords_parse(const char *text, size_t len, struct stopwords **out);

/* Reads and parses the file at path (for tools and tests; the server passes embedded text to
 * stopwords_parse). Returns 0, APP_E_IO (cannot read), or APP_E_NOMEM. */
int stopwords_load(const char *path, struct stopwords **out);

/* True if the case-folded token w[0..n) is a stop word. sw may be NULL (nothing is). */
bool stopwords_has(const struct stopwords *sw, const char *w, size_t n);

/* Number of words in the list. */
size_t stopwords_count(const struct stopwords *sw);

/* NULL is allowed. */
void stopwords_free(struct stopwords *sw);

/* ---- vocabulary ------------------------------------------------------------------------- */

struct vocab_options {
    const struct stopwords *stop; /* NULL: no stop words */
    bool bigrams;                 /* add bigram terms */
    size_t min_df;                /* keep terms in >= min_df documents (0 counts as 1) */
    double max_df;                /* keep terms in <= max_df * ndocs documents; 0 means 1.0 */
    const char *language;         /* BCP 47 tag for the stemmer (text/stem.h); NULL: English */
};

struct vocab_term {
    const char *key;   /* the stem, or "stem1 stem2" for a bigram */
    const char *label; /* its most common surface form: "waiting", "waiting list" */
    uint32_t df;       /* documents containing it */
    bool bigram;
};

struct vocab {
    size_t n;               /* terms: unigrams first (ids 0..nunigrams-1), then bigrams */
    size_t nunigrams;
    struct vocab_term *t;   /* n entries; strings point into pool */
    char *pool;
};

/* Builds the vocabulary of docs[0..ndocs) and *counts (ndocs x v->n, raw term counts, one row
 * per document in order; a document with no surviving terms has an empty row). Terms are
 * numbered in order of first appearance within each kind, so the result depends only on the
 * input. Both outputs are owned by the caller (vocab_free, sparse_free) and are zeroed on
 * error. Returns 0, APP_E_NOMEM, APP_E_TOOBIG (over 2^31 distinct terms or a document too
 * large for tokenise), or APP_E_INVALID (max_df outside (0, 1]). */
int vocab_build(const struct text_span *docs, size_t ndocs, const struct vocab_options *opt,
                struct vocab *v, struct sparse *counts);

/* The id of the term whose key is key ("wait", "wait list"), or -1. Linear: for tests and
 * tools, not inner loops. */
long vocab_find(const struct vocab *v, const char *key);

void vocab_free(struct vocab *v);

#endif
