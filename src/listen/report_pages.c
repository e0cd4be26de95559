/* report_pages.c: "What we heard" handlers — the report page, its downloads, publishing
 *
 * A published report is public (for an exercise that is not a draft); until then only the
 * people who run exercises see it, as a draft made from the latest analysis. The page, the
 * JSON API, the CSV and the PDF render one model (report.c), so they cannot disagree.
 */
#include "listen/report.h"
#include "listen/report_pdf.h"
#include "listen/pages.h"
#include "listen/charts.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "export/svg.h"
#include "web/render.h"
#include "text/markdown.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Which run a visitor may see: the published one, or (for facilitators) the latest as a
 * draft when publishing now would publish something else: a later analysis, or the themes
 * as edited since. APP_E_NOTFOUND when there is nothing they may see. */
static int visible_run(struct ctx *c, const struct listen_exercise *e,
                       const struct listen_report_state *st, bool *draft, int64_t *run)
{
    bool edited = false;
    int rc;
    *draft = false;
    *run = st->published_run;
    if (listen_page_can_manage(c) && st->latest_run && st->latest_run == st->published_run &&
        (rc = listen_report_edits_changed(c->db, e->id, st->published_run, &edited)))
        return rc;
    if (listen_page_can_manage(c) && st->latest_run &&
        (st->latest_run != st->published_run || edited)) {
        /* a facilitator sees what publishing now would publish */
        *draft = true;
        *run = st->latest_run;
    }
    if (!*run)
        return APP_E_NOTFOUND;
    if (e->status == LS_DRAFT && !listen_page_can_manage(c))
        return APP_E_NOTFOUND;
    return APP_OK;
}

static int load_report(struct ctx *c, struct listen_exercise *e, struct listen_report_state *st,
                       bool *draft, json_t **model)
{
    int64_t run;
    int rc = listen_page_exercise(c, e);
    if (!rc)
        rc = listen_report_state(c->db, e->id, st);
    if (!rc)
        rc = visible_run(c, e, st, draft, &run);
    if (!rc)
        rc = listen_report_model(c->db, e, run, !*draft, model);
    return rc;
}

int page_listen_report(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_report_state st;
    bool draft;
    json_t *m = NULL, *opinion;
    const char *summary;
    int rc = load_report(c, &e, &st, &draft, &m);
    if (rc == APP_E_NOTFOUND && listen_page_can_manage(c) && !c->want_json) {
        /* nothing analysed yet: say so, and where to start */
        render_error(c, APP_E_NOTFOUND,
                     "There is no analysis of this exercise yet. Run one from its analysis "
                     "page, then come back to publish the report.");
        return APP_OK;
    }
    if (rc)
        return rc;
    m = jobj(m, "title", jstr(arena_printf(c->arena, "What we heard: %s", e.title)));
    m = jobj(m, "is_draft", jbool(draft));
    m = jobj(m, "is_published", jbool(st.published_run != 0));
    m = jobj(m, "published", jdate(st.published_at));
    m = jobj(m, "can_manage", jbool(listen_page_can_manage(c)));
    summary = markdown_html(c->arena, e.summary_md);
    /* cmark with raw HTML disabled: HTML the program made, safe for {{{ }}} */
    m = jobj(m, "summary_html", json_string(summary ? summary : ""));
    opinion = json_object_get(m, "opinion");
    if (!c->want_json && m) {
        const json_t *themes = json_object_get(m, "themes");
        size_t i;
        json_t *th;
        /* a rounded count is worded "about 10", never as exact */
        int oom = listen_page_mark_about(json_object_get(m, "run"), "contributions") ||
                  (opinion && listen_page_mark_about(opinion, "participants"));
        json_array_foreach(themes, i, th) oom = oom || listen_page_mark_about(th, "size");
        if (oom) {
            json_decref(m);
            return APP_E_NOMEM;
        }
        if (listen_chart_themes_hidden(themes)) /* no bar to draw: words, not an empty axis */
            m = jobj(m, "themes_too_small", jbool(true));
        else
            m = jobj(m, "themes_chart", listen_chart_themes(c->arena, themes));
        if (opinion && json_is_true(json_object_get(opinion, "has_groups"))) {
            json_t *map = listen_chart_opinion_regions(c->arena, opinion);
            if (map)
                m = jobj(m, "opinion_map", map);
        }
    }
    if (c->want_json && m && listen_api_counts(m)) {
        json_decref(m);
        return APP_E_NOMEM;
    }
    return render(c, 200, "listen/report", m);
}

int page_listen_report_file(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_report_state st;
    const char *file = req_param(c->req, "file");
    bool draft;
    json_t *m = NULL;
    int rc = load_report(c, &e, &st, &draft, &m);
    if (rc)
        return rc;
    buf_reset(&c->resp->body);
    if (!strcmp(file, "what-we-heard.csv")) {
        rc = listen_report_csv(m, &c->resp->body);
        c->resp->content_type = "text/csv; charset=utf-8";
    } else if (!strcmp(file, "opinion-groups.csv")) {
        rc = listen_report_groups_csv(m, &c->resp->body);
        c->resp->content_type = "text/csv; charset=utf-8";
    } else if (!strcmp(file, "what-we-heard.json")) {
        rc = listen_api_counts(m) ||
                     json_dump_callback(m, buf_append_cb, &c->resp->body, JSON_INDENT(1))
                 ? APP_E_NOMEM
                 : APP_OK;
        c->resp->content_type = "application/json";
    } else if (!strcmp(file, "what-we-heard.pdf")) {
        json_t *when = jdate(st.published_at);
        rc = listen_report_pdf(m, draft, json_string_value(when), &c->resp->body, NULL);
        json_decref(when);
        c->resp->content_type = "application/pdf";
    } else {
        rc = APP_E_NOTFOUND;
    }
    json_decref(m);
    if (rc)
        return rc;
    if (buf_oom(&c->resp->body))
        return APP_E_NOMEM;
    c->resp->status = 200;
    return resp_header(c, "Content-Disposition",
                       arena_printf(c->arena, "attachment; filename=\"%s-%s\"", e.slug, file));
}

int page_listen_report_publish(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_report_state st;
    int rc = listen_page_exercise(c, &e);
    if (!rc)
        rc = listen_report_state(c->db, e.id, &st);
    if (rc)
        return rc;
    if (!st.latest_run) {
        render_error(c, APP_E_CONFLICT,
                     "There is no finished analysis to publish. Run one from the analysis page.");
        return APP_OK;
    }
    if (e.status == LS_DRAFT) {
        render_error(c, APP_E_CONFLICT,
                     "Open the exercise before publishing its report: a draft has no public page.");
        return APP_OK;
    }
    rc = listen_report_publish(c->db, e.id, st.latest_run, c->user->id);
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "published_run", jint(st.latest_run)));
    rc = flash_set(c, "report_published");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/listen/%s/report", e.slug));
}

int page_listen_report_unpublish(struct ctx *c)
{
    struct listen_exercise e;
    int rc = listen_page_exercise(c, &e);
    if (!rc)
        rc = listen_report_unpublish(c->db, e.id);
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "published_run", jint(0)));
    rc = flash_set(c, "report_withdrawn");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/listen/%s/report", e.slug));
}
