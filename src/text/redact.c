/* redact.c: replaces emails, UK phone and NHS numbers, postcodes and web addresses with markers
 *
 * The scanners read a *view* of the text, not the text itself, so that look-alike characters
 * cannot hide a datum. Each code point is seen as its compatibility decomposition (utf8proc:
 * NFKD with marks stripped and dashes, spaces and quotes lumped) when that is one ASCII
 * character or a run of ASCII letters and digits; as nothing when it is a format character
 * (Cf: zero-width space and joiners, soft hyphen, bidi controls), another default ignorable
 * or a combining mark; and as its own bytes otherwise. So "０７７００ ９００１２３",
 * "07700\u200B900123", "jo＠x.org", "07700\u00A0900123" and "943–476–5919" read as the plain
 * digits, spaces, '@' and '-' they look like, while "½" or "…" (which would read "1/2" and
 * "...") and a name in another script stay runs of non-ASCII "word" bytes.
 *
 * The output is the original text with only the matched spans replaced, so the view never
 * leaks into what is published: emoji joined by ZWJ, Persian ZWNJ and ligatures come through
 * byte for byte, and what moderators see as the original is what was written. A match is
 * mapped back to the code points its view came from, format characters inside it included;
 * one that ends inside the view of a code point ("MB" of "㎆") takes the whole code point.
 * None can begin inside one, as the views of several bytes are letters and digits and no
 * scanner starts after a letter or digit.
 *
 * One left-to-right pass of hand-written scanners over the view: no regex library, no
 * recursion, nothing allocated but the view and the output. At each code point the scanners
 * are tried in a fixed order (web address with a scheme or "www.", email, written-out email,
 * bare domain, NHS number, phone number, postcode); the first that matches has its span
 * replaced by its marker, otherwise the byte is copied. A scanner may start only where its
 * left boundary holds, judged against the view of the bytes last *written*, so a marker's ']'
 * counts as punctuation for what follows. Together with the rule that no scanner starts where
 * another looks past its own end (after a letter or digit, or at the digits of "10:30" or
 * "0.5"), this makes redaction idempotent: a second pass over the output finds nothing (the
 * fuzzer checks it).
 *
 * What each scanner accepts ("word" byte: ASCII letter or digit, or any byte >= 0x80):
 *  - Web address: "http://", "https://" or "www." in any case after a non-word byte, up to
 *    ASCII whitespace, a control byte, '<', '>' or '"'. Trailing . , ; : ! ? ' ] } * are
 *    left as text, and so is a trailing ')' unless it closes a '(' inside the address
 *    (Wikipedia links).
 *  - Bare domain: two or more ASCII labels, the last one a top-level domain of our short
 *    list (uk, com, org, net, io, ly, co, gov, edu, scot, wales, which covers .co.uk,
 *    .nhs.uk, .nhs.net, .gov.uk and .ac.uk), not followed by a word byte; with its path when
 *    a '/' follows: "example.com", "NHS.uk", "bit.ly/abc". "e.g.", "2.1.3" and "ASP" are not
 *    domains; "ASP.NET" is (a known false alarm).
 *  - Email: a run of letters, digits, . _ % + - and non-ASCII bytes (internationalised names)
 *    that starts after a byte outside that set, '@', then dot-separated labels of letters,
 *    digits, '-' and non-ASCII bytes. The address ends after the leading ASCII letters of the
 *    last label (the first excepted) that begins with two or more of them: so
 *    "name@example.nhs.uk," keeps its comma, "a@b.com.123" keeps ".123", and in
 *    "me@x.com07700900123" the phone number is redacted separately. "foo@bar" is not an
 *    address. Leading dots ("...me@x.org") stay as text.
 *  - Written-out email: words joined by '.', '_' or a written dot (" dot ", "[dot]", "(dot)",
 *    "{dot}", "<dot>"), then an at ('@' spaced on both sides or not at all, " at ", "[at]",
 *    "(at)", "{at}", "<at>", "[@]"), then labels joined by '.' or a written dot. A bracketed
 *    or '@' form needs only a last label of two or more letters ("name(at)domain.tld"); the
 *    plain word " at " also needs a last label from the domain list and a written " dot " or
 *    a name with a dot or an underscore ("jane dot doe at nhs dot net", "jane.doe at
 *    nhs.net", "jo_bloggs at nhs.net"), so "waited at least 3 hours", "at A&E" and "staff at
 *    nhs.uk" are no addresses (the last still loses its domain). "at" and "dot" are never
 *    words of the name.
 *  - NHS number: exactly ten digits whose modulus-11 check digit is right, in one group or in
 *    groups joined by one kind of separator (space, '-', '.' or '/'); not after a letter or
 *    digit, nor after "digit." or "digit," or "digit:" (the tail of "0.0123456789"); not
 *    followed by a digit or by a time (":30"). The usual shapes (ten digits, 3-3-4) may stand
 *    next to other numbers ("ward 7 9434765919"); any other grouping ("9 4 3 4 7 6 5 9 1 9",
 *    "94 34 76 59 19") must be a whole run of three or more digit groups on its own, so no
 *    ten digits are cut out of a longer list or an ISBN, and a decimal, a fraction or a
 *    reference ("1.234567881", "CVE-2026-118310") is not one. It is tried before the phone
 *    number, so a valid 10-digit number starting with 0 is an NHS number.
 *  - Phone number: "+44", "0044" or a trunk "0" followed by 9 or 10 national digits, the
 *    first not 0; after the country code a "0" or "(0)" is allowed ("+44 (0)20 ...",
 *    "+44 07700 ..."). Digits come in groups separated by one space, '-', '.' or '/', the
 *    same one throughout except in the gap after a country code or a bracketed area code; one
 *    pair of brackets may enclose a group. A number with a one-digit group ("0 7 7 0 0 9 0 0
 *    1 2 3") must be a whole run of digits on its own and use spaces or hyphens, so "0.5",
 *    "0 1 2 ... 10" and the tail of an ISBN are no numbers. Same left boundary as NHS
 *    numbers. When more digits follow, the number ends at the last group that gives a valid
 *    length ("07700 900123 2 times"), a run of more than 15 digits is no number, and a
 *    candidate followed by a time (":30") is dropped, so "01 02 2019 10:30" survives. Years,
 *    prices, "Band 7", "2,000" never reach a valid length with a leading 0.
 *  - Postcode: A9, A99, AA9, AA99, A9A or AA9A, then nothing, a run of spaces or a hyphen
 *    (with spaces or not), then 9AA, in any case, or GIR 0AA, with a non-word byte or the end
 *    of the text on both sides. Letters follow Royal Mail's rules (first never Q V X, second
 *    never I J Z, inward never C I K M O V, and the short lists for the third letter of A9A
 *    and fourth of AA9A), which turns away look-alikes such as "at10 2pm" and loses no real
 *    postcode.
 *
 * Known limits: "Tel07700900123" (glued to a word) is not a phone number; digits of other
 * scripts (Arabic-Indic, Devanagari) are not read as digits; a number with two spaces between
 * groups is not one, nor is a spelled-out one that runs straight into other digits; "jo at
 * nhs.net" loses its domain but keeps the name; a domain written out ("nhs dot net") without
 * an at is kept; overseas-territory and BFPO postcodes are not recognised. False alarms: an
 * ISBN-10 with its check digit passes the NHS check (the same modulus 11), "ASP.NET" and
 * "NHS.UK" (the brand) are domains, and a spelled-out list of ten digits that happens to pass
 * the check is an NHS number.
 *
 * Every scanner either reads a bounded window or starts only at the beginning of the run it
 * reads (the written-out email remembers how far a failed name reached, so no later start
 * inside it reads it again), so the pass is linear.
 */
