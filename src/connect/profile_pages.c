/* profile_pages.c: a member's profile for connecting (view, save) and the directory of
 * roles that opted-in members are listed under
 *
 * Profession and region are the account's (one value for every module; migration 0039): the
 * form shows them with a link to change them on the account page. The organisation starts
 * as the account's until the member saves their own. A form with a mistake comes back with
 * every box as it was ticked and every text as typed; nothing is stored until the whole
 * profile is right. Areas are checkbox
 * families "offers.<code>" and "seeks.<code>" (in JSON: "offers.digital": true).
 */
#include "connect/mentoring_pages.h"
#include "account/account.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "web/render.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

#define DIRECTORY_PER_PAGE 25

static bool in_list(const char *const *v, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], code))
            return true;
    return false;
}

static json_t *codes_json(const char *const *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, json_string(v[i]))) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

static json_t *radios(const char *name, const char *const (*opts)[2], size_t n,
                      const char *selected)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b}", "name", name, "value", opts[i][0],
                              "text", opts[i][1], "id", i ? "" : name, "checked",
                              selected && !strcmp(selected, opts[i][0]));
        if (o && i)
            json_object_set_new(o, "id", json_sprintf("%s-%zu", name, i));
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static const char *const SEEKS_KINDS[][2] = {
    {"", "Nothing at the moment"}, {"mentoring", "A mentor"}, {"coaching", "A coach"}};
static const char *const PREFERENCES[][2] = {{"any", "Any profession"},
                                             {"other", "Another profession than mine"},
                                             {"same", "My own profession"}};

static json_t *profile_json(const struct connect_profile *p)
{
    json_t *o = jobj(json_object(), "exists", jbool(p->exists));
    o = jobj(o, "matching", jbool(p->matching));
    o = jobj(o, "in_directory", jbool(p->in_directory));
    o = jobj(o, "directory_role", jstr(p->directory_role));
    o = jobj(o, "offers_mentoring", jbool(p->offers_mentoring));
    o = jobj(o, "offers_coaching", jbool(p->offers_coaching));
    o = jobj(o, "coach_accredited", jbool(p->coach_accredited));
    o = jobj(o, "offers", codes_json(p->offers, p->noffers));
    o = jobj(o, "seeks_kind", jstr(p->seeks_kind));
    o = jobj(o, "seeks", codes_json(p->seeks, p->nseeks));
    o = jobj(o, "profession", jstr(p->profession));
    o = jobj(o, "region", jstr(p->region));
    o = jobj(o, "organisation", jstr(p->organisation));
    o = jobj(o, "band", jstr(p->band));
    o = jobj(o, "hours_month", jint(p->hours_month));
    o = jobj(o, "max_mentees", jint(p->max_mentees));
    o = jobj(o, "preference", jstr(p->preference));
    o = jobj(o, "outside_org", jbool(p->outside_org));
    o = jobj(o, "excluded", codes_json(p->excluded, p->nexcluded));
    return jobj(o, "updated", jdate(p->updated_at));
}

