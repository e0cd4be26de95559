/* html_sections.h: a page of prose, such as the privacy notice, as JSON an API client can read
 *
 * Some pages are text a person reads (the privacy notice): their words live in one template,
 * written once for the page. The JSON API must carry the same words, not an empty shell, and
 * not a second copy that drifts from the page. So the API renders the page's own template
 * and reads its structure back: the program's own well-formed HTML, not arbitrary HTML from
 * the web. Only what a reader reads is kept: headings, paragraphs, lists and tables, with
 * their text (tags dropped, entities decoded, white space collapsed) and the links in them;
 * navigation, forms and anything outside those blocks is left out.
 */
#ifndef AHP_WEB_HTML_SECTIONS_H
#define AHP_WEB_HTML_SECTIONS_H

#include <jansson.h>
#include <stddef.h>

/* The len bytes of html as {"intro": [blocks], "sections": [section]}: the blocks before the
 * first heading below the page's H1 (whose text is left out: the caller has the title), then
 * one section per H2 — {"heading", "level": 2, "id" (when the heading has one), "content":
 * [blocks], "sections": [its H3s (and deeper), each a section of level 3 with content]}. An H3
 * before any H2 is a section of its own. A block is {"type": "paragraph", "text"}, {"type":
 * "list", "items": [text]} or {"type": "table", "caption", "header": [text], "rows":
 * [[text]]}; a paragraph or list with links has "links": [{"text", "href"}]. A new reference;
 * NULL when out of memory. */
json_t *html_sections(const char *html, size_t len);

#endif
