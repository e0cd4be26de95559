/* result_pages.c: a respondent's result beside the baseline, and the benchmarks by profession,
 * region, organisation and band */
#include "app.h"
#include "assess/results.h"
#include "assess/pages.h"
#include "assess/publish.h"
#include "account/account.h"
#include "core/buf.h"
#include "core/arena.h"
#include "core/err.h"
#include "export/csv.h"
#include "export/svg.h"
#include "web/render.h"
#include "text/disclosure.h"

#include <math.h>
#include <string.h>
#include <time.h>

/* ---- a respondent's result ---- */

static const char *group_name(enum assess_dim d, int i, const struct assess_results *res)
{
    switch (d) {
    case AD_PROFESSION:
        return i >= 0 && (size_t)i < professions_count ? professions[i].name : "";
    case AD_REGION:
        return i >= 0 && (size_t)i < regions_count ? regions[i].name : "";
    case AD_ORGANISATION:
        return i >= 0 && (size_t)i < res->norgs ? res->org_names[i] : "";
    case AD_BAND:
        return i >= 0 && (size_t)i < assess_pay_bands_count
                   ? assess_pay_band_name(assess_pay_bands[i])
                   : "";
    default:
        return "";
    }
}

int page_assess_result(struct ctx *c)
{
    struct assess_round r;
    struct assess_instrument ins;
    struct assess_response s;
    const struct assess_results *res = NULL;
    const struct assess_benchmark *bench = NULL;
    struct assess_benchmark member_view;
    struct assess_score *sc, overall;
    struct svg_bar *bars;
    struct buf chart = BUF_INIT;
    int prof;
    bool done, published, prof_shown = false, star = false;
    size_t best = 0, worst = 0, nscored = 0;
    json_t *doms, *m, *o;
    int rc = assess_page_load_respondent(c, &r, &ins, &s, true, &done);
    if (rc || done)
        return rc;
    if (!s.submitted_at) /* a result is shown once the answers are in */
        return resp_redirect(c, arena_printf(c->arena, "/assess/%s/check", r.slug));
    sc = arena_calloc(c->arena, ins.ndomains, sizeof *sc);
    bars = arena_calloc(c->arena, ins.ndomains, sizeof *bars);
    if (!sc || !bars)
        return APP_E_NOMEM;
    assess_score(&ins, s.answers, strlen(s.answers), sc, &overall);
    /* the round's averages only once it has closed: a respondent can add responses, and would
     * otherwise watch their profession's average move with them (publish.c) */
    published = assess_figures_published(&r, (int64_t)time(NULL), assess_page_can_manage(c));
    if (published &&
        (rc = assess_results_shared(c->db, c->app->assess_results, c->arena, r.id, &ins, &res)))
        return rc;
    /* Every figure below, the chart's bar widths included, comes from what this reader may
     * read: members get the rounded view, never the exact means. */
    if (res && !assess_page_can_manage(c)) {
        if ((rc = assess_benchmark_for_members(c->arena, &res->bench, &member_view)))
            return rc;
        bench = &member_view;
    } else if (res) {
        bench = &res->bench;
    }
    prof = published ? assess_group_index(AD_PROFESSION, s.profession) : -1;
    /* On launch day no profession has 8 answers: the chart then leaves the profession's bar
     * out and the page says once why, rather than "suppressed" under every domain. */
    for (size_t d = 0; prof >= 0 && d < ins.ndomains; d++) {
        const struct assess_dist *pd = assess_benchmark_cell(bench, AD_PROFESSION, (size_t)prof, d);
        prof_shown |= pd && pd->mean.shown;
    }
    doms = json_array();
    for (size_t d = 0; doms && d < ins.ndomains; d++) {
        const struct assess_domain *dm = &ins.domains[d];
        const struct assess_dist *pd =
            prof >= 0 ? assess_benchmark_cell(bench, AD_PROFESSION, (size_t)prof, d) : NULL;
        const struct assess_band *band = sc[d].scored ? assess_band_for(&ins, sc[d].percent) : NULL;
        json_t *x = jobj(json_object(), "title", jstr(dm->title));
        x = jobj(x, "scored", jbool(sc[d].scored));
        x = jobj(x, "percent",
                 sc[d].scored   ? assess_page_pct(c->want_json, sc[d].percent, 0)
                 : c->want_json ? json_null()
                                : jstr("Not answered"));
        x = jobj(x, "band", jstr(band ? band->name : ""));
        if (ins.method == AM_LEVELS && sc[d].scored)
            x = jobj(x, "level", jint(sc[d].level));
        if (dm->has_baseline)
            x = jobj(x, "baseline", assess_page_pct(c->want_json, dm->baseline, 0));
        /* the legend of * only where the table shows one: the two columns of averages */
        if (bench && published && bench->domains[d].mean.suppressed)
            star = true;
        if (pd && prof_shown && pd->mean.suppressed)
            star = true;
        if (bench)
            x = jobj(x, "national", assess_page_stat(c->want_json, &bench->domains[d].mean, 0));
        if (pd)
            x = jobj(x, "profession_average", assess_page_stat(c->want_json, &pd->mean, 0));
        if (!x || json_array_append_new(doms, x)) {
            json_decref(doms);
            doms = NULL;
        }
        bars[d].label = dm->title;
        bars[d].value =
            sc[d].scored ? assess_page_shown_value(sc[d].percent) : (struct disclosure_stat){0};
        if (pd && prof_shown) {
            bars[d].has_second = true;
            bars[d].second = pd->mean;
        }
        if (dm->has_baseline) {
            bars[d].has_marker = true;
            bars[d].marker = dm->baseline;
        }
        if (sc[d].scored) {
            if (!nscored || sc[d].percent > sc[best].percent)
                best = d;
            if (!nscored || sc[d].percent < sc[worst].percent)
                worst = d;
            nscored++;
        }
    }
    {
        struct svg_meta meta = {"result-chart", "Your results by domain",
                                "Your percentage in each domain as bars, with your profession's "
                                "average as a thinner bar and the national baseline as a line "
                                "where there is one. The table below gives the values."};
        /* a domain skipped reads as the table says it, not "no responses" */
        struct svg_bar_opts bo = {{100, 0, "%", 0, NULL, "Not answered"},
                                  "You",
                                  "Your profession's average",
                                  "National baseline"};
        rc = svg_bar_chart(&chart, &meta, bars, ins.ndomains, &bo);
    }
    o = jobj(json_object(), "scored", jbool(overall.scored));
    o = jobj(o, "percent", assess_page_pct(c->want_json, overall.percent, 0));
    if (overall.scored && assess_band_for(&ins, overall.percent))
        o = jobj(o, "band", jstr(assess_band_for(&ins, overall.percent)->name));
    if (ins.method == AM_MEAN5)
        o = jobj(o, "mean5", assess_page_pct(c->want_json, overall.mean5, 1));
    m = jobj(json_object(), "title", json_string_nocheck("Your results"));
    m = jobj(m, "round", assess_page_round_json(&r, (int64_t)time(NULL)));
    m = jobj(m, "instrument", assess_page_instrument_summary(&ins));
    m = jobj(m, "overall", o);
    m = jobj(m, "domains", doms);
    m = jobj(m, "profession", jstr(prof >= 0 ? professions[prof].name : ""));
    m = jobj(m, "has_profession", jbool(prof >= 0));
    m = jobj(m, "profession_shown", jbool(prof_shown));
    m = jobj(m, "published", jbool(published));
    if (!c->want_json)
        m = jobj(m, "has_star", jbool(star));
    m = jobj(m, "baseline_source", jstr(ins.baseline_source));
    m = jobj(m, "submitted", jdate(s.submitted_at));
    if (nscored > 1) {
        m = jobj(m, "strongest", jstr(ins.domains[best].title));
        m = jobj(m, "weakest", jstr(ins.domains[worst].title));
    }
    if (!c->want_json)
        m = jobj(m, "chart", assess_page_svg_text(&chart, rc));
    else
        buf_free(&chart);
    return render(c, 200, "assess/result", m);
}

