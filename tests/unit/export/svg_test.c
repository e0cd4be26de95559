/* svg_test.c: tests for src/export/svg.c (accessible SVG charts)
 *
 * Every chart drawn here goes through a small XML checker (tags balanced, one root,
 * attributes quoted and not repeated, every & an entity, no stray <), because a chart is
 * inlined into a page raw and one broken tag would break the page round it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "export/svg.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a tiny XML well-formedness checker ----------------------------------------------- */

static bool name_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':';
}

static bool name_char(char c)
{
    return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* An entity reference at s (just past '&'): &name; &#digits; &#xhex;. Returns its length
 * after the '&', or 0 when there is none. */
static size_t entity(const char *s)
{
    size_t i = 0;
    if (s[0] == '#') {
        i = 1;
        if (s[1] == 'x') {
            i = 2;
            while ((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
                   (s[i] >= 'A' && s[i] <= 'F'))
                i++;
            if (i == 2)
                return 0;
        } else {
            while (s[i] >= '0' && s[i] <= '9')
                i++;
            if (i == 1)
                return 0;
        }
    } else {
        static const char *const names[] = {"amp", "lt", "gt", "quot", "apos"};
        size_t k;
        for (k = 0; k < 5; k++)
            if (!strncmp(s, names[k], strlen(names[k])) && s[strlen(names[k])] == ';')
                return strlen(names[k]) + 1;
        return 0;
    }
    return s[i] == ';' ? i + 1 : 0;
}

/* Checks text (or an attribute value, stopping at quote): no '<', every '&' an entity, and
 * only characters XML allows (no control characters but tab and line ends, no U+FFFE/F). */
static bool chars_ok(const char **pp, char stop)
{
    const char *p = *pp;
    while (*p && *p != stop) {
        unsigned char c = (unsigned char)*p;
        if (*p == '<' && stop != '<')
            return false;
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
            (c == 0xef && (unsigned char)p[1] == 0xbf && (unsigned char)p[2] >= 0xbe))
            return false;
        if (*p == '&') {
            size_t k = entity(p + 1);
            if (!k)
                return false;
            p += k;
        }
        p++;
    }
    *pp = p;
    return true;
}

#define MAX_DEPTH 64
#define MAX_ATTRS 32

/* True when s is one well-formed XML element (with whitespace around it). */
static bool xml_well_formed(const char *s)
{
    const char *stack[MAX_DEPTH];
    size_t lens[MAX_DEPTH];
    int depth = 0, roots = 0;
    const char *p = s;

    while (*p) {
        if (*p != '<') {
            const char *t = p;
            if (!chars_ok(&p, '<'))
                return false;
            if (depth == 0)
                for (; t < p; t++)
                    if (*t != ' ' && *t != '\n' && *t != '\t' && *t != '\r')
                        return false; /* text outside the root */
            continue;
        }
        if (p[1] == '/') { /* end tag */
            const char *n = p + 2;
            size_t len = 0;
            while (name_char(n[len]))
                len++;
            if (depth == 0 || len != lens[depth - 1] || strncmp(n, stack[depth - 1], len))
                return false;
            p = n + len;
            while (*p == ' ' || *p == '\n')
                p++;
            if (*p != '>')
                return false;
            p++;
            depth--;
            continue;
        }
        if (p[1] == '!' || p[1] == '?')
            return false; /* the charts write neither comments nor declarations */
        {                 /* start tag */
            const char *n = p + 1, *names[MAX_ATTRS];
            size_t len = 0, nlen[MAX_ATTRS], na = 0, k;
            if (!name_start(n[0]))
                return false;
            while (name_char(n[len]))
                len++;
            p = n + len;
            for (;;) {
                const char *a;
                size_t alen = 0;
                char q;
                bool space = false;
                while (*p == ' ' || *p == '\n' || *p == '\t')
                    p++, space = true;
                if (*p == '>' || (p[0] == '/' && p[1] == '>'))
                    break;
                if (!space || !name_start(*p))
                    return false;
                a = p;
                while (name_char(a[alen]))
                    alen++;
                for (k = 0; k < na; k++)
                    if (nlen[k] == alen && !strncmp(names[k], a, alen))
                        return false; /* repeated attribute */
                if (na == MAX_ATTRS)
                    return false;
                names[na] = a, nlen[na++] = alen;
                p = a + alen;
                if (*p++ != '=')
                    return false;
                q = *p++;
                if (q != '"' && q != '\'')
                    return false;
                if (!chars_ok(&p, q) || *p != q)
                    return false;
                p++;
            }
            if (depth == 0 && roots++ > 0)
                return false;
            if (*p == '/') {
                p += 2;
            } else {
                if (depth == MAX_DEPTH)
                    return false;
                stack[depth] = n, lens[depth++] = len;
                p++;
            }
        }
    }
    return depth == 0 && roots == 1;
}

static void checker_knows_bad_xml(void **state)
{
    (void)state;
    assert_true(xml_well_formed("<a x=\"1\"><b/>t &amp; &#39; &#x41;</a>\n"));
    assert_false(xml_well_formed("<a><b></a></b>"));
    assert_false(xml_well_formed("<a>1 < 2</a>"));
    assert_false(xml_well_formed("<a>Q&A</a>"));
    assert_false(xml_well_formed("<a x=\"1\" x=\"2\"/>"));
    assert_false(xml_well_formed("<a x=1/>"));
    assert_false(xml_well_formed("<a x=\"<\"/>"));
    assert_false(xml_well_formed("<a/><b/>"));
    assert_false(xml_well_formed("<a>"));
    assert_false(xml_well_formed("text<a/>"));
    assert_false(xml_well_formed("<a>bell \x07</a>"));
    assert_false(xml_well_formed("<a>\xef\xbf\xbf</a>"));
}

/* ---- helpers ------------------------------------------------------------------------------ */

static size_t count(const char *s, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    while ((s = strstr(s, needle)) != NULL)
        n++, s += len;
    return n;
}

/* An on…= attribute (onclick=, onload=), which CSP would block and we never write. */
static bool has_event_attr(const char *s)
{
    const char *p = s;
    while ((p = strstr(p, " on")) != NULL) {
        p += 3;
        while (*p >= 'a' && *p <= 'z')
            p++;
        if (*p == '=')
            return true;
    }
    return false;
}

static const struct svg_meta META = {"chart-1", "Digital maturity by domain",
                                     "Mean score per domain; the table below gives the values."};

static struct disclosure_stat shown(double v)
{
    return (struct disclosure_stat){v, true, false};
}

static const struct disclosure_stat HIDDEN = {0, false, true};
static const struct disclosure_stat NOBODY = {0, false, false};

/* What every chart must carry: the accessible name and description, and nothing that our
 * Content-Security-Policy (no inline style, no script) would block. */
static void check_chart(const char *svg, const char *id)
{
    char want[160];
    assert_non_null(svg);
    assert_true(xml_well_formed(svg));
    assert_true(utf8_valid(svg, strlen(svg)));
    assert_true(!strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39));
    assert_non_null(strstr(svg, " role=\"img\""));
    snprintf(want, sizeof want, " aria-labelledby=\"%s-title %s-desc\"", id, id);
    assert_non_null(strstr(svg, want));
    snprintf(want, sizeof want, "<title id=\"%s-title\">", id);
    assert_non_null(strstr(svg, want));
    snprintf(want, sizeof want, "<desc id=\"%s-desc\">", id);
    assert_non_null(strstr(svg, want));
    assert_non_null(strstr(svg, " focusable=\"false\""));
    /* scaled to the column, or (a heat map) at its natural size: never a width of its own */
    {
        unsigned vw = 0, vh = 0, w = 0;
        const char *vb = strstr(svg, " viewBox=\"0 0 "), *wd = strstr(svg, " width=\"");
        assert_non_null(vb);
        assert_non_null(wd);
        assert_int_equal(sscanf(vb, " viewBox=\"0 0 %u %u", &vw, &vh), 2);
        if (strncmp(wd, " width=\"100%\"", 13)) {
            assert_int_equal(sscanf(wd, " width=\"%u\"", &w), 1);
            assert_int_equal(w, vw);
        }
    }
    assert_non_null(strstr(svg, "font-family=\"Arial, sans-serif\" font-size=\"16\""));
    assert_null(strstr(svg, "style"));
    assert_null(strstr(svg, "<script"));
    assert_false(has_event_attr(svg));
    /* all text at the root's 16: no element sets a smaller size */
    assert_int_equal(count(svg, "font-size="), 1);
}

