/* exercise_pages.c: facilitators' pages for an exercise — create, edit, open and close it,
 * add and remove its facilitators, and ask for an analysis */
#include "listen/analysis.h"
#include "listen/pages.h"
#include "core/buf.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/uktime.h"
#include "text/language.h"
#include "text/themes.h"
#include "web/date_input.h"
#include "web/render.h"

#include <string.h>
#include <time.h>

/* ---- facilitators: create, edit, open and close ---- */

/* The language choices, the current one (tag) selected; a tag with a region or script that
 * is not in the list ("de-AT", set through the API) comes first, as itself. */
static json_t *language_options(struct ctx *c, const char *tag)
{
    size_t n;
    const struct language *all = language_all(&n);
    json_t *arr = json_array();
    bool found = false;
    for (size_t i = 0; arr && i < n; i++)
        found = found || (tag && !strcmp(tag, all[i].code));
    if (arr && tag && !found && language_find(tag)) {
        json_t *o = jobj(json_object(), "code", jstr(tag));
        o = jobj(o, "name",
                 jstr(arena_printf(c->arena, "%s (%s)", listen_language_name(tag), tag)));
        o = jobj(o, "selected", jbool(1));
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            return NULL;
        }
        found = true;
    }
    for (size_t i = 0; arr && i < n; i++) {
        bool sel = found ? tag && !strcmp(tag, all[i].code) : !strcmp(all[i].code, "en");
        json_t *o = jobj(json_object(), "code", jstr(all[i].code));
        o = jobj(o, "name", jstr(all[i].name));
        o = jobj(o, "selected", jbool(sel));
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

/* The exercise form's model: from the exercise (editing) or empty (new). */
static json_t *form_model(struct ctx *c, const struct listen_exercise *e)
{
    json_t *m = jobj(json_object(), "title",
                     json_string_nocheck(e ? "Edit listening exercise" : "New listening exercise"));
    if (e) {
        struct buf prompts = BUF_INIT;
        json_t *f;
        for (size_t i = 0; i < e->nprompts; i++) {
            buf_puts(&prompts, e->prompts[i].text);
            buf_putc(&prompts, '\n');
        }
        f = jobj(json_object(), "title", jstr(e->title));
        f = jobj(f, "summary", jstr(e->summary_md));
        f = jobj(f, "audience_citizen", jbool(strstr(e->audiences, "citizen") != NULL));
        f = jobj(f, "audience_ahp", jbool(strstr(e->audiences, "ahp") != NULL));
        f = jobj(f, "audience_staff", jbool(strstr(e->audiences, "staff") != NULL));
        f = jobj(f, "opens", jdate_input(e->opens_at));
        f = jobj(f, "closes", jdate_input(e->closes_at ? e->closes_at - 86400 : 0));
        f = jobj(f, "moderation", json_string_nocheck(e->pre_moderation ? "pre" : "post"));
        f = jobj(f, "moderation_pre", jbool(e->pre_moderation));
        f = jobj(f, "moderation_post", jbool(!e->pre_moderation));
        f = jobj(f, "flag_threshold", jint(e->flag_threshold));
        f = jobj(f, "prompts", buf_oom(&prompts) ? NULL : jstr(prompts.data));
        f = jobj(f, "language", jstr(e->language));
        buf_free(&prompts);
        if (!c->req->nerrors)
            m = jobj(m, "form", f);
        else
            json_decref(f);
        m = jobj(m, "exercise", listen_page_exercise_json(c->arena, e, 0));
    } else if (!c->req->nerrors) {
        json_t *f = jobj(json_object(), "audience_citizen", jbool(1));
        f = jobj(f, "audience_ahp", jbool(1));
        f = jobj(f, "audience_staff", jbool(1));
        f = jobj(f, "moderation", json_string_nocheck("post"));
        f = jobj(f, "moderation_post", jbool(1));
        f = jobj(f, "flag_threshold", jint(3));
        f = jobj(f, "language", jstr(LANGUAGE_DEFAULT));
        m = jobj(m, "form", f);
    }
    if (m && c->req->nerrors) {
        /* keep what was typed, refused values too (req_typed); checkboxes come back as
         * booleans for the template */
        json_t *f = json_object();
        const char *names[] = {"title",          "summary", "opens",   "closes", "moderation",
                               "flag_threshold", "prompts", "language"};
        for (size_t i = 0; f && i < sizeof names / sizeof names[0]; i++)
            f = jobj(f, names[i], jstr(req_typed(c->req, names[i])));
        f = jobj(f, "audience_citizen", jbool(req_field_bool(c->req, "audience_citizen")));
        f = jobj(f, "audience_ahp", jbool(req_field_bool(c->req, "audience_ahp")));
        f = jobj(f, "audience_staff", jbool(req_field_bool(c->req, "audience_staff")));
        {
            const char *mod = req_field(c->req, "moderation");
            f = jobj(f, "moderation_pre", jbool(mod && !strcmp(mod, "pre")));
            f = jobj(f, "moderation_post", jbool(mod && !strcmp(mod, "post")));
        }
        m = jobj(m, "form", f);
    }
    {
        /* what was sent (canonical when it reads), else the exercise's, else English */
        const char *sent = c->req->nerrors ? req_field(c->req, "language") : NULL;
        char tag[LANGUAGE_TAG_MAX];
        if (sent && !language_canonical(sent, tag))
            sent = NULL;
        m = jobj(m, "languages",
                 language_options(c, sent ? tag : e ? e->language : LANGUAGE_DEFAULT));
    }
    m = jobj(m, "opens_input",
             date_input_json(c->req, "opens", "Opening date (optional)",
                             "People can take part from the start of this day, once you have "
                             "opened the exercise. Leave it empty to let them take part as soon "
                             "as you open it. For example, 1 12 2026",
                             e ? e->opens_at : 0));
    m = jobj(m, "closes_input",
             date_input_json(c->req, "closes", "Closing date (optional)",
                             "People can take part until the end of this day. Leave it empty to "
                             "keep the exercise open until you close it. For example, 31 1 2027",
                             e && e->closes_at ? e->closes_at - 86400 : 0));
    return m;
}

/* Reads and checks the exercise form. Adds field errors; returns APP_E_NOMEM only. */
/* was_closes: the exercise's closing time as stored (0 when it is new): a closing date set or
 * changed must not be over already, but an exercise that has closed can still be edited. */
static int read_form(struct ctx *c, struct listen_exercise_input *in, int64_t was_closes)
{
    const char *mod = req_field(c->req, "moderation"), *prompts = req_field(c->req, "prompts"),
               *lang = req_field(c->req, "language");
    struct buf audb = BUF_INIT;
    const char **list;
    size_t n = 0;
    memset(in, 0, sizeof *in);
    in->title = req_field(c->req, "title");
    in->summary_md = req_field(c->req, "summary");
    if (req_field_bool(c->req, "audience_citizen"))
        buf_puts(&audb, "citizen,");
    if (req_field_bool(c->req, "audience_ahp"))
        buf_puts(&audb, "ahp,");
    if (req_field_bool(c->req, "audience_staff"))
        buf_puts(&audb, "staff,");
    if (!audb.len)
        req_add_error(c->req, "audience_citizen",
                      "Select at least one group of people to hear from");
    in->audiences =
        arena_strndup(c->arena, audb.data ? audb.data : "", audb.len ? audb.len - 1 : 0);
    buf_free(&audb);
    /* NHS.UK date inputs (opens-day …), or from the API one ISO field each (web/date_input.h) */
    date_input_field(c->req, "opens", "The opening date", &in->opens_at);
    if (date_input_field(c->req, "closes", "The closing date", &in->closes_at) && in->closes_at)
        in->closes_at += 86400; /* open until the end of the closing day */
    if (in->opens_at && in->closes_at && in->closes_at <= in->opens_at)
        req_add_error(c->req, "closes", "The closing date must be on or after the opening date");
    else if (in->closes_at && in->closes_at != was_closes &&
             in->closes_at <= uk_today((int64_t)time(NULL)))
        req_add_error(c->req, "closes", "The closing date must be today or in the future");
    if (!mod || (strcmp(mod, "pre") && strcmp(mod, "post")))
        req_add_error(c->req, "moderation", "Select how contributions are moderated");
    in->pre_moderation = mod && !strcmp(mod, "pre");
    /* a tag text/language.h knows, canonical; absent: the caller's default */
    if (lang && *lang) {
        char tag[LANGUAGE_TAG_MAX];
        if (language_canonical(lang, tag))
            in->language = arena_strdup(c->arena, tag);
        else
            req_add_error(c->req, "language",
                          "Select a language from the list (through the API, a language code "
                          "such as en, de or de-AT)");
    }
    in->flag_threshold = (int)req_field_int(c->req, "flag_threshold", 3);
    if (in->flag_threshold < 1 || in->flag_threshold > 100)
        req_add_error(c->req, "flag_threshold", "Enter a number of reports from 1 to 100");
    /* One question per line; blank lines are ignored. */
    list = arena_calloc(c->arena, 64, sizeof *list);
    if (!list || !in->audiences)
        return APP_E_NOMEM;
    for (const char *p = prompts; p && *p && n < 64;) {
        const char *nl = strchr(p, '\n');
        struct str line = str_trim((struct str){p, nl ? (size_t)(nl - p) : strlen(p)});
        if (line.len > 500) {
            req_add_error(c->req, "prompts", "Each question must be 500 characters or fewer");
            break;
        }
        if (line.len && !(list[n++] = str_dup(c->arena, line)))
            return APP_E_NOMEM;
        p = nl ? nl + 1 : p + strlen(p);
    }
    if (n == 0 && !req_error(c->req, "prompts"))
        req_add_error(c->req, "prompts", "Enter at least one question, one per line");
    in->prompts = list;
    in->nprompts = n;
    return APP_OK;
}

int page_listen_new_form(struct ctx *c)
{
    return render(c, 200, "listen/form", form_model(c, NULL));
}

int page_listen_create(struct ctx *c)
{
    struct listen_exercise_input in;
    const char *slug = NULL;
    int64_t id;
    int rc = read_form(c, &in, 0);
    if (rc)
        return rc;
    if (c->req->nerrors)
        return render_invalid(c, "listen/form", form_model(c, NULL));
    rc = listen_exercise_create(c->db, &in, c->user->id, &id, &slug, c->arena);
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 201, NULL, jobj(jobj(json_object(), "id", jint(id)), "slug", jstr(slug)));
    rc = flash_set(c, "exercise_saved");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/listen/%s", slug));
}

