/* charts.h: the Listen charts as SVG, for the report and the analysis page (charts.c) */
#ifndef AHP_LISTEN_CHARTS_H
#define AHP_LISTEN_CHARTS_H

#include <jansson.h>

struct arena;

/* Contributions per theme as a bar chart, from a model's "themes" ([{label, size}], sizes as
 * published). A new JSON string holding the <svg>, "" when it could not be drawn; NULL only
 * when out of memory. */
json_t *listen_chart_themes(struct arena *a, const json_t *themes);
/* The map of opinion groups from a model's "opinion" ({groups, map}); NULL when there are
 * fewer than two groups (nothing to map), when no group is large enough to show its people
 * (the map holds only those), or out of memory. */
json_t *listen_chart_opinion_map(struct arena *a, const json_t *opinion);

#endif
