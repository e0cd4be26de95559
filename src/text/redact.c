/* redact.c: replaces emails, UK phone and NHS numbers, postcodes and web addresses with markers
 *
 * One left-to-right pass of hand-written scanners: no regex library, no recursion, nothing
 * allocated but the output. At each byte the scanners are tried in a fixed order (web address
 * with a scheme or "www.", email, bare domain with a path, NHS number, phone number,
 * postcode); the first that matches has its span replaced by its marker, otherwise the byte
 * is copied. A scanner may start only where its left boundary holds, judged against the bytes
 * last *written*, so a marker's ']' counts as punctuation for what follows. Together with
 * the rule that no scanner starts where another looks past its own end (after a letter or
 * digit, or at the digits of "10:30" or "0.5"), this makes redaction idempotent: a second
 * pass over the output finds nothing (the fuzzer checks it).
 *
 * What each scanner accepts ("word" byte: ASCII letter or digit, or any byte >= 0x80):
 *  - Web address: "http://", "https://" or "www." in any case after a non-word byte, up to
 *    ASCII whitespace, a control byte, '<', '>' or '"'. Trailing . , ; : ! ? ' ] } * are
 *    left as text, and so is a trailing ')' unless it closes a '(' inside the address
 *    (Wikipedia links). A bare domain counts only with a path: ASCII labels, the last one
 *    com, org, net, uk or io (which covers .co.uk, .nhs.uk and .gov.uk), then '/', as in
 *    "example.com/page"; a bare "example.com" or "NHS.uk" in a sentence is kept.
 *  - Email: a run of letters, digits, . _ % + - and non-ASCII bytes (internationalised names)
 *    that starts after a byte outside that set, '@', then dot-separated labels of letters,
 *    digits, '-' and non-ASCII bytes. The address ends after the leading ASCII letters of the
 *    last label (the first excepted) that begins with two or more of them: so
 *    "name@example.nhs.uk," keeps its comma, "a@b.com.123" keeps ".123", and in
 *    "me@x.com07700900123" the phone number is redacted separately. "foo@bar" is not an
 *    address. Leading dots ("...me@x.org") stay as text.
 *  - NHS number: 10 digits, or 3-3-4 with one kind of separator (space or hyphen), whose
 *    modulus-11 check digit is right; not after a letter or digit, nor after "digit." or
 *    "digit," or "digit:" (the tail of "0.0123456789"); not followed by a digit. It is tried
 *    before the phone number, so a valid 10-digit number starting with 0 is an NHS number.
 *  - Phone number: "+44", "0044" or a trunk "0" followed by 9 or 10 national digits, the
 *    first not 0; after the country code a "0" or "(0)" is allowed ("+44 (0)20 ...",
 *    "+44 07700 ..."). Digits come in groups of two or more (a bracketed "(0)" excepted)
 *    separated by one space, '-' or '.', the same one throughout except in the gap after a
 *    country code or a bracketed area code; one pair of brackets may enclose a group. Same
 *    left boundary as NHS numbers. When more digits follow, the number ends at the last group
 *    that gives a valid length ("07700 900123 2 times"), a run of more than 15 digits is no
 *    number, and a candidate followed by a time (":30") is dropped, so "01 02 2019 10:30"
 *    survives. Years, prices, "Band 7", "2,000" never reach a valid length with a leading 0.
 *  - Postcode: A9, A99, AA9, AA99, A9A or AA9A, an optional single space, then 9AA, in any
 *    case, or GIR 0AA, with a non-word byte or the end of the text on both sides. Letters
 *    follow Royal Mail's rules (first never Q V X, second never I J Z, inward never C I K M
 *    O V, and the short lists for the third letter of A9A and fourth of AA9A), which turns
 *    away look-alikes such as "at10 2pm" and loses no real postcode.
 *
 * Known limits: "Tel07700900123" (glued to a word) is not a phone number; bare domains must
 * be ASCII; a curly quote glued to the front of an email goes with it; overseas-territory
 * and BFPO postcodes are not recognised. Matches start and end on ASCII bytes or take whole
 * runs of non-ASCII bytes, so no UTF-8 sequence is ever split. Every scanner either reads a
 * bounded window or starts only at the beginning of the run it reads, so the pass is linear.
 */
#include "text/redact.h"

#include <string.h>

#include "core/buf.h"
#include "core/err.h"

/* "0044" + a trunk "0" + 10 national digits */
#define PHONE_MAX_DIGITS 15

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

static bool tld_known(const unsigned char *s, size_t len)
{
    static const char *const tlds[] = {"com", "org", "net", "uk", "io"};
    size_t k;
    for (k = 0; k < sizeof tlds / sizeof tlds[0]; k++)
        if (strlen(tlds[k]) == len && has_prefix(s, len, 0, tlds[k]))
            return true;
    return false;
}

/* "example.com/page": ASCII labels, a known top-level domain, then a path. */
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
        if (p < n && s[p] == '.')
            p++;
        else
            break;
    }
    if (labels < 2 || p >= n || s[p] != '/' || !tld_known(s + last, p - last))
        return 0;
    return url_tail(s, n, i, p - i);
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

/* Copies the digits of s[p..p+count) into d; false unless all are digits. */
static bool take_digits(const unsigned char *s, size_t n, size_t p, size_t count, char *d)
{
    size_t k;
    if (n - p < count)
        return false;
    for (k = 0; k < count; k++) {
        if (!is_digit(s[p + k]))
            return false;
        d[k] = (char)s[p + k];
    }
    return true;
}