/* ---- benchmarks ---- */

/* "Profession", "Pay band": a dimension as a page names it. */
static const char *dim_label(enum assess_dim d)
{
    static const char *const labels[AD_NDIMS] = {"Profession", "Region", "Organisation",
                                                 "Pay band"};
    return (unsigned)d < AD_NDIMS ? labels[d] : "";
}

static enum assess_dim dim_param(struct ctx *c)
{
    const char *by = req_field(c->req, "by");
    for (int d = 0; by && d < AD_NDIMS; d++)
        if (!strcmp(by, assess_dim_name((enum assess_dim)d)))
            return (enum assess_dim)d;
    return AD_PROFESSION;
}

static json_t *dist_json(bool api, const struct assess_dist *x, bool baseline)
{
    json_t *o = jobj(json_object(), "count", assess_page_count(api, &x->count));
    o = jobj(o, "mean", assess_page_stat(api, &x->mean, 0));
    o = jobj(o, "median", assess_page_stat(api, &x->median, 0));
    o = jobj(o, "q1", assess_page_stat(api, &x->q1, 0));
    o = jobj(o, "q3", assess_page_stat(api, &x->q3, 0));
    if (baseline)
        o = jobj(o, "vs_baseline", assess_page_stat(api, &x->vs_baseline, 0));
    return assess_page_withheld(api, o, &x->count);
}

