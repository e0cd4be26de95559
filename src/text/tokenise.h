/* tokenise.h: UTF-8 text to case-folded word tokens for theme analysis
 *
 * The rules (tokenise.c explains why):
 *  - Text is NFKC-normalised and case-folded with utf8proc ("Ｆｉｎｅ" -> "fine", "ß" -> "ss");
 *    bytes that are not valid UTF-8 act as separators.
 *  - A token is a run of letters, digits and combining marks (Unicode categories L*, N*, M*).
 *    An apostrophe (' U+2019 U+02BC) between two such characters is part of the word, written
 *    as ASCII "'"; a final possessive "'s" is removed ("patient's" -> "patient"), and a
 *    trailing apostrophe never joins ("patients'" -> "patients"). "don't" stays "don't".
 *  - Everything else separates tokens, hyphens included ("well-being" -> "well", "being").
 *  - Tokens without a letter (pure numbers: "2019", "111", "3.5") are dropped; tokens with one
 *    ("covid19", "2nd", "b12") are kept. One-character tokens and tokens over
 *    TOKEN_MAX_BYTES bytes (hashes, run-together junk) are dropped too.
 *  - Scripts written without spaces between words (Han, Hiragana, Katakana, Thai, Lao,
 *    Khmer, Myanmar) are cut into words by ICU's word-break rules and dictionaries
 *    (ubrk_open(UBRK_WORD)): each run of such letters (with their combining marks and the
 *    prolonged sound mark ー) is one ICU text, and each word ICU finds in it is a token under
 *    the rules above, so "我们需要更多的医生" gives "我们", "需要", "更多", "医生" (one-
 *    character words such as "的" are dropped like any one-character token). Text in other
 *    scripts never reaches ICU, so its tokens are exactly as without it.
 *  - A token carries brk = 1 when a phrase boundary comes before it: clause punctuation
 *    (. , ; : ! ? brackets, slashes, ...; not hyphens, dashes, quotes or apostrophes) or a
 *    dropped token. Bigrams are never formed across a boundary. A full stop between a word
 *    and a letter or digit, with no space after it ("node.js", "asp.net"), separates two
 *    words but marks no boundary, since a sentence's full stop is followed by a space or the
 *    end; a text that leaves the space out ("waited.The staff") loses that one boundary, and
 *    a full stop after a word of a spaceless script (cut by ICU) stays a boundary.
 */
#ifndef AHP_TOKENISE_H
#define AHP_TOKENISE_H

#include <stddef.h>
#include <stdint.h>

#define TOKEN_MAX_BYTES 64

/* A document as (pointer, length); it need not be NUL-terminated. */
struct text_span {
    const char *s;
    size_t len;
};

struct token {
    uint32_t off; /* into tokens.text: the folded form, NUL-terminated */
    uint32_t len; /* bytes, without the NUL */
    uint8_t brk;  /* 1: a phrase boundary precedes this token */
};

/* Reusable output: tokenise() overwrites it, keeping its memory, so one struct can serve a
 * whole corpus without an allocation per document. Zero-initialise ({0}) before first use. */
struct tokens {
    char *text; /* folded token bytes, each followed by a NUL */
    size_t text_len, text_cap;
    struct token *v;
    size_t n, cap;
    char *work; /* scratch for the normalised document */
    size_t work_cap;
    void *brk;         /* ICU word-break iterator, opened on the first run that needs it */
    uint16_t *u16;     /* a run of spaceless script as UTF-16, for ICU */
    uint32_t *u16_off; /* byte offset (in the folded text) of each UTF-16 unit, and the end */
    size_t u16_cap;
};

/* Tokenises s[0..len). Any bytes are accepted. Returns 0, APP_E_NOMEM, or APP_E_TOOBIG when
 * the normalised document is over 1 GiB (offsets are 32-bit), or APP_E_INTERNAL when ICU
 * cannot open its word-break rules. On error t->n is 0. */
int tokenise(struct tokens *t, const char *s, size_t len);

/* The i-th token's folded text (NUL-terminated); i < t->n. */
static inline const char *tokens_str(const struct tokens *t, size_t i)
{
    return t->text + t->v[i].off;
}

/* Frees the memory; t is zeroed and may be reused. */
void tokens_free(struct tokens *t);

#endif