#include "text/redact.h"

#include <string.h>
#include <utf8proc.h>

#include "core/buf.h"
#include "core/err.h"

/* "0044" + a trunk "0" + 10 national digits */
#define PHONE_MAX_DIGITS 15
/* The longest decomposition of one code point (U+FDFA); longer ones are never ASCII. */
#define VIEW_CP_MAX 18

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(unsigned char c)
{
    c |= 0x20;
    return c >= 'a' && c <= 'z';
}

static bool is_alnum(unsigned char c)
{
    return is_digit(c) || is_alpha(c);
}

static unsigned char to_upper(unsigned char c)
{
    return is_alpha(c) ? (unsigned char)(c & ~0x20) : c;
}

/* Non-ASCII bytes are letters of some script as far as boundaries go. */
static bool is_word(unsigned char c)
{
    return is_alnum(c) || c >= 0x80;
}

static bool is_local(unsigned char c)
{
    return is_word(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static bool is_label(unsigned char c)
{
    return is_word(c) || c == '-';
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t';
}

static size_t skip_spaces(const unsigned char *s, size_t n, size_t p)
{
    while (p < n && is_space(s[p]))
        p++;
    return p;
}

/* Case-insensitive prefix test that never reads past n. */
static bool has_prefix(const unsigned char *s, size_t n, size_t i, const char *lit)
{
    size_t k, len = strlen(lit);
    if (n - i < len)
        return false;
    for (k = 0; k < len; k++)
        if (to_upper(s[i + k]) != to_upper((unsigned char)lit[k]))
            return false;
    return true;
}

static const char *marker(enum redact_kind kind)
{
    switch (kind) {
    case REDACT_EMAIL:
        return "[email removed]";
    case REDACT_PHONE:
        return "[phone number removed]";
    case REDACT_NHS_NUMBER:
        return "[NHS number removed]";
    case REDACT_POSTCODE:
        return "[postcode removed]";
    case REDACT_URL:
        return "[web address removed]";
    }
    return "[removed]";
}

/* True when a marker starts at s[p]. A scanner that looks past its own end at what another
 * may redact ("x.co.07700900123": the domain goes on, so "x.co" is none) treats the marker
 * it finds there on a second pass as what it replaced, and decides as on the first. */
static size_t marker_len_at(const unsigned char *s, size_t n, size_t p)
{
    static const enum redact_kind kinds[] = {REDACT_EMAIL, REDACT_PHONE, REDACT_NHS_NUMBER,
                                             REDACT_POSTCODE, REDACT_URL};
    size_t k;
    for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (has_prefix(s, n, p, marker(kinds[k])))
            return strlen(marker(kinds[k]));
    return 0;
}

static bool marker_at(const unsigned char *s, size_t n, size_t p)
{
    return marker_len_at(s, n, p) != 0;
}

/* ---- the view the scanners read --------------------------------------------------------- */

/* The view of the code point at s[i] into out (*vlen bytes, possibly none); returns how many
 * bytes of s it takes, at least 1. Bytes that are not UTF-8 are their own view. */
static size_t view_cp(const unsigned char *s, size_t n, size_t i, unsigned char out[VIEW_CP_MAX],
                      size_t *vlen)
{
    utf8proc_int32_t cp, dec[VIEW_CP_MAX];
    utf8proc_ssize_t len, m, k;
    int bound = 0;

    if (s[i] < 0x80) {
        out[0] = s[i];
        *vlen = 1;
        return 1;
    }
    len = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i < 4 ? n - i : 4), &cp);
    if (len < 1) {
        out[0] = s[i];
        *vlen = 1;
        return 1;
    }
    /* Format characters that are not default-ignorable (U+0600 and kin) go too: invisible
     * or not, they have no place inside a number or an address. */
    if (utf8proc_category(cp) == UTF8PROC_CATEGORY_CF) {
        *vlen = 0;
        return (size_t)len;
    }
    m = utf8proc_decompose_char(cp, dec, VIEW_CP_MAX,
                                UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_IGNORE |
                                    UTF8PROC_STRIPMARK | UTF8PROC_LUMP,
                                &bound);
    if (m == 0) {
        *vlen = 0; /* a default ignorable or a mark */
        return (size_t)len;
    }
    /* One ASCII character ("０", "＠", "é", a no-break space, an en dash), or ASCII letters and
     * digits only ("ﬁ", "⑪"); "½" would read "1/2" and "…" "...", so they stay as they are:
     * then no match can begin inside the view of one code point, as a letter or digit is
     * never a left boundary. */
    if (m == 1 && dec[0] >= 0 && dec[0] < 0x80) {
        out[0] = (unsigned char)dec[0];
        *vlen = 1;
        return (size_t)len;
    }
    if (m > 1 && m <= VIEW_CP_MAX) {
        for (k = 0; k < m && dec[k] >= 0 && dec[k] < 0x80 && is_alnum((unsigned char)dec[k]); k++)
            out[k] = (unsigned char)dec[k];
        if (k == m) {
            *vlen = (size_t)m;
            return (size_t)len;
        }
    }
    memcpy(out, s + i, (size_t)len);
    *vlen = (size_t)len;
    return (size_t)len;
}

