/* transfer.c: assessment responses in and out as CSV; benchmarks as CSV and JSON
 *
 * The import reads the whole file before it writes anything: the heading row decides what
 * each column is, every row is checked and turned into an answer string in the arena, and
 * every problem is reported with its line and column. Only a file without a single problem
 * reaches the database, in one transaction through one prepared statement reused per row
 * (assess_load_rows, shared with the demo), so a failure part-way (a full disk, a lost
 * connection) rolls back to nothing stored.
 *
 * People make these files in spreadsheets, so the reader is forgiving where a mistake cannot
 * change the meaning (case and spaces in headings and labels, "Band 6" for "6", names for
 * codes) and strict where it can: an unknown heading, an unknown organisation or a value
 * that is not an option stops the import instead of being dropped in silence.
 *
 * Every exported text cell goes through csv_write_text(), so -3.5 stays a number.
 */
#include "assess/transfer.h"
#include "account/account.h"
#include "account/org.h"
#include "assess/store.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/rand.h"
#include "core/str.h"
#include "core/uktime.h"
#include "export/csv.h"
#include "store/db.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SHOWN_MAX 40 /* bytes of a heading or value quoted in a message */
#define DAY       86400

/* ---- small helpers ---------------------------------------------------------------------- */

static void rep_add(struct assess_import_report *rep, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void rep_add(struct assess_import_report *rep, const char *fmt, ...)
{
    va_list ap;
    if (rep->nerrors >= ASSESS_IMPORT_MAX_ERRORS) {
        rep->more++;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(rep->errors[rep->nerrors++], ASSESS_IMPORT_ERROR_LEN, fmt, ap);
    va_end(ap);
}

static bool rep_failed(const struct assess_import_report *rep)
{
    return rep->nerrors > 0 || rep->more > 0;
}

/* A heading or value for a message: at most SHOWN_MAX bytes, cut on a character boundary
 * (the CSV reader checked the UTF-8) and marked with an ellipsis, so a pasted essay cannot
 * push the useful part out of a 240-byte message. */
struct shown {
    char text[SHOWN_MAX + 4];
};

static struct shown shown(struct str s)
{
    struct shown out;
    size_t n = s.len;
    bool cut = n > SHOWN_MAX;
    if (cut) {
        n = SHOWN_MAX;
        while (n > 0 && ((unsigned char)s.p[n] & 0xC0) == 0x80)
            n--;
    }
    if (n)
        memcpy(out.text, s.p, n);
    if (cut)
        memcpy(out.text + n, "…", 3); /* … */
    out.text[n + (cut ? 3 : 0)] = '\0';
    return out;
}

/* ASCII case-insensitive equality of two slices (labels, names and codes are compared this
 * way; other characters must match exactly). */
static bool eq_fold(struct str a, struct str b)
{
    if (a.len != b.len)
        return false;
    for (size_t i = 0; i < a.len; i++) {
        unsigned char x = (unsigned char)a.p[i], y = (unsigned char)b.p[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return false;
    }
    return true;
}

static bool eq_fold_cstr(struct str a, const char *b)
{
    return eq_fold(a, str_trim(str_from(b)));
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* YYYY-MM-DD, a real date from 1970 on, as the unix time of its midnight (UTC). */
static bool parse_date(struct str s, int64_t *out)
{
    static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned y = 0, m, d;
    if (s.len != 10 || s.p[4] != '-' || s.p[7] != '-')
        return false;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s.p[i] < '0' || s.p[i] > '9'))
            return false;
    for (size_t i = 0; i < 4; i++)
        y = y * 10 + (unsigned)(s.p[i] - '0');
    m = (unsigned)(s.p[5] - '0') * 10 + (unsigned)(s.p[6] - '0');
    d = (unsigned)(s.p[8] - '0') * 10 + (unsigned)(s.p[9] - '0');
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return false;
    *out = days_from_civil(y, m, d) * DAY;
    return true;
}

/* The UTC date of a unix time as YYYY-MM-DD. */
static void format_date(int64_t t, char out[16])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(out, 16, "%Y-%m-%d", &tm))
        out[0] = '\0';
}

/* ---- loading rows (shared with the demo) ------------------------------------------------ */

