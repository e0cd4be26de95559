/* transfer_pages.c: Assess responses in and out as CSV (open data) */
#include "app.h"
#include "assess/results.h"
#include "assess/pages.h"
#include "assess/publish.h"
#include "assess/transfer.h"
#include "core/buf.h"
#include "core/arena.h"
#include "core/err.h"
#include "web/render.h"

#include <string.h>
#include <time.h>

/* The groupings a benchmark CSV holds: the one the field "by" names (as on the benchmarks
 * page, so the download is the tables the reader chose), or every grouping without it. */
static unsigned export_dims(struct ctx *c)
{
    const char *by = req_field(c->req, "by");
    for (int d = 0; by && d < AD_NDIMS; d++)
        if (!strcmp(by, assess_dim_name((enum assess_dim)d)))
            return 1u << d;
    return 0;
}

int page_assess_export(struct ctx *c)
{
    struct assess_round r;
    struct assess_instrument ins;
    const struct assess_results *res;
    struct assess_benchmark bench;
    const char *file = req_param(c->req, "file");
    int rc = assess_page_load_round(c, &r, &ins);
    if (rc)
        return rc;
    buf_reset(&c->resp->body);
    if (!strcmp(file, "responses.csv")) {
        /* pseudonymous, but rows carry organisation, profession, region and band together:
         * for the people who run the round only */
        if (!assess_page_can_manage(c))
            return c->user ? APP_E_FORBIDDEN : APP_E_UNAUTH;
        rc = assess_export_responses_csv(c->db, c->arena, &r, &ins, &c->resp->body);
        c->resp->content_type = "text/csv; charset=utf-8";
    } else if (!strcmp(file, "benchmark.csv") || !strcmp(file, "benchmark.json") ||
               !strcmp(file, "change.csv")) {
        if (!c->user)
            return APP_E_UNAUTH;
        if (!assess_figures_published(&r, (int64_t)time(NULL), assess_page_can_manage(c))) {
            render_error_as(c, APP_E_CONFLICT, "These benchmarks are not published yet",
                            "The benchmarks of this round are published when it closes.");
            return APP_OK;
        }
        if (!strcmp(file, "change.csv")) {
            const char *cmp = req_field(c->req, "compare");
            if (!cmp || !*cmp) {
                render_error_as(c, APP_E_INVALID, "Choose a round to compare with",
                                "The change since another round needs that round: add "
                                "?compare= and its address name (the part after /assess/), "
                                "for example change.csv?compare=digital-2025. It must be "
                                "another closed round of the same instrument; the benchmarks "
                                "page lists them.");
                return APP_OK;
            }
            rc = assess_page_change_csv(c, &r, &ins, &c->resp->body);
            c->resp->content_type = "text/csv; charset=utf-8";
            goto sent;
        }
        rc = assess_results_shared(c->db, c->app->assess_results, c->arena, r.id, &ins, &res);
        if (!rc) {
            bench = res->bench; /* a copy of the shared one, to leave out what is not theirs */
            /* members get national figures, not organisations', and no medians or quartiles:
             * those are respondents' own scores (publish.c) */
            if (!assess_page_can_manage(c) &&
                !(rc = assess_benchmark_for_members(c->arena, &res->bench, &bench)))
                bench.dims[AD_ORGANISATION].ngroups = 0;
        }
        if (!rc && file[10] == 'c') {
            rc = assess_export_benchmark_csv(&ins, &bench, res->org_names, export_dims(c),
                                             &c->resp->body);
            c->resp->content_type = "text/csv; charset=utf-8";
        } else if (!rc) {
            json_t *j = assess_benchmark_json(&ins, &bench, res->org_names);
            /* organisations left out as too many for a breakdown (results.h; 0 when none):
             * for those who see organisations, as the API's benchmarks by organisation */
            if (j && assess_page_can_manage(c) &&
                json_object_set_new(j, "organisations_withheld",
                                    json_integer((json_int_t)res->orgs_withheld))) {
                json_decref(j);
                j = NULL;
            }
            /* the statistics are already rounded to 0.1 (transfer.c); 15 significant digits
             * print them as such ("47.4", not jansson's default 47.399999999999999) */
            rc = !j || json_dump_callback(j, buf_append_cb, &c->resp->body,
                                          JSON_INDENT(1) | JSON_REAL_PRECISION(15))
                     ? APP_E_NOMEM
                     : APP_OK;
            json_decref(j);
            c->resp->content_type = "application/json";
        }
    } else {
        return APP_E_NOTFOUND;
    }
sent:
    if (rc)
        return rc;
    if (buf_oom(&c->resp->body))
        return APP_E_NOMEM;
    c->resp->status = 200;
    return resp_header(c, "Content-Disposition",
                       arena_printf(c->arena, "attachment; filename=\"%s-%s\"", r.slug, file));
}

