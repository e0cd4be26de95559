/* stem.h: Snowball stemming (libstemmer) in the language of the text, behind a small handle
 *
 * A stemmer keeps state between calls and is NOT thread-safe: give each thread (or each
 * analysis run) its own. Input is expected to be a case-folded token from tokenise().
 * The language chooses the Snowball algorithm (text/language.h lists them: English is
 * Porter2, German "german", ...). A language Snowball has no algorithm for (Welsh, Polish,
 * Chinese, ...) gets a stemmer that returns every word unchanged: no stemming, never another
 * language's rules.
 */
#ifndef AHP_STEM_H
#define AHP_STEM_H

#include <stdbool.h>
#include <stddef.h>

struct stemmer;

/* A new stemmer for the BCP 47 tag language ("en", "de", "de-AT"; NULL or "" is English)
 * in *out. Returns 0, APP_E_INVALID (a tag text/language.h does not know) or APP_E_NOMEM.
 * Free it with stemmer_free(). */
int stemmer_new_lang(const char *language, struct stemmer **out);

/* The English (Porter2) stemmer: stemmer_new_lang("en", out). */
int stemmer_new(struct stemmer **out);

/* NULL is allowed. */
void stemmer_free(struct stemmer *st);

/* False when the stemmer leaves words as they are (no Snowball algorithm for its language). */
bool stemmer_stems(const struct stemmer *st);

/* Stems w[0..n). On success *stem points at the NUL-terminated stem (*stem_len bytes),
 * owned by the stemmer and valid until its next call or stemmer_free(). Returns 0,
 * APP_E_NOMEM, or APP_E_TOOBIG if n does not fit libstemmer's int. */
int stemmer_stem(struct stemmer *st, const char *w, size_t n, const char **stem,
                 size_t *stem_len);

#endif
