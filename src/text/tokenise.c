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
 *
 * Scripts without spaces (Chinese, Japanese, Thai, Lao, Khmer, Myanmar) would otherwise give
 * one "word" per clause, so their runs go to ICU's word-break iterator, which knows where
 * words end from its dictionaries. Only those runs, not the whole text: ICU's rules for
 * spaced scripts differ from ours in details this file and its tests pin (apostrophes,
 * hyphens, numbers with letters), the English-only fast path stays free of ICU, and a mixed
 * answer ("physio 很好，但是等待时间太长") is cut the same way as its parts would be alone.
 * The iterator is opened once per struct tokens, on the first run that needs it.
 */
#include "text/tokenise.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uscript.h>
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

/* True for a letter of a script written without spaces between words. Scripts below U+0E00
 * (Latin, Greek, Cyrillic, Arabic, Indic, ...) all use spaces, so most text is decided by
 * one comparison. */
static bool spaceless(int32_t cp)
{
    UErrorCode e = U_ZERO_ERROR;
    if (cp < 0x0e00)
        return false;
    if (cp == 0x30fc) /* ー, the prolonged sound mark: script Common, but inside Kana words */
        return true;
    switch (uscript_getScript(cp, &e)) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
        return U_SUCCESS(e);
    default:
        return false;
    }
}

/* Adds f[a..b) as a token if it passes the rules of tokenise.h. */
static void add_word(struct tokens *t, const unsigned char *f, size_t a, size_t b,
                     uint8_t *pending)
{
    size_t letters = 0, cps = 0, l;
    for (size_t p = a; p < b; p += l) {
        enum cls c = class_at(f + p, b - p, &l);
        letters += c == C_LETTER;
        cps++;
    }
    if (letters == 0 || cps < 2 || b - a > TOKEN_MAX_BYTES) {
        *pending = 1;
        return;
    }
    memcpy(t->text + t->text_len, f + a, b - a);
    t->v[t->n].off = (uint32_t)t->text_len;
    t->v[t->n].len = (uint32_t)(b - a);
    t->v[t->n].brk = *pending;
    t->text_len += b - a;
    t->text[t->text_len++] = '\0';
    t->n++;
    *pending = 0;
}

/* The run of spaceless-script letters (and marks) starting at f[*pi], cut into words by ICU;
 * *pi moves past it. Returns 0, APP_E_NOMEM, or APP_E_INTERNAL (ICU has no word rules). */
static int scan_spaceless(struct tokens *t, const unsigned char *f, size_t n, size_t *pi,
                          uint8_t *pending)
{
    size_t i = *pi, j = i, k = 0, l;
    UErrorCode e = U_ZERO_ERROR;
    int32_t a, b;
    int rc;

    while (j < n && f[j] >= 0x80) {
        int32_t cp = decode(f + j, n - j, &l);
        enum cls c = classify_cp(cp);
        if (c != C_MARK && !(c == C_LETTER && spaceless(cp)))
            break;
        j += l;
    }
    /* every code point here takes 2 to 4 bytes and 1 or 2 UTF-16 units */
    if (j - i + 1 > t->u16_cap) {
        size_t cap = j - i + 1;
        uint16_t *u = realloc(t->u16, cap * sizeof *u);
        uint32_t *o = u ? realloc(t->u16_off, cap * sizeof *o) : NULL;
        if (u)
            t->u16 = u;
        if (!o)
            return APP_E_NOMEM;
        t->u16_off = o;
        t->u16_cap = cap;
    }
    for (size_t p = i; p < j; p += l) {
        int32_t cp = decode(f + p, j - p, &l);
        if (cp > 0xffff) {
            t->u16[k] = (uint16_t)(0xd7c0 + (cp >> 10));
            t->u16_off[k++] = (uint32_t)p;
            t->u16[k] = (uint16_t)(0xdc00 | (cp & 0x3ff));
        } else {
            t->u16[k] = (uint16_t)cp;
        }
        t->u16_off[k++] = (uint32_t)p;
    }
    t->u16_off[k] = (uint32_t)j;
    if (!t->brk) {
        t->brk = ubrk_open(UBRK_WORD, "", NULL, 0, &e);
        if (U_FAILURE(e)) {
            t->brk = NULL;
            return e == U_MEMORY_ALLOCATION_ERROR ? APP_E_NOMEM : APP_E_INTERNAL;
        }
    }
    ubrk_setText(t->brk, (const UChar *)t->u16, (int32_t)k, &e);
    if (U_FAILURE(e))
        return e == U_MEMORY_ALLOCATION_ERROR ? APP_E_NOMEM : APP_E_INTERNAL;
    rc = APP_OK;
    for (a = ubrk_first(t->brk); (b = ubrk_next(t->brk)) != UBRK_DONE; a = b)
        if (ubrk_getRuleStatus(t->brk) >= UBRK_WORD_LETTER)
            add_word(t, f, t->u16_off[a], t->u16_off[b], pending);
    *pi = j;
    return rc;
}

/* Whether the code point at f[i] is a full stop inside a word: right after a token that ended
 * at word_end and right before a letter or digit ("node.js", "asp.net", "e.g."). A sentence's
 * full stop is followed by a space or the end, so this one separates two words of one
 * phrase and marks no boundary. */
static bool inner_full_stop(const unsigned char *f, size_t n, size_t i, size_t word_end)
{
    size_t l;
    enum cls next;
    if (f[i] != '.' || i != word_end || i + 1 >= n)
        return false;
    next = class_at(f + i + 1, n - i - 1, &l);
    return next == C_LETTER || next == C_DIGIT;
}

/* Cuts the folded, valid UTF-8 text f[0..n) into tokens. Capacity was reserved by the
 * caller: t->text holds 2n + 16 bytes and t->v n / 2 + 2 tokens. Returns 0, APP_E_NOMEM or
 * APP_E_INTERNAL (from ICU). */
static int scan(struct tokens *t, const unsigned char *f, size_t n)
{
    size_t i = 0, l, word_end = SIZE_MAX;
    uint8_t pending = 0;

    while (i < n) {
        enum cls c = class_at(f + i, n - i, &l);
        size_t start, letters = 0, cps = 0;

        if (c == C_BREAK && !inner_full_stop(f, n, i, word_end))
            pending = 1;
        if (c != C_LETTER && c != C_DIGIT) {
            i += l;
            continue;
        }
        if (c == C_LETTER && l > 1 && spaceless(decode(f + i, n - i, &l))) {
            int rc = scan_spaceless(t, f, n, &i, &pending);
            if (rc != APP_OK)
                return rc;
            continue;
        }
        start = t->text_len;
        for (;;) {
            if (c == C_LETTER && l > 1 && spaceless(decode(f + i, n - i, &l)))
                break; /* a run of spaceless script starts: ICU's */
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
                if (c2 == C_LETTER && l2 > 1 && spaceless(decode(f + i + l, n - i - l, &l2)))
                    break; /* ICU's run follows: the apostrophe joins nothing */
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
        word_end = i;
    }
    return APP_OK;
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
    rc = scan(t, f, n);
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
    free(t->u16);
    free(t->u16_off);
    if (t->brk)
        ubrk_close(t->brk);
    memset(t, 0, sizeof *t);
}
