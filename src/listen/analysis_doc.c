/* analysis_doc.c: an analysis run's result between its stored JSON document and its structs
 *
 * The document is what listen_analysis_runs.result holds, written by every version of the
 * worker since runs were stored; the reader therefore takes fields as optional (older runs
 * lack the ones added since) but refuses a field of the wrong type, so a damaged document is
 * an error, never a half-read result. The writer puts the fields in the order the worker
 * has always produced them, which makes json(parse(stored)) give back the stored text.
 */
#include "listen/analysis.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "text/disclosure.h"

#include <string.h>

static const char *const audience_keys[LISTEN_AUDIENCES] = {"citizen", "ahp", "staff", "not_said"};

/* ---- reading ---------------------------------------------------------------------------- */

/* *out = the string at key, NULL when absent. */
static int get_str(struct arena *a, const json_t *o, const char *key, const char **out)
{
    const json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v)
        return APP_OK;
    if (!json_is_string(v))
        return APP_E_INVALID;
    *out = arena_strndup(a, json_string_value(v), json_string_length(v));
    return *out ? APP_OK : APP_E_NOMEM;
}

static int get_int(const json_t *o, const char *key, int64_t *out)
{
    const json_t *v = json_object_get(o, key);
    *out = 0;
    if (!v)
        return APP_OK;
    if (!json_is_integer(v))
        return APP_E_INVALID;
    *out = (int64_t)json_integer_value(v);
    return APP_OK;
}

static int get_real(const json_t *o, const char *key, double *out)
{
    const json_t *v = json_object_get(o, key);
    *out = 0;
    if (!v)
        return APP_OK;
    if (!json_is_number(v))
        return APP_E_INVALID;
    *out = json_number_value(v);
    return APP_OK;
}

static int get_bool(const json_t *o, const char *key, bool *out)
{
    const json_t *v = json_object_get(o, key);
    *out = false;
    if (!v)
        return APP_OK;
    if (!json_is_boolean(v))
        return APP_E_INVALID;
    *out = json_is_true(v);
    return APP_OK;
}

int listen_strs_parse(struct arena *a, const json_t *v, struct listen_strs *out)
{
    size_t i;
    const json_t *e;
    out->v = NULL;
    out->n = 0;
    if (!json_is_array(v))
        return APP_E_INVALID;
    /* one more than needed, so that an empty list is a valid pointer, not absent */
    if (!(out->v = arena_calloc(a, json_array_size(v) + 1, sizeof *out->v)))
        return APP_E_NOMEM;
    json_array_foreach(v, i, e)
    {
        if (!json_is_string(e))
            return APP_E_INVALID;
        if (!(out->v[i] = arena_strndup(a, json_string_value(e), json_string_length(e))))
            return APP_E_NOMEM;
    }
    out->n = json_array_size(v);
    return APP_OK;
}

static int get_strs(struct arena *a, const json_t *o, const char *key, struct listen_strs *out)
{
    const json_t *v = json_object_get(o, key);
    out->v = NULL;
    out->n = 0;
    return v ? listen_strs_parse(a, v, out) : APP_OK;
}

/* An array of n items of size bytes, zeroed (at least one, so that empty is not absent). */
static void *items(struct arena *a, size_t n, size_t size)
{
    return arena_calloc(a, n ? n : 1, size);
}

/* [id, audience, agree, disagree, pass] as older runs stored it, or the same with the
 * member's weight for the theme as a sixth item (a number, 0 included). */
static int member_parse(const json_t *v, struct listen_member *m)
{
    int64_t f[5];
    size_t n = json_array_size(v);
    if (!json_is_array(v) || (n != 5 && n != 6))
        return APP_E_INVALID;
    for (size_t i = 0; i < 5; i++) {
        const json_t *e = json_array_get(v, i);
        if (!json_is_integer(e))
            return APP_E_INVALID;
        f[i] = (int64_t)json_integer_value(e);
    }
    m->id = f[0];
    m->audience = f[1];
    m->agree = f[2];
    m->disagree = f[3];
    m->pass = f[4];
    m->weight = -1;
    if (n == 6) {
        const json_t *w = json_array_get(v, 5);
        if (!json_is_number(w) || json_number_value(w) < 0)
            return APP_E_INVALID;
        m->weight = json_number_value(w);
    }
    return APP_OK;
}

