/* svg.c: accessible SVG bar charts, heat maps and scatter plots written into a buf
 *
 * Each chart is laid out in two steps: first every input is checked and every size worked
 * out (the root's viewBox needs the height before anything is drawn, and a bad input must
 * leave nothing half-written), then the drawing is appended in one pass. The layout is on a
 * fixed grid of user units with text at 16 units, and text widths are estimated at 0.55 em a
 * character (Arial's average is nearer 0.5 em), which errs towards truncating a label that
 * would have just fitted rather than letting it run into a bar. Coordinates are printed with
 * one decimal and values with the caller's decimals through "%.*f", the same conversion
 * disclosure_stat_format() uses, so the chart and its data table round alike; negative zero
 * is folded to zero so a value never prints as "-0".
 *
 * Styling is by presentation attributes only (fill=, stroke=, font-size=), because the
 * site's Content-Security-Policy (style-src 'self') blocks <style> elements and style=""
 * attributes in inline SVG, and a chart that needs the page's CSS would break when saved or
 * embedded elsewhere.
 */
#include "export/svg.h"
#include "core/buf.h"
#include "core/err.h"
#include "web/html.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define WIDTH           640       /* the viewBox width of a chart (a heat map may be wider) */
#define BAR_WIDTH_UNITS 400       /* a bar chart's, narrower: see BAR_WIDTH */
#define PAD             8         /* margin round the drawing */
#define CHAR_W          8.8       /* estimated advance of one character at 16 units (0.55 em) */
#define LINE            26        /* height of one line of legend */
#define UNIT_MAX        16        /* bytes of a unit suffix */
#define COUNTED_MAX     32        /* bytes of the noun a hidden count counts */
#define TEXT            "#212b32" /* NHS text colour */
#define TEXT_SOFT       "#4c6272" /* NHS secondary text: 6.4:1 on white, 5.7:1 on the page grey */
#define GRID            "#d8dde0"
#define FRAME           "#aeb7bd"
#define BAR             "#005eb8" /* NHS blue */
#define BAR2            "#768692" /* NHS mid grey: 3.8:1 on white, enough for a graphic (1.4.11) */
#define ELLIPSIS        "\xe2\x80\xa6"
#define DASH            "\xe2\x80\x93" /* en dash */
#define FFFD            "\xef\xbf\xbd"

/* ---- text --------------------------------------------------------------------------- */

/* The length of the well-formed UTF-8 sequence at s (n bytes left), or 0 when the byte
 * starts none: overlongs, surrogates and code points past U+10FFFF are not well-formed. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    size_t len, i;
    unsigned cp;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        len = 2, cp = s[0] & 0x1f;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        len = 3, cp = s[0] & 0x0f;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        len = 4, cp = s[0] & 0x07;
    else
        return 0;
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return len;
}

/* Characters in s as put_text() draws them: a byte that starts no sequence counts as one. */
static size_t text_chars(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0, chars = 0;
    while (i < n) {
        size_t k = utf8_seq(p + i, n - i);
        i += k ? k : 1;
        chars++;
    }
    return chars;
}

/* Appends s as XML text, at most max characters: a longer s is cut to max − 1 characters
 * (and any spaces before the cut) and ends in "…". Escaping is html_escape()'s, which is
 * also XML's; what XML cannot carry at all (control characters, U+FFFE/U+FFFF, bytes that
 * are not UTF-8) becomes a space or U+FFFD, so no label can make the document ill-formed.
 * Returns true when s was cut. */
static bool put_text(struct buf *b, const char *s, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0, run = 0, chars = 0, end = n;
    bool cut = false;

    if (max > 0 && text_chars(s) > max) {
        /* find where character max − 1 ends, then drop the spaces before it */
        size_t keep = max - 1;
        end = 0;
        while (end < n && chars < keep) {
            size_t k = utf8_seq(p + end, n - end);
            end += k ? k : 1;
            chars++;
        }
        while (end > 0 && p[end - 1] == ' ')
            end--;
        cut = true;
    }
    while (i < end) {
        size_t k = utf8_seq(p + i, end - i);
        const char *rep = NULL;
        if (k == 0)
            rep = FFFD, k = 1;
        else if (k == 1 && (p[i] < 0x20 || p[i] == 0x7f))
            rep = " ";
        else if (k == 3 && p[i] == 0xef && p[i + 1] == 0xbf && p[i + 2] >= 0xbe)
            rep = FFFD;
        if (rep) {
            html_escape(b, s + run, i - run);
            buf_puts(b, rep);
            run = i + k;
        }
        i += k;
    }
    html_escape(b, s + run, end - run);
    if (cut)
        buf_puts(b, ELLIPSIS);
    return cut;
}

/* The rest of a <text> element whose start tag the caller wrote: the label cut to max
 * characters and the end tag. When cut, the full text goes in a <title> child too, which a
 * mouse user sees as a tooltip (the data table still carries it for everyone else). */