static bool all_ascii(const unsigned char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] >= 0x80)
            return false;
    return true;
}

/* Appends the view of s to v. */
static void view_build(const unsigned char *s, size_t n, struct buf *v)
{
    unsigned char cp[VIEW_CP_MAX];
    size_t i = 0, len;
    while (i < n) {
        i += view_cp(s, n, i, cp, &len);
        buf_append(v, cp, len);
    }
}

/* Walks the text and its view together; only ever forwards, as the pass does. The code
 * point at s[at] (c bytes) has its view at v[vat] (l bytes). */
struct cursor {
    const unsigned char *s;
    size_t n, at, vat, c, l;
    bool loaded;
};

/* Moves to the code point whose view holds v[k], past any with an empty view, or to the end
 * of the text. */
static void cursor_seek(struct cursor *cu, size_t k)
{
    unsigned char scratch[VIEW_CP_MAX];
    while (cu->at < cu->n) {
        if (!cu->loaded) {
            cu->c = view_cp(cu->s, cu->n, cu->at, scratch, &cu->l);
            cu->loaded = true;
        }
        if (cu->vat + cu->l > k)
            return;
        cu->at += cu->c;
        cu->vat += cu->l;
        cu->loaded = false;
    }
}

/* ---- web addresses ------------------------------------------------------------------- */