static json_t *form_model(struct ctx *c, const struct connect_profile *p,
                          const struct connect_area *areas, size_t nareas)
{
    json_t *list = json_array(), *m, *f;
    const char *excl;
    for (size_t i = 0; list && i < nareas; i++) {
        json_t *o = jobj(json_object(), "code", jstr(areas[i].code));
        o = jobj(o, "name", jstr(areas[i].name));
        o = jobj(o, "offer_field", jstr(arena_printf(c->arena, "offers.%s", areas[i].code)));
        o = jobj(o, "seek_field", jstr(arena_printf(c->arena, "seeks.%s", areas[i].code)));
        o = jobj(o, "offer_id", jstr(i ? arena_printf(c->arena, "offers-%zu", i) : "offers"));
        o = jobj(o, "seek_id", jstr(i ? arena_printf(c->arena, "seeks-%zu", i) : "seeks"));
        o = jobj(o, "offered", jbool(in_list(p->offers, p->noffers, areas[i].code)));
        o = jobj(o, "sought", jbool(in_list(p->seeks, p->nseeks, areas[i].code)));
        if (!o || json_array_append_new(list, o)) {
            json_decref(list);
            list = NULL;
        }
    }
    /* a form shown again holds what was typed, a refused value included (req_typed) */
    excl = c->req->nerrors ? req_typed(c->req, "excluded") : NULL;
    if (!excl) {
        struct buf b;
        buf_init(&b);
        for (size_t i = 0; i < p->nexcluded; i++)
            buf_printf(&b, "%s%s", i ? "\n" : "", p->excluded[i]);
        excl = buf_oom(&b) ? NULL : arena_strndup(c->arena, b.data ? b.data : "", b.len);
        buf_free(&b);
    }
    f = jobj(json_object(), "matching", jbool(p->matching));
    f = jobj(f, "in_directory", jbool(p->in_directory));
    f = jobj(f, "offers_mentoring", jbool(p->offers_mentoring));
    f = jobj(f, "offers_coaching", jbool(p->offers_coaching));
    f = jobj(f, "coach_accredited", jbool(p->coach_accredited));
    f = jobj(f, "organisation",
             jstr(c->req->nerrors ? req_typed(c->req, "organisation") : p->organisation));
    f = jobj(f, "outside_org", jbool(p->outside_org));
    f = jobj(f, "hours_month",
             jstr(c->req->nerrors ? req_typed(c->req, "hours_month")
                                  : arena_printf(c->arena, "%lld", (long long)p->hours_month)));
    f = jobj(f, "max_mentees",
             jstr(c->req->nerrors ? req_typed(c->req, "max_mentees")
                                  : arena_printf(c->arena, "%lld", (long long)p->max_mentees)));
    f = jobj(f, "excluded", jstr(excl));
    m = jobj(json_object(), "title", jstr("Your profile for connecting"));
    m = jobj(m, "name", jstr(p->display_name));
    m = jobj(m, "form", f);
    m = jobj(m, "areas", list);
    m = jobj(m, "roles",
             connect_page_choices(connect_roles, connect_roles_count, p->directory_role,
                                  "Choose a role"));
    m = jobj(m, "bands",
             connect_page_choices(connect_bands, connect_bands_count, p->band, "Choose your band"));
    m = jobj(m, "profession", jstr(*p->profession ? connect_page_profession(p->profession) : ""));
    m = jobj(m, "region", jstr(*p->region ? connect_page_region(p->region) : ""));
    m = jobj(m, "seeks_kinds", radios("seeks_kind", SEEKS_KINDS, 3, p->seeks_kind));
    m = jobj(m, "preferences", radios("preference", PREFERENCES, 3, p->preference));
    return jobj(m, "profile", profile_json(p));
}

/* A profession or region sent with the profile: the same as the account's is fine, another is
 * an error pointing to the account page. */
static int account_value(struct ctx *c, const char *field, const char *account)
{
    const char *v = req_field(c->req, field);
    if (!v || !*v || !strcmp(v, account))
        return APP_OK;
    return req_add_error(c->req, field,
                         arena_printf(c->arena, "Change your %s on your account page", field));
}

int page_connect_profile_form(struct ctx *c)
{
    struct connect_profile p;
    struct connect_area *areas;
    size_t nareas;
    int rc;
    if ((rc = connect_profile_get(c->db, c->arena, c->user->id, &p)) ||
        (rc = connect_areas(c->db, c->arena, &areas, &nareas)))
        return rc;
    return render(c, 200, "connect/profile", form_model(c, &p, areas, nareas));
}

/* The areas a profile may name (connect_areas). */
struct area_list {
    const struct connect_area *areas;
    size_t n;
};

static bool area_known(const struct area_list *l, const char *code)
{
    for (size_t k = 0; k < l->n; k++)
        if (!strcmp(l->areas[k].code, code))
            return true;
    return false;
}

/* For req_refuse_members: a member that names none of the areas ctx (an area_list). */
static int refuse_area(void *ctx, struct arena *a, const char *rest, const char **why)
{
    if (area_known(ctx, rest))
        return APP_OK;
    *why = arena_printf(a, "There is no area \"%s\" to choose", rest);
    return *why ? APP_OK : APP_E_NOMEM;
}

/* The ticked areas of one family ("offers." or "seeks."), as codes. A JSON body's member of
 * the family, ticked or not, that names none of the areas gets an error under its name and
 * is left out, as the request layer does for a member no route takes ("offers.*" in
 * routes.def cannot know the areas); a form sends its own boxes, checked with the rest. */
