/* stem.h: English Snowball stemming (libstemmer) behind a small handle
 *
 * A stemmer keeps state between calls and is NOT thread-safe: give each thread (or each
 * analysis run) its own. Input is expected to be a case-folded token from tokenise().
 */
#ifndef AHP_STEM_H
#define AHP_STEM_H

#include <stddef.h>

struct stemmer;

/* A new English (Porter2) stemmer for UTF-8 text in *out. Returns 0 or APP_E_NOMEM.
 * Free it with stemmer_free(). */
int stemmer_new(struct stemmer **out);

/* NULL is allowed. */
void stemmer_free(struct stemmer *st);

/* Stems w[0..n). On success *stem points at the NUL-terminated stem (*stem_len bytes),
 * owned by the stemmer and valid until its next call or stemmer_free(). Returns 0,
 * APP_E_NOMEM, or APP_E_TOOBIG if n does not fit libstemmer's int. */
int stemmer_stem(struct stemmer *st, const char *w, size_t n, const char **stem,
                 size_t *stem_len);

#endif
