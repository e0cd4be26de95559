/* transfer_test.c: importing assessment responses from CSV, exporting them, and the
 * benchmark exports (CSV and JSON)
 *
 * Each kind of mistake in an import file is made once and must be reported with its line
 * and column, and a file with any mistake, or a database that fails part-way, must leave
 * exactly the rows that were there before. The benchmark exports are checked for the
 * disclosure rule: a small group shows "*", and no count from 1 to 7 appears anywhere.
 *
 * Runs on the database AHPHUB_TEST_DB names (SQLite or PostgreSQL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account/account.h"
#include "account/org.h"
#include "assess/assess.h"
#include "assess/benchmark.h"
#include "assess/round.h"
#include "assess/transfer.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/rand.h"
#include "core/str.h"
#include "export/csv.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct db *db;
static struct arena *ar; /* lives as long as the group: the instrument is in it */
static struct assess_instrument ins;
static int64_t org_north, org_river, org_evil;

#define NORTH "Northfield Community Health NHS Trust"
#define RIVER "Riverside University Hospitals NHS Foundation Trust"
#define EVIL  "=HYPERLINK(\"http://example.test\",\"Trust\")"

/* ---- helpers ---- */

static int64_t count_responses(void)
{
    struct db_stmt *st = NULL;
    int64_t n;
    assert_int_equal(db_row(db, "SELECT count(*) FROM assess_responses", &st, ""), APP_OK);
    n = db_col_int(st, 0);
    db_finalize(st);
    return n;
}

static struct assess_round make_round(const char *title)
{
    struct assess_round_input in = {title, ins.id, "individual", true, 0, 0, 0};
    struct assess_round r;
    int64_t id;
    assert_int_equal(assess_round_create(db, ar, &in, 0, &id, NULL), APP_OK);
    assert_int_equal(assess_round_get_id(db, ar, id, &r), APP_OK);
    return r;
}

static int import(const struct assess_round *r, const char *csv, const char *mapping,
                  struct assess_import_report *rep)
{
    struct arena *a = arena_new();
    int rc;
    assert_non_null(a);
    rc = assess_import_csv(db, a, r, &ins, csv, strlen(csv), mapping, rep);
    arena_free(a);
    return rc;
}

/* Fails with the report when the import did not succeed. */
static void import_ok(const struct assess_round *r, const char *csv, const char *mapping,
                      int64_t want)
{
    struct assess_import_report rep;
    int rc = import(r, csv, mapping, &rep);
    if (rc)
        fail_msg("import failed (%s): %s%s", app_err_name(rc), rep.nerrors ? rep.errors[0] : "",
                 rep.more ? " (and more)" : "");
    assert_int_equal(rep.imported, want);
}

static bool has_error(const struct assess_import_report *rep, const char *text)
{
    for (int i = 0; i < rep->nerrors; i++)
        if (strstr(rep->errors[i], text))
            return true;
    return false;
}

static void assert_error(const struct assess_import_report *rep, const char *text)
{
    if (!has_error(rep, text)) {
        for (int i = 0; i < rep->nerrors; i++)
            fprintf(stderr, "  reported: %s\n", rep->errors[i]);
        fail_msg("no error contains \"%s\"", text);
    }
}

/* Position of an item in the answer string. */
static size_t item_pos(const char *id)
{
    size_t pos = 0;
    for (size_t d = 0; d < ins.ndomains; d++)
        for (size_t i = 0; i < ins.domains[d].nitems; i++, pos++)
            if (!strcmp(ins.domains[d].items[i].id, id))
                return pos;
    fail_msg("no item %s", id);
    return 0;
}

static struct assess_response *submitted(const struct assess_round *r, size_t *n)
{
    struct assess_response *list = NULL;
    assert_int_equal(assess_response_submitted(db, ar, r->id, &list, n), APP_OK);
    return list;
}

static void export_round(const struct assess_round *r, struct buf *out)
{
    struct arena *a = arena_new();
    buf_init(out);
    assert_int_equal(assess_export_responses_csv(db, a, r, &ins, out), APP_OK);
    assert_false(buf_oom(out));
    arena_free(a);
}

/* ---- setup ---- */

