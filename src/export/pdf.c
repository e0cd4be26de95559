/* pdf.c: an A4 report typeset with Pango and written as a tagged PDF by cairo
 *
 * The adders only check and copy their input into the document's arena; pdf_finish() does
 * all the work. The contents page needs the page numbers of headings that come after it, and
 * cairo writes pages in order, so the body is laid out twice by the same code: a first pass
 * that draws nothing and notes where each heading falls and how many pages there are, then a
 * second that draws the title page, the contents (now with numbers, links and "of M") and
 * the body. The contents' own length does not depend on the numbers printed in it (they sit
 * in a fixed column), so it is measured first and the body's first page is known before
 * either pass. The second pass checks that every heading lands where the first pass said;
 * a disagreement is a bug and fails with APP_E_INTERNAL rather than print wrong numbers.
 *
 * Speed: a report of 10,000 contributions is mostly one long table, and a Pango layout costs
 * about a microsecond a character (itemising, shaping and breaking each time), which would
 * make that table alone take seconds. Table cells of simple text (LTR scripts, spaces
 * between words, no line breaks or controls) therefore go through a small word cache
 * instead: each distinct word is shaped once with Pango, lines are filled greedily at spaces,
 * and a page's words go out in one cairo_show_text_glyphs() with clusters, so that text
 * copied or extracted from the PDF is still the cell's text. (cairo's cost is mostly per
 * drawing call, so batching a page's text and its row rules matters as much as the cache.)
 * Anything else, and any cell with a word wider than its column, goes through an ordinary
 * Pango layout. The cost is that simple cells break only at spaces (Pango would also break
 * after a hyphen) and ignore kerning across a space; nobody sees either in a table. On the
 * benchmark (bench/pdf_bench.c) the 10,000-row report, 428 pages in Liberation Sans, took
 * 0.3 to 0.4 s untagged, mostly inside cairo writing the pages. Tagging (pdf_tag.h) costs
 * most of a second such: each cell's words must go out inside its own TD element, so a page
 * of cells is one drawing call per cell rather than one per page, and cairo writes an
 * element per cell and row; the same report now takes about 0.6 s.
 *
 * Everything Pango and cairo give us is released by pdf_finish(): the font map is our own
 * (pango_cairo_font_map_get_default() lives as long as its thread and keeps every font it
 * ever loaded), so the fonts and caches of one report die with it. The price is fontconfig
 * matching the fonts afresh for each report, about 10 ms. Pango finishes that matching on a
 * helper thread of its own, which ends shortly after the font map is released; fontconfig's
 * configuration, loaded on first use, stays for the life of the process (tests/lsan.supp).
 */
#include "export/pdf.h"
#include "export/pdf_tag.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- page geometry, in PDF points -------------------------------------------------------- */

#define PAGE_W   595.276 /* A4 */
#define PAGE_H   841.890
#define MARGIN   56.693 /* 20 mm */
#define TOP      MARGIN
#define BOTTOM   (PAGE_H - MARGIN)
#define TEXT_W   (PAGE_W - 2 * MARGIN)
#define FOOTER_Y (PAGE_H - 38.0) /* the rule over the footer, inside the bottom margin */
#define AT_TOP   (TOP + 0.01)    /* y at or above this: nothing is on the page yet */

#define KEEP       42.0 /* room a heading needs under it for about three lines of text */
#define PARA_AFTER 8.0
#define QUOTE_IND  16.0 /* the quote's text starts this far in; its rule is at the margin */
#define QUOTE_RULE 4.0
#define CELL_PX    4.0 /* padding inside a table cell */
#define CELL_PY    3.0
#define NUM_W      40.0 /* the contents' page-number column */
#define BAR_H      12.0
#define BAR_GAP    7.0
#define AXIS_H     15.0
#define BAND_H     96.0 /* the blue band across the top of the title page */

enum font {
    F_BODY,
    F_BODY_BOLD,
    F_CELL,
    F_CELL_BOLD,
    F_SMALL,
    F_H1,
    F_H2,
    F_H3,
    F_TITLE,
    F_SUBTITLE,
    F_BRAND,
    F_FOOTER,
    F_COUNT
};

static const struct {
    double size; /* points */
    bool bold;
} font_spec[F_COUNT] = {
    [F_BODY] = {10.5, false},     [F_BODY_BOLD] = {10.5, true}, [F_CELL] = {9.5, false},
    [F_CELL_BOLD] = {9.5, true},  [F_SMALL] = {9.0, false},     [F_H1] = {20.0, true},
    [F_H2] = {15.0, true},        [F_H3] = {12.0, true},        [F_TITLE] = {28.0, true},
    [F_SUBTITLE] = {15.0, false}, [F_BRAND] = {18.0, true},     [F_FOOTER] = {8.5, false},
};

/* NHS identity colours. */
#define C_BLUE  0x005eb8u
#define C_TEXT  0x212b32u
#define C_GREY  0x4c6272u /* secondary text */
#define C_RULE  0xd8dde0u /* borders */
#define C_SHADE 0xf0f4f5u /* table header background */
#define C_WHITE 0xffffffu

/* ---- the recorded document --------------------------------------------------------------- */

enum kind { B_HEADING, B_PARA, B_QUOTE, B_TABLE, B_CHART, B_LIST };

struct block {
    enum kind kind;
    int level;      /* heading */
    char *text;     /* heading, paragraph, quote, chart title */
    char *text2;    /* quote attribution, chart unit; NULL when none */
    size_t cols;    /* table */
    size_t rows;    /* table rows (not counting the header); chart bars */
    char **cells;   /* table: header then rows, (rows + 1) × cols; chart: the labels; list:
                     * the items (rows of them) */
    char **labels;  /* list: each item's number ("3."), NULL for a bullet */
    int *depths;    /* list: each item's depth */
    bool *starts;   /* list: each item's new_list */
    double *widths; /* table: cols fractions summing to 1 */
    struct disclosure_stat *values;
    double max;
    int decimals;
    char *counted; /* chart: what a hidden value counts, plural ("people") */
};

struct pdf_doc {
    struct arena *arena; /* everything below lives in it, the document too */
    char *title;
    char *subtitle; /* NULL when none */
    char date[32];  /* ISO 8601 for cairo; "" when not set */
    char lang[36];  /* BCP 47, PDF_TAG_LANG unless set */
    char *author;   /* NULL when none */
    bool compact;   /* no title page and no contents */
    struct block *blocks;
    size_t n, cap;
};

/* Copies s (checked: not NULL, at most max bytes, valid UTF-8) into the arena with control
 * characters made spaces; flat also turns line breaks and tabs into spaces. */
static int copy_text(struct arena *a, const char *s, size_t max, bool flat, char **out)
{
    size_t n;
    char *c;

    if (!s)
        return APP_E_INVALID;
    n = strlen(s);
    if (n > max)
        return APP_E_TOOBIG;
    if (!utf8_valid(s, n))
        return APP_E_INVALID;
    c = arena_strndup(a, s, n);
    if (!c)
        return APP_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)c[i];
        if ((ch < 0x20 || ch == 0x7f) && (flat || (ch != '\n' && ch != '\t' && ch != '\r')))
            c[i] = ' ';
    }
    *out = c;
    return 0;
}

/* The next free block, zeroed; NULL when out of memory. Only counted once the caller says
 * the block is complete (d->n++), so a failed adder leaves the document as it was. */
static struct block *new_block(struct pdf_doc *d)
{
    struct block *b = arena_grow(d->arena, d->blocks, d->n + 1, &d->cap, sizeof *b);
    if (!b)
        return NULL;
    d->blocks = b;
    memset(&b[d->n], 0, sizeof *b);
    return &b[d->n];
}

int pdf_new(const char *title, const char *subtitle, struct pdf_doc **out)
{
    struct arena *a = NULL;
    struct pdf_doc *d;
    int err;

    if (!out)
        return APP_E_INVALID;
    *out = NULL;
    if (!title || !*title)
        return APP_E_INVALID;
    a = arena_new();
    if (!a)
        return APP_E_NOMEM;
    d = arena_calloc(a, 1, sizeof *d);
    if (!d) {
        err = APP_E_NOMEM;
        goto done;
    }
    d->arena = a;
    snprintf(d->lang, sizeof d->lang, "%s", PDF_TAG_LANG);
    err = copy_text(a, title, PDF_MAX_LINE, true, &d->title);
    if (!err && subtitle)
        err = copy_text(a, subtitle, PDF_MAX_LINE, true, &d->subtitle);
    if (!err) {
        *out = d;
        a = NULL;
    }
done:
    arena_free(a);
    return err;
}

