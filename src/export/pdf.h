/* pdf.h: an A4 report typeset with Pango and written as a tagged PDF by cairo
 *
 * The caller records the body as a sequence of blocks (headings, paragraphs, quotes, lists,
 * tables, bar charts), then pdf_finish() lays the whole document out: a title page, a
 * contents page listing the level-1 and level-2 headings with their page numbers (left out
 * when there are none), then the body. Every page carries "Page N of M" in its footer, with N
 * counted from the title page, so the numbers in the contents match the footers, a PDF viewer's
 * page box and pdftotext's pages. The contents entries are links, and the same headings form the
 * PDF's outline (bookmarks). A level-1 heading starts a new page; a heading is never left alone at
 * the foot of a page; paragraphs and tables break across pages (a table repeats its header
 * row); a quote or a chart moves whole to the next page when it does not fit but would fit
 * on a page of its own. A compact document (pdf_set_compact(): a CV) has neither title page
 * nor contents: the title heads the first page and level-1 headings do not start pages.
 *
 * Text is plain UTF-8 (no markup: "<b>" is printed as it is), wrapped at word boundaries.
 * Bytes that are not valid UTF-8 (or a NUL) are refused with APP_E_INVALID, because Pango
 * would silently draw them as something else; other control characters are printed as
 * spaces. In headings, labels, titles and table headers, line breaks and tabs are printed as
 * spaces too; in paragraphs, quotes and table cells a line break starts a new line.
 *
 * Fonts: every block is set in PDF_FONT_FAMILY, regular and bold, and only that family is
 * asked for, so the look (and where lines and pages break) is the same on every machine that
 * has it. It is Liberation Sans: free (SIL OFL 1.1), with the metrics of Arial, the NHS
 * identity's fallback for Frutiger and the HTML pages' too. scripts/deps installs it
 * (Debian's fonts-liberation2; fonts-liberation's older 1.07 has the same family name and
 * the same Arial metrics, and fontconfig prefers the newer version when both are there). A
 * character the family lacks (CJK, Arabic, …) comes from whichever installed font fontconfig
 * finds for it, as it must. Without the family fontconfig substitutes another for all of the
 * text: the PDF is still correct but looks different, so `ahphub serve` checks at start-up
 * with pdf_font_check() and logs a warning.
 *
 * Statistics in charts are disclosure-aware (text/disclosure.h): a hidden value is never
 * drawn as a bar but written out as "suppressed (too few people)" (or what else the chart
 * counts: pdf_bar_chart_of), and a value over nobody
 * as "no responses". As with the SVG charts, the caller should also give the numbers as a
 * table, formatted with disclosure_stat_format().
 *
 * Ownership: every string and array passed in is copied; the caller keeps its own. A
 * document is used by one thread at a time; different documents may be built and finished
 * in different threads (each pdf_finish() has its own font map and caches). The output is
 * a pure function of the blocks, the installed fonts and the date (see pdf_set_date()).
 *
 * Accessibility: the PDF is tagged (export/pdf_tag.h says how, and what cairo 1.16 cannot
 * do). Its structure, in reading order: Document; the title as the one H1 and the subtitle
 * as P; the contents as H2 and a TOC of TOCI entries, each a Link; level-1, 2 and 3 headings
 * as H2, H3 and H4 (level 4 as H5); paragraphs as P, quotes as BlockQuote (each page's
 * share a Span); lists as L of LI with Lbl and LBody, a list inside an item an L inside
 * its LBody; tables as Table of TR rows, the header row's cells TH with
 * column scope and the others TD (a header repeated on a later page is left out of the
 * structure); charts as Figure with alternative text giving the title and every bar's label
 * and value. Footers and rules are not in the structure. The document language is
 * PDF_TAG_LANG unless pdf_set_language() says otherwise, and the title is what viewers show.
 */
#ifndef AHP_PDF_H
#define AHP_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text/disclosure.h"

struct buf;
struct pdf_doc;

/* Limits beyond which the adders return APP_E_TOOBIG: a report needs far less, and these
 * keep a runaway caller from building a document nobody can open. */