static int setup(void **state)
{
    struct db_stmt *st = NULL;
    (void)state;
    app = testapp_new();
    db = db_pool_get(app->pool);
    ar = arena_new();
    assert_int_equal(assess_version_seed(db), APP_OK);
    assert_int_equal(db_row(db,
                            "SELECT id FROM assess_instruments WHERE code = $1 "
                            "ORDER BY version DESC LIMIT 1",
                            &st, "t", "ahp-digital-capability"),
                     APP_OK);
    assert_int_equal(assess_version_load(db, NULL, ar, db_col_int(st, 0), &ins), APP_OK);
    db_finalize(st);
    assert_int_equal(account_org_ensure(db, NORTH, NULL, "north-east-yorkshire", &org_north), APP_OK);
    assert_int_equal(account_org_ensure(db, RIVER, "RVR01", "london", &org_river), APP_OK);
    assert_int_equal(account_org_ensure(db, EVIL, NULL, "london", &org_evil), APP_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(ar);
    db_pool_put(app->pool, db);
    testapp_free(app);
    return 0;
}

/* ---- imports that work ---- */

static void test_import_labels_and_numbers(void **state)
{
    /* Headings in any case with spaces, a byte order mark, CRLF, option numbers and labels
     * in any case, names and codes for profession and region, both ways of writing a band,
     * organisations by name in any case, and an empty cell for an unanswered item. */
    static const char csv[] =
        "\xEF\xBB\xBF Organisation ,PROFESSION,Region,Band,Submitted,leadership-1,"
        "leadership-3,ai-4,data-3,Ai-1\r\n" NORTH
        ",Physiotherapist,london,Band 6,2025-04-01,5,Yes,no,I don't know,\r\n"
        "riverside university hospitals nhs foundation trust,paramedic,North West,8A,,"
        " strongly agree ,1,2,1–25%,3\r\n"
        ",,,,,,,,\r\n"
        ",,,other,2024-02-29,2,,,,\r\n";
    struct assess_round r = make_round("Import: labels and numbers");
    struct assess_response *s;
    struct assess_import_report rep;
    size_t n, l1 = item_pos("leadership-1"), l3 = item_pos("leadership-3"), a4 = item_pos("ai-4"),
              d3 = item_pos("data-3"), a1 = item_pos("ai-1");
    int64_t now = (int64_t)time(NULL);
    (void)state;
    assert_int_equal(import(&r, csv, NULL, &rep), APP_OK);
    assert_int_equal(rep.nerrors, 0);
    assert_int_equal(rep.imported, 3);
    assert_int_equal(rep.skipped, 1);
    s = submitted(&r, &n);
    assert_int_equal(n, 3);
    assert_int_equal(s[0].organisation_id, org_north);
    assert_string_equal(s[0].profession, "physiotherapist");
    assert_string_equal(s[0].region, "london");
    assert_string_equal(s[0].band, "6");
    assert_int_equal(s[0].submitted_at, INT64_C(1743508800)); /* 2025-04-01 12:00 UTC */
    assert_int_equal(s[0].answers[l1], '4');
    assert_int_equal(s[0].answers[l3], '1');
    assert_int_equal(s[0].answers[a4], '0');
    assert_int_equal(s[0].answers[d3], '5');
    assert_int_equal(s[0].answers[a1], '-');
    assert_int_equal(strlen(s[0].answers), ins.nitems);
    assert_true(assess_answers_valid(&ins, s[0].answers));
    assert_int_equal(s[1].organisation_id, org_river);
    assert_string_equal(s[1].profession, "paramedic");
    assert_string_equal(s[1].region, "north-west");
    assert_string_equal(s[1].band, "8a");
    assert_true(s[1].submitted_at >= now - 5 && s[1].submitted_at <= now + 5);
    assert_int_equal(s[1].answers[l1], '4');
    assert_int_equal(s[1].answers[l3], '0');
    assert_int_equal(s[1].answers[a4], '1');
    assert_int_equal(s[1].answers[d3], '1');
    assert_int_equal(s[1].answers[a1], '2');
    assert_int_equal(s[2].organisation_id, 0);
    assert_string_equal(s[2].band, "other");
    assert_string_equal(s[2].profession, "");
    assert_int_equal(s[2].submitted_at, INT64_C(1709208000)); /* 2024-02-29 12:00 */
    /* stored as imported, with no account and no usable resume token */
    {
        struct db_stmt *st = NULL;
        assert_int_equal(db_row(db,
                                "SELECT source, COALESCE(user_id, 0), token_hash FROM "
                                "assess_responses WHERE id = $1",
                                &st, "i", s[0].id),
                         APP_OK);
        assert_string_equal(db_col_text(st, 0), "import");
        assert_int_equal(db_col_int(st, 1), 0);
        assert_non_null(strstr(db_col_text(st, 2), "import-"));
        db_finalize(st);
    }
}

/* An organisation is found by its ODS code too, in any case. */
static void test_import_by_ods_code(void **state)
{
    static const char csv[] = "organisation,band,leadership-1\nrvr01,6,2\nRVR01,7,3\n";
    struct assess_round r = make_round("Import: organisations by ODS code");
    struct assess_response *s;
    struct assess_import_report rep;
    size_t n;
    (void)state;
    assert_int_equal(import(&r, csv, NULL, &rep), APP_OK);
    assert_int_equal(rep.nerrors, 0);
    s = submitted(&r, &n);
    assert_int_equal(n, 2);
    assert_int_equal(s[0].organisation_id, org_river);
    assert_int_equal(s[1].organisation_id, org_river);
}

static void test_import_mapping(void **state)
{
    static const char csv[] = "Trust,Q1,Q2,Timestamp,Grade\n" NORTH ",4,3,09/04/2025 10:12,7\n"
                              ",Agree,,09/04/2025 10:13,\n";
    static const char mapping[] = "# our survey tool's headings\n"
                                  "Trust = organisation\r\n"
                                  "  q1   =   leadership-1  \n"
                                  "\n"
                                  "Q2 = ai-2\n"
                                  "Timestamp = ignore\n"
                                  "Grade = band\n"
                                  "Not in this file = data-1\n";
    struct assess_round r = make_round("Import: mapping");
    struct assess_response *s;
    size_t n;
    (void)state;
    import_ok(&r, csv, mapping, 2);
    s = submitted(&r, &n);
    assert_int_equal(n, 2);
    assert_int_equal(s[0].organisation_id, org_north);
    assert_string_equal(s[0].band, "7");
    assert_int_equal(s[0].answers[item_pos("leadership-1")], '3');
    assert_int_equal(s[0].answers[item_pos("ai-2")], '2');
    assert_int_equal(s[1].answers[item_pos("leadership-1")], '3');
    assert_int_equal(s[1].answers[item_pos("ai-2")], '-');
}

static void test_mapping_errors(void **state)
{
    static const char csv[] = "Q1,Q2\n1,2\n";
    static const char mapping[] = "Q1 leadership-1\n"
                                  "Q2 = nope\n"
                                  " = ai-1\n"
                                  "Q1 = leadership-2\n"
                                  "q1 = leadership-3\n";
    struct assess_round r = make_round("Import: mapping errors");
    struct assess_import_report rep;
    int64_t before = count_responses();
    (void)state;
    assert_int_equal(import(&r, csv, mapping, &rep), APP_E_INVALID);
    assert_error(&rep, "Mapping line 1: write each line as");
    assert_error(&rep, "Mapping line 2: “nope” is not an item id");
    assert_error(&rep, "Mapping line 3: the column heading");
    assert_error(&rep, "Mapping line 5: “q1” is already mapped on line 4");
    /* Q2 stays unmapped, so its heading is reported too */
    assert_error(&rep, "Line 1, column “Q2”: not an item id");
    assert_int_equal(rep.imported, 0);
    assert_int_equal(count_responses(), before);
}

/* ---- every kind of mistake ---- */

static void test_import_errors(void **state)
{
    static const char csv[] =
        "organisation,profession,region,band,submitted,leadership-2,leadership-3,leadrship-4,"
        "leadership-2,,ai-1\n"                                    /* 1 */
        NORTH ",physiotherapist,london,6,2025-01-01,3,Yes,,,,2\n" /* 2: fine */
        ",,,,,7,,,,,\n"                                           /* 3 */
        "Nowhere NHS Trust,,,,,1,,,,,\n"                          /* 4 */
        ",Physio,,,,1,,,,,\n"                                     /* 5 */
        ",,Wessex,,,1,,,,,\n"                                     /* 6 */
        ",,,Band 10,,1,,,,,\n"                                    /* 7 */
        ",,,,31/03/2025,1,,,,,\n"                                 /* 8 */
        ",,,,2999-01-01,1,,,,,\n"                                 /* 9 */
        ",,,,2023-02-29,1,,,,,\n"                                 /* 10 */
        NORTH ",,,,,,,,,,\n"                                      /* 11 */
        ",,,,,1,,,,,,,extra\n"                                    /* 12 */
        ",,,,,1,Maybe,,,stray,\n"                                 /* 13 */
        ",,,,,0,,,,,\n"                                           /* 14 */
        ",,,,,1,\"unterminated\n";                                /* 15 */
    struct assess_round r = make_round("Import: errors");
    struct assess_import_report rep;
    int64_t before = count_responses();
    (void)state;
    assert_int_equal(import(&r, csv, NULL, &rep), APP_E_INVALID);
    assert_error(&rep, "Line 1, column “leadrship-4”: not an item id");
    assert_error(&rep, "Line 1, column “leadership-2”: "
                       "“leadership-2” already has a column");
    assert_error(&rep, "Line 3, column “leadership-2”: “7” is not an option; use 1 to 5 or the "
                       "option’s words");
    assert_error(&rep, "Line 4, column “organisation”: "
                       "“Nowhere NHS Trust” is not the name or ODS code of an organisation");
    assert_error(&rep, "Line 5, column “profession”: "
                       "“Physio” is not a profession");
    assert_error(&rep, "Line 6, column “region”: "
                       "“Wessex” is not an NHS England region");
    assert_error(&rep, "Line 7, column “band”: “Band 10” is not a pay band");
    assert_error(&rep, "Line 8, column “submitted”: “31/03/2025” is not a date");
    assert_error(&rep, "Line 9, column “submitted”: “2999-01-01” is in the future");
    assert_error(&rep, "Line 10, column “submitted”: “2023-02-29” is not a date");
    assert_error(&rep, "Line 11: no item is answered");
    assert_error(&rep, "Line 12: 13 values where the heading row has 11 columns");
    assert_error(&rep, "Line 13, column “leadership-3”: "
                       "“Maybe” is not an option; use 1 or 2");
    assert_error(&rep, "Line 13, column 10: “stray” is in a column with "
                       "no heading");
    assert_error(&rep, "Line 14, column “leadership-2”: “0” is not an option");
    assert_error(&rep, "Line 15: unterminated");
    assert_int_equal(rep.nerrors, 16);
    assert_int_equal(rep.more, 0);
    assert_int_equal(rep.imported, 0);
    assert_int_equal(count_responses(), before);
}

static void test_file_level_errors(void **state)
{
    struct assess_round r = make_round("Import: file errors"), other;
    struct assess_instrument wrong = ins;
    struct assess_import_report rep;
    struct arena *a = arena_new();
    (void)state;
    assert_int_equal(import(&r, "", NULL, &rep), APP_E_INVALID);
    assert_error(&rep, "The file is empty");
    assert_int_equal(import(&r, "leadership-1,ai-1\n", NULL, &rep), APP_E_INVALID);
    assert_error(&rep, "no responses");
    assert_int_equal(import(&r, "band,region\n6,london\n", NULL, &rep), APP_E_INVALID);
    assert_error(&rep, "Line 1: no column is an item");
    /* another version of the instrument than the round's */
    wrong.id = ins.id + 1000;
    assert_int_equal(assess_import_csv(db, a, &r, &wrong, "ai-1\n1\n", 7, NULL, &rep),
                     APP_E_INVALID);
    assert_int_equal(rep.nerrors, 1);
    other = r;
    other.instrument_id = ins.id + 1000;
    assert_int_equal(assess_import_csv(db, a, &other, &ins, "ai-1\n1\n", 7, NULL, &rep),
                     APP_E_INVALID);
    arena_free(a);
}

static void test_many_errors(void **state)
{
    /* 60 bad rows: 50 messages kept, 10 counted, nothing stored */
    struct assess_round r = make_round("Import: many errors");
    struct assess_import_report rep;
    struct buf csv = BUF_INIT;
    int64_t before = count_responses();
    (void)state;
    buf_puts(&csv, "leadership-1\n");
    for (int i = 0; i < 60; i++)
        buf_puts(&csv, "9\n");
    buf_putc(&csv, '\0');
    assert_int_equal(import(&r, csv.data, NULL, &rep), APP_E_INVALID);
    assert_int_equal(rep.nerrors, ASSESS_IMPORT_MAX_ERRORS);
    assert_int_equal(rep.more, 10);
    assert_error(&rep, "Line 2, column");
    assert_error(&rep, "Line 51, column");
    assert_false(has_error(&rep, "Line 52, column"));
    assert_int_equal(count_responses(), before);
    buf_free(&csv);
}

/* ---- nothing half-imported ---- */

static void build_rows(struct buf *csv, int n, bool bad_last)
{
    buf_init(csv);
    buf_puts(csv, "profession,leadership-1,ai-1,data-1\n");
    for (int i = 0; i < n; i++)
        buf_printf(csv, "%s,%d,%d,%d\n", professions[i % professions_count].code, 1 + i % 5,
                   1 + (i / 5) % 5, 1 + (i / 25) % 5);
    if (bad_last)
        buf_puts(csv, "physiotherapist,1,2,six\n");
    buf_putc(csv, '\0');
}

static void test_error_after_many_rows(void **state)
{
    struct assess_round r = make_round("Import: late error");
    struct assess_import_report rep;
    struct buf csv;
    int64_t before = count_responses();
    size_t n;
    (void)state;
    build_rows(&csv, 300, true);
    assert_int_equal(import(&r, csv.data, NULL, &rep), APP_E_INVALID);
    assert_int_equal(rep.nerrors, 1);
    assert_error(&rep, "Line 302, column “data-1”: “six");
    assert_int_equal(rep.imported, 0);
    assert_int_equal(count_responses(), before);
    submitted(&r, &n);
    assert_int_equal(n, 0);
    buf_free(&csv);
}

static void test_fault_rolls_back(void **state)
{
    /* The database failing at the start, in the middle or at the commit leaves no row. */
    static const long at[] = {1, 2, 3, 40, 152, 153};
    struct assess_round r = make_round("Import: faults");
    struct buf csv;
    size_t n;
    (void)state;
    build_rows(&csv, 150, false);
    log_set_quiet(1);
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        struct assess_import_report rep;
        int64_t before = count_responses();
        int rc;
        db_fault_after(at[i]);
        rc = import(&r, csv.data, NULL, &rep);
        db_fault_after(0);
        assert_int_equal(rc, APP_E_DB);
        assert_int_equal(rep.imported, 0);
        assert_error(&rep, "nothing was imported");
        assert_int_equal(count_responses(), before);
        assert_false(db_in_tx(db));
    }
    log_set_quiet(0);
    /* and with the database well again, the same file goes in whole */
    import_ok(&r, csv.data, NULL, 150);
    submitted(&r, &n);
    assert_int_equal(n, 150);
    buf_free(&csv);
}

