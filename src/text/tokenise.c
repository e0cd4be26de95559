/* tokenise.c: UTF-8 text to case-folded word tokens for theme analysis
 *
 * Two passes over each document. First the text is made comparable: invalid UTF-8 bytes
 * (and NULs) become spaces, then utf8proc maps it to NFKC with full case folding and default
 * ignorables (soft hyphens, zero-width joiners) removed, so "Ｗａｉｔｉｎｇ", "WAITING" and
 * "wai\u00adting" are the same word. A document that is pure ASCII skips utf8proc: NFKC is
 * the identity there and case folding is tolower, and most survey answers are ASCII, so this
 * fast path is most of the corpus. Second, one left-to-right scan over code points
 * classifies each by its Unicode general category and cuts tokens (rules in tokenise.h).
 *
 * Why these rules: themes are about content words, so pure numbers (years, counts, "111")
 * carry little and would otherwise crowd the vocabulary; hyphenated compounds are split
 * because writers hyphenate inconsistently ("follow-up", "follow up", "followup" the last
 * stays one word, a known caveat); possessives are stripped before stemming because the
 * Snowball stemmer would keep "patient's" and "patient" apart otherwise. Phrase boundaries
 * are recorded so that bigrams do not join the last word of one clause to the first of the
 * next ("long waits. Staff were kind" has no "wait staff").
 */
#include "text/tokenise.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/err.h"

enum cls { C_SPACE, C_BREAK, C_LETTER, C_DIGIT, C_MARK, C_APOS };

static inline enum cls classify_ascii(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return C_LETTER;
    if (c >= '0' && c <= '9')
        return C_DIGIT;
    switch (c) {
    case '\'':
        return C_APOS;
    /* Quotes, hyphens and the underscore join or surround words inside one phrase. */
    case '"':
    case '`':
    case '-':
    case '_':
        return C_SPACE;
    default:
        break;
    }
    if (c <= ' ' || c == 0x7f)
        return C_SPACE;
    return C_BREAK;
}

static enum cls classify_cp(int32_t cp)
{
    if (cp < 0x80)
        return classify_ascii((unsigned char)cp);
    /* U+2019 (right single quote, the usual typographic apostrophe) and U+02BC (modifier
     * letter apostrophe, category Lm) are apostrophes whatever their category says. */
    if (cp == 0x2019 || cp == 0x02bc)
        return C_APOS;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        return C_LETTER;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return C_DIGIT;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return C_MARK;
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PO:
    case UTF8PROC_CATEGORY_SM:
    case UTF8PROC_CATEGORY_SO:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
        return C_BREAK;
    default: /* Zs, Pd, Pi, Pf, Pc, Sc, Sk, C* */
        return C_SPACE;
    }
}

/* The multi-byte code point at p[0..n) (valid UTF-8 by construction; class_at() takes
 * ASCII before it gets here) and its length in *len. */
static int32_t decode(const unsigned char *p, size_t n, size_t *len)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t l = utf8proc_iterate(p, (utf8proc_ssize_t)(n < 4 ? n : 4), &cp);
    if (l <= 0) { /* cannot happen after sanitising; be safe rather than loop */
        *len = 1;
        return ' ';
    }
    *len = (size_t)l;
    return cp;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    void *q;
    if (need <= *cap)
        return APP_OK;
    q = realloc(*p, need * elem);
    if (!q)
        return APP_E_NOMEM;
    *p = q;
    *cap = need;
    return APP_OK;
}

/* The class of the code point at p[0..n) and its length in *len. ASCII, most of every
 * corpus, is classified inline without decoding. */
static inline enum cls class_at(const unsigned char *p, size_t n, size_t *len)
{
    if (p[0] < 0x80) {
        *len = 1;
        return classify_ascii(p[0]);
    }
    return classify_cp(decode(p, n, len));
}

/* Cuts the folded, valid UTF-8 text f[0..n) into tokens. Capacity was reserved by the
 * caller: t->text holds 2n + 16 bytes and t->v n / 2 + 2 tokens. */