/* One dimension's table: a row per group with its count, each domain's mean and overall. */
static json_t *breakdown_json(bool api, const struct assess_instrument *ins,
                              const struct assess_results *res, enum assess_dim d)
{
    const struct assess_breakdown *bd = &res->bench.dims[d];
    json_t *rows = json_array();
    for (size_t g = 0; rows && g < bd->ngroups; g++) {
        const struct assess_group_stats *gs = &bd->groups[g];
        json_t *cells = json_array(), *row;
        for (size_t k = 0; cells && k < ins->ndomains; k++) {
            json_t *cell = dist_json(api, &gs->domains[k], ins->domains[k].has_baseline);
            if (!cell || json_array_append_new(cells, cell)) {
                json_decref(cells);
                cells = NULL;
            }
        }
        row = jobj(json_object(), "group", jstr(group_name(d, (int)g, res)));
        row = jobj(row, "count", assess_page_count(api, &gs->count));
        row = assess_page_withheld(api, row, &gs->count);
        row = jobj(row, "domains", cells);
        row = jobj(row, "overall", dist_json(api, &gs->overall, false));
        if (!row || json_array_append_new(rows, row)) {
            json_decref(rows);
            rows = NULL;
        }
    }
    return rows;
}

static json_t *heatmap_svg(struct ctx *c, const struct assess_instrument *ins,
                           const struct assess_results *res, enum assess_dim d)
{
    const struct assess_breakdown *bd = &res->bench.dims[d];
    const char **rows = arena_calloc(c->arena, bd->ngroups + 1, sizeof *rows);
    const char **cols = arena_calloc(c->arena, ins->ndomains + 1, sizeof *cols);
    struct disclosure_stat *cells =
        arena_calloc(c->arena, bd->ngroups * ins->ndomains + 1, sizeof *cells);
    struct buf b = BUF_INIT;
    struct svg_scale scale = {100, 0, "%", 0, NULL, NULL};
    const char *title =
        arena_printf(c->arena, "Mean percentage by %s and domain", assess_dim_name(d));
    struct svg_meta meta = {"heatmap", title,
                            "A grid with a row per group and a column per domain; darker cells "
                            "have higher means. Cells marked * are suppressed because they "
                            "describe " DISCLOSURE_HIDDEN_UP_TO
                            " people or fewer. The table below gives the values."};
    if (!rows || !cols || !cells)
        return NULL;
    for (size_t k = 0; k < ins->ndomains; k++)
        cols[k] = ins->domains[k].title;
    for (size_t g = 0; g < bd->ngroups; g++) {
        rows[g] = group_name(d, (int)g, res);
        for (size_t k = 0; k < ins->ndomains; k++)
            cells[g * ins->ndomains + k] = bd->groups[g].domains[k].mean;
    }
    return assess_page_svg_text(
        &b, svg_heatmap(&b, &meta, bd->ngroups, ins->ndomains, rows, cols, cells, &scale));
}

