/* portfolio_view.c: view-model pieces the portfolio and CV pages share */
#include "develop/portfolio_view.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "develop/cv.h"
#include "develop/self.h"
#include "web/render.h"
#include "text/markdown.h"

#include <string.h>
#include <time.h>

int develop_portfolio_framework(struct ctx *c, struct develop_framework *fw, bool *have)
{
    int64_t id = 0;
    int rc = develop_version_latest_id(c->db, DEVELOP_PORTFOLIO_FRAMEWORK, &id);
    *have = false;
    if (rc == APP_E_NOTFOUND)
        return APP_OK;
    if (!rc && !(rc = develop_version_load(c->db, c->arena, id, fw)))
        *have = true;
    return rc;
}

json_t *develop_entry_json(struct ctx *c, const struct develop_entry *e,
                           const struct develop_framework *fw, bool html, const char *link)
{
    json_t *o = jobj(json_object(), "id", jint(e->id)), *skills = json_array(),
           *areas = json_array();
    const char *kind = develop_code_name(develop_entry_kinds, develop_entry_kinds_count, e->kind);
    const char *from = develop_cv_month(c->arena, e->started_on);
    const char *to = develop_cv_month(c->arena, e->ended_on);
    const char *skill_list = ""; /* "Leadership, Teaching": commas between, none after */

    for (size_t i = 0; skills && skill_list && i < develop_skills_count; i++)
        if (develop_tag_has(e->skills, develop_skills[i].code)) {
            json_t *s = jobj(json_object(), "code", jstr(develop_skills[i].code));
            skill_list = *skill_list
                             ? arena_printf(c->arena, "%s, %s", skill_list, develop_skills[i].name)
                             : develop_skills[i].name;
            s = jobj(s, "name", jstr(develop_skills[i].name));
            if (!s || json_array_append_new(skills, s)) {
                json_decref(skills);
                skills = NULL;
            }
        }
    for (size_t d = 0; areas && fw && d < fw->ndomains; d++) {
        const char *code = arena_printf(c->arena, "%s:%s", fw->code, fw->domains[d].id);
        if (code && develop_tag_has(e->domains, code)) {
            json_t *s = jobj(json_object(), "code", jstr(code));
            s = jobj(s, "name", jstr(fw->domains[d].title));
            if (!s || json_array_append_new(areas, s)) {
                json_decref(areas);
                areas = NULL;
            }
        }
    }
    o = jobj(o, "kind", jstr(e->kind));
    o = jobj(o, "kind_name", jstr(kind ? kind : e->kind));
    o = jobj(o, "title", jstr(e->title));
    o = jobj(o, "context", jstr(e->context));
    o = jobj(o, "start", jdate_input(e->started_on));
    o = jobj(o, "end", jdate_input(e->ended_on));
    if (e->started_on && !e->ended_on)
        o = jobj(o, "dates", jstr(arena_printf(c->arena, "From %s", from)));
    else if (e->started_on && from && to && strcmp(from, to))
        o = jobj(o, "dates", jstr(arena_printf(c->arena, "%s to %s", from, to)));
    else
        o = jobj(o, "dates", jstr(from));
    o = jobj(o, "skills", skills);
    o = jobj(o, "has_skills", jbool(*e->skills != '\0'));
    o = jobj(o, "skill_list", skill_list ? jstr(skill_list) : NULL);
    o = jobj(o, "areas", areas);
    o = jobj(o, "has_areas", jbool(*e->domains != '\0'));
    o = jobj(o, "on_cv", jbool(e->on_cv));
    o = jobj(o, "body", jstr(e->body));
    o = jobj(o, "updated", jdate(e->updated_at));
    if (html)
        o = jobj(o, "body_html", jstr(markdown_html(c->arena, e->body)));
    if (link)
        o = jobj(o, "link", jstr(link));
    return o;
}

static bool truthy(const char *v)
{
    return v && (!strcmp(v, "1") || !strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "yes"));
}

static int add_id(struct ctx *c, int64_t **ids, size_t *n, size_t *cap, int64_t v)
{
    int64_t *g;
    for (size_t i = 0; i < *n; i++)
        if ((*ids)[i] == v)
            return APP_OK;
    if (!(g = arena_grow(c->arena, *ids, *n + 1, cap, sizeof *g)))
        return APP_E_NOMEM;
    *ids = g;
    g[(*n)++] = v;
    return APP_OK;
}

int develop_entry_ids(struct ctx *c, int64_t **ids, size_t *n)
{
    json_t *j = c->req->json ? json_object_get(c->req->json, "entries") : NULL;
    const char *text = json_is_array(j) ? NULL : req_field(c->req, "entries");
    size_t cap = 0;
    int rc = APP_OK;

    *ids = NULL;
    *n = 0;
    if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v)
        {
            if (!json_is_integer(v) || json_integer_value(v) <= 0)
                return APP_E_INVALID;
            if ((rc = add_id(c, ids, n, &cap, json_integer_value(v))))
                return rc;
        }
    }
    for (const char *p = text; p && *p;) {
        size_t len = strcspn(p, ", ");
        int64_t v = 0;
        if (len && (!parse_int64((struct str){p, len}, &v) || v <= 0))
            return APP_E_INVALID;
        if (len && (rc = add_id(c, ids, n, &cap, v)))
            return rc;
        p += len;
        if (*p)
            p++;
    }
    for (size_t i = 0; i < c->req->nfields; i++) {
        const char *name = c->req->fields[i].name;
        int64_t v = 0;
        if (strncmp(name, "entry.", 6) || !truthy(c->req->fields[i].value) ||
            req_error(c->req, name))
            continue;
        if (!parse_int64((struct str){name + 6, strlen(name + 6)}, &v) || v <= 0)
            return APP_E_INVALID;
        if ((rc = add_id(c, ids, n, &cap, v)))
            return rc;
    }
    return APP_OK;
}

/* The member's entries, read at the first "entry." member (most bodies have none). */
struct entry_list {
    struct ctx *c;
    struct develop_entry *e;
    size_t n;
    bool listed;
};

/* For req_refuse_members: a member whose rest is no id of an entry of ctx's list. */
static int refuse_other_entry(void *ctx, struct arena *a, const char *rest, const char **why)
{
    struct entry_list *l = ctx;
    int64_t id = 0;
    int rc;
    if (!l->listed &&
        (rc = develop_entry_list(l->c->db, l->c->arena, l->c->user->id, false, &l->e, &l->n)))
        return rc;
    l->listed = true;
    if (rest[0] >= '1' && rest[0] <= '9' && parse_int64((struct str){rest, strlen(rest)}, &id))
        for (size_t k = 0; k < l->n; k++)
            if (l->e[k].id == id)
                return APP_OK;
    *why = arena_printf(a, "There is no entry \"%s\" in your portfolio", rest);
    return *why ? APP_OK : APP_E_NOMEM;
}

int develop_entry_refuse_unnamed(struct ctx *c)
{
    struct entry_list l = {.c = c};
    return req_refuse_members(c->req, "entry.", REQ_BODY_MEMBERS, refuse_other_entry, &l);
}