static void put_label(struct buf *b, const char *s, size_t max)
{
    if (text_chars(s) > max) {
        buf_puts(b, "<title>");
        put_text(b, s, 0);
        buf_puts(b, "</title>");
    }
    put_text(b, s, max);
    buf_puts(b, "</text>\n");
}

static void put_num(struct buf *b, double v, int decimals)
{
    buf_printf(b, "%.*f", decimals, v + 0.0); /* + 0.0 folds −0 into 0 */
}

static size_t num_chars(double v, int decimals)
{
    int k = snprintf(NULL, 0, "%.*f", decimals, v + 0.0);
    return k > 0 ? (size_t)k : 1;
}

/* ---- common checks and pieces ----------------------------------------------------------- */

static bool id_ok(const char *id)
{
    size_t i;
    if (!id || !((id[0] >= 'A' && id[0] <= 'Z') || (id[0] >= 'a' && id[0] <= 'z')))
        return false;
    for (i = 1; id[i]; i++) {
        char c = id[i];
        if (i >= SVG_ID_MAX)
            return false;
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

static bool meta_ok(const struct svg_meta *m)
{
    return m && id_ok(m->id) && m->title && m->title[0] && m->desc;
}

/* A scale with its defaults filled in. */
struct scale {
    double max;
    int decimals;
    const char *unit;
    unsigned long long fewer_than; /* threshold + 1, for the suppressed text */
    const char *counted;           /* what a count counts, for the same: "people" unless said */
    const char *none;              /* a bar's words for a value over nobody */
    int tick_decimals;             /* enough to print max/4 and max/5 steps exactly */
    int axis_decimals;             /* a bar chart's axis: quarters only, so 0, 3, 6, 9, 12 for
                                    * 12 and not 0.0, 3.0, ... (12/5 needs one) */
};

/* The fewest decimals (0..2) that print every multiple of max/parts exactly; 2 if none do. */
static int step_decimals(double max, int parts)
{
    int d, i;
    for (d = 0; d < 2; d++) {
        double f = d == 0 ? 1 : 10;
        for (i = 0; i <= parts; i++) {
            double t = max * i / parts * f;
            if (fabs(t - round(t)) > 1e-9 * (1 + fabs(t)))
                break;
        }
        if (i > parts)
            return d;
    }
    return 2;
}

static int scale_init(struct scale *s, const struct svg_scale *in)
{
    uint32_t thr = in ? in->threshold : 0;
    s->max = in && in->max != 0 ? in->max : 100;
    s->decimals = in ? in->decimals : 0;
    s->unit = in && in->unit ? in->unit : "";
    s->counted = in && in->counted ? in->counted : "people";
    s->none = in && in->none ? in->none : "no responses";
    if (!isfinite(s->max) || s->max <= 0 || s->decimals < 0 || s->decimals > 2 ||
        strlen(s->unit) > UNIT_MAX || !*s->counted || strlen(s->counted) > COUNTED_MAX ||
        !*s->none || strlen(s->none) > COUNTED_MAX)
        return APP_E_INVALID;
    if (thr < DISCLOSURE_MIN_THRESHOLD)
        thr = DISCLOSURE_MIN_THRESHOLD;
    s->fewer_than = (unsigned long long)thr + 1;
    s->tick_decimals = s->axis_decimals = step_decimals(s->max, 4);
    if (step_decimals(s->max, 5) > s->tick_decimals)
        s->tick_decimals = step_decimals(s->max, 5);
    return APP_OK;
}

static bool stat_shown(const struct disclosure_stat *st)
{
    return st->shown && !st->suppressed;
}

/* A shown value must be on the scale; a hair outside (rounding in the caller's arithmetic)
 * is let through and drawn at the end of the scale. */
static bool value_ok(double v, const struct scale *s)
{
    double slack = s->max * 1e-9;
    return isfinite(v) && v >= -slack && v <= s->max + slack;
}

static double clamp(double v, double max)
{
    return v < 0 ? 0 : v > max ? max : v;
}

/* A chart scales to its column (width 100%), except one drawn at its natural size (natural:
 * width in CSS pixels equal to the viewBox's), a heat map too wide to read scaled down on a
 * phone: its figure scrolls instead, with the text at 16 px. */
static void open_svg_sized(struct buf *b, const struct svg_meta *m, double w, double h,
                           bool natural)
{
    char width[32];
    snprintf(width, sizeof width, natural ? "%.0f" : "100%%", ceil(w));
    /* a bar chart (BAR_WIDTH units) also carries ahp-chart--bars: the stylesheet caps its
     * width so that its 16-unit text is body-sized (19 px) on a wide screen */
    buf_printf(b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ahp-chart%s\" role=\"img\" "
               "aria-labelledby=\"%s-title %s-desc\" viewBox=\"0 0 %.0f %.0f\" width=\"%s\" "
               "focusable=\"false\" font-family=\"Arial, sans-serif\" font-size=\"16\" "
               "fill=\"" TEXT "\">\n",
               w == BAR_WIDTH_UNITS ? " ahp-chart--bars" : "", m->id, m->id, ceil(w), ceil(h),
               width);
    buf_printf(b, "<title id=\"%s-title\">", m->id);
    put_text(b, m->title, 0);
    buf_printf(b, "</title>\n<desc id=\"%s-desc\">", m->id);
    put_text(b, m->desc, 0);
    buf_puts(b, "</desc>\n");
}

static void open_svg(struct buf *b, const struct svg_meta *m, double w, double h)
{
    open_svg_sized(b, m, w, h, false);
}

static int finish(struct buf *b)
{
    buf_puts(b, "</svg>\n");
    return buf_oom(b) ? APP_E_NOMEM : APP_OK;
}

static int no_data(struct buf *b, const struct svg_meta *m)
{
    open_svg(b, m, WIDTH, 64);
    buf_printf(b, "<text x=\"%d\" y=\"38\" text-anchor=\"middle\">No data</text>\n", WIDTH / 2);
    return finish(b);
}

static void put_suppressed(struct buf *b, const struct scale *s)
{
    buf_printf(b, "suppressed (fewer than %llu ", s->fewer_than);
    put_text(b, s->counted, 0);
    buf_putc(b, ')');
}

/* ---- legends ------------------------------------------------------------------------------ */

enum swatch { SW_BAR, SW_THIN, SW_LINE, SW_CELL, SW_SHAPE };

struct legend_item {
    enum swatch kind;
    const char *fill;      /* the swatch's colour */
    const char *mark;      /* SW_CELL: text drawn on the swatch, or NULL */
    const char *mark_fill; /* its colour */
    unsigned shape;        /* SW_SHAPE: which */
    const char *label;     /* the words, raw; NULL: the range lo–hi of the scale */
    double lo, hi;
};

#define LEGEND_MAX   8
#define LEGEND_CHARS 40 /* a legend label is cut past this */
#define SWATCH_W     24 /* swatch and the gap after it */

static size_t legend_chars(const struct legend_item *it, const struct scale *s)
{
    size_t n;
    if (it->label) {
        n = text_chars(it->label);
        return n > LEGEND_CHARS ? LEGEND_CHARS : n;
    }
    return num_chars(it->lo, s->tick_decimals) + 1 + num_chars(it->hi, s->tick_decimals) +
           text_chars(s->unit);
}

/* Places the items left to right from x0, wrapping before xmax; returns the lines used. */
static int legend_layout(const struct legend_item *it, size_t n, const struct scale *s, double x0,
                         double xmax, double *xs, int *line)
{
    double x = x0;
    int l = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        double w = SWATCH_W + legend_chars(&it[i], s) * CHAR_W;
        if (x > x0 && x + w > xmax)
            x = x0, l++;
        xs[i] = x;
        line[i] = l;
        x += w + 24;
    }
    return n ? l + 1 : 0;
}

static void put_shape(struct buf *b, unsigned shape, double x, double y)
{
    switch (shape) {
    case 0:
        buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\"/>\n", x, y);
        break;
    case 1:
        buf_printf(b, "<path d=\"M%.1f %.1fh11v11h-11z\"/>\n", x - 5.5, y - 5.5);
        break;
    case 2:
        buf_printf(b, "<path d=\"M%.1f %.1fl7 12h-14z\"/>\n", x, y - 7);
        break;
    case 3:
        buf_printf(b, "<path d=\"M%.1f %.1fl7 7l-7 7l-7 -7z\"/>\n", x, y - 7);
        break;
    default:
        buf_printf(b, "<path d=\"M%.1f %.1fh4v5h5v4h-5v5h-4v-5h-5v-4h5z\"/>\n", x - 2, y - 7);
        break;
    }
}

