/* html.h: escaping for HTML text, quoted attribute values and URL components
 *
 * Each helper appends to a struct buf (src/core/buf.h) and so never fails on its own: an
 * allocation failure marks the buffer oom, which its owner checks once at the end.
 */
#ifndef AHP_HTML_H
#define AHP_HTML_H

#include <stddef.h>

struct buf;

/* Appends the n bytes at s with & < > " ' replaced by &amp; &lt; &gt; &quot; &#39;. The
 * result is safe in element text and inside a single- or double-quoted attribute value
 * (not in an unquoted one, a <script>, a <style> or a URL attribute's scheme). Other bytes,
 * including UTF-8 sequences, are copied unchanged. s may be NULL when n is 0. */
void html_escape(struct buf *b, const char *s, size_t n);

/* Appends the n bytes at s percent-encoded (upper-case hex), leaving only RFC 3986
 * unreserved characters (A-Z a-z 0-9 - . _ ~) as they are; a space becomes %20. For one
 * path segment or one query value; the result is also safe inside an HTML attribute.
 * s may be NULL when n is 0. */
void url_escape(struct buf *b, const char *s, size_t n);

#endif