static bool url_stop(unsigned char c)
{
    return c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '"';
}

static bool url_trailing(unsigned char c)
{
    switch (c) {
    case '.':
    case ',':
    case ';':
    case ':':
    case '!':
    case '?':
    case '\'':
    case ']':
    case '}':
    case '*':
        return true;
    default:
        return false;
    }
}

/* Length of the address at s[i] whose first plen bytes (scheme, "www." or host) are known,
 * or 0 when nothing but punctuation follows them. */
static size_t url_tail(const unsigned char *s, size_t n, size_t i, size_t plen)
{
    size_t e = i + plen, opens = 0, closes = 0;
    while (e < n && !url_stop(s[e])) {
        opens += s[e] == '(';
        closes += s[e] == ')';
        e++;
    }
    /* Sentence punctuation after an address is not part of it; a ')' is, when it closes a
     * '(' inside (Wikipedia-style links), so that a "(see https://x/y)" keeps its bracket. */
    while (e > i + plen) {
        unsigned char c = s[e - 1];
        if (c == ')') {
            if (opens >= closes)
                break;
            closes--;
        } else if (!url_trailing(c)) {
            break;
        }
        e--;
    }
    return e > i + plen ? e - i : 0;
}

static size_t scan_web(const unsigned char *s, size_t n, size_t i)
{
    if (has_prefix(s, n, i, "https://"))
        return url_tail(s, n, i, 8);
    if (has_prefix(s, n, i, "http://"))
        return url_tail(s, n, i, 7);
    if (has_prefix(s, n, i, "www."))
        return url_tail(s, n, i, 4);
    return 0;
}

/* Our own short list: the domains people in UK health and care write (nhs.scot, gov.wales),
 * and the shorteners. No "info": "gdb.info" and its kind are file names far more often. */
static bool tld_known(const unsigned char *s, size_t len)
{
    static const char *const tlds[] = {"uk", "com", "org", "net",  "io",   "ly",
                                       "co", "gov", "edu", "scot", "wales"};
    size_t k;
    for (k = 0; k < sizeof tlds / sizeof tlds[0]; k++)
        if (strlen(tlds[k]) == len && has_prefix(s, len, 0, tlds[k]))
            return true;
    return false;
}

/* "example.com", "bit.ly/abc": ASCII labels, a known top-level domain, maybe a path. */
static size_t scan_bare_domain(const unsigned char *s, size_t n, size_t i)
{
    size_t p = i, labels = 0, last = i;
    for (;;) {
        size_t start = p;
        while (p < n && (is_alnum(s[p]) || s[p] == '-'))
            p++;
        if (p == start)
            return 0;
        labels++;
        last = start;
        if (p + 1 < n && s[p] == '.' && (is_alnum(s[p + 1]) || s[p + 1] == '-'))
            p++;
        else
            break;
    }
    if (p + 1 < n && s[p] == '.' && marker_at(s, n, p + 1))
        return 0; /* the labels went on into what was redacted */
    if (labels < 2 || !tld_known(s + last, p - last))
        return 0;
    if (p < n && s[p] == '/')
        return url_tail(s, n, i, p - i);
    /* "example.comé" or "example.com_x" is some other token */
    if (p < n && (is_word(s[p]) || s[p] == '_' || s[p] == '%' || s[p] == '+' || s[p] == '@'))
        return 0;
    return p - i;
}

/* ---- email ----------------------------------------------------------------------------- */

static size_t scan_email(const unsigned char *s, size_t n, size_t i)
{
    size_t p = i, end = 0, label;
    while (p < n && is_local(s[p]))
        p++;
    if (p == i || p >= n || s[p] != '@')
        return 0;
    p++;
    for (label = 0;; label++) {
        size_t start = p, letters = 0;
        while (p < n && is_label(s[p]))
            p++;
        if (p == start)
            break;
        while (start + letters < p && is_alpha(s[start + letters]))
            letters++;
        if (label > 0 && letters >= 2)
            end = start + letters;
        if (p + 1 < n && s[p] == '.' && is_label(s[p + 1]))
            p++;
        else
            break;
    }
    return end ? end - i : 0;
}

/* ---- written-out email ----------------------------------------------------------------- */

/* A character of a name's word: what is_local allows except the dot that joins words. */
static bool is_name_char(unsigned char c)
{
    return is_local(c) && c != '.';
}

