/* markdown.c: people's Markdown as HTML, images turned into links (markdown.h says why)
 *
 * The image nodes are replaced in cmark's tree before rendering, so the link is cmark's own
 * (its URL filtered by CMARK_OPT_SAFE and escaped as every other link is), not text patched
 * into the HTML afterwards. A link whose address cmark's safe mode refuses (javascript:, say)
 * or that has none would be written <a href="">, a link to the page itself: it is shown as its
 * text alone.
 */
#include "text/markdown.h"
#include "core/arena.h"

#include <cmark.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool inside_link(cmark_node *n)
{
    while ((n = cmark_node_parent(n)))
        if (cmark_node_get_type(n) == CMARK_NODE_LINK)
            return true;
    return false;
}

/* url begins with lit, in any case (lit in lower case) */
static bool starts(const char *url, const char *lit)
{
    return strncasecmp(url, lit, strlen(lit)) == 0;
}

/* True when a link to url would lead nowhere worth a link: no address at all (a link to the
 * page itself), or one CMARK_OPT_SAFE refuses (cmark's own rule: javascript:, vbscript:,
 * file:, and data: but for PNG, GIF, JPEG and WebP images), which cmark would write as
 * href="", a link to the page itself too. Such a link is shown as its text alone. */
static bool link_useless(const char *url)
{
    if (!url || !*url)
        return true;
    if (starts(url, "javascript:") || starts(url, "vbscript:") || starts(url, "file:"))
        return true;
    return starts(url, "data:") && !starts(url, "data:image/png") &&
           !starts(url, "data:image/gif") && !starts(url, "data:image/jpeg") &&
           !starts(url, "data:image/webp");
}

/* Replaces link node link with its text alone (a custom inline with no markup of its own).
 * Returns the new node, or NULL when out of memory. */
static cmark_node *link_to_text(cmark_node *link)
{
    cmark_node *text = cmark_node_new(CMARK_NODE_CUSTOM_INLINE), *child;
    if (!text)
        return NULL;
    while ((child = cmark_node_first_child(link)))
        if (!cmark_node_append_child(text, child)) /* unlinks child from link */
            goto fail;
    if (!cmark_node_replace(link, text))
        goto fail;
    cmark_node_free(link);
    return text;
fail:
    cmark_node_free(text);
    return NULL;
}

/* Replaces image node img with a link to the same address and title holding its description
 * (or the address, when it has none); inside a link, or when its address makes no link
 * (link_useless), with the description alone, as a link cannot hold another. Returns the new
 * node, or NULL when out of memory. */
static cmark_node *image_to_link(cmark_node *img)
{
    const char *url = cmark_node_get_url(img), *title = cmark_node_get_title(img);
    bool nested = inside_link(img) || link_useless(url);
    cmark_node *link = cmark_node_new(nested ? CMARK_NODE_CUSTOM_INLINE : CMARK_NODE_LINK), *child;
    if (!link || (!nested && (!cmark_node_set_url(link, url ? url : "") ||
                              !cmark_node_set_title(link, title ? title : ""))))
        goto fail;
    while ((child = cmark_node_first_child(img)))
        if (!cmark_node_append_child(link, child)) /* unlinks child from img */
            goto fail;
    if (!cmark_node_first_child(link)) {
        cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);
        if (!text || !cmark_node_set_literal(text, url && *url ? url : "image") ||
            !cmark_node_append_child(link, text)) {
            cmark_node_free(text);
            goto fail;
        }
    }
    if (!cmark_node_replace(img, link))
        goto fail;
    cmark_node_free(img);
    return link;
fail:
    cmark_node_free(link);
    return NULL;
}

char *markdown_html(struct arena *a, const char *md)
{
    /* CMARK_OPT_SAFE is the default in cmark 0.30 (raw HTML and dangerous URLs dropped); it
     * is named so the intent survives a library that changes the default. */
    int opts = CMARK_OPT_DEFAULT | CMARK_OPT_SAFE;
    cmark_node *doc = cmark_parse_document(md ? md : "", md ? strlen(md) : 0, opts);
    cmark_iter *it;
    cmark_event_type ev;
    char *html = NULL, *copy = NULL;
    if (!doc)
        return NULL;
    if (!(it = cmark_iter_new(doc)))
        goto done;
    /* a node may be changed once the iterator has left it (cmark.h): an image, or a link
     * to nowhere, is replaced on its exit event and the walk goes on from the new node's exit */
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it), *link;
        cmark_node_type type = cmark_node_get_type(node);
        if (ev != CMARK_EVENT_EXIT)
            continue;
        if (type == CMARK_NODE_LINK && link_useless(cmark_node_get_url(node)))
            link = link_to_text(node);
        else if (type == CMARK_NODE_IMAGE)
            link = image_to_link(node);
        else
            continue;
        if (!link) {
            cmark_iter_free(it);
            goto done;
        }
        cmark_iter_reset(it, link, CMARK_EVENT_EXIT);
    }
    cmark_iter_free(it);
    if ((html = cmark_render_html(doc, opts)))
        copy = arena_strdup(a, html);
done:
    free(html);
    cmark_node_free(doc);
    return copy;
}
