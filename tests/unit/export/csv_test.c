/* csv_test.c: the RFC 4180 reader and writer — quoting, line breaks, BOM, errors, limits */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "export/csv.h"

/* Reads all of s into "a|b\n"-style text: fields joined by '|', one line per record,
 * prefixed by the record's line number ("3:a|b"). Returns csv_next's error, or 0. */
static int dump(const char *s, size_t n, char *out, size_t outlen, char *err, size_t errlen)
{
    struct csv_reader r;
    struct csv_record rec;
    size_t j = 0;
    bool got;
    int rc;
    out[0] = '\0';
    csv_open(&r, s, n);
    while ((rc = csv_next(&r, &rec, &got, err, errlen)) == APP_OK && got) {
        j += (size_t)snprintf(out + j, outlen - j, "%zu:", rec.line);
        for (size_t i = 0; i < rec.nfields; i++) {
            assert_int_equal(rec.fields[i].p[rec.fields[i].len], '\0');
            j += (size_t)snprintf(out + j, outlen - j, "%s%.*s", i ? "|" : "",
                                  (int)rec.fields[i].len, rec.fields[i].p);
        }
        j += (size_t)snprintf(out + j, outlen - j, "\n");
    }
    csv_close(&r);
    return rc;
}

#define READS(input, expect)                                                                       \
    do {                                                                                           \
        char out_[1024], err_[128];                                                                \
        assert_int_equal(dump(input, sizeof(input) - 1, out_, sizeof out_, err_, sizeof err_),     \
                         APP_OK);                                                                  \
        assert_string_equal(out_, expect);                                                         \
    } while (0)

#define FAILS(input, message)                                                                      \
    do {                                                                                           \
        char out_[1024], err_[128];                                                                \
        assert_int_equal(dump(input, sizeof(input) - 1, out_, sizeof out_, err_, sizeof err_),     \
                         APP_E_INVALID);                                                           \
        assert_string_equal(err_, message);                                                        \
    } while (0)

/* Free text never reaches a spreadsheet as a formula, and reads back unchanged. */
static void test_text_cells(void **state)
{
    const char *in[] = {"=SUM(A1)", "+44 20", "-3.5", "@cmd", "'quoted", "plain", "", "-", "12"};
    const char *out = "'=SUM(A1),'+44 20,-3.5,'@cmd,''quoted,plain,,'-,12\n";
    struct buf b = BUF_INIT;
    struct csv_writer w;
    (void)state;
    csv_writer_init(&w, &b);
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        csv_write_text(&w, in[i]);
    csv_end_row(&w);
    assert_string_equal(b.data, out);
    assert_true(str_eq_cstr(csv_text_value(str_from("'=SUM(A1)")), "=SUM(A1)"));
    assert_true(str_eq_cstr(csv_text_value(str_from("''quoted")), "'quoted"));
    assert_true(str_eq_cstr(csv_text_value(str_from("'plain")), "'plain"));
    assert_true(str_eq_cstr(csv_text_value(str_from("-3.5")), "-3.5"));
    buf_free(&b);
}

static void test_plain(void **state)
{
    (void)state;
    READS("a,b,c\n1,2,3\n", "1:a|b|c\n2:1|2|3\n");
    READS("a,b,c\n1,2,3", "1:a|b|c\n2:1|2|3\n"); /* no final newline */
    READS("", "");
    READS("x", "1:x\n");
}

static void test_quotes(void **state)
{
    (void)state;
    READS("\"a,b\",\"say \"\"hi\"\"\",\"\"\n", "1:a,b|say \"hi\"|\n");
    READS("\"\"\"\"\n", "1:\"\n");
    READS("\"only\"", "1:only\n");
    /* Non-ASCII text survives untouched. */
    READS("caf\xc3\xa9,\"\xe2\x80\x9cq\xe2\x80\x9d\"\n",
          "1:caf\xc3\xa9|\xe2\x80\x9cq\xe2\x80\x9d\n");
}

static void test_embedded_newlines(void **state)
{
    (void)state;
    /* The record starts on line 2; the one after it on line 5. */
    READS("h1,h2\n\"one\ntwo\nthree\",x\nlast,y\n", "1:h1|h2\n2:one\ntwo\nthree|x\n5:last|y\n");
    /* CRLF inside quotes is data and is kept; it counts as one line. */
    READS("\"a\r\nb\",c\r\nd,e\r\n", "1:a\r\nb|c\n3:d|e\n");
}