/* True when s[p..e) is "at" or "dot", which are separators, never words of an address. */
static bool is_sep_word(const unsigned char *s, size_t p, size_t e)
{
    return (e - p == 2 && has_prefix(s, e, p, "at")) || (e - p == 3 && has_prefix(s, e, p, "dot"));
}

/* A written separator at s[p]: the word (or alt, when not 0, a single byte) in brackets with
 * spaces or none around it ("(at)", " [ dot ] ", "[@]"), or the bare word with spaces on
 * both sides (" dot "). Returns where the next word starts, or 0; *strong is set for the
 * bracketed form. */
static size_t written_sep(const unsigned char *s, size_t n, size_t p, const char *word, char alt,
                          bool *strong)
{
    size_t q = skip_spaces(s, n, p), len = strlen(word);
    char close = 0;
    if (q < n)
        close = s[q] == '(' ? ')' : s[q] == '[' ? ']' : s[q] == '{' ? '}' : s[q] == '<' ? '>' : 0;
    if (close) {
        q = skip_spaces(s, n, q + 1);
        if (alt && q < n && s[q] == (unsigned char)alt)
            q++;
        else if (has_prefix(s, n, q, word))
            q += len;
        else
            return 0;
        q = skip_spaces(s, n, q);
        if (q >= n || s[q] != (unsigned char)close)
            return 0;
        *strong = true;
        return skip_spaces(s, n, q + 1);
    }
    if (q == p || !has_prefix(s, n, q, word) || q + len >= n || !is_space(s[q + len]))
        return 0;
    *strong = false;
    return skip_spaces(s, n, q + len);
}

/* The at between name and domain at s[p]: '@' with spaces on both sides or none before, or
 * a written at. Returns where the domain starts, or 0. "from @nhs.net" is a domain (redacted
 * as such), not the address of someone called "from". */
static size_t written_at(const unsigned char *s, size_t n, size_t p, bool *strong)
{
    size_t q = skip_spaces(s, n, p);
    if (q < n && s[q] == '@') {
        if (q > p && (q + 1 >= n || !is_space(s[q + 1])))
            return 0;
        *strong = true;
        return skip_spaces(s, n, q + 1);
    }
    return written_sep(s, n, p, "at", '@', strong);
}

/* After a word ending at s[e], the start of the next word of a written-out name or domain
 * (joined by '.', by '_' within a name, or by a written dot), or 0. *how is '.' for a plain
 * dot, 'w' for a written one, 'b' for a bracketed one. */
static size_t next_word(const unsigned char *s, size_t n, size_t e, bool name, char *how)
{
    bool strong = false;
    size_t q, w;
    if (e + 1 < n && s[e] == '.' && (name ? is_name_char(s[e + 1]) : is_label(s[e + 1]))) {
        *how = '.';
        return e + 1;
    }
    q = written_sep(s, n, e, "dot", 0, &strong);
    if (!q || q >= n)
        return 0;
    for (w = q; w < n && (name ? is_name_char(s[w]) : is_label(s[w])); w++)
        ;
    if (w == q || is_sep_word(s, q, w))
        return 0;
    *how = strong ? 'b' : 'w';
    return q;
}

/* "jane dot doe at nhs dot net", "name [at] domain [dot] tld", "name(at)domain.tld".
 * *reach receives how far the name went: a failed start anywhere before it would read the
 * same name to the same end with fewer dots, and fail too. */
static size_t scan_written_email(const unsigned char *s, size_t n, size_t i, size_t *reach)
{
    size_t p = i, e, q, end = 0, labels = 0;
    bool dotted = false, written = false, strong = false, at_strong = false;
    char how = 0;

    *reach = i + 1;
    for (e = p; e < n && is_name_char(s[e]); e++)
        dotted |= s[e] == '_';
    if (e == p || is_sep_word(s, p, e))
        return 0;
    for (;;) {
        /* an underscore joins words as a dot does ("jo_bloggs at nhs.net") */
        q = next_word(s, n, e, true, &how);
        if (!q)
            break;
        dotted |= how == '.';
        written |= how == 'w';
        strong |= how == 'b';
        for (e = q; e < n && is_name_char(s[e]); e++)
            dotted |= s[e] == '_';
    }
    *reach = e;
    q = written_at(s, n, e, &at_strong);
    if (!q)
        return 0;
    strong |= at_strong;
    for (p = q;; p = q) {
        for (e = p; e < n && is_label(s[e]); e++)
            ;
        if (e == p || is_sep_word(s, p, e))
            break;
        if (labels++ > 0) {
            size_t k = p;
            while (k < e && is_alpha(s[k]))
                k++;
            /* the last label: letters only, and for the plain " at " a known domain after
             * a written or dotted name, or a written dot */
            if (k == e && e - p >= 2 &&
                (strong || (tld_known(s + p, e - p) && (written || dotted))))
                end = e;
        }
        q = next_word(s, n, e, false, &how);
        if (!q)
            break;
        written |= how == 'w';
        strong |= how == 'b';
    }
    if (end && end < n && (is_name_char(s[end]) || s[end] == '@'))
        end = 0; /* "jane at nhs dot net_x" is some other token */
    return end ? end - i : 0;
}

