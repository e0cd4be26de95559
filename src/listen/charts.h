/* charts.h: the Listen charts as SVG, for the report and the analysis page (charts.c) */
#ifndef AHP_LISTEN_CHARTS_H
#define AHP_LISTEN_CHARTS_H

#include <jansson.h>
#include <stdbool.h>

struct arena;

/* Contributions per theme as a bar chart, from a model's "themes" ([{label, size}], sizes as
 * published). A new JSON string holding the <svg>, "" when it could not be drawn; NULL only
 * when out of memory. */
json_t *listen_chart_themes(struct arena *a, const json_t *themes);
/* Whether there are themes and every one's size is hidden ("*"): then a chart would be an
 * empty axis, and the report says in words that the counts are too small to show instead. */
bool listen_chart_themes_hidden(const json_t *themes);
/* The report's map of opinion groups from a report model's "opinion" (groups, each with its
 * "region" when large enough to show): one shape per group, nothing per person. NULL when
 * there are fewer than two groups (nothing to map), when no group has a region, or out of
 * memory. */
json_t *listen_chart_opinion_regions(struct arena *a, const json_t *opinion);
/* The analysis page's map of opinion groups from a run's "opinion" ({groups, map}): one mark
 * per person, for facilitators only (never published: marks can be counted). NULL when there
 * are fewer than two groups (nothing to map), when no group is large enough to show its
 * people (the map holds only those), or out of memory. */
json_t *listen_chart_opinion_map(struct arena *a, const json_t *opinion);

#endif
