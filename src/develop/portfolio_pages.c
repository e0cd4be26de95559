/* portfolio_pages.c: a member's portfolio — entries (list, add, read, change, delete), sharing
 * it with named reviewers, and reading what others shared
 *
 * Everything is keyed by the logged-in member: an entry or a share that is not theirs
 * answers 404, as one that does not exist. A reviewer reaches a portfolio only through
 * /develop/shared/:id, where the share must name them; once withdrawn it answers 404. A
 * form with a mistake stores nothing and comes back with everything as typed.
 */
#include "app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "develop/pages.h"
#include "develop/portfolio_view.h"
#include "web/date_input.h"
#include "web/render.h"

#include <string.h>
#include <time.h>

static const char *entry_link(struct ctx *c, int64_t id)
{
    return arena_printf(c->arena, "/develop/portfolio/%lld", (long long)id);
}

static bool push(json_t *arr, json_t *v)
{
    if (!arr || !v) {
        json_decref(v);
        return false;
    }
    return !json_array_append_new(arr, v);
}

int page_develop_portfolio(struct ctx *c)
{
    struct develop_framework fw;
    struct develop_entry *e = NULL;
    struct develop_share *sh = NULL, *with = NULL;
    size_t n = 0, nsh = 0, nwith = 0, oncv = 0;
    bool have = false;
    json_t *m, *list = json_array();
    int rc;

    if ((rc = develop_portfolio_framework(c, &fw, &have)) ||
        (rc = develop_entry_list(c->db, c->arena, c->user->id, false, &e, &n)) ||
        (rc = develop_share_list(c->db, c->arena, c->user->id, &sh, &nsh)) ||
        (rc = develop_shared_with(c->db, c->arena, c->user->id, c->user->email, &with, &nwith))) {
        json_decref(list);
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        oncv += e[i].on_cv;
        if (!push(list,
                  develop_entry_json(c, &e[i], have ? &fw : NULL, false, entry_link(c, e[i].id))))
            list = NULL;
    }
    m = jobj(json_object(), "title", jstr("Your portfolio"));
    m = jobj(m, "entries", list);
    m = jobj(m, "count", jint((long long)n));
    m = jobj(m, "on_cv", jint((long long)oncv));
    m = jobj(m, "shares", jint((long long)nsh));
    m = jobj(m, "shared_with_you", jint((long long)nwith));
    return render(c, 200, "develop/portfolio", m);
}

/* ---- the entry form ---- */

static json_t *kind_radios(struct ctx *c, const char *kind)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < develop_entry_kinds_count; i++) {
        json_t *o = jobj(json_object(), "value", jstr(develop_entry_kinds[i].code));
        o = jobj(o, "label", jstr(develop_entry_kinds[i].name));
        o = jobj(o, "hint", jstr(develop_entry_kinds[i].hint));
        o = jobj(o, "id", jstr(i ? arena_printf(c->arena, "kind-%zu", i + 1) : "kind"));
        o = jobj(o, "checked", jbool(kind && !strcmp(kind, develop_entry_kinds[i].code)));
        if (!push(arr, o))
            arr = NULL;
    }
    return arr;
}

static json_t *skill_boxes(struct ctx *c, const char *skills)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < develop_skills_count; i++) {
        json_t *o = jobj(json_object(), "name",
                         jstr(arena_printf(c->arena, "skill.%s", develop_skills[i].code)));
        o = jobj(o, "id", jstr(i ? arena_printf(c->arena, "skills-%zu", i + 1) : "skills"));
        o = jobj(o, "label", jstr(develop_skills[i].name));
        o = jobj(o, "hint", jstr(develop_skills[i].hint));
        o = jobj(o, "checked", jbool(develop_tag_has(skills, develop_skills[i].code)));
        if (!push(arr, o))
            arr = NULL;
    }
    return arr;
}

