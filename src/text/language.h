/* language.h: the languages theme analysis knows, each with its Snowball stemmer and its
 * stop-word list
 *
 * A Listen exercise (and `ahphub analyse --language`) names its language with a BCP 47 tag:
 * a language subtag, optionally a script and a region ("en", "de", "de-AT", "zh-Hans",
 * "pt-BR"). Only the language subtag (ISO 639-1 where there is one) chooses the analysis; the
 * whole tag is kept for the pages' lang attribute (WCAG 3.1.2). The table in language.c is
 * the list of languages a facilitator may choose; a tag whose language is not in it is
 * refused, so a typo ("dee", "english") is an error instead of silently analysed as English.
 *
 * What each language gets:
 *  - stemming with its Snowball algorithm (libstemmer) when Snowball has one; a language
 *    Snowball lacks (Welsh, Polish, Chinese, Japanese, Korean, Thai, ...) gets NO stemming:
 *    words are compared as written (after case folding), never with another language's rules.
 *  - a stop-word list, data/stopwords-<code>.txt, when one is shipped: English (ahphub's own),
 *    and Danish, Dutch, Finnish, French, German, Hungarian, Italian, Norwegian, Portuguese,
 *    Russian, Spanish, Swedish and Turkish (the Snowball project's lists); other languages
 *    have none, so their themes may show function words.
 *  - word breaks: the tokeniser finds words in scripts written without spaces (Han, Kana,
 *    Thai, Lao, Khmer, Myanmar) with ICU's dictionary rules whatever the language, since a
 *    German exercise may still hold a Chinese answer (tokenise.h).
 */
#ifndef AHP_LANGUAGE_H
#define AHP_LANGUAGE_H

#include <stdbool.h>
#include <stddef.h>

#define LANGUAGE_TAG_MAX 16 /* "zh-Hant-TW" is 10; room for a 3-letter language and region */
#define LANGUAGE_DEFAULT "en"

struct language {
    const char *code;      /* the language subtag: "en", "de", "cy" */
    const char *name;      /* in English: "German" */
    const char *snowball;  /* libstemmer algorithm ("german"), or NULL: no stemming */
    const char *stopwords; /* embedded path ("data/stopwords-de.txt"), or NULL: none */
};

/* Every language in the table, in order of name; *n gets their number. */
const struct language *language_all(size_t *n);

/* The language of a BCP 47 tag (its language subtag, case-insensitive), or NULL when the tag
 * is malformed or its language is not in the table. NULL or "" gives English. */
const struct language *language_find(const char *tag);

/* Checks tag and writes its canonical form to out[0..LANGUAGE_TAG_MAX): language lower case,
 * script title case, region upper case, '_' read as '-' ("DE_at" -> "de-AT"). Accepted:
 * language (2 or 3 letters, in the table), then optionally a script (4 letters), then
 * optionally a region (2 letters or 3 digits). Returns false (out = "") otherwise. */
bool language_canonical(const char *tag, char out[LANGUAGE_TAG_MAX]);

/* The shipped stop-word list of lang (data/stopwords-<code>.txt, embedded in the binary) in
 * *text and *len, or false (NULL, 0) when there is none. */
bool language_stopwords(const struct language *lang, const char **text, size_t *len);

/* Guesses the language of docs[0..n) (UTF-8). First by script: when at least half of the
 * letters are Han, Kana, Hangul or Thai, the answer is Japanese if Kana make up a tenth or
 * more of the Han and Kana letters, else the largest of Chinese (Han), Korean (Hangul) and
 * Thai; *share gets the share of those letters. Otherwise among the languages that have a
 * stop-word list: the one whose list covers the largest share of the tokens, if that share
 * is at least LANGUAGE_GUESS_MIN_SHARE and exceeds the runner-up's by
 * LANGUAGE_GUESS_MARGIN; otherwise NULL (undecided: the caller keeps its default).
 * Function words make up 35-55% of running text in the shipped languages, and another
 * language's list rarely covers more than 10% (shared short words such as "a", "in", "so");
 * *share (when not NULL) gets the winner's share. Uses at most the first 2 MB of text. */
#define LANGUAGE_GUESS_MIN_SHARE 0.15
#define LANGUAGE_GUESS_MARGIN 0.05
/* The first 2 MB: docs from the one that starts at or past it are not read (so a caller that
 * prepares the text need not prepare more). */
#define LANGUAGE_GUESS_MAX_BYTES (2u << 20)
struct text_span;
const struct language *language_guess(const struct text_span *docs, size_t n, double *share);

#endif
