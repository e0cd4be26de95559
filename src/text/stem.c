/* stem.c: Snowball stemming (libstemmer) in the language of the text, behind a small handle
 *
 * libstemmer's "english" algorithm is Porter2, the improved Porter stemmer: "waiting",
 * "waits" and "waited" all become "wait", "communication" and "communicate" both
 * "communic"; "german" makes "Wohnungen" and "Wohnung" both "wohnung". Stems are keys, not
 * words: labels use the most common surface form of a stem (vocab.c), never the stem itself.
 * libstemmer returns NULL only when out of memory (the algorithm names come from the table in
 * language.c, and stem_test opens every one). Without an algorithm the word is copied into
 * the stemmer's own buffer, so callers see the same ownership either way.
 */
#include "text/stem.h"

#include <libstemmer.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "text/language.h"

struct stemmer {
    struct sb_stemmer *sb; /* NULL: no stemming */
    char *buf;             /* the unstemmed copy */
    size_t cap;
};

int stemmer_new_lang(const char *language, struct stemmer **out)
{
    const struct language *lang = language_find(language);
    struct stemmer *st;
    int rc = APP_E_NOMEM;

    *out = NULL;
    if (!lang)
        return APP_E_INVALID;
    if (!(st = calloc(1, sizeof *st)))
        goto done;
    if (lang->snowball && !(st->sb = sb_stemmer_new(lang->snowball, "UTF_8")))
        goto done;
    *out = st;
    st = NULL;
    rc = APP_OK;
done:
    free(st);
    return rc;
}

int stemmer_new(struct stemmer **out)
{
    return stemmer_new_lang(LANGUAGE_DEFAULT, out);
}

void stemmer_free(struct stemmer *st)
{
    if (!st)
        return;
    if (st->sb)
        sb_stemmer_delete(st->sb);
    free(st->buf);
    free(st);
}

bool stemmer_stems(const struct stemmer *st)
{
    return st->sb != NULL;
}

int stemmer_stem(struct stemmer *st, const char *w, size_t n, const char **stem,
                 size_t *stem_len)
{
    const sb_symbol *s;

    if (n > INT_MAX)
        return APP_E_TOOBIG;
    if (!st->sb) {
        if (n + 1 > st->cap) {
            char *b = realloc(st->buf, n + 1);
            if (!b)
                return APP_E_NOMEM;
            st->buf = b;
            st->cap = n + 1;
        }
        memcpy(st->buf, w, n);
        st->buf[n] = '\0';
        *stem = st->buf;
        *stem_len = n;
        return APP_OK;
    }
    s = sb_stemmer_stem(st->sb, (const sb_symbol *)w, (int)n);
    if (!s)
        return APP_E_NOMEM;
    *stem = (const char *)s;
    *stem_len = (size_t)sb_stemmer_length(st->sb);
    return APP_OK;
}