static json_t *area_boxes(struct ctx *c, const struct develop_framework *fw, const char *domains)
{
    json_t *arr = json_array();
    for (size_t d = 0; arr && fw && d < fw->ndomains; d++) {
        const char *code = arena_printf(c->arena, "%s:%s", fw->code, fw->domains[d].id);
        json_t *o = jobj(json_object(), "name",
                         jstr(arena_printf(c->arena, "domain.%s", fw->domains[d].id)));
        o = jobj(o, "id", jstr(d ? arena_printf(c->arena, "domains-%zu", d + 1) : "domains"));
        o = jobj(o, "label", jstr(fw->domains[d].title));
        o = jobj(o, "checked", jbool(code && develop_tag_has(domains, code)));
        if (!push(arr, o))
            arr = NULL;
    }
    return arr;
}

/* The form for e (as typed when it failed, else as stored); editing: its id, or 0. */
static json_t *form_model(struct ctx *c, const struct develop_entry *e,
                          const struct develop_framework *fw, int64_t editing)
{
    json_t *m = jobj(json_object(), "title",
                     jstr(editing ? "Change a portfolio entry" : "Add a portfolio entry"));
    json_t *v = jobj(json_object(), "title", jstr(e->title));
    v = jobj(v, "context", jstr(e->context));
    v = jobj(v, "body", jstr(e->body));
    m = jobj(m, "values", v);
    m = jobj(m, "kinds", kind_radios(c, e->kind));
    m = jobj(m, "skills", skill_boxes(c, e->skills));
    m = jobj(m, "areas", area_boxes(c, fw, e->domains));
    m = jobj(m, "has_areas", jbool(fw != NULL));
    m = jobj(m, "framework", jstr(fw ? fw->title : ""));
    m = jobj(m, "start_date",
             date_input_json(c->req, "start", "Start date",
                             "For example, 15 3 2024. Leave it empty for an entry without a date.",
                             e->started_on));
    m = jobj(m, "end_date",
             date_input_json(c->req, "end", "End date (optional)",
                             "Leave it empty for a role or project that is still going on, or "
                             "for a one-off.",
                             e->ended_on));
    m = jobj(m, "on_cv", jbool(e->on_cv));
    m = jobj(m, "body_max", jint(DEVELOP_ENTRY_BODY_MAX));
    m = jobj(m, "editing", jbool(editing != 0));
    m = jobj(m, "action", jstr(editing ? entry_link(c, editing) : "/develop/portfolio"));
    m = jobj(m, "cancel", jstr(editing ? entry_link(c, editing) : "/develop/portfolio"));
    return jobj(m, "submit", jstr(editing ? "Save changes" : "Add to portfolio"));
}

/* The tags of one kind as "a,b" text: a JSON array or text field named field, and the
 * ticked boxes named prefix<code>. */
static const char *tags_text(struct ctx *c, const char *field, const char *prefix)
{
    json_t *j = c->req->json ? json_object_get(c->req->json, field) : NULL;
    struct buf b = BUF_INIT;
    size_t pl = strlen(prefix);
    const char *out;

    if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v)
        {
            buf_printf(&b, "%s,", json_is_string(v) ? json_string_value(v) : "(not a tag)");
        }
    } else if (req_field(c->req, field)) {
        buf_printf(&b, "%s,", req_field(c->req, field));
    }
    for (size_t i = 0; i < c->req->nfields; i++) {
        const char *name = c->req->fields[i].name, *val = c->req->fields[i].value;
        if (!strncmp(name, prefix, pl) && val && !req_error(c->req, name) &&
            (!strcmp(val, "1") || !strcmp(val, "on") || !strcmp(val, "true")))
            buf_printf(&b, "%s,", name + pl);
    }
    buf_putc(&b, '\0');
    out = buf_oom(&b) ? NULL : arena_strdup(c->arena, b.data);
    buf_free(&b);
    return out;
}

/* Which tags a family of tick-box members names: the skills (areas false), or the areas of
 * fw (NULL when there is no framework, so that no area is known). */
struct tag_family {
    bool areas;
    const struct develop_framework *fw;
};

/* For req_refuse_members: a JSON body's tick-box member of one family ("skill." or
 * "domain."), ticked or not, that names no skill, or no area of the framework (ctx, a
 * tag_family), is refused, as the request layer does for a member no route takes, since the
 * families in routes.def cannot know the tags; tags_text then leaves it out. A form sends its
 * own boxes only. */
