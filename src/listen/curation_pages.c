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
#include "listen/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "web/render.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The result document of a finished run of the exercise (a new reference), or NULL, and
 * the number of themes it was asked for. */
static json_t *run_result(struct db *db, int64_t exercise_id, int64_t run_id, int *k)
{
    struct db_stmt *st = NULL;
    json_t *r = NULL;
    *k = 0;
    if (db_row(db, SQL_LA_BY_ID, &st, "ii", run_id, exercise_id) == APP_OK) {
        r = json_loadb(db_col_text(st, 5), db_col_len(st, 5), 0, NULL);
        *k = (int)db_col_int(st, 2);
    }
    db_finalize(st);
    return r;
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
 * (by term overlap) or "new"; then the previous themes no longer found. */
static json_t *comparison_json(struct db *db, int64_t exercise_id, int64_t run_id,
                               const json_t *themes)
{
    struct db_stmt *st = NULL;
    json_t *prev = NULL, *out = NULL, *rows, *gone, *pt;
    const json_t *old, *th;
    size_t i, j;
    bool *matched;
    if (db_row(db, SQL_LA_PREVIOUS, &st, "ii", exercise_id, run_id) == APP_OK)
        prev = json_pack("{s:I, s:o}", "id", (json_int_t)db_col_int(st, 0), "result",
                         json_loadb(db_col_text(st, 1), db_col_len(st, 1), 0, NULL));
    db_finalize(st);
    old = json_object_get(json_object_get(prev, "result"), "themes");
    if (!prev || !old)
        goto done;
    matched = calloc(json_array_size(old) + 1, sizeof *matched);
    rows = json_array();
    gone = json_array();
    if (!matched || !rows || !gone) {
        free(matched);
        json_decref(rows);
        json_decref(gone);
        goto done;
    }
    json_array_foreach(themes, i, th)
    {
        double best = 0.3 - 1e-9;
        int bj = -1;
        json_array_foreach(old, j, pt)
        {
            double o = listen_key_overlap(json_object_get(th, "key"), json_object_get(pt, "key"));
            if (o > best) {
                best = o;
                bj = (int)j;
            }
        }
        if (bj >= 0)
            matched[bj] = true;
        json_array_append_new(
            rows,
            json_pack(
                "{s:O, s:O, s:O, s:O}", "label", json_object_get(th, "label"), "size",
                json_object_get(th, "size"), "was_label",
                bj >= 0 ? json_object_get(json_array_get(old, (size_t)bj), "label") : json_null(),
                "was_size",
                bj >= 0 ? json_object_get(json_array_get(old, (size_t)bj), "size") : json_null()));
    }
    json_array_foreach(old, j, pt)
    {
        if (!matched[j])
            json_array_append(gone, json_object_get(pt, "label"));
    }
    free(matched);
    out = json_pack("{s:O, s:o, s:o, s:b}", "previous_run", json_object_get(prev, "id"), "themes",
                    rows, "gone", gone, "has_gone", json_array_size(gone) > 0);
done:
    json_decref(prev);
    return out;
}

int page_listen_analysis(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_theme_edit *edits = NULL;
    size_t nedits = 0, i;
    json_t *latest, *m, *result, *themes, *th;
    int rc = listen_page_exercise(c, &e);
    if (!rc)
        rc = listen_analysis_latest(c->db, e.id, &latest);
    if (rc)
        return rc;
    result = json_object_get(latest, "result");
    themes = json_object_get(result, "themes");
    if (themes) {
        int64_t run = json_integer_value(json_object_get(json_object_get(latest, "run"), "id"));
        rc = listen_curation_load(c->db, c->arena, e.id, &edits, &nedits);
        if (!rc)
            rc = listen_curation_apply(c->db, e.id, themes, edits, nedits, false);
        if (rc) {
            json_decref(latest);
            return rc;
        }
        /* each theme's place (what the forms send back) and the others to merge it into */
        json_array_foreach(themes, i, th)
        {
            json_t *others = json_array(), *reps = json_array(), *o;
            const json_t *ids = json_object_get(th, "representative_ids");
            size_t j;
            json_array_foreach(themes, j, o)
            {
                if (j != i)
                    json_array_append_new(others, json_pack("{s:I, s:O}", "index", (json_int_t)j,
                                                            "label", json_object_get(o, "label")));
            }
            json_array_foreach(json_object_get(th, "representatives"), j, o)
            {
                json_int_t id = json_integer_value(json_array_get(ids, j));
                bool pinned = false;
                size_t k;
                json_t *p;
                json_array_foreach(json_object_get(th, "pinned"), k, p) pinned |=
                    json_integer_value(json_object_get(p, "id")) == id;
                json_array_append_new(
                    reps, json_pack("{s:O, s:I, s:b}", "text", o, "id", id, "pinned", pinned));
            }
            json_object_set_new(th, "index", json_integer((json_int_t)i));
            json_object_set_new(th, "run", json_integer(run));
            json_object_set_new(th, "others", others);
            json_object_set_new(th, "quotes", reps);
            json_object_del(th, "members");
        }
        json_object_set_new(latest, "comparison", comparison_json(c->db, e.id, run, themes));
    }
    m = jobj(json_object(), "title", json_string_nocheck("What we heard so far"));
    m = jobj(m, "exercise",
             jobj(jobj(json_object(), "slug", jstr(e.slug)), "title", jstr(e.title)));
    m = jobj(m, "runs", runs_json(c->db, e.id));
    m = jobj(m, "analysis", latest);
    return render(c, 200, "listen/analysis", m);
}

int page_listen_theme_edit(struct ctx *c)
{
    struct listen_exercise e;
    const char *action = req_field(c->req, "action");
    int64_t run = req_field_int(c->req, "run", 0), index = req_field_int(c->req, "theme", -1);
    int64_t into = req_field_int(c->req, "into", -1);
    json_t *result = NULL, *themes, *key, *into_key = NULL;
    int k = 0, rc = listen_page_exercise(c, &e);
    if (rc)
        return rc;
    result = run_result(c->db, e.id, run, &k);
    themes = json_object_get(result, "themes");
    key = json_object_get(json_array_get(themes, index >= 0 ? (size_t)index : SIZE_MAX), "key");
    if (!key) {
        json_decref(result);
        render_error(c, APP_E_NOTFOUND, "That theme is not in the analysis any more. Look again.");
        return APP_OK;
    }
    if (action && !strcmp(action, "merge")) {
        into_key =
            json_object_get(json_array_get(themes, into >= 0 ? (size_t)into : SIZE_MAX), "key");
        if (!into_key || into == index)
            req_add_error(c->req, "into", "Choose another theme to merge this one into");
    }
    if (c->req->nerrors) {
        json_decref(result);
        render_error(c, APP_E_INVALID, c->req->errors[0].message);
        return APP_OK;
    }
    /* an empty name goes back to the one the analysis found */
    rc = listen_curation_edit(c->db, e.id, key, action,
                              req_field(c->req, "label") ? req_field(c->req, "label") : "", into_key,
                              req_field_int(c->req, "contribution", 0), c->user->id);
    json_decref(result);
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
