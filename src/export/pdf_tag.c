/* pdf_tag.c: the structure of a tagged PDF drawn by cairo, and what cairo 1.16 leaves out
 *
 * pdf_tag_amend() reads just enough PDF to find objects: the last cross-reference table and
 * its trailer, and each object's top-level dictionary keys, with a small lexer that knows
 * strings, hex strings, names, arrays, nested dictionaries, references and comments (cairo
 * writes "% 1" comments inside page dictionaries). Amended objects are written whole again,
 * the new keys first, then the original dictionary's text unchanged, so nothing cairo wrote
 * is reinterpreted. Figures are matched to their texts by object number: cairo numbers
 * structure elements depth first, which is the order the tags were opened in; the count must
 * agree exactly or nothing is written.
 */
#include "export/pdf_tag.h"
#include "core/buf.h"
#include "core/err.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void pdf_tag_begin(cairo_t *cr, const char *type)
{
    cairo_tag_begin(cr, type, NULL);
}

void pdf_tag_end(cairo_t *cr, const char *type)
{
    cairo_tag_end(cr, type);
}

void pdf_tag_figure(cairo_t *cr, struct pdf_tags *t, const char *alt)
{
    if (t->nalt == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8;
        char **a = realloc(t->alt, cap * sizeof *a);
        if (!a)
            t->err = APP_E_NOMEM;
        else {
            t->alt = a;
            t->cap = cap;
        }
    }
    if (t->nalt < t->cap) {
        char *s = strdup(alt ? alt : "");
        if (!s)
            t->err = APP_E_NOMEM;
        t->alt[t->nalt++] = s; /* NULL when the copy failed: err says so */
    }
    cairo_tag_begin(cr, "Figure", NULL);
}

void pdf_tags_cleanup(struct pdf_tags *t)
{
    for (size_t i = 0; i < t->nalt; i++)
        free(t->alt[i]);
    free(t->alt);
    memset(t, 0, sizeof *t);
}

/* ---- a lexer for the PDF syntax cairo writes ---------------------------------------------- */

#define BAD SIZE_MAX

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\0';
}

static bool is_delim(char c)
{
    return is_ws(c) || strchr("()<>[]{}/%", c) != NULL;
}

static size_t skip_ws(const char *p, size_t n, size_t i)
{
    while (i < n) {
        if (p[i] == '%')
            while (i < n && p[i] != '\n' && p[i] != '\r')
                i++;
        else if (is_ws(p[i]))
            i++;
        else
            break;
    }
    return i;
}

static size_t skip_regular(const char *p, size_t n, size_t i)
{
    while (i < n && !is_delim(p[i]))
        i++;
    return i;
}

static bool is_int_at(const char *p, size_t n, size_t i, size_t *end)
{
    size_t j = i;
    while (j < n && p[j] >= '0' && p[j] <= '9')
        j++;
    if (j == i || (j < n && !is_delim(p[j])))
        return false;
    *end = j;
    return true;
}

/* The index after the value that starts at i (after white space), or BAD. */
static size_t skip_value(const char *p, size_t n, size_t i, int depth)
{
    i = skip_ws(p, n, i);
    if (i >= n || depth > 32)
        return BAD;
    if (p[i] == '<' && i + 1 < n && p[i + 1] == '<') {
        for (i += 2;;) {
            i = skip_ws(p, n, i);
            if (i + 1 < n && p[i] == '>' && p[i + 1] == '>')
                return i + 2;
            if (i >= n || p[i] != '/')
                return BAD;
            i = skip_regular(p, n, i + 1);
            if ((i = skip_value(p, n, i, depth + 1)) == BAD)
                return BAD;
        }
    }
    if (p[i] == '<') {
        while (i < n && p[i] != '>')
            i++;
        return i < n ? i + 1 : BAD;
    }
    if (p[i] == '(') {
        int nest = 0;
        for (; i < n; i++) {
            if (p[i] == '\\')
                i++;
            else if (p[i] == '(')
                nest++;
            else if (p[i] == ')' && --nest == 0)
                return i + 1;
        }
        return BAD;
    }
    if (p[i] == '[') {
        for (i++;;) {
            i = skip_ws(p, n, i);
            if (i < n && p[i] == ']')
                return i + 1;
            if ((i = skip_value(p, n, i, depth + 1)) == BAD)
                return BAD;
        }
    }
    if (p[i] == '/')
        return skip_regular(p, n, i + 1);
    if (strchr(")>]{}", p[i]))
        return BAD;
    {
        size_t end, gen, r;
        if (is_int_at(p, n, i, &end)) { /* "12 0 R" is one value */
            size_t j = skip_ws(p, n, end);
            if (is_int_at(p, n, j, &gen)) {
                r = skip_ws(p, n, gen);
                if (r < n && p[r] == 'R' && (r + 1 >= n || is_delim(p[r + 1])))
                    return r + 1;
            }
            return end;
        }
    }
    return skip_regular(p, n, i);
}

/* Finds key (with its '/') among the top-level entries of the dictionary at d; *v and *ve
 * receive its value's bounds. Returns false when absent or malformed. */