int page_listen_edit_form(struct ctx *c)
{
    struct listen_exercise e;
    int rc = listen_page_exercise(c, &e);
    return rc ? rc : render(c, 200, "listen/form", form_model(c, &e));
}

int page_listen_edit(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_exercise_input in;
    int rc = listen_page_exercise(c, &e);
    if (!rc)
        rc = read_form(c, &in, e.closes_at);
    if (rc)
        return rc;
    if (c->req->nerrors)
        return render_invalid(c, "listen/form", form_model(c, &e));
    if (!in.language)
        in.language = e.language; /* not sent: unchanged */
    rc = listen_exercise_update(c->db, e.id, &in);
    if (rc == APP_E_CONFLICT) {
        req_add_error(c->req, "prompts",
                      "A question that people have already answered cannot be removed");
        return render_invalid(c, "listen/form", form_model(c, &e));
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "saved", jbool(1)));
    rc = flash_set(c, "exercise_saved");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/listen/%s", e.slug));
}

int page_listen_status(struct ctx *c)
{
    struct listen_exercise e;
    enum listen_status to;
    int rc = listen_page_exercise(c, &e);
    if (rc)
        return rc;
    if (listen_status_parse(req_field(c->req, "status"), &to)) {
        render_error(c, APP_E_INVALID, "Choose open, closed or published.");
        return APP_OK;
    }
    /* a field the request layer refused ("confirmed" not a yes or no) changes nothing: not
     * taken as left blank, which would move the exercise without being asked, or ask again */
    if (c->req->nerrors) {
        render_error(c, APP_E_INVALID, c->req->errors[0].message);
        return APP_OK;
    }
    /* Closing stops everyone taking part: a browser is asked once more before it happens
     * (the confirmation page posts the same form with confirmed set). */
    if (to == LS_CLOSED && e.status == LS_OPEN && !c->want_json &&
        !req_field_bool(c->req, "confirmed")) {
        /* the page's title: the exercise's own may end in a question mark */
        json_t *m = jobj(json_object(), "title",
                         json_string_nocheck("Are you sure you want to close this exercise?"));
        m = jobj(m, "exercise", listen_page_exercise_json(c->arena, &e, 0));
        return render(c, 200, "listen/confirm_close", m);
    }
    /* Publishing cannot be undone (originals of redacted text are deleted, the data becomes
     * open): asked once more too */
    if (to == LS_PUBLISHED && e.status == LS_CLOSED && !c->want_json &&
        !req_field_bool(c->req, "confirmed")) {
        json_t *m = jobj(json_object(), "title",
                         json_string_nocheck("Are you sure you want to publish this exercise?"));
        m = jobj(m, "exercise", listen_page_exercise_json(c->arena, &e, 0));
        return render(c, 200, "listen/confirm_publish", m);
    }
    rc = listen_exercise_set_status(c->db, e.id, to, c->user->id);
    if (rc == APP_E_CONFLICT) {
        render_error(c, rc, "The exercise cannot move to that status from where it is now.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "status", jstr(listen_status_name(to))));
    rc = flash_set(c, to == LS_OPEN     ? "exercise_opened"
                      : to == LS_CLOSED ? "exercise_closed"
                      : to == LS_PUBLISHED ? "exercise_published"
                                           : "exercise_status");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/listen/%s", e.slug));
}

/* ---- the exercise's facilitators ---- */

static json_t *facilitators_model(struct ctx *c, const struct listen_exercise *e)
{
    struct listen_facilitator *fs;
    size_t n;
    json_t *arr, *m;
    if (listen_facilitator_list(c->db, c->arena, e->id, &fs, &n))
        return NULL;
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *f = jobj(json_object(), "user", jint(fs[i].user_id));
        f = jobj(f, "email", jstr(fs[i].email));
        f = jobj(f, "name", jstr(fs[i].display_name));
        f = jobj(f, "is_me", jbool(c->user && c->user->id == fs[i].user_id));
        /* the last facilitator cannot be removed: no button to offer */
        f = jobj(f, "removable", jbool(n > 1));
        if (!f || json_array_append_new(arr, f)) {
            json_decref(arr);
            return NULL;
        }
    }
    m = jobj(json_object(), "title", jstr(arena_printf(c->arena, "Facilitators: %s", e->title)));
    m = jobj(m, "exercise", listen_page_exercise_json(c->arena, e, 0));
    m = jobj(m, "facilitators", arr);
    if (m && c->req->nerrors)
        m = jobj(m, "form", jobj(json_object(), "email", jstr(req_typed(c->req, "email"))));
    return m;
}

int page_listen_facilitators(struct ctx *c)
{
    struct listen_exercise e;
    int rc = listen_page_exercise(c, &e);
    return rc ? rc : render(c, 200, "listen/facilitators", facilitators_model(c, &e));
}

int page_listen_facilitator_add(struct ctx *c)
{
    struct listen_exercise e;
    int rc = listen_page_exercise(c, &e);
    if (rc)
        return rc;
    if (c->req->nerrors)
        return render_invalid(c, "listen/facilitators", facilitators_model(c, &e));
    rc = listen_facilitator_add(c->db, e.id, req_field(c->req, "email"));
    if (rc == APP_E_NOTFOUND || rc == APP_E_INVALID || rc == APP_E_CONFLICT) {
        req_add_error(c->req, "email",
                      rc == APP_E_NOTFOUND ? "There is no account with that email address"
                      : rc == APP_E_INVALID
                          ? "That account is not a facilitator: an admin can make it one"
                          : "That person is already a facilitator of this exercise");
        return render_invalid(c, "listen/facilitators", facilitators_model(c, &e));
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "saved", jbool(1)));
    return resp_redirect(c, arena_printf(c->arena, "/listen/%s/facilitators", e.slug));
}