static void test_line_endings(void **state)
{
    (void)state;
    READS("a,b\r\nc,d\r\n", "1:a|b\n2:c|d\n");
    READS("a,b\rc,d\r", "1:a|b\n2:c|d\n");   /* old Mac line ends */
    READS("a\r\n\r\n\nb\n\n", "1:a\n4:b\n"); /* blank lines are skipped, lines still counted */
}

static void test_bom(void **state)
{
    (void)state;
    READS("\xEF\xBB\xBFid,text\n1,x\n", "1:id|text\n2:1|x\n");
    READS("\xEF\xBB\xBF", "");
    /* Only at the start: later it is just text. */
    READS("a\n\xEF\xBB\xBF"
          "b\n",
          "1:a\n2:\xEF\xBB\xBF"
          "b\n");
}

static void test_empty_and_ragged(void **state)
{
    (void)state;
    READS(",,\n", "1:||\n");
    READS("a,\n", "1:a|\n");
    READS("a,b,c\n1\n1,2,3,4\n", "1:a|b|c\n2:1\n3:1|2|3|4\n");
    READS("\"\"\n", "1:\n"); /* one empty field, not a blank line */
}

static void test_errors(void **state)
{
    (void)state;
    FAILS("a,b\n1,\"open\n2,3\n", "line 2: unterminated quoted field");
    FAILS("a,b\nab\"c,d\n", "line 2: quote inside an unquoted field");
    FAILS("a, \"b\"\n", "line 1: quote inside an unquoted field");
    FAILS("\"a\"b,c\n", "line 1: unexpected character after a closing quote");
    FAILS("x\n\"multi\nline\" ,y\n", "line 3: unexpected character after a closing quote");
    FAILS("ok\nbad\xff\n", "line 2: not UTF-8 text (in a spreadsheet, save the file as CSV UTF-8)");
    FAILS("ok\n\"a\nb\xc3\"\n", "line 2: not UTF-8 text (in a spreadsheet, save the file as CSV UTF-8)");
    FAILS("a\n\x00", "line 2: not UTF-8 text (in a spreadsheet, save the file as CSV UTF-8)");
    {
        /* Line numbers after many lines, with an error twelve lines in. */
        struct buf text = BUF_INIT;
        char out[1024], err[128];
        for (int i = 1; i < 12; i++)
            buf_puts(&text, "x,y\n");
        buf_puts(&text, "z,\"w\n");
        assert_int_equal(dump(text.data, text.len, out, sizeof out, err, sizeof err),
                         APP_E_INVALID);
        assert_string_equal(err, "line 12: unterminated quoted field");
        buf_free(&text);
    }
}

static void test_limits(void **state)
{
    struct csv_reader r;
    struct csv_record rec;
    char err[128];
    bool got;
    (void)state;
    csv_open(&r, "abcdef,g\n", 9);
    r.max_field = 5;
    assert_int_equal(csv_next(&r, &rec, &got, err, sizeof err), APP_E_INVALID);
    assert_string_equal(err, "line 1: field too large");
    csv_close(&r);

    csv_open(&r, "\"abc\"\"\"\"\"\n", 10);
    r.max_field = 4;
    assert_int_equal(csv_next(&r, &rec, &got, err, sizeof err), APP_E_INVALID);
    assert_string_equal(err, "line 1: field too large");
    csv_close(&r);

    csv_open(&r, "ok\nabc,def,ghi\n", 15);
    r.max_record = 8;
    assert_int_equal(csv_next(&r, &rec, &got, err, sizeof err), APP_OK);
    assert_int_equal(csv_next(&r, &rec, &got, err, sizeof err), APP_E_INVALID);
    assert_string_equal(err, "line 2: record too large");
    csv_close(&r);

    csv_open(&r, "a,b,c\na,b,c,d\n", 14);
    r.max_fields = 3;
    assert_int_equal(csv_next(&r, &rec, &got, err, sizeof err), APP_OK);
    assert_int_equal(rec.nfields, 3);
    assert_int_equal(csv_next(&r, &rec, &got, NULL, 0), APP_E_INVALID);
    csv_close(&r);
}