static void test_out_of_memory(void **state)
{
    static const char csv[] = "organisation,band,leadership-1,ai-1\n" NORTH ",6,1,2\n,7,3,\n";
    struct assess_round r = make_round("Import: out of memory");
    int64_t before = count_responses();
    long n;
    int rc = APP_E_NOMEM;
    (void)state;
    for (n = 1; rc == APP_E_NOMEM && n < 1000; n++) {
        struct assess_import_report rep;
        struct arena *a = arena_new();
        assert_non_null(a);
        arena_fail_after(n);
        rc = assess_import_csv(db, a, &r, &ins, csv, strlen(csv), "x = ai-1", &rep);
        arena_fail_after(0);
        arena_free(a);
        if (rc == APP_E_NOMEM)
            assert_int_equal(count_responses(), before);
    }
    assert_int_equal(rc, APP_OK);
    assert_true(n > 5);
    assert_int_equal(count_responses(), before + 2);
}

/* ---- exports ---- */

/* A file of n responses with answers drawn from a seeded generator, every attribute used. */
static void random_file(struct buf *csv, int n, uint64_t seed)
{
    static const char *const orgs[] = {NORTH, RIVER, EVIL, ""};
    struct rng g;
    rng_seed(&g, seed);
    buf_init(csv);
    buf_puts(csv, "organisation,profession,region,band,submitted");
    for (size_t d = 0; d < ins.ndomains; d++)
        for (size_t i = 0; i < ins.domains[d].nitems; i++)
            buf_printf(csv, ",%s", ins.domains[d].items[i].id);
    buf_putc(csv, '\n');
    for (int k = 0; k < n; k++) {
        const char *org = orgs[rng_below(&g, 4)];
        if (*org == '=') /* as a spreadsheet would need it, and as the export writes it */
            buf_puts(csv, "\"'=HYPERLINK(\"\"http://example.test\"\",\"\"Trust\"\")\"");
        else
            buf_puts(csv, org);
        buf_printf(csv, ",%s,%s,%s,2025-%02d-%02d",
                   rng_below(&g, 10) ? professions[rng_below(&g, professions_count)].code : "",
                   rng_below(&g, 10) ? regions[rng_below(&g, regions_count)].name : "",
                   rng_below(&g, 10) ? assess_pay_bands[rng_below(&g, assess_pay_bands_count)] : "",
                   1 + (int)rng_below(&g, 12), 1 + (int)rng_below(&g, 28));
        for (size_t d = 0; d < ins.ndomains; d++)
            for (size_t i = 0; i < ins.domains[d].nitems; i++) {
                uint64_t x = rng_below(&g, ins.domains[d].items[i].noptions + 1);
                if (x)
                    buf_printf(csv, ",%d", (int)x);
                else
                    buf_puts(csv, ",");
            }
        buf_putc(csv, '\n');
    }
    buf_putc(csv, '\0');
}

