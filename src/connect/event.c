/* event.c: a group's events — checking what a moderator typed, UK time, and storage
 *
 * People type dates and times as they read them on a clock in the UK, so the form takes UK
 * civil time (core/uktime.h) and the database keeps UTC.
 */
#include "account/account.h"
#include "connect/group.h"
#include "connect/group_store.h"
#include "core/arena.h"
#include "core/date.h"
#include "core/err.h"
#include "core/str.h"
#include "core/uktime.h"
#include "store/db.h"

#include <string.h>

/* "9:30", "09:30" or "14.30" as minutes after midnight, or -1. */
static int clock_minutes(const char *s)
{
    struct str t = str_trim(str_from(s));
    int h = 0, m = 0, digits = 0;
    size_t i = 0;
    for (; i < t.len && t.p[i] >= '0' && t.p[i] <= '9' && digits < 2; i++, digits++)
        h = h * 10 + (t.p[i] - '0');
    if (!digits || i >= t.len || (t.p[i] != ':' && t.p[i] != '.'))
        return -1;
    i++;
    if (t.len - i != 2 || t.p[i] < '0' || t.p[i] > '9' || t.p[i + 1] < '0' || t.p[i + 1] > '9')
        return -1;
    m = (t.p[i] - '0') * 10 + (t.p[i + 1] - '0');
    return h < 24 && m < 60 ? h * 60 + m : -1;
}

/* Whether minutes after midnight on a UK day is a clock reading that happens: on the spring
 * morning the clocks go forward, 01:00 to 01:59 never show (uk_to_utc() would read one as GMT,
 * an hour later on the clock, and an event from 01:30 to 02:30 would end as it starts). */
static bool clock_exists(int y, int mo, int d, int minutes)
{
    int y2, mo2, d2, m2;
    uk_parts(uk_to_utc(y, mo, d, minutes / 60, minutes % 60), &y2, &mo2, &d2, &m2);
    return y2 == y && mo2 == mo && d2 == d && m2 == minutes;
}

/* The message for a time typed in the hour the clocks skip. */
static int clock_gap(struct arena *a, struct connect_field_error **errs, size_t *n,
                     const char *field, int y, int mo, int d, int minutes)
{
    const char *day = connect_date_text(a, uk_to_utc(y, mo, d, 12, 0));
    const char *m =
        day ? arena_printf(a,
                           "The clocks go forward an hour at 01:00 on %s, so there is no "
                           "%02d:%02d that day: enter a time before 01:00 or from 02:00",
                           day, minutes / 60, minutes % 60)
            : NULL;
    return m ? connect_error_add(a, errs, n, field, m) : APP_E_NOMEM;
}

static bool web_link(const char *s)
{
    size_t n = strlen(s);
    if (strncmp(s, "https://", 8) && strncmp(s, "http://", 7))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= ' ' || s[i] == '"' || s[i] == '<' || s[i] == '>')
            return false;
    return n > 8 && n <= CONNECT_LINK_MAX;
}

