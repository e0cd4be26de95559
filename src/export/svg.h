/* svg.h: accessible SVG charts (bar chart, heat map, scatter) written into a struct buf
 *
 * Every chart is one self-contained <svg> element that works inline in a page under our
 * Content-Security-Policy (style-src 'self'): it carries no <style> element, no style=""
 * attribute and no script; colours, fonts and lines are SVG presentation attributes (fill=,
 * stroke=, font-family=, font-size=), which CSP does not govern. No CSS is needed. The root
 * has class="ahp-chart" as a hook should a page ever want one. Output is a pure function of
 * the input (fixed decimals, fixed layout), so the same data always gives the same bytes.
 *
 * Accessibility: the root is <svg role="img" aria-labelledby="ID-title ID-desc"
 * focusable="false"> with <title id="ID-title"> and <desc id="ID-desc"> from the caller, so a
 * screen reader announces one image with a name and a description and never walks the
 * drawing. Text is Arial/sans-serif at 16 user units; the charts are drawn 640 units wide
 * (wider for a heat map with many columns) and scale with width="100%", so text renders at
 * 14 px or more while the chart is at least 560 px wide (a heat map proportionally wider).
 * Colour is never the only cue: the second bar series is thinner and has its own lane, the
 * marker is a line, heat-map cells print their value, scatter groups have distinct shapes.
 * Hidden values (disclosure rule, src/text/disclosure.h) are never drawn as a bar or a
 * colour: a bar says "suppressed (fewer than N people)" in words and draws no <rect>; a
 * heat-map cell is grey with "*"; a value over nobody says "no responses" or "–".
 *
 * WHAT THE CALLER MUST STILL PROVIDE: the same numbers as a data table next to the chart
 * (an NHS.UK table, or a <details> "Show the data as a table" under it), with the full
 * labels and every value formatted by disclosure_stat_format() (so "*" where hidden). The
 * chart truncates long labels with "…", rounds to the given decimals and may be too small
 * to read on a phone; the table is what screen-reader, keyboard, magnifier and
 * copy-and-paste users rely on (WCAG 1.1.1 and 1.3.1), and the chart's <desc> should say
 * where it is ("The table below gives the values."). The caller also gives each chart a
 * unique id on the page (the ids of the title, desc and any <defs> derive from it).
 *
 * Labels (row, column, series, group and axis names, the unit) are XML-escaped here; pass
 * them raw. Bytes that are not valid UTF-8, and control characters XML forbids, are drawn as
 * U+FFFD and a space respectively, so the output stays well-formed whatever the input.
 *
 * All functions append to b and check nothing about what is already in it. Returns: 0;
 * APP_E_INVALID when an argument is wrong (nothing is appended: every input is checked
 * before drawing); APP_E_NOMEM when b is out of memory (b is then oom, see buf.h, and its
 * contents must be discarded). Thread-safe: no global state.
 */
#ifndef AHP_SVG_H
#define AHP_SVG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text/disclosure.h"

struct buf;

/* Most characters of an id; it must match [A-Za-z][A-Za-z0-9_-]*. */
#define SVG_ID_MAX 64
/* Most groups in a scatter plot: one colour and one shape each. */
#define SVG_SCATTER_MAX_GROUPS 5

/* Who the chart is: all borrowed, all required. id is unique on the page; title is the
 * chart's accessible name (non-empty); desc its description (may be "", better not). */
struct svg_meta {
    const char *id;
    const char *title;
    const char *desc;
};

/* How values are scaled and printed, for bar charts and heat maps. A zeroed struct is a
 * 0..100 scale with no decimals, no unit and the default threshold. */
struct svg_scale {
    double max;          /* the top of the scale (values must lie in 0..max); 0 means 100 */
    int decimals;        /* decimals printed, 0..2: pass what the data table shows */
    const char *unit;    /* appended to each printed value and tick, e.g. "%"; NULL: none;
                            at most 16 bytes */
    uint32_t threshold;  /* the disclosure threshold in force, for the words "fewer than
                            threshold+1 people"; below DISCLOSURE_MIN_THRESHOLD means it */
    const char *counted; /* what the values count, plural, for those words: "fewer than 8
                            contributions"; NULL: "people"; non-empty, at most 32 bytes */
    const char *none;    /* a bar chart's words for a value over nobody, as the data table
                            beside it says it ("Not answered"); NULL: "no responses";
                            non-empty, at most 32 bytes */
};

/* How a statistic is drawn, read from a struct disclosure_stat:
 *   shown && !suppressed   the value (it must be finite and within 0..max);
 *   suppressed             hidden: "suppressed (fewer than N people)", or what the
 *                          scale counts instead of people / grey "*";
 *   neither                over nobody: "no responses" (or the scale's none) / "–".
 * A stat with both shown and suppressed set is treated as suppressed (the safe reading). */

/* One bar of a bar chart: a label line, then the value's bar with its number at the end,
 * then optionally a thinner bar for a second series (e.g. "your profession's average"),
 * and optionally a vertical marker line across the value's bar (e.g. the national
 * baseline). The marker is drawn only when the value itself is shown. */
struct svg_bar {
    const char *label; /* required; drawn above the bar, truncated past ~70 characters */
    struct disclosure_stat value;
    bool has_second;
    struct disclosure_stat second;
    bool has_marker;
    double marker; /* finite, within 0..max */
};

struct svg_bar_opts {
    struct svg_scale scale;
    /* Legend names, drawn (with a legend) only when some bar has a second series or a
     * marker; then value_name is required, and second_name / marker_name are required when
     * any bar uses them. E.g. "This organisation", "Your profession", "National baseline". */
    const char *value_name;
    const char *second_name;
    const char *marker_name;
};