static const char *const scatter_fill[SVG_SCATTER_MAX_GROUPS] = {
    "#0072b2", /* Okabe–Ito blue */
    "#e69f00", /* orange */
    "#009e73", /* bluish green */
    "#cc79a7", /* reddish purple */
    "#d55e00", /* vermilion */
};

/* Draws the items with their first line's baseline at y + 18. */
static void legend_draw(struct buf *b, const struct legend_item *it, size_t n,
                        const struct scale *s, const double *xs, const int *line, double y)
{
    size_t i;
    for (i = 0; i < n; i++) {
        double x = xs[i], base = y + line[i] * LINE + 18, mid = base - 5.5;
        switch (it[i].kind) {
        case SW_BAR:
            buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"16\" fill=\"%s\"/>\n",
                       x, mid - 8, it[i].fill);
            break;
        case SW_THIN:
            buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"8\" fill=\"%s\"/>\n",
                       x, mid - 4, it[i].fill);
            break;
        case SW_LINE:
            buf_printf(b,
                       "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                       "stroke-width=\"3\"/>\n",
                       x + 8, mid - 10, x + 8, mid + 10, it[i].fill);
            break;
        case SW_CELL:
            buf_printf(b,
                       "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"18\" fill=\"%s\" "
                       "stroke=\"" FRAME "\" stroke-width=\"1\"/>\n",
                       x, mid - 9, it[i].fill);
            if (it[i].mark)
                buf_printf(b,
                           "<text x=\"%.1f\" y=\"%.1f\" dy=\"0.35em\" text-anchor=\"middle\" "
                           "fill=\"%s\">%s</text>\n",
                           x + 9, mid, it[i].mark_fill, it[i].mark);
            break;
        case SW_SHAPE:
            buf_printf(b, "<g fill=\"%s\" stroke=\"" TEXT "\" stroke-width=\"1\">\n", it[i].fill);
            put_shape(b, it[i].shape, x + 8, mid);
            buf_puts(b, "</g>\n");
            break;
        }
        buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\">", x + SWATCH_W, base);
        if (it[i].label) {
            put_text(b, it[i].label, LEGEND_CHARS);
        } else {
            put_num(b, it[i].lo, s->tick_decimals);
            buf_puts(b, DASH);
            put_num(b, it[i].hi, s->tick_decimals);
            put_text(b, s->unit, 0);
        }
        buf_puts(b, "</text>\n");
    }
}