#define PDF_MAX_TEXT       (1u << 20) /* bytes in one paragraph, quote or cell */
#define PDF_MAX_LINE       1000       /* bytes in a title, heading, label or header cell */
#define PDF_MAX_TABLE_COLS 16
#define PDF_MAX_TABLE_ROWS 1000000
#define PDF_MAX_BARS       1000
#define PDF_MAX_LABEL      16 /* bytes in a list item's number */
#define PDF_MAX_LIST_DEPTH 3  /* lists inside list items, this many levels deep */

/* The font family every PDF is set in (see the top of this file). */
#define PDF_FONT_FAMILY "Liberation Sans"

/* Asks fontconfig, through Pango as pdf_finish() does, which faces it would use for
 * PDF_FONT_FAMILY in regular and in bold. Returns 0 when both are that family's own, or
 * APP_E_NOTFOUND when fontconfig would substitute another family, or make the bold by
 * emboldening the regular face (the family, or its bold, is not installed: run
 * scripts/deps). used (may be NULL; size bytes) receives the face found, as Pango names it
 * ("DejaVu Sans Bold", or "Liberation Sans made bold"): the one that failed, else the
 * regular; "" when Pango loaded none.
 * Takes about 20 ms the first time in a process (fontconfig reading its configuration and
 * font list), a few ms after; safe from any thread. */
int pdf_font_check(char *used, size_t size);

/* A new empty document. title (required, non-empty) is printed on the title page and in
 * every footer and is the PDF's Title; subtitle (may be NULL) is printed under it and is the
 * PDF's Subject. Both at most PDF_MAX_LINE bytes. *out receives the document, which the
 * caller frees with pdf_free(). Returns 0, APP_E_INVALID (NULL out or title, empty title,
 * bad UTF-8), APP_E_TOOBIG or APP_E_NOMEM (*out is then NULL). */
int pdf_new(const char *title, const char *subtitle, struct pdf_doc **out);

/* Sets the creation and modification dates written into the PDF to unix_seconds (UTC).
 * Without it cairo writes the time pdf_finish() runs, so two runs differ in those bytes;
 * with it the output is byte-for-byte reproducible. Returns 0 or APP_E_INVALID (NULL d, or a
 * time before 1970 or after 9999). */
int pdf_set_date(struct pdf_doc *d, int64_t unix_seconds);

/* Sets the document language (BCP 47: letters, digits and '-', at most 35 bytes; default
 * PDF_TAG_LANG). Returns 0 or APP_E_INVALID. */
int pdf_set_language(struct pdf_doc *d, const char *lang);

/* Sets the PDF's Author (at most PDF_MAX_LINE bytes, copied). Returns 0, APP_E_INVALID (NULL,
 * bad UTF-8), APP_E_TOOBIG or APP_E_NOMEM. */
int pdf_set_author(struct pdf_doc *d, const char *author);

/* Makes the document compact: no title page and no contents; the title (and subtitle) head
 * the first page and level-1 headings follow on without starting a page. Returns 0 or
 * APP_E_INVALID (NULL d). */
int pdf_set_compact(struct pdf_doc *d);

/* Appends a heading of level 1 (a section: starts a new page), 2, 3 or 4. Levels 1 and 2 are
 * listed in the contents and the outline. Returns 0, APP_E_INVALID (NULL d or text, empty
 * text, level outside 1..4, bad UTF-8), APP_E_TOOBIG (over PDF_MAX_LINE) or APP_E_NOMEM. On
 * any error the document is unchanged; the same holds for every adder below. */
int pdf_heading(struct pdf_doc *d, int level, const char *text);

/* Appends a paragraph of body text. Returns 0, APP_E_INVALID (NULL d or text, bad UTF-8),
 * APP_E_TOOBIG (over PDF_MAX_TEXT) or APP_E_NOMEM. An empty paragraph adds only space. */
int pdf_paragraph(struct pdf_doc *d, const char *text);

/* Appends a quotation: indented, with a blue rule on its left, and the attribution (may be
 * NULL or "") under it in smaller grey type after a dash. Returns as pdf_paragraph(). */
int pdf_quote(struct pdf_doc *d, const char *text, const char *attribution);