static void test_export_round_trip(void **state)
{
    struct assess_round a = make_round("Export: first"), b = make_round("Export: second");
    struct assess_response *sa, *sb;
    struct buf csv, first, second;
    size_t na, nb;
    (void)state;
    random_file(&csv, 120, 42);
    import_ok(&a, csv.data, NULL, 120);
    export_round(&a, &first);
    import_ok(&b, first.data, NULL, 120);
    export_round(&b, &second);
    /* the same answers, attributes and dates, in the same order: the files are identical */
    assert_int_equal(first.len, second.len);
    assert_memory_equal(first.data, second.data, first.len);
    sa = submitted(&a, &na);
    sb = submitted(&b, &nb);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        assert_string_equal(sa[i].answers, sb[i].answers);
        assert_int_equal(sa[i].organisation_id, sb[i].organisation_id);
        assert_string_equal(sa[i].profession, sb[i].profession);
        assert_string_equal(sa[i].region, sb[i].region);
        assert_string_equal(sa[i].band, sb[i].band);
        assert_int_equal(sa[i].submitted_at, sb[i].submitted_at);
    }
    buf_free(&csv);
    buf_free(&first);
    buf_free(&second);
}

static void test_export_columns(void **state)
{
    static const char csv[] = "organisation,profession,band,submitted,leadership-1,ai-1\n"
                              "\"=HYPERLINK(\"\"http://example.test\"\",\"\"Trust\"\")\","
                              "radiographer,8a,2025-03-04,5,\n"
                              ",,,2025-03-05,1,2\n";
    struct assess_round r = make_round("Export: columns");
    struct csv_reader rd;
    struct csv_record rec;
    struct buf out;
    bool got;
    int l1, lead, ai;
    (void)state;
    import_ok(&r, csv, NULL, 2);
    export_round(&r, &out);
    csv_open(&rd, out.data, out.len);
    assert_int_equal(csv_next(&rd, &rec, &got, NULL, 0), APP_OK);
    assert_true(got);
    assert_int_equal(rec.nfields, 6 + ins.nitems + ins.ndomains);
    assert_string_equal(rec.fields[0].p, "response");
    assert_string_equal(rec.fields[1].p, "organisation");
    assert_string_equal(rec.fields[5].p, "submitted");
    assert_string_equal(rec.fields[6].p, ins.domains[0].items[0].id);
    l1 = csv_column(&rec, "leadership-1");
    lead = csv_column(&rec, "leadership %");
    ai = csv_column(&rec, "ai %");
    assert_int_equal(lead, 6 + (int)ins.nitems);
    assert_true(l1 >= 6 && ai > lead);
    assert_int_equal(csv_next(&rd, &rec, &got, NULL, 0), APP_OK);
    assert_string_equal(rec.fields[0].p, "R1");
    /* a formula is defused with a quote; codes and dates as stored */
    assert_string_equal(rec.fields[1].p, "'" EVIL);
    assert_string_equal(rec.fields[2].p, "radiographer");
    assert_string_equal(rec.fields[3].p, "");
    assert_string_equal(rec.fields[4].p, "8a");
    assert_string_equal(rec.fields[5].p, "2025-03-04");
    assert_string_equal(csv_get(&rec, l1).p, "5");
    /* leadership-1 alone answered in its domain, at its top option; ai not answered */
    assert_string_equal(csv_get(&rec, lead).p, "100.0");
    assert_string_equal(csv_get(&rec, ai).p, "");
    assert_int_equal(csv_next(&rd, &rec, &got, NULL, 0), APP_OK);
    assert_string_equal(rec.fields[0].p, "R2");
    assert_string_equal(rec.fields[1].p, "");
    assert_string_equal(csv_get(&rec, l1).p, "1");
    assert_string_equal(csv_get(&rec, lead).p, "0.0");
    assert_string_equal(csv_get(&rec, ai).p, "25.0");
    assert_int_equal(csv_next(&rd, &rec, &got, NULL, 0), APP_OK);
    assert_false(got);
    csv_close(&rd);
    /* no database id anywhere: R numbers only */
    assert_null(strstr(out.data, "token"));
    buf_free(&out);
}