static void scan(struct tokens *t, const unsigned char *f, size_t n)
{
    size_t i = 0, l;
    uint8_t pending = 0;

    while (i < n) {
        enum cls c = class_at(f + i, n - i, &l);
        size_t start, letters = 0, cps = 0;

        if (c == C_BREAK)
            pending = 1;
        if (c != C_LETTER && c != C_DIGIT) {
            i += l;
            continue;
        }
        start = t->text_len;
        for (;;) {
            if (c == C_LETTER || c == C_DIGIT || c == C_MARK) {
                if (l == 1)
                    t->text[t->text_len++] = (char)f[i];
                else {
                    memcpy(t->text + t->text_len, f + i, l);
                    t->text_len += l;
                }
                letters += c == C_LETTER;
                cps++;
                i += l;
            } else if (c == C_APOS && i + l < n) {
                /* Inside a word only: the next code point must be a letter or digit. */
                size_t l2;
                enum cls c2 = class_at(f + i + l, n - i - l, &l2);
                if (c2 != C_LETTER && c2 != C_DIGIT)
                    break;
                t->text[t->text_len++] = '\'';
                cps++;
                i += l;
            } else {
                break;
            }
            if (i >= n)
                break;
            c = class_at(f + i, n - i, &l);
        }
        /* Possessive: "patient's" -> "patient". */
        if (t->text_len - start >= 3 && t->text[t->text_len - 1] == 's' &&
            t->text[t->text_len - 2] == '\'') {
            t->text_len -= 2;
            letters--;
            cps -= 2;
        }
        if (letters == 0 || cps < 2 || t->text_len - start > TOKEN_MAX_BYTES) {
            t->text_len = start;
            pending = 1;
            continue;
        }
        t->text[t->text_len++] = '\0';
        t->v[t->n].off = (uint32_t)start;
        t->v[t->n].len = (uint32_t)(t->text_len - 1 - start);
        t->v[t->n].brk = pending;
        t->n++;
        pending = 0;
    }
}

int tokenise(struct tokens *t, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned char *folded = NULL;
    const unsigned char *f;
    size_t n, i;
    int ascii = 1, rc;

    t->n = 0;
    t->text_len = 0;
    for (i = 0; i < len; i++)
        if (u[i] >= 0x80 || u[i] == 0) {
            ascii = 0;
            break;
        }
    if (len > (1u << 30)) {
        rc = APP_E_TOOBIG;
        goto done;
    }
    if ((rc = grow((void **)&t->work, &t->work_cap, len + 1, 1)) != APP_OK)
        goto done;
    if (ascii) {
        for (i = 0; i < len; i++)
            t->work[i] = (char)(u[i] >= 'A' && u[i] <= 'Z' ? u[i] + 32 : u[i]);
        f = (const unsigned char *)t->work;
        n = len;
    } else {
        /* Invalid sequences and NULs become spaces, so utf8proc never rejects the text. */
        utf8proc_ssize_t m;
        i = 0;
        while (i < len) {
            utf8proc_int32_t cp;
            utf8proc_ssize_t l = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &cp);
            if (l <= 0 || cp == 0) {
                t->work[i++] = ' ';
                continue;
            }
            memcpy(t->work + i, u + i, (size_t)l);
            i += (size_t)l;
        }
        m = utf8proc_map((const utf8proc_uint8_t *)t->work, (utf8proc_ssize_t)len, &folded,
                         UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                             UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
        if (m < 0) {
            folded = NULL;
            rc = m == UTF8PROC_ERROR_NOMEM ? APP_E_NOMEM : APP_E_INTERNAL;
            goto done;
        }
        f = folded;
        n = (size_t)m;
        if (n > (1u << 30)) {
            rc = APP_E_TOOBIG;
            goto done;
        }
    }
    if ((rc = grow((void **)&t->text, &t->text_cap, 2 * n + 16, 1)) != APP_OK ||
        (rc = grow((void **)&t->v, &t->cap, n / 2 + 2, sizeof *t->v)) != APP_OK)
        goto done;
    scan(t, f, n);
done:
    free(folded);
    if (rc != APP_OK)
        t->n = 0;
    return rc;
}

void tokens_free(struct tokens *t)
{
    free(t->text);
    free(t->v);
    free(t->work);
    memset(t, 0, sizeof *t);
}
