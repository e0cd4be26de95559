/* report.c: "What we heard" — the report model of an exercise, its publication, and its CSV
 *
 * The themes, quotes, agreement and opinion groups come from one analysis run (runs.c), which
 * stored them already under the disclosure rule. The headline numbers are counted here, per
 * audience, and go through the same rule: a breakdown of participants, contributions and
 * votes by who people said they were, each row with its published total.
 *
 * A published report must not move while people go on taking part: a reader who watched a
 * rounded figure step from 50 to 55, or a * turn into 10, would learn an exact count, and so
 * would anyone comparing two readings (differencing). So the headline is counted once, when
 * the report is published, and kept with it (listen_reports.headline_json); every reading of
 * the published report (page, PDF, JSON, CSV) takes it from there, and only publishing again
 * counts afresh. The run's figures are fixed already. The draft a facilitator sees counts
 * now, as it shows what publishing now would publish.
 *
 * The facilitators' edits to the themes (curation.h) are fixed the same way, for the same
 * reason and more: applied at every reading, a rename or a pin changed what the public had
 * read, and merging a hidden theme into a shown one after publication recounted the shown one
 * from both, so the change in its size gave the hidden theme's away. The edits in force are
 * kept with the report when it is published (listen_reports.edits_json), and the published
 * report applies those; the draft applies the edits in force. What is fixed is the edits, not
 * their result: quotes are still checked against the contributions as they are now, so one
 * withdrawn or rejected after publication (a pinned one too) leaves the published report.
 */
#include "listen/report.h"
#include "listen/actions.h"
#include "listen/store.h"
#include "listen/curation.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "export/csv.h"
#include "store/db.h"
#include "text/disclosure.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { AUD_CITIZEN, AUD_AHP, AUD_STAFF, AUD_UNSAID, AUD_N };
static const char *const audience_keys[AUD_N] = {"citizen", "ahp", "staff", "not_said"};

int listen_report_state(struct db *db, int64_t exercise_id, struct listen_report_state *out)
{
    struct db_stmt *st = NULL;
    int rc;
    memset(out, 0, sizeof *out);
    rc = db_row(db, SQL_LR_GET, &st, "i", exercise_id);
    if (rc == APP_OK) {
        out->published_run = db_col_int(st, 0);
        out->published_at = db_col_int(st, 1);
    }
    db_finalize(st);
    st = NULL;
    if (rc && rc != APP_E_NOTFOUND)
        return rc;
    rc = db_row(db, SQL_LA_LATEST, &st, "i", exercise_id);
    if (rc == APP_OK)
        out->latest_run = db_col_int(st, 0);
    db_finalize(st);
    return rc == APP_E_NOTFOUND ? APP_OK : rc;
}

/* One headline row: a count per audience and the total, as published. */
static json_t *headline_row(struct db *db, const char *sql, int64_t exercise_id,
                            const char *measure)
{
    struct db_stmt *st = NULL;
    uint32_t counts[AUD_N] = {0};
    struct disclosure_cell cells[AUD_N], total;
    char text[DISCLOSURE_TEXT_MAX];
    json_t *row = NULL;
    int rc = db_prepare_bind(db, sql, &st, "i", exercise_id);
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        const char *aud = db_col_text(st, 0);
        int k = AUD_UNSAID;
        for (int i = 0; i < AUD_UNSAID; i++)
            if (!strcmp(aud, audience_keys[i]))
                k = i;
        counts[k] += (uint32_t)db_col_int(st, 1);
        rc = APP_OK;
    }
    db_finalize(st);
    if (rc != DB_DONE || disclosure_breakdown(AUD_N, counts, NULL, cells, &total))
        return NULL;
    row = json_pack("{s:s}", "measure", measure);
    for (int i = 0; row && i < AUD_N; i++)
        if (disclosure_format(&cells[i], text, sizeof text) ||
            json_object_set_new(row, audience_keys[i], json_string(text))) {
            json_decref(row);
            row = NULL;
        }
    if (row && (disclosure_format(&total, text, sizeof text) ||
                json_object_set_new(row, "total", json_string(text)))) {
        json_decref(row);
        row = NULL;
    }
    return row;
}

