/* language.c: the table of languages for theme analysis (code -> Snowball algorithm ->
 * stop-word list), BCP 47 tag checking, and guessing a text's language from its stop words
 *
 * The table is the one place that says what a language gets; language.h states the rules.
 * Snowball algorithms are those libstemmer 2.2 (Debian 12) lists; stem_test checks that each
 * one named here really opens, so a typo cannot quietly turn stemming off.
 */
#include "text/language.h"

#include <string.h>
#include <unicode/uscript.h>
#include <utf8proc.h>

#include "core/embed.h"
#include "core/err.h"
#include "text/tokenise.h"
#include "text/vocab.h"

/* By English name, as the exercise form lists them. */
static const struct language languages[] = {
    {"ar", "Arabic", "arabic", NULL},
    {"hy", "Armenian", "armenian", NULL},
    {"eu", "Basque", "basque", NULL},
    {"bn", "Bengali", NULL, NULL},
    {"ca", "Catalan", "catalan", NULL},
    {"zh", "Chinese", NULL, NULL},
    {"da", "Danish", "danish", "data/stopwords-da.txt"},
    {"nl", "Dutch", "dutch", "data/stopwords-nl.txt"},
    {"en", "English", "english", "data/stopwords-en.txt"},
    {"fi", "Finnish", "finnish", "data/stopwords-fi.txt"},
    {"fr", "French", "french", "data/stopwords-fr.txt"},
    {"de", "German", "german", "data/stopwords-de.txt"},
    {"el", "Greek", "greek", NULL},
    {"gu", "Gujarati", NULL, NULL},
    {"hi", "Hindi", "hindi", NULL},
    {"hu", "Hungarian", "hungarian", "data/stopwords-hu.txt"},
    {"id", "Indonesian", "indonesian", NULL},
    {"ga", "Irish", "irish", NULL},
    {"it", "Italian", "italian", "data/stopwords-it.txt"},
    {"ja", "Japanese", NULL, NULL},
    {"ko", "Korean", NULL, NULL},
    {"lt", "Lithuanian", "lithuanian", NULL},
    {"ne", "Nepali", "nepali", "data/stopwords-ne.txt"},
    {"no", "Norwegian", "norwegian", "data/stopwords-no.txt"},
    {"nb", "Norwegian Bokmål", "norwegian", "data/stopwords-no.txt"},
    {"nn", "Norwegian Nynorsk", "norwegian", "data/stopwords-no.txt"},
    {"pl", "Polish", NULL, NULL},
    {"pt", "Portuguese", "portuguese", "data/stopwords-pt.txt"},
    {"pa", "Punjabi", NULL, NULL},
    {"ro", "Romanian", "romanian", NULL},
    {"ru", "Russian", "russian", "data/stopwords-ru.txt"},
    {"gd", "Scottish Gaelic", NULL, NULL},
    {"sr", "Serbian", "serbian", NULL},
    {"so", "Somali", NULL, NULL},
    {"es", "Spanish", "spanish", "data/stopwords-es.txt"},
    {"sv", "Swedish", "swedish", "data/stopwords-sv.txt"},
    {"ta", "Tamil", "tamil", NULL},
    {"th", "Thai", NULL, NULL},
    {"tr", "Turkish", "turkish", "data/stopwords-tr.txt"},
    {"uk", "Ukrainian", NULL, NULL},
    {"ur", "Urdu", NULL, NULL},
    {"vi", "Vietnamese", NULL, NULL},
    {"cy", "Welsh", NULL, NULL},
    {"yi", "Yiddish", "yiddish", NULL},
};
#define NLANG (sizeof languages / sizeof languages[0])