/* ---- benchmark exports ---- */

static int ref_index(const struct ref_item *list, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i].code, code))
            return (int)i;
    return -1;
}

static const char *const bench_orgs[] = {NORTH, RIVER, EVIL};

/* 150 responses: 138 physiotherapists, 9 paramedics and 3 dietitians (a small group). */
static void bench_round(struct arena *a, struct assess_benchmark *out)
{
    struct assess_round r = make_round("Benchmark");
    struct assess_respondent *resp;
    struct assess_bench_opts opts = {{professions_count, regions_count, 3, assess_pay_bands_count},
                                     NULL};
    struct assess_response *s;
    struct buf csv = BUF_INIT;
    struct rng g;
    size_t n;
    rng_seed(&g, 7);
    buf_puts(&csv, "organisation,profession,region,band");
    for (size_t d = 0; d < ins.ndomains; d++)
        for (size_t i = 0; i < ins.domains[d].nitems; i++)
            buf_printf(&csv, ",%s", ins.domains[d].items[i].id);
    buf_putc(&csv, '\n');
    for (int k = 0; k < 150; k++) {
        buf_printf(&csv, "%s,%s,%s,%s", k % 2 ? NORTH : RIVER,
                   k < 3    ? "dietitian"
                   : k < 12 ? "paramedic"
                            : "physiotherapist",
                   regions[rng_below(&g, regions_count)].code, k % 3 ? "6" : "7");
        for (size_t d = 0; d < ins.ndomains; d++)
            for (size_t i = 0; i < ins.domains[d].nitems; i++)
                buf_printf(&csv, ",%d", 1 + (int)rng_below(&g, ins.domains[d].items[i].noptions));
        buf_putc(&csv, '\n');
    }
    buf_putc(&csv, '\0');
    import_ok(&r, csv.data, NULL, 150);
    buf_free(&csv);
    s = submitted(&r, &n);
    resp = arena_calloc(a, n, sizeof *resp);
    assert_non_null(resp);
    for (size_t i = 0; i < n; i++) {
        resp[i].group[AD_PROFESSION] = ref_index(professions, professions_count, s[i].profession);
        resp[i].group[AD_REGION] = ref_index(regions, regions_count, s[i].region);
        resp[i].group[AD_ORGANISATION] = s[i].organisation_id == org_north   ? 0
                                         : s[i].organisation_id == org_river ? 1
                                                                             : -1;
        resp[i].group[AD_BAND] = !strcmp(s[i].band, "6") ? 4 : 5;
        resp[i].answers = s[i].answers;
        resp[i].len = strlen(s[i].answers);
    }
    assert_int_equal(assess_benchmark_compute(a, &ins, resp, n, &opts, out), APP_OK);
}