int page_listen_facilitator_remove(struct ctx *c)
{
    struct listen_exercise e;
    bool removed_self;
    int rc = listen_page_exercise(c, &e);
    if (rc)
        return rc;
    if (c->req->nerrors)
        return render_invalid(c, "listen/facilitators", facilitators_model(c, &e));
    rc = listen_facilitator_remove(c->db, e.id, req_field_int(c->req, "user", 0));
    if (rc == APP_E_NOTFOUND) {
        render_error(c, rc, "That person is not a facilitator of this exercise.");
        return APP_OK;
    }
    if (rc == APP_E_CONFLICT) {
        render_error(c, rc,
                     "An exercise needs at least one facilitator: add another before removing "
                     "the last one.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "saved", jbool(1)));
    /* a facilitator who removed themselves may no longer see the page: back to the exercise */
    removed_self = c->user->role < ROLE_ADMIN && req_field_int(c->req, "user", 0) == c->user->id;
    return resp_redirect(c, arena_printf(c->arena, removed_self ? "/listen/%s"
                                                                : "/listen/%s/facilitators",
                                         e.slug));
}

/* ---- analysis ---- */

int page_listen_analyse(struct ctx *c)
{
    struct listen_exercise e;
    int64_t id, k = req_field_int(c->req, "k", 0);
    int rc = listen_page_exercise(c, &e);
    if (rc)
        return rc;
    /* a number typed takes the range the automatic choice may reach (THEMES_KMAX), as the
     * command line does, and the hint says both */
    if (c->req->nerrors || k < 0 || k == 1 || k > THEMES_KMAX) {
        if (!req_error(c->req, "k"))
            req_add_error(c->req, "k",
                          arena_printf(c->arena,
                                       "Enter a number of themes from 2 to %d, or leave it empty",
                                       THEMES_KMAX));
        if (c->want_json) {
            render_error(c, APP_E_INVALID, req_error(c->req, "k"));
            return APP_OK;
        }
        return page_listen_analysis(c); /* shown again, with the error */
    }
    rc = listen_analysis_enqueue(c->db, e.id, c->user->id, (int)k, &id);
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 202, NULL, jobj(json_object(), "run", jint(id)));
    rc = flash_set(c, "analysis_queued");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/listen/%s/analysis", e.slug));
}