/* ---- bar charts --------------------------------------------------------------------------- */

static void bars_draw_values_ticks_and_names(void **state)
{
    struct svg_bar bars[] = {
        {.label = "Digital leadership", .value = shown(28)},
        {.label = "AI and decision-support literacy", .value = shown(38.26)},
        {.label = "Data analytics", .value = shown(-0.0)},
    };
    struct svg_bar_opts o = {.scale = {.decimals = 1, .unit = "%"}};
    struct buf b = BUF_INIT;
    (void)state;

    assert_int_equal(svg_bar_chart(&b, &META, bars, 3, &o), 0);
    check_chart(b.data, "chart-1");
    assert_non_null(strstr(b.data, ">Digital leadership</text>"));
    assert_non_null(strstr(b.data, ">28.0%</text>"));
    assert_non_null(strstr(b.data, ">38.3%</text>"));
    assert_non_null(strstr(b.data, ">0.0%</text>")); /* never "-0.0%" */
    assert_null(strstr(b.data, "-0"));
    /* ticks at 0, 25, 50, 75, 100 (whole numbers: the steps need no decimals) */
    assert_non_null(strstr(b.data, ">0%</text>"));
    assert_non_null(strstr(b.data, ">25%</text>"));
    assert_non_null(strstr(b.data, ">50%</text>"));
    assert_non_null(strstr(b.data, ">75%</text>"));
    assert_non_null(strstr(b.data, ">100%</text>"));
    /* one bar each, no legend: nothing to compare with */
    assert_int_equal(count(b.data, "<rect "), 3);
    /* 28% of the 296-unit scale from x=24: the bar is 82.9 long */
    assert_non_null(strstr(b.data, "width=\"82.9\""));
    buf_free(&b);
    /* counts on a scale of 12 (a theme chart's least): quarter ticks are whole, as 12/5 is not,
     * and no tick reads "3.0" */
    o = (struct svg_bar_opts){.scale = {.max = 12}};
    bars[0].value = shown(8);
    bars[1].value = shown(11);
    assert_int_equal(svg_bar_chart(&b, &META, bars, 3, &o), 0);
    assert_non_null(strstr(b.data, ">3</text>"));
    assert_non_null(strstr(b.data, ">12</text>"));
    assert_null(strstr(b.data, ">3.0</text>"));
    buf_free(&b);
}