static int ticked(struct ctx *c, const char *prefix, const struct connect_area *areas,
                  size_t nareas, const char ***out, size_t *n)
{
    struct area_list l = {areas, nareas};
    size_t cap = 0, plen = strlen(prefix);
    int rc;
    *out = NULL;
    *n = 0;
    if (c->req->json && (rc = req_refuse_members(c->req, prefix, REQ_FIELDS, refuse_area, &l)))
        return rc;
    for (size_t i = 0; i < c->req->nfields; i++) {
        const struct kv *f = &c->req->fields[i];
        if (strncmp(f->name, prefix, plen))
            continue;
        if (c->req->json && !area_known(&l, f->name + plen))
            continue; /* refused above */
        if (!req_field_bool(c->req, f->name))
            continue;
        if (!(*out = arena_grow(c->arena, *out, *n + 1, &cap, sizeof **out)))
            return APP_E_NOMEM;
        (*out)[(*n)++] = f->name + plen;
    }
    return APP_OK;
}

/* The entries of "excluded" as typed, trimmed: separated by commas, semicolons or lines,
 * and by spaces only where every word is an address ("a@x.test b@y.test"), so that a name
 * typed instead ("Jo Walsh (my manager)") stays one entry for the message to quote. */
static int addresses(struct ctx *c, const char *text, const char ***out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    while (text && *text) {
        size_t len = 0, end;
        bool words = true;
        while (*text && (isspace((unsigned char)*text) || *text == ',' || *text == ';'))
            text++;
        while (text[len] && text[len] != '\n' && text[len] != ',' && text[len] != ';')
            len++;
        end = len;
        while (end && isspace((unsigned char)text[end - 1]))
            end--;
        if (!end)
            break;
        /* does every space-separated word of the entry hold an @? */
        for (size_t i = 0, w = 0; i <= end; i++)
            if (i == end || isspace((unsigned char)text[i])) {
                if (i > w && !memchr(text + w, '@', i - w))
                    words = false;
                w = i + 1;
            }
        for (size_t i = 0, w = 0; i <= end; i++) {
            const char *s;
            if (i < end && !(words && isspace((unsigned char)text[i])))
                continue;
            if (i > w) {
                if (!(s = arena_strndup(c->arena, text + w, i - w)) ||
                    !(*out = arena_grow(c->arena, *out, *n + 1, &cap, sizeof **out)))
                    return APP_E_NOMEM;
                (*out)[(*n)++] = s;
            }
            w = i + 1;
        }
        text += len;
    }
    return APP_OK;
}

static const char *field_or(struct ctx *c, const char *name, const char *def)
{
    const char *v = req_field(c->req, name);
    return v ? v : def;
}