static json_t *import_model(struct ctx *c, const struct assess_round *r,
                            const struct assess_import_report *rep)
{
    json_t *m = jobj(json_object(), "title", json_string_nocheck("Import responses"));
    m = jobj(m, "round", assess_page_round_json(r, (int64_t)time(NULL)));
    /* as typed, a mapping refused (too long, a control character) included */
    m = jobj(m, "form", jobj(json_object(), "mapping", jstr(req_typed(c->req, "mapping"))));
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

/* A closed round takes no responses, imported ones included: its figures are published, and
 * changing them afterwards would let anyone difference the two versions (docs/assess.md).
 * True after answering the refusal. */
static bool import_refused(struct ctx *c, const struct assess_round *r)
{
    if (assess_round_state(r, (int64_t)time(NULL)) != ARS_CLOSED)
        return false;
    render_error_as(c, APP_E_CONFLICT, "This round has closed",
                    "A closed round takes no more responses, imported ones included: its "
                    "benchmarks are published and must not change. Nothing was imported.");
    return true;
}

int page_assess_import_form(struct ctx *c)
{
    struct assess_round r;
    int rc = assess_page_load_round(c, &r, NULL);
    if (rc)
        return rc;
    if (import_refused(c, &r))
        return APP_OK;
    return render(c, 200, "assess/import", import_model(c, &r, NULL));
}

/* Imports a CSV of responses, all lines or none (transfer.c); a request with a refused field
 * imports nothing and shows the form again with the mapping as typed. */
int page_assess_import(struct ctx *c)
{
    struct assess_round r;
    struct assess_instrument ins;
    struct assess_import_report *rep;
    const char *csv = NULL;
    size_t len = 0;
    int rc = assess_page_load_round(c, &r, &ins);
    if (rc)
        return rc;
    if (import_refused(c, &r))
        return APP_OK;
    for (size_t i = 0; i < c->req->nuploads; i++)
        if (!strcmp(c->req->uploads[i].field, "csv_file") && c->req->uploads[i].len) {
            csv = c->req->uploads[i].data;
            len = c->req->uploads[i].len;
        }
    if (!csv && !req_error(c->req, "csv_file") &&
        (rc = req_add_error(c->req, "csv_file", "Choose a CSV file of responses")))
        return rc;
    /* a mapping the request layer refused is not "no mapping": nothing is imported */
    if (c->req->nerrors)
        return render_invalid(c, "assess/import", import_model(c, &r, NULL));
    if (!(rep = arena_calloc(c->arena, 1, sizeof *rep)))
        return APP_E_NOMEM;
    rc = assess_import_csv(c->db, c->arena, &r, &ins, csv, len, req_field(c->req, "mapping"), rep);
    if (rc == APP_E_INVALID) {
        req_add_error(c->req, "csv_file",
                      rep->nerrors == 1
                          ? "The file has a problem, shown below. Nothing was imported."
                          : "The file has problems, shown below. Nothing was imported.");
        return render_invalid(c, "assess/import", import_model(c, &r, rep));
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 201, NULL, jobj(json_object(), "imported", jint(rep->imported)));
    rc = flash_set(c, "responses_imported");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/assess/%s/manage", r.slug));
}