static json_t *national_json(struct ctx *c, const struct assess_instrument *ins,
                             const struct assess_results *res, json_t **chart)
{
    json_t *rows = json_array();
    struct svg_bar *bars = arena_calloc(c->arena, ins->ndomains + 1, sizeof *bars);
    struct buf b = BUF_INIT;
    bool any_baseline = false;
    if (!bars) {
        json_decref(rows);
        return NULL;
    }
    for (size_t k = 0; rows && k < ins->ndomains; k++) {
        const struct assess_domain *dm = &ins->domains[k];
        json_t *x = dist_json(c->want_json, &res->bench.domains[k], dm->has_baseline);
        x = jobj(x, "title", jstr(dm->title));
        if (dm->has_baseline)
            x = jobj(x, "baseline", assess_page_pct(c->want_json, dm->baseline, 0));
        if (!x || json_array_append_new(rows, x)) {
            json_decref(rows);
            rows = NULL;
        }
        bars[k].label = dm->title;
        bars[k].value = res->bench.domains[k].mean;
        bars[k].has_marker = dm->has_baseline;
        bars[k].marker = dm->baseline;
        any_baseline |= dm->has_baseline;
    }
    {
        struct svg_meta meta = {"national-chart", "Mean percentage by domain",
                                "The mean percentage of every respondent in each domain as a "
                                "bar, with the national baseline as a line where there is one. "
                                "The table below gives the values."};
        struct svg_bar_opts bo = {{100, 0, "%", 0, NULL, NULL},
                                  "This round",
                                  NULL,
                                  any_baseline ? "National baseline" : NULL};
        *chart = assess_page_svg_text(&b, svg_bar_chart(&b, &meta, bars, ins->ndomains, &bo));
    }
    return rows;
}

/* When a round took place, for putting two in order: when it opened, or was made. */
static int64_t round_time(const struct assess_round *r)
{
    return r->opens_at ? r->opens_at : r->created_at;
}

/* One row of a change: the earlier and the later figure and the change between them, which
 * is shown only where both are. The page gets "+3" and "–", the API numbers and null. */
static json_t *change_row(struct ctx *c, bool api, json_t *x, const struct disclosure_stat *from,
                          const struct disclosure_stat *to)
{
    bool both = from && to && from->shown && to->shown;
    x = jobj(x, "from", from ? assess_page_stat(api, from, 0) : api ? json_null() : jstr("–"));
    x = jobj(x, "to", to ? assess_page_stat(api, to, 0) : api ? json_null() : jstr("–"));
    if (api)
        return jobj(x, "change",
                    both ? json_real(round(to->value) - round(from->value)) : json_null());
    return jobj(x, "change",
                both ? jstr(arena_printf(c->arena, "%+.0f", round(to->value) - round(from->value)))
                     : jstr("–"));
}

/* Change between this round and another of the same instrument: per domain for everyone,
 * and overall per group of the chosen dimension, always from the earlier round to the later
 * one, whichever of the two the reader started from. Both sides are published values, so a
 * change is shown only where both are; a member reads both as members may (rounded means),
 * or the change would carry the other round's exact mean that its own page rounds. */
