/* render.c: view model → HTML page in the layout, or → JSON */
#include "web/render.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "web/template.h"
#include "text/disclosure.h"

#include <stdint.h>
#include <string.h>
#include <time.h>

json_t *jset(json_t *obj, const char *key, json_t *value)
{
    if (!obj || !value || json_object_set_new(obj, key, value)) {
        json_decref(obj);
        if (!obj)
            json_decref(value);
        return NULL;
    }
    return obj;
}

json_t *jobj(json_t *obj, const char *key, json_t *value)
{
    if (!obj || !value) {
        json_decref(obj);
        json_decref(value);
        return NULL;
    }
    if (json_object_set_new_nocheck(obj, key, value)) {
        json_decref(obj); /* jansson has already released value */
        return NULL;
    }
    return obj;
}

json_t *render_pagination(const char *base, int64_t page, int64_t per_page, int64_t total,
                          const char *fragment)
{
    int64_t pages = per_page > 0 ? (total + per_page - 1) / per_page : 0;
    const char *sep, *frag = fragment ? fragment : "";
    json_t *p;
    if (!base)
        return NULL;
    sep = strchr(base, '?') ? "&" : "?";
    p = json_pack("{s:I, s:I, s:I}", "page", (json_int_t)page, "pages", (json_int_t)pages, "total",
                  (json_int_t)total);
    if (p && page > 1)
        p = jset(p, "prev",
                 json_sprintf("%s%spage=%lld%s", base, sep, (long long)(page - 1), frag));
    if (p && page < pages)
        p = jset(p, "next",
                 json_sprintf("%s%spage=%lld%s", base, sep, (long long)(page + 1), frag));
    return p;
}

json_t *jstr(const char *s)
{
    return json_string(s ? s : "");
}

json_t *jint(long long v)
{
    return json_integer(v);
}

json_t *jbool(int v)
{
    return json_boolean(v);
}

/* Where the field an error is about comes among the route's declared fields, which are
 * declared in the order the page shows them: its declaration (its own or its family's,
 * form_field_spec), else the first box of a date declared as name-day or name_day; SIZE_MAX
 * for a field not declared (after the others). */
static size_t field_rank(const struct field_spec *f, const char *field)
{
    const struct field_spec *own = form_field_spec(f, field);
    size_t n = strlen(field);
    if (own)
        return (size_t)(own - f);
    for (size_t i = 0; f && f[i].name; i++)
        if (!strncmp(f[i].name, field, n) && (f[i].name[n] == '-' || f[i].name[n] == '_'))
            return i;
    return SIZE_MAX;
}

/* The request's errors as "errors" (name → message) and "error_list", the list in the
 * order of the fields on the page (GOV.UK's error summary), whichever order the request
 * layer and the handler found them in; errors about one field keep theirs. */
static int add_errors(struct ctx *c, json_t *model)
{
    const struct field_spec *fields = c->route ? c->route->fields : NULL;
    size_t n = c->req ? c->req->nerrors : 0, *order, *rank;
    json_t *byname, *list;
    if (!n)
        return APP_OK;
    order = arena_calloc(c->arena, n, sizeof *order);
    rank = arena_calloc(c->arena, n, sizeof *rank);
    if (!order || !rank)
        return APP_E_NOMEM;
    for (size_t i = 0; i < n; i++) { /* a stable insertion sort: a form has few errors */
        size_t j = i, r = field_rank(fields, c->req->errors[i].field);
        for (; j > 0 && rank[j - 1] > r; j--) {
            order[j] = order[j - 1];
            rank[j] = rank[j - 1];
        }
        order[j] = i;
        rank[j] = r;
    }
    byname = json_object();
    list = json_array();
    if (!byname || !list)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        const struct field_error *e = &c->req->errors[order[i]];
        json_t *item = json_pack("{s:s, s:s}", "field", e->field, "message", e->message);
        if (!item || json_array_append_new(list, item) ||
            json_object_set_new(byname, e->field, json_string(e->message)))
            goto nomem;
    }
    if (json_object_set_new(model, "errors", byname) ||
        json_object_set_new(model, "error_list", list))
        return APP_E_NOMEM;
    return APP_OK;
