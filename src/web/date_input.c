/* date_input.c: the NHS.UK date input — a date typed as day, month and year fields */
#include "web/date_input.h"
#include "core/arena.h"
#include "http/req.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *field(struct req *r, const char *name, const char *part)
{
    char key[96];
    const char *v;
    snprintf(key, sizeof key, "%s-%s", name, part);
    v = req_field(r, key);
    return v ? v : "";
}

/* The whole number in s (digits only, at most 4), or -1. */
static int number(const char *s)
{
    int v = 0;
    size_t n = strlen(s);
    if (!n || n > 4)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static bool days_ok(int d, int m, int y)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int max = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        max = 29;
    return d >= 1 && d <= max;
}

const char *date_input_read(struct req *r, const char *name, const char *label, int64_t *out)
{
    const char *ds = field(r, name, "day"), *ms = field(r, name, "month"),
               *ys = field(r, name, "year"), *iso = req_field(r, name);
    int d, m, y;
    struct tm tm = {0};

    *out = 0;
    if (!*ds && !*ms && !*ys) {
        if (!iso || !*iso)
            return NULL;
        if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || strlen(iso) != 10)
            return arena_printf(r->arena, "%s must be a real date", label);
    } else {
        if (!*ds)
            return arena_printf(r->arena, "%s must include a day", label);
        if (!*ms)
            return arena_printf(r->arena, "%s must include a month", label);
        if (!*ys)
            return arena_printf(r->arena, "%s must include a year", label);
        d = number(ds);
        m = number(ms);
        y = number(ys);
        if (y >= 0 && strlen(ys) != 4)
            return arena_printf(r->arena, "Year must include 4 numbers");
    }
    if (m < 1 || m > 12 || y < 1900 || y > 2200 || !days_ok(d, m, y))
        return arena_printf(r->arena, "%s must be a real date", label);
    tm.tm_mday = d;
    tm.tm_mon = m - 1;
    tm.tm_year = y - 1900;
    *out = (int64_t)timegm(&tm);
    return NULL;
}

json_t *date_input_json(struct req *r, const char *name, const char *label, const char *hint,
                        int64_t t)
{
    json_t *o = json_object();
    char d[16] = "", m[16] = "", y[16] = "";
    const char *err = req_error(r, name);

    if (r->nerrors) { /* as typed */
        snprintf(d, sizeof d, "%s", field(r, name, "day"));
        snprintf(m, sizeof m, "%s", field(r, name, "month"));
        snprintf(y, sizeof y, "%s", field(r, name, "year"));
    } else if (t) {
        struct tm tm;
        time_t tt = (time_t)t;
        if (gmtime_r(&tt, &tm)) {
            snprintf(d, sizeof d, "%d", tm.tm_mday);
            snprintf(m, sizeof m, "%d", tm.tm_mon + 1);
            snprintf(y, sizeof y, "%d", tm.tm_year + 1900);
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