int pdf_set_date(struct pdf_doc *d, int64_t unix_seconds)
{
    struct tm tm;
    time_t t = (time_t)unix_seconds;

    /* 1970..9999: four-digit years, which is what a PDF date holds. */
    if (!d || unix_seconds < 0 || unix_seconds > 253402300799LL || !gmtime_r(&t, &tm))
        return APP_E_INVALID;
    if (!strftime(d->date, sizeof d->date, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return APP_E_INVALID;
    return 0;
}

int pdf_set_language(struct pdf_doc *d, const char *lang)
{
    size_t n = lang ? strlen(lang) : 0;

    if (!d || !n || n >= sizeof d->lang)
        return APP_E_INVALID;
    for (size_t i = 0; i < n; i++)
        if (!((lang[i] >= 'a' && lang[i] <= 'z') || (lang[i] >= 'A' && lang[i] <= 'Z') ||
              (lang[i] >= '0' && lang[i] <= '9') || lang[i] == '-'))
            return APP_E_INVALID;
    memcpy(d->lang, lang, n + 1);
    return 0;
}

int pdf_set_author(struct pdf_doc *d, const char *author)
{
    if (!d || !author)
        return APP_E_INVALID;
    return copy_text(d->arena, author, PDF_MAX_LINE, true, &d->author);
}

int pdf_set_compact(struct pdf_doc *d)
{
    if (!d)
        return APP_E_INVALID;
    d->compact = true;
    return 0;
}

int pdf_heading(struct pdf_doc *d, int level, const char *text)
{
    struct block *b;
    int err;

    if (!d || !text || !*text || level < 1 || level > 4)
        return APP_E_INVALID;
    if (!(b = new_block(d)))
        return APP_E_NOMEM;
    b->kind = B_HEADING;
    b->level = level;
    if ((err = copy_text(d->arena, text, PDF_MAX_LINE, true, &b->text)))
        return err;
    d->n++;
    return 0;
}

int pdf_paragraph(struct pdf_doc *d, const char *text)
{
    struct block *b;
    int err;

    if (!d || !text)
        return APP_E_INVALID;
    if (!(b = new_block(d)))
        return APP_E_NOMEM;
    b->kind = B_PARA;
    if ((err = copy_text(d->arena, text, PDF_MAX_TEXT, false, &b->text)))
        return err;
    d->n++;
    return 0;
}

int pdf_quote(struct pdf_doc *d, const char *text, const char *attribution)
{
    struct block *b;
    int err;

    if (!d || !text)
        return APP_E_INVALID;
    if (!(b = new_block(d)))
        return APP_E_NOMEM;
    b->kind = B_QUOTE;
    if ((err = copy_text(d->arena, text, PDF_MAX_TEXT, false, &b->text)))
        return err;
    if (attribution && *attribution &&
        (err = copy_text(d->arena, attribution, PDF_MAX_LINE, true, &b->text2)))
        return err;
    d->n++;
    return 0;
}

int pdf_list_items(struct pdf_doc *d, const struct pdf_list_item *items, size_t n)
{
    struct block *b;
    int err;

    if (!d || (n > 0 && !items))
        return APP_E_INVALID;
    if (n > PDF_MAX_TABLE_ROWS)
        return APP_E_TOOBIG;
    for (size_t i = 0; i < n; i++)
        if (items[i].depth < 0 || items[i].depth > PDF_MAX_LIST_DEPTH ||
            items[i].depth > (i ? items[i - 1].depth + 1 : 0))
            return APP_E_INVALID;
    if (!(b = new_block(d)))
        return APP_E_NOMEM;
    b->kind = B_LIST;
    b->rows = n;
    if (!(b->cells = arena_calloc(d->arena, n ? n : 1, sizeof *b->cells)) ||
        !(b->labels = arena_calloc(d->arena, n ? n : 1, sizeof *b->labels)) ||
        !(b->depths = arena_calloc(d->arena, n ? n : 1, sizeof *b->depths)) ||
        !(b->starts = arena_calloc(d->arena, n ? n : 1, sizeof *b->starts)))
        return APP_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if ((err = copy_text(d->arena, items[i].text, PDF_MAX_TEXT, false, &b->cells[i])))
            return err;
        if (items[i].label &&
            (err = copy_text(d->arena, items[i].label, PDF_MAX_LABEL, true, &b->labels[i])))
            return err;
        b->depths[i] = items[i].depth;
        b->starts[i] = items[i].new_list;
    }
    d->n++;
    return 0;
}

int pdf_list(struct pdf_doc *d, const char *const *items, size_t n)
{
    struct pdf_list_item *li;
    struct arena *a;
    int err;

    if (!d || (n > 0 && !items))
        return APP_E_INVALID;
    if (n > PDF_MAX_TABLE_ROWS)
        return APP_E_TOOBIG;
    if (!(a = arena_new()) || !(li = arena_calloc(a, n ? n : 1, sizeof *li))) {
        arena_free(a);
        return APP_E_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        li[i].text = items[i];
    err = pdf_list_items(d, li, n);
    arena_free(a);
    return err;
}

int pdf_table(struct pdf_doc *d, size_t cols, const char *const *header, size_t rows,
              const char *const *cells, const double *col_widths)
{
    struct block *b;
    double sum = 0;
    int err;

    if (!d || !header || cols < 1 || cols > PDF_MAX_TABLE_COLS || (rows > 0 && !cells))
        return APP_E_INVALID;
    if (rows > PDF_MAX_TABLE_ROWS)
        return APP_E_TOOBIG;
    for (size_t c = 0; col_widths && c < cols; c++) {
        if (!isfinite(col_widths[c]) || col_widths[c] <= 0)
            return APP_E_INVALID;
        sum += col_widths[c];
    }
    if (!(b = new_block(d)))
        return APP_E_NOMEM;
    b->kind = B_TABLE;
    b->cols = cols;
    b->rows = rows;
    b->cells = arena_calloc(d->arena, (rows + 1) * cols, sizeof *b->cells);
    b->widths = arena_calloc(d->arena, cols, sizeof *b->widths);
    if (!b->cells || !b->widths)
        return APP_E_NOMEM;
    for (size_t c = 0; c < cols; c++) {
        b->widths[c] = col_widths ? col_widths[c] / sum : 1.0 / (double)cols;
        if ((err = copy_text(d->arena, header[c], PDF_MAX_LINE, true, &b->cells[c])))
            return err;
    }
    for (size_t i = 0; i < rows * cols; i++)
        if ((err = copy_text(d->arena, cells[i], PDF_MAX_TEXT, false, &b->cells[cols + i])))
            return err;
    d->n++;
    return 0;
}

int pdf_bar_chart(struct pdf_doc *d, const char *title, const char *const *labels,
                  const struct disclosure_stat *values, size_t n, double max, int decimals,
                  const char *unit)
{
    return pdf_bar_chart_of(d, title, NULL, labels, values, n, max, decimals, unit);
}

int pdf_bar_chart_of(struct pdf_doc *d, const char *title, const char *counted,
                     const char *const *labels, const struct disclosure_stat *values, size_t n,
                     double max, int decimals, const char *unit)
{
    struct block *b;
    int err;

    if (!d || !title || (n > 0 && (!labels || !values)) || !isfinite(max) || max <= 0 ||
        decimals < 0 || decimals > 3 || (counted && !*counted))
        return APP_E_INVALID;
    if (n > PDF_MAX_BARS)
        return APP_E_TOOBIG;
    for (size_t i = 0; i < n; i++) {
        const struct disclosure_stat *v = &values[i];
        if (v->shown && !v->suppressed && (!isfinite(v->value) || v->value < 0 || v->value > max))
            return APP_E_INVALID;
    }
    if (!(b = new_block(d)))
        return APP_E_NOMEM;
    b->kind = B_CHART;
    b->rows = n;
    b->max = max;
    b->decimals = decimals;
    if ((err = copy_text(d->arena, title, PDF_MAX_LINE, true, &b->text)))
        return err;
    if (unit && *unit && (err = copy_text(d->arena, unit, 16, true, &b->text2)))
        return err;
    if ((err = copy_text(d->arena, counted ? counted : "people", 32, true, &b->counted)))
        return err;
    b->cells = arena_calloc(d->arena, n ? n : 1, sizeof *b->cells);
    b->values = arena_calloc(d->arena, n ? n : 1, sizeof *b->values);
    if (!b->cells || !b->values)
        return APP_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if ((err = copy_text(d->arena, labels[i], PDF_MAX_LINE, true, &b->cells[i])))
            return err;
        b->values[i] = values[i];
    }
    d->n++;
    return 0;
}

void pdf_free(struct pdf_doc *d)
{
    if (d)
        arena_free(d->arena);
}

/* ---- the word cache for simple table cells ---------------------------------------------- */

/* One distinct word, shaped once. Glyph positions are relative to the word's origin. */
struct wseg { /* a stretch of the word in one font */
    cairo_scaled_font_t *sf;
    size_t b0, nb; /* its bytes in word.s */
    size_t g0, ng; /* its glyphs in word.g */
    size_t c0, nc; /* its clusters in word.c */
};

struct word {
    const char *s; /* NUL-terminated copy, the key */
    size_t len;
    uint64_t hash;
    int width;    /* Pango units */
    bool complex; /* not for the fast path: a missing glyph, RTL, odd clusters */
    struct wseg *seg;
    size_t nseg;
    cairo_glyph_t *g;
    cairo_text_cluster_t *c;
};

struct wcache {
    struct word **slot; /* open addressing, cap a power of two */
    size_t cap, n;
    PangoAttrList *attrs; /* the cell font, for pango_itemize() */
    PangoFont **fonts;    /* one reference to each font a segment uses */
    size_t nfonts, fonts_cap;
    struct word *space; /* " ", for the gaps between words */
};

/* The fast path's glyphs waiting to be shown, with their text: all of a page's in one font.
 * cairo's cost is mostly per drawing call (each is recorded, analysed, replayed and written),
 * so a page's simple cells go out in one cairo_show_text_glyphs(), and its row rules in one
 * stroke, when the page ends. */
struct run {
    cairo_scaled_font_t *sf;
    cairo_glyph_t *g;
    size_t ng, gcap;
    cairo_text_cluster_t *c;
    size_t nc, ccap;
    char *u; /* the text the clusters map, the cells' words and spaces in drawing order */
    size_t nu, ucap;
    double *rules; /* y of each row rule on the page */
    size_t nrules, rcap;
};

/* ---- laying out -------------------------------------------------------------------------- */

struct lay {
    const struct pdf_doc *d;
    cairo_surface_t *surf;
    cairo_t *cr;
    struct arena *arena; /* this pdf_finish()'s memory */
    PangoFontMap *fm;
    PangoContext *ctx;
    PangoFontDescription *font[F_COUNT];
    PangoLayout *footer_title;
    bool draw;        /* false in the first pass */
    int page;         /* the current page, 1-based */
    int total;        /* pages in all, once the first pass is done */
    double y;         /* the top of the free space on the page */
    int *head_page;   /* per block: where its heading fell in the first pass */
    double *head_y;   /* and how far down */
    int outline_one;  /* the outline id of the last level-1 heading */
    double cell_line; /* the height of a line in a table cell, points */
    double cell_base; /* its baseline below the line's top */
    struct wcache wc;
    struct run run;
    struct pdf_tags tags; /* what the tags need beyond cairo (pdf_tag.h) */
};

static void set_rgb(cairo_t *cr, unsigned rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                         (rgb & 0xff) / 255.0);
}