static void hidden_bar_says_suppressed_and_draws_nothing(void **state)
{
    struct svg_bar bars[] = {
        {.label = "Physiotherapists", .value = shown(40), .has_marker = true, .marker = 28},
        {.label = "Orthoptists", .value = HIDDEN, .has_marker = true, .marker = 28},
        {.label = "Art therapists", .value = NOBODY},
    };
    struct svg_bar_opts o = {.scale = {.unit = "%"},
                             .value_name = "This organisation",
                             .marker_name = "National baseline"};
    struct buf b = BUF_INIT;
    const char *row2, *row3;
    (void)state;

    assert_int_equal(svg_bar_chart(&b, &META, bars, 3, &o), 0);
    check_chart(b.data, "chart-1");
    row2 = strstr(b.data, ">Orthoptists</text>");
    row3 = strstr(b.data, ">Art therapists</text>");
    assert_non_null(row2);
    assert_non_null(row3);
    /* the hidden row: words, no bar, no marker, no number */
    {
        size_t n = (size_t)(row3 - row2);
        char *seg = strndup(row2, n);
        assert_non_null(strstr(seg, "suppressed (fewer than 8 people)"));
        assert_null(strstr(seg, "<rect"));
        assert_null(strstr(seg, "<line"));
        assert_null(strstr(seg, "%<"));
        free(seg);
    }
    assert_non_null(strstr(row3, "no responses"));
    assert_null(strstr(row3, "<rect"));
    /* the legend's swatch and the one shown bar: two rects */
    assert_int_equal(count(b.data, "<rect "), 2);
    buf_free(&b);

    /* a configured threshold above 7 changes the words; one below 7 cannot lower them */
    o.scale.threshold = 10;
    assert_int_equal(svg_bar_chart(&b, &META, bars, 3, &o), 0);
    assert_non_null(strstr(b.data, "suppressed (fewer than 11 people)"));
    buf_reset(&b);
    o.scale.threshold = 3;
    assert_int_equal(svg_bar_chart(&b, &META, bars, 3, &o), 0);
    assert_non_null(strstr(b.data, "suppressed (fewer than 8 people)"));
    buf_free(&b);

    /* bars that count something else say what: contributions are not people */
    o.scale.counted = "contributions";
    assert_int_equal(svg_bar_chart(&b, &META, bars, 3, &o), 0);
    assert_non_null(strstr(b.data, "suppressed (fewer than 8 contributions)"));
    assert_null(strstr(b.data, "people"));
    buf_reset(&b);
    o.scale.counted = "";
    assert_int_equal(svg_bar_chart(&b, &META, bars, 3, &o), APP_E_INVALID);
    o.scale.counted = NULL;
    buf_free(&b);

    /* suppressed AND shown set together is read as suppressed */
    bars[1].value = (struct disclosure_stat){55, true, true};
    assert_int_equal(svg_bar_chart(&b, &META, bars, 3, &o), 0);
    assert_null(strstr(b.data, ">55%"));
    assert_int_equal(count(b.data, "<rect "), 2);
    buf_free(&b);
}