/* True when s is a count a benchmark may publish: "*", 0, or a multiple of 5 above 7. */
static bool publishable(const char *s)
{
    char *end;
    long v;
    if (!strcmp(s, "*"))
        return true;
    v = strtol(s, &end, 10);
    if (*end == ',') /* thousands separator */
        return false;
    return *end == '\0' && (v == 0 || (v > 7 && v % 5 == 0));
}

static void test_benchmark_csv(void **state)
{
    struct arena *a = arena_new();
    struct assess_benchmark b;
    struct csv_reader rd;
    struct csv_record rec;
    struct buf out = BUF_INIT;
    bool got, saw_small = false, saw_national = false;
    int rows = 0, resp_col;
    (void)state;
    bench_round(a, &b);
    assert_int_equal(assess_export_benchmark_csv(&ins, &b, NULL, 0, &out), APP_E_INVALID);
    assert_int_equal(assess_export_benchmark_csv(&ins, &b, bench_orgs, 0, &out), APP_OK);
    assert_false(buf_oom(&out));
    csv_open(&rd, out.data, out.len);
    assert_int_equal(csv_next(&rd, &rec, &got, NULL, 0), APP_OK);
    assert_int_equal(rec.nfields, 10);
    assert_string_equal(rec.fields[0].p, "grouping");
    assert_string_equal(rec.fields[9].p, "difference from national baseline");
    resp_col = csv_column(&rec, "respondents");
    assert_int_equal(resp_col, 4);
    while (csv_next(&rd, &rec, &got, NULL, 0) == APP_OK && got) {
        const char *dim = rec.fields[0].p, *group = rec.fields[1].p, *dom = rec.fields[3].p;
        rows++;
        assert_int_equal(rec.nfields, 10);
        if (!publishable(rec.fields[resp_col].p))
            fail_msg("line %zu publishes the count %s", rec.line, rec.fields[resp_col].p);
        if (strchr(rec.fields[resp_col].p, ','))
            fail_msg("line %zu writes the count %s as text", rec.line, rec.fields[resp_col].p);
        if (!strcmp(dim, "Profession") && !strcmp(group, "Dietitian")) {
            saw_small = true;
            assert_string_equal(rec.fields[4].p, "*");
            for (int k = 5; k < 9; k++)
                assert_string_equal(rec.fields[k].p, "*");
        }
        if (!strcmp(dim, "Everyone") && !strcmp(dom, "leadership")) {
            saw_national = true;
            assert_string_equal(group, "All respondents");
            assert_string_equal(rec.fields[2].p, ins.domains[0].title); /* the title, not the id */
            assert_string_equal(rec.fields[4].p, "150");
            assert_true(strchr(rec.fields[5].p, '.') != NULL); /* one decimal */
            assert_true(rec.fields[9].p[0] != '\0');           /* it has a baseline */
        }
        if (!strcmp(dom, "overall") || !strcmp(dom, "safety"))
            assert_string_equal(rec.fields[9].p, ""); /* no baseline */
        if (!strcmp(dim, "Organisation"))
            assert_string_not_equal(group, EVIL); /* no respondents: left out */
    }
    csv_close(&rd);
    assert_true(saw_small && saw_national);
    /* national and 15 professions, 7 regions, 2 organisations and 12 bands, 10 rows each,
     * and a not-stated row per dimension */
    assert_int_equal(rows, (1 + 15 + 7 + 2 + 12) * 10 + 4);
    assert_non_null(strstr(out.data, "Pay band,Band 7,Overall,overall,50,"));
    assert_non_null(strstr(out.data, "Organisation,Not stated,Overall,overall,0,"));
    buf_free(&out);
    out = (struct buf)BUF_INIT;
    /* one grouping only: everyone and the regions */
    assert_int_equal(assess_export_benchmark_csv(&ins, &b, bench_orgs, 1u << AD_REGION, &out),
                     APP_OK);
    assert_null(strstr(out.data, "Profession,"));
    assert_non_null(strstr(out.data, "Region,"));
    assert_non_null(strstr(out.data, "Everyone,"));
    buf_free(&out);
    arena_free(a);
}

