/* tokenise_fuzz.c: libFuzzer target for the tokeniser and the stop-word parser
 *
 * Any bytes must tokenise with no crash and no read past the end, and every token must be
 * what tokenise.h promises: non-empty, at most TOKEN_MAX_BYTES bytes, NUL-terminated at its
 * length, valid UTF-8, free of ASCII upper case, ASCII whitespace and ASCII punctuation other
 * than the inner apostrophe (never first or last), containing at least one non-digit, and
 * lying inside the token buffer in order. The same bytes parsed as a stop-word list must
 * then match every token that tokenising the list produced.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"

#include "text/tokenise.h"
#include "text/vocab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_token(const struct tokens *t, size_t i)
{
    const uint8_t *s = (const uint8_t *)tokens_str(t, i);
    size_t n = t->v[i].len, digits = 0;

    if (n == 0 || n > TOKEN_MAX_BYTES || s[n] != '\0' || strlen((const char *)s) != n)
        abort();
    if ((size_t)t->v[i].off + n + 1 > t->text_len)
        abort();
    if (i > 0 && t->v[i].off <= t->v[i - 1].off)
        abort();
    if (!utf8_valid((const char *)s, n))
        abort();
    if (s[0] == '\'' || s[n - 1] == '\'')
        abort();
    for (size_t k = 0; k < n; k++) {
        uint8_t c = s[k];
        if (c >= 'A' && c <= 'Z')
            abort();
        if (c < 0x80 && c != '\'' && !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9'))
            abort();
        digits += c >= '0' && c <= '9';
    }
    if (digits == n)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tokens t = {0}, again = {0};
    struct stopwords *sw = NULL;
    /* A copy of exactly size bytes, so ASan catches any read past the end. */
    char *in = malloc(size ? size : 1);

    if (!in)
        return 0;
    if (size)
        memcpy(in, data, size);
    if (tokenise(&t, in, size) != 0)
        abort(); /* only running out of memory or a > 1 GiB document may fail */
    for (size_t i = 0; i < t.n; i++)
        check_token(&t, i);
    if (t.n && t.v[0].off != 0)
        abort();
    if (stopwords_parse(in, size, &sw) != 0)
        abort();
    /* Every token of every non-comment line is a stop word now. */
    {
        size_t i = 0;
        while (i < size) {
            const char *line = in + i, *nl = memchr(line, '\n', size - i);
            size_t n = nl ? (size_t)(nl - line) : size - i;
            size_t s = 0;
            i += n + (nl != NULL);
            while (s < n && (line[s] == ' ' || line[s] == '\t'))
                s++;
            if (s == n || line[s] == '#')
                continue;
            if (tokenise(&again, line + s, n - s) != 0)
                abort();
            for (size_t k = 0; k < again.n; k++)
                if (!stopwords_has(sw, tokens_str(&again, k), again.v[k].len))
                    abort();
        }
    }
    stopwords_free(sw);
    tokens_free(&again);
    tokens_free(&t);
    free(in);
    return 0;
}