nomem:
    json_decref(byname);
    json_decref(list);
    return APP_E_NOMEM;
}

/* The values a form was submitted with, so a page with errors keeps what was typed, refused
 * values included (req_typed). */
static int add_form_values(struct ctx *c, json_t *model)
{
    json_t *form;
    const struct field_spec *f;
    if (json_object_get(model, "form") || !c->route || !c->route->fields)
        return APP_OK;
    form = json_object();
    if (!form)
        return APP_E_NOMEM;
    for (f = c->route->fields; f->name; f++) {
        const char *v;
        if (f->type == F_PASSWORD || f->type == F_FILE)
            continue;
        v = req_typed(c->req, f->name);
        if (v && json_object_set_new(form, f->name, json_string(v))) {
            json_decref(form);
            return APP_E_NOMEM;
        }
    }
    return json_object_set_new(model, "form", form) ? APP_E_NOMEM : APP_OK;
}

#define FLASH_COOKIE "ahp_flash"

static const struct {
    const char *code, *message;
} flashes[] = {
    {"profile_saved", "Your details have been saved"},
    {"password_changed",
     "Your password has been changed. You have been logged out everywhere else."},
    {"token_revoked", "The API token has been revoked"},
    {"role_changed", "The role has been changed"},
    {"listen_posted", "Thank you. Your contribution has been added."},
    {"listen_pending",
     "Thank you. Your contribution will be shown once a moderator has checked it."},
    {"listen_flagged", "Thank you. A moderator will look at the contribution you flagged."},
    {"listen_withdrawn", "Your contribution has been withdrawn"},
    {"listen_described", "Thank you. Who you are has been saved."},
    {"exercise_saved", "The listening exercise has been saved"},
    {"exercise_status", "The status of the listening exercise has been changed"},
    {"moderated", "Your decision has been recorded"},
    {"words_saved", "The word list has been saved"},
    {"imported", "The responses have been imported into a new, closed exercise. Check its "
                 "language below: it was worked out from the answers unless the export named it"},
    {"theme_saved", "The theme has been changed. The change stays through later analyses, and "
                    "reaches the published report when you next publish it."},
    {"theme_split", "The theme will be split in two by the analysis that has just started: refresh "
                    "in a few seconds."},
    {"report_published", "The report has been published. Anyone can read it now."},
    {"report_withdrawn", "The report has been withdrawn. Only facilitators can see it now."},
    {"instrument_saved", "The instrument has been saved as a new version"},
    {"round_saved", "The assessment round has been saved"},
    {"round_closed", "The assessment round has been closed. It takes no more answers."},
    {"invitation_made", "The invitation link is ready to send"},
    {"responses_imported", "The responses have been imported"},
    {"analysis_queued",
     "The analysis has started. This page shows it when it is ready: refresh in a few seconds."},
    {"action_saved", "The action has been saved"},
    {"action_deleted", "The action has been deleted"},
    /* organisations (account/org_pages.c) */
    {"org_saved", "The organisation has been saved"},
    {"org_merged", "The organisations have been merged"},
    {"cohort_saved", "The cohort has been saved"},
    {"assess_link_sent",
     "We have sent the link. Check your inbox, and your junk folder if it is not there"},
    {"cohort_member_removed", "They are no longer in the cohort"},
    {"cohort_deleted", "The cohort has been deleted"},
    /* accounts: invitations, resets, closing accounts */
    {"password_reset", "Your new password has been set. You have been logged out everywhere else."},
    {"invite_accepted", "Your password has been set. Welcome."},
    {"invite_resent", "A new invitation has been sent. The old link no longer works."},
    {"user_deactivated",
     "The account has been deactivated. Its sessions and API tokens have ended."},
    {"user_reactivated", "The account has been reactivated. Its owner can log in again."},
    {"user_reactivated_invited",
     "The account has been reactivated. Its owner never set a password, and their invitation "
     "link no longer works: send them a new invitation so they can."},
    /* ---- Develop: catalogue (develop/catalogue_pages.c) ---- */
    {"activity_saved", "The activity has been saved"},
    {"activity_retired", "The activity has been retired. Members no longer see it."},
    {"activity_restored", "The activity has been restored. Members can find it again."},
    {"catalogue_imported", "The activities have been imported"},
    /* ---- Develop: portfolio and CV (develop/portfolio_pages.c, develop/cv_pages.c) ---- */
    {"entry_saved", "The portfolio entry has been saved"},
    {"entry_deleted", "The portfolio entry has been deleted"},
    {"portfolio_shared", "Your portfolio has been shared with that address. Whoever signs in to "
                         "AHP Hub with it can read it, under Portfolios shared with you."},
    {"share_withdrawn", "The share has been withdrawn. The reviewer can no longer read it."},
    {"cv_saved", "Your CV has been saved"},
    /* ---- Connect: mentoring and coaching (connect/..._pages.c) ---- */
    {"connect_profile_saved", "Your profile for connecting has been saved"},
    {"connect_round_created",
     "The matching round has been created. Run it when the cohort is ready."},
    {"connect_round_run", "The round has been run. Everyone matched can now accept or decline."},
    {"connect_accepted", "You have accepted the match. The other person has still to answer."},
    {"connect_relationship_started", "You have both accepted. Agree how you will work together."},
    {"connect_declined", "You have declined the match. Your place has been offered to people "
                         "still without a match."},
    {"connect_declined_looked", "You have declined the match. The programme has looked for "
                                "another match for you: any new one is under Your matches."},
    {"connect_declined_rematched", "You have declined the match. The programme has proposed "
                                   "another match to you: see Your matches."},
    {"connect_declined_unmatched", "You have declined the match. No one else has a free "
                                   "place for you now; your programme lead can see that you are "
                                   "without a match."},
    {"connect_chosen", "You have made your choice. They have still to accept."},
    {"connect_agreement_saved", "The agreement has been saved and confirmed by you"},
    {"connect_meeting_logged", "The meeting has been logged"},
    {"connect_feedback_saved", "Your feedback has been saved and the relationship is closed"},
    {"connect_portfolio_added",
     "Your meetings are in your portfolio. Edit the entry or put it on your CV"},
    /* ---- Connect: interest groups (connect/group_pages.c, thread_pages.c, …) ---- */
    {"connect_group_created", "The group has been created. You are its moderator."},
    {"connect_joined", "You have joined the group"},
    {"connect_left", "You have left the group"},
    {"connect_thread_posted", "Your discussion has been posted"},
    {"connect_replied", "Your reply has been posted"},
    {"connect_reported", "Thank you. The group's moderators will look at the post."},
    {"connect_post_edited", "Your post has been changed"},
    {"connect_post_deleted", "Your post has been deleted"},
    {"connect_hidden", "The post has been hidden"},
    {"connect_kept", "The post has been kept. Its reports are closed."},
    {"connect_event_added", "The event has been added"},
    {"connect_event_changed", "The event has been changed"},
    {"connect_moderator_added", "They are now a moderator of the group"},
    {"connect_moderator_removed", "They are no longer a moderator of the group"},
    {"connect_event_cancelled", "The event has been cancelled"},
    {"connect_digest_saved", "Your email setting has been saved"},
    /* ---- Listen on launch day (listen/take_part_pages.c, moderation_pages.c, exercise_pages.c) */
    {"vote_recorded", "Your vote has been recorded"},
    {"vote_undone", "Your vote has been taken back"},
    {"moderated_bulk_approve", "The contributions you ticked have been approved and are shown"},
    {"moderated_bulk_reject", "The contributions you ticked have been rejected and are hidden"},
    {"exercise_opened", "Exercise opened. People can take part now."},
    {"exercise_closed", "Exercise closed. It takes no more contributions or votes."},
    {"exercise_published", "Exercise published. Its contributions and votes are open data now."},
    /* ---- Connect: action learning sets (connect/set_pages.c) ---- */
    {"sets_split", "The cohort has been split into sets. Check the balance, move people if you "
                   "need to, then publish the sets."},
    {"set_member_moved", "The member has been moved. The balance below is updated."},
    {"sets_published", "The sets have been published. Members can now see their set."},
    {"sets_deleted", "The draft sets have been deleted"},
    {"set_facilitator_saved", "The facilitator has been saved"},
    {"set_meeting_planned", "The meeting has been added to the schedule"},
    {"set_meeting_recorded", "The meeting has been recorded"},
    {"set_meeting_deleted", "The meeting has been taken off the list"},
    {"set_left", "You have left the set. Its facilitator and the programme lead can see that "
                 "you left."},
    /* mail */
    {"mail_resent", "A copy of the message has been queued. It is shown below."},
};