static void fill_rect(struct lay *L, double x, double y, double w, double h, unsigned rgb)
{
    set_rgb(L->cr, rgb);
    cairo_rectangle(L->cr, x, y, w, h);
    cairo_fill(L->cr);
}

static void hline(struct lay *L, double x0, double x1, double y, double width, unsigned rgb)
{
    set_rgb(L->cr, rgb);
    cairo_set_line_width(L->cr, width);
    cairo_move_to(L->cr, x0, y);
    cairo_line_to(L->cr, x1, y);
    cairo_stroke(L->cr);
}

/* A layout of text in font f wrapped to width points (0: no wrapping); the caller unrefs. */
static PangoLayout *new_layout(struct lay *L, enum font f, const char *text, double width)
{
    PangoLayout *pl = pango_layout_new(L->ctx);
    pango_layout_set_font_description(pl, L->font[f]);
    pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
    if (width > 0)
        pango_layout_set_width(pl, pango_units_from_double(width));
    pango_layout_set_text(pl, text, -1);
    return pl;
}

/* Cuts the layout short with "…" so that it is at most h points tall. */
static void limit_height(PangoLayout *pl, double h)
{
    pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_END);
    pango_layout_set_height(pl, pango_units_from_double(h));
}

static double height_of(PangoLayout *pl)
{
    int w, h;
    pango_layout_get_size(pl, &w, &h);
    return pango_units_to_double(h);
}

static double width_of(PangoLayout *pl)
{
    int w, h;
    pango_layout_get_size(pl, &w, &h);
    return pango_units_to_double(w);
}

static void show(struct lay *L, PangoLayout *pl, double x, double y, unsigned rgb)
{
    set_rgb(L->cr, rgb);
    cairo_move_to(L->cr, x, y);
    pango_cairo_show_layout(L->cr, pl);
}

/* One line of text in font f with its top-left at (x, y), right-aligned to x when right. */
static void show_text(struct lay *L, enum font f, const char *text, double x, double y,
                      unsigned rgb, bool right)
{
    PangoLayout *pl = new_layout(L, f, text, 0);
    show(L, pl, right ? x - width_of(pl) : x, y, rgb);
    g_object_unref(pl);
}

static void draw_footer(struct lay *L)
{
    char page[64];

    hline(L, MARGIN, PAGE_W - MARGIN, FOOTER_Y, 0.75, C_RULE);
    show(L, L->footer_title, MARGIN, FOOTER_Y + 6, C_GREY);
    snprintf(page, sizeof page, "Page %d of %d", L->page, L->total);
    show_text(L, F_FOOTER, page, PAGE_W - MARGIN, FOOTER_Y + 6, C_GREY, true);
}

static void page_flush(struct lay *L);

/* Ends the page (with its footer, when drawing) and starts the next. */
static void new_page(struct lay *L)
{
    if (L->draw) {
        page_flush(L);
        draw_footer(L);
        cairo_show_page(L->cr);
    }
    L->page++;
    L->y = TOP;
}

/* Starts a new page unless h points fit under y or the page is still empty. */
static void need(struct lay *L, double h)
{
    if (L->y + h > BOTTOM && L->y > AT_TOP)
        new_page(L);
}

/* Places the lines of pl at x from y down, breaking to a new page between lines where the
 * page is full. When rule_x >= 0, a quote's rule is drawn beside each page's share of it.
 * When drawing, each page's share is a structure element of type piece (pdf_tag.h: an
 * element open across a page break would take in the footer); the caller opens and closes
 * the element the pieces belong to. */
static void flow(struct lay *L, PangoLayout *pl, double x, double rule_x, const char *piece)
{
    PangoLayoutIter *it = pango_layout_get_iter(pl);
    double top = L->y; /* where this page's share starts, on the page */
    double first = 0;  /* and in the layout */
    double end = 0;    /* the bottom of the last line placed, in the layout */
    bool open = false; /* a piece is open */

    do {
        PangoRectangle log;
        double ly, lh;

        pango_layout_iter_get_line_extents(it, NULL, &log);
        ly = pango_units_to_double(log.y);
        lh = pango_units_to_double(log.height);
        if (top + ly + lh - first > BOTTOM && (ly > first || top > AT_TOP)) {
            if (L->draw && rule_x >= 0 && end > first)
                fill_rect(L, rule_x, top, QUOTE_RULE, end - first, C_BLUE);
            if (open)
                pdf_tag_end(L->cr, piece);
            open = false;
            new_page(L);
            top = L->y;
            first = ly;
        }
        if (L->draw && !open) {
            pdf_tag_begin(L->cr, piece);
            open = true;
        }
        if (L->draw) {
            set_rgb(L->cr, C_TEXT);
            cairo_move_to(L->cr, x,
                          top + pango_units_to_double(pango_layout_iter_get_baseline(it)) - first);
            pango_cairo_show_layout_line(L->cr, pango_layout_iter_get_line_readonly(it));
        }
        end = ly + lh;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    if (open)
        pdf_tag_end(L->cr, piece);
    if (L->draw && rule_x >= 0 && end > first)
        fill_rect(L, rule_x, top, QUOTE_RULE, end - first, C_BLUE);
    L->y = top + end - first;
}

/* ---- the fast path for table cells ----------------------------------------------------- */

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* The scaled font of f into *sf (NULL when f has none), keeping a reference to f for as
 * long as the cache lives. Returns 0 or APP_E_NOMEM. */
static int keep_font(struct lay *L, PangoFont *f, cairo_scaled_font_t **sf)
{
    struct wcache *wc = &L->wc;
    size_t i;

    *sf = NULL;
    if (!f)
        return 0;
    for (i = 0; i < wc->nfonts && wc->fonts[i] != f; i++)
        ;
    if (i == wc->nfonts) {
        PangoFont **fs =
            arena_grow(L->arena, wc->fonts, wc->nfonts + 1, &wc->fonts_cap, sizeof *fs);
        if (!fs)
            return APP_E_NOMEM;
        wc->fonts = fs;
        wc->fonts[wc->nfonts++] = g_object_ref(f);
    }
    *sf = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(f));
    return 0;
}

/* Shapes the word w->s (w->len bytes) with Pango into w's glyphs, clusters and segments.
 * Returns 0 or APP_E_NOMEM; a word the fast path cannot draw is marked complex. */