/* ---- NHS numbers ------------------------------------------------------------------------ */

bool nhs_number_valid(const char digits[10])
{
    int sum = 0, k, check;
    for (k = 0; k < 10; k++)
        if (!is_digit((unsigned char)digits[k]))
            return false;
    for (k = 0; k < 9; k++)
        sum += (digits[k] - '0') * (10 - k);
    check = 11 - sum % 11;
    if (check == 11)
        check = 0;
    return check != 10 && check == digits[9] - '0';
}

/* What separates the groups of a written number. */
static bool num_sep(unsigned char c)
{
    return c == ' ' || c == '-' || c == '.' || c == '/';
}

/* Whether the digit groups of a written number go on after s[p]: a separator, then a digit
 * or a marker (see marker_at). */
static bool run_goes_on(const unsigned char *s, size_t n, size_t p)
{
    return n - p >= 2 && num_sep(s[p]) && (is_digit(s[p + 1]) || marker_at(s, n, p + 1));
}

/* ":30" after the digits makes them a date and time ("01 02 2019 10:30"). */
static bool time_follows(const unsigned char *s, size_t n, size_t p)
{
    return n - p >= 3 && s[p] == ':' && is_digit(s[p + 1]) && is_digit(s[p + 2]) &&
           (n - p == 3 || !is_digit(s[p + 3]));
}

/* mid_run: the digits at s[i] continue a run of groups written before them ("3 9434..."). */
static size_t scan_nhs(const unsigned char *s, size_t n, size_t i, bool mid_run)
{
    char d[10];
    size_t p = i, nd = 0, groups = 0, sizes[3] = {0, 0, 0};
    unsigned char sep = 0;
    bool usual;

    for (;;) {
        size_t start = p;
        while (p < n && is_digit(s[p])) {
            if (nd == 10)
                return 0; /* part of a longer number */
            d[nd++] = (char)s[p++];
        }
        if (p == start)
            return 0;
        if (groups < 3)
            sizes[groups] = p - start;
        groups++;
        if (nd == 10)
            break;
        if (n - p < 2 || !num_sep(s[p]) || (sep && s[p] != sep) || !is_digit(s[p + 1]))
            return 0;
        sep = s[p++];
    }
    usual = groups == 1 || (groups == 3 && sizes[0] == 3 && sizes[1] == 3 && sizes[2] == 4);
    if (!usual) {
        if (mid_run || run_goes_on(s, n, p))
            return 0; /* ten digits out of a longer list */
        if (groups < 3)
            return 0; /* a decimal, a fraction, a reference such as "CVE-2026-118310" */
    }
    if (time_follows(s, n, p))
        return 0;
    return nhs_number_valid(d) ? p - i : 0;
}

/* ---- phone numbers ---------------------------------------------------------------------- */

/* d holds every digit written, country code included. */
static bool phone_digits_ok(const char *d, size_t nd, bool plus)
{
    size_t k;
    if (plus || (nd >= 4 && memcmp(d, "0044", 4) == 0)) {
        k = plus ? 2 : 4;
        if (nd < k || d[k - 2] != '4' || d[k - 1] != '4')
            return false;
        if (k < nd && d[k] == '0')
            k++; /* the trunk 0, bracketed or (wrongly but commonly) not */
    } else {
        if (nd < 1 || d[0] != '0')
            return false;
        k = 1;
    }
    return nd - k >= 9 && nd - k <= 10 && d[k] != '0';
}