static int refuse_unnamed_tag(void *ctx, struct arena *a, const char *rest, const char **why)
{
    const struct tag_family *t = ctx;
    const char *out, *bad;
    int rc = APP_E_INVALID;
    if (!t->areas || t->fw)
        rc = develop_tags_normalise(a, rest, t->areas ? t->fw : NULL, &out, &bad);
    if (rc != APP_E_INVALID)
        return rc;
    *why = t->areas && t->fw ? arena_printf(a, "\"%s\" is not an area of %s", rest, t->fw->title)
           : t->areas        ? arena_printf(a, "\"%s\" is not a leadership area", rest)
                             : arena_printf(a, "\"%s\" is not one of the skills", rest);
    return *why ? APP_OK : APP_E_NOMEM;
}

/* Whether the request says if the entry goes on the CV: a form always does (an unticked
 * box is "no"); an API call only when it names on_cv. */
static bool cv_given(struct ctx *c)
{
    return !c->want_json || (c->req->json && json_object_get(c->req->json, "on_cv"));
}

/* Reads the form into e, adding an error for every field that is wrong. */
static int read_entry(struct ctx *c, struct develop_entry *e, const struct develop_framework *fw)
{
    struct develop_field_error errs[12];
    const char *msg, *text, *bad = NULL;
    size_t nerr;
    int rc;

    e->kind = req_field(c->req, "kind");
    e->title = req_field(c->req, "title");
    e->context = req_field(c->req, "context");
    e->body = req_field(c->req, "body");
    if (!e->kind)
        e->kind = "";
    if (!e->title)
        e->title = "";
    if (!e->context)
        e->context = "";
    if (!e->body)
        e->body = "";
    if (cv_given(c))
        e->on_cv = req_field_bool(c->req, "on_cv");
    if ((msg = date_input_read(c->req, "start", "Start date", &e->started_on)) &&
        (rc = req_add_error(c->req, "start", msg)))
        return rc;
    if ((msg = date_input_read(c->req, "end", "End date", &e->ended_on)) &&
        (rc = req_add_error(c->req, "end", msg)))
        return rc;
    if ((rc = req_refuse_members(c->req, "skill.", REQ_BODY_MEMBERS, refuse_unnamed_tag,
                                 &(struct tag_family){false, NULL})) ||
        (rc = req_refuse_members(c->req, "domain.", REQ_BODY_MEMBERS, refuse_unnamed_tag,
                                 &(struct tag_family){true, fw})))
        return rc;
    if (!(text = tags_text(c, "skills", "skill.")))
        return APP_E_NOMEM;
    rc = develop_tags_normalise(c->arena, text, NULL, &e->skills, &bad);
    if (rc == APP_E_INVALID) {
        e->skills = "";
        if ((rc = req_add_error(c->req, "skills",
                                arena_printf(c->arena, "\"%s\" is not one of the skills", bad))))
            return rc;
    } else if (rc)
        return rc;
    if (!(text = tags_text(c, "domains", "domain.")))
        return APP_E_NOMEM;
    e->domains = "";
    if (fw) {
        rc = develop_tags_normalise(c->arena, text, fw, &e->domains, &bad);
        if (rc == APP_E_INVALID) {
            e->domains = "";
            if ((rc = req_add_error(
                     c->req, "domains",
                     arena_printf(c->arena, "\"%s\" is not an area of %s", bad, fw->title))))
                return rc;
        } else if (rc)
            return rc;
    }
    nerr = develop_entry_check(e, fw, errs, sizeof errs / sizeof *errs);
    /* a start or end date with a part the request layer refused reads as absent: its own
     * message stands alone, not "Enter a start date" */
    for (size_t i = 0; i < nerr && i < sizeof errs / sizeof *errs; i++)
        if (!req_error(c->req, errs[i].field) && !date_input_refused(c->req, errs[i].field) &&
            (rc = req_add_error(c->req, errs[i].field, errs[i].message)))
            return rc;
    return APP_OK;
}