int page_connect_profile_save(struct ctx *c)
{
    struct connect_profile p, old;
    struct connect_area *areas;
    struct connect_field_error *errs = NULL;
    size_t nareas, nerrs = 0;
    int rc;
    if ((rc = connect_profile_get(c->db, c->arena, c->user->id, &old)) ||
        (rc = connect_areas(c->db, c->arena, &areas, &nareas)))
        return rc;
    p = old;
    p.matching = req_field_bool(c->req, "matching");
    p.in_directory = req_field_bool(c->req, "in_directory");
    p.directory_role = field_or(c, "directory_role", "");
    p.offers_mentoring = req_field_bool(c->req, "offers_mentoring");
    p.offers_coaching = req_field_bool(c->req, "offers_coaching");
    p.coach_accredited = req_field_bool(c->req, "coach_accredited");
    p.seeks_kind = field_or(c, "seeks_kind", "");
    p.organisation = field_or(c, "organisation", "");
    p.band = field_or(c, "band", "");
    p.hours_month = req_field_int(c->req, "hours_month", 0);
    p.max_mentees = req_field_int(c->req, "max_mentees", 0);
    p.preference = field_or(c, "preference", "any");
    if (!*p.preference)
        p.preference = "any";
    p.outside_org = req_field_bool(c->req, "outside_org");
    /* profession and region are the account's: one sent here that differs is refused, not
     * dropped (the API's old field, or a stale page) */
    if ((rc = account_value(c, "profession", old.profession)) ||
        (rc = account_value(c, "region", old.region)))
        return rc;
    if ((rc = ticked(c, "offers.", areas, nareas, &p.offers, &p.noffers)) ||
        (rc = ticked(c, "seeks.", areas, nareas, &p.seeks, &p.nseeks)) ||
        (rc = addresses(c, req_field(c->req, "excluded"), &p.excluded, &p.nexcluded)))
        return rc;
    /* a field the request layer refused keeps its message; the rest of the profile is checked
     * all the same, so every problem is shown at once, and nothing is saved */
    rc = c->req->nerrors
             ? connect_profile_check(c->db, c->arena, &p, &errs, &nerrs)
             : connect_profile_save(c->db, c->arena, &p, (int64_t)time(NULL), &errs, &nerrs);
    if (rc && rc != APP_E_INVALID)
        return rc;
    /* a number the request layer refused (words, or too long) is told its range too */
    if ((req_error(c->req, "hours_month") &&
         (rc = req_replace_error(c->req, "hours_month", CONNECT_HOURS_RANGE))) ||
        (req_error(c->req, "max_mentees") &&
         (rc = req_replace_error(c->req, "max_mentees", CONNECT_MENTEES_RANGE))))
        return rc;
    if ((rc = connect_page_errors(c, errs, nerrs)))
        return rc;
    if (c->req->nerrors)
        return render_invalid(c, "connect/profile", form_model(c, &p, areas, nareas));
    if (c->want_json) {
        if ((rc = connect_profile_get(c->db, c->arena, c->user->id, &p)))
            return rc;
        return render(c, 200, NULL, jobj(json_object(), "profile", profile_json(&p)));
    }
    if ((rc = flash_set(c, "connect_profile_saved")))
        return rc;
    return resp_redirect(c, "/connect");
}

int page_connect_directory(struct ctx *c)
{
    const char *region = field_or(c, "region", ""), *role = field_or(c, "role", "");
    int64_t page = req_field_int(c->req, "page", 1), total = 0;
    struct connect_directory_entry *e;
    size_t n;
    json_t *list = json_array(), *m;
    const char *base;
    int rc;
    if (page < 1)
        page = 1;
    if (*region && !ref_name(regions, regions_count, region))
        region = ""; /* an unknown filter filters nothing rather than hiding everyone */
    if (*role && !connect_choice_name(connect_roles, connect_roles_count, role))
        role = "";
    if (page > 100000)
        page = 100000;
    rc = connect_directory(c->db, c->arena, region, role, (int)((page - 1) * DIRECTORY_PER_PAGE),
                           DIRECTORY_PER_PAGE, &e, &n, &total);
    if (rc) {
        json_decref(list);
        return rc;
    }
    for (size_t i = 0; list && i < n; i++) {
        json_t *o = jobj(json_object(), "name", jstr(e[i].display_name));
        o = jobj(o, "email", jstr(e[i].email));
        o = jobj(o, "role", jstr(e[i].role));
        o = jobj(o, "role_name",
                 jstr(connect_choice_name(connect_roles, connect_roles_count, e[i].role)));
        o = jobj(o, "profession", jstr(connect_page_profession(e[i].profession)));
        o = jobj(o, "region", jstr(connect_page_region(e[i].region)));
        o = jobj(o, "organisation", jstr(e[i].organisation));
        if (!o || json_array_append_new(list, o)) {
            json_decref(list);
            list = NULL;
        }
    }
    base = arena_printf(c->arena, "/connect/directory?region=%s&role=%s", region, role);
    m = jobj(json_object(), "title", jstr("Directory of roles"));
    m = jobj(m, "people", list);
    m = jobj(m, "total", jint(total));
    m = jobj(m, "regions", connect_page_refs(true, region, "Any region"));
    m = jobj(m, "roles",
             connect_page_choices(connect_roles, connect_roles_count, role, "Any role"));
    m = jobj(m, "filtered", jbool(*region || *role));
    m = jobj(m, "pagination", render_pagination(base, page, DIRECTORY_PER_PAGE, total, NULL));
    return render(c, 200, "connect/directory", m);
}