int assess_load_rows(struct db *db, const struct assess_round *r, const char *source,
                     const struct assess_load_row *rows, size_t n)
{
    struct db_stmt *st = NULL;
    unsigned char raw[16];
    char batch[33], token[64];
    int64_t submitted = 0;
    int rc;
    if (!db || !r || !source || (n && !rows))
        return APP_E_INVALID;
    /* A resume token's hash is 64 hex digits; these contain a word and dashes, so no token
     * can ever hash to one, and a random batch prefix keeps them unique across imports. */
    if ((rc = rand_bytes(raw, sizeof raw)))
        return rc;
    sodium_bin2hex(batch, sizeof batch, raw, sizeof raw);
    if ((rc = db_prepare(db, SQL_AS_LOAD, &st)))
        goto done;
    for (size_t i = 0; i < n; i++) {
        const struct assess_load_row *row = &rows[i];
        snprintf(token, sizeof token, "%s-%s-%zu", source, batch, i);
        db_reset(st);
        if ((rc = db_bind_int(st, 1, r->id)) || (rc = db_bind_int(st, 2, r->instrument_id)) ||
            (rc = db_bind_cstr(st, 3, token)) ||
            (rc = row->organisation_id > 0 ? db_bind_int(st, 4, row->organisation_id)
                                           : db_bind_null(st, 4)) ||
            (rc = row->invitation_id > 0 ? db_bind_int(st, 5, row->invitation_id)
                                         : db_bind_null(st, 5)) ||
            (rc = db_bind_cstr(st, 6, row->profession ? row->profession : "")) ||
            (rc = db_bind_cstr(st, 7, row->region ? row->region : "")) ||
            (rc = db_bind_cstr(st, 8, row->band ? row->band : "")) ||
            (rc = db_bind_cstr(st, 9, row->answers)) || (rc = db_bind_cstr(st, 10, source)) ||
            (rc = db_bind_int(st, 11, row->started_at ? row->started_at : row->submitted_at)) ||
            (rc = db_bind_int(st, 12, row->submitted_at)))
            goto done;
        rc = db_step(st);
        if (rc != DB_DONE) {
            rc = rc == DB_ROW ? APP_E_INTERNAL : rc;
            goto done;
        }
        rc = APP_OK;
        submitted += row->submitted_at > 0;
    }
    /* in the caller's transaction, with the rows */
    if (submitted)
        rc = db_run(db, SQL_AR_ADD_SUBMITTED, "ii", r->id, submitted);
done:
    db_finalize(st);
    return rc;
}

/* ---- the import ------------------------------------------------------------------------- */

enum col_kind {
    COL_EMPTY,  /* no heading: must hold nothing */
    COL_IGNORE, /* read over */
    COL_ITEM,
    COL_ORG,
    COL_PROFESSION,
    COL_REGION,
    COL_BAND,
    COL_SUBMITTED,
    COL_KINDS
};

static const char *const field_names[COL_KINDS] = {
    [COL_ORG] = "organisation", [COL_PROFESSION] = "profession", [COL_REGION] = "region",
    [COL_BAND] = "band",        [COL_SUBMITTED] = "submitted",
};

struct target {
    enum col_kind kind;
    size_t pos; /* COL_ITEM: the item's position in the answer string */
};

struct map_entry {
    struct str heading; /* trimmed, points into the mapping text */
    struct target t;
    size_t line;
};

struct col {
    struct target t;
    struct str heading; /* trimmed, arena copy, for messages */
};

struct import {
    struct arena *a;
    const struct assess_instrument *ins;
    struct assess_import_report *rep;
    const struct assess_item **items; /* nitems, by position */
    struct map_entry *map;
    size_t nmap, capmap;
    struct col *cols;
    size_t ncols, nitem_cols;
    bool has_org;
    struct org *orgs;
    size_t norgs;
    struct assess_load_row *rows;
    size_t nrows, caprows;
    int64_t now;
};

/* What a name in a mapping stands for: an item id, an optional column or "ignore". */
static bool resolve(const struct import *im, struct str name, bool allow_ignore, struct target *t)
{
    for (size_t pos = 0; pos < im->ins->nitems; pos++)
        if (eq_fold_cstr(name, im->items[pos]->id)) {
            *t = (struct target){COL_ITEM, pos};
            return true;
        }
    for (int k = 0; k < COL_KINDS; k++)
        if (field_names[k] && eq_fold_cstr(name, field_names[k])) {
            *t = (struct target){(enum col_kind)k, 0};
            return true;
        }
    if (allow_ignore && eq_fold_cstr(name, "ignore")) {
        *t = (struct target){COL_IGNORE, 0};
        return true;
    }
    return false;
}