static size_t scan_nhs(const unsigned char *s, size_t n, size_t i)
{
    char d[10];
    size_t len;
    unsigned char sep;
    if (take_digits(s, n, i, 10, d)) {
        len = 10;
    } else {
        if (!take_digits(s, n, i, 3, d) || n - i < 12)
            return 0;
        sep = s[i + 3];
        if ((sep != ' ' && sep != '-') || s[i + 7] != sep || !take_digits(s, n, i + 4, 3, d + 3) ||
            !take_digits(s, n, i + 8, 4, d + 6))
            return 0;
        len = 12;
    }
    if (i + len < n && is_digit(s[i + len]))
        return 0; /* part of a longer number */
    return nhs_number_valid(d) ? len : 0;
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

static bool phone_sep(unsigned char c)
{
    return c == ' ' || c == '-' || c == '.';
}

/* ":30" after the digits makes them a date and time ("01 02 2019 10:30"). */
static bool time_follows(const unsigned char *s, size_t n, size_t p)
{
    return n - p >= 3 && s[p] == ':' && is_digit(s[p + 1]) && is_digit(s[p + 2]) &&
           (n - p == 3 || !is_digit(s[p + 3]));
}

static size_t scan_phone(const unsigned char *s, size_t n, size_t i)
{
    char d[PHONE_MAX_DIGITS];
    size_t p = i, nd = 0, best = 0, group;
    bool plus = false, paren_used = false;
    unsigned char sep = 0;

    if (s[p] != '+' && s[p] != '(' && s[p] != '0')
        return 0;
    if (s[p] == '+') {
        plus = true;
        p++;
    }
    for (group = 0;; group++) {
        bool in_paren = false, country;
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
        } else if (p - start < 2) {
            break; /* a lone digit belongs to a list or a date */
        }
        if (phone_digits_ok(d, nd, plus) && !time_follows(s, n, p))
            best = p;
        if (p >= n)
            break;
        if ((in_paren && is_digit(s[p])) || (s[p] == '(' && !paren_used))
            continue; /* "(020)7946 0018", "+44(0)20 7946 0018" */
        if (!phone_sep(s[p]) || n - p < 2 ||
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

static size_t scan_postcode(const unsigned char *s, size_t n, size_t i)
{
    static const char *const outward[] = {"19", "199", "129", "1299", "193", "1294"};
    size_t k, end = 0;
    if (has_prefix(s, n, i, "GIR")) {
        size_t p = i + 3 + (n - i > 3 && s[i + 3] == ' ');
        if (has_prefix(s, n, p, "0AA") && !(p + 3 < n && is_word(s[p + 3])))
            return p + 3 - i;
    }
    for (k = 0; !end && k < sizeof outward / sizeof outward[0]; k++) {
        size_t p = i + pc_match(s, n, i, outward[k]);
        if (p == i)
            continue;
        if (p < n && s[p] == ' ')
            p++;
        if (pc_match(s, n, p, "9ii"))
            end = p + 3;
        if (end < n && is_word(s[end]))
            end = 0; /* inside a longer token */
    }
    return end ? end - i : 0;
}

/* ---- the pass --------------------------------------------------------------------------- */

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
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, lit = 0; /* s[lit..i) is waiting to be copied */
    unsigned kinds = 0;
    /* The last two bytes written; the start of the text is a boundary. */
    unsigned char prev = ' ', prev2 = ' ';

    while (i < n) {
        size_t skip = 0, len = 0;
        enum redact_kind kind = 0;
        /* Digits after "0.", "1," or "10:" continue that number ("0.0123456789"); nothing
         * starts there, which also keeps the time rule in scan_phone stable. */
        bool num_tail =
            is_digit(s[i]) && (prev == '.' || prev == ',' || prev == ':') && is_digit(prev2);
        bool digits_ok = !is_alnum(prev) && !num_tail;
        if (!is_word(prev) && (len = scan_web(s, n, i))) {
            kind = REDACT_URL;
        } else if (!is_local(prev) && !num_tail) {
            while (i + skip < n && s[i + skip] == '.')
                skip++; /* an address never starts with a dot; "...me@x.org" keeps them */
            if ((len = scan_email(s, n, i + skip)))
                kind = REDACT_EMAIL;
            else
                skip = 0;
        }
        /* The digit scanners come after the email one so "07700900123@x.com" is an email,
         * and the NHS number before the phone number, which can look the same. */
        if (!kind && !is_label(prev) && prev != '.' && !num_tail && is_alnum(s[i]) &&
            (len = scan_bare_domain(s, n, i)))
            kind = REDACT_URL;
        else if (!kind && digits_ok && (len = scan_nhs(s, n, i)))
            kind = REDACT_NHS_NUMBER;
        else if (!kind && digits_ok && (len = scan_phone(s, n, i)))
            kind = REDACT_PHONE;
        else if (!kind && !is_word(prev) && (len = scan_postcode(s, n, i)))
            kind = REDACT_POSTCODE;
        if (!kind) {
            prev2 = prev;
            prev = s[i++];
            continue;
        }
        i += skip;
        if (i > lit)
            buf_append(out, s + lit, i - lit);
        buf_puts(out, marker(kind));
        kinds |= (unsigned)kind;
        i += len;
        lit = i;
        prev2 = 'd';
        prev = ']'; /* as in "…removed]", so a second pass decides the same */
    }
    if (n > lit)
        buf_append(out, s + lit, n - lit);
    if (found)
        *found = kinds;
    return buf_oom(out) ? APP_E_NOMEM : APP_OK;
}