static int load_entry(struct ctx *c, struct develop_entry *e)
{
    int64_t id = develop_page_param(c, "id");
    if (!id)
        return APP_E_NOTFOUND;
    return develop_entry_get(c->db, c->arena, id, c->user->id, e);
}

/* What was typed into a text field the request layer refused, or v: for the form shown
 * again only. */
static const char *typed_text(struct ctx *c, const char *name, const char *v)
{
    const char *t = req_error(c->req, name) ? req_typed(c->req, name) : NULL;
    return t ? t : v;
}

static int save(struct ctx *c, int64_t editing)
{
    struct develop_framework fw;
    struct develop_entry e;
    bool have = false;
    int rc;

    memset(&e, 0, sizeof e);
    if ((rc = develop_portfolio_framework(c, &fw, &have)))
        return rc;
    if (editing && (rc = develop_entry_get(c->db, c->arena, editing, c->user->id, &e)))
        return rc;
    e.id = editing;
    e.user_id = c->user->id;
    if ((rc = read_entry(c, &e, have ? &fw : NULL)))
        return rc;
    if (c->req->nerrors) { /* the texts as typed, refused ones included (never stored) */
        e.title = typed_text(c, "title", e.title);
        e.context = typed_text(c, "context", e.context);
        e.body = typed_text(c, "body", e.body);
        return render_invalid(c, "develop/portfolio_form",
                              form_model(c, &e, have ? &fw : NULL, editing));
    }
    e.updated_at = (int64_t)time(NULL); /* as stored, for the API's answer */
    rc = develop_entry_save(c->db, &e, cv_given(c), e.updated_at);
    if (rc == APP_E_TOOBIG) {
        render_error(c, APP_E_TOOBIG,
                     "Your portfolio has 500 entries, the most it can hold. Delete one you no "
                     "longer need to add another.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json) {
        json_t *m =
            jobj(json_object(), "entry", develop_entry_json(c, &e, have ? &fw : NULL, false, NULL));
        m = jobj(m, "path", jstr(entry_link(c, e.id)));
        return render(c, editing ? 200 : 201, NULL, m);
    }
    if ((rc = flash_set(c, "entry_saved")))
        return rc;
    return resp_redirect(c, entry_link(c, e.id));
}

int page_develop_entry_new_form(struct ctx *c)
{
    struct develop_framework fw;
    struct develop_entry e;
    bool have = false;
    int rc = develop_portfolio_framework(c, &fw, &have);
    if (rc)
        return rc;
    memset(&e, 0, sizeof e);
    e.kind = e.title = e.context = e.body = e.skills = e.domains = "";
    return render(c, 200, "develop/portfolio_form", form_model(c, &e, have ? &fw : NULL, 0));
}

int page_develop_entry_create(struct ctx *c)
{
    return save(c, 0);
}

int page_develop_entry_update(struct ctx *c)
{
    int64_t id = develop_page_param(c, "id");
    return id ? save(c, id) : APP_E_NOTFOUND;
}

int page_develop_entry(struct ctx *c)
{
    struct develop_framework fw;
    struct develop_entry e;
    bool have = false;
    json_t *m;
    int rc;

    if ((rc = load_entry(c, &e)) || (rc = develop_portfolio_framework(c, &fw, &have)))
        return rc;
    m = jobj(json_object(), "title", jstr(e.title));
    m = jobj(m, "entry", develop_entry_json(c, &e, have ? &fw : NULL, true, entry_link(c, e.id)));
    return render(c, 200, "develop/portfolio_entry", m);
}

int page_develop_entry_edit_form(struct ctx *c)
{
    struct develop_framework fw;
    struct develop_entry e;
    bool have = false;
    int rc;

    if ((rc = load_entry(c, &e)) || (rc = develop_portfolio_framework(c, &fw, &have)))
        return rc;
    return render(c, 200, "develop/portfolio_form", form_model(c, &e, have ? &fw : NULL, e.id));
}

int page_develop_entry_delete(struct ctx *c)
{
    int64_t id = develop_page_param(c, "id");
    int rc;
    if (!id)
        return APP_E_NOTFOUND;
    if ((rc = develop_entry_delete(c->db, id, c->user->id)))
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "deleted", jbool(1)));
    if ((rc = flash_set(c, "entry_deleted")))
        return rc;
    return resp_redirect(c, "/develop/portfolio");
}

