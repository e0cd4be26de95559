/* event_pages.c: a group's events — adding, changing and cancelling one (the group's
 * moderators), its page, and its iCalendar file for people's calendars
 *
 * The form takes the date as NHS.UK's date input (day, month and year boxes, read and shown
 * by web/date_input.c under the names API clients have always sent), or from the API as one
 * ISO 8601 field "date" ("2027-01-15"), and the times as UK clock times; connect/event.c
 * turns them into UTC. An event of a members-only group is hidden from non-members like its
 * discussions, its .ics file included.
 */
#include "connect/group_pages.h"
#include "app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/err.h"
#include "core/uktime.h"
#include "web/date_input.h"
#include "web/render.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int group_to_manage(struct ctx *c, struct connect_group *g)
{
    int rc = connect_page_group(c, connect_page_id(c, "id"), true, g);
    return !rc && !g->is_moderator ? APP_E_FORBIDDEN : rc;
}

/* The event's date: the boxes day, month and year (a message about the whole date goes on
 * the day's box, which the error summary links to), or the API's "date". */
static const struct date_input_names event_date = {
    .day = "day", .month = "month", .year = "year", .iso = "date", .id = "date"};
#define EVENT_DATE_LABEL "The date of the event"

/* The form's model: adding an event to g, or changing ev (NULL when adding). The date shows
 * ev's (UK) day, or what was typed after an error. */
static json_t *event_form_model(struct ctx *c, const struct connect_group *g,
                                const struct connect_event *ev)
{
    int64_t day = 0;
    json_t *m = jobj(json_object(), "title", jstr(ev ? "Change the event" : "Add an event"));
    if (ev) {
        int y, mo, d, minutes;
        char ds[8], ms[8], ys[8];
        uk_parts(ev->starts_at, &y, &mo, &d, &minutes);
        snprintf(ds, sizeof ds, "%d", d);
        snprintf(ms, sizeof ms, "%d", mo);
        snprintf(ys, sizeof ys, "%d", y);
        if (date_from_parts(ds, ms, ys, &day))
            day = 0;
    }
    m = jobj(m, "group", connect_page_group_json(c, g));
    m = jobj(m, "action",
             jstr(ev ? arena_printf(c->arena, "/connect/events/%lld/edit", (long long)ev->id)
                     : arena_printf(c->arena, "/connect/groups/%lld/events", (long long)g->id)));
    m = jobj(m, "back",
             jstr(ev ? arena_printf(c->arena, "/connect/events/%lld", (long long)ev->id)
                     : arena_printf(c->arena, "/connect/groups/%lld", (long long)g->id)));
    m = jobj(m, "back_text", jstr(ev ? ev->title : g->name));
    m = jobj(m, "button", jstr(ev ? "Save the changes" : "Add the event"));
    m = jobj(m, "changing", jbool(ev != NULL));
    /* kept for API clients that read it */
    m = jobj(m, "date_error",
             jbool(req_error(c->req, "day") || req_error(c->req, "month") ||
                   req_error(c->req, "year") || req_error(c->req, "date")));
    return jobj(m, "date",
                date_input_json_as(c->req, &event_date, "Date", "For example, 15 3 2027", day));
}

/* The form as the event stands, in UK time, for changing it. The page shows the date from the
 * model's date; day, month and year stay here for API clients that read them. */
static json_t *event_form_values(struct ctx *c, const struct connect_event *ev)
{
    int y, mo, d, start, ey, emo, ed, end;
    json_t *f;
    uk_parts(ev->starts_at, &y, &mo, &d, &start);
    uk_parts(ev->ends_at, &ey, &emo, &ed, &end);
    f = jobj(json_object(), "title", jstr(ev->title));
    f = jobj(f, "day", jstr(arena_printf(c->arena, "%d", d)));
    f = jobj(f, "month", jstr(arena_printf(c->arena, "%d", mo)));
    f = jobj(f, "year", jstr(arena_printf(c->arena, "%d", y)));
    f = jobj(f, "start_time", jstr(arena_printf(c->arena, "%02d:%02d", start / 60, start % 60)));
    f = jobj(f, "end_time", jstr(arena_printf(c->arena, "%02d:%02d", end / 60, end % 60)));
    f = jobj(f, "place", jstr(ev->place));
    f = jobj(f, "link", jstr(ev->link));
    return jobj(f, "description", jstr(ev->description));
}

