/* str.c: string slices, UTF-8 validation, URL decoding, hex */
#include "str.h"
#include "arena.h"

#include <string.h>

struct str str_from(const char *s)
{
    struct str r = {s, s ? strlen(s) : 0};
    return r;
}

bool str_eq(struct str a, struct str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

bool str_eq_cstr(struct str a, const char *b)
{
    return str_eq(a, str_from(b));
}

bool str_starts_with(struct str s, const char *prefix)
{
    size_t n = strlen(prefix);
    return s.len >= n && memcmp(s.p, prefix, n) == 0;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

bool str_eq_nocase(struct str a, const char *b)
{
    size_t n = strlen(b), i;
    if (a.len != n)
        return false;
    for (i = 0; i < n; i++)
        if (lower((unsigned char)a.p[i]) != lower((unsigned char)b[i]))
            return false;
    return true;
}

struct str str_trim(struct str s)
{
    while (s.len && (s.p[0] == ' ' || s.p[0] == '\t')) {
        s.p++;
        s.len--;
    }
    while (s.len && (s.p[s.len - 1] == ' ' || s.p[s.len - 1] == '\t'))
        s.len--;
    return s;
}

char *str_dup(struct arena *a, struct str s)
{
    return arena_strndup(a, s.p ? s.p : "", s.len);
}

bool utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        unsigned c = *p;
        size_t k;
        unsigned cp, min;
        if (c == 0)
            return false;
        if (c < 0x80) {
            p++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            k = 1;
            cp = c & 0x1F;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            cp = c & 0x0F;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            return false;
        }
        if ((size_t)(end - p) <= k)
            return false;
        for (size_t i = 1; i <= k; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += k + 1;
    }
    return true;
}

size_t utf8_count(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    return count;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = lower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

size_t url_decode(const char *s, size_t n, char *out, bool plus)
{
    size_t i, o = 0;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            int h, l;
            if (i + 2 >= n)
                return (size_t)-1;
            h = hexval((unsigned char)s[i + 1]);
            l = hexval((unsigned char)s[i + 2]);
            if (h < 0 || l < 0)
                return (size_t)-1;
            out[o++] = (char)(h * 16 + l);
            i += 2;
        } else if (c == '+' && plus) {
            out[o++] = ' ';
        } else {
            out[o++] = c;
        }
    }
    return o;
}

bool parse_int64(struct str s, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    uint64_t v = 0, limit;
    if (s.len == 0)
        return false;
    if (s.p[0] == '-') {
        neg = 1;
        i = 1;
        if (s.len == 1)
            return false;
    }
    limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < s.len; i++) {
        unsigned d = (unsigned char)s.p[i] - '0';
        if (d > 9)
            return false;
        if (v > (limit - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

int utf8_prefix_len(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return (int)n;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

bool id_valid(const char *s, size_t max)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return n >= 1 && n <= max;
}

bool str_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}
