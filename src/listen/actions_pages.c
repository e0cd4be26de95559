/* actions_pages.c: "You said, we did" handlers — the public page of an exercise's actions beside
 * its themes, and the facilitators' add, change and delete
 *
 * The page is public once the exercise's report is published: it then shows the themes the
 * facilitators published, fixed at that moment (a later analysis or curation changes nothing
 * here), each with its actions, and only the themes that have actions in full; the others are
 * named in one list, so the page never says "Nothing yet" again and again. Before that the
 * public gets a plain "not published yet" answer (404) and facilitators a preview made from
 * the latest analysis. Everything on it was written for publishing (theme sizes under the
 * disclosure rule, actions checked for contact details by actions.c), and it never shows who
 * recorded an action.
 *
 * The "Add an action" form lives on the page itself and the edit page shows the same form
 * (templates/listen/action_form.html, included in the page with "embedded" set), so a failed
 * submission comes back as the page it was sent from, with the NHS error summary and
 * everything that was typed.
 */
#include "listen/actions.h"
#include "listen/curation.h"
#include "listen/pages.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "web/date_input.h"
#include "web/render.h"
#include "text/disclosure.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Characters of an action's text repeated in hidden link text ("Edit the action: …"), so a
 * screen reader's list of links tells the actions apart without reading each one in full. */
#define SHORT_CHARS 60
#define TERMS_SHOWN 5

/* The first SHORT_CHARS characters of s on one line, with "…" when cut. */
static json_t *short_text(const char *s)
{
    struct buf b = BUF_INIT;
    size_t chars = 0;
    json_t *r;
    for (const char *p = s; *p; p++) {
        if (((unsigned char)*p & 0xc0) != 0x80 && chars++ == SHORT_CHARS) {
            buf_puts(&b, "…");
            break;
        }
        buf_putc(&b, *p == '\n' || *p == '\t' ? ' ' : *p);
    }
    r = buf_oom(&b) ? NULL : json_stringn(b.data ? b.data : "", b.len);
    buf_free(&b);
    return r;
}

static json_t *action_json(const struct listen_action *a)
{
    bool done = !strcmp(a->status, "done"), doing = !strcmp(a->status, "in_progress");
    const char *name = listen_action_status_name(a->status);
    json_t *o = jobj(json_object(), "id", jint(a->id));
    o = jobj(o, "theme", jstr(a->theme));
    o = jobj(o, "what", jstr(a->what));
    o = jobj(o, "who", jstr(a->who));
    o = jobj(o, "status", jstr(a->status));
    o = jobj(o, "status_name", json_string_nocheck(name ? name : ""));
    /* NHS tags: grey for not started, blue for under way, green for finished */
    o = jobj(o, "status_colour", json_string_nocheck(done ? "green" : doing ? "blue" : "grey"));
    o = jobj(o, "is_done", jbool(done));
    o = jobj(o, "due", jdate(a->due_at));
    o = jobj(o, "due_date", jdate_input(a->due_at));
    o = jobj(o, "date_label", json_string_nocheck(done ? "Done on" : "Planned for"));
    o = jobj(o, "updated", jdate(a->updated_at));
    return jobj(o, "short", short_text(a->what));
}

/* The theme select: "Not linked to one theme", then the latest analysis's themes, then (when
 * editing an action whose theme the latest analysis no longer has) that theme, kept. */
static json_t *theme_options(const json_t *themes, const char *selected, const char *keep)
{
    json_t *arr = json_array(), *o;
    const json_t *th;
    bool keep_listed = !keep || !*keep;
    size_t i;
    if (!arr)
        return NULL;
    o = jobj(json_object(), "value", json_string_nocheck(""));
    o = jobj(o, "text", json_string_nocheck("Not linked to one theme"));
    o = jobj(o, "selected", jbool(!selected || !*selected));
    if (!o || json_array_append_new(arr, o))
        goto fail;
    json_array_foreach(themes, i, th)
    {
        const char *label = json_string_value(json_object_get(th, "label"));
        keep_listed |= keep && !strcmp(keep, label);
        o = jobj(json_object(), "value", jstr(label));
        o = jobj(o, "text", jstr(label));
        o = jobj(o, "selected", jbool(selected && !strcmp(selected, label)));
        if (!o || json_array_append_new(arr, o))
            goto fail;
    }
    if (!keep_listed) {
        o = jobj(json_object(), "value", jstr(keep));
        o = jobj(o, "text", json_sprintf("%s (from an earlier analysis)", keep));
        o = jobj(o, "selected", jbool(selected && !strcmp(selected, keep)));
        if (!o || json_array_append_new(arr, o))
            goto fail;
    }
    return arr;
fail:
    json_decref(arr);
    return NULL;
}