/* mid_run as for scan_nhs. */
static size_t scan_phone(const unsigned char *s, size_t n, size_t i, bool mid_run)
{
    char d[PHONE_MAX_DIGITS];
    size_t p = i, nd = 0, best = 0, group;
    bool plus = false, paren_used = false, lone = false;
    unsigned char sep = 0;

    if (s[p] != '+' && s[p] != '(' && s[p] != '0')
        return 0;
    if (s[p] == '+') {
        plus = true;
        p++;
    }
    for (group = 0;; group++) {
        bool in_paren = false, country, more;
        size_t start;
        if (p < n && s[p] == '(' && !paren_used) {
            in_paren = paren_used = true;
            p++;
        }
        start = p;
        while (p < n && is_digit(s[p]) && nd < PHONE_MAX_DIGITS)
            d[nd++] = (char)s[p++];
        if (p == start || (p < n && is_digit(s[p])))
            break; /* no digits, or too many for a UK number */
        if (in_paren) {
            if (p >= n || s[p] != ')')
                break;
            p++;
        } else {
            lone |= p - start < 2;
        }
        /* One-digit groups are spelled-out numbers ("0 7 7 0 0 ..."), never decimals, and
         * never part of a longer list ("0 1 2 ... 9 10") */
        more = run_goes_on(s, n, p);
        if (lone && (sep == '.' || sep == '/' || (more && (s[p] == '.' || s[p] == '/'))))
            break;
        if (phone_digits_ok(d, nd, plus) && !time_follows(s, n, p) && !(lone && (mid_run || more)))
            best = p;
        if (p >= n)
            break;
        if ((in_paren && is_digit(s[p])) || (s[p] == '(' && !paren_used))
            continue; /* "(020)7946 0018", "+44(0)20 7946 0018" */
        if (!num_sep(s[p]) || n - p < 2 ||
            !(is_digit(s[p + 1]) || (s[p + 1] == '(' && !paren_used)))
            break;
        /* One separator throughout, so that "01.02.2019 10" is not a number; the gap after
         * a country code or a bracketed area code is often written differently. */
        country =
            group == 0 && ((plus && nd == 2) || (!plus && nd == 4 && d[0] == '0' && d[1] == '0'));
        if (!in_paren && !country) {
            if (sep && s[p] != sep)
                break;
            sep = s[p];
        }
        p++;
    }
    return best ? best - i : 0;
}

/* ---- postcodes -------------------------------------------------------------------------- */

/* Pattern letters: 9 digit, 1-4 the letters allowed in that outward position, i inward. */
static bool pc_char(unsigned char c, char kind)
{
    static const char *const sets[] = {
        "ABCDEFGHIJKLMNOPRSTUWYZ", /* 1: first letter, never Q V X */
        "ABCDEFGHKLMNOPQRSTUVWXY", /* 2: second letter, never I J Z */
        "ABCDEFGHJKPSTUW",         /* 3: the letter of A9A */
        "ABEHMNPRVWXY",            /* 4: the letter of AA9A */
        "ABDEFGHJLNPQRSTUWXYZ",    /* i: inward letters, never C I K M O V */
    };
    const char *set;
    if (kind == '9')
        return is_digit(c);
    if (!is_alpha(c))
        return false;
    set = sets[kind == 'i' ? 4 : kind - '1'];
    return strchr(set, to_upper(c)) != NULL;
}

/* Length of pat matched at s[p], or 0. */
static size_t pc_match(const unsigned char *s, size_t n, size_t p, const char *pat)
{
    size_t k, len = strlen(pat);
    if (n - p < len)
        return 0;
    for (k = 0; k < len; k++)
        if (!pc_char(s[p + k], pat[k]))
            return 0;
    return len;
}

/* Past the gap between outward and inward code: spaces, or a hyphen with or without them. */
static size_t pc_gap(const unsigned char *s, size_t n, size_t p)
{
    while (p < n && s[p] == ' ')
        p++;
    if (p < n && s[p] == '-') {
        p++;
        while (p < n && s[p] == ' ')
            p++;
    }
    return p;
}

static size_t scan_postcode(const unsigned char *s, size_t n, size_t i)
{
    static const char *const outward[] = {"19", "199", "129", "1299", "193", "1294"};
    size_t k, end = 0;
    if (has_prefix(s, n, i, "GIR")) {
        size_t p = pc_gap(s, n, i + 3);
        if (has_prefix(s, n, p, "0AA") && !(p + 3 < n && is_word(s[p + 3])))
            return p + 3 - i;
    }
    for (k = 0; !end && k < sizeof outward / sizeof outward[0]; k++) {
        size_t p = i + pc_match(s, n, i, outward[k]);
        if (p == i)
            continue;
        p = pc_gap(s, n, p);
        if (pc_match(s, n, p, "9ii"))
            end = p + 3;
        if (end < n && is_word(s[end]))
            end = 0; /* inside a longer token */
    }
    return end ? end - i : 0;
}

/* ---- the pass --------------------------------------------------------------------------- */

const char *redact_kind_name(enum redact_kind kind)
{
    switch (kind) {
    case REDACT_EMAIL:
        return "email address";
    case REDACT_PHONE:
        return "phone number";
    case REDACT_NHS_NUMBER:
        return "NHS number";
    case REDACT_POSTCODE:
        return "postcode";
    case REDACT_URL:
        return "web address";
    }
    return "personal data";
}