int flash_set(struct ctx *c, const char *code)
{
    return resp_cookie(c, FLASH_COOKIE, code, 60);
}

/* The message a redirect left for this page, consumed once. */
static const char *flash_take(struct ctx *c)
{
    const char *code = c->req ? req_cookie(c->req, FLASH_COOKIE) : NULL;
    if (!code || !*code)
        return NULL;
    (void)resp_cookie(c, FLASH_COOKIE, "", 0);
    for (size_t i = 0; i < sizeof flashes / sizeof flashes[0]; i++)
        if (!strcmp(flashes[i].code, code))
            return flashes[i].message;
    return NULL;
}

/* The navigation: what each kind of user can reach. Only pages that work are listed. The
 * front page has no item: the service logo links to it, as on every NHS.UK service, and the
 * header holds seven items before it folds the rest under "More". */
static const struct {
    const char *href, *text;
    enum role min_role;
} nav_items[] = {
    {"/home", "Your home", ROLE_MEMBER},      {"/listen", "Listening exercises", ROLE_NONE},
    {"/assess", "Assessments", ROLE_NONE},    {"/develop", "My development", ROLE_MEMBER},
    {"/connect", "Connect", ROLE_MEMBER},     {"/account", "Your account", ROLE_MEMBER},
    {"/admin", "Administration", ROLE_ADMIN},
};
#define NAV_N (sizeof nav_items / sizeof nav_items[0])