/* The form's fields as typed; the date read by the date input, its message added. */
static void event_input(struct ctx *c, struct connect_event_input *in)
{
    in->title = req_field(c->req, "title");
    in->date_wrong = !date_input_field_as(c->req, &event_date, EVENT_DATE_LABEL, NULL, &in->date);
    in->start_time = req_field(c->req, "start_time");
    in->end_time = req_field(c->req, "end_time");
    in->place = req_field(c->req, "place");
    in->link = req_field(c->req, "link");
    in->description = req_field(c->req, "description");
}

int page_connect_event_new_form(struct ctx *c)
{
    struct connect_group g;
    int rc = group_to_manage(c, &g);
    return rc ? rc : render(c, 200, "connect/event_form", event_form_model(c, &g, NULL));
}

int page_connect_event_create(struct ctx *c)
{
    struct connect_group g;
    struct connect_event_input in;
    struct connect_event ev;
    struct connect_field_error *errs = NULL;
    size_t n = 0;
    int64_t id = 0, now = (int64_t)time(NULL);
    int rc = group_to_manage(c, &g);
    if (rc)
        return rc;
    event_input(c, &in);
    rc = connect_event_check(c->arena, &in, now, &ev, &errs, &n);
    /* a place, link or description the request layer refused is not one left out */
    if (rc == APP_E_INVALID || (rc == APP_OK && c->req->nerrors)) {
        if ((rc = connect_page_errors(c, errs, n)))
            return rc;
        return render_invalid(c, "connect/event_form", event_form_model(c, &g, NULL));
    }
    if (rc || (rc = connect_event_create(c->db, &ev, g.id, c->user->id, now, &id)))
        return rc;
    if (c->want_json) {
        if ((rc = connect_event_get(c->db, c->arena, id, &ev)))
            return rc;
        return render(c, 201, NULL, jobj(json_object(), "event", connect_page_event_json(c, &ev)));
    }
    if ((rc = flash_set(c, "connect_event_added")))
        return rc;
    return resp_redirect(c, arena_printf(c->arena, "/connect/events/%lld", (long long)id));
}

/* The event the path names and its group, if the viewer may read the group. */
static int load_event(struct ctx *c, struct connect_event *ev, struct connect_group *g)
{
    int64_t id = connect_page_id(c, "id");
    int rc = id ? connect_event_get(c->db, c->arena, id, ev) : APP_E_NOTFOUND;
    return rc ? rc : connect_page_group(c, ev->group_id, true, g);
}

/* The event the path names, for its group's moderators to change: APP_E_FORBIDDEN for
 * anyone else, APP_E_CONFLICT once it is cancelled or over. */
static int event_to_manage(struct ctx *c, struct connect_event *ev, struct connect_group *g)
{
    int rc = load_event(c, ev, g);
    if (!rc && !g->is_moderator)
        rc = APP_E_FORBIDDEN;
    if (!rc && (ev->cancelled_at || ev->ends_at <= (int64_t)time(NULL))) {
        render_error(c, APP_E_CONFLICT,
                     ev->cancelled_at ? "This event has been cancelled, so it cannot be changed."
                                      : "This event has finished, so it cannot be changed.");
        return APP_E_CONFLICT;
    }
    return rc;
}

/* After event id was changed or cancelled: the event as it is now (API), or its page with
 * the confirmation flash. */
static int event_done(struct ctx *c, int64_t id, const char *flash)
{
    struct connect_event ev;
    int rc;
    if (c->want_json) {
        if ((rc = connect_event_get(c->db, c->arena, id, &ev)))
            return rc;
        return render(c, 200, NULL, jobj(json_object(), "event", connect_page_event_json(c, &ev)));
    }
    if ((rc = flash_set(c, flash)))
        return rc;
    return resp_redirect(c, arena_printf(c->arena, "/connect/events/%lld", (long long)id));
}