static int shape_word(struct lay *L, struct word *w)
{
    GList *items = pango_itemize(L->ctx, w->s, 0, (int)w->len, L->wc.attrs, NULL);
    size_t ni = g_list_length(items), ng = 0, nc = 0, k = 0;
    PangoGlyphString **gs = arena_calloc(L->arena, ni ? ni : 1, sizeof *gs);
    int pen = 0, err = 0;
    GList *l;

    if (!gs) {
        err = APP_E_NOMEM;
        goto done;
    }
    for (l = items; l; l = l->next, k++) {
        PangoItem *item = l->data;
        gs[k] = pango_glyph_string_new();
        pango_shape_with_flags(w->s + item->offset, item->length, w->s, (int)w->len,
                               &item->analysis, gs[k], PANGO_SHAPE_NONE);
        ng += (size_t)gs[k]->num_glyphs;
    }
    w->g = arena_calloc(L->arena, ng ? ng : 1, sizeof *w->g);
    w->c = arena_calloc(L->arena, ng ? ng : 1, sizeof *w->c);
    w->seg = arena_calloc(L->arena, ni ? ni : 1, sizeof *w->seg);
    if (!w->g || !w->c || !w->seg) {
        err = APP_E_NOMEM;
        goto done;
    }
    ng = 0;
    for (l = items, k = 0; l; l = l->next, k++) {
        PangoItem *item = l->data;
        PangoGlyphString *g = gs[k];
        struct wseg *sg = &w->seg[w->nseg++];
        int bytes = 0;

        if ((err = keep_font(L, item->analysis.font, &sg->sf)))
            goto done;
        if (!sg->sf || (item->analysis.level & 1))
            w->complex = true;
        sg->g0 = ng;
        sg->c0 = nc;
        sg->b0 = (size_t)item->offset;
        sg->nb = (size_t)item->length;
        for (int i = 0; i < g->num_glyphs;) {
            int j = i, next;
            /* LTR clusters come in text order; one run of equal log_clusters is a cluster. */
            while (j < g->num_glyphs && g->log_clusters[j] == g->log_clusters[i])
                j++;
            next = j < g->num_glyphs ? g->log_clusters[j] : item->length;
            if (g->log_clusters[i] != bytes || next <= bytes)
                w->complex = true;
            w->c[nc].num_bytes = next - bytes;
            w->c[nc].num_glyphs = j - i;
            nc++;
            bytes = next;
            for (; i < j; i++) {
                PangoGlyphInfo *gi = &g->glyphs[i];
                if ((gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG) || gi->glyph == PANGO_GLYPH_EMPTY)
                    w->complex = true;
                w->g[ng].index = gi->glyph;
                w->g[ng].x = pango_units_to_double(pen + gi->geometry.x_offset);
                w->g[ng].y = pango_units_to_double(gi->geometry.y_offset);
                pen += gi->geometry.width;
                ng++;
            }
        }
        if (bytes != item->length)
            w->complex = true;
        sg->ng = ng - sg->g0;
        sg->nc = nc - sg->c0;
    }
    w->width = pen;
done:
    for (k = 0, l = items; l; l = l->next, k++) {
        if (gs && gs[k])
            pango_glyph_string_free(gs[k]);
        pango_item_free(l->data);
    }
    g_list_free(items);
    return err;
}

/* The cached word of the n bytes at s, shaping it on first sight; NULL when out of memory. */
static struct word *word_get(struct lay *L, const char *s, size_t n)
{
    struct wcache *wc = &L->wc;
    uint64_t h = fnv1a(s, n);
    size_t i;
    struct word *w;

    if ((wc->n + 1) * 10 > wc->cap * 7) {
        size_t cap = wc->cap ? wc->cap * 2 : 1024;
        struct word **slot = arena_calloc(L->arena, cap, sizeof *slot);
        if (!slot)
            return NULL;
        for (size_t k = 0; k < wc->cap; k++) {
            if (!wc->slot[k])
                continue;
            for (i = wc->slot[k]->hash & (cap - 1); slot[i]; i = (i + 1) & (cap - 1))
                ;
            slot[i] = wc->slot[k];
        }
        wc->slot = slot; /* the old table is left to the arena */
        wc->cap = cap;
    }
    for (i = h & (wc->cap - 1); (w = wc->slot[i]); i = (i + 1) & (wc->cap - 1))
        if (w->hash == h && w->len == n && !memcmp(w->s, s, n))
            return w;
    w = arena_calloc(L->arena, 1, sizeof *w);
    if (!w || !(w->s = arena_strndup(L->arena, s, n)))
        return NULL;
    w->len = n;
    w->hash = h;
    if (shape_word(L, w))
        return NULL;
    wc->slot[i] = w;
    wc->n++;
    return w;
}

/* True when code point cp can be shaped word by word: left-to-right scripts and the
 * punctuation, currency and letter-like symbols round them, without controls, soft hyphens
 * or anything that breaks or joins lines. */
static bool simple_cp(uint32_t cp)
{
    if (cp < 0x590)
        return cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0) && cp != 0xad;
    return (cp >= 0x1e00 && cp <= 0x1fff) || (cp >= 0x2010 && cp <= 0x2027) ||
           (cp >= 0x2030 && cp <= 0x205e) || (cp >= 0x20a0 && cp <= 0x20cf) ||
           (cp >= 0x2100 && cp <= 0x21ff);
}

/* Decodes the (valid) UTF-8 sequence at s, returning its length. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] < 0xe0) {
        *cp = ((uint32_t)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
        return 2;
    }
    if (s[0] < 0xf0) {
        *cp = ((uint32_t)(s[0] & 0x0f) << 12) | ((uint32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
        return 3;
    }
    *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12) |
          ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
    return 4;
}

/* Grows *p (of *cap elements of size bytes) to hold need; false when out of memory. */
static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
    void *q;
    size_t c;

    if (need <= *cap)
        return true;
    c = need * 2 + 256;
    if (!(q = realloc(*p, c * size)))
        return false;
    *p = q;
    *cap = c;
    return true;
}

/* Shows the glyphs gathered so far. */
static void run_flush(struct lay *L)
{
    struct run *r = &L->run;
    if (r->ng) {
        set_rgb(L->cr, C_TEXT);
        cairo_set_scaled_font(L->cr, r->sf);
        cairo_show_text_glyphs(L->cr, r->u, (int)r->nu, r->g, (int)r->ng, r->c, (int)r->nc, 0);
    }
    r->ng = r->nc = r->nu = 0;
}

/* Draws what the page has gathered: the row rules, then the text. */
static void page_flush(struct lay *L)
{
    struct run *r = &L->run;
    if (r->nrules) {
        set_rgb(L->cr, C_RULE);
        cairo_set_line_width(L->cr, 0.6);
        for (size_t i = 0; i < r->nrules; i++) {
            cairo_move_to(L->cr, MARGIN, r->rules[i]);
            cairo_line_to(L->cr, MARGIN + TEXT_W, r->rules[i]);
        }
        cairo_stroke(L->cr);
        r->nrules = 0;
    }
    run_flush(L);
}

static int rule_add(struct lay *L, double y)
{
    struct run *r = &L->run;
    if (!grow((void **)&r->rules, &r->rcap, r->nrules + 1, sizeof *r->rules))
        return APP_E_NOMEM;
    r->rules[r->nrules++] = y;
    return 0;
}

/* Appends segment sg of word w, its origin at (x, y) (y the baseline), to the run. */
static int run_add(struct lay *L, const struct word *w, const struct wseg *sg, double x, double y)
{
    struct run *r = &L->run;

    if (r->ng && r->sf != sg->sf)
        run_flush(L);
    if (!grow((void **)&r->g, &r->gcap, r->ng + sg->ng, sizeof *r->g) ||
        !grow((void **)&r->c, &r->ccap, r->nc + sg->nc, sizeof *r->c) ||
        !grow((void **)&r->u, &r->ucap, r->nu + sg->nb, 1))
        return APP_E_NOMEM;
    r->sf = sg->sf;
    for (size_t i = 0; i < sg->ng; i++) {
        cairo_glyph_t g = w->g[sg->g0 + i];
        g.x += x;
        g.y += y;
        r->g[r->ng++] = g;
    }
    memcpy(r->c + r->nc, w->c + sg->c0, sg->nc * sizeof *r->c);
    r->nc += sg->nc;
    memcpy(r->u + r->nu, w->s + sg->b0, sg->nb);
    r->nu += sg->nb;
    return 0;
}

/* Fills lines of at most avail Pango units with the words of s (n bytes) and, when draw,
 * draws them with the first line's top-left at (x, y). Returns the number of lines (0 for
 * no words), -1 when the text is not for the fast path, or -2 when out of memory. */
static int fast_text(struct lay *L, const char *s, size_t n, int avail, double x, double y,
                     bool draw)
{
    const struct word *sp = L->wc.space;
    size_t i = 0, nspace = 0;
    int lines = 0, pen = 0;

    while (i < n) {
        size_t j = i;
        struct word *w;
        double base;

        if (s[i] == ' ') {
            nspace++;
            i++;
            continue;
        }
        while (j < n && s[j] != ' ') {
            uint32_t cp;
            j += utf8_next((const unsigned char *)s + j, &cp);
            if (!simple_cp(cp))
                return -1;
        }
        if (!(w = word_get(L, s + i, j - i)))
            return -2;
        if (w->complex || w->width > avail)
            return -1;
        if (lines > 0 && pen + (int)nspace * sp->width + w->width <= avail) {
            base = y + (lines - 1) * L->cell_line + L->cell_base;
            for (size_t k = 0; draw && k < nspace; k++)
                if (run_add(L, sp, &sp->seg[0], x + pango_units_to_double(pen + (int)k * sp->width),
                            base))
                    return -2;
            pen += (int)nspace * sp->width;
        } else {
            /* The spaces a line break replaces still belong to the text: they are drawn
             * (invisibly) at the end of the line, as Pango does, so the cell's text and a
             * screen reader's keep the words apart. */
            double prev = y + (lines - 1) * L->cell_line + L->cell_base;
            for (size_t k = 0; draw && lines > 0 && k < nspace; k++)
                if (run_add(L, sp, &sp->seg[0], x + pango_units_to_double(pen + (int)k * sp->width),
                            prev))
                    return -2;
            lines++;
            pen = 0;
        }
        base = y + (lines - 1) * L->cell_line + L->cell_base;
        for (size_t k = 0; draw && k < w->nseg; k++)
            if (run_add(L, w, &w->seg[k], x + pango_units_to_double(pen), base))
                return -2;
        pen += w->width;
        nspace = 0;
        i = j;
    }
    return lines;
}