static json_t *nav_build(enum role role, size_t current)
{
    json_t *nav = json_array();
    for (size_t i = 0; nav && i < NAV_N; i++) {
        json_t *o;
        if (nav_items[i].min_role > role)
            continue;
        o = jobj(json_object(), "href", json_string_nocheck(nav_items[i].href));
        o = jobj(o, "text", json_string_nocheck(nav_items[i].text));
        o = jobj(o, "current", jbool(i == current));
        if (!o || json_array_append_new(nav, o)) {
            json_decref(nav);
            return NULL;
        }
    }
    return nav;
}

/* The navigation for this request's user, with the item for its path marked current. */
static json_t *nav_for(struct ctx *c)
{
    const char *path = c->req && c->req->path ? c->req->path : "/";
    enum role role = c->user ? c->user->role : ROLE_NONE;
    size_t current = NAV_N;
    for (size_t i = 0; i < NAV_N; i++) {
        size_t n = strlen(nav_items[i].href);
        if (!strcmp(path, nav_items[i].href) ||
            (n > 1 && !strncmp(path, nav_items[i].href, n) && path[n] == '/'))
            current = i;
    }
    return nav_build(role, current);
}

/* Adds the parts of the layout every page shares (service name, navigation, who is logged
 * in, the CSRF token, a flash message, the disclosure rule's numbers for its explanations) to the
 * page's own model, which render() owns by then. Adding in place rather than copying the model into
 * a new object saves a hash insert per key on every page. Keys are our constants, so jansson's
 * UTF-8 check of them is skipped. */