static json_t *status_options(const char *selected)
{
    static const char *const codes[] = {"planned", "in_progress", "done"};
    static const char *const ids[] = {"status", "status-in_progress", "status-done"};
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < 3; i++) {
        json_t *o = jobj(json_object(), "value", json_string_nocheck(codes[i]));
        o = jobj(o, "id", json_string_nocheck(ids[i]));
        o = jobj(o, "text", json_string_nocheck(listen_action_status_name(codes[i])));
        o = jobj(o, "selected", jbool(selected && !strcmp(selected, codes[i])));
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *exercise_brief(const struct listen_exercise *e)
{
    json_t *o = jobj(json_object(), "slug", jstr(e->slug));
    o = jobj(o, "title", jstr(e->title));
    o = jobj(o, "language", jstr(e->language)); /* lang on theme names, from what people wrote */
    o = jobj(o, "status", json_string_nocheck(listen_status_name(e->status)));
    return jobj(o, "is_draft", jbool(e->status == LS_DRAFT));
}

/* Adds the form's options to m: from what was sent when it failed, else from the action being
 * edited (a), else the defaults of a new action. */
static json_t *with_form(struct ctx *c, json_t *m, const json_t *themes,
                         const struct listen_action *a, const char *action_url)
{
    bool failed = c->req->nerrors > 0;
    const char *own = a ? a->theme : NULL, *theme, *status;
    if (own && *own) {
        /* a theme renamed since the action was linked is offered, and chosen, by its new name */
        const json_t *th = listen_action_find_theme(themes, own);
        if (th)
            own = json_string_value(json_object_get(th, "label"));
    }
    theme = failed ? req_typed(c->req, "theme") : own;
    status = failed ? req_typed(c->req, "status") : a ? a->status : "planned";
    m = jobj(m, "theme_options", theme_options(themes, theme, own));
    m = jobj(m, "status_options", status_options(status));
    m = jobj(m, "form_action", jstr(action_url));
    m = jobj(m, "what_max", jint(LISTEN_ACTION_WHAT_MAX));
    m = jobj(m, "due_input",
             date_input_json(c->req, "due", "Date (optional)",
                             "The day it is planned for or, once it is done, the day it was done. "
                             "For example, 31 3 2027",
                             a ? a->due_at : 0));
    if (a && !failed) {
        /* what is stored; a failed form keeps what was typed (render() adds it) */
        json_t *f = jobj(json_object(), "what", jstr(a->what));
        f = jobj(f, "who", jstr(a->who));
        f = jobj(f, "due", jdate_input(a->due_at));
        m = jobj(m, "form", f);
    }
    return m;
}

/* The theme object labelled label in arr, or NULL. */
static json_t *find_theme(json_t *arr, const char *label)
{
    json_t *th;
    size_t i;
    json_array_foreach(arr, i, th)
    {
        const char *l = json_string_value(json_object_get(th, "label"));
        if (l && !strcmp(l, label))
            return th;
    }
    return NULL;
}

/* The page's object for the theme of the latest analysis that an action linked to label
 * belongs to (shown is built from themes, one for one), or NULL. */
static json_t *theme_home(const json_t *themes, json_t *shown, const char *label)
{
    const json_t *th = listen_action_find_theme(themes, label), *x;
    size_t i;
    json_array_foreach(themes, i, x)
    {
        if (x == th)
            return json_array_get(shown, i);
    }
    return NULL;
}

/* Appends action a to the "actions" array of the theme object th. */
static int add_to(json_t *th, json_t *action)
{
    json_t *arr = json_object_get(th, "actions");
    if (!action)
        return APP_E_NOMEM;
    if (json_array_append_new(arr, action))
        return APP_E_NOMEM;
    return json_object_set_new(th, "has_actions", json_true()) ? APP_E_NOMEM : APP_OK;
}

/* Marks the first object of arr with the heading of its part of the page. */
static int head(json_t *arr, const char *id, const char *heading, const char *note)
{
    json_t *first = json_array_get(arr, 0);
    if (!first)
        return APP_OK;
    if (json_object_set_new(first, "heading_id", json_string(id)) ||
        json_object_set_new(first, "heading", json_string(heading)) ||
        (note && json_object_set_new(first, "note", json_string(note))))
        return APP_E_NOMEM;
    return APP_OK;
}

/* For the HTML page only: the three lists as one, so the template shows an action in one
 * place. The objects are shared with the lists (the JSON answer never has this). */
static json_t *page_groups(json_t *shown, json_t *earlier, json_t *general)
{
    json_t *groups = json_array(), *g;
    size_t i;
    char key[48];
    if (!groups ||
        head(shown, "themes", "What you said, and what we are doing",
             "Numbers of contributions from 1 to " DISCLOSURE_HIDDEN_UP_TO
             " are shown as * and larger "
             "numbers are rounded to the nearest 5, so that nobody can be picked "
             "out.") ||
        head(earlier, "earlier-themes", "Themes from an earlier analysis",
             "These actions answer themes that the latest analysis no longer finds under "
             "the same name."))
        goto fail;
    json_array_foreach(shown, i, g)
    {
        snprintf(key, sizeof key, "theme-%zu", i + 1);
        if (json_object_set_new(g, "key", json_string(key)) || json_array_append(groups, g))
            goto fail;
    }
    json_array_foreach(earlier, i, g)
    {
        snprintf(key, sizeof key, "earlier-theme-%zu", i + 1);
        if (json_object_set_new(g, "key", json_string(key)) || json_array_append(groups, g))
            goto fail;
    }
    if (json_array_size(general)) {
        g = json_pack("{s:s, s:s, s:s, s:b, s:b, s:O}", "key", "general-actions", "heading_id",
                      "general", "heading", "Other actions", "is_general", 1, "has_actions", 1,
                      "actions", general);
        if (!g || json_array_append_new(groups, g))
            goto fail;
    }
    return groups;
fail:
    json_decref(groups);
    return NULL;
}

/* The page: each theme of the latest analysis with its actions, then the themes of actions
 * that the latest analysis no longer has, then the actions linked to no theme. *out is a new
 * reference for render(). */
static int page_model(struct ctx *c, const struct listen_exercise *e, json_t **out)
{
    struct listen_action *as;
    size_t n, i;
    long long counts[3] = {0, 0, 0};
    json_t *themes = NULL, *shown = json_array(), *earlier = json_array(), *general = json_array();
    json_t *m = NULL, *th, *quiet = NULL, *with_actions = NULL;
    bool manage = listen_page_can_manage(c), published = false;
    int rc = shown && earlier && general ? APP_OK : APP_E_NOMEM;
    *out = NULL;
    if (!rc)
        rc = listen_action_published_themes(c->db, e->id, &themes, &published);
    if (!rc && !published)
        rc = listen_action_live_themes(c->db, e->id, &themes);
    if (!rc)
        rc = listen_action_list(c->db, c->arena, e->id, &as, &n);
    /* words taken back since the themes were fixed or the actions linked: shown as removed */
    if (!rc)
        rc = listen_action_scrub(c->db, c->arena, e->id, themes, as, n);
    if (rc)
        goto done;
    rc = APP_E_NOMEM; /* until the model is whole */
    json_array_foreach(themes, i, th)
    {
        json_t *o = jobj(json_object(), "number", jint((long long)i + 1));
        o = jobj(o, "label", json_incref(json_object_get(th, "label")));
        o = jobj(o, "size",
                 json_object_get(th, "size") ? json_incref(json_object_get(th, "size"))
                                             : json_string(""));
        o = jobj(o, "terms",
                 json_object_get(th, "terms") ? json_incref(json_object_get(th, "terms"))
                                              : json_array());
        /* the first few terms: enough to recognise the theme by; the report lists them all */
        o = jobj(o, "terms_text", listen_terms_text(json_object_get(th, "terms"), TERMS_SHOWN));
        o = jobj(o, "actions", json_array());
        o = jobj(o, "has_actions", jbool(0));
        if (!o || json_array_append_new(shown, o))
            goto done;
    }
    for (i = 0; i < n; i++) {
        json_t *home;
        counts[!strcmp(as[i].status, "done") ? 2 : !strcmp(as[i].status, "in_progress") ? 1 : 0]++;
        if (!*as[i].theme) {
            if (json_array_append_new(general, action_json(&as[i])))
                goto done;
            continue;
        }
        home = theme_home(themes, shown, as[i].theme);
        if (!home)
            home = find_theme(earlier, as[i].theme);
        if (!home) {
            home = jobj(json_object(), "label", jstr(as[i].theme));
            home = jobj(home, "actions", json_array());
            if (!home || json_array_append_new(earlier, home))
                goto done;
        }
        if (add_to(home, action_json(&as[i])))
            goto done;
    }
    /* the page lists in full the themes that have actions; the rest are named once */
    quiet = json_array();
    with_actions = json_array();
    json_array_foreach(shown, i, th)
    {
        if (!quiet || !with_actions)
            goto done;
        if (json_array_append(json_is_true(json_object_get(th, "has_actions")) ? with_actions
                                                                               : quiet,
                              th))
            goto done;
    }
    m = jobj(json_object(), "title", json_sprintf("You said, we did: %s", e->title));
    m = jobj(m, "exercise", exercise_brief(e));
    m = jobj(m, "is_published", jbool(published));
    m = jobj(m, "is_preview", jbool(!published));
    m = jobj(m, "themes_without_actions", json_incref(quiet));
    m = jobj(m, "has_themes_without_actions", jbool(json_array_size(quiet) > 0));
    m = jobj(m, "has_analysis", jbool(json_array_size(themes) > 0));
    m = jobj(m, "themes", json_incref(shown));
    m = jobj(m, "earlier_themes", json_incref(earlier));
    m = jobj(m, "general", json_incref(general));
    {
        json_t *cn = jobj(json_object(), "total", jint((long long)n));
        cn = jobj(cn, "planned", jint(counts[0]));
        cn = jobj(cn, "in_progress", jint(counts[1]));
        cn = jobj(cn, "done", jint(counts[2]));
        cn = jobj(cn, "summary",
                  json_sprintf("%zu %s: %lld done, %lld in progress and %lld planned.", n,
                               n == 1 ? "action" : "actions", counts[2], counts[1], counts[0]));
        m = jobj(m, "counts", cn);
    }
    if (!c->want_json)
        m = jobj(m, "groups", page_groups(with_actions, earlier, general));
    m = jobj(m, "can_manage", jbool(manage));
    if (manage) {
        m = jobj(m, "embedded", jbool(1));
        m = jobj(m, "submit_text", json_string_nocheck("Add the action"));
        m = with_form(c, m, themes, NULL, arena_printf(c->arena, "/listen/%s/actions", e->slug));
    }
    if (m) {
        *out = m;
        rc = APP_OK;
    }
done:
    json_decref(quiet);
    json_decref(with_actions);
    json_decref(themes);
    json_decref(shown);
    json_decref(earlier);
    json_decref(general);
    return rc;
}

int page_listen_actions(struct ctx *c)
{
    struct listen_exercise e;
    json_t *m = NULL, *fixed = NULL;
    bool published = false;
    int rc = listen_page_exercise(c, &e);
    if (!rc && !listen_page_can_manage(c)) {
        /* the public sees it only once the facilitators have published what was heard */
        rc = listen_action_published_themes(c->db, e.id, &fixed, &published);
        json_decref(fixed);
        if (!rc && !published) {
            render_error(c, APP_E_NOTFOUND,
                         "The results of this exercise have not been published yet. \"You "
                         "said, we did\" will show here what is being done about what people "
                         "said, once the facilitators publish their report.");
            return APP_OK;
        }
    }
    if (!rc)
        rc = page_model(c, &e, &m);
    if (!rc && c->want_json && listen_api_counts(m)) { /* numbers as numbers (api_counts.c) */
        json_decref(m);
        rc = APP_E_NOMEM;
    }
    return rc ? rc : render(c, 200, "listen/actions", m);
}

/* The action named by the path's :id, of exercise e. */
static int path_action(struct ctx *c, const struct listen_exercise *e, struct listen_action *a)
{
    int64_t id;
    if (!parse_int64(str_from(req_param(c->req, "id")), &id) || id <= 0)
        return APP_E_NOTFOUND;
    return listen_action_get(c->db, c->arena, e->id, id, a);
}

/* Reads the form into in and adds a field error for each problem, as the domain code words
 * it; a field the router already found wrong keeps that error. Returns APP_E_NOMEM only. */
static int read_form(struct ctx *c, struct listen_action_input *in)
{
    struct listen_action_problem problems[LISTEN_ACTION_FIELDS];
    size_t n;
    int rc = APP_OK;
    memset(in, 0, sizeof *in);
    in->theme = req_field(c->req, "theme");
    in->what = req_field(c->req, "what");
    in->who = req_field(c->req, "who");
    in->status = req_field(c->req, "status");
    if (!req_error(c->req, "due")) { /* NHS.UK date input, or from the API one ISO field */
        const char *why = date_input_read(c->req, "due", "The date", &in->due_at);
        if (why)
            rc = req_add_error(c->req, "due", why);
    }
    n = listen_action_check(in, (int64_t)time(NULL), problems);
    for (size_t i = 0; !rc && i < n; i++)
        if (!req_error(c->req, problems[i].field))
            rc = req_add_error(c->req, problems[i].field, problems[i].message);
    return rc;
}

/* What the domain code refused after the form's own checks passed: the theme, when a new
 * analysis changed the themes after the form was shown. */
static int refused(struct ctx *c, const char *field)
{
    return req_add_error(c->req, field ? field : "what",
                         field && !strcmp(field, "theme")
                             ? "Select a theme from the list: the themes may have changed since "
                               "the page was loaded"
                             : "Check what you entered here");
}

int page_listen_action_create(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_action_input in;
    const char *field = NULL;
    int64_t id = 0;
    int rc = listen_page_exercise(c, &e);
    if (!rc)
        rc = read_form(c, &in);
    if (rc)
        return rc;
    if (!c->req->nerrors) {
        rc = listen_action_create(c->db, e.id, &in, c->user->id, &id, &field);
        if (rc == APP_E_INVALID)
            rc = refused(c, field);
        if (rc)
            return rc;
    }
    if (c->req->nerrors) {
        json_t *m = NULL;
        rc = page_model(c, &e, &m);
        return rc ? rc : render_invalid(c, "listen/actions", m);
    }
    if (c->want_json)
        return render(c, 201, NULL, jobj(json_object(), "id", jint(id)));
    rc = flash_set(c, "action_saved");
    return rc ? rc
              : resp_redirect(c, arena_printf(c->arena, "/listen/%s/actions#action-%lld", e.slug,
                                              (long long)id));
}

/* The edit page of action a; *out as for page_model(). */
static int form_model(struct ctx *c, const struct listen_exercise *e, const struct listen_action *a,
                      json_t **out)
{
    json_t *themes = NULL, *m;
    struct listen_action shown = *a; /* its theme as the themes are shown: words taken back */
    int rc = listen_action_themes(c->db, e->id, &themes);
    *out = NULL;
    if (!rc)
        rc = listen_action_scrub(c->db, c->arena, e->id, themes, &shown, 1);
    if (rc) {
        json_decref(themes);
        return rc;
    }
    a = &shown;
    m = jobj(json_object(), "title", json_string_nocheck("Change an action"));
    m = jobj(m, "exercise", exercise_brief(e));
    m = jobj(m, "action", action_json(a));
    m = jobj(m, "submit_text", json_string_nocheck("Save changes"));
    m = with_form(c, m, themes, a,
                  arena_printf(c->arena, "/listen/%s/actions/%lld", e->slug, (long long)a->id));
    json_decref(themes);
    *out = m;
    return m ? APP_OK : APP_E_NOMEM;
}

int page_listen_action_edit_form(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_action a;
    json_t *m = NULL;
    int rc = listen_page_exercise(c, &e);
    if (!rc)
        rc = path_action(c, &e, &a);
    if (!rc)
        rc = form_model(c, &e, &a, &m);
    return rc ? rc : render(c, 200, "listen/action_form", m);
}

int page_listen_action_update(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_action a;
    struct listen_action_input in;
    const char *field = NULL;
    int rc = listen_page_exercise(c, &e);
    if (!rc)
        rc = path_action(c, &e, &a);
    if (!rc)
        rc = read_form(c, &in);
    if (rc)
        return rc;
    if (!c->req->nerrors) {
        rc = listen_action_update(c->db, e.id, a.id, &in, &field);
        if (rc == APP_E_INVALID)
            rc = refused(c, field);
        if (rc)
            return rc;
    }
    if (c->req->nerrors) {
        json_t *m = NULL;
        rc = form_model(c, &e, &a, &m);
        return rc ? rc : render_invalid(c, "listen/action_form", m);
    }
    if (c->want_json)
        return render(c, 200, NULL, jobj(jobj(json_object(), "id", jint(a.id)), "saved", jbool(1)));
    rc = flash_set(c, "action_saved");
    return rc ? rc
              : resp_redirect(c, arena_printf(c->arena, "/listen/%s/actions#action-%lld", e.slug,
                                              (long long)a.id));
}

int page_listen_action_delete(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_action a;
    int rc = listen_page_exercise(c, &e);
    if (!rc)
        rc = path_action(c, &e, &a);
    if (!rc)
        rc = listen_action_delete(c->db, e.id, a.id);
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "deleted", jbool(1)));
    rc = flash_set(c, "action_deleted");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/listen/%s/actions", e.slug));
}
