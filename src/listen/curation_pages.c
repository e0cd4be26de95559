/* curation_pages.c: the facilitator's analysis page — the latest themes with their edits
 * applied and the controls to rename, hide, merge, split and pin, the runs so far, and what
 * changed since the previous run — and the handler that records an edit
 *
 * A form names a theme by the run it was shown from and its place in that run; the handler
 * reads that run's theme key, so an edit made while a new run finished still lands on the
 * theme the facilitator was looking at (and follows it by term overlap from then on).
 */
#include "listen/analysis.h"
#include "listen/curation.h"
#include "listen/pages.h"
#include "listen/charts.h"
#include "listen/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "text/language.h"
#include "web/render.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The result of a finished run of the exercise (in arena a), and the number of themes it
 * was asked for. APP_E_NOTFOUND when there is no such run or its document does not read. */
static int run_result(struct db *db, struct arena *a, int64_t exercise_id, int64_t run_id, int *k,
                      struct listen_analysis *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_LA_BY_ID, &st, "ii", run_id, exercise_id);
    *k = 0;
    memset(out, 0, sizeof *out);
    if (!rc) {
        rc = listen_analysis_parse(a, db_col_text(st, 5), db_col_len(st, 5), out);
        if (rc == APP_E_INVALID)
            rc = APP_E_NOTFOUND;
        *k = (int)db_col_int(st, 2);
    }
    db_finalize(st);
    return rc;
}

/* The runs so far, newest first, with their parameters; a failed one says why, and one whose
 * server stopped reads as queued until another takes it over. */