static int add_layout(struct ctx *c, json_t *page)
{
    json_t *nav = nav_for(c), *user;
    const char *flash;
    if (!nav || json_object_set_new_nocheck(page, "nav", nav))
        return APP_E_NOMEM;
    if (c->user) {
        user = jobj(json_object(), "display_name", jstr(c->user->display_name));
        user = jobj(user, "role",
                    json_string_nocheck(c->user->role >= ROLE_ADMIN         ? "admin"
                                        : c->user->role >= ROLE_FACILITATOR ? "facilitator"
                                                                            : "member"));
        user = jobj(user, "is_admin", jbool(c->user->role >= ROLE_ADMIN));
        user = jobj(user, "is_facilitator", jbool(c->user->role >= ROLE_FACILITATOR));
        if (!user || json_object_set_new_nocheck(page, "current_user", user))
            return APP_E_NOMEM;
    }
    if (json_object_set_new_nocheck(page, "service_name", json_string_nocheck(SERVICE_NAME)) ||
        json_object_set_new_nocheck(page, "disclosure",
                                    json_pack("{s:s, s:s}", "hidden_up_to", DISCLOSURE_HIDDEN_UP_TO,
                                              "shown_from", DISCLOSURE_SHOWN_FROM)) ||
        (c->csrf_token &&
         json_object_set_new_nocheck(page, "csrf_token", json_string_nocheck(c->csrf_token))))
        return APP_E_NOMEM;
    if (c->app && c->app->cfg.contact_email && *c->app->cfg.contact_email &&
        json_object_set_new_nocheck(page, "contact_email", jstr(c->app->cfg.contact_email)))
        return APP_E_NOMEM;
    flash = flash_take(c);
    if (flash && json_object_set_new_nocheck(page, "flash", json_string_nocheck(flash)))
        return APP_E_NOMEM;
    if (!json_object_get(page, "title") &&
        json_object_set_new_nocheck(page, "title", json_string_nocheck(SERVICE_NAME)))
        return APP_E_NOMEM;
    return APP_OK;
}

/* Numbers with 15 significant digits, all a double holds reliably: a mean of 2.4 is sent as
 * 2.4, not as jansson's default 17 digits (2.3999999999999999). */
static int render_json(struct ctx *c, int status, json_t *model)
{
    buf_reset(&c->resp->body);
    if (json_dump_callback(model, buf_append_cb, &c->resp->body,
                           JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(15)) != 0)
        return APP_E_NOMEM;
    c->resp->status = status;
    c->resp->content_type = "application/json; charset=utf-8";
    return APP_OK;
}

/* Renders the layout around page (the model with the layout's parts). fill() writes the page
 * where the layout says {{{body}}}, straight into the response: the page is never rendered
 * into a string of its own and copied in. */
static int render_layout(struct ctx *c, int status, json_t *page,
                         int (*fill)(void *arg, struct buf *b), void *arg)
{
    struct tpl_slot slot = {"body", fill, arg};
    int rc;
    buf_reset(&c->resp->body);
    /* Most pages fit: one allocation instead of a dozen doublings and copies. */
    buf_reserve(&c->resp->body, 24576);
    rc = tpl_render_slot(c->app->tpl, "layout", page, &c->resp->body, &slot);
    if (!rc && buf_oom(&c->resp->body))
        rc = APP_E_NOMEM;
    if (rc)
        return rc;
    c->resp->status = status;
    c->resp->content_type = "text/html; charset=utf-8";
    return APP_OK;
}

struct page_fill {
    struct app *app;
    const char *tpl;
    json_t *page;
};

