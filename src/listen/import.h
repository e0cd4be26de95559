/* import.h: what the Pol.is and survey CSV imports share — the plan they write, the error
 * report, and the helpers that read their files (private to src/listen)
 *
 * Imports run in two phases. The reading phase (polis_import.c, csv_import.c) parses and
 * checks every file into a plan — the participants, contributions and votes to create, in
 * memory, in one arena — and collects every problem it finds with its file and line, so one
 * upload reports all of its mistakes at once. Only a clean plan reaches import_plan_write(),
 * which inserts it in one transaction and rolls back on any failure. Redaction happens while
 * writing, as for any new contribution.
 */
#ifndef AHP_LISTEN_IMPORT_H
#define AHP_LISTEN_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "export/csv.h"
#include "listen/transfer.h"

struct db;

/* Later "timestamps" than 9999-12-31T23:59:59.999Z are garbage; this also keeps ms
 * arithmetic far from overflow. */
#define IMPORT_MAX_MS INT64_C(253402300799999)

struct plan_part {
    const char *pseudonym, *audience, *profession, *region;
    int64_t created_at;
    int64_t db_id;
};

struct plan_contrib {
    size_t part;
    struct str text; /* NUL-terminated, as read (redacted when written) */
    const char *status, *source_id;
    int64_t created_at;
    int64_t votes, agrees, disagrees, passes;
    int64_t db_id;
};

struct plan_vote {
    size_t contrib, part;
    int vote;
    int64_t created_at, updated_at;
};

struct plan {
    const char *title, *summary_md, *prompt;
    const char *language; /* what the export says (canonical tag), or NULL: import_plan_write
                             guesses it from the contributions (language_guess), else "en" */
    int64_t opens_at, closes_at;
    struct plan_part *parts;
    size_t nparts;
    size_t nplaceholders; /* parts standing for a blank author-id (polis_import.c): not people */
    struct plan_contrib *contribs;
    size_t ncontribs;
    struct plan_vote *votes;
    size_t nvotes;
};

void import_report_add(struct import_report *rep, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool import_report_failed(const struct import_report *rep);
/* A whole non-negative number (spaces around allowed): Pol.is ids, votes' times. */
bool import_parse_count(struct str s, int64_t *out);
bool import_parse_ms(struct str s, int64_t *out);
/* -1, 0 or 1. */
bool import_parse_vote(struct str s, int *out);
/* qsort, which must not be given a NULL array even when there is nothing to sort. */
void import_sort(void *p, size_t n, size_t size, int (*cmp)(const void *, const void *));
int import_cmp_i64(const void *a, const void *b);
/* Index of v in the sorted array, or -1. */
long import_find_i64(const int64_t *arr, size_t n, int64_t v);
/* Writes the plan as a new exercise in one transaction. */
int import_plan_write(struct db *db, struct plan *p, int64_t created_by, int64_t *exercise_id,
                      struct import_report *rep);
/* The next record of file, with a syntax error reported as "file line N: …". Returns
 * APP_OK (*got says whether there was a record), APP_E_INVALID (reported; stop reading this
 * file) or APP_E_NOMEM. */
int import_next_record(struct csv_reader *r, struct csv_record *rec, bool *got, const char *file,
                       struct import_report *rep);
/* Finds each of the NULL-terminated names in header, reporting the missing ones. */
bool import_find_columns(const struct csv_record *hdr, const char *const *names, int *cols,
                         const char *file, struct import_report *rep);
bool import_check_width(const struct csv_record *rec, size_t want, const char *file,
                        struct import_report *rep);

#endif
