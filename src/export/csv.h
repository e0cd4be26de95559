/* csv.h: RFC 4180 CSV, read from memory and written to a buf
 *
 * Reader: the whole input is in memory (an upload, a fixture); csv_next() hands out one
 * record at a time. Fields are copied, unescaped, into a buffer the reader owns, each one
 * NUL-terminated, so a field is usable as a C string and as a (pointer, length) pair; they
 * stay valid until the next csv_next() or csv_close(). Records end at CRLF, LF or a lone CR;
 * quoted fields may hold commas, doubled quotes ("") and line breaks, which are kept as they
 * are. A UTF-8 byte order mark at the very start is skipped. Blank lines between records are
 * skipped, so a record always has at least one field (a record of one empty field is written
 * as "" by the writer for that reason). The reader is strict, because a lenient reader turns
 * a damaged file into plausible wrong data: a quote inside an unquoted field, anything but a
 * separator after a closing quote, an unterminated quote, invalid UTF-8 (or a NUL byte: "not
 * UTF-8 text", with what to do in a spreadsheet, which saves in another encoding by default) and
 * going over a limit are all errors that name the line.
 *
 * Line numbers are 1-based physical lines of the input; a record reports the line it starts
 * on, and an error the line where the problem is (an unterminated quote: the line where the
 * quoted field opened).
 *
 * Writer: appends to a struct buf (whose out-of-memory state is sticky: check buf_oom() once
 * at the end). A field is quoted only when it must be: it holds a comma, a quote, CR or LF,
 * starts or ends with a space or tab (which some readers trim), or starts with a byte order
 * mark (which a reader drops at the start of a file). Rows end with LF, not RFC 4180's
 * CRLF, because that is what Pol.is writes and our exports mirror its files; every reader we
 * know of (including this one) accepts both.
 *
 * CSV injection: a spreadsheet may treat a cell starting with = + - @, a tab or a carriage
 * return as a formula. csv_write_field() writes bytes as given; every cell that can hold text
 * from outside the program (what people typed, names, labels) goes through csv_write_text(),
 * which defuses it with a leading single quote, because every export is opened in a
 * spreadsheet by someone. Readers of our own files take the quote off with csv_text_value().
 */
#ifndef AHP_CSV_H
#define AHP_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

struct buf;

/* Default limits, set by csv_open(); a caller may change the fields of the reader after
 * csv_open() and before the first csv_next(). */
#define CSV_MAX_FIELD  (1u << 20) /* bytes in one field, after unescaping */
#define CSV_MAX_RECORD (8u << 20) /* bytes in one record, after unescaping */
#define CSV_MAX_FIELDS 16384      /* fields in one record */

struct csv_reader {
    const char *data; /* the input, borrowed: must outlive the reader */
    size_t n, pos;
    size_t line;      /* the physical line pos is on, 1-based */
    size_t max_field; /* limits, see above */
    size_t max_record;
    size_t max_fields;
    char *buf; /* the current record's fields, NUL-terminated, malloc'd */
    size_t buf_cap;
    struct str *fields; /* the current record's fields, malloc'd */
    size_t fields_cap;
};

/* One record. fields[i].p is NUL-terminated; the array and the bytes belong to the reader. */
struct csv_record {
    const struct str *fields;
    size_t nfields;
    size_t line; /* the line the record starts on, 1-based */
};

/* Prepares r to read the n bytes at data (borrowed, not copied). Allocates nothing, so it
 * cannot fail today; returns 0. Always pair with csv_close(). */
int csv_open(struct csv_reader *r, const char *data, size_t n);
/* Frees the reader's buffers; the reader may not be used again without csv_open(). */
void csv_close(struct csv_reader *r);

/* Reads the next record into *rec. *got is true when a record was read, false at the end
 * of the input (rec untouched). Returns 0, APP_E_INVALID for malformed input (err, when not
 * NULL, receives "line 12: unterminated quoted field"; the reader must not be used further)
 * or APP_E_NOMEM. */
int csv_next(struct csv_reader *r, struct csv_record *rec, bool *got, char *err, size_t errlen);

/* The index of the column named name in a header record, or -1. csv_column() compares
 * exactly (machine-written files such as Pol.is exports); csv_column_loose() ignores ASCII
 * case and spaces or tabs around the header name (people's spreadsheets). */
int csv_column(const struct csv_record *header, const char *name);
int csv_column_loose(const struct csv_record *header, const char *name);

/* Field i of rec, or an empty field when the record is shorter (ragged rows); i < 0 also
 * gives the empty field, so csv_get(rec, csv_column(...)) is safe for absent columns. */
struct str csv_get(const struct csv_record *rec, int i);

/* ---- writer ---- */
struct csv_writer {
    struct buf *out;  /* borrowed */
    size_t col;       /* fields written in the current row */
    size_t row_start; /* out->len when the row began */
};

/* Starts writing rows to out (appended after what it holds). */
void csv_writer_init(struct csv_writer *w, struct buf *out);
/* Appends one field (n bytes of s, copied), quoted only when needed (see above). */
void csv_write_field(struct csv_writer *w, const char *s, size_t n);
void csv_write_cstr(struct csv_writer *w, const char *s); /* NULL writes an empty field */
void csv_write_int(struct csv_writer *w, int64_t v);
/* Writes free text (what people typed) so a spreadsheet never runs it: a cell starting with
 * = + - @ a tab, a carriage return or a single quote gets a leading single quote, unless it
 * is a plain number such as -3.5. NULL writes an empty field. */
void csv_write_text(struct csv_writer *w, const char *s);
/* The value csv_write_text() was given, from a cell it wrote (the leading quote removed). */
struct str csv_text_value(struct str v);
/* Ends the row with LF. A row of one empty field is written as "" so that a reader does not
 * take it for a blank line. */
void csv_end_row(struct csv_writer *w);

#endif
