/* transfer.h: assessment responses in and out as CSV, and a round's benchmark as CSV and JSON
 *
 * Import is for historic data: responses collected on paper or in another survey tool. One
 * row per response, one column per item, found by the item's id or through a mapping the
 * importer writes ("Column heading = item-id", one per line). A file either lands whole, in
 * one transaction, or leaves nothing; every problem found is reported with its line and
 * column, so one upload shows all of its mistakes at once.
 *
 * The response export is pseudonymous: responses are numbered R1, R2, … in the order they
 * were submitted; no database id, token, account or time of day leaves the database. It
 * holds what a benchmark is computed from (organisation, profession, region, band, the
 * answers) and each domain's score, so an analyst can check our figures. Its columns are
 * the ones the import reads, so export → import gives the same answers.
 *
 * The benchmark exports publish exactly what the benchmark pages show: every count and
 * statistic as disclosure.h formats it (counts of 1–7 as "*", larger ones rounded to 5;
 * statistics over 1–7 people as "*"). They never publish a private n.
 *
 * CSV injection: a cell that a spreadsheet would take for a formula (starting with = + - @,
 * a tab or CR, and not a plain number such as -3.5) is written with a leading single quote;
 * the import removes such a quote again, so an exported file imports unchanged.
 */
#ifndef AHP_ASSESS_TRANSFER_H
#define AHP_ASSESS_TRANSFER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "assess/assess.h"
#include "assess/benchmark.h"
#include "assess/round.h"

struct arena;
struct buf;
struct db;

#define ASSESS_IMPORT_MAX_ERRORS 50
#define ASSESS_IMPORT_ERROR_LEN  240

/* What an import did, or why it did nothing. The import clears it first. */
struct assess_import_report {
    int nerrors; /* sentences in errors[], in the order found */
    int more;    /* further errors found but not kept */
    /* "Line 12, column “leadership-2”: “7” is not an option; use 1 to 5 or the option’s
     * words" */
    char errors[ASSESS_IMPORT_MAX_ERRORS][ASSESS_IMPORT_ERROR_LEN];
    int64_t imported; /* responses stored; 0 when the import failed */
    int64_t skipped;  /* rows with every cell empty, left out (0 when the import failed) */
};

/* Imports the CSV in csv[0..len) as submitted responses (source 'import', no account, a
 * stored token hash that no resume token can match) to round r, whose instrument version ins
 * must be (ins->id == r->instrument_id). Any round state is allowed: imports are historic.
 *
 * The first record is the heading row. Headings are matched, ignoring case and spaces
 * around them, in this order:
 *  1. the mapping (may be NULL or ""): lines "Column heading = target", split at the last
 *     '=', where target is an item id, one of the optional columns below, or "ignore"
 *     (the column is read over); blank lines and lines starting with '#' are skipped;
 *  2. an item id of the instrument;
 *  3. organisation (a name on AHP Hub, any case), profession and region (a code from the
 *     account reference lists or its display name, any case), band ("6", "8a", "Band 6",
 *     "other"), submitted (YYYY-MM-DD, not in the future; default: now);
 *  4. response and "<domain-id> %" (the numbering and scores of our own export): read over,
 *     since scores are always recomputed from the answers.
 * Any other heading is an error, so a misspelt item id is caught rather than dropped.
 * A column with an empty heading must be empty. An item's value is the option number 1…n,
 * or the option's label (any case, spaces around ignored), or empty for unanswered; a
 * number is taken as a number first. Rows with every cell empty are skipped; a row that
 * answers no item is an error.
 *
 * Returns 0 (rep->imported rows stored), APP_E_INVALID (the file or the mapping has errors,
 * listed in rep, up to ASSESS_IMPORT_MAX_ERRORS and then counted in rep->more; also when ins
 * is not the round's version), APP_E_NOMEM, or a database error (rep says nothing was
 * imported). Nothing is stored unless everything is. Scratch memory comes from a. */
