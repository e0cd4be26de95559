/* gaps_pages.c: a programme lead's view of a cohort's or an organisation's weakest
 * leadership domains, as a page, JSON and CSV, under the disclosure rule (gaps.h)
 *
 * The three are one table: a figure hidden on the page is hidden in the JSON (null, with the
 * reason) and in the CSV ("*"), so no way of reading it shows more than another.
 */
#include "develop/pages.h"
#include "develop/gaps.h"
#include "account/cohort.h"
#include "account/org.h"
#include "app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "export/csv.h"
#include "web/render.h"

#include <stdio.h>
#include <string.h>

#define GAPS_FRAMEWORK "ahp-clinical-leadership"

static bool push(json_t *arr, json_t *v)
{
    return v && json_array_append_new(arr, v) == 0;
}

/* The group the query names, its name in *name; APP_E_NOTFOUND when it names none that
 * exists (*chosen false when it names none at all). */
static int chosen_group(struct ctx *c, enum develop_group_kind *kind, int64_t *id,
                        const char **name, bool *chosen)
{
    int64_t cohort = req_field_int(c->req, "cohort", 0);
    int64_t org = req_field_int(c->req, "organisation", 0);
    int rc;
    *chosen = cohort > 0 || org > 0;
    if (cohort > 0) {
        struct cohort co;
        *kind = DGK_COHORT;
        *id = cohort;
        if ((rc = account_cohort_get(c->db, c->arena, cohort, &co)))
            return rc;
        *name = co.name;
    } else if (org > 0) {
        struct org o;
        *kind = DGK_ORGANISATION;
        *id = org;
        if ((rc = account_org_get(c->db, c->arena, org, &o)))
            return rc;
        *name = o.name;
    }
    return APP_OK;
}

static const char *count_text(struct ctx *c, const struct disclosure_cell *cell)
{
    char s[DISCLOSURE_TEXT_MAX];
    if (disclosure_format(cell, s, sizeof s))
        return "*";
    return arena_strdup(c->arena, s);
}

static const char *stat_text(struct ctx *c, const struct disclosure_stat *st, int decimals)
{
    char s[DISCLOSURE_TEXT_MAX];
    if (disclosure_stat_format(st, decimals, s, sizeof s))
        return "*";
    return arena_strdup(c->arena, s);
}

/* Why a figure is not shown, in words a lead can act on. */
/* Why a view's figures are held or withheld (gap_release.h), for the page and the API. */
static const char *const WITHHELD_REASON =
    "The members counted differ from a group already shown by too few people to show both, "
    "so this group's figures are not shown yet";

static const char *hidden_reason(struct ctx *c, const struct develop_group_gaps *g,
                                 const struct disclosure_stat *st)
{
    if (st->shown)
        return NULL;
    if (g->shown == DGS_WITHHELD)
        return WITHHELD_REASON;
    if (!st->suppressed)
        return "No member has a result in this area";
    return arena_printf(c->arena,
                        "Fewer than %u members have a result in this area, so it is not shown "
                        "to protect their privacy",
                        disclosure_threshold(NULL) + 1);
}