static json_t *runs_json(struct db *db, int64_t exercise_id)
{
    struct db_stmt *st = NULL;
    json_t *arr = json_array();
    int64_t now = (int64_t)time(NULL);
    int rc = db_prepare_bind(db, SQL_LA_RUNS, &st, "i", exercise_id);
    while (!rc && arr && (rc = db_step(st)) == DB_ROW) {
        enum listen_run_status stored = LISTEN_RUN_FAILED, seen;
        json_t *o;
        listen_run_status_parse(db_col_text(st, 1), &stored);
        seen = listen_run_status_seen(stored, db_col_int(st, 8), now);
        o = json_pack("{s:I, s:s, s:I, s:I, s:I, s:o, s:o, s:b, s:b}", "id",
                      (json_int_t)db_col_int(st, 0), "status", listen_run_status_name(seen), "k",
                      (json_int_t)db_col_int(st, 2), "contributions", (json_int_t)db_col_int(st, 3),
                      "votes", (json_int_t)db_col_int(st, 4), "created", jdate(db_col_int(st, 5)),
                      "finished", jdate(db_col_int(st, 6)), "automatic", db_col_int(st, 7) == 0,
                      "restarting", seen != stored);
        if (o && seen == LISTEN_RUN_FAILED && *db_col_text(st, 10))
            o = jobj(o, "reason", jstr(db_col_text(st, 10)));
        if (!o || json_array_append_new(arr, o))
            rc = APP_E_NOMEM;
        else
            rc = APP_OK;
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

/* What changed since the previous finished run: for each theme now, the theme it continues
 * (by term overlap) or "new"; then the previous themes no longer found. NULL when there is
 * no previous run (or it does not read), or when out of memory. */
static json_t *comparison_json(struct db *db, struct arena *a, int64_t exercise_id, int64_t run_id,
                               const struct listen_analysis *now)
{
    struct db_stmt *st = NULL;
    struct listen_analysis old;
    json_t *rows = NULL, *gone = NULL, *out = NULL;
    int64_t prev_id = 0;
    bool *matched;
    int rc = db_row(db, SQL_LA_PREVIOUS, &st, "ii", exercise_id, run_id);
    if (!rc) {
        prev_id = db_col_int(st, 0);
        rc = listen_analysis_parse(a, db_col_text(st, 1), db_col_len(st, 1), &old);
    }
    db_finalize(st);
    if (!rc) /* its labels read as the run's own do: words taken back since are removed */
        rc = listen_analysis_forget_unshown(db, a, exercise_id, &old);
    if (rc || !(matched = arena_calloc(a, old.nthemes + 1, sizeof *matched)) ||
        !(rows = json_array()) || !(gone = json_array()))
        goto done;
    for (size_t i = 0; i < now->nthemes; i++) {
        const struct listen_theme *th = &now->themes[i];
        double best = 0.3 - 1e-9;
        int bj = -1;
        json_t *row;
        for (size_t j = 0; j < old.nthemes; j++) {
            double o = listen_key_overlap(&th->key, &old.themes[j].key);
            if (o > best) {
                best = o;
                bj = (int)j;
            }
        }
        if (bj >= 0)
            matched[bj] = true;
        row = jobj(json_object(), "label", jstr(th->label));
        row = jobj(row, "size", th->size ? jstr(th->size) : json_null());
        row = jobj(row, "was_label", bj >= 0 ? jstr(old.themes[bj].label) : json_null());
        row = jobj(row, "was_size",
                   bj >= 0 && old.themes[bj].size ? jstr(old.themes[bj].size) : json_null());
        if (!row || json_array_append_new(rows, row))
            goto done;
    }
    for (size_t j = 0; j < old.nthemes; j++)
        if (!matched[j] && json_array_append_new(gone, jstr(old.themes[j].label)))
            goto done;
    out = json_pack("{s:I, s:o, s:o, s:b}", "previous_run", (json_int_t)prev_id, "themes", rows,
                    "gone", gone, "has_gone", json_array_size(gone) > 0);
    rows = gone = NULL;
done:
    json_decref(rows);
    json_decref(gone);
    return out;
}

/* The analysis part of the page's model: {"run", "result", "comparison", "pending"}, each
 * theme of the result with its place (what the forms send back), the others it can be
 * merged into, and its quotes with their ids and pins; members stay out of the page. */
static json_t *analysis_json(struct db *db, struct arena *a, int64_t exercise_id,
                             const struct listen_analysis_latest *l)
{
    json_t *m = json_object(), *doc = NULL, *themes, *cmp;
    if (l->run)
        m = jobj(m, "run",
                 json_pack("{s:I, s:I, s:I, s:I}", "id", (json_int_t)l->run, "contributions",
                           (json_int_t)l->contributions, "votes", (json_int_t)l->votes,
                           "finished_at", (json_int_t)l->finished_at));
    if (l->pending)
        m = jobj(m, "pending",
                 json_pack("{s:s, s:b}", "status", listen_run_status_name(l->pending_status),
                           "restarting", l->restarting));
    if (!m || !l->result)
        return m;
    if (listen_analysis_json(l->result, &doc)) {
        json_decref(m);
        return NULL;
    }
    themes = json_object_get(doc, "themes");
    for (size_t i = 0; i < l->result->nthemes; i++) {
        const struct listen_theme *th = &l->result->themes[i];
        json_t *o = json_array_get(themes, i), *others = json_array(), *reps = json_array();
        for (size_t j = 0; others && j < l->result->nthemes; j++)
            if (j != i &&
                json_array_append_new(others, json_pack("{s:I, s:s}", "index", (json_int_t)j,
                                                        "label", l->result->themes[j].label))) {
                json_decref(others);
                others = NULL;
            }
        for (size_t j = 0; reps && j < th->representatives.n; j++) {
            int64_t id = j < th->nrepresentative_ids ? th->representative_ids[j] : 0;
            bool pinned = false;
            for (size_t k = 0; k < th->npinned; k++)
                pinned |= th->pinned[k].id == id;
            if (json_array_append_new(reps,
                                      json_pack("{s:s, s:I, s:b}", "text", th->representatives.v[j],
                                                "id", (json_int_t)id, "pinned", pinned))) {
                json_decref(reps);
                reps = NULL;
            }
        }
        json_object_del(o, "members");
        /* the key (its first terms as the run found them, raw) is how curation finds a theme
         * again, on the server; shown, it would keep words taken back since (unshown.c) */
        json_object_del(o, "key");
        /* o is doc's: set, not jobj(), which would release it on a failure */
        if (!others || !reps || json_object_set_new(o, "index", json_integer((json_int_t)i)) ||
            json_object_set_new(o, "run", json_integer(l->run)) ||
            json_object_set(o, "others", others) || json_object_set(o, "quotes", reps)) {
            json_decref(others);
            json_decref(reps);
            json_decref(doc);
            json_decref(m);
            return NULL;
        }
        json_decref(others);
        json_decref(reps);
    }
    m = jobj(m, "result", doc);
    /* no comparison when there is no earlier run to compare with */
    cmp = comparison_json(db, a, exercise_id, l->run, l->result);
    return cmp ? jobj(m, "comparison", cmp) : m;
}

/* A refused change to a theme (listen_theme_edit) is shown on this page: its messages beside
 * that theme's own name and merge fields (whose ids are label-N and into-N, so the error
 * summary links there), the name as typed, and its "Change this theme" open. */
static int theme_errors(struct ctx *c, json_t *m)
{
    int64_t index = req_field_int(c->req, "theme", -1);
    json_t *themes = json_object_get(
        json_object_get(json_object_get(m, "analysis"), "result"), "themes");
    const char *el = NULL, *ei = NULL, *typed = req_typed(c->req, "label");
    size_t i;
    json_t *t;
    if (c->want_json || !c->route || strcmp(c->route->name, "listen_theme_edit") != 0)
        return APP_OK; /* the API names the fields as sent */
    /* theme N of an earlier run is another theme on this page: say the analysis changed */
    if (json_integer_value(json_object_get(json_object_get(json_object_get(m, "analysis"), "run"),
                                           "id")) != req_field_int(c->req, "run", 0))
        return APP_E_CONFLICT;
    for (size_t e = 0; e < c->req->nerrors; e++) {
        struct field_error *fe = &c->req->errors[e];
        bool label = !strcmp(fe->field, "label");
        if (label || !strcmp(fe->field, "into")) {
            const char *f = arena_printf(c->arena, "%s-%lld", fe->field, (long long)index);
            if (!f)
                return APP_E_NOMEM;
            fe->field = f;
            if (label)
                el = fe->message;
            else
                ei = fe->message;
        }
    }
    json_array_foreach(themes, i, t) {
        if (json_integer_value(json_object_get(t, "index")) != index)
            continue;
        if ((el && json_object_set_new(t, "error_label", json_string(el))) ||
            (ei && json_object_set_new(t, "error_into", json_string(ei))) ||
            (el && typed && json_object_set_new(t, "label_typed", json_string(typed))) ||
            json_object_set_new(t, "change_open", json_true()))
            return APP_E_NOMEM;
    }
    return APP_OK;
}

int page_listen_analysis(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_theme_edit *edits = NULL;
    struct listen_analysis_latest latest;
    size_t nedits = 0;
    json_t *m;
    int rc = listen_page_exercise(c, &e);
    if (!rc)
        rc = listen_analysis_latest(c->db, c->arena, e.id, &latest);
    if (!rc && latest.result) {
        rc = listen_curation_load(c->db, c->arena, e.id, &edits, &nedits);
        if (!rc)
            rc = listen_curation_apply(c->db, c->arena, e.id, latest.result, edits, nedits, false);
    }
    if (rc)
        return rc;
    m = jobj(json_object(), "title", json_string_nocheck("What we heard so far"));
    {
        /* its language: lang on what people wrote, and what the analysis does in it */
        const struct language *l = language_find(e.language);
        json_t *x = jobj(jobj(json_object(), "slug", jstr(e.slug)), "title", jstr(e.title));
        x = jobj(x, "language", jstr(e.language));
        x = jobj(x, "language_name", jstr(listen_language_name(e.language)));
        x = jobj(x, "stems", jbool(l && l->snowball));
        /* the latest run was read in another language (changed since): say which */
        if (latest.result && latest.result->language &&
            strcmp(latest.result->language, e.language) != 0)
            x = jobj(x, "analysed_in", jstr(listen_language_name(latest.result->language)));
        m = jobj(m, "exercise", jobj(x, "stop_words", jbool(l && l->stopwords)));
    }
    m = jobj(m, "runs", runs_json(c->db, e.id));
    m = jobj(m, "analysis", analysis_json(c->db, c->arena, e.id, &latest));
    /* the run's own count, as the table of analyses and the warning above give it: this page is
     * the facilitators', and the rounded published figure beside them read as a contradiction
     * ("fewer than 20" then "From 20") */
    if (latest.result)
        m = jobj(m, "contributions_counted", jint(latest.contributions));
    if (latest.result)
        m = jobj(m, "sufficiency",
                 listen_analysis_sufficiency(latest.contributions,
                                             latest.result->opinion
                                                 ? latest.result->opinion->participants
                                                 : NULL));
    /* the map of opinion groups, as the report shows it (pages only: the API has the points) */
    if (m && !c->want_json) {
        json_t *opinion = json_object_get(
            json_object_get(json_object_get(m, "analysis"), "result"), "opinion");
        json_t *map = json_is_true(json_object_get(opinion, "has_groups"))
                          ? listen_chart_opinion_map(c->arena, opinion)
                          : NULL;
        if (map)
            m = jobj(m, "opinion_map", map);
        /* the people are counted as the report counts them, rounded: "about 15" */
        if (opinion && listen_page_mark_about(opinion, "participants")) {
            json_decref(m);
            return APP_E_NOMEM;
        }
    }
    /* a refused request to run it (listen_pages.h): the page again, with the error and the
     * number as typed */
    if (c->req->nerrors) {
        if (m && (rc = theme_errors(c, m))) {
            json_decref(m);
            if (rc != APP_E_CONFLICT)
                return rc;
            render_error(c, APP_E_CONFLICT,
                         "The analysis has changed since the page was loaded. Look again.");
            return APP_OK;
        }
        return render_invalid(c, "listen/analysis", jobj(m, "k_typed", jstr(req_typed(c->req, "k"))));
    }
    if (c->want_json && m && listen_api_counts(m)) { /* numbers as numbers (api_counts.c) */
        json_decref(m);
        return APP_E_NOMEM;
    }
    return render(c, 200, "listen/analysis", m);
}

int page_listen_theme_edit(struct ctx *c)
{
    struct listen_exercise e;
    const char *action = req_field(c->req, "action");
    int64_t run = req_field_int(c->req, "run", 0), index = req_field_int(c->req, "theme", -1);
    int64_t into = req_field_int(c->req, "into", -1);
    struct listen_analysis r;
    const struct listen_strs *key = NULL, *into_key = NULL;
    int k = 0, rc = listen_page_exercise(c, &e);
    if (rc)
        return rc;
    rc = run_result(c->db, c->arena, e.id, run, &k, &r);
    if (rc && rc != APP_E_NOTFOUND)
        return rc;
    if (!rc && index >= 0 && (size_t)index < r.nthemes)
        key = &r.themes[index].key;
    if (!key || !key->v) {
        render_error(c, APP_E_NOTFOUND, "That theme is not in the analysis any more. Look again.");
        return APP_OK;
    }
    if (action && !strcmp(action, "merge")) {
        if (into >= 0 && (size_t)into < r.nthemes && r.themes[into].key.v)
            into_key = &r.themes[into].key;
        if (!into_key || into == index)
            req_add_error(c->req, "into", "Choose another theme to merge this one into");
    }
    if (c->req->nerrors) /* the analysis page again, the errors beside this theme's fields */
        return page_listen_analysis(c);
    /* an empty name goes back to the one the analysis found */
    rc = listen_curation_edit(c->db, e.id, key, action,
                              req_field(c->req, "label") ? req_field(c->req, "label") : "",
                              into_key, req_field_int(c->req, "contribution", 0), c->user->id);
    if (rc == APP_E_INVALID) {
        render_error(c, rc, "That change cannot be made to this theme.");
        return APP_OK;
    }
    if (rc)
        return rc;
    /* A split is made by the next run, asked for the same number of themes so that the theme
     * is found again. */
    if (action && !strcmp(action, "split"))
        rc = listen_analysis_enqueue(c->db, e.id, c->user->id, k, &run);
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "saved", jbool(1)));
    rc = flash_set(c, !strcmp(action, "split") ? "theme_split" : "theme_saved");
    return rc ? rc
              : resp_redirect(c, arena_printf(c->arena, "/listen/%s/analysis#theme-%lld", e.slug,
                                              (long long)index));
}