/* Appends a bulleted list of n items (0..PDF_MAX_TABLE_ROWS; each at most PDF_MAX_TEXT
 * bytes, a line break starting a new line within the item). items may be NULL when n is 0.
 * Returns 0, APP_E_INVALID (NULL d, NULL items with n > 0, a NULL item, bad UTF-8),
 * APP_E_TOOBIG or APP_E_NOMEM. */
int pdf_list(struct pdf_doc *d, const char *const *items, size_t n);

/* One item of a list that may be numbered and may hold lists. */
struct pdf_list_item {
    const char *text;  /* as an item of pdf_list() */
    const char *label; /* its number as printed ("3.", "3)"; at most PDF_MAX_LABEL bytes, on
                        * one line), or NULL for a bullet */
    int depth;         /* 0; or, inside the item before, one more than that item's depth
                        * (at most PDF_MAX_LIST_DEPTH) */
    bool new_list;     /* it begins a list of its own, ending the one at its depth before
                        * it (a second list inside the same item); the first item, and an
                        * item one deeper than the one before, begin one anyway */
};

/* Appends a list of n items, each numbered by its own label or bulleted, the items of a
 * list inside an item following that item one level deeper, each list an L of its own. Returns as
 * pdf_list(), and APP_E_INVALID for a depth out of order or a NULL text, APP_E_TOOBIG for a label
 * over PDF_MAX_LABEL bytes. */
int pdf_list_items(struct pdf_doc *d, const struct pdf_list_item *items, size_t n);

/* Appends a table of cols columns (1..PDF_MAX_TABLE_COLS): header holds cols strings (at
 * most PDF_MAX_LINE bytes each), cells holds rows × cols strings, row by row (may be NULL
 * when rows is 0). col_widths (may be NULL: equal columns) holds cols positive fractions of
 * the text width, scaled so that they fill it. Cell text wraps within its column; a cell
 * too tall for a page is cut short with "…". Returns 0, APP_E_INVALID (NULL d, header or a
 * string, NULL cells with rows > 0, cols out of range, a width not positive and finite,
 * bad UTF-8), APP_E_TOOBIG (rows over PDF_MAX_TABLE_ROWS, a string too long) or
 * APP_E_NOMEM. */
int pdf_table(struct pdf_doc *d, size_t cols, const char *const *header, size_t rows,
              const char *const *cells, const double *col_widths);

/* Appends a horizontal bar chart titled title (required) of n bars (0..PDF_MAX_BARS; 0 draws
 * "No data"): labels[i] (at most PDF_MAX_LINE bytes) down the left, values[i] as a bar on a
 * 0..max scale with its value printed at the end to `decimals` (0..3) decimals followed by
 * unit (may be NULL; at most 16 bytes, e.g. "%"). See the top of this file for hidden values;
 * a stat both shown and suppressed counts as suppressed. labels and values may be NULL when
 * n is 0. Returns 0, APP_E_INVALID (NULL d or title or a label, max not positive and finite,
 * a shown value not finite or outside 0..max, decimals out of range, bad UTF-8),
 * APP_E_TOOBIG (too many bars, a string too long) or APP_E_NOMEM. */
int pdf_bar_chart(struct pdf_doc *d, const char *title, const char *const *labels,
                  const struct disclosure_stat *values, size_t n, double max, int decimals,
                  const char *unit);
/* The same, for values that count something other than people: a hidden one is written out
 * as "suppressed (too few " counted ")", e.g. "suppressed (too few contributions)". counted
 * is plural, non-empty, at most 32 bytes; NULL means "people" (pdf_bar_chart). */
int pdf_bar_chart_of(struct pdf_doc *d, const char *title, const char *counted,
                     const char *const *labels, const struct disclosure_stat *values, size_t n,
                     double max, int decimals, const char *unit);

/* Lays the document out and appends the PDF to out; *pages (may be NULL) receives the
 * number of pages. The document is not changed, so it may be finished again. Returns 0,
 * APP_E_INVALID (NULL d or out), APP_E_NOMEM (out is then oom, see buf.h), APP_E_INTERNAL
 * (cairo failed, or the two layout passes disagreed: a bug). On failure out is left as it
 * was (unless oom) and *pages is 0. */
int pdf_finish(struct pdf_doc *d, struct buf *out, size_t *pages);

/* Frees the document and everything it copied. NULL is allowed. */
void pdf_free(struct pdf_doc *d);

#endif