static int read_mapping(struct import *im, const char *mapping)
{
    size_t line = 0, len = mapping ? strlen(mapping) : 0;
    const char *p, *end;
    if (!len)
        return APP_OK;
    p = mapping;
    end = mapping + len;
    if (!utf8_valid(mapping, len)) {
        rep_add(im->rep, "The mapping is not UTF-8 text; save it again as plain text");
        return APP_OK;
    }
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)), *eq = NULL;
        struct str ln = {p, nl ? (size_t)(nl - p) : (size_t)(end - p)};
        struct map_entry e = {0};
        struct str name;
        p = nl ? nl + 1 : end;
        line++;
        if (ln.len && ln.p[ln.len - 1] == '\r')
            ln.len--;
        ln = str_trim(ln);
        if (!ln.len || ln.p[0] == '#')
            continue;
        /* the last '=': a heading may hold one, an item id never does */
        for (size_t i = 0; i < ln.len; i++)
            if (ln.p[i] == '=')
                eq = ln.p + i;
        if (!eq) {
            rep_add(im->rep, "Mapping line %zu: write each line as “Column heading = item-id”",
                    line);
            continue;
        }
        e.heading = str_trim((struct str){ln.p, (size_t)(eq - ln.p)});
        e.line = line;
        name = str_trim((struct str){eq + 1, (size_t)(ln.p + ln.len - eq - 1)});
        if (!e.heading.len) {
            rep_add(im->rep, "Mapping line %zu: the column heading before “=” is empty", line);
            continue;
        }
        if (!resolve(im, name, true, &e.t)) {
            rep_add(im->rep,
                    "Mapping line %zu: “%s” is not an item id of this instrument, nor "
                    "organisation, profession, region, band, submitted or ignore",
                    line, shown(name).text);
            continue;
        }
        for (size_t i = 0; i < im->nmap; i++)
            if (eq_fold(im->map[i].heading, e.heading)) {
                rep_add(im->rep, "Mapping line %zu: “%s” is already mapped on line %zu", line,
                        shown(e.heading).text, im->map[i].line);
                e.line = 0;
                break;
            }
        if (!e.line)
            continue;
        im->map = arena_grow(im->a, im->map, im->nmap + 1, &im->capmap, sizeof *im->map);
        if (!im->map)
            return APP_E_NOMEM;
        im->map[im->nmap++] = e;
    }
    return APP_OK;
}

/* "<domain-id> %": a score column of our own export. */
static bool score_heading(const struct import *im, struct str h)
{
    if (!h.len || h.p[h.len - 1] != '%')
        return false;
    h = str_trim((struct str){h.p, h.len - 1});
    for (size_t d = 0; d < im->ins->ndomains; d++)
        if (eq_fold_cstr(h, im->ins->domains[d].id))
            return true;
    return false;
}

static int read_header(struct import *im, const struct csv_record *h)
{
    int first[COL_KINDS], *item_col = NULL;
    im->ncols = h->nfields;
    im->cols = arena_calloc(im->a, h->nfields, sizeof *im->cols);
    item_col = arena_calloc(im->a, im->ins->nitems ? im->ins->nitems : 1, sizeof *item_col);
    if (!im->cols || !item_col)
        return APP_E_NOMEM;
    for (int k = 0; k < COL_KINDS; k++)
        first[k] = -1;
    for (size_t i = 0; i < im->ins->nitems; i++)
        item_col[i] = -1;
    for (size_t i = 0; i < h->nfields; i++) {
        struct col *c = &im->cols[i];
        struct str hd = csv_text_value(str_trim(h->fields[i]));
        bool found = false;
        int *seen = NULL;
        if (!(c->heading.p = str_dup(im->a, hd)))
            return APP_E_NOMEM;
        c->heading.len = hd.len;
        if (!hd.len) {
            c->t.kind = COL_EMPTY;
            continue;
        }
        for (size_t m = 0; m < im->nmap && !found; m++)
            if (eq_fold(im->map[m].heading, hd)) {
                c->t = im->map[m].t;
                found = true;
            }
        if (!found)
            found = resolve(im, hd, false, &c->t);
        if (!found && (eq_fold_cstr(hd, "response") || score_heading(im, hd))) {
            c->t.kind = COL_IGNORE;
            found = true;
        }
        if (!found) {
            rep_add(im->rep,
                    "Line %zu, column “%s”: not an item id of this instrument or a column AHP "
                    "Hub knows; check the spelling, or map it (“%s = item-id”)",
                    h->line, shown(hd).text, shown(hd).text);
            c->t.kind = COL_IGNORE; /* reported; read over so each row is still checked */
            continue;
        }
        if (c->t.kind == COL_ITEM)
            seen = &item_col[c->t.pos];
        else if (c->t.kind != COL_IGNORE)
            seen = &first[c->t.kind];
        if (seen && *seen >= 0) {
            rep_add(im->rep, "Line %zu, column “%s”: “%s” already has a column (“%s”)", h->line,
                    shown(hd).text,
                    c->t.kind == COL_ITEM ? im->items[c->t.pos]->id : field_names[c->t.kind],
                    shown(im->cols[*seen].heading).text);
            c->t.kind = COL_IGNORE;
            continue;
        }
        if (seen)
            *seen = (int)i;
        if (c->t.kind == COL_ITEM)
            im->nitem_cols++;
        if (c->t.kind == COL_ORG)
            im->has_org = true;
    }
    if (!im->nitem_cols)
        rep_add(im->rep,
                "Line %zu: no column is an item of “%s”; head each answer column with its "
                "item id (such as %s), or map the headings",
                h->line, im->ins->title, im->ins->nitems ? im->items[0]->id : "");
    return APP_OK;
}

static const char *ref_match(const struct ref_item *list, size_t n, struct str v)
{
    for (size_t i = 0; i < n; i++)
        if (eq_fold_cstr(v, list[i].code) || eq_fold_cstr(v, list[i].name))
            return list[i].code;
    return NULL;
}

