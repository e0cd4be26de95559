/* transfer_pages.c: Listen open data through the site — the Pol.is and JSON downloads, and
 * importing a Pol.is export or a survey CSV as a new exercise */
#include "listen/transfer.h"
#include "listen/pages.h"
#include "core/buf.h"
#include "core/arena.h"
#include "core/err.h"
#include "web/render.h"

#include <stdbool.h>
#include <string.h>

/* ---- open data: export and import ---- */

/* Who gets which file: everyone the exercise is open data to gets the public files; those who
 * manage it get group-id filled in participants-votes.csv, and themes.csv (transfer.h says
 * why the public copy has neither). */
static const struct {
    const char *file, *type;
    int (*fn)(struct db *, int64_t, struct buf *);
    int (*managed)(struct db *, int64_t, struct buf *); /* NULL: only for managers */
} exports[] = {
    {"summary.csv", "text/csv; charset=utf-8", listen_export_summary, listen_export_summary_full},
    {"comments.csv", "text/csv; charset=utf-8", listen_export_comments,
     listen_export_comments_full},
    {"votes.csv", "text/csv; charset=utf-8", listen_export_votes, listen_export_votes_full},
    {"participants-votes.csv", "text/csv; charset=utf-8", listen_export_participants_votes,
     listen_export_participants_votes_grouped},
    {"themes.csv", "text/csv; charset=utf-8", NULL, listen_export_themes},
    {"exercise.json", "application/json; charset=utf-8", listen_export_json, listen_export_json},
};

int page_listen_export(struct ctx *c)
{
    struct listen_exercise e;
    const char *file = req_param(c->req, "file");
    bool manager;
    int rc = listen_page_exercise(c, &e);
    if (rc)
        return rc;
    manager = listen_page_can_manage(c);
    /* Published exercises are open data; before that only facilitators may take a copy. */
    if (e.status != LS_PUBLISHED && !manager)
        return c->user ? APP_E_FORBIDDEN : APP_E_UNAUTH;
    for (size_t i = 0; i < sizeof exports / sizeof exports[0]; i++) {
        int (*fn)(struct db *, int64_t, struct buf *) =
            manager ? exports[i].managed : exports[i].fn;
        if (strcmp(file, exports[i].file) != 0)
            continue;
        if (!fn)
            return c->user ? APP_E_FORBIDDEN : APP_E_UNAUTH;
        buf_reset(&c->resp->body);
        rc = fn(c->db, e.id, &c->resp->body);
        if (rc)
            return rc;
        if (buf_oom(&c->resp->body))
            return APP_E_NOMEM;
        c->resp->status = 200;
        c->resp->content_type = exports[i].type;
        return resp_header(
            c, "Content-Disposition",
            arena_printf(c->arena, "attachment; filename=\"%s-%s\"", e.slug, exports[i].file));
    }
    return APP_E_NOTFOUND;
}

json_t *listen_page_downloads(struct ctx *c, const struct listen_exercise *e)
{
    bool manager = listen_page_can_manage(c);
    json_t *list = json_array();
    for (size_t i = 0; list && i < sizeof exports / sizeof exports[0]; i++) {
        json_t *one;
        if (!manager && (e->status != LS_PUBLISHED || !exports[i].fn))
            continue;
        one = jobj(json_object(), "file", jstr(exports[i].file));
        one = jobj(one, "url",
                   jstr(arena_printf(c->arena, "/listen/%s/export/%s", e->slug, exports[i].file)));
        one = jobj(one, "facilitators_only", jbool(!exports[i].fn));
        if (!one || json_array_append_new(list, one)) {
            json_decref(list);
            list = NULL;
        }
    }
    return list;
}

static json_t *import_model(struct ctx *c, const struct import_report *rep)
{
    const char *kind = req_field(c->req, "kind");
    json_t *m = jobj(json_object(), "title", json_string_nocheck("Import responses"));
    m = jobj(m, "kind_polis", jbool(!kind || !strcmp(kind, "polis")));
    m = jobj(m, "kind_csv", jbool(kind && !strcmp(kind, "csv")));
    if (rep && rep->nerrors) {
        json_t *errs = json_array();
        for (int i = 0; errs && i < rep->nerrors; i++)
            if (json_array_append_new(errs, jstr(rep->errors[i]))) {
                json_decref(errs);
                errs = NULL;
            }
        m = jobj(m, "import_errors", errs);
        m = jobj(m, "has_import_errors", jbool(1));
        m = jobj(m, "more_errors", jint(rep->more));
    }
    return m;
}