int connect_event_check(struct arena *a, const struct connect_event_input *in, int64_t now,
                        struct connect_event *out, struct connect_field_error **errs, size_t *n)
{
    int rc, d, mo, y;
    int start = clock_minutes(in->start_time), end = clock_minutes(in->end_time);
    bool date_ok = false;
    date_to_parts(in->date, &d, &mo, &y);
    *errs = NULL;
    *n = 0;
    memset(out, 0, sizeof *out);
    if ((rc = connect_text_field(a, in->title, CONNECT_TITLE_MAX, "title", "Enter the event's name",
                                 "The name must be 150 characters or fewer", errs, n)))
        return rc;
    if (in->date_wrong)
        ; /* the date input's message stands */
    else if (!in->date)
        rc = connect_error_add(a, errs, n, "day", "Enter the date of the event");
    else if (y < 2000 || y > 2100)
        rc = connect_error_add(a, errs, n, "day", "The date of the event must be a real date");
    else
        date_ok = true;
    if (!rc && connect_blank(in->start_time))
        rc = connect_error_add(a, errs, n, "start_time", "Enter the time the event starts");
    else if (!rc && start < 0)
        rc = connect_error_add(a, errs, n, "start_time",
                               "Enter the start time as hours and minutes, like 14:30");
    if (!rc && connect_blank(in->end_time))
        rc = connect_error_add(a, errs, n, "end_time", "Enter the time the event ends");
    else if (!rc && end < 0)
        rc = connect_error_add(a, errs, n, "end_time",
                               "Enter the end time as hours and minutes, like 16:00");
    else if (!rc && start >= 0 && end <= start)
        rc = connect_error_add(a, errs, n, "end_time", "The event must end after it starts");
    if (rc)
        return rc;
    /* a time the clocks skip is said at its box; the event is then not timed at all */
    if (date_ok && start >= 0 && !clock_exists(y, mo, d, start)) {
        if ((rc = clock_gap(a, errs, n, "start_time", y, mo, d, start)))
            return rc;
        start = -1;
    }
    if (date_ok && end >= 0 && !clock_exists(y, mo, d, end)) {
        if ((rc = clock_gap(a, errs, n, "end_time", y, mo, d, end)))
            return rc;
        end = -1;
    }
    if (date_ok && start >= 0) {
        out->starts_at = uk_to_utc(y, mo, d, start / 60, start % 60);
        if (out->starts_at <= now &&
            (rc = connect_error_add(a, errs, n, "day",
                                    "The date of the event must be in the future")))
            return rc;
    }
    if (date_ok && end >= 0)
        out->ends_at = uk_to_utc(y, mo, d, end / 60, end % 60);
    out->place = connect_blank(in->place) ? "" : in->place;
    out->link = connect_blank(in->link) ? "" : in->link;
    if (!*out->place && !*out->link)
        rc = connect_error_add(a, errs, n, "place",
                               "Enter where the event is, or a link to join online");
    else if (utf8_count(out->place, strlen(out->place)) > CONNECT_PLACE_MAX)
        rc = connect_error_add(a, errs, n, "place", "The place must be 200 characters or fewer");
    if (!rc && *out->link && !web_link(out->link))
        rc = connect_error_add(a, errs, n, "link",
                               "Enter the link to join as a web address starting https://");
    if (rc ||
        (rc = connect_text_field(a, in->description, CONNECT_DESC_MAX, "description",
                                 "Enter what the event is about",
                                 "The description must be 2,000 characters or fewer", errs, n)))
        return rc;
    out->title = in->title;
    out->description = in->description;
    return *n ? APP_E_INVALID : APP_OK;
}

int connect_event_create(struct db *db, const struct connect_event *ev, int64_t group, int64_t by,
                         int64_t now, int64_t *id)
{
    return db_run_int(db, SQL_CE_INSERT, id, "itiitttIi", group, ev->title, ev->starts_at,
                      ev->ends_at, ev->place, ev->link, ev->description, by, now);
}

static int event_row(struct db_stmt *st, struct arena *a, struct connect_event *e)
{
    e->id = db_col_int(st, 0);
    e->group_id = db_col_int(st, 1);
    e->title = arena_strdup(a, db_col_text(st, 2));
    e->starts_at = db_col_int(st, 3);
    e->ends_at = db_col_int(st, 4);
    e->place = arena_strdup(a, db_col_text(st, 5));
    e->link = arena_strdup(a, db_col_text(st, 6));
    e->description = arena_strdup(a, db_col_text(st, 7));
    e->created_at = db_col_int(st, 8);
    e->sequence = db_col_int(st, 9);
    e->updated_at = db_col_int(st, 10);
    e->cancelled_at = db_col_int(st, 11);
    return e->title && e->place && e->link && e->description ? APP_OK : APP_E_NOMEM;
}

/* After an update that changed nothing: the event is cancelled, or not the group's. */
static int why_unchanged(struct db *db, int64_t id, int64_t group)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_CE_GET, &st, "i", id);
    if (!rc)
        rc = db_col_int(st, 1) != group ? APP_E_NOTFOUND : APP_E_CONFLICT;
    db_finalize(st);
    return rc;
}