static void test_big_record(void **state)
{
    /* Fields and records larger than the initial buffers, so pointers must survive growth. */
    struct buf in = BUF_INIT;
    struct csv_reader r;
    struct csv_record rec;
    bool got;
    (void)state;
    for (int i = 0; i < 300; i++)
        buf_printf(&in, "%s\"field %d, with \"\"quotes\"\" and a long tail ........\"",
                   i ? "," : "", i);
    buf_puts(&in, "\n");
    csv_open(&r, in.data, in.len);
    assert_int_equal(csv_next(&r, &rec, &got, NULL, 0), APP_OK);
    assert_true(got);
    assert_int_equal(rec.nfields, 300);
    assert_string_equal(rec.fields[0].p, "field 0, with \"quotes\" and a long tail ........");
    assert_string_equal(rec.fields[299].p, "field 299, with \"quotes\" and a long tail ........");
    assert_int_equal(csv_next(&r, &rec, &got, NULL, 0), APP_OK);
    assert_false(got);
    csv_close(&r);
    buf_free(&in);
}

static void test_columns(void **state)
{
    struct csv_reader r;
    struct csv_record rec;
    bool got;
    (void)state;
    csv_open(&r, "id, Comment Text ,Region\n", 25);
    assert_int_equal(csv_next(&r, &rec, &got, NULL, 0), APP_OK);
    assert_int_equal(csv_column(&rec, "id"), 0);
    assert_int_equal(csv_column(&rec, "Comment Text"), -1);
    assert_int_equal(csv_column_loose(&rec, "comment text"), 1);
    assert_int_equal(csv_column_loose(&rec, " REGION"), 2);
    assert_int_equal(csv_column_loose(&rec, "regio"), -1);
    assert_int_equal(csv_get(&rec, 5).len, 0);
    assert_int_equal(csv_get(&rec, -1).len, 0);
    assert_int_equal(csv_get(&rec, 2).len, 6);
    csv_close(&r);
}

static void test_writer(void **state)
{
    struct buf b = BUF_INIT;
    struct csv_writer w;
    (void)state;
    csv_writer_init(&w, &b);
    csv_write_cstr(&w, "plain");
    csv_write_cstr(&w, "a,b");
    csv_write_cstr(&w, "say \"hi\"");
    csv_write_cstr(&w, "two\nlines");
    csv_write_cstr(&w, " lead");
    csv_write_cstr(&w, "trail\t");
    csv_write_cstr(&w, "");
    csv_write_cstr(&w, NULL);
    csv_write_int(&w, -42);
    csv_write_cstr(&w, "=SUM(A1)"); /* kept as is: see csv.h */
    csv_end_row(&w);
    csv_write_cstr(&w, "");
    csv_end_row(&w);
    csv_write_cstr(&w, "");
    csv_write_cstr(&w, "");
    csv_end_row(&w);
    assert_false(buf_oom(&b));
    assert_string_equal(b.data, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" lead\","
                                "\"trail\t\",,,-42,=SUM(A1)\n\"\"\n,\n");
    buf_free(&b);
}

static void test_round_trip(void **state)
{
    /* The first value is first in the file: a BOM there must survive. */
    static const char *const values[] = {"\xEF\xBB\xBF"
                                         "bom",
                                         "",
                                         " ",
                                         "\"",
                                         "\"\"",
                                         ",",
                                         "\r\n",
                                         "a\rb",
                                         "caf\xc3\xa9",
                                         "x,\"y\"\nz",
                                         "plain"};
    const size_t nv = sizeof values / sizeof values[0];
    struct buf b = BUF_INIT;
    struct csv_writer w;
    struct csv_reader r;
    struct csv_record rec;
    bool got;
    (void)state;
    csv_writer_init(&w, &b);
    for (size_t i = 0; i < nv; i++) {
        /* Row i: value i alone, then every value. */
        csv_write_cstr(&w, values[i]);
        csv_end_row(&w);
        for (size_t j = 0; j < nv; j++)
            csv_write_cstr(&w, values[j]);
        csv_end_row(&w);
    }
    csv_open(&r, b.data, b.len);
    for (size_t i = 0; i < nv; i++) {
        assert_int_equal(csv_next(&r, &rec, &got, NULL, 0), APP_OK);
        assert_true(got);
        assert_int_equal(rec.nfields, 1);
        assert_string_equal(rec.fields[0].p, values[i]);
        assert_int_equal(csv_next(&r, &rec, &got, NULL, 0), APP_OK);
        assert_int_equal(rec.nfields, nv);
        for (size_t j = 0; j < nv; j++)
            assert_string_equal(rec.fields[j].p, values[j]);
    }
    assert_int_equal(csv_next(&r, &rec, &got, NULL, 0), APP_OK);
    assert_false(got);
    csv_close(&r);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_text_cells),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_embedded_newlines),
        cmocka_unit_test(test_line_endings),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_empty_and_ragged),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_big_record),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_writer),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests_name("export/csv", tests, NULL, NULL);
}
