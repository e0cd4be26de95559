/* markdown.h: Markdown that people type, as HTML safe to show to everyone else who reads it
 *
 * One renderer for text members write and others read: cmark with raw HTML and dangerous
 * links (javascript:, most data:) left out (such a link, or one with no address, is shown as
 * its text alone), and images shown as links. An image in a post
 * would make every reader's browser fetch a URL the writer chose — a tracking pixel that tells
 * the writer who read the post and when, from where — and the site's Content-Security-Policy
 * would block most of them anyway. As a link with the image's description, the reader sees
 * what it is and chooses whether to open it.
 */
#ifndef AHP_TEXT_MARKDOWN_H
#define AHP_TEXT_MARKDOWN_H

struct arena;

/* md (NULL reads as "") as HTML in the arena; NULL when out of memory. An image becomes a
 * link to its address whose text is its description (the address when it has none). */
char *markdown_html(struct arena *a, const char *md);

#endif
