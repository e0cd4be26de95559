/* date_input.c: the NHS.UK date input — a date typed as day, month and year fields */
#include "web/date_input.h"
#include "core/arena.h"
#include "core/date.h"
#include "http/req.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* One part of the date: as validated (what is read), or as typed (what is shown again,
 * refused parts too). */
static const char *part_of(struct req *r, const char *name, const char *part, bool as_typed)
{
    char key[96];
    const char *v;
    snprintf(key, sizeof key, "%s-%s", name, part);
    v = as_typed ? req_typed(r, key) : req_field(r, key);
    return v ? v : "";
}

static const char *field(struct req *r, const char *name, const char *part)
{
    return part_of(r, name, part, false);
}

const char *date_input_refused(struct req *r, const char *name)
{
    static const char *const parts[] = {"day", "month", "year"};
    const char *err = NULL;
    for (size_t i = 0; !err && i < 3; i++) {
        char key[96];
        snprintf(key, sizeof key, "%s-%s", name, parts[i]);
        err = req_error(r, key);
    }
    return err;
}

const char *date_input_read(struct req *r, const char *name, const char *label, int64_t *out)
{
    const char *ds = field(r, name, "day"), *ms = field(r, name, "month"),
               *ys = field(r, name, "year"), *iso = req_field(r, name), *why;
    int d, m, y;
    char dd[8], mm[8], yy[8];

    *out = 0;
    if (date_input_refused(r, name))
        return NULL; /* its own message stands; "must include a day" would say it was left out */
    if (!*ds && !*ms && !*ys && iso && *iso) { /* the API's one ISO 8601 field */
        if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || strlen(iso) != 10)
            return arena_printf(r->arena, "%s must be a real date", label);
        snprintf(dd, sizeof dd, "%d", d);
        snprintf(mm, sizeof mm, "%d", m);
        snprintf(yy, sizeof yy, "%d", y);
        ds = dd, ms = mm, ys = yy;
    }
    /* the rule itself, shared with the domain code that reads dates (core/date.h); the
     * design system words a short year on its own */
    why = date_from_parts(ds, ms, ys, out);
    if (why && *ds && *ms && date_year_short(ys)) {
        *out = 0;
        return DATE_YEAR_DIGITS;
    }
    return why ? arena_printf(r->arena, "%s %s", label, why) : NULL;
}

bool date_input_field(struct req *r, const char *name, const char *label, int64_t *out)
{
    const char *why = date_input_read(r, name, label, out);
    if (why)
        req_add_error(r, name, why);
    return !why;
}

bool date_input_required(struct req *r, const char *name, const char *label, const char *missing,
                         int64_t *out)
{
    if (!date_input_field(r, name, label, out))
        return false;
    if (*out)
        return true;
    if (!date_input_refused(r, name)) /* left empty, not refused: say what is needed */
        req_add_error(r, name, missing);
    return false;
}

json_t *date_input_json(struct req *r, const char *name, const char *label, const char *hint,
                        int64_t t)
{
    json_t *o = json_object();
    char dd[16] = "", mm[16] = "", yy[16] = "";
    const char *err = req_error(r, name), *d = dd, *m = mm, *y = yy;

    if (!err) /* a part the request layer refused has the date's only message: shown here */
        err = date_input_refused(r, name);

    if (r->nerrors) { /* as typed, whole: a refused part may be any length */
        d = part_of(r, name, "day", true);
        m = part_of(r, name, "month", true);
        y = part_of(r, name, "year", true);
    } else if (t) {
        struct tm tm;
        time_t tt = (time_t)t;
        if (gmtime_r(&tt, &tm)) {
            snprintf(dd, sizeof dd, "%d", tm.tm_mday);
            snprintf(mm, sizeof mm, "%d", tm.tm_mon + 1);
            snprintf(yy, sizeof yy, "%d", tm.tm_year + 1900);
        }
    }
    if (!o || json_object_set_new(o, "name", json_string(name)) ||
        json_object_set_new(o, "label", json_string(label)) ||
        json_object_set_new(o, "hint", json_string(hint ? hint : "")) ||
        json_object_set_new(o, "day", json_string(d)) ||
        json_object_set_new(o, "month", json_string(m)) ||
        json_object_set_new(o, "year", json_string(y)) ||
        (err && json_object_set_new(o, "error", json_string(err)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}