/* ---- sharing ---- */

/* The shares page's model; NULL with *rc set when reading failed (APP_E_NOMEM when *rc
 * stays 0). */
static json_t *shares_model(struct ctx *c, const int64_t *chosen, size_t nchosen, int *rc)
{
    struct develop_entry *e = NULL;
    struct develop_share *sh = NULL;
    size_t n = 0, nsh = 0;
    json_t *m, *list = json_array(), *boxes = json_array();
    const char *scope = req_field(c->req, "scope");

    *rc = develop_share_list(c->db, c->arena, c->user->id, &sh, &nsh);
    if (!*rc)
        *rc = develop_entry_list(c->db, c->arena, c->user->id, false, &e, &n);
    if (*rc) {
        json_decref(list);
        json_decref(boxes);
        return NULL;
    }
    for (size_t i = 0; i < nsh; i++) {
        json_t *o = jobj(json_object(), "id", jint(sh[i].id));
        /* the address alone: whether it has an account, or has looked, is not the sharer's
         * to learn (migration 0036) */
        o = jobj(o, "email", jstr(sh[i].reviewer_email));
        o = jobj(o, "whole", jbool(sh[i].whole));
        o = jobj(o, "entries", jint((long long)sh[i].nentries));
        o = jobj(o, "shared", jdate(sh[i].created_at));
        o = jobj(
            o, "withdraw",
            jstr(arena_printf(c->arena, "/develop/shares/%lld/withdraw", (long long)sh[i].id)));
        if (!push(list, o))
            list = NULL;
    }
    for (size_t i = 0; i < n; i++) {
        bool on = false;
        json_t *o;
        for (size_t k = 0; k < nchosen; k++)
            on = on || chosen[k] == e[i].id;
        o = jobj(json_object(), "name",
                 jstr(arena_printf(c->arena, "entry.%lld", (long long)e[i].id)));
        o = jobj(o, "id", jstr(i ? arena_printf(c->arena, "entries-%zu", i + 1) : "entries"));
        o = jobj(o, "label", jstr(e[i].title));
        o = jobj(o, "checked", jbool(on));
        if (!push(boxes, o))
            boxes = NULL;
    }
    m = jobj(json_object(), "title", jstr("Share your portfolio"));
    m = jobj(m, "shares", list);
    m = jobj(m, "has_shares", jbool(nsh > 0));
    m = jobj(m, "boxes", boxes);
    m = jobj(m, "has_entries", jbool(n > 0));
    m = jobj(m, "chosen_scope", jbool(scope && !strcmp(scope, "chosen")));
    return m;
}

int page_develop_shares(struct ctx *c)
{
    int rc = 0;
    json_t *m = shares_model(c, NULL, 0, &rc);
    return rc ? rc : render(c, 200, "develop/portfolio_shares", m);
}

