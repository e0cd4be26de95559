/* report.h: "What we heard" — the report of a listening exercise, as one view model that the
 * page, the JSON API, the CSV and the PDF all render
 *
 * The model is built from an analysis run (the published one, or for a draft the latest) and
 * the exercise's headline numbers. Every figure that describes people has been through the
 * disclosure rule before it gets here (src/listen/runs.c for the run's figures, this file for
 * the headline ones), so a renderer only formats.
 */
#ifndef AHP_LISTEN_REPORT_H
#define AHP_LISTEN_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "listen/listen.h"

struct buf;
struct db;

struct listen_report_state {
    int64_t published_run; /* 0 when not published */
    int64_t published_at;
    int64_t latest_run;    /* the latest finished analysis, 0 when none */
};

/* Where the exercise's report stands. */
int listen_report_state(struct db *db, int64_t exercise_id, struct listen_report_state *out);

/* The report's model for the given run of the exercise:
 * {"exercise": {slug, title, summary_html}, "run": {id, finished, contributions},
 *  "headline": {"rows": [{measure, total, citizen, ahp, staff, not_said}]},
 *  "themes": [{rank, label, terms, size, by_audience, agree_percent, quotes_citizens,
 *              quotes_professionals, representatives}],
 *  "opinion": {participants, has_groups, groups, consensus, map}}
 * published: the model of the published report (run_id is its run), whose headline and
 * edits to the themes are those fixed when it was published; otherwise a draft's, whose
 * headline is counted now and whose themes take the edits in force. Either way quotes of
 * contributions no longer shown are left out. APP_E_NOTFOUND when the run is not a finished
 * run of this exercise, or (published) when no report is published. *out is a new
 * reference. */
int listen_report_model(struct db *db, const struct listen_exercise *e, int64_t run_id,
                        bool published, json_t **out);

/* Whether the facilitators' edits to the themes in force differ from those the published
 * report (of run_id) applies, so that publishing now would publish other themes. A report
 * published before edits were kept has the edits in force fixed by this first reading.
 * APP_E_NOTFOUND when no report is published. */
int listen_report_edits_changed(struct db *db, int64_t exercise_id, int64_t run_id, bool *changed);

/* Publishes run_id as the exercise's report (replacing an earlier one), or withdraws it.
 * Publishing also fixes the curated themes that "You said, we did" shows (actions.h), the
 * headline numbers and the edits to the themes, in the same transaction: the published report
 * never moves with later participation (differencing) or later edits, only with publishing
 * again. */
int listen_report_publish(struct db *db, int64_t exercise_id, int64_t run_id, int64_t by);
int listen_report_unpublish(struct db *db, int64_t exercise_id);

/* The ids of the exercises whose report is published (*out in a). */
struct arena;
int listen_report_published_ids(struct db *db, struct arena *a, int64_t **out, size_t *n);

/* The opinion groups of a report model as CSV: one row per statement that sets a group
 * apart, with the group's share voting that way and everyone else's (empty, with the
 * reason, where suppressed). */
int listen_report_groups_csv(const json_t *model, struct buf *out);
/* The themes of a report model as CSV (one row per theme; every figure as published). */
int listen_report_csv(const json_t *model, struct buf *out);

/* True when a published count (as the report's model gives it: "0", "*", "10") is a rounded
 * number: every count of 8 or more is rounded to 5, so "10" means from 8 to 12 and is worded
 * "about 10", never as exact. */
bool listen_count_rounded(const char *published);

#endif