static json_t *compare_json(struct ctx *c, bool api, const struct assess_round *this_round,
                            const struct assess_instrument *ins, const struct assess_results *now,
                            const struct assess_round *other, enum assess_dim d)
{
    struct assess_instrument oins;
    const struct assess_results *oldp;
    struct assess_results oview;
    bool other_later = round_time(other) > round_time(this_round);
    json_t *doms = json_array(), *groups = json_array(), *m;
    if (assess_version_load(c->db, c->app->assess_versions, c->arena, other->instrument_id,
                            &oins) ||
        assess_results_shared(c->db, c->app->assess_results, c->arena, other->id, &oins, &oldp)) {
        json_decref(doms);
        json_decref(groups);
        return NULL;
    }
    if (!assess_page_can_manage(c)) {
        oview = *oldp;
        if (assess_benchmark_for_members(c->arena, &oldp->bench, &oview.bench)) {
            json_decref(doms);
            json_decref(groups);
            return NULL;
        }
        oldp = &oview;
    }
    for (size_t k = 0; doms && k < ins->ndomains; k++) {
        const struct disclosure_stat *pa = &now->bench.domains[k].mean, *pb = NULL;
        json_t *x = jobj(json_object(), "title", jstr(ins->domains[k].title));
        /* domains are matched by id: a later version may add, drop or reorder them */
        for (size_t j = 0; j < oins.ndomains; j++)
            if (!strcmp(oins.domains[j].id, ins->domains[k].id))
                pb = &oldp->bench.domains[j].mean;
        x = jobj(x, "id", jstr(ins->domains[k].id));
        x = other_later ? change_row(c, api, x, pa, pb) : change_row(c, api, x, pb, pa);
        if (!x || json_array_append_new(doms, x)) {
            json_decref(doms);
            doms = NULL;
        }
    }
    if (d != AD_ORGANISATION) { /* organisations are matched by index only within a round */
        const struct assess_breakdown *a = &now->bench.dims[d], *b = &oldp->bench.dims[d];
        for (size_t g = 0; groups && g < a->ngroups && g < b->ngroups; g++) {
            const struct disclosure_stat *x1 = &a->groups[g].overall.mean;
            const struct disclosure_stat *x0 = &b->groups[g].overall.mean;
            json_t *x = jobj(json_object(), "group", jstr(group_name(d, (int)g, now)));
            x = other_later ? change_row(c, api, x, x1, x0) : change_row(c, api, x, x0, x1);
            if (!x || json_array_append_new(groups, x)) {
                json_decref(groups);
                groups = NULL;
            }
        }
    }
    m = jobj(json_object(), "title", jstr(other->title));
    m = jobj(m, "slug", jstr(other->slug));
    m = jobj(m, "other_is_later", jbool(other_later));
    m = jobj(m, "from_title", jstr(other_later ? this_round->title : other->title));
    m = jobj(m, "to_title", jstr(other_later ? other->title : this_round->title));
    m = jobj(m, "domains", doms);
    return jobj(m, "groups", groups);
}

/* Respondents by profession and region, and (domain chosen) the mean of each cell: the
 * table the benchmark computes for every domain. Rows with no respondents are left out. A
 * row's total is the profession's count in the breakdown by profession (the same audited
 * figure), so those who gave no region have a column of their own when there are any. */
static json_t *cross_json(bool api, const struct assess_results *res, size_t domain,
                          bool with_means)
{
    const struct assess_benchmark *b = &res->bench;
    json_t *rows = json_array(), *regs = json_array();
    bool no_region = false;
    for (size_t r = 0; regs && r < b->nreg && r < regions_count; r++)
        json_array_append_new(regs, jstr(regions[r].name));
    for (size_t p = 0; rows && p < b->nprof && p < professions_count; p++) {
        const struct disclosure_cell *nr = &b->cross_no_region[p];
        json_t *cells = json_array(), *row;
        bool any = !nr->shown || nr->value > 0;
        no_region |= any;
        for (size_t r = 0; cells && r < b->nreg; r++) {
            const struct disclosure_cell *cc = &b->cross_counts[p * b->nreg + r];
            json_t *cell = jobj(json_object(), "count", assess_page_count(api, cc));
            any |= !cc->shown || cc->value > 0;
            if (with_means)
                cell = jobj(cell, "mean",
                            assess_page_stat(
                                api, &b->cross_means[(p * b->nreg + r) * b->ndomains + domain], 0));
            json_array_append_new(cells, cell);
        }
        if (!any) {
            json_decref(cells);
            continue;
        }
        row = jobj(json_object(), "profession", jstr(professions[p].name));
        row = jobj(row, "cells", cells);
        row = jobj(row, "no_region", assess_page_count(api, nr));
        row = jobj(row, "total", assess_page_count(api, &b->cross_prof_totals[p]));
        if (!row || json_array_append_new(rows, row)) {
            json_decref(rows);
            rows = NULL;
        }
    }
    return jobj(jobj(jobj(jobj(json_object(), "regions", regs), "rows", rows), "any_no_region",
                     json_boolean(no_region)),
                "total", assess_page_count(api, &b->cross_total));
}

