/* uktime.h: UK civil time, for every "when" a person reads or types, and for "today"
 *
 * People in the UK read dates and times off a UK clock, and the database keeps UTC. The UK
 * rule is fixed in law (the Summer Time Order 2002: BST from 01:00 UTC on the last Sunday in
 * March to 01:00 UTC on the last Sunday in October), so it is computed here rather than
 * through the process's TZ, which would be shared state between server threads. Days are
 * kept as date fields keep them (core/date.h): the unix time at 00:00 UTC of the day.
 */
#ifndef AHP_UKTIME_H
#define AHP_UKTIME_H

#include <stdint.h>

/* The UK's offset from UTC in seconds at utc: 0 (GMT) or 3600 (BST). */
int uk_offset(int64_t utc);

/* The UTC time of a UK clock reading. One that does not exist (01:30 on the spring morning
 * the clocks go forward) is read as GMT; one that happens twice, as BST. */
int64_t uk_to_utc(int year, int month, int day, int hour, int minute);

/* utc as the UK's calendar date and minutes after midnight. */
void uk_parts(int64_t utc, int *year, int *month, int *day, int *minutes);

/* The day it is in the UK at now, kept as a date field keeps a day (its 00:00 UTC): what
 * "today" means on a form. For the first hour of a BST day it is a day after UTC's. */
int64_t uk_today(int64_t now);

/* Days since 1970-01-01 (Thursday) of a UK clock reading at utc: weekday is (day + 4) % 7
 * with 0 for Sunday. */
int64_t uk_day_number(int64_t utc);

#endif
