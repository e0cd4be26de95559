/* csv.c: RFC 4180 CSV reader (from memory) and writer (to a buf)
 *
 * The reader copies a record's fields into one growing buffer and records where each starts
 * as an offset, turning offsets into pointers only when the record is complete, because the
 * buffer may move while it grows. Runs of ordinary bytes are found with memchr-like scans and
 * copied in one go, so a large quoted body costs one copy, not one call per byte. UTF-8 is
 * checked per field once the field is complete: separators are ASCII, so no character can
 * straddle two fields.
 */
#include "export/csv.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

int csv_open(struct csv_reader *r, const char *data, size_t n)
{
    memset(r, 0, sizeof *r);
    r->data = data ? data : "";
    r->n = data ? n : 0;
    r->line = 1;
    r->max_field = CSV_MAX_FIELD;
    r->max_record = CSV_MAX_RECORD;
    r->max_fields = CSV_MAX_FIELDS;
    if (r->n >= 3 && !memcmp(r->data, "\xEF\xBB\xBF", 3))
        r->pos = 3;
    return APP_OK;
}

void csv_close(struct csv_reader *r)
{
    free(r->buf);
    free(r->fields);
    r->buf = NULL;
    r->fields = NULL;
    r->buf_cap = r->fields_cap = 0;
}

static int fail(char *err, size_t errlen, size_t line, const char *what)
{
    if (err && errlen)
        snprintf(err, errlen, "line %zu: %s", line, what);
    return APP_E_INVALID;
}

/* Makes room for need bytes in the record buffer. */
static int buf_room(struct csv_reader *r, size_t need)
{
    size_t cap = r->buf_cap ? r->buf_cap : 256;
    char *p;
    if (need <= r->buf_cap)
        return APP_OK;
    while (cap < need)
        cap *= 2;
    p = realloc(r->buf, cap);
    if (!p)
        return APP_E_NOMEM;
    r->buf = p;
    r->buf_cap = cap;
    return APP_OK;
}

static int field_room(struct csv_reader *r, size_t need)
{
    size_t cap = r->fields_cap ? r->fields_cap * 2 : 16;
    struct str *p;
    if (need <= r->fields_cap)
        return APP_OK;
    while (cap < need)
        cap *= 2;
    p = realloc(r->fields, cap * sizeof *p);
    if (!p)
        return APP_E_NOMEM;
    r->fields = p;
    r->fields_cap = cap;
    return APP_OK;
}

static bool is_sep(char c)
{
    return c == ',' || c == '\r' || c == '\n';
}

int csv_next(struct csv_reader *r, struct csv_record *rec, bool *got, char *err, size_t errlen)
{
    const char *d = r->data;
    size_t n = r->n, used = 0, nf = 0, content = 0, start_line;
    int rc = APP_OK;
    *got = false;
    if (err && errlen)
        err[0] = '\0';
    /* Blank lines between records carry nothing; skipping them keeps a trailing newline or
     * two at the end of a file from turning into records of one empty field. */
    while (r->pos < n && (d[r->pos] == '\n' || d[r->pos] == '\r')) {
        if (d[r->pos] == '\r' && r->pos + 1 < n && d[r->pos + 1] == '\n')
            r->pos++;
        r->pos++;
        r->line++;
    }
    if (r->pos >= n)
        goto done;
    start_line = r->line;
    for (;;) {
        size_t fstart = used, fline = r->line, flen;
        if (nf >= r->max_fields) {
            rc = fail(err, errlen, r->line, "too many columns");
            goto done;
        }
        if ((rc = field_room(r, nf + 1)))
            goto done;
        if (r->pos < n && d[r->pos] == '"') {
            r->pos++;
            for (;;) {
                size_t run = r->pos;
                while (run < n && d[run] != '"' && d[run] != '\n' && d[run] != '\r')
                    run++;
                if (run > r->pos) {
                    size_t len = run - r->pos;
                    if (used - fstart + len > r->max_field) {
                        rc = fail(err, errlen, fline, "field too large");
                        goto done;
                    }
                    if ((rc = buf_room(r, used + len + 1)))
                        goto done;
                    memcpy(r->buf + used, d + r->pos, len);
                    used += len;
                    r->pos = run;
                }
                if (r->pos >= n) {
                    rc = fail(err, errlen, fline, "unterminated quoted field");
                    goto done;
                }
                if (d[r->pos] == '"') {
                    if (r->pos + 1 < n && d[r->pos + 1] == '"') {
                        if ((rc = buf_room(r, used + 2)))
                            goto done;
                        r->buf[used++] = '"';
                        r->pos += 2;
                        if (used - fstart > r->max_field) {
                            rc = fail(err, errlen, fline, "field too large");
                            goto done;
                        }
                        continue;
                    }
                    r->pos++;
                    break;
                }
                /* A line break inside quotes is data; count it so later lines stay right. */
                if (d[r->pos] == '\n' || r->pos + 1 >= n || d[r->pos + 1] != '\n')
                    r->line++;
                if ((rc = buf_room(r, used + 2)))
                    goto done;
                r->buf[used++] = d[r->pos++];
                if (used - fstart > r->max_field) {
                    rc = fail(err, errlen, fline, "field too large");
                    goto done;
                }
            }
            if (r->pos < n && !is_sep(d[r->pos])) {
                rc = fail(err, errlen, r->line, "unexpected character after a closing quote");
                goto done;
            }
        } else {
            size_t run = r->pos;
            while (run < n && !is_sep(d[run]) && d[run] != '"')
                run++;
            if (run < n && d[run] == '"') {
                rc = fail(err, errlen, r->line, "quote inside an unquoted field");
                goto done;
            }
            if (run - r->pos > r->max_field) {
                rc = fail(err, errlen, fline, "field too large");
                goto done;
            }
            if ((rc = buf_room(r, used + (run - r->pos) + 1)))
                goto done;
            memcpy(r->buf + used, d + r->pos, run - r->pos);
            used += run - r->pos;
            r->pos = run;
        }
        flen = used - fstart;
        content += flen;
        if (content > r->max_record) {
            rc = fail(err, errlen, start_line, "record too large");
            goto done;
        }
        if (!utf8_valid(r->buf + fstart, flen)) {
            rc = fail(err, errlen, fline,
                      "not UTF-8 text (in a spreadsheet, save the file as CSV UTF-8)");
            goto done;
        }
        if ((rc = buf_room(r, used + 1)))
            goto done;
        r->buf[used++] = '\0';
        /* The buffer may still move, so the field's start is kept as an offset (in .len)
         * until the record is complete. */
        r->fields[nf].p = NULL;
        r->fields[nf++].len = fstart;
        if (r->pos >= n)
            break;
        if (d[r->pos] == ',') {
            r->pos++;
            continue;
        }
        if (d[r->pos] == '\r' && r->pos + 1 < n && d[r->pos + 1] == '\n')
            r->pos++;
        r->pos++;
        r->line++;
        break;
    }
    for (size_t i = 0; i < nf; i++) {
        size_t off = r->fields[i].len;
        size_t end = i + 1 < nf ? r->fields[i + 1].len - 1 : used - 1;
        r->fields[i].p = r->buf + off;
        r->fields[i].len = end - off;
    }
    rec->fields = r->fields;
    rec->nfields = nf;
    rec->line = start_line;
    *got = true;
done:
    return rc;
}

