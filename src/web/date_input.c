/* date_input.c: the NHS.UK date input — a date typed as day, month and year fields
 *
 * One reading of the fields serves both the handler (is it a date, and what is wrong) and
 * the page shown again (which box to highlight), so the two cannot disagree.
 */
#include "web/date_input.h"
#include "core/arena.h"
#include "core/date.h"
#include "http/req.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The boxes (and the ISO field) a message is about. */
enum { P_DAY = 1, P_MONTH = 2, P_YEAR = 4, P_ALL = 7, P_ISO = 8 };

/* The usual names of the date called name: name-day, name-month, name-year, and name for
 * its message and the ISO field. */
struct usual_names {
    struct date_input_names n;
    char day[96], month[96], year[96];
};

static const struct date_input_names *usual(struct usual_names *u, const char *name)
{
    memset(&u->n, 0, sizeof u->n);
    snprintf(u->day, sizeof u->day, "%s-day", name);
    snprintf(u->month, sizeof u->month, "%s-month", name);
    snprintf(u->year, sizeof u->year, "%s-year", name);
    u->n.field = u->n.iso = u->n.id = name;
    u->n.day = u->day;
    u->n.month = u->month;
    u->n.year = u->year;
    return &u->n;
}

static const char *value(struct req *r, const char *key)
{
    const char *v = key ? req_field(r, key) : NULL;
    return v ? v : "";
}

static const char *typed(struct req *r, const char *key)
{
    const char *v = key ? req_typed(r, key) : NULL;
    return v ? v : "";
}

/* True when the request layer refused the field key (too long, control characters): it has
 * a message and what was typed, but no value. A handler's message on a field left out is no
 * refusal. */
static bool refused(struct req *r, const char *key)
{
    return key && req_error(r, key) && !req_field(r, key) && req_typed(r, key);
}

/* The boxes (and ISO field) the request layer refused, and the first one's message in *why. */
static int refused_parts(struct req *r, const struct date_input_names *n, const char **why)
{
    const char *keys[] = {n->day, n->month, n->year, n->iso};
    static const int bits[] = {P_DAY, P_MONTH, P_YEAR, P_ISO};
    int parts = 0;
    *why = NULL;
    for (size_t i = 0; i < 4; i++) {
        if (!refused(r, keys[i]))
            continue;
        parts |= bits[i];
        if (!*why)
            *why = req_error(r, keys[i]);
    }
    return parts;
}

/* "2027-01-15", exactly, as its three parts; false for anything else. */
static bool iso_parts(const char *s, char d[3], char m[3], char y[5])
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    memcpy(y, s, 4), y[4] = '\0';
    memcpy(m, s + 5, 2), m[2] = '\0';
    memcpy(d, s + 8, 2), d[2] = '\0';
    return true;
}

/* What one reading found. */
struct reading {
    const char *why; /* NULL: a date, or none */
    int parts;       /* what why is about */
    bool refused;    /* the request layer refused a part: its message stands, no date */
    int64_t t;
};

/* A message about the date; without memory for it, still a message (never "no error"). */
static const char *said(const char *s)
{
    return s ? s : "The date must be a real date";
}
#define SAY(r, ...) said(arena_printf((r)->arena, __VA_ARGS__))

static void read_date(struct req *r, const struct date_input_names *n, const char *label,
                      struct reading *g)
{
    const char *ds = value(r, n->day), *ms = value(r, n->month), *ys = value(r, n->year);
    const char *iso = value(r, n->iso), *why;
    bool have_parts = *ds || *ms || *ys, have_iso = *iso != '\0';
    int64_t tp = 0, ti = 0;

    memset(g, 0, sizeof *g);
    if ((g->parts = refused_parts(r, n, &why))) {
        g->refused = true;
        return;
    }
    if (have_parts || !have_iso) {
        /* the rule itself, shared with the domain code that reads dates (core/date.h); the
         * design system words a short year on its own */
        why = date_from_parts(ds, ms, ys, &tp);
        if (why && *ds && *ms && date_year_short(ys)) {
            g->why = DATE_YEAR_DIGITS;
            g->parts = P_YEAR;
            return;
        }
        if (why) {
            g->why = SAY(r, "%s %s", label, why);
            /* the phrases core/date.h lists: a box left out, or the date as a whole */
            g->parts = !strcmp(why, "must include a day")     ? P_DAY
                       : !strcmp(why, "must include a month") ? P_MONTH
                       : !strcmp(why, "must include a year")  ? P_YEAR
                                                              : P_ALL;
            return;
        }
    }
    if (have_iso) { /* the API's one ISO 8601 field */
        char d[3], m[3], y[5];
        g->parts = P_ISO;
        if (!iso_parts(iso, d, m, y)) {
            g->why =
                SAY(r, "%s must be a real date, written as year, month and day, like 2027-01-15",
                    label);
            return;
        }
        if (date_from_parts(d, m, y, &ti)) {
            g->why = SAY(r, "%s must be a real date", label);
            return;
        }
        if (have_parts && ti != tp) {
            int dd, mm, yy;
            date_to_parts(tp, &dd, &mm, &yy);
            g->why = SAY(r,
                         "%s is given twice, as %s and as day %d, month %d, year %d: "
                         "send one of them, or the same date in both",
                         label, iso, dd, mm, yy);
            return;
        }
        g->parts = 0;
    }
    g->t = have_iso ? ti : tp;
}