static int theme_parse(struct arena *a, const json_t *o, struct listen_theme *t)
{
    const json_t *v, *e;
    size_t i;
    int rc;
    if (!json_is_object(o))
        return APP_E_INVALID;
    if ((rc = get_str(a, o, "label", &t->label)) || (rc = get_strs(a, o, "terms", &t->terms)) ||
        (rc = get_real(o, "coherence", &t->coherence)) ||
        (rc = get_strs(a, o, "representatives", &t->representatives)) ||
        (rc = get_str(a, o, "terms_text", &t->terms_text)) ||
        (rc = get_strs(a, o, "key", &t->key)) ||
        (rc = get_str(a, o, "agree_percent", &t->agree_percent)) ||
        (rc = get_bool(o, "agree_hidden", &t->agree_hidden)) ||
        (rc = get_str(a, o, "votes", &t->votes)) ||
        (rc = get_strs(a, o, "quotes_citizens", &t->quotes_citizens)) ||
        (rc = get_strs(a, o, "quotes_professionals", &t->quotes_professionals)) ||
        (rc = get_str(a, o, "split_from", &t->split_from)))
        return rc;
    if (!t->label)
        return APP_E_INVALID;
    /* The size is a published count; a document from before the disclosure rule was applied
     * to theme sizes would hold a number, which is not read as one. */
    if ((rc = get_str(a, o, "size", &t->size)))
        return rc;
    if ((v = json_object_get(o, "representative_ids"))) {
        if (!json_is_array(v))
            return APP_E_INVALID;
        if (!(t->representative_ids = items(a, json_array_size(v), sizeof(int64_t))))
            return APP_E_NOMEM;
        json_array_foreach(v, i, e)
        {
            if (!json_is_integer(e))
                return APP_E_INVALID;
            t->representative_ids[i] = (int64_t)json_integer_value(e);
        }
        t->nrepresentative_ids = json_array_size(v);
    }
    if ((v = json_object_get(o, "members"))) {
        if (!json_is_array(v))
            return APP_E_INVALID;
        if (!(t->members = items(a, json_array_size(v), sizeof *t->members)))
            return APP_E_NOMEM;
        json_array_foreach(v, i, e)
        {
            if ((rc = member_parse(e, &t->members[i])))
                return rc;
        }
        t->nmembers = json_array_size(v);
    }
    if (json_object_get(o, "edited")) {
        t->curated = true;
        if ((rc = get_bool(o, "edited", &t->edited)) || (rc = get_bool(o, "hidden", &t->hidden)) ||
            (rc = get_bool(o, "split_requested", &t->split_requested)) ||
            (rc = get_str(a, o, "computed_label", &t->computed_label)) ||
            (rc = get_str(a, o, "merged_into", &t->merged_into)))
            return rc;
        if ((v = json_object_get(o, "pinned"))) {
            if (!json_is_array(v))
                return APP_E_INVALID;
            if (!(t->pinned = items(a, json_array_size(v), sizeof *t->pinned)))
                return APP_E_NOMEM;
            json_array_foreach(v, i, e)
            {
                int64_t id = 0;
                if (!json_is_object(e) || (rc = get_int(e, "id", &id)) ||
                    (rc = get_str(a, e, "text", &t->pinned[i].text)))
                    return rc ? rc : APP_E_INVALID;
                if (!t->pinned[i].text)
                    return APP_E_INVALID;
                t->pinned[i].id = id;
            }
            t->npinned = json_array_size(v);
        }
    }
    if ((v = json_object_get(o, "by_audience"))) {
        if (!json_is_object(v))
            return APP_E_INVALID;
        for (int k = 0; k < LISTEN_AUDIENCES; k++)
            if ((rc = get_str(a, v, audience_keys[k], &t->by_audience[k])))
                return rc;
    }
    return APP_OK;
}