/* ---- bar chart ---------------------------------------------------------------------------- */

/* A bar chart is drawn narrower than the other charts: it is read on phones, where a chart
 * scaled down from 640 units set its 16-unit text at 9 px. At 400 units the text is 14 px in
 * a 358 px column, and labels of 41 characters still fit on their line. */
#define BAR_WIDTH  BAR_WIDTH_UNITS
#define BAR_X0     24.0               /* the scale's 0: room for the "0" tick centred on it */
#define BAR_X1     (BAR_WIDTH - 80.0) /* the scale's max: room for "100.0%" after a full bar */
#define BAR_LABEL  22                 /* a row's label line */
#define BAR_MAIN   22                 /* the value's bar */
#define BAR_GAP2   4
#define BAR_SECOND 12 /* the second series' bar */
#define BAR_SPACE  14 /* between rows */

static double bar_x(double v, const struct scale *s)
{
    return BAR_X0 + (BAR_X1 - BAR_X0) * clamp(v, s->max) / s->max;
}

/* A value's bar and its number, or the words saying why there is none. after is where the
 * number may start at the earliest (past the marker). */
static void bar_lane(struct buf *b, const struct disclosure_stat *st, const struct scale *s,
                     double y, double h, const char *fill, double after)
{
    double mid = y + h / 2, end;
    if (!stat_shown(st)) {
        buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" dy=\"0.35em\" fill=\"" TEXT_SOFT "\">",
                   BAR_X0 + 4, mid);
        if (st->suppressed)
            put_suppressed(b, s);
        else
            put_text(b, s->none, 0);
        buf_puts(b, "</text>\n");
        return;
    }
    end = bar_x(st->value, s);
    buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
               BAR_X0, y, end - BAR_X0, h, fill);
    buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" dy=\"0.35em\">", (end > after ? end : after) + 6,
               mid);
    put_num(b, clamp(st->value, s->max), s->decimals);
    put_text(b, s->unit, 0);
    buf_puts(b, "</text>\n");
}

int svg_bar_chart(struct buf *b, const struct svg_meta *m, const struct svg_bar *bars, size_t n,
                  const struct svg_bar_opts *opts)
{
    struct scale s;
    struct legend_item items[3] = {{0}};
    double xs[3], row_h, rows_y0, rows_y1, h;
    int lines[3], nlines = 0;
    size_t i, nitems = 0;
    bool any_second = false, any_marker = false;
    int rc = APP_E_INVALID;

    if (!b || !meta_ok(m) || (n > 0 && !bars))
        goto done;
    if (scale_init(&s, opts ? &opts->scale : NULL))
        goto done;
    for (i = 0; i < n; i++) {
        const struct svg_bar *r = &bars[i];
        if (!r->label || (stat_shown(&r->value) && !value_ok(r->value.value, &s)))
            goto done;
        if (r->has_second && stat_shown(&r->second) && !value_ok(r->second.value, &s))
            goto done;
        if (r->has_marker && !value_ok(r->marker, &s))
            goto done;
        any_second |= r->has_second;
        any_marker |= r->has_marker;
    }
    if (any_second || any_marker) {
        if (!opts || !opts->value_name || (any_second && !opts->second_name) ||
            (any_marker && !opts->marker_name))
            goto done;
        items[nitems++] =
            (struct legend_item){.kind = SW_BAR, .fill = BAR, .label = opts->value_name};
        if (any_second)
            items[nitems++] =
                (struct legend_item){.kind = SW_THIN, .fill = BAR2, .label = opts->second_name};
        if (any_marker)
            items[nitems++] =
                (struct legend_item){.kind = SW_LINE, .fill = TEXT, .label = opts->marker_name};
    }
    if (n == 0) {
        rc = no_data(b, m);
        goto done;
    }

    nlines = legend_layout(items, nitems, &s, BAR_X0, BAR_WIDTH - PAD, xs, lines);
    row_h = BAR_LABEL + BAR_MAIN + (any_second ? BAR_GAP2 + BAR_SECOND : 0) + BAR_SPACE;
    rows_y0 = PAD + (nlines ? nlines * LINE + 10 : 0);
    rows_y1 = rows_y0 + row_h * n - BAR_SPACE;
    h = rows_y1 + 24 + PAD;

    open_svg(b, m, BAR_WIDTH, h);
    if (nlines)
        legend_draw(b, items, nitems, &s, xs, lines, PAD);
    /* grid first, so bars and markers lie over it; ticks at 0, ¼, ½, ¾ and max */
    for (i = 0; i <= 4; i++) {
        double t = s.max * (double)i / 4, x = bar_x(t, &s);
        buf_printf(b,
                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" GRID
                   "\" stroke-width=\"1\"/>\n",
                   x, rows_y0 + BAR_LABEL - 4, x, rows_y1 + 4);
        buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x, rows_y1 + 22);
        put_num(b, t, s.axis_decimals);
        put_text(b, s.unit, 0);
        buf_puts(b, "</text>\n");
    }
    for (i = 0; i < n; i++) {
        const struct svg_bar *r = &bars[i];
        double top = rows_y0 + row_h * i, main_y = top + BAR_LABEL;
        bool marked = r->has_marker && stat_shown(&r->value);
        double mx = marked ? bar_x(r->marker, &s) : 0;

        buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\">", BAR_X0, top + 16);
        put_label(b, r->label, (size_t)((BAR_WIDTH - BAR_X0 - PAD) / CHAR_W));
        bar_lane(b, &r->value, &s, main_y, BAR_MAIN, BAR, marked ? mx + 2 : 0);
        if (r->has_second)
            bar_lane(b, &r->second, &s, main_y + BAR_MAIN + BAR_GAP2, BAR_SECOND, BAR2, 0);
        /* the marker last, over the bar, overhanging it so it shows where it meets the end */
        if (marked)
            buf_printf(b,
                       "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" TEXT
                       "\" stroke-width=\"3\"/>\n",
                       mx, main_y - 4, mx, main_y + BAR_MAIN + 4);
    }
    rc = finish(b);