static int fill_page(void *arg, struct buf *b)
{
    struct page_fill *f = arg;
    return tpl_render(f->app->tpl, f->tpl, f->page, b);
}

int render(struct ctx *c, int status, const char *tpl, json_t *model)
{
    int rc;
    if (!model)
        return APP_E_NOMEM;
    rc = add_errors(c, model);
    if (rc)
        goto done;
    if (c->want_json) {
        rc = render_json(c, status, model);
        goto done;
    }
    rc = add_form_values(c, model);
    if (!rc)
        rc = add_layout(c, model); /* the page template sees them too (csrf_token, …) */
    if (!rc) {
        struct page_fill f = {c->app, tpl, model};
        rc = render_layout(c, status, model, fill_page, &f);
    }
done:
    if (rc) {
        buf_reset(&c->resp->body);
        c->resp->status = 0;
    }
    json_decref(model);
    return rc;
}

int render_body(struct ctx *c, const char *tpl, json_t *model, struct buf *out)
{
    int rc;
    if (!model)
        return APP_E_NOMEM;
    rc = add_layout(c, model);
    if (!rc)
        rc = tpl_render(c->app->tpl, tpl, model, out);
    if (!rc && buf_oom(out))
        rc = APP_E_NOMEM;
    json_decref(model);
    return rc;
}

struct bytes_fill {
    const char *p;
    size_t n;
};

static int fill_bytes(void *arg, struct buf *b)
{
    struct bytes_fill *f = arg;
    buf_append(b, f->p, f->n);
    return buf_oom(b) ? APP_E_NOMEM : APP_OK;
}

int render_with_body(struct ctx *c, int status, const char *title, const char *body, size_t len)
{
    json_t *page = json_object();
    struct bytes_fill f = {body ? body : "", body ? len : 0};
    int rc = page && !json_object_set_new(page, "title", json_string(title)) ? add_layout(c, page)
                                                                             : APP_E_NOMEM;
    if (!rc)
        rc = render_layout(c, status, page, fill_bytes, &f);
    if (rc) {
        buf_reset(&c->resp->body);
        c->resp->status = 0;
    }
    json_decref(page);
    return rc;
}

int render_invalid(struct ctx *c, const char *tpl, json_t *model)
{
    if (c->want_json) {
        json_t *m = json_pack("{s:s, s:s}", "error", app_err_name(APP_E_INVALID), "message",
                              "There is a problem with what was sent");
        json_decref(model);
        return render(c, 400, NULL, m);
    }
    return render(c, 400, tpl, model);
}

static const char *error_title(int err, int status)
{
    if (err == APP_E_CSRF)
        return "Your form has expired";
    if (err == APP_E_CLOSED)
        return "This is closed";
    switch (status) {
    case 400:
        return "There is a problem with the request";
    case 401:
        return "You need to log in";
    case 403:
        return "You do not have permission to do this";
    case 404:
        return "Page not found";
    case 405:
        return "This page cannot be used that way";
    case 409:
        return "This has already been done";
    case 413:
        return "What you sent is too large";
    case 429:
        return "Too many attempts";
    default:
        return "Sorry, there is a problem with the service";
    }
}

void render_error(struct ctx *c, int err, const char *detail)
{
    render_error_as(c, err, NULL, detail);
}

