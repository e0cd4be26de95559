/* date.c: the NHS.UK date input's three boxes to a day, and back (date.h) */
#include "core/date.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

/* s without surrounding spaces into buf (at most n − 1 bytes); false when too long. */
static bool trimmed(const char *s, char *buf, size_t n)
{
    size_t len;
    if (!s)
        s = "";
    while (*s == ' ' || *s == '\t')
        s++;
    len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len >= n)
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return true;
}

/* A whole number of 1 to max_digits digits, or -1. */
static int number(const char *s, size_t max_digits)
{
    int v = 0;
    size_t n = strlen(s);
    if (!n || n > max_digits)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

const char *date_from_parts(const char *day, const char *month, const char *year, int64_t *out)
{
    char d[8], m[8], y[8];
    int dd, mm, yy;
    struct tm tm = {0};
    time_t t;
    *out = 0;
    if (!trimmed(day, d, sizeof d) || !trimmed(month, m, sizeof m) || !trimmed(year, y, sizeof y))
        return "must be a real date";
    if (!*d && !*m && !*y)
        return NULL;
    if (!*d)
        return "must include a day";
    if (!*m)
        return "must include a month";
    if (!*y)
        return "must include a year";
    dd = number(d, 2);
    mm = number(m, 2);
    yy = strlen(y) == 4 ? number(y, 4) : -1;
    if (dd < 1 || dd > 31 || mm < 1 || mm > 12 || yy < DATE_YEAR_MIN || yy > DATE_YEAR_MAX)
        return "must be a real date";
    tm.tm_mday = dd;
    tm.tm_mon = mm - 1;
    tm.tm_year = yy - 1900;
    t = timegm(&tm);
    /* timegm rolls 31 June over to 1 July: a real date comes back as it was written */
    if (tm.tm_mday != dd || tm.tm_mon != mm - 1)
        return "must be a real date";
    *out = (int64_t)t;
    return NULL;
}

void date_to_parts(int64_t t, int *day, int *month, int *year)
{
    struct tm tm;
    time_t tt = (time_t)t;
    *day = *month = *year = 0;
    if (!t || !gmtime_r(&tt, &tm))
        return;
    *day = tm.tm_mday;
    *month = tm.tm_mon + 1;
    *year = tm.tm_year + 1900;
}

bool date_year_short(const char *year)
{
    size_t n = year ? strlen(year) : 0;
    return n && strspn(year, "0123456789") == n && n != 4;
}