/* The headline as it stands now: {"rows": [people, contributions, votes]}. NULL when out of
 * memory or the counting failed. */
static json_t *headline_now(struct db *db, int64_t exercise_id)
{
    json_t *rows = json_array();
    if (!rows ||
        json_array_append_new(
            rows, headline_row(db, SQL_LR_PEOPLE, exercise_id, "People who took part")) ||
        json_array_append_new(
            rows, headline_row(db, SQL_LR_CONTRIBUTIONS, exercise_id, "Contributions")) ||
        json_array_append_new(rows, headline_row(db, SQL_LR_VOTES, exercise_id, "Votes"))) {
        json_decref(rows);
        return NULL;
    }
    return json_pack("{s:o}", "rows", rows);
}

/* The headline of the report published from run_id: as fixed when it was published. A
 * report published before headlines were kept has none yet: it is counted now and kept, so
 * it stays as this first reading saw it. *out is a new reference. */
static int headline_published(struct db *db, int64_t exercise_id, int64_t run_id, json_t **out)
{
    struct db_stmt *st = NULL;
    char *text = NULL;
    json_error_t err;
    int rc = db_row(db, SQL_LR_HEADLINE, &st, "ii", exercise_id, run_id);
    *out = NULL;
    if (rc == APP_OK && *db_col_text(st, 0)) {
        *out = json_loads(db_col_text(st, 0), 0, &err);
        rc = json_is_object(*out) ? APP_OK : APP_E_INTERNAL; /* we stored it: it must read */
        goto done;
    }
    if (rc == APP_E_NOTFOUND) /* published again meanwhile from another run: the caller's */
        rc = APP_OK;          /* page is stale, and the counts of now are all it can show */
    if (rc)
        goto done;
    if (!(*out = headline_now(db, exercise_id)) || !(text = json_dumps(*out, JSON_COMPACT))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    rc = db_run(db, SQL_LR_SET_HEADLINE, "iti", exercise_id, text, run_id);
done:
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    free(text);
    db_finalize(st);
    return rc;
}

/* The edits in force now, as a published report keeps them (listen_curation_dump): a new
 * string the caller frees. */
static int edits_now(struct db *db, int64_t exercise_id, char **out)
{
    struct arena *a = arena_new();
    struct listen_theme_edit *edits = NULL;
    size_t n = 0;
    int rc = a ? listen_curation_load(db, a, exercise_id, &edits, &n) : APP_E_NOMEM;
    *out = NULL;
    if (!rc)
        rc = listen_curation_dump(edits, n, out);
    arena_free(a);
    return rc;
}

/* The edits the published report applies, as kept when it was published: a new string the
 * caller frees. Those of the report published now, even when it was published again from
 * another run since the caller read which: they are public, where the edits in force may not
 * be. A report of run_id published before edits were kept has none yet: the edits in force
 * now are kept, so it stays as this first reading saw it. APP_E_NOTFOUND when no report is
 * published (withdrawn meanwhile). */
static int edits_published(struct db *db, int64_t exercise_id, int64_t run_id, char **out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_LR_EDITS, &st, "i", exercise_id);
    *out = NULL;
    if (!rc && *db_col_text(st, 0) && !(*out = strdup(db_col_text(st, 0))))
        rc = APP_E_NOMEM;
    db_finalize(st);
    if (rc || *out)
        return rc;
    rc = edits_now(db, exercise_id, out);
    if (!rc)
        rc = db_run(db, SQL_LR_SET_EDITS, "iti", exercise_id, *out, run_id);
    if (rc) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

/* The published report's edits (edits_published), read into arena a. */
static int edits_published_read(struct db *db, struct arena *a, int64_t exercise_id, int64_t run_id,
                                struct listen_theme_edit **edits, size_t *n)
{
    char *text = NULL;
    int rc = edits_published(db, exercise_id, run_id, &text);
    if (!rc && (rc = listen_curation_parse(a, text, edits, n)) == APP_E_INVALID)
        rc = APP_E_INTERNAL; /* we stored it: it must read */
    free(text);
    return rc;
}

int listen_report_edits_changed(struct db *db, int64_t exercise_id, int64_t run_id, bool *changed)
{
    char *published = NULL, *now = NULL;
    int rc = edits_published(db, exercise_id, run_id, &published);
    *changed = false;
    if (!rc)
        rc = edits_now(db, exercise_id, &now);
    if (!rc)
        *changed = strcmp(published, now) != 0;
    free(published);
    free(now);
    return rc;
}

/* Three decimals are all a drawing needs. */
static double coord(double v)
{
    return round(v * 1000) / 1000;
}

/* Replaces the opinion's map (one point per person) with a region per group, set on the
 * group as "region": {x, y, rx, ry, angle}: the centre of its points, and the half-axes (two
 * standard deviations) and direction of their spread. A group whose people the map left out
 * (too few to show) has none. */
static int opinion_regions(json_t *opinion)
{
    const json_t *map = json_object_get(opinion, "map"), *pt;
    json_t *g;
    size_t i, k;
    json_array_foreach(json_object_get(opinion, "groups"), k, g)
    {
        json_int_t number = json_integer_value(json_object_get(g, "number"));
        double n = 0, mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0, tr, det, disc, l1, l2, angle;
        json_array_foreach(map, i, pt) if (json_integer_value(json_array_get(pt, 2)) == number)
        {
            n++;
            mx += json_number_value(json_array_get(pt, 0));
            my += json_number_value(json_array_get(pt, 1));
        }
        if (n < 2)
            continue;
        mx /= n, my /= n;
        json_array_foreach(map, i, pt) if (json_integer_value(json_array_get(pt, 2)) == number)
        {
            double dx = json_number_value(json_array_get(pt, 0)) - mx,
                   dy = json_number_value(json_array_get(pt, 1)) - my;
            sxx += dx * dx, syy += dy * dy, sxy += dx * dy;
        }
        sxx /= n, syy /= n, sxy /= n;
        /* the covariance's eigenvalues, and the direction of the larger */
        tr = sxx + syy;
        det = sxx * syy - sxy * sxy;
        disc = sqrt(fmax(tr * tr / 4 - det, 0));
        l1 = tr / 2 + disc;
        l2 = fmax(tr / 2 - disc, 0);
        angle = 0.5 * atan2(2 * sxy, sxx - syy) * 180 / 3.14159265358979323846;
        if (json_object_set_new(g, "region",
                                json_pack("{s:f, s:f, s:f, s:f, s:f}", "x", coord(mx), "y",
                                          coord(my), "rx", coord(2 * sqrt(l1)), "ry",
                                          coord(2 * sqrt(l2)), "angle", round(angle * 10) / 10)))
            return APP_E_NOMEM;
    }
    json_object_del(opinion, "map");
    return APP_OK;
}

static json_t *date_json(int64_t t)
{
    char s[32];
    time_t tt = (time_t)t;
    struct tm tm;
    if (!t)
        return json_string("");
    gmtime_r(&tt, &tm);
    strftime(s, sizeof s, "%-d %B %Y", &tm);
    return json_string(s);
}

/* Largest theme first, by members (merges change sizes); ties keep the run's order. */
static void sort_by_members(struct listen_analysis *r)
{
    for (size_t i = 1; i < r->nthemes; i++) /* insertion sort: a dozen themes, and it is stable */
        for (size_t j = i; j > 0 && r->themes[j].nmembers > r->themes[j - 1].nmembers; j--) {
            struct listen_theme t = r->themes[j - 1];
            r->themes[j - 1] = r->themes[j];
            r->themes[j] = t;
        }
}

/* A theme as the report publishes it: what a reader sees, numbered; its members, key,
 * coherence and the curation's own flags stay out. */
static json_t *theme_json(const struct listen_theme *t, size_t rank)
{
    json_t *by = NULL, *pinned = NULL;
    if (t->by_audience[0] || t->by_audience[1] || t->by_audience[2] || t->by_audience[3]) {
        if (!(by = json_object()))
            return NULL;
        for (int k = 0; k < AUD_N; k++)
            if (t->by_audience[k] &&
                json_object_set_new(by, audience_keys[k], json_string(t->by_audience[k]))) {
                json_decref(by);
                return NULL;
            }
    }
    if (t->pinned) {
        if (!(pinned = json_array())) {
            json_decref(by);
            return NULL;
        }
        for (size_t i = 0; i < t->npinned; i++)
            if (json_array_append_new(pinned,
                                      json_pack("{s:I, s:s}", "id", (json_int_t)t->pinned[i].id,
                                                "text", t->pinned[i].text))) {
                json_decref(by);
                json_decref(pinned);
                return NULL;
            }
    }
    /* json_pack takes by and pinned whatever happens */
    return json_pack(
        "{s:I, s:s, s:o, s:s*, s:o, s:s*, s:o*, s:s*, s:b, s:s*, s:o, s:o, s:s*,"
        " s:o*}",
        "rank", (json_int_t)rank, "label", t->label, "terms", listen_strs_json(&t->terms), "size",
        t->size, "representatives", listen_strs_json(&t->representatives), "terms_text",
        t->terms_text, "by_audience", by, "agree_percent", t->agree_percent, "agree_hidden",
        t->agree_hidden, "votes", t->votes, "quotes_citizens",
        listen_strs_json(&t->quotes_citizens), "quotes_professionals",
        listen_strs_json(&t->quotes_professionals), "split_from", t->split_from, "pinned", pinned);
}

int listen_report_model(struct db *db, const struct listen_exercise *e, int64_t run_id,
                        bool published, json_t **out)
{
    struct db_stmt *st = NULL;
    struct arena *a = arena_new();
    struct listen_analysis r;
    struct listen_theme_edit *edits = NULL;
    size_t nedits = 0, i;
    json_t *m = NULL, *headline = NULL, *themes, *th, *opinion = NULL;
    int64_t raw_contributions = 0;
    int rc;
    *out = NULL;
    if (!a)
        return APP_E_NOMEM;
    rc = db_row(db, SQL_LA_BY_ID, &st, "ii", run_id, e->id);
    if (rc)
        goto done;
    rc = listen_analysis_parse(a, db_col_text(st, 5), db_col_len(st, 5), &r);
    if (rc == APP_E_INVALID)
        rc = APP_E_INTERNAL; /* the worker stored it; it must read back */
    if (rc)
        goto done;
    /* the run's counts as published (the result's own, under the rule), never its raw ones */
    m = json_pack("{s:{s:s, s:s, s:s}, s:{s:I, s:o, s:o}}", "exercise", "slug", e->slug, "title",
                  e->title, "language", e->language ? e->language : "en", "run", "id",
                  (json_int_t)run_id, "finished", date_json(db_col_int(st, 7)), "contributions",
                  r.contributions ? json_string(r.contributions) : json_null());
    if (!m) {
        rc = APP_E_NOMEM;
        goto done;
    }
    raw_contributions = db_col_int(st, 3);
    db_finalize(st);
    st = NULL;
    /* the published report's headline as it was published; a draft's as it is now */
    if (published)
        rc = headline_published(db, e->id, run_id, &headline);
    else if (!(headline = headline_now(db, e->id)))
        rc = APP_E_NOMEM;
    if (rc)
        goto done;
    if (json_object_set_new(m, "headline", headline)) {
        rc = APP_E_NOMEM;
        goto done;
    }
    /* The facilitators' edits (names, hidden and merged themes, pinned quotes): those fixed
     * when the report was published, or for a draft those in force; then the themes largest
     * first, numbered; members and keys stay out of the report. */
    if (published)
        rc = edits_published_read(db, a, e->id, run_id, &edits, &nedits);
    else
        rc = listen_curation_load(db, a, e->id, &edits, &nedits);
    if (!rc)
        rc = listen_curation_apply(db, a, e->id, &r, edits, nedits, true);
    if (rc)
        goto done;
    sort_by_members(&r);
    /* m owns the array from here */
    if (json_object_set_new(m, "themes", themes = json_array()) || !themes) {
        rc = APP_E_NOMEM;
        goto done;
    }
    for (i = 0; i < r.nthemes; i++)
        if (!(th = theme_json(&r.themes[i], i + 1)) || json_array_append_new(themes, th)) {
            rc = APP_E_NOMEM;
            goto done;
        }
    if (r.opinion)
        rc = listen_opinion_json(r.opinion, &opinion);
    else if (!(opinion = json_object()))
        rc = APP_E_NOMEM;
    if (!rc)
        rc = opinion_regions(opinion);
    if (rc || json_object_set_new(m, "opinion", opinion)) {
        rc = APP_E_NOMEM;
        goto done;
    }
    /* too little to analyse: the pages warn rather than present noise as findings */
    if (json_object_set_new(m, "sufficiency",
                            listen_analysis_sufficiency(
                                raw_contributions, r.opinion ? r.opinion->participants : NULL))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    *out = m;
    m = NULL;
    rc = APP_OK;
done:
    db_finalize(st);
    json_decref(m);
    arena_free(a);
    return rc;
}

int listen_report_publish(struct db *db, int64_t exercise_id, int64_t run_id, int64_t by)
{
    json_t *themes = NULL, *headline = NULL;
    char *text = NULL, *head = NULL, *edits = NULL;
    /* the curated themes as they are now, read before the transaction (reads only) */
    int rc = listen_action_live_themes(db, exercise_id, &themes);
    if (rc)
        return rc;
    text = json_dumps(themes, JSON_COMPACT);
    json_decref(themes);
    rc = APP_E_NOMEM;
    if (!text)
        goto done;
    rc = db_begin(db);
    if (rc)
        goto done;
    /* the headline counted inside the transaction, so it is what the moment of publishing saw */
    if (!(headline = headline_now(db, exercise_id)) || !(head = json_dumps(headline, JSON_COMPACT)))
        rc = APP_E_NOMEM;
    if (!rc)
        rc = db_run(db, SQL_LR_PUBLISH, "iiiI", exercise_id, run_id, (int64_t)time(NULL), by);
    if (!rc)
        rc = db_run(db, SQL_LR_SET_THEMES, "it", exercise_id, text);
    if (!rc)
        rc = db_run(db, SQL_LR_SET_HEADLINE, "iti", exercise_id, head, run_id);
    /* and the edits in force, which the published report applies from now on */
    if (!rc)
        rc = edits_now(db, exercise_id, &edits);
    if (!rc)
        rc = db_run(db, SQL_LR_SET_EDITS, "iti", exercise_id, edits, run_id);
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
done:
    json_decref(headline);
    free(head);
    free(edits);
    free(text);
    return rc;
}

int listen_report_published_ids(struct db *db, struct arena *a, int64_t **out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare(db, SQL_LR_PUBLISHED_IDS, &st);
    *n = 0;
    *out = NULL;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        int64_t *np = arena_grow(a, *out, *n + 1, &cap, sizeof *np);
        if (!np) {
            rc = APP_E_NOMEM;
            break;
        }
        *out = np;
        np[(*n)++] = db_col_int(st, 0);
        rc = APP_OK;
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}

int listen_report_unpublish(struct db *db, int64_t exercise_id)
{
    return db_run(db, SQL_LR_UNPUBLISH, "i", exercise_id);
}

static const char *str_at(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* "a; b; c" from an array of strings. */
static void joined(struct buf *b, const json_t *arr, const char *sep)
{
    size_t i;
    json_t *v;
    buf_reset(b);
    json_array_foreach(arr, i, v)
    {
        if (i)
            buf_puts(b, sep);
        buf_puts(b, json_string_value(v) ? json_string_value(v) : "");
    }
    buf_putc(b, '\0');
}

int listen_report_csv(const json_t *model, struct buf *out)
{
    static const char *const head[] = {"rank",
                                       "theme",
                                       "top terms",
                                       "contributions",
                                       "from citizens",
                                       "from allied health professionals",
                                       "from other health and care staff",
                                       "from people who did not say",
                                       "agreed (% of votes)",
                                       "citizens said",
                                       "professionals said"};
    struct csv_writer w;
    struct buf tmp = BUF_INIT;
    const json_t *themes = json_object_get(model, "themes"), *th;
    size_t i;
    csv_writer_init(&w, out);
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        csv_write_cstr(&w, head[k]);
    csv_end_row(&w);
    json_array_foreach(themes, i, th)
    {
        const json_t *by = json_object_get(th, "by_audience");
        csv_write_int(&w, (int64_t)json_integer_value(json_object_get(th, "rank")));
        csv_write_text(&w, str_at(th, "label"));
        joined(&tmp, json_object_get(th, "terms"), ", ");
        csv_write_text(&w, tmp.data);
        csv_write_cstr(&w, str_at(th, "size"));
        for (int k = 0; k < AUD_N; k++)
            csv_write_cstr(&w, str_at(by, audience_keys[k]));
        csv_write_cstr(&w, str_at(th, "agree_percent"));
        joined(&tmp, json_object_get(th, "quotes_citizens"), " | ");
        csv_write_text(&w, tmp.data);
        joined(&tmp, json_object_get(th, "quotes_professionals"), " | ");
        csv_write_text(&w, tmp.data);
        csv_end_row(&w);
    }
    buf_free(&tmp);
    return buf_oom(out) ? APP_E_NOMEM : APP_OK;
}

int listen_report_groups_csv(const json_t *model, struct buf *out)
{
    static const char *const head[] = {"group",
                                       "people",
                                       "statement",
                                       "the group mostly",
                                       "this group (% of those who voted on it)",
                                       "everyone else (% of those who voted on it)",
                                       "why everyone else's figure is not shown"};
    struct csv_writer w;
    const json_t *opinion = json_object_get(model, "opinion"), *g, *st;
    size_t i, k;
    csv_writer_init(&w, out);
    for (size_t h = 0; h < sizeof head / sizeof head[0]; h++)
        csv_write_cstr(&w, head[h]);
    csv_end_row(&w);
    json_array_foreach(json_object_get(opinion, "groups"), i, g)
    {
        json_array_foreach(json_object_get(g, "statements"), k, st)
        {
            const json_t *rest = json_object_get(st, "percent_rest");
            csv_write_int(&w, (int64_t)json_integer_value(json_object_get(g, "number")));
            csv_write_cstr(&w, str_at(g, "size"));
            csv_write_text(&w, str_at(st, "text"));
            csv_write_cstr(&w, str_at(st, "direction"));
            csv_write_int(&w, (int64_t)json_integer_value(json_object_get(st, "percent")));
            /* a suppressed figure is an empty cell with its reason beside it */
            if (json_is_integer(rest))
                csv_write_int(&w, (int64_t)json_integer_value(rest));
            else
                csv_write_cstr(&w, NULL);
            csv_write_cstr(&w, str_at(st, "percent_rest_reason"));
            csv_end_row(&w);
        }
    }
    return buf_oom(out) ? APP_E_NOMEM : APP_OK;
}

bool listen_count_rounded(const char *published)
{
    size_t n = published ? strlen(published) : 0;
    return n && strspn(published, "0123456789") == n && strspn(published, "0") != n;
}
