/* stem.c: English Snowball stemming (libstemmer) behind a small handle
 *
 * libstemmer's "english" algorithm is Porter2, the improved Porter stemmer: "waiting",
 * "waits" and "waited" all become "wait", "communication" and "communicate" both
 * "communic". Stems are keys, not words: labels use the most common surface form of a stem
 * (vocab.c), never the stem itself. libstemmer returns NULL only when out of memory.
 */
#include "text/stem.h"

#include <libstemmer.h>
#include <limits.h>
#include <stdlib.h>

#include "core/err.h"

struct stemmer {
    struct sb_stemmer *sb;
};

int stemmer_new(struct stemmer **out)
{
    struct stemmer *st = calloc(1, sizeof *st);
    int rc = APP_E_NOMEM;

    *out = NULL;
    if (!st)
        goto done;
    st->sb = sb_stemmer_new("english", "UTF_8");
    if (!st->sb)
        goto done;
    *out = st;
    st = NULL;
    rc = APP_OK;
done:
    free(st);
    return rc;
}

void stemmer_free(struct stemmer *st)
{
    if (!st)
        return;
    sb_stemmer_delete(st->sb);
    free(st);
}

int stemmer_stem(struct stemmer *st, const char *w, size_t n, const char **stem,
                 size_t *stem_len)
{
    const sb_symbol *s;

    if (n > INT_MAX)
        return APP_E_TOOBIG;
    s = sb_stemmer_stem(st->sb, (const sb_symbol *)w, (int)n);
    if (!s)
        return APP_E_NOMEM;
    *stem = (const char *)s;
    *stem_len = (size_t)sb_stemmer_length(st->sb);
    return APP_OK;
}