int assess_import_csv(struct db *db, struct arena *a, const struct assess_round *r,
                      const struct assess_instrument *ins, const char *csv, size_t len,
                      const char *mapping, struct assess_import_report *rep);

/* One submitted response for assess_load_rows(). */
struct assess_load_row {
    const char *answers;                    /* already checked against the round's version */
    const char *profession, *region, *band; /* codes, or NULL for not stated */
    int64_t organisation_id, invitation_id; /* 0: none */
    int64_t started_at, submitted_at;       /* unix times; started_at 0 means submitted_at */
};

/* Inserts n submitted responses to round r with source "import" or "demo" (the database
 * checks), no account, and a stored token hash no resume token can match. One prepared
 * statement is reused for every row; the caller owns the transaction (the import and the
 * demo each write everything in one). Returns 0, APP_E_INVALID, or a database error, after
 * which the caller rolls back. */
int assess_load_rows(struct db *db, const struct assess_round *r, const char *source,
                     const struct assess_load_row *rows, size_t n);

/* Appends the round's submitted responses to out as CSV: columns response (R1, R2, … in
 * submission order), organisation (name), profession, region, band (codes), submitted
 * (YYYY-MM-DD, UTC), one column per item id (the option number 1…n, empty when
 * unanswered), then "<domain-id> %" per domain (the response's score to 1 decimal, empty
 * when the domain was not scored). ins must be the round's version (APP_E_INVALID). Returns
 * 0, APP_E_NOMEM (also when out ran out of memory) or a database error. Scratch in a. */
int assess_export_responses_csv(struct db *db, struct arena *a, const struct assess_round *r,
                                const struct assess_instrument *ins, struct buf *out);

/* Appends a benchmark to out as CSV, one row per group and domain, in words a
 * spreadsheet's reader uses: columns grouping ("Everyone", "Profession", "Region",
 * "Organisation", "Pay band"), group (its display name; "All respondents" for everyone, "Not
 * stated" for those who did not say), domain (its title, or "Overall"), domain id (for
 * joining with the instrument; "overall"), respondents (digits only, "*" when hidden), mean,
 * median, lower quartile, upper quartile, difference from national baseline (domains with a
 * baseline only). Statistics have 1 decimal, "*" when suppressed. dims is a mask of
 * (1u << enum assess_dim) of the groupings to include, 0 for all. Groups are in the order of
 * their lists; organisations with no respondents are left out. The not stated row of a
 * grouping has its count only. org_names holds the names of the benchmark's organisation
 * groups (may be NULL when it has none). Returns 0, APP_E_INVALID (NULL arguments, or
 * organisation groups without names) or APP_E_NOMEM. */
int assess_export_benchmark_csv(const struct assess_instrument *ins,
                                const struct assess_benchmark *b, const char *const *org_names,
                                unsigned dims, struct buf *out);

/* The same benchmark as JSON (a new reference; NULL when out of memory or for invalid
 * arguments as above):
 *   {"instrument": {code, version, title}, "responses": N|null,
 *    "domains": [{id, title, baseline: number|null}],
 *    "national": {"domains": {<id>: STATS, …}, "overall": STATS},
 *    "breakdowns": {"profession": {"groups": [{code, name, respondents, domains, overall}],
 *                                  "not_stated": N|null}, "region": …, "organisation": …
 *                   (groups have name only), "band": …}}
 * where STATS = {respondents, mean, median, lower_quartile, upper_quartile,
 * vs_baseline (domains with a baseline only)}. A count is a number when shown and null when
 * hidden; a statistic is the number the CSV shows (1 decimal), null when suppressed or when
 * nobody answered. An object whose count is hidden (STATS, a group, the root) says why in
 * "withheld"; the words do not tell a small group from one hidden to protect another. */
json_t *assess_benchmark_json(const struct assess_instrument *ins, const struct assess_benchmark *b,
                              const char *const *org_names);

#endif