/* Horizontal bar chart of n bars (borrowed; may be NULL when n is 0) on a 0..max scale with
 * ticks and grid lines at 0, ¼, ½, ¾ and all of max (0, 25, 50, 75, 100 for percentages).
 * n = 0 draws a valid chart that says "No data". opts may be NULL (a 0..100 scale, 0
 * decimals, no unit; then no bar may have a second series or a marker, which need names).
 * Returns 0, APP_E_INVALID (bad meta, a NULL label, a shown value or marker that is not
 * finite or outside 0..max, decimals outside 0..2, max negative or not finite, a missing
 * legend name), APP_E_NOMEM. */
int svg_bar_chart(struct buf *b, const struct svg_meta *m, const struct svg_bar *bars, size_t n,
                  const struct svg_bar_opts *opts);

/* Heat map: rows × cols cells (row-major, borrowed) with row labels down the left
 * (truncated past ~25 characters) and column labels on top, slanted at 45° (truncated past
 * 20). Each shown cell is shaded in one of five steps of NHS blue, light to dark, by which
 * fifth of 0..max it falls in (the top fifth includes max), and prints its value (without
 * the unit, for room; the legend's ranges carry it) in dark text on the three light steps
 * and white on the two dark ones, every pair at least 4.5:1 contrast (WCAG AA; the colours
 * are svg_heat_fill / svg_heat_text below so tests can check them). A suppressed cell is grey with
 * a dark "*"; a cell over nobody is white with "–". A legend of the five ranges (and of "*" and "–"
 * when they occur) sits under the grid. rows or cols 0 draws "No data". scale may be NULL (0..100,
 * 0 decimals, no unit). Returns 0, APP_E_INVALID (bad meta, NULL labels or a NULL label, NULL cells
 * with rows × cols > 0, a shown value not finite or outside 0..max, bad scale), APP_E_NOMEM. */
int svg_heatmap(struct buf *b, const struct svg_meta *m, size_t rows, size_t cols,
                const char *const *row_labels, const char *const *col_labels,
                const struct disclosure_stat *cells, const struct svg_scale *scale);

/* The heat map's five fills, light to dark, and the text colour drawn on each. */
#define SVG_HEAT_STEPS 5
extern const char *const svg_heat_fill[SVG_HEAT_STEPS];
extern const char *const svg_heat_text[SVG_HEAT_STEPS];

/* One point of a scatter plot, in any units (both axes are scaled to fit). */
struct svg_point {
    double x, y;    /* finite */
    unsigned group; /* 0..ngroups-1 */
};

struct svg_scatter_opts {
    size_t ngroups;                                  /* 1..SVG_SCATTER_MAX_GROUPS (0 if n is 0) */
    const char *group_names[SVG_SCATTER_MAX_GROUPS]; /* ngroups required, for the legend */
    const char *x_label;                             /* axis names; NULL: none */
    const char *y_label;
    /* One unit is as long across as up, so distances mean the same in every direction: true
     * for a PCA map of opinions; false stretches each axis to fill the plot. */
    bool equal_scale;
};

/* Scatter plot of n points (borrowed; may be NULL when n is 0), e.g. participants on the
 * two principal components of an opinion map. Group g is drawn as shape g (circle, square,
 * triangle, diamond, cross) filled with colour g of the Okabe–Ito colour-blind-safe palette,
 * outlined in dark grey so every shape has 3:1 contrast against the page; groups are drawn
 * in order, points in input order. Dashed lines mark x = 0 and y = 0 when they fall in the
 * plot. No tick numbers: the units of such maps mean nothing to a reader. A legend of the
 * groups' shapes and names sits above the plot. n = 0 draws "No data" (opts may then be
 * NULL). Returns 0, APP_E_INVALID (bad meta, NULL opts with n > 0, ngroups out of range, a
 * NULL group name, a point not finite or of no group), APP_E_NOMEM. The output grows by
 * about 100 bytes a point. */
int svg_scatter(struct buf *b, const struct svg_meta *m, const struct svg_point *pts, size_t n,
                const struct svg_scatter_opts *opts);

/* One region of a region map: an ellipse round where most of a group lies (e.g. two standard
 * deviations of its points each way), in the same units as a scatter plot's points. */
struct svg_region {
    double x, y;    /* the centre; finite */
    double rx, ry;  /* half-axes, finite, 0 or more */
    double angle;   /* degrees from the x axis to the rx axis, anticlockwise; finite */
    unsigned group; /* 0..ngroups-1 */
};

/* Region map of n regions (borrowed; may be NULL when n is 0): each group as an ellipse,
 * not a mark per member, so that counting marks gives no group's size away. Region g is
 * tinted and outlined in colour g of the scatter palette, and its centre carries group g's
 * scatter shape with the group's number beside it ("1" for the first group), so colour is
 * never the only cue; the legend above the plot gives each shape with its group's name
 * (say "Group 1: 15 people"). Always one unit across as up (like an equal-scale scatter), no
 * tick numbers. Drawn 400 units wide, as a bar chart is, so its text stays readable on a
 * phone. n = 0 draws "No data" (opts may then be NULL). Returns 0, APP_E_INVALID (bad meta,
 * NULL opts with n > 0, ngroups out of range, a NULL group name, a region not finite, with a
 * negative half-axis or of no group), APP_E_NOMEM. */
int svg_regions(struct buf *b, const struct svg_meta *m, const struct svg_region *r, size_t n,
                const struct svg_scatter_opts *opts);

#endif