/* "6", "8a", "Band 6", "band 8A", "other", or a band's full name. */
static const char *band_match(struct str v)
{
    struct str bare = v;
    if (bare.len > 4 && eq_fold((struct str){bare.p, 4}, STR_LIT("band")))
        bare = str_trim((struct str){bare.p + 4, bare.len - 4});
    for (size_t k = 0; k < assess_pay_bands_count; k++)
        if (eq_fold_cstr(bare, assess_pay_bands[k]) ||
            eq_fold_cstr(v, assess_pay_band_name(assess_pay_bands[k])))
            return assess_pay_bands[k];
    return NULL;
}

/* An organisation by its name or its ODS code, in any case. */
static int64_t org_match(const struct import *im, struct str v)
{
    for (size_t i = 0; i < im->norgs; i++)
        if (eq_fold_cstr(v, im->orgs[i].name) ||
            (*im->orgs[i].ods_code && eq_fold_cstr(v, im->orgs[i].ods_code)))
            return im->orgs[i].id;
    return 0;
}

/* An option index of the item for a cell: the number 1…n first, then a label in any case.
 * Returns -1 for an empty cell (unanswered) and -2 for anything else. */
static int item_value(const struct assess_item *it, struct str v)
{
    size_t i, num = 0;
    if (!v.len)
        return -1;
    for (i = 0; i < v.len && i < 4 && v.p[i] >= '0' && v.p[i] <= '9'; i++)
        num = num * 10 + (size_t)(v.p[i] - '0');
    if (i == v.len && num >= 1 && num <= it->noptions)
        return (int)num - 1;
    for (i = 0; i < it->noptions; i++)
        if (eq_fold_cstr(v, it->options[i].label))
            return (int)i;
    return -2;
}

/* One cell of a row; false when it was reported as wrong. */
static bool read_cell(struct import *im, const struct csv_record *rec, size_t i, char *answers,
                      struct assess_load_row *row, size_t *answered)
{
    const struct col *c = &im->cols[i];
    struct str v = csv_text_value(str_trim(csv_get(rec, (int)i)));
    const char *code;
    int64_t t;
    int k;
    switch (c->t.kind) {
    case COL_EMPTY:
        if (!v.len)
            return true;
        rep_add(im->rep,
                "Line %zu, column %zu: “%s” is in a column with no heading; give the column a "
                "heading or clear it",
                rec->line, i + 1, shown(v).text);
        return false;
    case COL_IGNORE:
    case COL_KINDS:
        return true;
    case COL_ITEM: {
        const struct assess_item *it = im->items[c->t.pos];
        k = item_value(it, v);
        if (k == -1)
            return true;
        if (k >= 0) {
            answers[c->t.pos] = assess_answer_char(k);
            (*answered)++;
            return true;
        }
        if (it->noptions == 2)
            rep_add(im->rep,
                    "Line %zu, column “%s”: “%s” is not an option; use 1 or 2 or the "
                    "option’s words",
                    rec->line, shown(c->heading).text, shown(v).text);
        else
            rep_add(im->rep,
                    "Line %zu, column “%s”: “%s” is not an option; use 1 to %zu or the "
                    "option’s words",
                    rec->line, shown(c->heading).text, shown(v).text, it->noptions);
        return false;
    }
    case COL_ORG:
        if (!v.len)
            return true;
        if ((row->organisation_id = org_match(im, v)) > 0)
            return true;
        rep_add(im->rep,
                "Line %zu, column “%s”: “%s” is not the name or ODS code of an organisation "
                "on AHP Hub; check the spelling or ask an administrator to add it",
                rec->line, shown(c->heading).text, shown(v).text);
        return false;
    case COL_PROFESSION:
        if (!v.len)
            return true;
        if ((code = ref_match(professions, professions_count, v))) {
            row->profession = code;
            return true;
        }
        rep_add(im->rep,
                "Line %zu, column “%s”: “%s” is not a profession; use a code such as "
                "physiotherapist or the profession’s name",
                rec->line, shown(c->heading).text, shown(v).text);
        return false;
    case COL_REGION:
        if (!v.len)
            return true;
        if ((code = ref_match(regions, regions_count, v))) {
            row->region = code;
            return true;
        }
        rep_add(im->rep,
                "Line %zu, column “%s”: “%s” is not an NHS England region; use a code "
                "such as london or the region’s name",
                rec->line, shown(c->heading).text, shown(v).text);
        return false;
    case COL_BAND:
        if (!v.len)
            return true;
        if ((code = band_match(v))) {
            row->band = code;
            return true;
        }
        rep_add(im->rep,
                "Line %zu, column “%s”: “%s” is not a pay band; use 2 to 9, 8a to 8d (or "
                "“Band 6”) or other",
                rec->line, shown(c->heading).text, shown(v).text);
        return false;
    case COL_SUBMITTED:
        if (!v.len)
            return true;
        if (!parse_date(v, &t)) {
            rep_add(im->rep,
                    "Line %zu, column “%s”: “%s” is not a date; write it as YYYY-MM-DD, "
                    "for example 2025-03-31",
                    rec->line, shown(c->heading).text, shown(v).text);
            return false;
        }
        if (t > uk_today(im->now)) {
            rep_add(im->rep, "Line %zu, column “%s”: “%s” is in the future", rec->line,
                    shown(c->heading).text, shown(v).text);
            return false;
        }
        /* midday, so the date reads the same in UK time; never later than now */
        t += DAY / 2;
        row->submitted_at = t < im->now ? t : im->now;
        return true;
    }
    return true;
}