done:
    return rc;
}

/* ---- heat map ----------------------------------------------------------------------------- */

/* Light to dark NHS blue. Dark text (#212b32) on the first three: 12.6, 9.1 and 6.3 to 1;
 * white on the last two (NHS blue and NHS dark blue): 6.4 and 11.9 to 1. The steps skip the
 * middle band of luminance (about 0.18 to 0.29) where neither text colour reaches 4.5:1. */
const char *const svg_heat_fill[SVG_HEAT_STEPS] = {"#e8f1fa", "#b3d1ef", "#7fb0e3", "#005eb8",
                                                   "#003087"};
const char *const svg_heat_text[SVG_HEAT_STEPS] = {TEXT, TEXT, TEXT, "#ffffff", "#ffffff"};

#define HEAT_HIDDEN    "#d8dde0" /* NHS grey 4: dark "*" at 10.5:1 */
#define HEAT_NOBODY    "#ffffff" /* "–" in TEXT_SOFT at 6.4:1 */
#define HEAT_LABEL_W   232.0     /* row labels end here */
#define HEAT_X0        (HEAT_LABEL_W + 8)
#define HEAT_CW        60.0
#define HEAT_CH        36.0
#define HEAT_ROW_CHARS 25
#define HEAT_COL_CHARS 20
#define SIN45          0.70710678

static unsigned heat_step(double v, const struct scale *s)
{
    /* multiply first: 60 × 5 / 100 is exactly 3, whereas 60 / 100 × 5 need not be */
    unsigned k = (unsigned)(clamp(v, s->max) * SVG_HEAT_STEPS / s->max);
    return k >= SVG_HEAT_STEPS ? SVG_HEAT_STEPS - 1 : k;
}

