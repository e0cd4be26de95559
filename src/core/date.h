/* date.h: a date from the three boxes of the NHS.UK date input (day, month, year), and back
 *
 * The NHS.UK service manual asks for memorable and planned dates as three number boxes
 * rather than a picker, and tells people precisely what is wrong ("must include a month",
 * "must be a real date"). These two functions are that rule, once, for every form: dates
 * are kept as the unix time at 00:00 UTC of the day, 0 meaning "no date".
 */
#ifndef AHP_DATE_H
#define AHP_DATE_H

#include <stdbool.h>
#include <stdint.h>

/* The years a date input takes: a plan or target outside them is a typing mistake. */
#define DATE_YEAR_MIN 1900
#define DATE_YEAR_MAX 2200

/* Reads day, month and year (each NULL or "" when left empty; spaces around are ignored).
 * All three empty: *out = 0 (no date), returns NULL. All three a real date: *out is its
 * unix time at 00:00 UTC, returns NULL. Otherwise returns what is wrong, a static phrase to
 * follow the field's name: "must include a day", "must include a month", "must include a
 * year", "must be a real date" (letters, 31 June, a year that is not 4 digits or outside
 * DATE_YEAR_MIN…DATE_YEAR_MAX), and leaves *out 0. */
const char *date_from_parts(const char *day, const char *month, const char *year, int64_t *out);

/* The design system words a year of the wrong length on its own, naming the year rather than
 * the date: forms show DATE_YEAR_DIGITS instead of date_from_parts()'s phrase when
 * date_year_short(year) is true. */
#define DATE_YEAR_DIGITS "Year must include 4 numbers"
/* True when year is given, all digits, and not 4 of them. */
bool date_year_short(const char *year);

/* The day (1–31), month (1–12) and year of unix time t, in UTC; all 0 when t is 0. */
void date_to_parts(int64_t t, int *day, int *month, int *year);

#endif