/* ---- blocks ------------------------------------------------------------------------------ */

/* A table cell measured for drawing: either lines of the fast path or a Pango layout. */
struct cell {
    PangoLayout *pl; /* NULL: the fast path */
    double h;
};

/* Measures text for a column of width w (points) and at most maxh tall. */
static int cell_fit(struct lay *L, const char *text, enum font f, double w, double maxh,
                    struct cell *c)
{
    int lines = -1;

    c->pl = NULL;
    if (f == F_CELL)
        lines = fast_text(L, text, strlen(text), pango_units_from_double(w), 0, 0, false);
    if (lines == -2)
        return APP_E_NOMEM;
    if (lines >= 0 && lines * L->cell_line <= maxh) {
        c->h = (lines ? lines : 1) * L->cell_line;
        return 0;
    }
    c->pl = new_layout(L, f, text, w);
    limit_height(c->pl, maxh);
    c->h = height_of(c->pl);
    return 0;
}

static int cell_draw(struct lay *L, const char *text, const struct cell *c, double x, double y,
                     double w)
{
    if (c->pl) {
        show(L, c->pl, x, y, C_TEXT);
        return 0;
    }
    return fast_text(L, text, strlen(text), pango_units_from_double(w), x, y, true) == -2
               ? APP_E_NOMEM
               : 0;
}

static void cells_free(struct cell *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (c[i].pl)
            g_object_unref(c[i].pl);
        c[i].pl = NULL;
    }
}

/* Draws the header row. tagged: its first time, as a TR of TH cells; a header repeated on a
 * later page is drawn with no element open, so readers meet it once. */
static void table_header(struct lay *L, const struct block *b, const struct cell *head,
                         const double *x, double hh, bool tagged)
{
    fill_rect(L, MARGIN, L->y, TEXT_W, hh, C_SHADE);
    if (tagged)
        pdf_tag_begin(L->cr, "TR");
    for (size_t c = 0; c < b->cols; c++) {
        if (tagged)
            pdf_tag_begin(L->cr, "TH");
        show(L, head[c].pl, x[c] + CELL_PX, L->y + CELL_PY, C_TEXT);
        if (tagged)
            pdf_tag_end(L->cr, "TH");
    }
    if (tagged)
        pdf_tag_end(L->cr, "TR");
    hline(L, MARGIN, MARGIN + TEXT_W, L->y + hh - 0.75, 1.5, C_GREY);
}

static int lay_table(struct lay *L, const struct block *b)
{
    struct cell head[PDF_MAX_TABLE_COLS] = {{0}}, row[PDF_MAX_TABLE_COLS] = {{0}};
    double x[PDF_MAX_TABLE_COLS + 1], hh = 0, maxh;
    int err = 0;

    x[0] = MARGIN;
    for (size_t c = 0; c < b->cols; c++)
        x[c + 1] = x[c] + b->widths[c] * TEXT_W;
    for (size_t c = 0; c < b->cols; c++) {
        if ((err = cell_fit(L, b->cells[c], F_CELL_BOLD, x[c + 1] - x[c] - 2 * CELL_PX,
                            (BOTTOM - TOP) / 4, &head[c])))
            goto done;
        if (head[c].h > hh)
            hh = head[c].h;
    }
    hh += 2 * CELL_PY;
    maxh = BOTTOM - TOP - hh - 2 * CELL_PY - 1;
    L->y += 4;
    for (size_t r = 0; r < b->rows || r == 0; r++) {
        const char *const *text = (const char *const *)b->cells + (r + 1) * b->cols;
        double rh = 0;

        for (size_t c = 0; c < b->cols && r < b->rows; c++) {
            if ((err = cell_fit(L, text[c], F_CELL, x[c + 1] - x[c] - 2 * CELL_PX, maxh, &row[c])))
                goto done;
            if (row[c].h > rh)
                rh = row[c].h;
        }
        if (r < b->rows)
            rh += 2 * CELL_PY;
        if (r == 0) { /* the header never stands alone at the foot of a page */
            need(L, hh + rh);
            if (L->draw) {
                pdf_tag_begin(L->cr, "Table");
                table_header(L, b, head, x, hh, true);
            }
            L->y += hh;
        } else if (L->y + rh > BOTTOM) {
            new_page(L);
            if (L->draw)
                table_header(L, b, head, x, hh, false);
            L->y += hh;
        }
        if (r >= b->rows)
            break;
        if (L->draw) {
            /* Each cell's words go out before its TD closes: the price of tagging is one
             * drawing call per cell instead of one per page. */
            pdf_tag_begin(L->cr, "TR");
            for (size_t c = 0; c < b->cols; c++) {
                pdf_tag_begin(L->cr, "TD");
                if ((err = cell_draw(L, text[c], &row[c], x[c] + CELL_PX, L->y + CELL_PY,
                                     x[c + 1] - x[c] - 2 * CELL_PX)))
                    goto done;
                run_flush(L);
                pdf_tag_end(L->cr, "TD");
            }
            pdf_tag_end(L->cr, "TR");
            if ((err = rule_add(L, L->y + rh - 0.3)))
                goto done;
        }
        L->y += rh;
        cells_free(row, b->cols);
    }
    if (L->draw)
        pdf_tag_end(L->cr, "Table");
    L->y += 12;
done:
    cells_free(row, b->cols);
    cells_free(head, b->cols);
    return err;
}