static int group_parse(struct arena *a, const json_t *o, struct listen_opinion_group *g)
{
    const json_t *v, *e;
    int64_t number;
    size_t i;
    int rc;
    if (!json_is_object(o))
        return APP_E_INVALID;
    if ((rc = get_int(o, "number", &number)) || (rc = get_str(a, o, "size", &g->size)))
        return rc;
    if (number < 0 || number > 1000)
        return APP_E_INVALID;
    g->number = (int)number;
    v = json_object_get(o, "statements");
    if (!json_is_array(v))
        return APP_E_INVALID;
    if (!(g->statements = items(a, json_array_size(v), sizeof *g->statements)))
        return APP_E_NOMEM;
    json_array_foreach(v, i, e)
    {
        struct listen_opinion_statement *s = &g->statements[i];
        const char *dir;
        int64_t percent;
        if (!json_is_object(e))
            return APP_E_INVALID;
        if ((rc = get_str(a, e, "text", &s->text)) || (rc = get_str(a, e, "direction", &dir)) ||
            (rc = get_int(e, "percent", &percent)))
            return rc;
        if (!s->text || !dir || (strcmp(dir, "agree") && strcmp(dir, "disagree")) || percent < 0 ||
            percent > 100)
            return APP_E_INVALID;
        s->agree = !strcmp(dir, "agree");
        s->percent = (int)percent;
        /* absent from runs made before it was kept; null when suppressed */
        s->percent_rest = -1;
        if (json_object_get(e, "percent_rest_reason") &&
            !json_is_string(json_object_get(e, "percent_rest_reason")))
            return APP_E_INVALID;
        if (json_object_get(e, "percent_rest") &&
            !json_is_null(json_object_get(e, "percent_rest"))) {
            int64_t rest;
            if ((rc = get_int(e, "percent_rest", &rest)))
                return rc;
            if (rest < 0 || rest > 100)
                return APP_E_INVALID;
            s->percent_rest = (int)rest;
        }
    }
    g->nstatements = json_array_size(v);
    return APP_OK;
}

static int opinion_parse(struct arena *a, const json_t *o, struct listen_opinion *op)
{
    const json_t *v, *e;
    size_t i;
    int rc;
    if (!json_is_object(o))
        return APP_E_INVALID;
    if ((rc = get_str(a, o, "participants", &op->participants)) ||
        (rc = get_strs(a, o, "consensus", &op->consensus)) ||
        (rc = get_bool(o, "has_groups", &op->has_groups)))
        return rc;
    if ((v = json_object_get(o, "carry"))) {
        int64_t k = 0, ck = 0, cr = 0;
        if (!json_is_object(v) || (rc = get_int(v, "k", &k)) ||
            (rc = get_int(v, "candidate_k", &ck)) || (rc = get_int(v, "candidate_runs", &cr)))
            return rc ? rc : APP_E_INVALID;
        if (k < 0 || ck < 0 || cr < 0 || k > 64 || ck > 64 || cr > 1000)
            return APP_E_INVALID;
        op->has_carry = true;
        op->carry_k = (uint32_t)k;
        op->carry_cand_k = (uint32_t)ck;
        op->carry_cand_runs = (uint32_t)cr;
    }
    if ((v = json_object_get(o, "groups"))) {
        if (!json_is_array(v))
            return APP_E_INVALID;
        if (!(op->groups = items(a, json_array_size(v), sizeof *op->groups)))
            return APP_E_NOMEM;
        json_array_foreach(v, i, e)
        {
            if ((rc = group_parse(a, e, &op->groups[i])))
                return rc;
        }
        op->ngroups = json_array_size(v);
    }
    if ((v = json_object_get(o, "map"))) {
        if (!json_is_array(v))
            return APP_E_INVALID;
        if (!(op->map = items(a, json_array_size(v), sizeof *op->map)))
            return APP_E_NOMEM;
        json_array_foreach(v, i, e)
        {
            const json_t *x = json_array_get(e, 0), *y = json_array_get(e, 1),
                         *g = json_array_get(e, 2);
            if (!json_is_array(e) || json_array_size(e) != 3 || !json_is_number(x) ||
                !json_is_number(y) || !json_is_integer(g) || json_integer_value(g) < 0 ||
                json_integer_value(g) > 1000)
                return APP_E_INVALID;
            op->map[i].x = json_number_value(x);
            op->map[i].y = json_number_value(y);
            op->map[i].group = (int)json_integer_value(g);
        }
        op->nmap = json_array_size(v);
    }
    return APP_OK;
}