int page_connect_event_edit_form(struct ctx *c)
{
    struct connect_event ev;
    struct connect_group g;
    json_t *m;
    int rc = event_to_manage(c, &ev, &g);
    if (rc)
        return rc == APP_E_CONFLICT ? APP_OK : rc;
    m = event_form_model(c, &g, &ev);
    return render(c, 200, "connect/event_form", jobj(m, "form", event_form_values(c, &ev)));
}

int page_connect_event_edit(struct ctx *c)
{
    struct connect_event ev, changed;
    struct connect_group g;
    struct connect_event_input in;
    struct connect_field_error *errs = NULL;
    size_t n = 0;
    int64_t now = (int64_t)time(NULL);
    int rc = event_to_manage(c, &ev, &g);
    if (rc)
        return rc == APP_E_CONFLICT ? APP_OK : rc;
    event_input(c, &in);
    rc = connect_event_check(c->arena, &in, now, &changed, &errs, &n);
    if (rc == APP_E_INVALID || (rc == APP_OK && c->req->nerrors)) {
        if ((rc = connect_page_errors(c, errs, n)))
            return rc;
        return render_invalid(c, "connect/event_form", event_form_model(c, &g, &ev));
    }
    if (rc || (rc = connect_event_update(c->db, &changed, ev.id, g.id, c->user->id, now)))
        return rc;
    return event_done(c, ev.id, "connect_event_changed");
}

int page_connect_event_cancel_form(struct ctx *c)
{
    struct connect_event ev;
    struct connect_group g;
    json_t *m;
    int rc = event_to_manage(c, &ev, &g);
    if (rc)
        return rc == APP_E_CONFLICT ? APP_OK : rc;
    m = jobj(json_object(), "title", jstr("Cancel this event?"));
    m = jobj(m, "event", connect_page_event_json(c, &ev));
    return render(c, 200, "connect/event_cancel", jobj(m, "group", connect_page_group_json(c, &g)));
}

int page_connect_event_cancel(struct ctx *c)
{
    struct connect_event ev;
    struct connect_group g;
    int rc = event_to_manage(c, &ev, &g);
    if (rc)
        return rc == APP_E_CONFLICT ? APP_OK : rc;
    if ((rc = connect_event_cancel(c->db, ev.id, g.id, c->user->id, (int64_t)time(NULL))))
        return rc;
    return event_done(c, ev.id, "connect_event_cancelled");
}

int page_connect_event(struct ctx *c)
{
    struct connect_event ev;
    struct connect_group g;
    json_t *m;
    int rc = load_event(c, &ev, &g);
    if (rc)
        return rc;
    m = jobj(json_object(), "title", jstr(ev.title));
    m = jobj(m, "event", connect_page_event_json(c, &ev));
    m = jobj(m, "past", jbool(ev.ends_at <= (int64_t)time(NULL)));
    m = jobj(m, "can_change",
             jbool(g.is_moderator && !ev.cancelled_at && ev.ends_at > (int64_t)time(NULL)));
    return render(c, 200, "connect/event", jobj(m, "group", connect_page_group_json(c, &g)));
}

/* The host part of the service's address, for the event's UID. */
static const char *uid_host(struct ctx *c)
{
    const char *u = c->app->base_url, *p = strstr(u, "://"), *end;
    p = p ? p + 3 : u;
    end = p + strcspn(p, ":/");
    return arena_strndup(c->arena, p, (size_t)(end - p));
}

int page_connect_event_ics(struct ctx *c)
{
    struct connect_event ev;
    struct connect_group g;
    struct buf b = BUF_INIT;
    const char *page;
    int rc = load_event(c, &ev, &g);
    if (rc)
        return rc;
    page = arena_printf(c->arena, "%s/connect/events/%lld", c->app->base_url, (long long)ev.id);
    connect_ics_event(&b, &ev, g.name, uid_host(c), page, (int64_t)time(NULL));
    if (buf_oom(&b)) {
        buf_free(&b);
        return APP_E_NOMEM;
    }
    rc = resp_header(
        c, "Content-Disposition",
        arena_printf(c->arena, "attachment; filename=\"event-%lld.ics\"", (long long)ev.id));
    if (!rc)
        rc = resp_bytes(c, 200, "text/calendar; charset=utf-8", b.data, b.len);
    buf_free(&b);
    return rc;
}