int connect_event_update(struct db *db, const struct connect_event *ev, int64_t id, int64_t group,
                         int64_t by, int64_t now)
{
    int rc = db_begin(db);
    if (rc)
        return rc;
    rc = db_run(db, SQL_CE_UPDATE, "iitiittti", id, group, ev->title, ev->starts_at, ev->ends_at,
                ev->place, ev->link, ev->description, now);
    if (!rc && db_changes(db) != 1)
        rc = why_unchanged(db, id, group);
    if (!rc)
        rc = account_audit(db, "connect_event_changed", by, 0, ev->title);
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

int connect_event_cancel(struct db *db, int64_t id, int64_t group, int64_t by, int64_t now)
{
    int rc = db_begin(db);
    if (rc)
        return rc;
    rc = db_run(db, SQL_CE_CANCEL, "iii", id, group, now);
    if (!rc && db_changes(db) != 1)
        rc = why_unchanged(db, id, group);
    if (!rc) { /* named as a change is */
        struct db_stmt *st = NULL;
        if (!(rc = db_row(db, SQL_CE_TITLE, &st, "i", id)))
            rc = account_audit(db, "connect_event_cancelled", by, 0, db_col_text(st, 0));
        db_finalize(st);
    }
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

int connect_event_get(struct db *db, struct arena *a, int64_t id, struct connect_event *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_CE_GET, &st, "i", id);
    if (rc)
        return rc;
    rc = event_row(st, a, out);
    db_finalize(st);
    return rc;
}

int connect_event_list(struct db *db, struct arena *a, int64_t group, int64_t now,
                       struct connect_event **out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_CE_LIST, &st, "ii", group, now);
    *out = NULL;
    *n = 0;
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (!(*out = arena_grow(a, *out, *n + 1, &cap, sizeof **out)) ||
            event_row(st, a, &(*out)[*n])) {
            rc = APP_E_NOMEM;
            break;
        }
        (*n)++;
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}

/* "2pm", "4:30pm", "12 noon" as NHS.UK writes times. */
static const char *clock_text(struct arena *a, int minutes)
{
    int h = minutes / 60, m = minutes % 60, h12 = h % 12 ? h % 12 : 12;
    if (h == 12 && m == 0)
        return "12 noon";
    if (h == 0 && m == 0)
        return "midnight";
    return m ? arena_printf(a, "%d:%02d%s", h12, m, h < 12 ? "am" : "pm")
             : arena_printf(a, "%d%s", h12, h < 12 ? "am" : "pm");
}

const char *connect_when_text(struct arena *a, int64_t starts_at, int64_t ends_at)
{
    static const char *const days[] = {"Thursday", "Friday",  "Saturday", "Sunday",
                                       "Monday",   "Tuesday", "Wednesday"};
    static const char *const months[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    int y, m, d, start, ey, em, ed, end;
    int64_t day = uk_day_number(starts_at);
    uk_parts(starts_at, &y, &m, &d, &start);
    uk_parts(ends_at, &ey, &em, &ed, &end);
    return arena_printf(a, "%s %d %s %d, %s to %s", days[((day % 7) + 7) % 7], d, months[m - 1], y,
                        clock_text(a, start), clock_text(a, end));
}

const char *connect_date_text(struct arena *a, int64_t t)
{
    const char *w = connect_when_text(a, t, t);
    const char *comma = w ? strchr(w, ',') : NULL;
    return comma ? arena_strndup(a, w, (size_t)(comma - w)) : w;
}

const char *connect_iso_time(struct arena *a, int64_t utc)
{
    int y, m, d, minutes, offset = uk_offset(utc) / 60;
    uk_parts(utc, &y, &m, &d, &minutes);
    return arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d+%02d:%02d", y, m, d, minutes / 60,
                        minutes % 60, (int)(((utc % 60) + 60) % 60), offset / 60, offset % 60);
}