int svg_heatmap(struct buf *b, const struct svg_meta *m, size_t rows, size_t cols,
                const char *const *row_labels, const char *const *col_labels,
                const struct disclosure_stat *cells, const struct svg_scale *scale)
{
    struct scale s;
    struct legend_item items[LEGEND_MAX];
    double xs[LEGEND_MAX], w, h, head, gy0, gy1, right = 0;
    int lines[LEGEND_MAX], nlines;
    size_t i, j, nitems = 0, hc = 0;
    bool any_hidden = false, any_nobody = false;
    int rc = APP_E_INVALID;

    if (!b || !meta_ok(m) || scale_init(&s, scale))
        goto done;
    if (rows == 0 || cols == 0) {
        rc = no_data(b, m);
        goto done;
    }
    if (!row_labels || !col_labels || !cells || rows > SIZE_MAX / cols)
        goto done;
    for (i = 0; i < rows; i++)
        if (!row_labels[i])
            goto done;
    for (j = 0; j < cols; j++) {
        size_t c;
        if (!col_labels[j])
            goto done;
        c = text_chars(col_labels[j]);
        c = c > HEAT_COL_CHARS ? HEAT_COL_CHARS : c;
        /* a slanted label reaches right of its column's centre by its length × cos 45° */
        if (HEAT_X0 + HEAT_CW * j + HEAT_CW / 2 + c * CHAR_W * SIN45 + 12 > right)
            right = HEAT_X0 + HEAT_CW * j + HEAT_CW / 2 + c * CHAR_W * SIN45 + 12;
        hc = c > hc ? c : hc;
    }
    for (i = 0; i < rows * cols; i++) {
        if (stat_shown(&cells[i]) && !value_ok(cells[i].value, &s))
            goto done;
        any_hidden |= cells[i].suppressed;
        any_nobody |= !cells[i].shown && !cells[i].suppressed;
    }

    w = HEAT_X0 + HEAT_CW * cols + PAD;
    w = right + PAD > w ? right + PAD : w;
    w = w < WIDTH ? WIDTH : w;
    head = hc * CHAR_W * SIN45 + 24;
    gy0 = PAD + head;
    gy1 = gy0 + HEAT_CH * rows;
    for (i = 0; i < SVG_HEAT_STEPS; i++)
        items[nitems++] = (struct legend_item){.kind = SW_CELL,
                                               .fill = svg_heat_fill[i],
                                               .lo = s.max * i / SVG_HEAT_STEPS,
                                               .hi = s.max * (i + 1) / SVG_HEAT_STEPS};
    if (any_hidden)
        items[nitems++] = (struct legend_item){.kind = SW_CELL,
                                               .fill = HEAT_HIDDEN,
                                               .mark = "*",
                                               .mark_fill = TEXT,
                                               .label = "suppressed"};
    if (any_nobody)
        items[nitems++] = (struct legend_item){.kind = SW_CELL,
                                               .fill = HEAT_NOBODY,
                                               .mark = DASH,
                                               .mark_fill = TEXT_SOFT,
                                               .label = "no responses"};
    nlines = legend_layout(items, nitems, &s, PAD, w - PAD, xs, lines);
    h = gy1 + 12 + nlines * LINE + PAD;

    open_svg_sized(b, m, w, h, true);
    for (j = 0; j < cols; j++) {
        double cx = HEAT_X0 + HEAT_CW * j + HEAT_CW / 2, cy = gy0 - 8;
        buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" transform=\"rotate(-45 %.1f %.1f)\">", cx, cy,
                   cx, cy);
        put_label(b, col_labels[j], HEAT_COL_CHARS);
    }
    for (i = 0; i < rows; i++) {
        double y = gy0 + HEAT_CH * i;
        buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" dy=\"0.35em\" text-anchor=\"end\">",
                   HEAT_LABEL_W, y + HEAT_CH / 2);
        put_label(b, row_labels[i], HEAT_ROW_CHARS);
        for (j = 0; j < cols; j++) {
            const struct disclosure_stat *c = &cells[i * cols + j];
            double x = HEAT_X0 + HEAT_CW * j;
            const char *fill, *ink;
            unsigned k = 0;
            if (stat_shown(c)) {
                k = heat_step(c->value, &s);
                fill = svg_heat_fill[k], ink = svg_heat_text[k];
            } else if (c->suppressed) {
                fill = HEAT_HIDDEN, ink = TEXT;
            } else {
                fill = HEAT_NOBODY, ink = TEXT_SOFT;
            }
            /* a white outline separates cells; a white cell is inset with a grey one */
            if (c->shown || c->suppressed)
                buf_printf(b,
                           "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                           "fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"2\"/>\n",
                           x, y, HEAT_CW, HEAT_CH, fill);
            else
                buf_printf(b,
                           "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                           "fill=\"%s\" stroke=\"" FRAME "\" stroke-width=\"1\"/>\n",
                           x + 1.5, y + 1.5, HEAT_CW - 3, HEAT_CH - 3, fill);
            buf_printf(b,
                       "<text x=\"%.1f\" y=\"%.1f\" dy=\"0.35em\" text-anchor=\"middle\" "
                       "fill=\"%s\">",
                       x + HEAT_CW / 2, y + HEAT_CH / 2, ink);
            if (stat_shown(c))
                put_num(b, clamp(c->value, s.max), s.decimals);
            else
                buf_puts(b, c->suppressed ? "*" : DASH);
            buf_puts(b, "</text>\n");
        }
    }
    legend_draw(b, items, nitems, &s, xs, lines, gy1 + 12);
    rc = finish(b);
done:
    return rc;
}

/* ---- scatter ------------------------------------------------------------------------------ */

#define SC_X0     40.0 /* room for the rotated y-axis name */
#define SC_X1     (WIDTH - PAD - 8.0)
#define SC_H      400.0
#define SC_INSET  14.0 /* keeps shapes off the frame */
#define SC_LABELS 60   /* an axis name is cut past this */

/* The groups of a scatter or region map: at most SVG_SCATTER_MAX_GROUPS, at least one for n
 * marks, each named. */
static bool groups_ok(const struct svg_scatter_opts *opts, size_t n)
{
    if (!opts || opts->ngroups > SVG_SCATTER_MAX_GROUPS || (n > 0 && opts->ngroups == 0))
        return false;
    for (size_t g = 0; g < opts->ngroups; g++)
        if (!opts->group_names[g])
            return false;
    return true;
}