static int read_row(struct import *im, const struct csv_record *rec)
{
    struct assess_load_row row = {0};
    size_t answered = 0;
    bool ok = true, any = false;
    char *answers;
    for (size_t i = 0; i < rec->nfields && !any; i++)
        any = str_trim(rec->fields[i]).len > 0;
    if (!any) {
        im->rep->skipped++;
        return APP_OK;
    }
    for (size_t i = im->ncols; i < rec->nfields; i++)
        if (str_trim(rec->fields[i]).len) {
            rep_add(im->rep, "Line %zu: %zu values where the heading row has %zu columns",
                    rec->line, rec->nfields, im->ncols);
            ok = false;
            break;
        }
    if (!(answers = assess_answers_blank(im->a, im->ins)))
        return APP_E_NOMEM;
    row.submitted_at = im->now;
    for (size_t i = 0; i < im->ncols; i++)
        if (!read_cell(im, rec, i, answers, &row, &answered))
            ok = false;
    if (ok && !answered && im->nitem_cols) {
        rep_add(im->rep, "Line %zu: no item is answered; fill the row in or leave it out",
                rec->line);
        ok = false;
    }
    /* once anything is wrong nothing will be stored: keep checking, stop keeping */
    if (!ok || rep_failed(im->rep))
        return APP_OK;
    row.answers = answers;
    row.started_at = row.submitted_at;
    im->rows = arena_grow(im->a, im->rows, im->nrows + 1, &im->caprows, sizeof *im->rows);
    if (!im->rows)
        return APP_E_NOMEM;
    im->rows[im->nrows++] = row;
    return APP_OK;
}

/* The next record; a syntax error is reported as "Line 7: …" and ends the reading. */
static int next_record(struct import *im, struct csv_reader *r, struct csv_record *rec, bool *got)
{
    char err[160];
    int rc = csv_next(r, rec, got, err, sizeof err);
    if (rc == APP_E_INVALID) {
        if (err[0] == 'l')
            err[0] = 'L';
        rep_add(im->rep, "%s", err);
    }
    return rc;
}

int assess_import_csv(struct db *db, struct arena *a, const struct assess_round *r,
                      const struct assess_instrument *ins, const char *csv, size_t len,
                      const char *mapping, struct assess_import_report *rep)
{
    struct import im = {0};
    struct csv_reader reader;
    struct csv_record rec;
    bool got = false, reading = false;
    size_t pos = 0;
    int rc = APP_OK;
    if (!rep)
        return APP_E_INVALID;
    memset(rep, 0, sizeof *rep);
    if (!db || !a || !r || !ins || (!csv && len)) {
        rep_add(rep, "Nothing to import");
        return APP_E_INVALID;
    }
    if (ins->id != r->instrument_id) {
        rep_add(rep, "These answers must be read with the round’s own version of the instrument");
        return APP_E_INVALID;
    }
    im.a = a;
    im.ins = ins;
    im.rep = rep;
    im.now = (int64_t)time(NULL);
    if (!(im.items = arena_calloc(a, ins->nitems ? ins->nitems : 1, sizeof *im.items)))
        return APP_E_NOMEM;
    for (size_t d = 0; d < ins->ndomains; d++)
        for (size_t i = 0; i < ins->domains[d].nitems && pos < ins->nitems; i++)
            im.items[pos++] = &ins->domains[d].items[i];
    if (pos != ins->nitems) {
        rep_add(rep, "The instrument is damaged: its items do not add up");
        return APP_E_INVALID;
    }
    if ((rc = read_mapping(&im, mapping)))
        goto done;
    csv_open(&reader, csv, len);
    reading = true;
    if ((rc = next_record(&im, &reader, &rec, &got)))
        goto done;
    if (!got) {
        rep_add(rep, "The file is empty; it needs a heading row and one row per response");
        goto done;
    }
    if ((rc = read_header(&im, &rec)))
        goto done;
    if (im.has_org && (rc = account_org_list(db, a, &im.orgs, &im.norgs)))
        goto done;
    while ((rc = next_record(&im, &reader, &rec, &got)) == APP_OK && got)
        if ((rc = read_row(&im, &rec)))
            goto done;
    if (rc == APP_OK && !im.nrows && !rep_failed(rep))
        rep_add(rep, "The file has a heading row but no responses");
done:
    if (reading)
        csv_close(&reader);
    if (rc == APP_E_INVALID) /* a syntax error, already reported */
        rc = APP_OK;
    if (rc)
        return rc;
    if (rep_failed(rep)) {
        rep->skipped = 0;
        return APP_E_INVALID;
    }
    if ((rc = db_begin(db)) || (rc = assess_load_rows(db, r, "import", im.rows, im.nrows)) ||
        (rc = db_commit(db))) {
        db_rollback(db);
        rep->skipped = 0;
        rep_add(rep, "The import failed while saving (%s); nothing was imported", app_err_name(rc));
        return rc;
    }
    rep->imported = (int64_t)im.nrows;
    return APP_OK;
}

