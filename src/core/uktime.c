/* uktime.c: UK civil time by the Summer Time Order's rule (uktime.h) */
#include "core/uktime.h"

#include <stdbool.h>

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : n[m - 1];
}

/* 01:00 UTC on the last Sunday of month m of year y. */
static int64_t last_sunday_1am(int y, int m)
{
    int64_t d = days_from_civil(y, m, days_in_month(y, m));
    d -= ((d % 7) + 7 + 4) % 7; /* 1970-01-01 was a Thursday: (d + 4) % 7 is 0 on Sunday */
    return d * 86400 + 3600;
}

/* The year of a unix time (UTC). */
static int year_of(int64_t t)
{
    int y = (int)(1970 + t / 31556952);
    while (days_from_civil(y, 1, 1) * 86400 > t)
        y--;
    while (days_from_civil(y + 1, 1, 1) * 86400 <= t)
        y++;
    return y;
}

/* Whole days of t since 1970-01-01, rounding down before it. */
static int64_t day_floor(int64_t t)
{
    return t >= 0 ? t / 86400 : (t - 86399) / 86400;
}

int uk_offset(int64_t utc)
{
    int y = year_of(utc);
    return utc >= last_sunday_1am(y, 3) && utc < last_sunday_1am(y, 10) ? 3600 : 0;
}

int64_t uk_to_utc(int year, int month, int day, int hour, int minute)
{
    int64_t local = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60;
    return uk_offset(local - 3600) == 3600 ? local - 3600 : local;
}

int64_t uk_day_number(int64_t utc)
{
    return day_floor(utc + uk_offset(utc));
}

void uk_parts(int64_t utc, int *year, int *month, int *day, int *minutes)
{
    int64_t local = utc + uk_offset(utc), days = day_floor(local);
    int y = year_of(days * 86400), m = 1;
    int64_t rest = days - days_from_civil(y, 1, 1);
    while (m < 12 && rest >= days_in_month(y, m))
        rest -= days_in_month(y, m++);
    *year = y;
    *month = m;
    *day = (int)rest + 1;
    *minutes = (int)((local - days * 86400) / 60);
}

int64_t uk_today(int64_t now)
{
    return uk_day_number(now) * 86400;
}