int redact_text(const char *text, size_t n, struct buf *out, unsigned *found)
{
    const unsigned char *s = (const unsigned char *)text, *v = s;
    struct buf vb = BUF_INIT;
    struct cursor cu = {s, n, 0, 0, 0, 0, false};
    size_t vn = n, i = 0, lit = 0; /* s[lit..) is waiting to be copied; v[i] is next */
    size_t written_reach = 0;      /* where scan_written_email need not start again */
    unsigned kinds = 0;
    /* The view of the last two bytes written; the start of the text is a boundary. */
    unsigned char prev = ' ', prev2 = ' ';
    int rc = APP_OK;

    if (!all_ascii(s, n)) {
        view_build(s, n, &vb);
        if (buf_oom(&vb)) {
            rc = APP_E_NOMEM;
            goto done;
        }
        v = (const unsigned char *)vb.data;
        vn = vb.len;
    }
    while (i < vn) {
        size_t skip = 0, len = 0, reach, start;
        enum redact_kind kind = 0;
        /* Digits after "0.", "1," or "10:" continue that number ("0.0123456789"); nothing
         * starts there, which also keeps the time rule in scan_phone stable. */
        bool num_tail =
            is_digit(v[i]) && (prev == '.' || prev == ',' || prev == ':') && is_digit(prev2);
        bool digits_ok = !is_alnum(prev) && !num_tail;
        bool mid_run = num_sep(prev) && is_digit(prev2);

        cursor_seek(&cu, i);
        if (cu.vat != i) {
            /* inside the view of one code point ("B" of "㎆"): nothing starts here (no
             * scanner starts after a letter either; this keeps it so whatever the view) */
        } else if (!is_word(prev) && (len = scan_web(v, vn, i))) {
            kind = REDACT_URL;
        } else if (!is_local(prev) && !num_tail) {
            while (i + skip < vn && v[i + skip] == '.')
                skip++; /* an address never starts with a dot; "...me@x.org" keeps them */
            if ((len = scan_email(v, vn, i + skip))) {
                kind = REDACT_EMAIL;
            } else if (i + skip >= written_reach) {
                if ((len = scan_written_email(v, vn, i + skip, &reach)))
                    kind = REDACT_EMAIL;
                else
                    written_reach = reach;
            }
            if (!kind)
                skip = 0;
        }
        /* The digit scanners come after the email ones so "07700900123@x.com" is an email,
         * and the NHS number before the phone number, which can look the same. */
        if (!kind && cu.vat == i && !is_label(prev) && prev != '.' && !num_tail && is_alnum(v[i]) &&
            (len = scan_bare_domain(v, vn, i)))
            kind = REDACT_URL;
        else if (!kind && cu.vat == i && digits_ok && (len = scan_nhs(v, vn, i, mid_run)))
            kind = REDACT_NHS_NUMBER;
        else if (!kind && cu.vat == i && digits_ok && (len = scan_phone(v, vn, i, mid_run)))
            kind = REDACT_PHONE;
        else if (!kind && cu.vat == i && !is_word(prev) && (len = scan_postcode(v, vn, i)))
            kind = REDACT_POSTCODE;
        if (!kind) {
            prev2 = prev;
            prev = v[i++];
            continue;
        }
        /* The match is v[i+skip .. i+skip+len): from the code point its view starts at (each
         * dot skipped is a code point of its own) to the end of the one that holds its last
         * byte. */
        cursor_seek(&cu, i + skip);
        start = cu.at;
        cursor_seek(&cu, i + skip + len - 1);
        if (start > lit)
            buf_append(out, s + lit, start - lit);
        buf_puts(out, marker(kind));
        kinds |= (unsigned)kind;
        lit = cu.at + cu.c;
        i = cu.vat + cu.l;
        prev2 = 'd';
        prev = ']'; /* as in "…removed]", so a second pass decides the same */
    }
    if (n > lit)
        buf_append(out, s + lit, n - lit);
    if (buf_oom(out))
        rc = APP_E_NOMEM;
done:
    if (found)
        *found = kinds;
    buf_free(&vb);
    return rc;
}

int redact_strip_markers(const char *s, size_t n, struct buf *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, lit = 0, len;
    while (i < n) {
        if (u[i] != '[' || !(len = marker_len_at(u, n, i))) {
            i++;
            continue;
        }
        buf_append(out, s + lit, i - lit);
        buf_puts(out, "[]"); /* still a bracket: no phrase runs across it */
        i += len;
        lit = i;
    }
    if (n > lit)
        buf_append(out, s + lit, n - lit);
    return buf_oom(out) ? APP_E_NOMEM : APP_OK;
}