void render_error_as(struct ctx *c, int err, const char *title, const char *detail)
{
    int status = http_status_for(err), rc;
    /* a caller's title says what happened in its own words: the status's generic sentence
     * ("This has already been done, or was changed by someone else.") would contradict it */
    const char *msg = title ? title : http_message_for(err);
    json_t *m;
    c->resp->error_code = app_err_name(err);
    /* Errors before the session was read (R_RAW routes, bad request lines) still get a page. */
    if (c->want_json || !c->app || !c->app->tpl) {
        m = json_pack("{s:s, s:s}", "error", app_err_name(err), "message", msg);
        if (m && detail)
            m = jset(m, "detail", jstr(detail));
        if (m && c->req && c->req->nerrors)
            (void)add_errors(c, m);
        rc = m ? render_json(c, status, m) : APP_E_NOMEM;
        json_decref(m);
    } else {
        m = json_pack("{s:s, s:s, s:i}", "title", title ? title : error_title(err, status),
                      "message", title && detail ? detail : msg, "status", status);
        if (m && detail && !title)
            m = jset(m, "detail", jstr(detail));
        if (m && c->error_back)
            m = jset(m, "back", jstr(c->error_back));
        if (m && (status == 401 || status == 403) && !c->user)
            m = jset(m, "show_login", jbool(1));
        rc = render(c, status, "error", m);
    }
    if (rc) {
        static const char fallback[] = "Sorry, there is a problem with the service.\n";
        resp_bytes(c, 500, "text/plain; charset=utf-8", fallback, sizeof fallback - 1);
    }
}

/* "15 minutes", "1 minute", "2 hours": a wait rounded up, so it is never too short. */
static const char *wait_text(struct arena *a, int64_t secs)
{
    int64_t mins = secs <= 0 ? 1 : (secs + 59) / 60, hours = (mins + 59) / 60;
    if (mins < 120)
        return arena_printf(a, "%lld minute%s", (long long)mins, mins == 1 ? "" : "s");
    return arena_printf(a, "%lld hours", (long long)hours);
}

void render_limited(struct ctx *c, int64_t secs, const char *why, bool forgot_link)
{
    char ra[24];
    const char *wait = wait_text(c->arena, secs);
    const char *msg =
        wait ? arena_printf(c->arena, "%s Wait %s, then try again.", why, wait) : NULL;
    json_t *m;
    int rc;
    if (secs < 1)
        secs = 1;
    snprintf(ra, sizeof ra, "%lld", (long long)secs);
    c->resp->error_code = app_err_name(APP_E_LIMIT);
    if (!msg || resp_header(c, "Retry-After", ra)) {
        render_error(c, APP_E_LIMIT, NULL);
        return;
    }
    if (c->want_json) {
        m = json_pack("{s:s, s:s, s:I}", "error", app_err_name(APP_E_LIMIT), "message", msg,
                      "retry_after", (json_int_t)secs);
        rc = m ? render_json(c, 429, m) : APP_E_NOMEM;
        json_decref(m);
    } else {
        m = json_pack("{s:s, s:s, s:i}", "title", error_title(APP_E_LIMIT, 429), "message", msg,
                      "status", 429);
        if (m && forgot_link)
            m = jset(m, "forgot_link", jbool(1));
        rc = m ? render(c, 429, "error", m) : APP_E_NOMEM;
    }
    if (rc)
        render_error(c, APP_E_LIMIT, NULL);
}

int render_limited_field(struct ctx *c, int64_t secs, const char *why, const char *field)
{
    char ra[24];
    const char *wait = wait_text(c->arena, secs);
    const char *msg =
        wait ? arena_printf(c->arena, "%s Wait %s, then try again.", why, wait) : NULL;
    snprintf(ra, sizeof ra, "%lld", (long long)(secs < 1 ? 1 : secs));
    c->resp->error_code = app_err_name(APP_E_LIMIT);
    if (!msg || resp_header(c, "Retry-After", ra))
        return APP_E_NOMEM;
    return req_add_error(c->req, field, msg);
}

static json_t *date_as(int64_t t, const char *fmt)
{
    char s[32];
    time_t tt = (time_t)t;
    struct tm tm;
    if (!t)
        return json_string_nocheck("");
    gmtime_r(&tt, &tm);
    strftime(s, sizeof s, fmt, &tm);
    return json_string(s);
}

json_t *jdate(int64_t t)
{
    return date_as(t, "%-d %B %Y");
}

json_t *jdate_input(int64_t t)
{
    return date_as(t, "%Y-%m-%d");
}