static void marker_and_second_series_when_asked(void **state)
{
    struct svg_bar bars[] = {
        {.label = "Leadership",
         .value = shown(40),
         .has_marker = true,
         .marker = 50,
         .has_second = true,
         .second = shown(30)},
        {.label = "Data", .value = shown(60), .has_second = true, .second = HIDDEN},
    };
    struct svg_bar_opts o = {.scale = {.unit = "%"},
                             .value_name = "Your organisation",
                             .second_name = "Your profession",
                             .marker_name = "National baseline"};
    struct buf b = BUF_INIT;
    const char *legend_end;
    (void)state;

    assert_int_equal(svg_bar_chart(&b, &META, bars, 2, &o), 0);
    check_chart(b.data, "chart-1");
    /* the legend names all three */
    assert_non_null(strstr(b.data, ">Your organisation</text>"));
    assert_non_null(strstr(b.data, ">Your profession</text>"));
    assert_non_null(strstr(b.data, ">National baseline</text>"));
    /* the marker: a thick line at 50% of the scale (x = 24 + 296 / 2), plus the legend's */
    assert_int_equal(count(b.data, "stroke-width=\"3\""), 2);
    assert_non_null(strstr(b.data, "<line x1=\"172.0\" y1="));
    /* the first bar's number is put after the marker, not under it */
    assert_non_null(strstr(b.data, "<text x=\"180.0\""));
    /* second series: thin bars (12 high) for the shown one only; the hidden one says so */
    legend_end = strstr(b.data, ">Leadership</text>");
    assert_non_null(legend_end);
    assert_int_equal(count(legend_end, "height=\"12.0\""), 1);
    assert_int_equal(count(b.data, "suppressed (fewer than 8 people)"), 1);
    assert_non_null(strstr(b.data, ">30%</text>"));
    buf_free(&b);

    /* no marker anywhere: no thick line and no marker name needed */
    bars[0].has_marker = false;
    o.marker_name = NULL;
    assert_int_equal(svg_bar_chart(&b, &META, bars, 2, &o), 0);
    assert_int_equal(count(b.data, "stroke-width=\"3\""), 0);
    assert_null(strstr(b.data, "National baseline"));
    buf_free(&b);

    /* a marker with no name for the legend is refused, and nothing is written */
    bars[0].has_marker = true;
    assert_int_equal(svg_bar_chart(&b, &META, bars, 2, &o), APP_E_INVALID);
    assert_int_equal(b.len, 0);
    assert_int_equal(svg_bar_chart(&b, &META, bars, 2, NULL), APP_E_INVALID);
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

static void labels_are_escaped_everywhere(void **state)
{
    const char *evil = "Speech & <language> \"therapists\" 'x'";
    const char *want = "Speech &amp; &lt;language&gt; &quot;therapists&quot; &#39;x&#39;";
    struct svg_meta m = {"c2", "A <b>bold</b> & title", "Say \"hi\" & <bye>"};
    struct svg_bar bars[] = {{.label = evil, .value = shown(10)}};
    struct svg_bar_opts o = {.scale = {.unit = "<%>"}};
    const char *rows[] = {evil}, *cols[] = {"A&B"};
    struct disclosure_stat cell = shown(5);
    struct svg_point pt = {0, 0, 0};
    struct svg_scatter_opts so = {.ngroups = 1, .group_names = {evil}, .x_label = "x<y"};
    struct buf b = BUF_INIT;
    (void)state;

    assert_int_equal(svg_bar_chart(&b, &m, bars, 1, &o), 0);
    check_chart(b.data, "c2");
    assert_non_null(strstr(b.data, want));
    assert_non_null(strstr(b.data, "A &lt;b&gt;bold&lt;/b&gt; &amp; title</title>"));
    assert_non_null(strstr(b.data, "Say &quot;hi&quot; &amp; &lt;bye&gt;</desc>"));
    assert_non_null(strstr(b.data, ">10&lt;%&gt;</text>"));
    assert_null(strstr(b.data, "<language>"));
    buf_free(&b);

    assert_int_equal(svg_heatmap(&b, &m, 1, 1, rows, cols, &cell, NULL), 0);
    check_chart(b.data, "c2");
    assert_non_null(strstr(b.data, "Speech &amp; &lt;language&gt;"));
    assert_non_null(strstr(b.data, ">A&amp;B</text>"));
    buf_free(&b);

    assert_int_equal(svg_scatter(&b, &m, &pt, 1, &so), 0);
    check_chart(b.data, "c2");
    assert_non_null(strstr(b.data, "Speech &amp; &lt;language&gt;"));
    assert_non_null(strstr(b.data, ">x&lt;y</text>"));
    buf_free(&b);
}

static void long_and_odd_labels_stay_well_formed(void **state)
{
    char longl[200], odd[] = "tab\there \x01 bad\xff\xfe byte \xef\xbf\xbf end";
    struct svg_bar bars[2];
    struct buf b = BUF_INIT;
    size_t i;
    (void)state;

    /* 99 characters, each "é" (two bytes): the cut must fall between characters */
    for (i = 0; i < 99; i++)
        longl[2 * i] = '\xc3', longl[2 * i + 1] = '\xa9';
    longl[198] = '\0';
    memset(bars, 0, sizeof bars);
    bars[0] = (struct svg_bar){.label = longl, .value = shown(50)};
    bars[1] = (struct svg_bar){.label = odd, .value = shown(50)};
    assert_int_equal(svg_bar_chart(&b, &META, bars, 2, NULL), 0);
    check_chart(b.data, "chart-1"); /* also checks the whole output is valid UTF-8 */
    /* cut with an ellipsis, the full label kept as a tooltip */
    assert_non_null(strstr(b.data, "\xc3\xa9\xe2\x80\xa6</text>"));
    assert_non_null(strstr(b.data, "<title>\xc3\xa9\xc3\xa9"));
    assert_non_null(strstr(b.data, "tab here   bad\xef\xbf\xbd\xef\xbf\xbd byte \xef\xbf\xbd end"));
    buf_free(&b);
}

/* Labels of random bytes (any byte but NUL) never break the document or its UTF-8. */
static void random_labels_stay_well_formed(void **state)
{
    uint64_t x = 88172645463325252ull; /* xorshift64: the same labels every run */
    char labels[6][48];
    const char *rows[3], *cols[3];
    struct disclosure_stat cells[9];
    struct svg_bar bars[3];
    struct svg_point pts[3];
    struct svg_scatter_opts so = {.ngroups = 3};
    struct svg_meta m = {"r", NULL, NULL};
    int round;
    size_t i, j;
    (void)state;

    for (round = 0; round < 300; round++) {
        struct buf b = BUF_INIT;
        for (i = 0; i < 6; i++) {
            size_t len = 1 + round % 47;
            for (j = 0; j < len; j++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                labels[i][j] = (char)(x % 255 + 1);
            }
            labels[i][len] = '\0';
        }
        m.title = labels[0], m.desc = labels[1];
        for (i = 0; i < 3; i++) {
            rows[i] = labels[i], cols[i] = labels[i + 3], so.group_names[i] = labels[i + 2];
            bars[i] = (struct svg_bar){.label = labels[i + 1], .value = shown(33.0 * i)};
            pts[i] = (struct svg_point){(double)i, (double)(round % 7), (unsigned)i};
        }
        for (i = 0; i < 9; i++)
            cells[i] = i == 4 ? HIDDEN : shown(11.0 * i);
        so.x_label = labels[4], so.y_label = labels[5];

        assert_int_equal(svg_bar_chart(&b, &m, bars, 3, NULL), 0);
        check_chart(b.data, "r");
        buf_reset(&b);
        assert_int_equal(svg_heatmap(&b, &m, 3, 3, rows, cols, cells, NULL), 0);
        check_chart(b.data, "r");
        buf_reset(&b);
        assert_int_equal(svg_scatter(&b, &m, pts, 3, &so), 0);
        check_chart(b.data, "r");
        buf_free(&b);
    }
}

static void empty_inputs_say_no_data(void **state)
{
    struct buf b = BUF_INIT;
    (void)state;

    assert_int_equal(svg_bar_chart(&b, &META, NULL, 0, NULL), 0);
    check_chart(b.data, "chart-1");
    assert_non_null(strstr(b.data, ">No data</text>"));
    assert_null(strstr(b.data, "<rect"));
    buf_free(&b);

    assert_int_equal(svg_heatmap(&b, &META, 0, 3, NULL, NULL, NULL, NULL), 0);
    check_chart(b.data, "chart-1");
    assert_non_null(strstr(b.data, ">No data</text>"));
    buf_free(&b);

    assert_int_equal(svg_scatter(&b, &META, NULL, 0, NULL), 0);
    check_chart(b.data, "chart-1");
    assert_non_null(strstr(b.data, ">No data</text>"));
    buf_free(&b);
}

static void bad_input_is_refused_and_writes_nothing(void **state)
{
    struct svg_bar ok = {.label = "A", .value = shown(50)}, bad;
    struct svg_bar_opts o = {.scale = {.decimals = 0}};
    const char *const ids[] = {
        "",     "1chart", "a b",
        "a\"b", "a<b",    "x2345678901234567890123456789012345678901234567890123456789012345"};
    struct svg_meta m = META;
    struct disclosure_stat cell = shown(150);
    const char *lab[] = {"r"};
    struct svg_point pt = {1, 2, 1};
    struct svg_scatter_opts so = {.ngroups = 1, .group_names = {"g"}};
    struct buf b = BUF_INIT;
    size_t i;
    (void)state;

    buf_puts(&b, "before");
    for (i = 0; i < sizeof ids / sizeof *ids; i++) {
        m.id = ids[i];
        assert_int_equal(svg_bar_chart(&b, &m, &ok, 1, NULL), APP_E_INVALID);
    }
    m.id = NULL;
    assert_int_equal(svg_bar_chart(&b, &m, &ok, 1, NULL), APP_E_INVALID);
    m = META;
    m.title = "";
    assert_int_equal(svg_bar_chart(&b, &m, &ok, 1, NULL), APP_E_INVALID);
    m = META;
    m.desc = NULL;
    assert_int_equal(svg_bar_chart(&b, &m, &ok, 1, NULL), APP_E_INVALID);
    assert_int_equal(svg_bar_chart(&b, NULL, &ok, 1, NULL), APP_E_INVALID);
    assert_int_equal(svg_bar_chart(NULL, &META, &ok, 1, NULL), APP_E_INVALID);
    assert_int_equal(svg_bar_chart(&b, &META, NULL, 1, NULL), APP_E_INVALID);

    bad = ok, bad.value.value = 100.5;
    assert_int_equal(svg_bar_chart(&b, &META, &bad, 1, NULL), APP_E_INVALID);
    bad = ok, bad.value.value = -1;
    assert_int_equal(svg_bar_chart(&b, &META, &bad, 1, NULL), APP_E_INVALID);
    bad = ok, bad.value.value = NAN;
    assert_int_equal(svg_bar_chart(&b, &META, &bad, 1, NULL), APP_E_INVALID);
    bad = ok, bad.label = NULL;
    assert_int_equal(svg_bar_chart(&b, &META, &bad, 1, NULL), APP_E_INVALID);
    o.scale.decimals = 3;
    assert_int_equal(svg_bar_chart(&b, &META, &ok, 1, &o), APP_E_INVALID);
    o.scale.decimals = 0, o.scale.max = -5;
    assert_int_equal(svg_bar_chart(&b, &META, &ok, 1, &o), APP_E_INVALID);
    o.scale.max = INFINITY;
    assert_int_equal(svg_bar_chart(&b, &META, &ok, 1, &o), APP_E_INVALID);
    o.scale.max = 0, o.scale.unit = "a very long unit text";
    assert_int_equal(svg_bar_chart(&b, &META, &ok, 1, &o), APP_E_INVALID);
    /* a hidden value is not drawn, so what it holds does not matter */
    bad = ok, bad.value = (struct disclosure_stat){NAN, false, true};
    assert_int_equal(svg_bar_chart(&b, &META, &bad, 1, NULL), 0);
    assert_true(b.len > 6);
    b.len = 6, b.data[6] = '\0';

    assert_int_equal(svg_heatmap(&b, &META, 1, 1, lab, lab, &cell, NULL), APP_E_INVALID);
    cell = shown(5);
    assert_int_equal(svg_heatmap(&b, &META, 1, 1, lab, NULL, &cell, NULL), APP_E_INVALID);
    assert_int_equal(svg_heatmap(&b, &META, 1, 1, lab, lab, NULL, NULL), APP_E_INVALID);

    assert_int_equal(svg_scatter(&b, &META, &pt, 1, &so), APP_E_INVALID); /* group 1 of 1 */
    pt.group = 0, pt.x = INFINITY;
    assert_int_equal(svg_scatter(&b, &META, &pt, 1, &so), APP_E_INVALID);
    pt.x = 1;
    assert_int_equal(svg_scatter(&b, &META, &pt, 1, NULL), APP_E_INVALID);
    so.ngroups = 6;
    assert_int_equal(svg_scatter(&b, &META, &pt, 1, &so), APP_E_INVALID);
    so.ngroups = 2; /* group 1 has no name */
    assert_int_equal(svg_scatter(&b, &META, &pt, 1, &so), APP_E_INVALID);
    {
        struct svg_point far[2] = {{-1e308, 0, 0}, {1e308, 0, 0}};
        so.ngroups = 1;
        assert_int_equal(svg_scatter(&b, &META, far, 2, &so), APP_E_INVALID);
    }

    assert_string_equal(b.data, "before");
    buf_free(&b);
}

static void out_of_memory_is_reported(void **state)
{
    struct svg_bar bar = {.label = "A", .value = shown(50)};
    struct buf b = BUF_INIT;
    (void)state;
    b.oom = true;
    assert_int_equal(svg_bar_chart(&b, &META, &bar, 1, NULL), APP_E_NOMEM);
    assert_int_equal(svg_bar_chart(&b, &META, NULL, 0, NULL), APP_E_NOMEM);
    assert_int_equal(svg_heatmap(&b, &META, 0, 0, NULL, NULL, NULL, NULL), APP_E_NOMEM);
    buf_free(&b);
}

/* ---- heat map ----------------------------------------------------------------------------- */

static double channel(unsigned v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(const char *hex)
{
    unsigned r, g, b;
    assert_int_equal(strlen(hex), 7);
    assert_int_equal(sscanf(hex, "#%2x%2x%2x", &r, &g, &b), 3);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/* WCAG 2 contrast ratio */
static double contrast(const char *a, const char *b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* The value of attribute name within the tag at s (up to its '>'), copied into out. */
static bool attr(const char *s, const char *name, char *out, size_t size)
{
    const char *end = strchr(s, '>'), *p = s;
    char pat[40];
    snprintf(pat, sizeof pat, " %s=\"", name);
    p = strstr(s, pat);
    if (!p || !end || p > end)
        return false;
    p += strlen(pat);
    snprintf(out, size, "%.*s", (int)(strchr(p, '"') - p), p);
    return true;
}

/* Every <rect> directly followed by a <text> with its own fill is a cell (or a legend swatch)
 * with text drawn on it: each such pair must reach 4.5:1. Returns how many were checked. */
static size_t check_text_on_rects(const char *svg)
{
    const char *p = svg;
    size_t pairs = 0;
    while ((p = strstr(p, "<rect ")) != NULL) {
        char fill[16], ink[16];
        const char *t = strstr(p, "/>");
        assert_non_null(t);
        t += 2;
        while (*t == '\n')
            t++;
        if (!strncmp(t, "<text ", 6) && attr(t, "fill", ink, sizeof ink)) {
            assert_true(attr(p, "fill", fill, sizeof fill));
            if (contrast(fill, ink) < 4.5)
                fail_msg("text %s on %s: %.2f:1", ink, fill, contrast(fill, ink));
            pairs++;
        }
        p = t;
    }
    return pairs;
}

static void heat_colours_meet_contrast(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < SVG_HEAT_STEPS; i++)
        assert_true(contrast(svg_heat_fill[i], svg_heat_text[i]) >= 4.5);
    /* light to dark */
    for (i = 1; i < SVG_HEAT_STEPS; i++)
        assert_true(luminance(svg_heat_fill[i]) < luminance(svg_heat_fill[i - 1]));
}

static void heatmap_cells(void **state)
{
    const char *rows[] = {"Physiotherapists", "Paramedics",
                          "Operating department practitioners and others"};
    const char *cols[] = {"Leadership", "AI literacy", "Data analytics", "Infrastructure"};
    struct disclosure_stat cells[] = {
        shown(0),  shown(19.9), shown(20),   shown(50), /* steps 0, 0, 1, 2 */
        shown(65), shown(80),   shown(100),  HIDDEN,    /* steps 3, 4, 4, * */
        NOBODY,    shown(45.5), shown(99.9), shown(28.3),
    };
    struct svg_scale sc = {.decimals = 1, .unit = "%"};
    struct buf b = BUF_INIT, again = BUF_INIT;
    size_t i;
    (void)state;

    assert_int_equal(svg_heatmap(&b, &META, 3, 4, rows, cols, cells, &sc), 0);
    check_chart(b.data, "chart-1");
    /* each cell and the two legend swatches with a mark on them */
    assert_int_equal(check_text_on_rects(b.data), 12 + 2);
    /* every step's colour is used, for the right values */
    for (i = 0; i < SVG_HEAT_STEPS; i++)
        assert_non_null(strstr(b.data, svg_heat_fill[i]));
    assert_non_null(strstr(b.data, "fill=\"#e8f1fa\" stroke=\"#ffffff\" stroke-width=\"2\"/>\n"
                                   "<text x=\"270.0\" y=\"")); /* 0 is a shown value */
    assert_non_null(strstr(b.data, ">19.9</text>"));
    assert_non_null(strstr(b.data, ">100.0</text>"));
    /* a hidden cell: grey, "*", and no number */
    assert_non_null(strstr(b.data, "fill=\"#d8dde0\" stroke=\"#ffffff\""));
    assert_non_null(strstr(b.data, "fill=\"#212b32\">*</text>"));
    assert_non_null(strstr(b.data, ">suppressed</text>"));
    assert_non_null(strstr(b.data, ">no responses</text>"));
    /* the legend's ranges carry the unit */
    assert_non_null(strstr(b.data, ">0\xe2\x80\x93"
                                   "20%</text>"));
    assert_non_null(strstr(b.data, ">80\xe2\x80\x93"
                                   "100%</text>"));
    /* long row labels cut */
    assert_non_null(strstr(b.data, "Operating department pra\xe2\x80\xa6</text>"));
    /* deterministic */
    assert_int_equal(svg_heatmap(&again, &META, 3, 4, rows, cols, cells, &sc), 0);
    assert_int_equal(again.len, b.len);
    assert_memory_equal(again.data, b.data, b.len);
    buf_free(&b);
    buf_free(&again);

    /* nothing hidden: the legend says nothing of "*" */
    assert_int_equal(svg_heatmap(&b, &META, 1, 4, rows, cols, cells, &sc), 0);
    check_chart(b.data, "chart-1");
    assert_null(strstr(b.data, "suppressed"));
    assert_int_equal(check_text_on_rects(b.data), 4);
    buf_free(&b);
}

static void heatmap_widens_for_many_columns(void **state)
{
    const char *rows[] = {"r"};
    const char *cols[12];
    struct disclosure_stat cells[12];
    struct buf b = BUF_INIT;
    unsigned w;
    size_t i;
    (void)state;
    for (i = 0; i < 12; i++)
        cols[i] = "A domain with a long name", cells[i] = shown(9.0 * i);
    assert_int_equal(svg_heatmap(&b, &META, 1, 12, rows, cols, cells, NULL), 0);
    check_chart(b.data, "chart-1");
    assert_int_equal(sscanf(strstr(b.data, "viewBox=\"0 0 "), "viewBox=\"0 0 %u", &w), 1);
    {
        /* drawn at its natural size, so a phone scrolls it with 16 px text, never shrinks it */
        char attr[48];
        snprintf(attr, sizeof attr, "width=\"%u\"", w);
        assert_non_null(strstr(b.data, attr));
    }
    /* 240 for labels, 12 × 60 for cells, and the last slanted header */
    assert_true(w >= 240 + 12 * 60 + 100);
    buf_free(&b);
}

/* ---- scatter ------------------------------------------------------------------------------ */

/* The shape a group's first point is drawn with: the element, and for a path its outline
 * without the starting point. */
static void shape_of(const char *g, char *out, size_t size)
{
    const char *el = strchr(g, '\n') + 1;
    if (!strncmp(el, "<circle ", 8)) {
        snprintf(out, size, "circle");
    } else {
        const char *d = strstr(el, " d=\"M");
        assert_non_null(d);
        d += 5;
        while (*d != 'h' && *d != 'l' && *d != 'v')
            d++;
        snprintf(out, size, "%.*s", (int)(strchr(d, '"') - d), d);
    }
}

static void scatter_groups_have_distinct_shapes(void **state)
{
    struct svg_point pts[10];
    struct svg_scatter_opts o = {
        .ngroups = 5,
        .group_names = {"Group A", "Group B", "Group C", "Group D", "Group E"},
        .x_label = "First component",
        .y_label = "Second component",
        .equal_scale = true};
    char shapes[5][64], fills[5][16];
    struct buf b = BUF_INIT, again = BUF_INIT;
    const char *p;
    size_t i, j, g = 0;
    (void)state;

    for (i = 0; i < 10; i++)
        pts[i] = (struct svg_point){cos((double)i) * 3, sin((double)i * 2), (unsigned)(i % 5)};
    assert_int_equal(svg_scatter(&b, &META, pts, 10, &o), 0);
    check_chart(b.data, "chart-1");
    for (i = 0; i < 5; i++)
        assert_non_null(strstr(b.data, o.group_names[i]));
    assert_non_null(strstr(b.data, ">First component</text>"));
    assert_non_null(strstr(b.data, "rotate(-90"));
    /* the legend's five groups come first, then the points' five: compare the points' */
    p = b.data;
    for (i = 0; (p = strstr(p, "<g fill=\"")) != NULL; i++, p++) {
        if (i < 5)
            continue;
        assert_true(g < 5);
        shape_of(p, shapes[g], sizeof shapes[g]);
        assert_true(attr(p, "fill", fills[g], sizeof fills[g]));
        assert_non_null(strstr(p, "stroke=\"#212b32\""));
        g++;
    }
    assert_int_equal(g, 5);
    for (i = 0; i < 5; i++)
        for (j = i + 1; j < 5; j++) {
            assert_string_not_equal(shapes[i], shapes[j]);
            assert_string_not_equal(fills[i], fills[j]);
        }
    /* each group is outlined dark, so every shape stands out 3:1 from a white page */
    assert_true(contrast("#212b32", "#ffffff") >= 3);
    /* both zero lines fall inside this data */
    assert_int_equal(count(b.data, "stroke-dasharray"), 2);
    /* deterministic */
    assert_int_equal(svg_scatter(&again, &META, pts, 10, &o), 0);
    assert_int_equal(again.len, b.len);
    assert_memory_equal(again.data, b.data, b.len);
    buf_free(&b);
    buf_free(&again);
}

static void scatter_single_point_and_flat_data(void **state)
{
    struct svg_point one = {5, 5, 0}, flat[3] = {{1, 7, 0}, {2, 7, 0}, {3, 7, 0}};
    struct svg_scatter_opts o = {.ngroups = 1, .group_names = {"Everyone"}};
    struct buf b = BUF_INIT;
    (void)state;
    assert_int_equal(svg_scatter(&b, &META, &one, 1, &o), 0);
    check_chart(b.data, "chart-1");
    assert_null(strstr(b.data, "nan"));
    assert_null(strstr(b.data, "inf"));
    assert_int_equal(count(b.data, "<circle "), 2); /* the legend's and the point */
    assert_int_equal(count(b.data, "stroke-dasharray"), 0);
    buf_free(&b);
    assert_int_equal(svg_scatter(&b, &META, flat, 3, &o), 0);
    check_chart(b.data, "chart-1");
    assert_null(strstr(b.data, "nan"));
    assert_int_equal(count(b.data, "<circle "), 4);
    buf_free(&b);
}

/* ---- determinism and appending ------------------------------------------------------------ */

static void same_input_same_bytes_and_appends(void **state)
{
    struct svg_bar bars[] = {
        {.label = "One", .value = shown(12.345), .has_marker = true, .marker = 33.3},
        {.label = "Two", .value = HIDDEN, .has_second = true, .second = shown(70)},
    };
    struct svg_bar_opts o = {.scale = {.decimals = 1, .unit = "%"},
                             .value_name = "Here",
                             .second_name = "There",
                             .marker_name = "Everywhere"};
    struct buf a = BUF_INIT, b = BUF_INIT;
    (void)state;
    assert_int_equal(svg_bar_chart(&a, &META, bars, 2, &o), 0);
    buf_puts(&b, "<p>");
    assert_int_equal(svg_bar_chart(&b, &META, bars, 2, &o), 0);
    assert_int_equal(b.len, a.len + 3);
    assert_memory_equal(b.data + 3, a.data, a.len);
    assert_non_null(strstr(a.data, ">12.3%</text>"));
    buf_free(&a);
    buf_free(&b);
}

/* A scale other than 0..100: ticks at quarters print the decimals they need. */
static void other_scales(void **state)
{
    struct svg_bar bars[] = {{.label = "Score", .value = shown(3.5)}};
    struct svg_bar_opts o = {.scale = {.max = 5, .decimals = 1}};
    struct buf b = BUF_INIT;
    (void)state;
    assert_int_equal(svg_bar_chart(&b, &META, bars, 1, &o), 0);
    check_chart(b.data, "chart-1");
    assert_non_null(strstr(b.data, ">1.25</text>"));
    assert_non_null(strstr(b.data, ">5.00</text>"));
    assert_non_null(strstr(b.data, ">3.5</text>"));
    buf_free(&b);
}

/* A region map draws a shape per group and nothing per member; bad regions are refused
 * with nothing written. */
static void regions_draw_one_shape_per_group(void **state)
{
    struct buf b = BUF_INIT;
    struct svg_region r[2] = {{0, 0, 2, 1, 30, 0}, {3, 1, 1, 0, 0, 1}};
    struct svg_scatter_opts o = {.ngroups = 2, .group_names = {"Group 1: 15 people", "G<2"}};
    const char *p;
    size_t n = 0;
    (void)state;
    assert_int_equal(svg_regions(&b, &META, r, 2, &o), 0);
    check_chart(b.data, "chart-1");
    for (p = b.data; (p = strstr(p, "<ellipse")); p++)
        n++;
    assert_int_equal(n, 2);
    assert_non_null(strstr(b.data, "rotate(-30.0 "));
    assert_non_null(strstr(b.data, ">Group 1: 15 people</text>"));
    assert_non_null(strstr(b.data, ">G&lt;2</text>"));
    buf_free(&b);
    assert_int_equal(svg_regions(&b, &META, NULL, 0, NULL), 0);
    assert_non_null(strstr(b.data, ">No data</text>"));
    buf_free(&b);
    r[1].rx = -1;
    assert_int_equal(svg_regions(&b, &META, r, 2, &o), APP_E_INVALID);
    r[1].rx = 1;
    r[1].group = 2;
    assert_int_equal(svg_regions(&b, &META, r, 2, &o), APP_E_INVALID);
    r[1].group = 1;
    r[0].angle = NAN;
    assert_int_equal(svg_regions(&b, &META, r, 2, &o), APP_E_INVALID);
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checker_knows_bad_xml),
        cmocka_unit_test(bars_draw_values_ticks_and_names),
        cmocka_unit_test(hidden_bar_says_suppressed_and_draws_nothing),
        cmocka_unit_test(marker_and_second_series_when_asked),
        cmocka_unit_test(labels_are_escaped_everywhere),
        cmocka_unit_test(long_and_odd_labels_stay_well_formed),
        cmocka_unit_test(random_labels_stay_well_formed),
        cmocka_unit_test(empty_inputs_say_no_data),
        cmocka_unit_test(bad_input_is_refused_and_writes_nothing),
        cmocka_unit_test(out_of_memory_is_reported),
        cmocka_unit_test(heat_colours_meet_contrast),
        cmocka_unit_test(heatmap_cells),
        cmocka_unit_test(heatmap_widens_for_many_columns),
        cmocka_unit_test(scatter_groups_have_distinct_shapes),
        cmocka_unit_test(scatter_single_point_and_flat_data),
        cmocka_unit_test(regions_draw_one_shape_per_group),
        cmocka_unit_test(same_input_same_bytes_and_appends),
        cmocka_unit_test(other_scales),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