int svg_scatter(struct buf *b, const struct svg_meta *m, const struct svg_point *pts, size_t n,
                const struct svg_scatter_opts *opts)
{
    struct legend_item items[SVG_SCATTER_MAX_GROUPS];
    double xs[SVG_SCATTER_MAX_GROUPS], xmin, xmax, ymin, ymax, sx, sy, ox, oy, py0, py1, h;
    double pw, ph;
    int lines[SVG_SCATTER_MAX_GROUPS], nlines;
    size_t i, g;
    int rc = APP_E_INVALID;

    if (!b || !meta_ok(m) || (n > 0 && (!pts || !opts)) || (opts && !groups_ok(opts, n)))
        goto done;
    if (n == 0) {
        rc = no_data(b, m);
        goto done;
    }
    xmin = xmax = pts[0].x;
    ymin = ymax = pts[0].y;
    for (i = 0; i < n; i++) {
        if (!isfinite(pts[i].x) || !isfinite(pts[i].y) || pts[i].group >= opts->ngroups)
            goto done;
        xmin = fmin(xmin, pts[i].x), xmax = fmax(xmax, pts[i].x);
        ymin = fmin(ymin, pts[i].y), ymax = fmax(ymax, pts[i].y);
    }
    /* one point, or all in a line: open the flat axis round the data so nothing divides by 0 */
    if (xmax - xmin == 0)
        xmin -= 1, xmax += 1;
    if (ymax - ymin == 0)
        ymin -= 1, ymax += 1;
    if (!isfinite(xmax - xmin) || !isfinite(ymax - ymin))
        goto done;

    for (g = 0; g < opts->ngroups; g++)
        items[g] = (struct legend_item){.kind = SW_SHAPE,
                                        .fill = scatter_fill[g],
                                        .shape = (unsigned)g,
                                        .label = opts->group_names[g]};
    nlines = legend_layout(items, opts->ngroups, NULL, SC_X0, WIDTH - PAD, xs, lines);
    py0 = PAD + nlines * LINE + 10;
    py1 = py0 + SC_H;
    h = py1 + (opts->x_label ? 30 : 0) + PAD;
    pw = SC_X1 - SC_X0 - 2 * SC_INSET;
    ph = SC_H - 2 * SC_INSET;
    sx = pw / (xmax - xmin);
    sy = ph / (ymax - ymin);
    if (opts->equal_scale)
        sx = sy = fmin(sx, sy);
    /* centre the data in the plot when one axis has room to spare */
    ox = SC_X0 + SC_INSET + (pw - (xmax - xmin) * sx) / 2;
    oy = py1 - SC_INSET - (ph - (ymax - ymin) * sy) / 2;

    open_svg(b, m, WIDTH, h);
    legend_draw(b, items, opts->ngroups, NULL, xs, lines, PAD);
    buf_printf(b,
               "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
               "stroke=\"" FRAME "\" stroke-width=\"1\"/>\n",
               SC_X0, py0, SC_X1 - SC_X0, SC_H);
    if (xmin <= 0 && xmax >= 0)
        buf_printf(b,
                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" BAR2
                   "\" stroke-width=\"1\" stroke-dasharray=\"4 4\"/>\n",
                   ox + (0 - xmin) * sx, py0, ox + (0 - xmin) * sx, py1);
    if (ymin <= 0 && ymax >= 0)
        buf_printf(b,
                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" BAR2
                   "\" stroke-width=\"1\" stroke-dasharray=\"4 4\"/>\n",
                   SC_X0, oy - (0 - ymin) * sy, SC_X1, oy - (0 - ymin) * sy);
    if (opts->x_label) {
        buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", (SC_X0 + SC_X1) / 2,
                   py1 + 24);
        put_label(b, opts->x_label, SC_LABELS);
    }
    if (opts->y_label) {
        double cy = (py0 + py1) / 2;
        buf_printf(b,
                   "<text x=\"24\" y=\"%.1f\" text-anchor=\"middle\" "
                   "transform=\"rotate(-90 24 %.1f)\">",
                   cy, cy);
        put_label(b, opts->y_label, SC_LABELS);
    }
    /* one group at a time, so its colour and outline are said once */
    for (g = 0; g < opts->ngroups; g++) {
        buf_printf(b, "<g fill=\"%s\" stroke=\"" TEXT "\" stroke-width=\"1\">\n", scatter_fill[g]);
        for (i = 0; i < n; i++)
            if (pts[i].group == g)
                put_shape(b, (unsigned)g, ox + (pts[i].x - xmin) * sx, oy - (pts[i].y - ymin) * sy);
        buf_puts(b, "</g>\n");
    }
    rc = finish(b);
done:
    return rc;
}

/* ---- region map --------------------------------------------------------------------------- */

#define RG_W     BAR_WIDTH_UNITS /* as narrow as a bar chart, for phones */
#define RG_X0    PAD
#define RG_X1    (RG_W - PAD)
#define RG_H     300.0
#define RG_INSET 8.0

