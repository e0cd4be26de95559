/* date_input.c: reading the NHS.UK day, month and year fields (see date_input.h)
 *
 * Days are counted from the civil calendar directly (days_from_civil, the proleptic
 * Gregorian algorithm), not through mktime(), so the result does not depend on the
 * process's time zone and no date is silently normalised (31 June is refused, not 1 July).
 */
#include "web/date_input.h"
#include "core/arena.h"
#include "core/err.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The part trimmed of spaces: *len is its length. */
static const char *trim(const char *s, size_t *len)
{
    size_t n;
    if (!s)
        s = "";
    while (*s && isspace((unsigned char)*s))
        s++;
    n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    *len = n;
    return s;
}

/* Digits only, at most max of them: the number, or -1. */
static long number(const char *s, size_t n, size_t max)
{
    long v = 0;
    if (!n || n > max)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static bool leap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int64_t days_from_civil(long y, long m, long d)
{
    long era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * 146097 + doe - 719468;
}

int date_input_read(struct arena *a, const char *what, const char *day, const char *month,
                    const char *year, int64_t *out, const char **why, const char **part)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t nd, nm, ny;
    const char *d = trim(day, &nd), *m = trim(month, &nm), *y = trim(year, &ny);
    const char *missing = !nd ? "day" : !nm ? "month" : !ny ? "year" : NULL;
    long dv, mv, yv;
    *why = NULL;
    *part = "day";
    if (!nd && !nm && !ny) {
        /* "Enter the date of …": what starts a sentence elsewhere, not here */
        *why = arena_printf(a, "Enter %c%s", (char)tolower((unsigned char)what[0]), what + 1);
        goto invalid;
    }
    if (missing) {
        *part = missing;
        *why = arena_printf(a, "%s must include a %s", what, missing);
        goto invalid;
    }
    dv = number(d, nd, 2);
    mv = number(m, nm, 2);
    yv = number(y, ny, 4);
    if (ny != 4 && yv >= 0) {
        *part = "year";
        *why = "Year must include 4 numbers";
        goto invalid;
    }
    if (dv < 1 || mv < 1 || mv > 12 || yv < 1900 || yv > 2200 ||
        dv > mdays[mv - 1] + (mv == 2 && leap(yv))) {
        *part = dv < 1 || (mv >= 1 && mv <= 12) ? "day" : "month";
        if (yv < 1900 || yv > 2200)
            *part = mv >= 1 && mv <= 12 && dv >= 1 ? "year" : *part;
        *why = arena_printf(a, "%s must be a real date", what);
        goto invalid;
    }
    *out = days_from_civil(yv, mv, dv) * 86400;
    return APP_OK;
invalid:
    return *why ? APP_E_INVALID : APP_E_NOMEM;
}

void date_input_parts(int64_t t, char day[8], char month[8], char year[8])
{
    time_t tt = (time_t)t;
    struct tm tm;
    day[0] = month[0] = year[0] = '\0';
    if (!t || !gmtime_r(&tt, &tm))
        return;
    snprintf(day, 8, "%d", (tm.tm_mday % 32 + 32) % 32);
    snprintf(month, 8, "%d", (tm.tm_mon % 12 + 12) % 12 + 1);
    snprintf(year, 8, "%d", ((tm.tm_year + 1900) % 10000 + 10000) % 10000);
}
