/* catalogue_csv.c: the catalogue of development activities in and out as CSV, and the
 * starter catalogue shipped in data/catalogue/starter.csv
 *
 * The export's columns are the import's, in the same order, with each activity's id: a
 * curator exports, edits in a spreadsheet and imports, and the rows with an id replace
 * their activities while rows without one are added. An import is all or nothing: every
 * row is checked before anything is written, and every problem is listed with its row as a
 * spreadsheet numbers it, so one upload shows all of them.
 */
#include "develop/catalogue.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/log.h"
#include "export/csv.h"
#include "store/db.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define STARTER "data/catalogue/starter.csv"

const char *const develop_catalogue_columns[] = {
    "id",    "title", "kind",   "provider", "description",       "mode",           "duration",
    "hours", "cost",  "region", "link",     "framework_domains", "assess_domains", "status",
};
const size_t develop_catalogue_columns_count =
    sizeof develop_catalogue_columns / sizeof develop_catalogue_columns[0];
enum {
    C_ID,
    C_TITLE,
    C_KIND,
    C_PROVIDER,
    C_DESCRIPTION,
    C_MODE,
    C_DURATION,
    C_HOURS,
    C_COST,
    C_REGION,
    C_LINK,
    C_FRAMEWORK,
    C_ASSESS,
    C_STATUS,
    C_N
};