int page_develop_share_create(struct ctx *c)
{
    const char *scope = req_field(c->req, "scope"), *email = req_field(c->req, "email");
    bool whole = !scope || !*scope || !strcmp(scope, "whole");
    int64_t *ids = NULL, id = 0;
    size_t n = 0;
    int rc;

    if (scope && *scope && strcmp(scope, "whole") && strcmp(scope, "chosen") &&
        (rc = req_add_error(c->req, "scope", "Choose whether to share all of it or some entries")))
        return rc;
    if ((rc = develop_entry_refuse_unnamed(c)))
        return rc;
    rc = develop_entry_ids(c, &ids, &n);
    if (rc == APP_E_INVALID)
        rc = req_add_error(c->req, "entries", "Choose entries from the list");
    if (rc)
        return rc;
    if (!c->req->nerrors && email) {
        rc = develop_share_save(c->db, c->user->id, email, whole, ids, n, (int64_t)time(NULL), &id);
        if (rc == APP_E_CONFLICT)
            rc = req_add_error(c->req, "email", "Enter someone else's email address, not yours");
        else if (rc == APP_E_INVALID && n == 0 && !whole)
            rc = req_add_error(c->req, "entries", "Choose at least one entry to share");
        else if (rc == APP_E_INVALID && n > 0 && !whole)
            rc = req_add_error(c->req, "entries", "Choose entries from your portfolio");
        else if (rc == APP_E_INVALID)
            rc = req_add_error(c->req, "email", "Enter an email address, like name@nhs.net");
        else if (rc == APP_E_TOOBIG)
            rc = req_add_error(c->req, "email",
                               "You share your portfolio with 50 people already: withdraw a "
                               "share before adding another");
        if (rc)
            return rc;
    }
    if (c->req->nerrors) {
        json_t *m = shares_model(c, ids, n, &rc);
        return rc ? rc : render_invalid(c, "develop/portfolio_shares", m);
    }
    if (c->want_json) {
        json_t *m = jobj(json_object(), "id", jint(id));
        m = jobj(m, "whole", jbool(whole));
        return render(c, 201, NULL, m);
    }
    if ((rc = flash_set(c, "portfolio_shared")))
        return rc;
    return resp_redirect(c, "/develop/shares");
}

int page_develop_share_withdraw(struct ctx *c)
{
    int64_t id = develop_page_param(c, "id");
    int rc;
    if (!id)
        return APP_E_NOTFOUND;
    if ((rc = develop_share_withdraw(c->db, id, c->user->id)))
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "withdrawn", jbool(1)));
    if ((rc = flash_set(c, "share_withdrawn")))
        return rc;
    return resp_redirect(c, "/develop/shares");
}

int page_develop_shared(struct ctx *c)
{
    struct develop_share *with = NULL;
    size_t n = 0;
    json_t *m, *list = json_array();
    int rc = develop_shared_with(c->db, c->arena, c->user->id, c->user->email, &with, &n);
    if (rc) {
        json_decref(list);
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *o = jobj(json_object(), "id", jint(with[i].id));
        o = jobj(o, "owner", jstr(with[i].owner_name));
        o = jobj(o, "whole", jbool(with[i].whole));
        o = jobj(o, "entries", jint((long long)with[i].nentries));
        o = jobj(o, "shared", jdate(with[i].created_at));
        o = jobj(o, "link",
                 jstr(arena_printf(c->arena, "/develop/shared/%lld", (long long)with[i].id)));
        if (!push(list, o))
            list = NULL;
    }
    m = jobj(json_object(), "title", jstr("Portfolios shared with you"));
    m = jobj(m, "portfolios", list);
    m = jobj(m, "has_portfolios", jbool(n > 0));
    return render(c, 200, "develop/portfolio_shared", m);
}

int page_develop_shared_portfolio(struct ctx *c)
{
    struct develop_framework fw;
    struct develop_share sh;
    struct develop_entry *e = NULL;
    int64_t id = develop_page_param(c, "id");
    size_t n = 0;
    bool have = false;
    json_t *m, *list = json_array();
    int rc;

    if (!id) {
        json_decref(list);
        return APP_E_NOTFOUND;
    }
    if ((rc = develop_share_open(c->db, c->arena, id, c->user->id, c->user->email, &sh, &e, &n)) ||
        (rc = develop_portfolio_framework(c, &fw, &have))) {
        json_decref(list);
        return rc;
    }
    for (size_t i = 0; i < n; i++)
        if (!push(list, develop_entry_json(c, &e[i], have ? &fw : NULL, true, NULL)))
            list = NULL;
    m = jobj(json_object(), "title",
             jstr(arena_printf(c->arena, "%s\u2019s portfolio", sh.owner_name)));
    m = jobj(m, "owner", jstr(sh.owner_name));
    m = jobj(m, "whole", jbool(sh.whole));
    m = jobj(m, "entries", list);
    m = jobj(m, "count", jint((long long)n));
    return render(c, 200, "develop/portfolio_review", m);
}