int page_assess_benchmarks(struct ctx *c)
{
    struct assess_round r, *all = NULL;
    struct assess_instrument ins;
    const struct assess_results *res, *pub;
    struct assess_results view;
    enum assess_dim d = dim_param(c);
    const char *cmp = req_field(c->req, "compare"), *key = NULL;
    size_t nall = 0;
    int64_t now = (int64_t)time(NULL);
    json_t *m, *dims, *others, *chart = NULL, *cols;
    int rc = assess_page_load_round(c, &r, &ins);
    if (rc)
        return rc;
    if (!assess_figures_published(&r, now, assess_page_can_manage(c))) {
        /* nothing from the responses, not even their number, until the round closes */
        m = jobj(json_object(), "title", jstr(arena_printf(c->arena, "Benchmarks: %s", r.title)));
        m = jobj(m, "round", assess_page_round_json(&r, now));
        m = jobj(m, "instrument", assess_page_instrument_summary(&ins));
        return render(c, 200, "assess/benchmarks", jobj(m, "withheld", jbool(1)));
    }
    if (d == AD_ORGANISATION && !assess_page_can_manage(c))
        d = AD_PROFESSION; /* members see national figures and their own, not trusts' */
    if ((rc = assess_results_shared(c->db, c->app->assess_results, c->arena, r.id, &ins, &res)) ||
        (rc = assess_round_list(c->db, c->arena, &all, &nall)))
        return rc;
    /* The page's body is the same for everyone who sees this state of the round the same way
     * (grouping, domain, role; the rounds there are to compare with): it is rendered once and
     * kept with the shared results. A comparison reads another round too, so it is not kept. */
    if (!c->want_json && !(cmp && *cmp)) {
        const char *text;
        size_t len = 0, shown = 0; /* the rounds offered for comparison: more once one closes */
        for (size_t i = 0; i < nall; i++)
            shown += assess_figures_published(&all[i], now, assess_page_can_manage(c));
        key =
            arena_printf(c->arena, "benchmarks by=%d domain=%lld manage=%d rounds=%zu/%lld/%zu",
                         (int)d, (long long)req_field_int(c->req, "domain", 0),
                         assess_page_can_manage(c), nall, nall ? (long long)all[0].id : 0LL, shown);
        if (key && (text = assess_results_fragment(res, key, &len)))
            return render_with_body(c, 200, arena_printf(c->arena, "Benchmarks: %s", r.title), text,
                                    len);
    }
    /* medians and quartiles are respondents' own scores: for those who run rounds only (made
     * after the kept page is looked up, which needs none of it) */
    pub = res;
    if (!assess_page_can_manage(c)) {
        view = *res;
        if ((rc = assess_benchmark_for_members(c->arena, &res->bench, &view.bench)))
            return rc;
        pub = &view;
    }
    dims = json_array();
    for (int k = 0; dims && k < AD_NDIMS; k++) {
        json_t *o;
        if (k == AD_ORGANISATION && !assess_page_can_manage(c))
            continue;
        o = jobj(json_object(), "value", jstr(assess_dim_name((enum assess_dim)k)));
        o = jobj(o, "label", jstr(dim_label((enum assess_dim)k)));
        o = jobj(o, "selected", jbool(k == (int)d));
        if (!o || json_array_append_new(dims, o)) {
            json_decref(dims);
            dims = NULL;
        }
    }
    cols = json_array();
    for (size_t k = 0; cols && k < ins.ndomains; k++)
        if (json_array_append_new(cols,
                                  jobj(jobj(json_object(), "title", jstr(ins.domains[k].title)),
                                       "has_baseline", jbool(ins.domains[k].has_baseline)))) {
            json_decref(cols);
            cols = NULL;
        }
    m = jobj(json_object(), "title", jstr(arena_printf(c->arena, "Benchmarks: %s", r.title)));
    m = jobj(m, "round", assess_page_round_json(&r, (int64_t)time(NULL)));
    m = jobj(m, "instrument", assess_page_instrument_summary(&ins));
    m = jobj(m, "baseline_source", jstr(ins.baseline_source));
    m = jobj(m, "responses", assess_page_count(c->want_json, &pub->bench.responses));
    m = jobj(m, "national", national_json(c, &ins, pub, &chart));
    m = jobj(m, "overall", dist_json(c->want_json, &pub->bench.overall, false));
    m = jobj(m, "by", jstr(assess_dim_name(d)));
    m = jobj(m, "by_label", jstr(dim_label(d)));
    m = jobj(m, "by_text", jstr(d == AD_BAND ? "pay band" : assess_dim_name(d)));
    m = jobj(m, "responses_hidden", jbool(!pub->bench.responses.shown));
    m = jobj(m, "dimensions", dims);
    m = jobj(m, "columns", cols);
    m = jobj(m, "groups", breakdown_json(c->want_json, &ins, pub, d));
    if (d == AD_ORGANISATION) {
        /* more organisations than the benchmark audits together (results.h): no breakdown */
        struct disclosure_cell n = {.value = res->orgs_withheld, .shown = true};
        char text[DISCLOSURE_TEXT_MAX];
        m = jobj(m, "organisations_withheld", jint((long long)res->orgs_withheld));
        if (!disclosure_format(&n, text, sizeof text))
            m = jobj(m, "organisations_withheld_text", jstr(text));
    }
    {
        /* the profession × region table, with one domain's means when one is asked for */
        int64_t dom = req_field_int(c->req, "domain", 0);
        bool means = dom >= 1 && (size_t)dom <= ins.ndomains;
        json_t *doms = json_array();
        for (size_t k = 0; doms && k < ins.ndomains; k++)
            json_array_append_new(doms, jobj(jobj(json_object(), "number", jint((long long)k + 1)),
                                             "title", jstr(ins.domains[k].title)));
        for (size_t k = 0; means && k < json_array_size(doms); k++)
            json_object_set_new(json_array_get(doms, k), "selected",
                                json_boolean((int64_t)k + 1 == dom));
        m = jobj(m, "cross", cross_json(c->want_json, pub, means ? (size_t)dom - 1 : 0, means));
        m = jobj(m, "cross_domains", doms);
        if (means)
            m = jobj(m, "cross_domain", jstr(ins.domains[dom - 1].title));
    }
    m = jobj(m, "can_manage", jbool(assess_page_can_manage(c)));
    m = jobj(m, "quantiles", jbool(pub == res));
    /* other rounds of the same instrument, for the change between rounds */
    others = json_array();
    for (size_t i = 0; others && i < nall; i++) {
        json_t *o;
        if (all[i].id == r.id || strcmp(all[i].instrument_code, r.instrument_code) ||
            !assess_figures_published(&all[i], now, assess_page_can_manage(c)))
            continue;
        o = jobj(json_object(), "slug", jstr(all[i].slug));
        o = jobj(o, "title", jstr(all[i].title));
        o = jobj(o, "selected", jbool(cmp && !strcmp(cmp, all[i].slug)));
        if (!o || json_array_append_new(others, o)) {
            json_decref(others);
            others = NULL;
        }
        if (cmp && !strcmp(cmp, all[i].slug))
            m = jobj(m, "compare", compare_json(c, c->want_json, &r, &ins, pub, &all[i], d));
    }
    m = jobj(m, "other_rounds", others);
    m = jobj(m, "has_other_rounds", jbool(others && json_array_size(others) > 0));
    if (!c->want_json) {
        m = jobj(m, "chart", chart);
        m = jobj(m, "heatmap", heatmap_svg(c, &ins, pub, d));
    } else {
        json_decref(chart);
    }
    if (key) {
        struct buf body = BUF_INIT;
        rc = render_body(c, "assess/benchmarks", m, &body);
        if (!rc) {
            assess_results_keep(res, key, body.data, body.len);
            rc = render_with_body(c, 200, arena_printf(c->arena, "Benchmarks: %s", r.title),
                                  body.data, body.len);
        }
        buf_free(&body);
        return rc;
    }
    return render(c, 200, "assess/benchmarks", m);
}

