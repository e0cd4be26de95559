/* event_pages.c: a group's events — adding one (the group's moderators), its page, and its
 * iCalendar file for people's calendars
 *
 * The form takes the date as NHS.UK's date input (day, month and year boxes) and the times
 * as UK clock times; connect/event.c turns them into UTC. An event of a members-only group is
 * hidden from non-members like its discussions, its .ics file included.
 */
#include "connect/group_pages.h"
#include "app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "web/render.h"

#include <string.h>
#include <time.h>

static int group_to_manage(struct ctx *c, struct connect_group *g)
{
    int rc = connect_page_group(c, connect_page_id(c, "id"), true, g);
    return !rc && !g->is_moderator ? APP_E_FORBIDDEN : rc;
}

static json_t *event_form_model(struct ctx *c, const struct connect_group *g)
{
    json_t *m = jobj(json_object(), "title", jstr("Add an event"));
    m = jobj(m, "group", connect_page_group_json(c, g));
    return jobj(m, "date_error", jbool(req_error(c->req, "day") != NULL));
}

int page_connect_event_new_form(struct ctx *c)
{
    struct connect_group g;
    int rc = group_to_manage(c, &g);
    return rc ? rc : render(c, 200, "connect/event_form", event_form_model(c, &g));
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
    in.title = req_field(c->req, "title");
    in.day = req_field(c->req, "day");
    in.month = req_field(c->req, "month");
    in.year = req_field(c->req, "year");
    in.start_time = req_field(c->req, "start_time");
    in.end_time = req_field(c->req, "end_time");
    in.place = req_field(c->req, "place");
    in.link = req_field(c->req, "link");
    in.description = req_field(c->req, "description");
    rc = connect_event_check(c->arena, &in, now, &ev, &errs, &n);
    if (rc == APP_E_INVALID) {
        if ((rc = connect_page_errors(c, errs, n)))
            return rc;
        return render_invalid(c, "connect/event_form", event_form_model(c, &g));
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
