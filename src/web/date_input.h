/* date_input.h: the NHS.UK date input — a date typed as day, month and year fields
 *
 * The NHS.UK design system asks for dates people know (a start date, a date of birth) as
 * three text boxes rather than a browser's date picker, which is hard to use on phones and
 * with assistive technology. A date named "start" is the fields start-day, start-month and
 * start-year (each declared for its route), shown by templates/partials/date_input.html from
 * the model date_input_json() builds. API clients may send the same three fields, or one
 * ISO 8601 field named "start" ("2025-03-01") instead; both at once must be the same date.
 * The messages follow the design system's wording: "Start date must include a month",
 * "Start date must be a real date", and the box a message is about is the one highlighted
 * (the month's for "must include a month"; all three for a date that is not real).
 *
 * Forms older than this helper named their fields otherwise, and API clients send those
 * names: an event's date is day, month and year, with "date" for the ISO form. A plan's
 * target is named as the others are (target-day, …, target) but keeps the ids its page has
 * always had. The *_as functions take such names and ids (struct date_input_names) and
 * behave as the others do.
 */
#ifndef AHP_DATE_INPUT_H
#define AHP_DATE_INPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct req;

/* The names of one date's fields, and the ids of its boxes on the page. */
struct date_input_names {
    /* The field the date's message is put on, which the error summary links to. NULL: the
     * box the message is about (the day's for the whole date), or iso when the ISO value is
     * wrong. */
    const char *field;
    const char *day, *month, *year; /* the three boxes' field names */
    const char *iso;                /* the API's one ISO 8601 field; NULL for none */
    /* Ids on the page: of the boxes' group (NULL: field), and of each box (NULL: its name).
     * A box whose id is not its name gets its name as the id of the box's own form group,
     * so that the error summary's link for a refused box lands there. */
    const char *id, *day_id, *month_id, *year_id;
};

/* Reads the date called name. *out receives the day at 00:00 UTC, or 0 when every field
 * is empty (no date given). Returns NULL when the date is usable or absent, else a message
 * for the person, starting with label ("Start date"), in the request's arena. A part the
 * request layer refused has its own message already: NULL, *out 0. */
const char *date_input_read(struct req *r, const char *name, const char *label, int64_t *out);

/* The message of the first part of the date called name (day, month, year, or the ISO
 * field) that the request layer refused (too long, control characters), or NULL: a handler
 * adding its own message about the date leaves such a date alone. */
const char *date_input_refused(struct req *r, const char *name);

/* date_input_read() with its message put on the field name (the date's group, which the
 * error summary links to). True when the date is usable or absent (*out 0), false after
 * adding the error, or when the request layer refused a part (its message stands). */
bool date_input_field(struct req *r, const char *name, const char *label, int64_t *out);

/* date_input_field() for a date that must be given: when every field is empty, adds empty
 * as the message (on name) and returns false. A refused part gets no second message. */
bool date_input_required(struct req *r, const char *name, const char *label, const char *empty,
                         int64_t *out);

/* The partial's model: {name, label, hint, error, day, month, year, day_error, month_error,
 * year_error, and each box's name and id}: the values as typed when the form is shown again
 * after an error, else those of t (0: empty). A new reference; NULL when out of memory. */
json_t *date_input_json(struct req *r, const char *name, const char *label, const char *hint,
                        int64_t t);

/* The same for a date whose fields are named n. date_input_read_as() puts in *at (when not
 * NULL) the field its message belongs on. date_input_field_as() adds the message there; when
 * the date is absent and empty is not NULL, it adds empty as the message (on the day's box
 * when n->field is NULL) and returns false. */
const char *date_input_read_as(struct req *r, const struct date_input_names *n, const char *label,
                               int64_t *out, const char **at);
bool date_input_field_as(struct req *r, const struct date_input_names *n, const char *label,
                         const char *empty, int64_t *out);
json_t *date_input_json_as(struct req *r, const struct date_input_names *n, const char *label,
                           const char *hint, int64_t t);

#endif
