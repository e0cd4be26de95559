/* charts.c: the Listen charts — contributions per theme, and the map of opinion groups —
 * drawn from a report or analysis model (src/export/svg.c does the drawing)
 *
 * Both the public report and the facilitators' analysis page show them, from the same
 * published figures, so they are made here once; except the opinion map, which the analysis
 * page draws a mark per person and the report a shape per group (a mark can be counted). Counts are
 * already under the disclosure rule: a "*" is drawn as hidden, never as a bar. The theme chart's
 * scale ends on a round number (src/export/ticks.h), so its ticks read 0, 30, 60, 90, 120 rather
 * than 0, 29, 58, 86, 115.
 */
#include "listen/charts.h"
#include "core/arena.h"
#include "core/buf.h"
#include "export/svg.h"
#include "export/ticks.h"

#include <string.h>

/* A published count ("1,235", "*", "0") as a statistic for a chart: "*" is hidden. */
static struct disclosure_stat count_stat(const char *s)
{
    struct disclosure_stat st = {0, false, false};
    double v = 0;
    if (!s || !*s)
        return st;
    if (!strcmp(s, "*")) {
        st.suppressed = true;
        return st;
    }
    for (; *s; s++)
        if (*s >= '0' && *s <= '9')
            v = v * 10 + (*s - '0');
    st.value = v;
    st.shown = true;
    return st;
}

static json_t *svg_json(struct buf *b, int rc)
{
    json_t *s = !rc && !buf_oom(b) ? json_stringn(b->data ? b->data : "", b->len) : NULL;
    buf_free(b);
    return s ? s : json_string("");
}

bool listen_chart_themes_hidden(const json_t *themes)
{
    size_t i;
    const json_t *th;
    json_array_foreach(themes, i, th)
    {
        const char *size = json_string_value(json_object_get(th, "size"));
        if (size && *size && strcmp(size, "*"))
            return false;
    }
    return json_array_size(themes) > 0;
}

/* Theme sizes as bars, largest first (the order of the report). */
json_t *listen_chart_themes(struct arena *a, const json_t *themes)
{
    size_t n = json_array_size(themes), i;
    struct svg_bar *bars = arena_calloc(a, n + 1, sizeof *bars);
    struct buf b = BUF_INIT;
    double max = 1;
    json_t *th;
    struct svg_meta meta = {"themes-chart", "Contributions in each theme",
                            "One bar per theme with the number of contributions in it, largest "
                            "first; a contribution can be in more than one theme. The themes "
                            "below give the same numbers."};
    /* a hidden bar counts contributions, not people: it says so */
    struct svg_bar_opts opts = {{0, 0, NULL, 0, "contributions", NULL}, NULL, NULL, NULL};
    if (!bars)
        return NULL;
    json_array_foreach(themes, i, th)
    {
        bars[i].label = json_string_value(json_object_get(th, "label"));
        bars[i].value = count_stat(json_string_value(json_object_get(th, "size")));
        if (!bars[i].label)
            bars[i].label = "";
        if (bars[i].value.shown && bars[i].value.value > max)
            max = bars[i].value.value;
    }
    /* svg.c ticks the quarters: a round step, and at least 12 so a few do not fill it */
    opts.scale.max = nice_ticks(max, 4, 12, NULL);
    return svg_json(&b, svg_bar_chart(&b, &meta, bars, n, &opts));
}

/* The opinion map of a report: each group as the region where most of it lies (report.c
 * sets "region" on each group large enough to show), with its published size in the legend.
 * A mark per person would give the exact sizes the table rounds: count the marks. */
json_t *listen_chart_opinion_regions(struct arena *a, const json_t *opinion)
{
    const json_t *groups = json_object_get(opinion, "groups"), *g;
    size_t ngroups = json_array_size(groups), i, kept = 0;
    struct svg_region regions[SVG_SCATTER_MAX_GROUPS];
    struct svg_scatter_opts opts = {0};
    struct svg_meta meta = {"opinion-map", "Map of opinion groups",
                            "Each shape is one opinion group, drawn round where most of its "
                            "people are, placed by how they voted: groups close together voted "
                            "alike. The number beside each mark is the group's; the table below "
                            "gives each group's size and what sets it apart."};
    struct buf b = BUF_INIT;
    if (ngroups < 2)
        return NULL;
    if (ngroups > SVG_SCATTER_MAX_GROUPS)
        ngroups = SVG_SCATTER_MAX_GROUPS;
    for (i = 0; i < ngroups; i++) {
        const json_t *r;
        const char *size;
        g = json_array_get(groups, i);
        r = json_object_get(g, "region");
        size = json_string_value(json_object_get(g, "size"));
        opts.group_names[i] = r ? arena_printf(a, "Group %zu: %s people", i + 1, size ? size : "")
                                : arena_printf(a, "Group %zu: too few to draw", i + 1);
        if (!opts.group_names[i])
            return NULL;
        if (!r)
            continue;
        regions[kept] = (struct svg_region){json_number_value(json_object_get(r, "x")),
                                            json_number_value(json_object_get(r, "y")),
                                            json_number_value(json_object_get(r, "rx")),
                                            json_number_value(json_object_get(r, "ry")),
                                            json_number_value(json_object_get(r, "angle")),
                                            (unsigned)i};
        kept++;
    }
    if (!kept) /* every group too small to show where it is: the page says why */
        return NULL;
    opts.ngroups = ngroups;
    return svg_json(&b, svg_regions(&b, &meta, regions, kept, &opts));
}

/* The opinion map of the facilitators' analysis page: one point per person in a group large
 * enough to show. Never published: the marks can be counted (see above). */
json_t *listen_chart_opinion_map(struct arena *a, const json_t *opinion)
{
    const json_t *map = json_object_get(opinion, "map"), *pt;
    size_t n = json_array_size(map), i,
           ngroups = json_array_size(json_object_get(opinion, "groups"));
    struct svg_point *pts = arena_calloc(a, n + 1, sizeof *pts);
    struct svg_scatter_opts opts = {0};
    struct svg_meta meta = {"opinion-map", "Map of opinion groups",
                            "Each mark is one person, placed by how they voted: people close "
                            "together voted alike. Shapes show the opinion group; the table "
                            "below describes each group."};
    struct buf b = BUF_INIT;
    static const char *const names[SVG_SCATTER_MAX_GROUPS] = {"Group 1", "Group 2", "Group 3",
                                                              "Group 4", "Group 5"};
    size_t kept = 0;
    if (!pts || ngroups < 2)
        return NULL;
    if (ngroups > SVG_SCATTER_MAX_GROUPS)
        ngroups = SVG_SCATTER_MAX_GROUPS;
    json_array_foreach(map, i, pt)
    {
        json_int_t g = json_integer_value(json_array_get(pt, 2));
        if (g < 1 || (size_t)g > ngroups)
            continue;
        pts[kept].x = json_number_value(json_array_get(pt, 0));
        pts[kept].y = json_number_value(json_array_get(pt, 1));
        pts[kept].group = (unsigned)(g - 1);
        kept++;
    }
    if (!kept) /* every group too small to show its people: no map (the page says why), not
                  an empty chart that reads "No data" */
        return NULL;
    opts.ngroups = ngroups;
    for (size_t g = 0; g < ngroups; g++)
        opts.group_names[g] = names[g];
    opts.equal_scale = true;
    return svg_json(&b, svg_scatter(&b, &meta, pts, kept, &opts));
}