static void test_benchmark_csv_formulas(void **state)
{
    /* An organisation's name is typed by people and published as a group of the benchmark:
     * a name a spreadsheet would run as a formula is written with a leading single quote. */
    static const char *const names[][3] = {
        {"+cmd|' /C calc'!A0", "@SUM(1+1)", "unused"},
        {"-2+3", "=HYPERLINK(\"http://x\",\"y\")", "unused"},
        {"\t=1+1", "\r=1+1", "unused"},
    };
    struct arena *a = arena_new();
    struct assess_benchmark b;
    (void)state;
    bench_round(a, &b);
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        struct buf out = BUF_INIT;
        struct csv_reader rd;
        struct csv_record rec;
        bool got, seen[2] = {false, false};
        assert_int_equal(assess_export_benchmark_csv(&ins, &b, names[k], 0, &out), APP_OK);
        csv_open(&rd, out.data, out.len);
        while (csv_next(&rd, &rec, &got, NULL, 0) == APP_OK && got) {
            struct str group = csv_get(&rec, 1);
            if (!str_eq_cstr(csv_get(&rec, 0), "Organisation") || str_eq_cstr(group, "Not stated"))
                continue;
            for (int i = 0; i < 2; i++)
                if (str_eq_cstr(csv_text_value(group), names[k][i])) {
                    if (group.p[0] != '\'')
                        fail_msg("line %zu: the group \"%s\" is not defused", rec.line, group.p);
                    seen[i] = true;
                }
        }
        csv_close(&rd);
        assert_true(seen[0] && seen[1]);
        buf_free(&out);
    }
    arena_free(a);
}