/* A JSON number as a CSV cell with decimals; empty for null (not published). */
static void csv_number(struct csv_writer *w, const json_t *v, int decimals)
{
    char t[32];
    if (!json_is_number(v)) {
        csv_write_cstr(w, "");
        return;
    }
    snprintf(t, sizeof t, "%.*f", decimals, json_number_value(v));
    csv_write_cstr(w, t);
}

static void change_csv_rows(struct csv_writer *w, const json_t *cmp, const char *key,
                            const char *grouping, const char *domain)
{
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(cmp, key), i, x)
    {
        const char *group = json_string_value(json_object_get(x, "group"));
        const char *title = json_string_value(json_object_get(x, "title"));
        csv_write_text(w, grouping);
        csv_write_text(w, group ? group : "All respondents");
        csv_write_text(w, title ? title : domain);
        csv_write_text(w, json_string_value(json_object_get(cmp, "from_title")));
        csv_write_text(w, json_string_value(json_object_get(cmp, "to_title")));
        csv_number(w, json_object_get(x, "from"), 0);
        csv_number(w, json_object_get(x, "to"), 0);
        csv_number(w, json_object_get(x, "change"), 0);
        csv_end_row(w);
    }
}

int assess_page_change_csv(struct ctx *c, const struct assess_round *r,
                           const struct assess_instrument *ins, struct buf *out)
{
    static const char *const heads[] = {"grouping",      "group",       "domain",
                                        "earlier round", "later round", "mean, earlier",
                                        "mean, later",   "change"};
    const char *cmp = req_field(c->req, "compare");
    enum assess_dim d = dim_param(c);
    struct assess_round *all = NULL, *other = NULL;
    const struct assess_results *res, *pub;
    struct assess_results view;
    struct csv_writer w;
    size_t nall = 0;
    int64_t now = (int64_t)time(NULL);
    json_t *m;
    int rc;
    if (d == AD_ORGANISATION && !assess_page_can_manage(c))
        d = AD_PROFESSION;
    if ((rc = assess_results_shared(c->db, c->app->assess_results, c->arena, r->id, ins, &res)) ||
        (rc = assess_round_list(c->db, c->arena, &all, &nall)))
        return rc;
    for (size_t i = 0; cmp && i < nall; i++)
        if (all[i].id != r->id && !strcmp(all[i].slug, cmp) &&
            !strcmp(all[i].instrument_code, r->instrument_code) &&
            assess_figures_published(&all[i], now, assess_page_can_manage(c)))
            other = &all[i];
    if (!other)
        return APP_E_NOTFOUND;
    pub = res;
    if (!assess_page_can_manage(c)) {
        view = *res;
        if ((rc = assess_benchmark_for_members(c->arena, &res->bench, &view.bench)))
            return rc;
        pub = &view;
    }
    if (!(m = compare_json(c, true, r, ins, pub, other, d)))
        return APP_E_NOMEM;
    csv_writer_init(&w, out);
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++)
        csv_write_cstr(&w, heads[i]);
    csv_end_row(&w);
    change_csv_rows(&w, m, "domains", "Everyone", NULL);
    change_csv_rows(&w, m, "groups", dim_label(d), "Overall");
    json_decref(m);
    return buf_oom(out) ? APP_E_NOMEM : APP_OK;
}
