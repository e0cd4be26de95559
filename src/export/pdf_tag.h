/* pdf_tag.h: the structure of a tagged PDF drawn by cairo, and what cairo 1.16 leaves out
 *
 * A tagged PDF carries, beside what is drawn, a tree of structure elements (Document, H1, P,
 * Table, TR, TH, TD, L, LI, Figure, …) in reading order, which screen readers, reflow and
 * text extraction follow. cairo (1.16 in Debian 12) writes that tree from cairo_tag_begin()
 * and cairo_tag_end() with the standard structure type as the tag name, and marks the
 * document as tagged (/MarkInfo << /Marked true >>). How it does so shapes the drawing code:
 *
 *   - Only the innermost open element owns what is drawn: content drawn while an element
 *     with children is innermost (a Document between its children, say) is left out of the
 *     tree. That is how page furniture (footers, rules, a header row repeated on a new page)
 *     stays out of the reading order: it is drawn with no leaf element open. cairo 1.16
 *     cannot mark it as an /Artifact, so it is simply unmarked content.
 *   - A leaf element open across cairo_show_page() owns what is drawn on both pages,
 *     footers included. A block that may break across pages (a paragraph, a quote, a chart)
 *     is therefore an element with one Span (or, for a list item, LBody) child per page,
 *     each closed before the page ends.
 *
 * What cairo 1.16 cannot write at all, pdf_tag_amend() adds afterwards as an incremental
 * update (ISO 32000-1 §7.5.6: the changed objects appended with their own cross-reference
 * section, the original bytes untouched):
 *   - the document language (/Lang in the catalogue): there is no cairo metadata for it;
 *   - /ViewerPreferences << /DisplayDocTitle true >>, so viewers show the title, not the
 *     file name;
 *   - alternative text (/Alt) on Figure elements: cairo 1.16 ignores attributes on structure
 *     tags;
 *   - /Scope /Column on TH header cells, for the same reason.
 * Still missing, and beyond this helper: marking page furniture as /Artifact, an XMP
 * metadata stream, and so a PDF/UA claim. The HTML pages remain the primary accessible form.
 *
 * The amendment reads cairo's own output (a classic cross-reference table, objects written
 * as plain dictionaries); should a future cairo write it differently, pdf_tag_amend() fails
 * with APP_E_INTERNAL rather than produce a document that claims more than it has, and the
 * tests say so.
 */
#ifndef AHP_PDF_TAG_H
#define AHP_PDF_TAG_H

#include <cairo.h>
#include <stddef.h>

struct buf;

/* What a document's tags need beyond cairo: figure alternative texts in drawing order. */
struct pdf_tags {
    char **alt; /* malloc'd copies */
    size_t nalt, cap;
    int err; /* sticky: APP_E_NOMEM once a copy failed */
};

#define PDF_TAGS_INIT                                                                              \
    {                                                                                              \
        NULL, 0, 0, 0                                                                              \
    }

/* The document language written by default (BCP 47). */
#define PDF_TAG_LANG "en-GB"

/* Opens the structure element of standard type type ("P", "H2", "TD", …) on cr; closes it.
 * Thin wrappers over cairo_tag_begin()/cairo_tag_end() that keep the names in one place. */
void pdf_tag_begin(cairo_t *cr, const char *type);
void pdf_tag_end(cairo_t *cr, const char *type);

/* Opens a Figure element whose alternative text is alt (UTF-8, copied; "" is allowed but a
 * figure should say what it shows). Close it with pdf_tag_end(cr, "Figure"). A failed copy
 * is remembered in t->err and reported by pdf_tag_amend(). */
void pdf_tag_figure(cairo_t *cr, struct pdf_tags *t, const char *alt);

/* Amends the finished PDF in out->data[start..out->len) (cairo's output, appended to out by
 * its write callback) with an incremental update giving the catalogue /Lang lang (letters,
 * digits and '-', at most 35 bytes) and /ViewerPreferences, every Figure element its /Alt
 * from t (the n-th Figure opened gets the n-th text) and every TH element /Scope /Column.
 * Returns 0; APP_E_INVALID (NULL out or t, bad lang); APP_E_NOMEM (out is then oom);
 * APP_E_INTERNAL when the PDF is not shaped as cairo 1.16 writes it or the number of figures
 * differs from the texts recorded. On failure out keeps its original bytes. */
int pdf_tag_amend(struct buf *out, size_t start, const struct pdf_tags *t, const char *lang);

/* Frees the recorded texts; the struct may be used again. */
void pdf_tags_cleanup(struct pdf_tags *t);

#endif
