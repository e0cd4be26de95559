/* html.c: escaping for HTML text, quoted attribute values and URL components
 *
 * Both escapers copy runs of bytes that need no change with one append, so ordinary text
 * costs one memcpy per run rather than one call per byte. html_escape() runs on every value
 * of every page, so it looks bytes up in a table, eight at a time.
 */
#include "web/html.h"
#include "core/buf.h"

#include <stdbool.h>

/* For each byte, 0 or the index of its character reference below. &#39; rather than &apos;,
 * which HTML 4 browsers do not know. */
static const unsigned char esc_of[256] = {['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5};
static const char *const esc_text[] = {"", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
static const unsigned char esc_len[] = {0, 5, 4, 4, 6, 5};

void html_escape(struct buf *b, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, run = 0;
    while (i < n) {
        /* most text has nothing to escape: eight bytes, one branch */
        if (n - i >= 8 &&
            !(esc_of[u[i]] | esc_of[u[i + 1]] | esc_of[u[i + 2]] | esc_of[u[i + 3]] |
              esc_of[u[i + 4]] | esc_of[u[i + 5]] | esc_of[u[i + 6]] | esc_of[u[i + 7]])) {
            i += 8;
            continue;
        }
        unsigned e = esc_of[u[i]];
        if (e) {
            if (i > run)
                buf_append(b, s + run, i - run);
            buf_append(b, esc_text[e], esc_len[e]);
            run = i + 1;
        }
        i++;
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