/* ---- the response export ---------------------------------------------------------------- */

int assess_export_responses_csv(struct db *db, struct arena *a, const struct assess_round *r,
                                const struct assess_instrument *ins, struct buf *out)
{
    static const char *const fixed[] = {"response", "organisation", "profession",
                                        "region",   "band",         "submitted"};
    struct assess_response *list = NULL;
    struct assess_score *doms = NULL, overall;
    struct csv_writer w;
    size_t n = 0;
    int rc;
    if (!db || !a || !r || !ins || !out || ins->id != r->instrument_id)
        return APP_E_INVALID;
    if ((rc = assess_response_submitted(db, a, r->id, &list, &n)))
        goto done;
    if (!(doms = arena_calloc(a, ins->ndomains ? ins->ndomains : 1, sizeof *doms))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    csv_writer_init(&w, out);
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        csv_write_cstr(&w, fixed[i]);
    for (size_t d = 0; d < ins->ndomains; d++)
        for (size_t i = 0; i < ins->domains[d].nitems; i++)
            csv_write_text(&w, ins->domains[d].items[i].id);
    for (size_t d = 0; d < ins->ndomains; d++) {
        const char *heading = arena_printf(a, "%s %%", ins->domains[d].id);
        if (!heading) {
            rc = APP_E_NOMEM;
            goto done;
        }
        csv_write_text(&w, heading);
    }
    csv_end_row(&w);
    for (size_t k = 0; k < n; k++) {
        const struct assess_response *s = &list[k];
        size_t alen = strlen(s->answers), pos = 0;
        char num[32], date[16];
        snprintf(num, sizeof num, "R%zu", k + 1);
        csv_write_cstr(&w, num);
        csv_write_text(&w, s->organisation_name);
        csv_write_text(&w, s->profession);
        csv_write_text(&w, s->region);
        csv_write_text(&w, s->band);
        format_date(s->submitted_at, date);
        csv_write_cstr(&w, date);
        for (size_t d = 0; d < ins->ndomains; d++)
            for (size_t i = 0; i < ins->domains[d].nitems; i++, pos++) {
                int opt = assess_answer_at(s->answers, alen, pos);
                if (opt >= 0 && (size_t)opt < ins->domains[d].items[i].noptions)
                    csv_write_int(&w, opt + 1);
                else
                    csv_write_cstr(&w, "");
            }
        if ((rc = assess_score(ins, s->answers, alen, doms, &overall)))
            goto done;
        for (size_t d = 0; d < ins->ndomains; d++) {
            if (doms[d].scored)
                snprintf(num, sizeof num, "%.1f", doms[d].percent);
            else
                num[0] = '\0';
            csv_write_cstr(&w, num);
        }
        csv_end_row(&w);
    }
    if (buf_oom(out))
        rc = APP_E_NOMEM;
done:
    return rc;
}

/* ---- benchmark exports ------------------------------------------------------------------ */

/* A count as a spreadsheet reads a number: digits only ("30000", not the page's "30,000"),
 * or "*" when hidden. */
static void count_text(const struct disclosure_cell *c, char out[DISCLOSURE_TEXT_MAX])
{
    if (c->shown)
        snprintf(out, DISCLOSURE_TEXT_MAX, "%llu", (unsigned long long)c->value);
    else
        memcpy(out, "*", 2);
}

static void stat_text(const struct disclosure_stat *s, char out[DISCLOSURE_TEXT_MAX])
{
    if (disclosure_stat_format(s, 1, out, DISCLOSURE_TEXT_MAX))
        memcpy(out, "*", 2);
    else if (!strcmp(out, "-0.0")) /* a mean a hair below a baseline is no difference */
        memcpy(out, "0.0", 4);
}

/* The display name of group g of dimension d; NULL when out of range. */
static const char *group_name(enum assess_dim d, size_t g, const char *const *org_names)
{
    switch (d) {
    case AD_PROFESSION:
        return g < professions_count ? professions[g].name : NULL;
    case AD_REGION:
        return g < regions_count ? regions[g].name : NULL;
    case AD_ORGANISATION:
        return org_names ? org_names[g] : NULL;
    case AD_BAND:
        return g < assess_pay_bands_count ? assess_pay_band_name(assess_pay_bands[g]) : NULL;
    case AD_NDIMS:
        break;
    }
    return NULL;
}

static const char *group_code(enum assess_dim d, size_t g)
{
    switch (d) {
    case AD_PROFESSION:
        return g < professions_count ? professions[g].code : NULL;
    case AD_REGION:
        return g < regions_count ? regions[g].code : NULL;
    case AD_BAND:
        return g < assess_pay_bands_count ? assess_pay_bands[g] : NULL;
    case AD_ORGANISATION:
    case AD_NDIMS:
        break;
    }
    return NULL;
}

/* An organisation with no respondents is left out: the list of every organisation on the
 * site says nothing about a round. A shown 0 is a true 0 (disclosure.h). */
static bool skip_group(enum assess_dim d, const struct assess_group_stats *g)
{
    return d == AD_ORGANISATION && g->count.shown && g->count.value == 0;
}

static bool bench_valid(const struct assess_instrument *ins, const struct assess_benchmark *b,
                        const char *const *org_names)
{
    if (!ins || !b || b->ndomains != ins->ndomains || (b->ndomains && !b->domains))
        return false;
    for (int d = 0; d < AD_NDIMS; d++)
        for (size_t g = 0; g < b->dims[d].ngroups; g++)
            if (!b->dims[d].groups || !group_name((enum assess_dim)d, g, org_names))
                return false;
    return true;
}

static void dist_row(struct csv_writer *w, const char *dim, const char *group, const char *domain,
                     const char *domain_id, const struct assess_dist *x, bool baseline)
{
    char t[DISCLOSURE_TEXT_MAX];
    csv_write_text(w, dim);
    csv_write_text(w, group);
    csv_write_text(w, domain);
    csv_write_text(w, domain_id);
    count_text(&x->count, t);
    csv_write_cstr(w, t);
    stat_text(&x->mean, t);
    csv_write_cstr(w, t);
    stat_text(&x->median, t);
    csv_write_cstr(w, t);
    stat_text(&x->q1, t);
    csv_write_cstr(w, t);
    stat_text(&x->q3, t);
    csv_write_cstr(w, t);
    if (baseline)
        stat_text(&x->vs_baseline, t);
    else
        t[0] = '\0';
    csv_write_cstr(w, t);
    csv_end_row(w);
}

static void group_rows(struct csv_writer *w, const struct assess_instrument *ins,
                       const char *dim, const char *group, const struct assess_dist *doms,
                       const struct assess_dist *overall)
{
    for (size_t d = 0; d < ins->ndomains; d++)
        dist_row(w, dim, group, ins->domains[d].title, ins->domains[d].id, &doms[d],
                 ins->domains[d].has_baseline);
    dist_row(w, dim, group, "Overall", "overall", overall, false);
}

/* "Profession", "Pay band": a grouping as a spreadsheet's reader would name it. */
static const char *dim_label(enum assess_dim d)
{
    static const char *const labels[AD_NDIMS] = {"Profession", "Region", "Organisation",
                                                 "Pay band"};
    return (unsigned)d < AD_NDIMS ? labels[d] : "";
}

int assess_export_benchmark_csv(const struct assess_instrument *ins,
                                const struct assess_benchmark *b, const char *const *org_names,
                                unsigned dims, struct buf *out)
{
    static const char *const heads[] = {
        "grouping",       "group",          "domain",
        "domain id",      "respondents",    "mean",
        "median",         "lower quartile", "upper quartile",
        "difference from national baseline"};
    struct csv_writer w;
    int rc = APP_OK;
    if (!out || !bench_valid(ins, b, org_names))
        return APP_E_INVALID;
    csv_writer_init(&w, out);
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++)
        csv_write_cstr(&w, heads[i]);
    csv_end_row(&w);
    group_rows(&w, ins, "Everyone", "All respondents", b->domains, &b->overall);
    for (int d = 0; d < AD_NDIMS; d++) {
        const struct assess_breakdown *bd = &b->dims[d];
        const char *dim = dim_label((enum assess_dim)d);
        char t[DISCLOSURE_TEXT_MAX];
        if (!bd->ngroups || (dims && !(dims & (1u << d))))
            continue;
        for (size_t g = 0; g < bd->ngroups; g++)
            if (!skip_group((enum assess_dim)d, &bd->groups[g]))
                group_rows(&w, ins, dim, group_name((enum assess_dim)d, g, org_names),
                           bd->groups[g].domains, &bd->groups[g].overall);
        csv_write_text(&w, dim);
        csv_write_cstr(&w, "Not stated");
        csv_write_cstr(&w, "Overall");
        csv_write_cstr(&w, "overall");
        count_text(&bd->not_stated, t);
        csv_write_cstr(&w, t);
        for (int k = 0; k < 5; k++)
            csv_write_cstr(&w, "");
        csv_end_row(&w);
    }
    if (buf_oom(out))
        rc = APP_E_NOMEM;
    return rc;
}