static json_t *domains_json(struct ctx *c, const struct develop_group_gaps *g)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < g->ndomains; i++) {
        const struct develop_gap_domain *d = &g->domains[i];
        const char *why = hidden_reason(c, g, &d->mean);
        json_t *o = jobj(json_object(), "rank", jint((long long)i + 1));
        o = jobj(o, "id", jstr(d->id));
        o = jobj(o, "title", jstr(d->title));
        o = jobj(o, "people", d->people.shown ? jint((long long)d->people.value) : json_null());
        o = jobj(o, "people_text", jstr(count_text(c, &d->people)));
        o = jobj(o, "mean", d->mean.shown ? develop_page_num(d->mean.value, 1) : json_null());
        o = jobj(o, "mean_text", jstr(stat_text(c, &d->mean, 1)));
        o = jobj(o, "percent",
                 d->percent.shown ? develop_page_num(d->percent.value, 0) : json_null());
        o = jobj(o, "percent_text", jstr(stat_text(c, &d->percent, 0)));
        o = jobj(o, "bar", jint(d->percent.shown ? (long long)(d->percent.value + 0.5) : 0));
        o = jobj(o, "shown", jbool(d->mean.shown));
        o = jobj(o, "reason", why ? jstr(why) : json_null());
        if (!push(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

static json_t *group_choices(struct ctx *c, int *rc, json_t **orgs_out)
{
    struct cohort *cohorts;
    struct org *orgs;
    size_t nc, no;
    int64_t chosen_c = req_field_int(c->req, "cohort", 0);
    int64_t chosen_o = req_field_int(c->req, "organisation", 0);
    json_t *ca, *oa;
    *orgs_out = NULL;
    if ((*rc = account_cohort_list(c->db, c->arena, &cohorts, &nc)) ||
        (*rc = account_org_list(c->db, c->arena, &orgs, &no)))
        return NULL;
    ca = json_array();
    for (size_t i = 0; ca && i < nc; i++) {
        json_t *o = jobj(json_object(), "id", jint(cohorts[i].id));
        o = jobj(o, "name", jstr(cohorts[i].name));
        o = jobj(o, "members", jint(cohorts[i].members));
        o = jobj(o, "selected", jbool(cohorts[i].id == chosen_c));
        if (!push(ca, o)) {
            json_decref(ca);
            ca = NULL;
        }
    }
    oa = json_array();
    for (size_t i = 0; oa && i < no; i++) {
        json_t *o = jobj(json_object(), "id", jint(orgs[i].id));
        o = jobj(o, "name", jstr(orgs[i].name));
        o = jobj(o, "selected", jbool(orgs[i].id == chosen_o));
        if (!push(oa, o)) {
            json_decref(oa);
            oa = NULL;
        }
    }
    if (!ca || !oa) {
        json_decref(ca);
        json_decref(oa);
        *rc = APP_E_NOMEM;
        return NULL;
    }
    *orgs_out = oa;
    return ca;
}

int page_develop_gaps(struct ctx *c)
{
    enum develop_group_kind kind = DGK_COHORT;
    int64_t id = 0;
    const char *name = "";
    bool chosen;
    struct develop_group_gaps g;
    json_t *m, *cohorts, *orgs;
    int rc = chosen_group(c, &kind, &id, &name, &chosen);
    if (rc == APP_E_NOTFOUND) {
        render_error(c, APP_E_NOTFOUND, "There is no such cohort or organisation.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (!(cohorts = group_choices(c, &rc, &orgs)))
        return rc ? rc : APP_E_NOMEM;
    m = jobj(json_object(), "title", json_string_nocheck("Leadership gaps across a group"));
    m = jobj(m, "cohorts", cohorts);
    m = jobj(m, "organisations", orgs);
    m = jobj(m, "threshold", jint((long long)disclosure_threshold(NULL)));
    m = jobj(m, "chosen", jbool(chosen));
    if (chosen) {
        rc = develop_group_gaps(c->db, c->arena, GAPS_FRAMEWORK, kind, id, NULL, &g);
        if (rc) {
            json_decref(m);
            return rc;
        }
        m = jobj(m, "group_kind", jstr(kind == DGK_COHORT ? "cohort" : "organisation"));
        m = jobj(m, "group_id", jint(id));
        m = jobj(m, "group_name", jstr(name));
        m = jobj(m, "framework", jstr(g.fw.title));
        m = jobj(m, "framework_version", jint(g.fw.version));
        m = jobj(m, "scale_max", jint((long long)g.fw.scale.npoints));
        m = jobj(m, "counted", g.counted.shown ? jint((long long)g.counted.value) : json_null());
        m = jobj(m, "counted_text", jstr(count_text(c, &g.counted)));
        m = jobj(m, "older", g.older.shown ? jint((long long)g.older.value) : json_null());
        m = jobj(m, "older_text", jstr(count_text(c, &g.older)));
        m = jobj(m, "has_older", jbool(!g.older.shown || g.older.value > 0));
        m = jobj(m, "csv",
                 jstr(arena_printf(c->arena, "/develop/gaps.csv?%s=%lld",
                                   kind == DGK_COHORT ? "cohort" : "organisation", (long long)id)));
        m = jobj(m, "figures",
                 jstr(g.shown == DGS_NOW    ? "now"
                      : g.shown == DGS_HELD ? "held"
                                            : "withheld"));
        m = jobj(m, "held", jbool(g.shown == DGS_HELD));
        m = jobj(m, "withheld", jbool(g.shown == DGS_WITHHELD));
        m = jobj(m, "figures_date", g.shown == DGS_HELD ? jdate(g.held_at) : json_null());
        m = jobj(m, "domains", domains_json(c, &g));
    }
    return render(c, 200, "develop/gaps", m);
}

int page_develop_gaps_csv(struct ctx *c)
{
    enum develop_group_kind kind = DGK_COHORT;
    int64_t id = 0;
    const char *name = "";
    bool chosen;
    struct develop_group_gaps g;
    struct csv_writer w;
    int rc = chosen_group(c, &kind, &id, &name, &chosen);
    if (!rc && !chosen)
        rc = APP_E_NOTFOUND;
    if (!rc)
        rc = develop_group_gaps(c->db, c->arena, GAPS_FRAMEWORK, kind, id, NULL, &g);
    if (rc)
        return rc;
    buf_reset(&c->resp->body);
    csv_writer_init(&w, &c->resp->body);
    csv_write_cstr(&w, "rank");
    csv_write_cstr(&w, "domain_id");
    csv_write_cstr(&w, "domain");
    csv_write_cstr(&w, "members");
    csv_write_cstr(&w, "mean");
    csv_write_cstr(&w, "percent");
    csv_end_row(&w);
    for (size_t i = 0; i < g.ndomains; i++) {
        const struct develop_gap_domain *d = &g.domains[i];
        csv_write_int(&w, (int64_t)i + 1);
        csv_write_text(&w, d->id);
        csv_write_text(&w, d->title);
        csv_write_cstr(&w, count_text(c, &d->people));
        csv_write_cstr(&w, stat_text(c, &d->mean, 1));
        csv_write_cstr(&w, stat_text(c, &d->percent, 0));
        csv_end_row(&w);
    }
    if (buf_oom(&c->resp->body))
        return APP_E_NOMEM;
    c->resp->status = 200;
    c->resp->content_type = "text/csv; charset=utf-8";
    return resp_header(c, "Content-Disposition", "attachment; filename=\"leadership-gaps.csv\"");
}