int csv_column(const struct csv_record *header, const char *name)
{
    for (size_t i = 0; i < header->nfields; i++)
        if (str_eq_cstr(header->fields[i], name))
            return (int)i;
    return -1;
}

int csv_column_loose(const struct csv_record *header, const char *name)
{
    struct str want = str_trim(str_from(name));
    for (size_t i = 0; i < header->nfields; i++) {
        struct str h = str_trim(header->fields[i]);
        if (h.len != want.len)
            continue;
        size_t j = 0;
        while (j < h.len) {
            char a = h.p[j], b = want.p[j];
            if (a >= 'A' && a <= 'Z')
                a = (char)(a + 32);
            if (b >= 'A' && b <= 'Z')
                b = (char)(b + 32);
            if (a != b)
                break;
            j++;
        }
        if (j == h.len)
            return (int)i;
    }
    return -1;
}

struct str csv_get(const struct csv_record *rec, int i)
{
    if (i < 0 || (size_t)i >= rec->nfields)
        return (struct str){"", 0};
    return rec->fields[i];
}

/* ---- writer ---- */

void csv_writer_init(struct csv_writer *w, struct buf *out)
{
    w->out = out;
    w->col = 0;
    w->row_start = out->len;
}

static bool needs_quotes(const char *s, size_t n)
{
    if (n == 0)
        return false;
    if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
        return true;
    /* At the start of a file a reader would take it for a byte order mark and drop it. */
    if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        return true;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
            return true;
    return false;
}

void csv_write_field(struct csv_writer *w, const char *s, size_t n)
{
    if (w->col++)
        buf_putc(w->out, ',');
    if (!s || n == 0)
        return;
    if (!needs_quotes(s, n)) {
        buf_append(w->out, s, n);
        return;
    }
    buf_putc(w->out, '"');
    for (size_t i = 0; i < n;) {
        const char *q = memchr(s + i, '"', n - i);
        size_t end = q ? (size_t)(q - s) + 1 : n;
        buf_append(w->out, s + i, end - i);
        if (q)
            buf_putc(w->out, '"');
        i = end;
    }
    buf_putc(w->out, '"');
}

void csv_write_cstr(struct csv_writer *w, const char *s)
{
    csv_write_field(w, s, s ? strlen(s) : 0);
}

/* Characters that make a spreadsheet read a cell as a formula; the quote is included so that
 * a value really starting with one survives export and import unchanged. */
static bool formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\'';
}

/* "-12", "3.5": how numbers are written, which must stay numbers in a spreadsheet. */
static bool plain_number(const char *s, size_t n)
{
    size_t i = 0, digits = 0;
    if (i < n && s[i] == '-')
        i++;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        digits++;
    if (i < n && s[i] == '.')
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            digits++;
    return digits > 0 && i == n;
}

void csv_write_text(struct csv_writer *w, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    struct buf tmp = BUF_INIT;
    if (!n || !formula_start(s[0]) || plain_number(s, n)) {
        csv_write_field(w, n ? s : "", n);
        return;
    }
    buf_putc(&tmp, '\'');
    buf_append(&tmp, s, n);
    if (buf_oom(&tmp))
        w->out->oom = true;
    else
        csv_write_field(w, tmp.data, tmp.len);
    buf_free(&tmp);
}

struct str csv_text_value(struct str v)
{
    if (v.len >= 2 && v.p[0] == '\'' && formula_start(v.p[1]))
        return (struct str){v.p + 1, v.len - 1};
    return v;
}

void csv_write_int(struct csv_writer *w, int64_t v)
{
    char tmp[24];
    int len = snprintf(tmp, sizeof tmp, "%" PRId64, v);
    csv_write_field(w, tmp, (size_t)len);
}

void csv_end_row(struct csv_writer *w)
{
    if (w->col == 1 && w->out->len == w->row_start)
        buf_puts(w->out, "\"\"");
    buf_putc(w->out, '\n');
    w->col = 0;
    w->row_start = w->out->len;
}