/* Fails when any count in the tree is between 1 and 7, or not a multiple of 5. */
static void check_counts(json_t *v, const char *key)
{
    const char *k;
    json_t *x;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach(v, k, x) check_counts(x, k);
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x) check_counts(x, key);
    } else if (key && (!strcmp(key, "respondents") || !strcmp(key, "not_stated") ||
                       !strcmp(key, "responses"))) {
        if (json_is_null(v))
            ; /* hidden */
        else {
            json_int_t n;
            assert_true(json_is_integer(v));
            n = json_integer_value(v);
            if (!(n == 0 || (n > 7 && n % 5 == 0)))
                fail_msg("%s is %lld", key, (long long)n);
        }
    }
}

static void test_benchmark_json(void **state)
{
    struct arena *a = arena_new();
    struct assess_benchmark b;
    json_t *j, *prof, *diet = NULL, *x;
    size_t i;
    char mean[32];
    (void)state;
    bench_round(a, &b);
    assert_null(assess_benchmark_json(&ins, &b, NULL));
    j = assess_benchmark_json(&ins, &b, bench_orgs);
    assert_non_null(j);
    check_counts(j, NULL);
    assert_int_equal(json_integer_value(json_object_get(j, "responses")), 150);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(j, "instrument"), "code")),
        "ahp-digital-capability");
    x = json_object_get(json_object_get(json_object_get(j, "national"), "domains"), "leadership");
    assert_true(json_is_real(json_object_get(x, "mean")));
    assert_true(json_is_real(json_object_get(x, "vs_baseline")));
    /* the number the CSV shows */
    snprintf(mean, sizeof mean, "%.1f", b.domains[0].mean.value);
    assert_true(json_real_value(json_object_get(x, "mean")) == strtod(mean, NULL));
    x = json_object_get(json_object_get(json_object_get(j, "national"), "domains"), "safety");
    assert_null(json_object_get(x, "vs_baseline"));
    prof =
        json_object_get(json_object_get(json_object_get(j, "breakdowns"), "profession"), "groups");
    assert_int_equal(json_array_size(prof), professions_count);
    json_array_foreach(prof, i, x) if (!strcmp(json_string_value(json_object_get(x, "code")),
                                               "dietitian")) diet = x;
    assert_non_null(diet);
    assert_true(json_is_null(json_object_get(diet, "respondents")));
    assert_non_null(strstr(json_string_value(json_object_get(diet, "withheld")), "suppressed"));
    x = json_object_get(json_object_get(diet, "domains"), "ai");
    assert_true(json_is_null(json_object_get(x, "mean")));
    assert_non_null(json_string_value(json_object_get(x, "withheld")));
    /* a profession nobody gave: a true 0, and no statistics */
    x = json_array_get(prof, 0); /* art therapists */
    assert_int_equal(json_integer_value(json_object_get(x, "respondents")), 0);
    assert_true(json_is_null(json_object_get(json_object_get(x, "overall"), "mean")));
    json_decref(j);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_labels_and_numbers),
        cmocka_unit_test(test_import_by_ods_code),
        cmocka_unit_test(test_import_mapping),
        cmocka_unit_test(test_mapping_errors),
        cmocka_unit_test(test_import_errors),
        cmocka_unit_test(test_file_level_errors),
        cmocka_unit_test(test_many_errors),
        cmocka_unit_test(test_error_after_many_rows),
        cmocka_unit_test(test_fault_rolls_back),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_export_round_trip),
        cmocka_unit_test(test_export_columns),
        cmocka_unit_test(test_benchmark_csv),
        cmocka_unit_test(test_benchmark_csv_formulas),
        cmocka_unit_test(test_benchmark_json),
    };
    return cmocka_run_group_tests_name("assess/transfer", tests, setup, teardown);
}