static void report(struct develop_import_report *rep, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void report(struct develop_import_report *rep, const char *fmt, ...)
{
    va_list ap;
    if (rep->nerrors >= DEVELOP_IMPORT_MAX_ERRORS) {
        rep->more++;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(rep->errors[rep->nerrors++], DEVELOP_IMPORT_ERROR_LEN, fmt, ap);
    va_end(ap);
}

/* The column a heading names (spaces around and case ignored), or -1. */
static int column_of(struct str h)
{
    h = str_trim(h);
    for (size_t i = 0; i < develop_catalogue_columns_count; i++)
        if (strlen(develop_catalogue_columns[i]) == h.len &&
            !strncasecmp(develop_catalogue_columns[i], h.p, h.len))
            return (int)i;
    return -1;
}

/* A cell as text, the export's leading quote (csv.h, CSV injection) taken off. */
static const char *cell(struct arena *a, const struct csv_record *rec, int i)
{
    struct str v = csv_text_value(csv_get(rec, i));
    return arena_strndup(a, v.p ? v.p : "", v.len);
}

int develop_catalogue_import(struct db *db, struct arena *a,
                             const struct develop_area_sources *sources, const char *csv,
                             size_t len, int64_t by, int64_t now, struct develop_import_report *rep)
{
    struct csv_reader r;
    struct csv_record rec;
    struct develop_activity *rows = NULL;
    size_t nrows = 0, cap = 0, row = 1, nhead;
    int where[C_N], *head = NULL; /* where[column] = index in the record; head: the reverse */
    char err[160];
    bool got;
    int rc;
    memset(rep, 0, sizeof *rep);
    for (int i = 0; i < C_N; i++)
        where[i] = -1;
    csv_open(&r, csv, len);
    if ((rc = csv_next(&r, &rec, &got, err, sizeof err))) {
        if (rc == APP_E_INVALID)
            report(rep, "The file cannot be read as CSV: %s", err);
        goto done;
    }
    if (!got) {
        report(rep, "The file is empty: it needs a heading row, then one row per activity");
        rc = APP_E_INVALID;
        goto done;
    }
    nhead = rec.nfields;
    if (!(head = arena_calloc(a, nhead, sizeof *head))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < nhead; i++) {
        int c = column_of(rec.fields[i]);
        head[i] = c;
        if (str_trim(rec.fields[i]).len == 0)
            continue; /* an empty heading: its cells must be empty (checked below) */
        if (c < 0)
            report(rep,
                   "Row 1: “%.60s” is not a column; the columns are id, title, kind, "
                   "provider, description, mode, duration, hours, cost, region, link, "
                   "framework_domains, assess_domains and status",
                   rec.fields[i].p);
        else if (where[c] >= 0)
            report(rep, "Row 1: the column %s appears twice", develop_catalogue_columns[c]);
        else
            where[c] = (int)i;
    }
    if (where[C_TITLE] < 0 && !rep->nerrors)
        report(rep, "Row 1: the heading row needs at least a title column (see the export for "
                    "every column)");
    if (rep->nerrors) {
        rc = APP_E_INVALID;
        goto done;
    }
    while (!(rc = csv_next(&r, &rec, &got, err, sizeof err)) && got) {
        struct develop_activity_input in;
        struct develop_activity act;
        struct develop_field_error *errs;
        size_t nerrs;
        bool blank = true;
        const char *id_text;
        int64_t id = 0;
        row++;
        for (size_t i = 0; i < rec.nfields; i++)
            if (str_trim(rec.fields[i]).len) {
                blank = false;
                if (i >= nhead || head[i] < 0)
                    report(rep, "Row %zu, column %zu: there is a value under no heading", row,
                           i + 1);
            }
        if (blank)
            continue;
        memset(&in, 0, sizeof in);
        in.title = cell(a, &rec, where[C_TITLE]);
        in.kind = cell(a, &rec, where[C_KIND]);
        in.provider = cell(a, &rec, where[C_PROVIDER]);
        in.description = cell(a, &rec, where[C_DESCRIPTION]);
        in.mode = cell(a, &rec, where[C_MODE]);
        in.duration = cell(a, &rec, where[C_DURATION]);
        in.hours = cell(a, &rec, where[C_HOURS]);
        in.cost = cell(a, &rec, where[C_COST]);
        in.region = cell(a, &rec, where[C_REGION]);
        in.link = cell(a, &rec, where[C_LINK]);
        in.framework_domains = cell(a, &rec, where[C_FRAMEWORK]);
        in.assess_domains = cell(a, &rec, where[C_ASSESS]);
        in.status = cell(a, &rec, where[C_STATUS]);
        id_text = cell(a, &rec, where[C_ID]);
        if (!in.title || !in.kind || !in.provider || !in.description || !in.mode || !in.duration ||
            !in.hours || !in.cost || !in.region || !in.link || !in.framework_domains ||
            !in.assess_domains || !in.status || !id_text) {
            rc = APP_E_NOMEM;
            goto done;
        }
        rc = develop_activity_check(a, sources, &in, &act, &errs, &nerrs);
        if (rc == APP_E_INVALID) {
            for (size_t e = 0; e < nerrs; e++)
                report(rep, "Row %zu, %s: %s", row,
                       !strcmp(errs[e].field, "cost_pounds") ? "cost" : errs[e].field,
                       errs[e].message);
        } else if (rc) {
            goto done;
        }
        if (*id_text) {
            struct develop_activity old;
            struct arena *scratch;
            if (!parse_int64(str_trim(str_from(id_text)), &id) || id <= 0) {
                report(rep,
                       "Row %zu, id: “%.40s” is not an activity’s id; leave it empty to add "
                       "a new activity",
                       row, id_text);
                id = 0;
            } else {
                for (size_t i = 0; i < nrows; i++)
                    if (rows[i].id == id) {
                        report(rep, "Row %zu, id: activity %lld is in the file twice", row,
                               (long long)id);
                        break;
                    }
                if (!(scratch = arena_new())) {
                    rc = APP_E_NOMEM;
                    goto done;
                }
                rc = develop_activity_get(db, scratch, id, &old);
                arena_free(scratch);
                if (rc == APP_E_NOTFOUND)
                    report(rep,
                           "Row %zu, id: there is no activity %lld; leave the id empty to "
                           "add it as a new activity",
                           row, (long long)id);
                else if (rc)
                    goto done;
            }
        }
        rc = APP_OK;
        if (!(rows = arena_grow(a, rows, nrows + 1, &cap, sizeof *rows))) {
            rc = APP_E_NOMEM;
            goto done;
        }
        act.id = id;
        rows[nrows++] = act;
    }
    if (rc == APP_E_INVALID)
        report(rep, "The file cannot be read as CSV: %s", err);
    if (rc)
        goto done;
    if (!rep->nerrors && !nrows)
        report(rep, "The file has a heading row but no activities");
    if (rep->nerrors) {
        rc = APP_E_INVALID;
        goto done;
    }
    if ((rc = db_begin(db)))
        goto done;
    for (size_t i = 0; !rc && i < nrows; i++) {
        int64_t id;
        rc = develop_activity_write(db, &rows[i], by, now, &id);
        if (!rc && rows[i].id)
            rep->updated++;
        else if (!rc)
            rep->created++;
    }
    if (rc || (rc = db_commit(db))) {
        db_rollback(db);
        rep->created = rep->updated = 0;
        if (rc == APP_E_NOTFOUND) /* retired? no: deleted meanwhile, which nothing does */
            rc = APP_E_CONFLICT;
    }
done:
    csv_close(&r);
    if (rc == APP_OK && rep->nerrors)
        rc = APP_E_INVALID;
    return rc;
}

int develop_catalogue_export(struct db *db, struct arena *a, struct buf *out)
{
    struct develop_activity *list = NULL;
    struct csv_writer w;
    size_t n;
    int rc = develop_activity_all(db, a, &list, &n);
    if (rc)
        return rc;
    csv_writer_init(&w, out);
    for (size_t i = 0; i < develop_catalogue_columns_count; i++)
        csv_write_cstr(&w, develop_catalogue_columns[i]);
    csv_end_row(&w);
    for (size_t i = 0; i < n; i++) {
        struct develop_activity_input t;
        const char *cost;
        if ((rc = develop_activity_text(a, &list[i], &t)))
            return rc;
        cost = !strcmp(list[i].cost, "paid")       ? t.cost_pounds
               : !strcmp(list[i].cost, "employer") ? "funded by employer"
                                                   : "free";
        csv_write_int(&w, list[i].id);
        csv_write_text(&w, t.title);
        csv_write_cstr(&w, t.kind);
        csv_write_text(&w, t.provider);
        csv_write_text(&w, t.description);
        csv_write_cstr(&w, t.mode);
        csv_write_text(&w, t.duration);
        csv_write_cstr(&w, t.hours);
        csv_write_cstr(&w, cost);
        csv_write_cstr(&w, t.region);
        csv_write_text(&w, t.link);
        csv_write_cstr(&w, t.framework_domains);
        csv_write_cstr(&w, t.assess_domains);
        csv_write_cstr(&w, t.status);
        csv_end_row(&w);
    }
    return buf_oom(out) ? APP_E_NOMEM : APP_OK;
}

int develop_catalogue_seed(struct db *db)
{
    const struct embed_file *f = embed_find(STARTER);
    struct develop_area_sources sources;
    struct develop_import_report *rep = NULL;
    struct arena *a;
    int64_t n = 0;
    int rc;
    if (!f) {
        log_error("develop: %s is not in the binary", STARTER);
        return APP_E_INTERNAL;
    }
    if ((rc = develop_activity_count(db, &n)) || n > 0)
        return rc; /* a catalogue is there, perhaps curated since: leave it */
    if (!(a = arena_new()))
        return APP_E_NOMEM;
    if (!(rep = arena_calloc(a, 1, sizeof *rep)))
        rc = APP_E_NOMEM;
    if (!rc)
        rc = develop_area_sources_load(db, NULL, a, &sources);
    if (!rc)
        rc = develop_catalogue_import(db, a, &sources, (const char *)f->data, f->len, 0,
                                      (int64_t)time(NULL), rep);
    if (rc == APP_E_INVALID) {
        /* An admin may have taken an area out of a framework before this version was
         * installed: the service still starts, with an empty catalogue to import into. The
         * shipped file itself is checked by tests/http/develop_catalogue_test.c. */
        for (int i = 0; i < rep->nerrors; i++)
            log_error("develop: %s not loaded: %s", STARTER, rep->errors[i]);
        rc = APP_OK;
    }
    arena_free(a);
    return rc;
}