static int lay_heading(struct lay *L, const struct block *b, size_t idx)
{
    static const enum font f[] = {F_H1, F_H2, F_H3, F_BODY_BOLD};
    static const double before[] = {0, 16, 10, 8}, after[] = {10, 6, 4, 3};
    /* The document's title is its one H1 (title page or compact head); sections are H2. */
    static const char *const tag[] = {"H2", "H3", "H4", "H5"};
    PangoLayout *pl = new_layout(L, f[b->level - 1], b->text, TEXT_W);
    double h = height_of(pl);
    int err = 0;

    if (b->level == 1 && L->y > AT_TOP && !L->d->compact)
        new_page(L);
    if (L->y > AT_TOP)
        L->y += before[b->level - 1];
    need(L, h + KEEP);
    if (!L->draw) {
        L->head_page[idx] = L->page;
        L->head_y[idx] = L->y;
    } else if (L->head_page[idx] != L->page || fabs(L->head_y[idx] - L->y) > 0.01) {
        err = APP_E_INTERNAL;
        goto done;
    } else if (b->level > 2) {
        pdf_tag_begin(L->cr, tag[b->level - 1]);
        show(L, pl, MARGIN, L->y, C_BLUE);
        pdf_tag_end(L->cr, tag[b->level - 1]);
    } else {
        char dest[96], link[96];
        int id;
        /* A named destination for the contents' link: cairo 1.16 writes a link's explicit
         * page and position only when that page already exists, and every heading comes
         * after the contents, so such a link would lead nowhere. A name is looked up when
         * the document is finished. (The outline is written then too, so it can point at
         * the page directly.) */
        snprintf(dest, sizeof dest, "name='h%zu' x=%d y=%d", idx, (int)MARGIN, (int)L->y);
        pdf_tag_begin(L->cr, tag[b->level - 1]);
        cairo_tag_begin(L->cr, CAIRO_TAG_DEST, dest);
        show(L, pl, MARGIN, L->y, C_BLUE);
        cairo_tag_end(L->cr, CAIRO_TAG_DEST);
        pdf_tag_end(L->cr, tag[b->level - 1]);
        snprintf(link, sizeof link, "page=%d pos=[%d %d]", L->page, (int)MARGIN, (int)L->y);
        id = cairo_pdf_surface_add_outline(
            L->surf, b->level == 1 ? CAIRO_PDF_OUTLINE_ROOT : L->outline_one, b->text, link,
            b->level == 1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
        if (b->level == 1)
            L->outline_one = id;
    }
    L->y += h + after[b->level - 1];
done:
    g_object_unref(pl);
    return err;
}

static void lay_quote(struct lay *L, const struct block *b)
{
    PangoLayout *pl = new_layout(L, F_BODY, b->text, TEXT_W - QUOTE_IND);
    char *text = NULL;
    double h;

    if (b->text2) {
        /* One layout for the quote and its attribution, so they flow (and keep) together. */
        size_t n = strlen(b->text);
        PangoAttrList *al = pango_attr_list_new();
        PangoAttribute *a;

        text = g_strdup_printf("%s\n\u2014 %s", b->text, b->text2);
        a = pango_attr_foreground_new(0x4c4c, 0x6262, 0x7272);
        a->start_index = (guint)n + 1;
        pango_attr_list_insert(al, a);
        a = pango_attr_size_new_absolute(pango_units_from_double(font_spec[F_SMALL].size));
        a->start_index = (guint)n + 1;
        pango_attr_list_insert(al, a);
        pango_layout_set_text(pl, text, -1);
        pango_layout_set_attributes(pl, al);
        pango_attr_list_unref(al);
    }
    h = height_of(pl);
    L->y += 2;
    if (h <= BOTTOM - TOP)
        need(L, h);
    if (L->draw)
        pdf_tag_begin(L->cr, "BlockQuote");
    flow(L, pl, MARGIN + QUOTE_IND, MARGIN, "Span");
    if (L->draw)
        pdf_tag_end(L->cr, "BlockQuote");
    L->y += 10;
    g_free(text);
    g_object_unref(pl);
}

static void lay_paragraph(struct lay *L, const struct block *b)
{
    PangoLayout *pl = new_layout(L, F_BODY, b->text, TEXT_W);
    if (L->draw)
        pdf_tag_begin(L->cr, "P");
    flow(L, pl, MARGIN, -1, "Span");
    if (L->draw)
        pdf_tag_end(L->cr, "P");
    L->y += PARA_AFTER;
    g_object_unref(pl);
}

#define LIST_IND 16.0 /* an item's text starts this far in from its label, at least */

/* A list: L, then per item LI with its bullet or number (Lbl) and text (LBody), the text in
 * one Span per page it falls on; a list inside an item is an L inside that item's LBody,
 * after its text, indented one step further, and a second list there a second L. An item's first
 * line never leaves its label behind. Each depth's labels are in a column as wide as its widest
 * label needs. */
static void lay_list(struct lay *L, const struct block *b)
{
    double col[PDF_MAX_LIST_DEPTH + 1], x[PDF_MAX_LIST_DEPTH + 2];
    int open = -1; /* the depth of the innermost open L */

    for (int k = 0; k <= PDF_MAX_LIST_DEPTH; k++)
        col[k] = LIST_IND;
    for (size_t i = 0; i < b->rows; i++)
        if (b->labels[i]) {
            PangoLayout *pl = new_layout(L, F_BODY, b->labels[i], 0);
            double w = width_of(pl) + 6;
            if (w > col[b->depths[i]])
                col[b->depths[i]] = w;
            g_object_unref(pl);
        }
    x[0] = MARGIN;
    for (int k = 0; k <= PDF_MAX_LIST_DEPTH; k++)
        x[k + 1] = x[k] + col[k];
    for (size_t i = 0; i < b->rows; i++) {
        int d = b->depths[i];
        double w = TEXT_W - (x[d + 1] - MARGIN);
        PangoLayout *pl = new_layout(L, F_BODY, b->cells[i], w > 60 ? w : 60);
        PangoLayoutIter *it = pango_layout_get_iter(pl);
        PangoRectangle log;

        if (L->draw && i > 0 && d <= open) { /* the items before, and lists in them, end */
            for (; open > d; open--) {
                pdf_tag_end(L->cr, "LBody");
                pdf_tag_end(L->cr, "LI");
                pdf_tag_end(L->cr, "L");
            }
            pdf_tag_end(L->cr, "LBody");
            pdf_tag_end(L->cr, "LI");
            if (b->starts[i]) { /* and so does the list they were in */
                pdf_tag_end(L->cr, "L");
                open--;
            }
        }
        pango_layout_iter_get_line_extents(it, NULL, &log);
        pango_layout_iter_free(it);
        need(L, pango_units_to_double(log.y + log.height));
        if (L->draw) {
            if (d > open) {
                pdf_tag_begin(L->cr, "L");
                open = d;
            }
            pdf_tag_begin(L->cr, "LI");
            pdf_tag_begin(L->cr, "Lbl");
            if (b->labels[i])
                show_text(L, F_BODY, b->labels[i], x[d], L->y, C_TEXT, false);
            else
                show_text(L, F_BODY, d ? "\u2013" : "\u2022", x[d] + 3, L->y, C_TEXT, false);
            pdf_tag_end(L->cr, "Lbl");
            pdf_tag_begin(L->cr, "LBody");
        }
        flow(L, pl, x[d + 1], -1, "Span");
        L->y += 3;
        g_object_unref(pl);
    }
    if (L->draw) {
        if (b->rows) {
            for (; open > 0; open--) {
                pdf_tag_end(L->cr, "LBody");
                pdf_tag_end(L->cr, "LI");
                pdf_tag_end(L->cr, "L");
            }
            pdf_tag_end(L->cr, "LBody");
            pdf_tag_end(L->cr, "LI");
        } else
            pdf_tag_begin(L->cr, "L");
        pdf_tag_end(L->cr, "L");
    }
    L->y += PARA_AFTER - 3;
}

/* A value or tick as printed: decimals, then the unit. */
static void chart_value(const struct block *b, double v, char *out, size_t size)
{
    struct disclosure_stat s = {v, true, false};
    char num[DISCLOSURE_TEXT_MAX];
    if (disclosure_stat_format(&s, b->decimals, num, sizeof num))
        snprintf(num, sizeof num, "?");
    snprintf(out, size, "%s%s", num, b->text2 ? b->text2 : "");
}

static void chart_grid(struct lay *L, const struct block *b, double x0, double bw, double y0,
                       double y1)
{
    for (int q = 0; q <= 4; q++) {
        double x = x0 + bw * q / 4;
        char tick[64];
        PangoLayout *pl;

        set_rgb(L->cr, q ? C_RULE : C_GREY);
        cairo_set_line_width(L->cr, q ? 0.6 : 1.0);
        cairo_move_to(L->cr, x, y0);
        cairo_line_to(L->cr, x, y1 + 3);
        cairo_stroke(L->cr);
        chart_value(b, b->max * q / 4, tick, sizeof tick);
        pl = new_layout(L, F_SMALL, tick, 0);
        show(L, pl, x - width_of(pl) / 2, y1 + 4, C_GREY);
        g_object_unref(pl);
    }
}

/* The chart in words, for its Figure's alternative text: the title, then every bar's label
 * and value as printed. Malloc'd; NULL when out of memory. */
static char *chart_alt(const struct block *b)
{
    struct buf s = BUF_INIT;
    char text[96];

    buf_printf(&s, "Bar chart: %s.", b->text);
    if (!b->rows)
        buf_puts(&s, " No data.");
    for (size_t i = 0; i < b->rows; i++) {
        const struct disclosure_stat *v = &b->values[i];
        if (v->suppressed)
            snprintf(text, sizeof text, "suppressed (too few %s)", b->counted);
        else if (!v->shown)
            snprintf(text, sizeof text, "no responses");
        else
            chart_value(b, v->value, text, sizeof text);
        buf_printf(&s, "%s %s: %s", i ? ";" : "", b->cells[i], text);
    }
    if (b->rows)
        buf_putc(&s, '.');
    return buf_detach(&s, NULL);
}

static int lay_chart(struct lay *L, const struct block *b)
{
    const double label_w = TEXT_W * 0.36, x0 = MARGIN + label_w + 10;
    const double bw = MARGIN + TEXT_W - x0 - 48; /* room for "100.0%" after a full bar */
    PangoLayout *title = new_layout(L, F_BODY_BOLD, b->text, TEXT_W);
    PangoLayout **labels = NULL;
    double *rh = NULL, th = height_of(title) + 6, total = th + AXIS_H;
    size_t i = 0;
    int err = 0;

    labels = calloc(b->rows ? b->rows : 1, sizeof *labels);
    rh = calloc(b->rows ? b->rows : 1, sizeof *rh);
    if (!labels || !rh) {
        err = APP_E_NOMEM;
        goto done;
    }
    for (i = 0; i < b->rows; i++) {
        labels[i] = new_layout(L, F_SMALL, b->cells[i], label_w);
        limit_height(labels[i], 40);
        rh[i] = fmax(height_of(labels[i]), BAR_H) + BAR_GAP;
        total += rh[i];
    }
    L->y += 4;
    need(L, total <= BOTTOM - TOP ? total : th + AXIS_H + (b->rows ? rh[0] : 0));
    if (L->draw) {
        char *alt = chart_alt(b);
        if (!alt) {
            err = APP_E_NOMEM;
            goto done;
        }
        pdf_tag_figure(L->cr, &L->tags, alt);
        free(alt);
        pdf_tag_begin(L->cr, "Span");
        show(L, title, MARGIN, L->y, C_TEXT);
    }
    L->y += th;
    if (!b->rows) {
        if (L->draw)
            show_text(L, F_BODY, "No data", MARGIN, L->y, C_GREY, false);
        L->y += 20;
    }
    for (i = 0; i < b->rows;) {
        size_t start = i;
        double y0 = L->y, y = y0;

        while (i < b->rows && (i == start || y + rh[i] + AXIS_H <= BOTTOM))
            y += rh[i++];
        if (L->draw) {
            chart_grid(L, b, x0, bw, y0, y);
            for (size_t k = start; k < i; k++) {
                const struct disclosure_stat *v = &b->values[k];
                double lh = height_of(labels[k]), row = fmax(lh, BAR_H);
                double bar_y = y0 + (row - BAR_H) / 2;
                char text[96];
                PangoLayout *pl;

                show(L, labels[k], MARGIN, y0 + (row - lh) / 2, C_TEXT);
                if (v->suppressed || !v->shown) {
                    snprintf(text, sizeof text, "suppressed (too few %s)", b->counted);
                    pl = new_layout(L, F_SMALL, v->suppressed ? text : "no responses", 0);
                    /* A white ground keeps the grid lines from striking through the words. */
                    fill_rect(L, x0 + 2, bar_y, width_of(pl) + 4, BAR_H, C_WHITE);
                    show(L, pl, x0 + 4, bar_y + (BAR_H - height_of(pl)) / 2, C_GREY);
                } else {
                    double len = bw * v->value / b->max;
                    fill_rect(L, x0, bar_y, len, BAR_H, C_BLUE);
                    chart_value(b, v->value, text, sizeof text);
                    pl = new_layout(L, F_SMALL, text, 0);
                    fill_rect(L, x0 + len + 2, bar_y, width_of(pl) + 4, BAR_H, C_WHITE);
                    show(L, pl, x0 + len + 4, bar_y + (BAR_H - height_of(pl)) / 2, C_TEXT);
                }
                g_object_unref(pl);
                y0 += rh[k];
            }
        }
        L->y = y + AXIS_H;
        if (i < b->rows) {
            if (L->draw)
                pdf_tag_end(L->cr, "Span");
            new_page(L);
            if (L->draw)
                pdf_tag_begin(L->cr, "Span");
        }
    }
    if (L->draw) {
        pdf_tag_end(L->cr, "Span");
        pdf_tag_end(L->cr, "Figure");
    }
    L->y += 12;
done:
    for (i = 0; labels && i < b->rows; i++)
        if (labels[i])
            g_object_unref(labels[i]);
    free(labels);
    free(rh);
    g_object_unref(title);
    return err;
}

static int lay_body(struct lay *L)
{
    int err = 0;

    for (size_t i = 0; i < L->d->n && !err; i++) {
        const struct block *b = &L->d->blocks[i];
        switch (b->kind) {
        case B_HEADING:
            err = lay_heading(L, b, i);
            break;
        case B_PARA:
            lay_paragraph(L, b);
            break;
        case B_QUOTE:
            lay_quote(L, b);
            break;
        case B_TABLE:
            err = lay_table(L, b);
            break;
        case B_CHART:
            err = lay_chart(L, b);
            break;
        case B_LIST:
            lay_list(L, b);
            break;
        }
    }
    return err;
}

/* The contents: one entry per level-1 and level-2 heading, the page number right-aligned
 * after a dotted leader, the whole entry a link to the heading. Its length does not depend
 * on the numbers, which is what lets the body's first page be known in advance. */
static void lay_contents(struct lay *L)
{
    PangoLayout *pl = new_layout(L, F_H1, "Contents", TEXT_W);

    if (L->draw) {
        pdf_tag_begin(L->cr, "H2");
        show(L, pl, MARGIN, L->y, C_BLUE);
        pdf_tag_end(L->cr, "H2");
        pdf_tag_begin(L->cr, "TOC");
    }
    L->y += height_of(pl) + 10;
    g_object_unref(pl);
    for (size_t i = 0; i < L->d->n; i++) {
        const struct block *b = &L->d->blocks[i];
        double ind = b->level == 1 ? 0 : 16, h, base, end;
        PangoLayoutIter *it;
        PangoRectangle log;
        char num[16];

        if (b->kind != B_HEADING || b->level > 2)
            continue;
        pl = new_layout(L, b->level == 1 ? F_BODY_BOLD : F_BODY, b->text, TEXT_W - ind - NUM_W);
        h = height_of(pl);
        if (b->level == 1)
            L->y += 5;
        need(L, h);
        if (L->draw) {
            char link[64];
            snprintf(link, sizeof link, "dest='h%zu'", i); /* see lay_heading() */
            pdf_tag_begin(L->cr, "TOCI");
            cairo_tag_begin(L->cr, CAIRO_TAG_LINK, link);
            show(L, pl, MARGIN + ind, L->y, C_TEXT);
            /* The leader runs from the end of the entry's last line to its number. */
            it = pango_layout_get_iter(pl);
            while (pango_layout_iter_next_line(it))
                ;
            pango_layout_iter_get_line_extents(it, NULL, &log);
            base = L->y + pango_units_to_double(pango_layout_iter_get_baseline(it));
            end = MARGIN + ind + pango_units_to_double(log.x + log.width);
            pango_layout_iter_free(it);
            /* a space before the number, so the entry reads "Introduction 3", not "…3" */
            snprintf(num, sizeof num, " %d", L->head_page[i]);
            PangoLayout *np = new_layout(L, b->level == 1 ? F_BODY_BOLD : F_BODY, num, 0);
            double nx = PAGE_W - MARGIN - width_of(np);
            set_rgb(L->cr, C_TEXT);
            cairo_move_to(L->cr, nx, base);
            pango_cairo_show_layout_line(L->cr, pango_layout_get_line_readonly(np, 0));
            g_object_unref(np);
            if (nx - 6 > end + 6) {
                static const double dots[] = {0.5, 2.5};
                set_rgb(L->cr, C_GREY);
                cairo_set_line_width(L->cr, 0.9);
                cairo_set_line_cap(L->cr, CAIRO_LINE_CAP_ROUND);
                cairo_set_dash(L->cr, dots, 2, 0);
                cairo_move_to(L->cr, end + 6, base);
                cairo_line_to(L->cr, nx - 6, base);
                cairo_stroke(L->cr);
                cairo_set_dash(L->cr, NULL, 0, 0);
                cairo_set_line_cap(L->cr, CAIRO_LINE_CAP_BUTT);
            }
            cairo_tag_end(L->cr, CAIRO_TAG_LINK);
            pdf_tag_end(L->cr, "TOCI");
        }
        L->y += h + 4;
        g_object_unref(pl);
    }
    if (L->draw)
        pdf_tag_end(L->cr, "TOC");
}

static void draw_title_page(struct lay *L)
{
    PangoLayout *pl;
    double y = 250;

    fill_rect(L, 0, 0, PAGE_W, BAND_H, C_BLUE);
    pl = new_layout(L, F_BRAND, "AHP Hub", 0);
    show(L, pl, MARGIN, (BAND_H - height_of(pl)) / 2, C_WHITE);
    g_object_unref(pl);
    pl = new_layout(L, F_TITLE, L->d->title, TEXT_W);
    limit_height(pl, 260);
    pdf_tag_begin(L->cr, "H1");
    show(L, pl, MARGIN, y, C_BLUE);
    pdf_tag_end(L->cr, "H1");
    y += height_of(pl) + 16;
    g_object_unref(pl);
    hline(L, MARGIN, MARGIN + 80, y, 4, C_BLUE);
    y += 18;
    if (L->d->subtitle) {
        pl = new_layout(L, F_SUBTITLE, L->d->subtitle, TEXT_W);
        limit_height(pl, 200);
        pdf_tag_begin(L->cr, "P");
        show(L, pl, MARGIN, y, C_GREY);
        pdf_tag_end(L->cr, "P");
        g_object_unref(pl);
    }
}

/* The head of a compact document's first page: the title (its H1), the subtitle and a
 * rule. */
static void lay_compact_title(struct lay *L)
{
    PangoLayout *pl = new_layout(L, F_H1, L->d->title, TEXT_W);

    limit_height(pl, 120);
    if (L->draw) {
        pdf_tag_begin(L->cr, "H1");
        show(L, pl, MARGIN, L->y, C_BLUE);
        pdf_tag_end(L->cr, "H1");
    }
    L->y += height_of(pl) + 4;
    g_object_unref(pl);
    if (L->d->subtitle) {
        pl = new_layout(L, F_BODY, L->d->subtitle, TEXT_W);
        limit_height(pl, 120);
        if (L->draw) {
            pdf_tag_begin(L->cr, "P");
            show(L, pl, MARGIN, L->y, C_GREY);
            pdf_tag_end(L->cr, "P");
        }
        L->y += height_of(pl) + 4;
        g_object_unref(pl);
    }
    if (L->draw)
        hline(L, MARGIN, MARGIN + TEXT_W, L->y + 4, 2, C_BLUE);
    L->y += 14;
}

int pdf_font_check(char *used, size_t size)
{
    PangoFontMap *fm = pango_cairo_font_map_new();
    PangoContext *ctx = pango_font_map_create_context(fm);
    PangoFontDescription *want = pango_font_description_new();
    int err = 0;

    if (used && size)
        used[0] = '\0';
    pango_font_description_set_family_static(want, PDF_FONT_FAMILY);
    pango_font_description_set_absolute_size(want, pango_units_from_double(10));
    for (int bold = 0; bold < 2 && !err; bold++) {
        PangoFont *f;
        PangoFontFace *face = NULL;
        PangoFontDescription *got = NULL;
        const char *family = NULL;
        bool weak = false;

        pango_font_description_set_weight(want, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        f = pango_font_map_load_font(fm, ctx, want);
        /* The face, not the font: a font describes itself with the weight asked for even
         * when fontconfig made it by emboldening the regular face (no bold file), which
         * cairo then embeds as a Type 3 font of drawn outlines. */
        if (f && (face = pango_font_get_face(f))) {
            got = pango_font_face_describe(face);
            family = pango_font_description_get_family(got);
            weak = bold && pango_font_description_get_weight(got) < PANGO_WEIGHT_SEMIBOLD;
        }
        if (!family || strcmp(family, PDF_FONT_FAMILY) || weak)
            err = APP_E_NOTFOUND;
        if (used && size && got && (err || !bold)) {
            char *name = pango_font_description_to_string(got);
            snprintf(used, size, "%s%s", name, weak ? " made bold" : "");
            g_free(name);
        }
        if (got)
            pango_font_description_free(got);
        if (f)
            g_object_unref(f);
    }
    pango_font_description_free(want);
    g_object_unref(ctx);
    g_object_unref(fm);
    return err;
}

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
    struct buf *b = closure;
    buf_append(b, data, len);
    return buf_oom(b) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* Sets up fonts, the word cache and the cell metrics. */
static int lay_init(struct lay *L)
{
    PangoLayout *pl;
    PangoLayoutIter *it;
    PangoRectangle log;

    L->fm = pango_cairo_font_map_new();
    L->ctx = pango_font_map_create_context(L->fm);
    pango_cairo_update_context(L->cr, L->ctx);
    /* Unhinted, unrounded positions: a PDF is scaled by its viewer, never drawn on pixels. */
    pango_context_set_round_glyph_positions(L->ctx, FALSE);
    for (int f = 0; f < F_COUNT; f++) {
        /* One family, no list of alternatives: what is installed must not choose the look.
         * set_family(), not from_string(), which would read a trailing word of a family
         * name as a style. */
        L->font[f] = pango_font_description_new();
        pango_font_description_set_family_static(L->font[f], PDF_FONT_FAMILY);
        /* Absolute sizes are in user units, which are points here, whatever the dpi. */
        pango_font_description_set_absolute_size(L->font[f],
                                                 pango_units_from_double(font_spec[f].size));
        if (font_spec[f].bold)
            pango_font_description_set_weight(L->font[f], PANGO_WEIGHT_BOLD);
    }
    L->footer_title = new_layout(L, F_FOOTER, L->d->title, TEXT_W * 0.6);
    pango_layout_set_ellipsize(L->footer_title, PANGO_ELLIPSIZE_END);
    pango_layout_set_height(L->footer_title, -1);

    /* A fast-path line is as tall as Pango's line of the same font. */
    pl = new_layout(L, F_CELL, "Ag", 0);
    it = pango_layout_get_iter(pl);
    pango_layout_iter_get_line_extents(it, NULL, &log);
    L->cell_line = pango_units_to_double(log.height);
    L->cell_base = pango_units_to_double(pango_layout_iter_get_baseline(it) - log.y);
    pango_layout_iter_free(it);
    g_object_unref(pl);

    L->wc.attrs = pango_attr_list_new();
    pango_attr_list_insert(L->wc.attrs, pango_attr_font_desc_new(L->font[F_CELL]));
    L->wc.space = word_get(L, " ", 1);
    if (!L->wc.space)
        return APP_E_NOMEM;
    if (L->wc.space->complex || L->wc.space->nseg != 1 || L->wc.space->seg[0].ng != 1)
        return APP_E_INTERNAL;

    L->head_page = arena_calloc(L->arena, L->d->n ? L->d->n : 1, sizeof *L->head_page);
    L->head_y = arena_calloc(L->arena, L->d->n ? L->d->n : 1, sizeof *L->head_y);
    return L->head_page && L->head_y ? 0 : APP_E_NOMEM;
}

static void lay_cleanup(struct lay *L)
{
    pdf_tags_cleanup(&L->tags);
    for (size_t i = 0; i < L->wc.nfonts; i++)
        g_object_unref(L->wc.fonts[i]);
    if (L->wc.attrs)
        pango_attr_list_unref(L->wc.attrs);
    free(L->run.g);
    free(L->run.c);
    free(L->run.u);
    free(L->run.rules);
    if (L->footer_title)
        g_object_unref(L->footer_title);
    for (int f = 0; f < F_COUNT; f++)
        if (L->font[f])
            pango_font_description_free(L->font[f]);
    if (L->ctx)
        g_object_unref(L->ctx);
    if (L->cr)
        cairo_destroy(L->cr);
    if (L->surf)
        cairo_surface_destroy(L->surf);
    /* Last, after everything that holds fonts from it. */
    if (L->fm)
        g_object_unref(L->fm);
    arena_free(L->arena);
}

/* Both passes of a compact document: the title heads the first page, the body follows. */
static int lay_compact(struct lay *L)
{
    int err;

    L->page = 1;
    L->y = TOP;
    lay_compact_title(L);
    if ((err = lay_body(L)))
        return err;
    L->total = L->page;
    L->draw = true;
    L->page = 1;
    L->y = TOP;
    pdf_tag_begin(L->cr, "Document");
    lay_compact_title(L);
    if ((err = lay_body(L)))
        return err;
    pdf_tag_end(L->cr, "Document");
    new_page(L);
    return 0;
}

int pdf_finish(struct pdf_doc *d, struct buf *out, size_t *pages)
{
    struct lay L;
    size_t start, nentries = 0;
    int err = 0, body;

    if (pages)
        *pages = 0;
    if (!d || !out)
        return APP_E_INVALID;
    if (buf_oom(out))
        return APP_E_NOMEM;
    start = out->len;
    memset(&L, 0, sizeof L);
    L.d = d;
    if (!(L.arena = arena_new())) {
        err = APP_E_NOMEM;
        goto done;
    }
    L.surf = cairo_pdf_surface_create_for_stream(write_out, out, PAGE_W, PAGE_H);
    L.cr = cairo_create(L.surf);
    if (cairo_status(L.cr)) {
        err = APP_E_NOMEM;
        goto done;
    }
    cairo_pdf_surface_set_metadata(L.surf, CAIRO_PDF_METADATA_TITLE, d->title);
    cairo_pdf_surface_set_metadata(L.surf, CAIRO_PDF_METADATA_CREATOR, "AHP Hub");
    if (d->subtitle)
        cairo_pdf_surface_set_metadata(L.surf, CAIRO_PDF_METADATA_SUBJECT, d->subtitle);
    if (d->author)
        cairo_pdf_surface_set_metadata(L.surf, CAIRO_PDF_METADATA_AUTHOR, d->author);
    if (d->date[0]) {
        cairo_pdf_surface_set_metadata(L.surf, CAIRO_PDF_METADATA_CREATE_DATE, d->date);
        cairo_pdf_surface_set_metadata(L.surf, CAIRO_PDF_METADATA_MOD_DATE, d->date);
    }
    if ((err = lay_init(&L)))
        goto done;
    for (size_t i = 0; i < d->n; i++)
        nentries += d->blocks[i].kind == B_HEADING && d->blocks[i].level <= 2;

    if (d->compact) {
        err = lay_compact(&L);
        goto finished;
    }
    /* First pass: measure the contents, then find where the headings and the end fall. */
    L.page = 2;
    L.y = TOP;
    if (nentries)
        lay_contents(&L);
    body = nentries ? L.page + 1 : 2;
    L.page = body;
    L.y = TOP;
    if (d->n && (err = lay_body(&L)))
        goto done;
    L.total = d->n ? L.page : body - 1;

    /* Second pass: draw it all, inside the Document element, which is closed before the
     * last page ends (an element closed on a page cairo has not begun would begin one). */
    L.draw = true;
    L.page = 1;
    pdf_tag_begin(L.cr, "Document");
    draw_title_page(&L);
    if (!nentries && !d->n)
        pdf_tag_end(L.cr, "Document");
    new_page(&L);
    if (nentries) {
        lay_contents(&L);
        if (L.page != body - 1) {
            err = APP_E_INTERNAL;
            goto done;
        }
        if (!d->n)
            pdf_tag_end(L.cr, "Document");
        new_page(&L);
    }
    if (d->n) {
        if ((err = lay_body(&L)))
            goto done;
        pdf_tag_end(L.cr, "Document");
        new_page(&L);
    }
finished:
    if (err)
        goto done;
    if (L.page - 1 != L.total) {
        err = APP_E_INTERNAL;
        goto done;
    }
    cairo_surface_finish(L.surf);
    if (cairo_status(L.cr) || cairo_surface_status(L.surf))
        err = buf_oom(out) ? APP_E_NOMEM : APP_E_INTERNAL;
    else if (!(err = pdf_tag_amend(out, start, &L.tags, d->lang)) && pages)
        *pages = (size_t)L.total;
done:
    lay_cleanup(&L);
    if (err && !buf_oom(out)) {
        out->len = start;
        if (out->data)
            out->data[start] = '\0';
    }
    return err;
}