/* Sets key to v (taking the reference); false when v is NULL or the set failed. */
static bool put(json_t *obj, const char *key, json_t *v)
{
    return v && json_object_set_new(obj, key, v) == 0;
}

static json_t *jcount(const struct disclosure_cell *c)
{
    return c->shown ? json_integer((json_int_t)c->value) : json_null();
}

/* The number the CSV shows, so both publish the same figure. */
static json_t *jstat(const struct disclosure_stat *s)
{
    char t[DISCLOSURE_TEXT_MAX];
    if (!s->shown)
        return json_null();
    stat_text(s, t);
    return t[0] == '*' ? json_null() : json_real(strtod(t, NULL));
}

static json_t *jdist(const struct assess_dist *x, bool baseline)
{
    json_t *o = json_object();
    if (!o || !put(o, "respondents", jcount(&x->count)) || !put(o, "mean", jstat(&x->mean)) ||
        !put(o, "median", jstat(&x->median)) || !put(o, "lower_quartile", jstat(&x->q1)) ||
        !put(o, "upper_quartile", jstat(&x->q3)) ||
        (baseline && !put(o, "vs_baseline", jstat(&x->vs_baseline))) ||
        (!x->count.shown && !put(o, "withheld", json_string(ASSESS_WITHHELD_TEXT)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* {"domains": {id: STATS}, "overall": STATS} added to obj. */
static bool put_dists(json_t *obj, const struct assess_instrument *ins,
                      const struct assess_dist *doms, const struct assess_dist *overall)
{
    json_t *m = json_object();
    if (!put(obj, "domains", m))
        return false;
    for (size_t d = 0; d < ins->ndomains; d++)
        if (!put(m, ins->domains[d].id, jdist(&doms[d], ins->domains[d].has_baseline)))
            return false;
    return put(obj, "overall", jdist(overall, false));
}

static json_t *jbreakdown(const struct assess_instrument *ins, const struct assess_breakdown *bd,
                          enum assess_dim d, const char *const *org_names)
{
    json_t *o = json_object(), *groups = json_array();
    bool ok = o && put(o, "groups", groups) && put(o, "not_stated", jcount(&bd->not_stated));
    if (!o)
        json_decref(groups);
    for (size_t g = 0; ok && g < bd->ngroups; g++) {
        const struct assess_group_stats *gs = &bd->groups[g];
        const char *code = group_code(d, g);
        json_t *x;
        if (skip_group(d, gs))
            continue;
        x = json_object();
        ok = x && json_array_append_new(groups, x) == 0 &&
             (!code || put(x, "code", json_string(code))) &&
             put(x, "name", json_string(group_name(d, g, org_names))) &&
             put(x, "respondents", jcount(&gs->count)) &&
             (gs->count.shown || put(x, "withheld", json_string(ASSESS_WITHHELD_TEXT))) &&
             put_dists(x, ins, gs->domains, &gs->overall);
    }
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *assess_benchmark_json(const struct assess_instrument *ins, const struct assess_benchmark *b,
                              const char *const *org_names)
{
    json_t *root = NULL, *x, *doms, *nat, *bds;
    if (!bench_valid(ins, b, org_names))
        return NULL;
    root = json_object();
    x = json_object();
    doms = json_array();
    nat = json_object();
    bds = json_object();
    if (!root || !put(root, "instrument", x) || !put(root, "domains", doms) ||
        !put(root, "national", nat) || !put(root, "breakdowns", bds)) {
        if (!root) {
            json_decref(x);
            json_decref(doms);
            json_decref(nat);
            json_decref(bds);
        }
        goto fail;
    }
    if (!put(x, "code", json_string(ins->code)) || !put(x, "version", json_integer(ins->version)) ||
        !put(x, "title", json_string(ins->title)) || !put(root, "responses", jcount(&b->responses)) ||
        (!b->responses.shown && !put(root, "withheld", json_string(ASSESS_WITHHELD_TEXT))))
        goto fail;
    for (size_t d = 0; d < ins->ndomains; d++) {
        const struct assess_domain *dom = &ins->domains[d];
        json_t *o = json_object();
        if (json_array_append_new(doms, o) || !put(o, "id", json_string(dom->id)) ||
            !put(o, "title", json_string(dom->title)) ||
            !put(o, "baseline", dom->has_baseline ? json_real(dom->baseline) : json_null()))
            goto fail;
    }
    if (!put_dists(nat, ins, b->domains, &b->overall))
        goto fail;
    for (int d = 0; d < AD_NDIMS; d++)
        if (b->dims[d].ngroups && !put(bds, assess_dim_name((enum assess_dim)d),
                                       jbreakdown(ins, &b->dims[d], (enum assess_dim)d, org_names)))
            goto fail;
    return root;
fail:
    json_decref(root);
    return NULL;
}
