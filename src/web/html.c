/* html.c: escaping for HTML text, quoted attribute values and URL components
 *
 * Both escapers copy runs of bytes that need no change with one append, so ordinary text
 * costs one memcpy per run rather than one call per byte.
 */
#include "web/html.h"
#include "core/buf.h"

#include <stdbool.h>

void html_escape(struct buf *b, const char *s, size_t n)
{
    size_t i, run = 0;
    for (i = 0; i < n; i++) {
        const char *rep;
        size_t replen;
        switch (s[i]) {
        case '&':
            rep = "&amp;", replen = 5;
            break;
        case '<':
            rep = "&lt;", replen = 4;
            break;
        case '>':
            rep = "&gt;", replen = 4;
            break;
        case '"':
            rep = "&quot;", replen = 6;
            break;
        case '\'':
            /* &#39; rather than &apos;, which HTML 4 browsers do not know */
            rep = "&#39;", replen = 5;
            break;
        default:
            continue;
        }
        if (i > run)
            buf_append(b, s + run, i - run);
        buf_append(b, rep, replen);
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