const struct language *language_all(size_t *n)
{
    *n = NLANG;
    return languages;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int upper(int c)
{
    return c >= 'a' && c <= 'z' ? c - 32 : c;
}

static bool alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static const struct language *by_code(const char *code, size_t n)
{
    for (size_t i = 0; i < NLANG; i++)
        if (strlen(languages[i].code) == n && !memcmp(languages[i].code, code, n))
            return &languages[i];
    return NULL;
}

bool language_canonical(const char *tag, char out[LANGUAGE_TAG_MAX])
{
    size_t o = 0, part = 0;
    const char *p = tag;
    out[0] = '\0';
    if (!tag)
        return false;
    while (*p) {
        const char *s = p;
        size_t n = 0;
        bool letters = true, digits = true;
        while (s[n] && s[n] != '-' && s[n] != '_') {
            letters = letters && alpha(s[n]);
            digits = digits && s[n] >= '0' && s[n] <= '9';
            n++;
        }
        if (o + n + 2 > LANGUAGE_TAG_MAX)
            goto bad;
        if (part == 0) { /* language: 2 or 3 letters, in the table */
            if (!letters || n < 2 || n > 3)
                goto bad;
            for (size_t i = 0; i < n; i++)
                out[o++] = (char)lower(s[i]);
            if (!by_code(out, o))
                goto bad;
            part = 1;
        } else if (part == 1 && letters && n == 4) { /* script */
            out[o++] = '-';
            out[o++] = (char)upper(s[0]);
            for (size_t i = 1; i < 4; i++)
                out[o++] = (char)lower(s[i]);
            part = 2;
        } else if (part <= 2 && ((letters && n == 2) || (digits && n == 3))) { /* region */
            out[o++] = '-';
            for (size_t i = 0; i < n; i++)
                out[o++] = (char)upper(s[i]);
            part = 3;
        } else {
            goto bad;
        }
        p = s + n;
        if (*p) {
            p++;
            if (!*p) /* a trailing separator */
                goto bad;
        }
    }
    if (!o)
        goto bad;
    out[o] = '\0';
    return true;
bad:
    out[0] = '\0';
    return false;
}

const struct language *language_find(const char *tag)
{
    char canon[LANGUAGE_TAG_MAX];
    size_t n = 0;
    if (!tag || !*tag)
        return by_code(LANGUAGE_DEFAULT, 2);
    if (!language_canonical(tag, canon))
        return NULL;
    while (canon[n] && canon[n] != '-')
        n++;
    return by_code(canon, n);
}

bool language_stopwords(const struct language *lang, const char **text, size_t *len)
{
    const struct embed_file *f = lang && lang->stopwords ? embed_find(lang->stopwords) : NULL;
    *text = f ? (const char *)f->data : NULL;
    *len = f ? f->len : 0;
    return f != NULL;
}

/* Chinese, Japanese, Korean or Thai when their scripts hold most of the letters (language.h),
 * else NULL. */
static const struct language *guess_by_script(const struct text_span *docs, size_t n,
                                              double *share)
{
    size_t letters = 0, han = 0, kana = 0, hangul = 0, thai = 0, bytes = 0;
    for (size_t d = 0; d < n && bytes < LANGUAGE_GUESS_MAX_BYTES; d++) {
        const unsigned char *p = (const unsigned char *)docs[d].s;
        size_t i = 0, len = docs[d].len;
        bytes += len;
        while (i < len) {
            utf8proc_int32_t cp;
            utf8proc_ssize_t l = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
            UErrorCode e = U_ZERO_ERROR;
            if (l <= 0) {
                i++;
                continue;
            }
            i += (size_t)l;
            if (utf8proc_category(cp) < UTF8PROC_CATEGORY_LU ||
                utf8proc_category(cp) > UTF8PROC_CATEGORY_LO)
                continue;
            letters++;
            if (cp < 0x0e00)
                continue;
            switch (uscript_getScript(cp, &e)) {
            case USCRIPT_HAN:
                han++;
                break;
            case USCRIPT_HIRAGANA:
            case USCRIPT_KATAKANA:
                kana++;
                break;
            case USCRIPT_HANGUL:
                hangul++;
                break;
            case USCRIPT_THAI:
                thai++;
                break;
            default:
                break;
            }
        }
    }
    if (!letters || 2 * (han + kana + hangul + thai) < letters)
        return NULL;
    if (share)
        *share = (double)(han + kana + hangul + thai) / (double)letters;
    if (kana && 10 * kana >= han + kana)
        return by_code("ja", 2);
    if (hangul >= han && hangul >= thai)
        return by_code("ko", 2);
    return by_code(thai > han ? "th" : "zh", 2);
}

const struct language *language_guess(const struct text_span *docs, size_t n, double *share)
{
    struct stopwords *lists[NLANG] = {0};
    size_t hits[NLANG] = {0}, tokens = 0, bytes = 0, best = NLANG, second = NLANG;
    struct tokens tk = {0};
    const struct language *r = NULL;
    double s1 = 0, s2 = 0;

    if (share)
        *share = 0;
    if ((r = guess_by_script(docs, n, share)))
        return r;
    for (size_t l = 0; l < NLANG; l++) {
        const char *text;
        size_t len;
        /* Bokmål and Nynorsk share Norwegian's list: count it once, as "no" */
        if (l > 0 && languages[l].stopwords && languages[l - 1].stopwords &&
            !strcmp(languages[l].stopwords, languages[l - 1].stopwords))
            continue;
        if (language_stopwords(&languages[l], &text, &len) &&
            stopwords_parse(text, len, &lists[l]) != APP_OK)
            goto done;
    }
    for (size_t d = 0; d < n && bytes < LANGUAGE_GUESS_MAX_BYTES; d++) {
        if (tokenise(&tk, docs[d].s, docs[d].len) != APP_OK)
            goto done;
        bytes += docs[d].len;
        tokens += tk.n;
        for (size_t i = 0; i < tk.n; i++)
            for (size_t l = 0; l < NLANG; l++)
                if (lists[l] && stopwords_has(lists[l], tokens_str(&tk, i), tk.v[i].len))
                    hits[l]++;
    }
    for (size_t l = 0; l < NLANG; l++) {
        if (!lists[l])
            continue;
        if (best == NLANG || hits[l] > hits[best]) {
            second = best;
            best = l;
        } else if (second == NLANG || hits[l] > hits[second]) {
            second = l;
        }
    }
    if (!tokens || best == NLANG)
        goto done;
    s1 = (double)hits[best] / (double)tokens;
    s2 = second == NLANG ? 0 : (double)hits[second] / (double)tokens;
    if (share)
        *share = s1;
    if (s1 >= LANGUAGE_GUESS_MIN_SHARE && s1 - s2 >= LANGUAGE_GUESS_MARGIN)
        r = &languages[best];
done:
    for (size_t l = 0; l < NLANG; l++)
        stopwords_free(lists[l]);
    tokens_free(&tk);
    return r;
}
