/* html.c: escaping for HTML text, quoted attribute values and URL components
 *
 * Both escapers copy the runs of bytes that need no change with one append each.
 */
#include "web/html.h"
#include "core/buf.h"

#include <stdbool.h>

/* The character reference for c, or NULL when c is copied as it is. &#39; rather than
 * &apos;, which HTML 4 browsers do not know. */
static const char *html_entity(char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    default:
        return NULL;
    }
}

void html_escape(struct buf *b, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *e = html_entity(s[i]);
        if (!e)
            continue;
        if (i > run)
            buf_append(b, s + run, i - run);
        buf_puts(b, e);
        run = i + 1;
    }
    if (n > run)
        buf_append(b, s + run, n - run);
}

static bool unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

void url_escape(struct buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i, run = 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[3];
        if (unreserved(c))
            continue;
        if (i > run)
            buf_append(b, s + run, i - run);
        esc[0] = '%';
        esc[1] = hex[c >> 4];
        esc[2] = hex[c & 15];
        buf_append(b, esc, 3);
        run = i + 1;
    }
    if (n > run)
        buf_append(b, s + run, n - run);
}
