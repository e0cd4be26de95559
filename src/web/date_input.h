/* date_input.h: the NHS.UK date input — a date typed as day, month and year fields
 *
 * The NHS.UK design system asks for dates people know (a start date, a date of birth) as
 * three text boxes rather than a browser's date picker, which is hard to use on phones and
 * with assistive technology. A date named "start" is the fields start-day, start-month and
 * start-year (each declared for its route), shown by templates/partials/date_input.html from
 * the model date_input_json() builds. API clients may send the same three fields, or one
 * ISO 8601 field named "start" ("2025-03-01") instead. The messages follow the design
 * system's wording: "Start date must include a month", "Start date must be a real date".
 */
#ifndef AHP_DATE_INPUT_H
#define AHP_DATE_INPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct req;

/* Reads the date called name. *out receives the day at 00:00 UTC, or 0 when every field
 * is empty (no date given). Returns NULL when the date is usable or absent, else a message
 * for the person, starting with label ("Start date"), in the request's arena. */
const char *date_input_read(struct req *r, const char *name, const char *label, int64_t *out);

/* date_input_read() with its message put on the field name (the date's group, which the
 * error summary links to). True when the date is usable or absent (*out 0), false after
 * adding the error. */
bool date_input_field(struct req *r, const char *name, const char *label, int64_t *out);

/* The request layer's message for the first part of the date called name it refused (a day
 * of 300 characters, a control character in the year), or NULL. Such a date reads as absent
 * (*out 0) and date_input_json() shows this message as the date's only one, so a form must
 * not add its own "Enter the date" beside it. */
const char *date_input_refused(struct req *r, const char *name);

/* date_input_field() for a date the form needs: when every field is empty, missing ("Enter
 * the date of the meeting") is put on name. A part the request layer refused keeps its own
 * message and nothing is added. True only when *out is a usable date. */
bool date_input_required(struct req *r, const char *name, const char *label, const char *missing,
                         int64_t *out);

/* The partial's model: {name, label, hint, error, day, month, year, day_error, …}: the values
 * as typed when the form is shown again after an error, else those of t (0: empty). A new
 * reference; NULL when out of memory. */
json_t *date_input_json(struct req *r, const char *name, const char *label, const char *hint,
                        int64_t t);

#endif