/* The field a message about parts belongs on. */
static const char *message_field(const struct date_input_names *n, int parts)
{
    if (n->field)
        return n->field;
    return parts & P_ISO && n->iso ? n->iso
           : parts == P_MONTH      ? n->month
           : parts == P_YEAR       ? n->year
                                   : n->day;
}

const char *date_input_read_as(struct req *r, const struct date_input_names *n, const char *label,
                               int64_t *out, const char **at)
{
    struct reading g;
    read_date(r, n, label, &g);
    *out = g.t;
    if (at)
        *at = message_field(n, g.parts);
    return g.why;
}

bool date_input_field_as(struct req *r, const struct date_input_names *n, const char *label,
                         const char *empty, int64_t *out)
{
    struct reading g;
    read_date(r, n, label, &g);
    *out = g.t;
    if (g.refused)
        return false;
    if (!g.why && !g.t && empty) {
        g.why = empty;
        g.parts = P_ALL;
    }
    if (!g.why)
        return true;
    req_add_error(r, message_field(n, g.parts), g.why);
    return false;
}

const char *date_input_refused(struct req *r, const char *name)
{
    struct usual_names u;
    const char *why;
    refused_parts(r, usual(&u, name), &why);
    return why;
}

const char *date_input_read(struct req *r, const char *name, const char *label, int64_t *out)
{
    struct usual_names u;
    return date_input_read_as(r, usual(&u, name), label, out, NULL);
}

bool date_input_field(struct req *r, const char *name, const char *label, int64_t *out)
{
    struct usual_names u;
    return date_input_field_as(r, usual(&u, name), label, NULL, out);
}

bool date_input_required(struct req *r, const char *name, const char *label, const char *empty,
                         int64_t *out)
{
    struct usual_names u;
    return date_input_field_as(r, usual(&u, name), label, empty, out);
}

/* One box of the model: its value, name, id, and the id its form group takes when the id is
 * not the name (so a link to the name lands on the box). */
static int set_box(json_t *o, const char *part, const char *v, const char *name, const char *id,
                   bool error)
{
    char key[32];
    const char *box_id = id ? id : name;
    snprintf(key, sizeof key, "%s_name", part);
    if (json_object_set_new(o, key, json_string(name)))
        return -1;
    snprintf(key, sizeof key, "%s_id", part);
    if (json_object_set_new(o, key, json_string(box_id)))
        return -1;
    snprintf(key, sizeof key, "%s_anchor", part);
    if (json_object_set_new(o, key, json_string(strcmp(box_id, name) ? name : "")))
        return -1;
    snprintf(key, sizeof key, "%s_error", part);
    if (json_object_set_new(o, key, json_boolean(error)))
        return -1;
    return json_object_set_new(o, part, json_string(v));
}

json_t *date_input_json_as(struct req *r, const struct date_input_names *n, const char *label,
                           const char *hint, int64_t t)
{
    json_t *o = json_object();
    char dd[16] = "", mm[16] = "", yy[16] = "";
    const char *err = NULL, *d = dd, *m = mm, *y = yy, *refused;
    const char *id = n->id ? n->id : n->field ? n->field : "date";
    const char *name = n->field ? n->field : id;
    int parts = 0;

    if (n->field) {
        err = req_error(r, n->field);
    } else {
        const char *keys[] = {n->day, n->month, n->year, n->iso};
        for (size_t i = 0; !err && i < 4; i++)
            err = keys[i] ? req_error(r, keys[i]) : NULL;
    }
    if (r->nerrors) {
        struct reading g;
        read_date(r, n, "", &g);
        /* a part the request layer refused has the date's only message: shown here */
        if (g.refused) {
            parts = refused_parts(r, n, &refused);
            if (!err)
                err = refused;
        } else if (err) {
            parts = g.why && !(g.parts & P_ISO) ? g.parts : P_ALL;
        }
        /* as typed, whole: a refused part may be any length */
        d = typed(r, n->day);
        m = typed(r, n->month);
        y = typed(r, n->year);
    } else if (t) {
        int di, mi, yi;
        date_to_parts(t, &di, &mi, &yi);
        snprintf(dd, sizeof dd, "%d", di);
        snprintf(mm, sizeof mm, "%d", mi);
        snprintf(yy, sizeof yy, "%d", yi);
    }
    if (!o || json_object_set_new(o, "name", json_string(name)) ||
        json_object_set_new(o, "id", json_string(id)) ||
        json_object_set_new(o, "label", json_string(label)) ||
        json_object_set_new(o, "hint", json_string(hint ? hint : "")) ||
        set_box(o, "day", d, n->day, n->day_id, parts & P_DAY) ||
        set_box(o, "month", m, n->month, n->month_id, parts & P_MONTH) ||
        set_box(o, "year", y, n->year, n->year_id, parts & P_YEAR) ||
        (err && json_object_set_new(o, "error", json_string(err)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *date_input_json(struct req *r, const char *name, const char *label, const char *hint,
                        int64_t t)
{
    struct usual_names u;
    return date_input_json_as(r, usual(&u, name), label, hint, t);
}