static bool dict_get(const char *p, size_t n, size_t d, const char *key, size_t *v, size_t *ve)
{
    size_t klen = strlen(key), i = skip_ws(p, n, d);
    if (i + 1 >= n || p[i] != '<' || p[i + 1] != '<')
        return false;
    for (i += 2;;) {
        size_t k, ke, vs;
        i = skip_ws(p, n, i);
        if (i >= n || p[i] != '/')
            return false;
        k = i;
        ke = skip_regular(p, n, i + 1);
        vs = skip_ws(p, n, ke);
        if ((i = skip_value(p, n, ke, 0)) == BAD)
            return false;
        if (ke - k == klen && !memcmp(p + k, key, klen)) {
            *v = vs;
            *ve = i;
            return true;
        }
    }
}

static bool value_is(const char *p, size_t n, size_t d, const char *key, const char *want)
{
    size_t v, ve;
    return dict_get(p, n, d, key, &v, &ve) && ve - v == strlen(want) &&
           !memcmp(p + v, want, ve - v);
}

/* Reads an unsigned decimal at *i (after white space) into *out. */
static bool read_num(const char *p, size_t n, size_t *i, size_t *out)
{
    size_t j = skip_ws(p, n, *i), v = 0, k = j;
    while (k < n && p[k] >= '0' && p[k] <= '9' && v < SIZE_MAX / 16)
        v = v * 10 + (size_t)(p[k++] - '0');
    if (k == j)
        return false;
    *out = v;
    *i = k;
    return true;
}

/* ---- the update ---------------------------------------------------------------------------- */

struct obj {
    size_t num, off;
};

/* Appends s (valid UTF-8) as a PDF text string in UTF-16BE hex with its byte-order mark. */
static void put_text_string(struct buf *b, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    buf_puts(b, "<FEFF");
    while (*u) {
        uint32_t cp;
        if (u[0] < 0x80)
            cp = *u++;
        else if (u[0] < 0xe0 && u[1]) {
            cp = ((uint32_t)(u[0] & 0x1f) << 6) | (u[1] & 0x3f);
            u += 2;
        } else if (u[0] < 0xf0 && u[1] && u[2]) {
            cp = ((uint32_t)(u[0] & 0x0f) << 12) | ((uint32_t)(u[1] & 0x3f) << 6) | (u[2] & 0x3f);
            u += 3;
        } else if (u[1] && u[2] && u[3]) {
            cp = ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3f) << 12) |
                 ((uint32_t)(u[2] & 0x3f) << 6) | (u[3] & 0x3f);
            u += 4;
        } else
            break;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            buf_printf(b, "%04X%04X", 0xd800u + (unsigned)(cp >> 10),
                       0xdc00u + (unsigned)(cp & 0x3ff));
        } else
            buf_printf(b, "%04X", (unsigned)cp);
    }
    buf_putc(b, '>');
}

/* Writes object o again with extra (dictionary entries) before its original entries. */
static void rewrite(struct buf *upd, size_t base, struct obj *o, const char *p, size_t dict,
                    size_t dict_end, const struct buf *extra)
{
    size_t off = base + upd->len;
    buf_printf(upd, "%zu 0 obj\n<< ", o->num);
    buf_append(upd, extra->data, extra->len);
    buf_putc(upd, '\n');
    buf_append(upd, p + dict + 2, dict_end - dict - 2);
    buf_puts(upd, ">>\nendobj\n");
    o->off = off;
}

static bool lang_ok(const char *lang)
{
    size_t n = 0;
    for (; lang[n]; n++)
        if (!((lang[n] >= 'a' && lang[n] <= 'z') || (lang[n] >= 'A' && lang[n] <= 'Z') ||
              (lang[n] >= '0' && lang[n] <= '9') || lang[n] == '-'))
            return false;
    return n > 0 && n <= 35;
}