int listen_analysis_parse_json(struct arena *a, const json_t *doc, struct listen_analysis *out)
{
    const json_t *themes, *v, *e;
    size_t i;
    int rc = APP_E_INVALID;
    memset(out, 0, sizeof *out);
    themes = json_object_get(doc, "themes");
    if (!json_is_object(doc) || !json_is_array(themes))
        goto done;
    if ((rc = get_int(doc, "documents", &out->documents)) || (rc = get_int(doc, "k", &out->k)) ||
        (rc = get_int(doc, "terms", &out->terms)) ||
        (rc = get_real(doc, "coherence", &out->coherence)) ||
        (rc = get_real(doc, "reconstruction_error", &out->reconstruction_error)) ||
        (rc = get_str(a, doc, "contributions", &out->contributions)) ||
        (rc = get_str(a, doc, "language", &out->language)))
        goto done;
    if (!(out->themes = items(a, json_array_size(themes), sizeof *out->themes))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    json_array_foreach(themes, i, e)
    {
        if ((rc = theme_parse(a, e, &out->themes[i])))
            goto done;
    }
    out->nthemes = json_array_size(themes);
    if ((v = json_object_get(doc, "opinion"))) {
        if (!(out->opinion = arena_calloc(a, 1, sizeof *out->opinion))) {
            rc = APP_E_NOMEM;
            goto done;
        }
        if ((rc = opinion_parse(a, v, out->opinion)))
            goto done;
    }
    rc = APP_OK;
done:
    if (rc)
        memset(out, 0, sizeof *out);
    return rc;
}

int listen_analysis_parse(struct arena *a, const char *text, size_t len,
                          struct listen_analysis *out)
{
    json_error_t err;
    json_t *doc = json_loadb(text, len, 0, &err);
    int rc;
    memset(out, 0, sizeof *out);
    if (!doc)
        return APP_E_INVALID;
    rc = listen_analysis_parse_json(a, doc, out);
    json_decref(doc);
    return rc;
}

/* ---- writing ---------------------------------------------------------------------------- */

/* The writer builds with json_pack, whose "*" leaves out a NULL (absent) value; a value that
 * could not be made sets *oom instead, so that running out of memory is never mistaken for
 * an absent field. */

static json_t *str_json(const char *s, bool *oom)
{
    json_t *j;
    if (!s)
        return NULL;
    if (!(j = json_string(s)))
        *oom = true;
    return j;
}

static json_t *strs_json(const struct listen_strs *l, bool *oom)
{
    json_t *arr;
    if (!l->v)
        return NULL;
    arr = json_array();
    for (size_t i = 0; arr && i < l->n; i++)
        if (json_array_append_new(arr, json_string(l->v[i]))) {
            json_decref(arr);
            arr = NULL;
        }
    if (!arr)
        *oom = true;
    return arr;
}

static json_t *theme_json(const struct listen_theme *t, bool *oom)
{
    json_t *ids = NULL, *members = NULL, *by = NULL, *o;
    if (t->representative_ids) {
        ids = json_array();
        for (size_t i = 0; ids && i < t->nrepresentative_ids; i++)
            if (json_array_append_new(ids, json_integer((json_int_t)t->representative_ids[i]))) {
                json_decref(ids);
                ids = NULL;
            }
        *oom |= !ids;
    }
    if (t->members) {
        members = json_array();
        for (size_t i = 0; members && i < t->nmembers; i++) {
            const struct listen_member *m = &t->members[i];
            json_t *one =
                json_pack("[I, I, I, I, I]", (json_int_t)m->id, (json_int_t)m->audience,
                          (json_int_t)m->agree, (json_int_t)m->disagree, (json_int_t)m->pass);
            /* the weight only when it was there: an older document is written back as read */
            if (one && m->weight >= 0 && json_array_append_new(one, json_real(m->weight))) {
                json_decref(one);
                one = NULL;
            }
            if (json_array_append_new(members, one)) {
                json_decref(members);
                members = NULL;
            }
        }
        *oom |= !members;
    }
    for (int k = 0; k < LISTEN_AUDIENCES; k++)
        if (t->by_audience[k]) {
            if (!by && !(by = json_object())) {
                *oom = true;
                break;
            }
            if (json_object_set_new(by, audience_keys[k], json_string(t->by_audience[k])))
                *oom = true;
        }
    /* the order listen_themes_fit() and the enrichment in runs.c give */
    o = json_pack("{s:o*, s:o*, s:o*, s:f, s:o*, s:o*, s:o*, s:o*, s:o*, s:o*, s:o*, s:b,"
                  " s:o*, s:o*, s:o*, s:o*}",
                  "label", str_json(t->label, oom), "terms", strs_json(&t->terms, oom), "size",
                  str_json(t->size, oom), "coherence", t->coherence, "representatives",
                  strs_json(&t->representatives, oom), "terms_text", str_json(t->terms_text, oom),
                  "representative_ids", ids, "members", members, "key", strs_json(&t->key, oom),
                  "by_audience", by, "agree_percent", str_json(t->agree_percent, oom),
                  "agree_hidden", t->agree_hidden, "votes", str_json(t->votes, oom),
                  "quotes_citizens", strs_json(&t->quotes_citizens, oom), "quotes_professionals",
                  strs_json(&t->quotes_professionals, oom), "split_from",
                  str_json(t->split_from, oom));
    if (o && t->curated) {
        json_t *pinned = NULL;
        if (t->pinned) {
            pinned = json_array();
            for (size_t i = 0; pinned && i < t->npinned; i++)
                if (json_array_append_new(pinned,
                                          json_pack("{s:I, s:s}", "id", (json_int_t)t->pinned[i].id,
                                                    "text", t->pinned[i].text))) {
                    json_decref(pinned);
                    pinned = NULL;
                }
            *oom |= !pinned;
        }
        if (json_object_update_new(
                o, json_pack("{s:o*, s:b, s:b, s:b, s:o*, s:o*}", "merged_into",
                             str_json(t->merged_into, oom), "edited", t->edited, "hidden",
                             t->hidden, "split_requested", t->split_requested, "computed_label",
                             str_json(t->computed_label, oom), "pinned", pinned)))
            *oom = true;
    }
    *oom |= !o;
    return o;
}

static json_t *opinion_json_of(const struct listen_opinion *op, bool *oom)
{
    json_t *groups = json_array(), *map = json_array(), *o;
    for (size_t g = 0; groups && g < op->ngroups; g++) {
        const struct listen_opinion_group *gr = &op->groups[g];
        json_t *st = json_array();
        for (size_t i = 0; st && i < gr->nstatements; i++) {
            const struct listen_opinion_statement *s = &gr->statements[i];
            /* everyone else's share: a number, or null with the reason when suppressed */
            json_t *one =
                json_pack("{s:s, s:s, s:i, s:o}", "text", s->text, "direction",
                          s->agree ? "agree" : "disagree", "percent", s->percent, "percent_rest",
                          s->percent_rest >= 0 ? json_integer(s->percent_rest) : json_null());
            if (one && s->percent_rest < 0 &&
                json_object_set_new(
                    one, "percent_rest_reason",
                    json_string("fewer than " DISCLOSURE_SHOWN_FROM " other people voted on it"))) {
                json_decref(one);
                one = NULL;
            }
            if (!one || json_array_append_new(st, one)) {
                json_decref(st);
                st = NULL;
            }
        }
        if (!st || json_array_append_new(groups,
                                         json_pack("{s:i, s:o*, s:o}", "number", gr->number, "size",
                                                   str_json(gr->size, oom), "statements", st))) {
            json_decref(groups);
            groups = NULL;
        }
    }
    for (size_t i = 0; map && i < op->nmap; i++)
        if (json_array_append_new(
                map, json_pack("[f, f, i]", op->map[i].x, op->map[i].y, op->map[i].group))) {
            json_decref(map);
            map = NULL;
        }
    *oom |= !groups || !map;
    o = json_pack("{s:o*, s:o, s:o*, s:b, s:o}", "participants", str_json(op->participants, oom),
                  "groups", groups ? groups : json_array(), "consensus",
                  strs_json(&op->consensus, oom), "has_groups", op->has_groups, "map",
                  map ? map : json_array());
    if (o && op->has_carry &&
        json_object_set_new(o, "carry",
                            json_pack("{s:i, s:i, s:i}", "k", (int)op->carry_k, "candidate_k",
                                      (int)op->carry_cand_k, "candidate_runs",
                                      (int)op->carry_cand_runs))) {
        json_decref(o);
        o = NULL;
    }
    *oom |= !o;
    return o;
}

int listen_analysis_json(const struct listen_analysis *r, json_t **out)
{
    json_t *themes = json_array(), *o = NULL;
    bool oom = !themes;
    int rc = APP_E_NOMEM;
    *out = NULL;
    for (size_t t = 0; themes && t < r->nthemes; t++)
        if (json_array_append_new(themes, theme_json(&r->themes[t], &oom)))
            oom = true;
    o = json_pack("{s:I, s:I, s:I, s:f, s:f, s:o, s:o*, s:o*, s:o*}", "documents",
                  (json_int_t)r->documents, "k", (json_int_t)r->k, "terms", (json_int_t)r->terms,
                  "coherence", r->coherence, "reconstruction_error", r->reconstruction_error,
                  "themes", themes ? themes : json_array(), "opinion",
                  r->opinion ? opinion_json_of(r->opinion, &oom) : NULL, "contributions",
                  str_json(r->contributions, &oom), "language", str_json(r->language, &oom));
    if (!o || oom)
        goto done;
    *out = o;
    o = NULL;
    rc = APP_OK;
done:
    json_decref(o);
    return rc;
}

json_t *listen_strs_json(const struct listen_strs *l)
{
    static const struct listen_strs none = {NULL, 0};
    bool oom = false;
    json_t *arr = strs_json(l->v ? l : &none, &oom);
    return arr ? arr : oom ? NULL : json_array();
}

int listen_opinion_json(const struct listen_opinion *op, json_t **out)
{
    bool oom = false;
    *out = opinion_json_of(op, &oom);
    if (oom) {
        json_decref(*out);
        *out = NULL;
        return APP_E_NOMEM;
    }
    return APP_OK;
}

json_t *listen_analysis_sufficiency(int64_t contributions, const char *participants)
{
    int64_t people = 0;
    bool few_c = contributions < LISTEN_ANALYSIS_MIN_CONTRIBUTIONS, few_v;
    /* a published count: "*" is 1 to 7, digits may be grouped with commas */
    for (const char *p = participants; p && *p; p++)
        if (*p >= '0' && *p <= '9')
            people = people * 10 + (*p - '0');
    few_v = !participants || !strcmp(participants, "*") || people < LISTEN_ANALYSIS_MIN_VOTERS;
    return json_pack("{s:b, s:b, s:b, s:i, s:i}", "too_little", few_c || few_v, "few_contributions",
                     few_c, "few_voters", few_v, "min_contributions",
                     LISTEN_ANALYSIS_MIN_CONTRIBUTIONS, "min_voters", LISTEN_ANALYSIS_MIN_VOTERS);
}