/* The half-width and half-height of the box round an ellipse. */
static void region_extent(const struct svg_region *r, double *hw, double *hh)
{
    double t = r->angle * 3.14159265358979323846 / 180, c = cos(t), s = sin(t);
    *hw = sqrt(r->rx * r->rx * c * c + r->ry * r->ry * s * s);
    *hh = sqrt(r->rx * r->rx * s * s + r->ry * r->ry * c * c);
}

int svg_regions(struct buf *b, const struct svg_meta *m, const struct svg_region *r, size_t n,
                const struct svg_scatter_opts *opts)
{
    struct legend_item items[SVG_SCATTER_MAX_GROUPS];
    double xs[SVG_SCATTER_MAX_GROUPS], xmin = 0, xmax = 0, ymin = 0, ymax = 0, sc, ox, oy, py0, py1,
                                       pw, ph;
    int lines[SVG_SCATTER_MAX_GROUPS], nlines;
    size_t i, g;
    int rc = APP_E_INVALID;

    if (!b || !meta_ok(m) || (n > 0 && (!r || !opts)) || (opts && !groups_ok(opts, n)))
        goto done;
    if (n == 0) {
        rc = no_data(b, m);
        goto done;
    }
    for (i = 0; i < n; i++) {
        double hw, hh;
        if (!isfinite(r[i].x) || !isfinite(r[i].y) || !isfinite(r[i].rx) || !isfinite(r[i].ry) ||
            !isfinite(r[i].angle) || r[i].rx < 0 || r[i].ry < 0 || r[i].group >= opts->ngroups)
            goto done;
        region_extent(&r[i], &hw, &hh);
        if (i == 0 || r[i].x - hw < xmin)
            xmin = r[i].x - hw;
        if (i == 0 || r[i].x + hw > xmax)
            xmax = r[i].x + hw;
        if (i == 0 || r[i].y - hh < ymin)
            ymin = r[i].y - hh;
        if (i == 0 || r[i].y + hh > ymax)
            ymax = r[i].y + hh;
    }
    /* regions of no size: open the flat axis round them so nothing divides by 0 */
    if (xmax - xmin == 0)
        xmin -= 1, xmax += 1;
    if (ymax - ymin == 0)
        ymin -= 1, ymax += 1;
    if (!isfinite(xmax - xmin) || !isfinite(ymax - ymin))
        goto done;

    for (g = 0; g < opts->ngroups; g++)
        items[g] = (struct legend_item){.kind = SW_SHAPE,
                                        .fill = scatter_fill[g],
                                        .shape = (unsigned)g,
                                        .label = opts->group_names[g]};
    nlines = legend_layout(items, opts->ngroups, NULL, RG_X0, RG_X1, xs, lines);
    py0 = PAD + nlines * LINE + 10;
    py1 = py0 + RG_H;
    pw = RG_X1 - RG_X0 - 2 * RG_INSET;
    ph = RG_H - 2 * RG_INSET;
    sc = fmin(pw / (xmax - xmin), ph / (ymax - ymin));
    ox = RG_X0 + RG_INSET + (pw - (xmax - xmin) * sc) / 2;
    oy = py1 - RG_INSET - (ph - (ymax - ymin) * sc) / 2;

    open_svg(b, m, RG_W, py1 + PAD);
    legend_draw(b, items, opts->ngroups, NULL, xs, lines, PAD);
    buf_printf(b,
               "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
               "stroke=\"" FRAME "\" stroke-width=\"1\"/>\n",
               (double)RG_X0, py0, (double)(RG_X1 - RG_X0), RG_H);
    /* the regions, tinted so that one seen through another stays visible; then every centre
     * on top, so no region hides another's mark */
    for (i = 0; i < n; i++)
        buf_printf(b,
                   "<ellipse cx=\"%.1f\" cy=\"%.1f\" rx=\"%.1f\" ry=\"%.1f\" "
                   "transform=\"rotate(%.1f %.1f %.1f)\" fill=\"%s\" fill-opacity=\"0.25\" "
                   "stroke=\"%s\" stroke-width=\"2\"/>\n",
                   ox + (r[i].x - xmin) * sc, oy - (r[i].y - ymin) * sc, fmax(r[i].rx * sc, 4),
                   fmax(r[i].ry * sc, 4), -r[i].angle, ox + (r[i].x - xmin) * sc,
                   oy - (r[i].y - ymin) * sc, scatter_fill[r[i].group], scatter_fill[r[i].group]);
    for (i = 0; i < n; i++) {
        double cx = ox + (r[i].x - xmin) * sc, cy = oy - (r[i].y - ymin) * sc;
        buf_printf(b, "<g fill=\"%s\" stroke=\"" TEXT "\" stroke-width=\"1\">\n",
                   scatter_fill[r[i].group]);
        put_shape(b, r[i].group, cx, cy);
        buf_puts(b, "</g>\n");
        buf_printf(b,
                   "<text x=\"%.1f\" y=\"%.1f\" dy=\"0.35em\" font-weight=\"bold\" "
                   "stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">%u</text>\n",
                   cx + 10, cy, r[i].group + 1);
    }
    rc = finish(b);
done:
    return rc;
}