int pdf_tag_amend(struct buf *out, size_t start, const struct pdf_tags *t, const char *lang)
{
    struct buf upd = BUF_INIT, extra = BUF_INIT;
    size_t *offs = NULL, size = 0, xref = 0, i, tr, root = 0, nfig = 0, nout = 0, v, ve;
    struct obj *changed = NULL;
    const char *p;
    size_t n;
    int rc = APP_E_INTERNAL;

    if (!out || !t || !lang || !lang_ok(lang))
        return APP_E_INVALID;
    if (t->err || buf_oom(out))
        return APP_E_NOMEM;
    if (start > out->len)
        return APP_E_INVALID;
    p = out->data + start;
    n = out->len - start;

    /* the last "startxref N" */
    if (n < 9)
        goto done;
    for (i = n - 9;; i--) {
        if (!memcmp(p + i, "startxref", 9))
            break;
        if (i == 0 || n - i > 64)
            goto done;
    }
    i += 9;
    if (!read_num(p, n, &i, &xref) || xref + 4 > n || memcmp(p + xref, "xref", 4))
        goto done;

    /* the cross-reference table: "first count" then count "offset gen n|f" entries */
    i = xref + 4;
    for (;;) {
        size_t first, count, j;
        i = skip_ws(p, n, i);
        if (i + 7 <= n && !memcmp(p + i, "trailer", 7))
            break;
        if (!read_num(p, n, &i, &first) || !read_num(p, n, &i, &count) || count > n / 18 ||
            first > n / 18)
            goto done;
        if (first + count > size) {
            size_t *o = realloc(offs, (first + count) * sizeof *o);
            if (!o) {
                rc = APP_E_NOMEM;
                goto done;
            }
            memset(o + size, 0, (first + count - size) * sizeof *o);
            offs = o;
            size = first + count;
        }
        for (j = 0; j < count; j++) {
            size_t off, gen;
            if (!read_num(p, n, &i, &off) || !read_num(p, n, &i, &gen))
                goto done;
            i = skip_ws(p, n, i);
            if (i >= n || (p[i] != 'n' && p[i] != 'f'))
                goto done;
            offs[first + j] = p[i] == 'n' && gen == 0 && off < n ? off : 0;
            i++;
        }
    }
    tr = i + 7;
    if (dict_get(p, n, tr, "/Prev", &v, &ve) || dict_get(p, n, tr, "/XRefStm", &v, &ve) ||
        !dict_get(p, n, tr, "/Root", &v, &ve) || !read_num(p, n, &v, &root) || root >= size ||
        !offs[root])
        goto done;
    if (!(changed = calloc(size, sizeof *changed))) {
        rc = APP_E_NOMEM;
        goto done;
    }

    /* every object, in number order: the catalogue, Figure and TH elements */
    for (size_t num = 1; num < size; num++) {
        size_t k = offs[num], got, dict, dend;
        bool fig, th;
        if (!k)
            continue;
        if (!read_num(p, n, &k, &got) || got != num || !read_num(p, n, &k, &got))
            goto done;
        k = skip_ws(p, n, k);
        if (k + 3 > n || memcmp(p + k, "obj", 3))
            goto done;
        dict = skip_ws(p, n, k + 3);
        if (dict + 1 >= n || p[dict] != '<' || p[dict + 1] != '<')
            continue; /* a stream's length, an array: nothing for us */
        if ((dend = skip_value(p, n, dict, 0)) == BAD)
            goto done;
        dend -= 2; /* at the closing ">>" */
        fig = value_is(p, n, dict, "/S", "/Figure") && value_is(p, n, dict, "/Type", "/StructElem");
        th = value_is(p, n, dict, "/S", "/TH") && value_is(p, n, dict, "/Type", "/StructElem");
        buf_reset(&extra);
        if (num == root) {
            if (!value_is(p, n, dict, "/Type", "/Catalog"))
                goto done;
            if (!dict_get(p, n, dict, "/Lang", &v, &ve))
                buf_printf(&extra, "/Lang (%s) ", lang);
            if (!dict_get(p, n, dict, "/ViewerPreferences", &v, &ve))
                buf_puts(&extra, "/ViewerPreferences << /DisplayDocTitle true >> ");
        } else if (fig) {
            if (nfig >= t->nalt || !t->alt[nfig])
                goto done;
            if (!dict_get(p, n, dict, "/Alt", &v, &ve)) {
                buf_puts(&extra, "/Alt ");
                put_text_string(&extra, t->alt[nfig]);
                buf_putc(&extra, ' ');
            }
            nfig++;
        } else if (th && !dict_get(p, n, dict, "/A", &v, &ve)) {
            buf_puts(&extra, "/A << /O /Table /Scope /Column >> ");
        }
        if (extra.len) {
            changed[nout].num = num;
            rewrite(&upd, n + 1, &changed[nout], p, dict, dend, &extra);
            nout++;
        }
    }
    if (nfig != t->nalt)
        goto done;

    /* the new cross-reference section: one subsection per changed object */
    {
        size_t xoff = n + 1 + upd.len, iv, ive;
        buf_puts(&upd, "xref\n");
        for (i = 0; i < nout; i++)
            buf_printf(&upd, "%zu 1\n%010zu 00000 n \n", changed[i].num, changed[i].off);
        buf_printf(&upd, "trailer\n<< /Size %zu /Root %zu 0 R", size, root);
        /* /Info and /ID carried over from the original trailer */
        if (dict_get(p, n, tr, "/Info", &iv, &ive)) {
            buf_puts(&upd, " /Info ");
            buf_append(&upd, p + iv, ive - iv);
        }
        if (dict_get(p, n, tr, "/ID", &iv, &ive)) {
            buf_puts(&upd, " /ID ");
            buf_append(&upd, p + iv, ive - iv);
        }
        buf_printf(&upd, " /Prev %zu >>\nstartxref\n%zu\n%%%%EOF\n", xref, xoff);
    }
    if (buf_oom(&upd) || buf_oom(&extra)) {
        rc = APP_E_NOMEM;
        goto done;
    }
    /* cairo's file ends with "%%EOF\n"; the update starts on a line of its own */
    buf_putc(out, '\n');
    buf_append(out, upd.data, upd.len);
    rc = buf_oom(out) ? APP_E_NOMEM : APP_OK;
done:
    free(offs);
    free(changed);
    buf_free(&upd);
    buf_free(&extra);
    return rc;
}
