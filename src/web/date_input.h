/* date_input.h: the NHS.UK date input — a date typed as day, month and year fields
 *
 * The service manual's pattern (three short text fields under one legend) is what forms use
 * for a date people know, such as a meeting day; the messages follow its error wording ("…
 * must include a month", "… must be a real date"). Pure: no HTTP, no clock.
 */
#ifndef AHP_DATE_INPUT_H
#define AHP_DATE_INPUT_H

#include <stdint.h>

/* Reads day, month and year (text as typed, NULL as empty; spaces around are ignored) into
 * the unix time of 00:00 UTC that day. what names the date in messages, as a sentence starts
 * ("The date of the meeting"; "Enter the date of the meeting" lower-cases its first letter).
 * Returns 0, or APP_E_INVALID with *why a sentence for the error message (a static string
 * or one made in the arena) and *part the field to link to ("day", "month" or "year"):
 * all empty, a part missing, not numbers, a year not of four digits or outside 1900–2200,
 * or no such day (31 June, 29 February 2027). APP_E_NOMEM. */
struct arena;
int date_input_read(struct arena *a, const char *what, const char *day, const char *month,
                    const char *year, int64_t *out, const char **why, const char **part);

/* The three fields of t (unix time, UTC) as a form shows them, day and month without a
 * leading zero: day "5", month "11", year "2026". Empty strings for 0. Each buffer holds 8. */
void date_input_parts(int64_t t, char day[8], char month[8], char year[8]);

#endif