int page_listen_import_form(struct ctx *c)
{
    return render(c, 200, "listen/import", import_model(c, NULL));
}

/* The bytes of an uploaded file field, or an empty slice. */
static struct str upload(struct ctx *c, const char *field)
{
    for (size_t i = 0; i < c->req->nuploads; i++)
        if (!strcmp(c->req->uploads[i].field, field))
            return (struct str){c->req->uploads[i].data, c->req->uploads[i].len};
    return (struct str){"", 0};
}

/* The new exercise's title: the page's two forms each send their own field (polis_title,
 * csv_title), so that a refused title is shown beside the form that sent it; API clients
 * send "title" for either kind. NULL or empty: the import's default. */
static const char *import_title(struct ctx *c, const char *kind)
{
    const char *own = req_field(c->req, !strcmp(kind, "polis") ? "polis_title" : "csv_title");
    return own && *own ? own : req_field(c->req, "title");
}

int page_listen_import(struct ctx *c)
{
    struct import_report rep;
    const char *kind = req_field(c->req, "kind");
    struct listen_exercise e;
    int64_t id = 0;
    int rc;
    memset(&rep, 0, sizeof rep);
    if (!kind || (strcmp(kind, "polis") && strcmp(kind, "csv")))
        req_add_error(c->req, "kind", "Select what you are importing");
    else if (!strcmp(kind, "polis") && !upload(c, "comments_file").len)
        req_add_error(c->req, "comments_file", "Select the comments.csv file");
    else if (!strcmp(kind, "polis") && !upload(c, "votes_file").len &&
             !upload(c, "participants_votes_file").len)
        req_add_error(c->req, "votes_file", "Select votes.csv or participants-votes.csv");
    else if (!strcmp(kind, "csv") && !upload(c, "csv_file").len)
        req_add_error(c->req, "csv_file", "Select the CSV file");
    else if (!strcmp(kind, "csv") && !req_field(c->req, "text_column"))
        req_add_error(c->req, "text_column", "Enter the name of the column with the answers");
    if (c->req->nerrors)
        return render_invalid(c, "listen/import", import_model(c, NULL));
    if (!strcmp(kind, "polis")) {
        struct polis_files f = {upload(c, "summary_file"), upload(c, "comments_file"),
                                upload(c, "votes_file"), upload(c, "participants_votes_file")};
        rc = listen_import_polis(c->db, &f, import_title(c, kind), c->user->id, &id, &rep);
    } else {
        struct str data = upload(c, "csv_file");
        struct csv_import_opts o = {req_field(c->req, "text_column"),
                                    req_field(c->req, "audience_column"),
                                    req_field(c->req, "profession_column"),
                                    req_field(c->req, "region_column"), import_title(c, kind)};
        rc = listen_import_csv(c->db, data.p, data.len, &o, c->user->id, &id, &rep);
    }
    if (rc == APP_E_INVALID) {
        /* Nothing was stored; say exactly which lines are wrong. */
        if (c->want_json) {
            json_t *m = jobj(json_object(), "error", json_string_nocheck("invalid"));
            json_t *errs = json_array();
            for (int i = 0; errs && i < rep.nerrors; i++)
                json_array_append_new(errs, jstr(rep.errors[i]));
            m = jobj(m, "message", json_string_nocheck("The file was not imported"));
            return render(c, 400, NULL, jobj(m, "errors", errs));
        }
        req_add_error(c->req, !strcmp(kind, "csv") ? "csv_file" : "comments_file",
                      "The file was not imported. Correct the lines listed and try again");
        return render_invalid(c, "listen/import", import_model(c, &rep));
    }
    if (rc)
        return rc;
    rc = listen_exercise_get_id(c->db, c->arena, id, &e);
    if (rc)
        return rc;
    if (c->want_json) {
        json_t *m = jobj(json_object(), "slug", jstr(e.slug));
        m = jobj(m, "comments", jint(rep.comments));
        m = jobj(m, "participants", jint(rep.participants));
        m = jobj(m, "votes", jint(rep.votes));
        /* where its language came from: the export, a guess from the text, or the default */
        m = jobj(m, "language", jstr(e.language));
        m = jobj(m, "language_source", jstr(rep.language_source));
        return render(c, 201, NULL, m);
    }
    rc = flash_set(c, "imported");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/listen/%s", e.slug));
}
