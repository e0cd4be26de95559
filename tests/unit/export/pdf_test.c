/* pdf_test.c: tests for src/export/pdf.c (typeset A4 reports through Pango and cairo)
 *
 * A PDF is checked the way a reader meets it: each document is written to a temporary file
 * and read back with poppler's `pdftotext -layout` (scripts/deps installs poppler-utils),
 * whose pages are separated by form feeds, so "the contents says 4" can be checked against
 * "the heading is on the fourth page". Without pdftotext those tests skip and say so.
 *
 * The tests check structure, never where a line or a page breaks: those move with the
 * font's metrics (and so with the fonts installed), and the one guarantee about the font is
 * checked directly, by asking pdffonts what the PDF embeds. Text that may wrap is looked for
 * in `pdftotext -raw` output with its white space collapsed (words_of()), so a cell's text
 * is found whole however its lines fall; page counts are only bounded below by what the
 * structure forces whatever the font (each table row at least one line of 9.5 pt type).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "export/pdf.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DATE 1740787200 /* 2025-03-01 */

/* LeakSanitizer asks for this at start-up in a sanitizer build. fontconfig 2.14.1 leaks 288
 * bytes of its own in FcInit(), which Pango calls; the rule and the reasoning are those of
 * tests/lsan.supp, repeated here so that this binary is clean however it is run. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

/* ---- reading a PDF back ----------------------------------------------------------------- */

struct text {
    char *all;   /* pdftotext's output */
    char **page; /* page[i] is page i + 1, NUL-terminated copies */
    size_t pages;
};

static bool have_pdftotext(void)
{
    static int have = -1;
    if (have < 0) {
        have = system("command -v pdftotext >/dev/null 2>&1") == 0;
        if (!have)
            fprintf(stderr, "pdf_test: pdftotext not found (apt-get install poppler-utils); "
                            "skipping the tests that read PDFs back\n");
    }
    return have;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct buf b = BUF_INIT;
    char chunk[8192];
    size_t n;

    if (!f)
        return NULL;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    buf_putc(&b, '\0');
    return buf_detach(&b, NULL);
}

/* Runs "tool PDF OUT" (a poppler command and its options) over the PDF in b and returns
 * what it wrote to OUT; the caller frees it. */
static char *poppler(const struct buf *b, const char *tool)
{
    char pdf[] = "/tmp/pdf_test-XXXXXX", cmd[256], txt[64], *out;
    int fd = mkstemp(pdf);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, b->data, b->len), (ssize_t)b->len);
    close(fd);
    snprintf(txt, sizeof txt, "%s.txt", pdf);
    snprintf(cmd, sizeof cmd, tool, pdf, txt);
    assert_int_equal(system(cmd), 0);
    out = slurp(txt);
    unlink(pdf);
    unlink(txt);
    assert_non_null(out);
    return out;
}

/* The PDF's words in the order they are drawn (pdftotext -raw), each run of white space
 * made one space, so that wrapped text reads as it was given; the caller frees it. */
static char *words_of(const struct buf *b)
{
    char *s = poppler(b, "pdftotext -q -raw -enc UTF-8 %s %s"), *w = s;
    bool space = false;

    for (const char *r = s; *r; r++) {
        if (*r == ' ' || *r == '\n' || *r == '\f' || *r == '\t' || *r == '\r') {
            space = true;
            continue;
        }
        if (space && w > s)
            *w++ = ' ';
        space = false;
        *w++ = *r;
    }
    *w = '\0';
    return s;
}

/* Runs pdftotext -layout over the PDF in b and splits its output into pages. */
static void read_pdf(const struct buf *b, struct text *t)
{
    const char *p;

    memset(t, 0, sizeof *t);
    t->all = poppler(b, "pdftotext -q -layout -enc UTF-8 %s %s");
    for (p = t->all; (p = strchr(p, '\f')); p++)
        t->pages++;
    t->page = calloc(t->pages + 1, sizeof *t->page);
    assert_non_null(t->page);
    p = t->all;
    for (size_t i = 0; i < t->pages; i++) {
        const char *ff = strchr(p, '\f');
        t->page[i] = strndup(p, (size_t)(ff - p));
        p = ff + 1;
    }
}

static void text_free(struct text *t)
{
    for (size_t i = 0; i < t->pages; i++)
        free(t->page[i]);
    free(t->page);
    free(t->all);
}

/* The page (1-based) whose text has a line starting with s (after spaces), or 0. */
static size_t page_with_line(const struct text *t, const char *s, size_t from)
{
    for (size_t i = from ? from - 1 : 0; i < t->pages; i++)
        for (const char *l = t->page[i]; l; l = strchr(l, '\n')) {
            l += *l == '\n';
            l += strspn(l, " ");
            if (!strncmp(l, s, strlen(s)))
                return i + 1;
        }
    return 0;
}

/* The number at the end of the first line of page p that contains s, or -1. */
static long number_after(const struct text *t, size_t p, const char *s)
{
    const char *at = strstr(t->page[p - 1], s), *end;
    if (!at)
        return -1;
    end = strchr(at, '\n');
    if (!end)
        end = at + strlen(at);
    while (end > at && end[-1] == ' ')
        end--;
    while (end > at && end[-1] >= '0' && end[-1] <= '9')
        end--;
    return strtol(end, NULL, 10);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* ---- a document like a report ------------------------------------------------------------ */

#define ROWS 200

static const char *const professions[] = {"Physiotherapy", "Occupational therapy",
                                          "Speech and language therapy", "Podiatry"};

static char refs[ROWS][16];
static const char *table_cells[ROWS * 3];

/* The table's comments, in turn: the second always wraps (it is longer than a line of
 * the column in any font), the first may or may not. */
static const char *const comments[] = {
    "The clinic was friendly and the official letter arrived on time",
    "I could not get through on the phone for three weeks, then the appointment was "
    "moved twice without anyone explaining why",
    "Good"};

static struct pdf_doc *report(void)
{
    static const char *const head[] = {"Reference", "Profession", "Comment"};
    const struct disclosure_stat v[] = {
        {62, true, false}, {45, true, false}, {0, false, true}, {0, false, false}};
    struct pdf_doc *d = NULL;

    for (int i = 0; i < ROWS; i++) {
        snprintf(refs[i], sizeof refs[i], "R-%04d", i + 1);
        table_cells[i * 3] = refs[i];
        table_cells[i * 3 + 1] = professions[i % 4];
        table_cells[i * 3 + 2] = comments[i % 3];
    }
    assert_int_equal(
        pdf_new("Physiotherapy services: what we heard", "A listening exercise, spring 2025", &d),
        0);
    assert_int_equal(pdf_set_date(d, DATE), 0);
    assert_int_equal(pdf_heading(d, 1, "Introduction"), 0);
    assert_int_equal(pdf_paragraph(d, "We asked people about their care. café – naïve — £5."), 0);
    assert_int_equal(pdf_heading(d, 2, "Who took part"), 0);
    assert_int_equal(pdf_paragraph(d, "Patients, carers and staff from across the region."), 0);
    assert_int_equal(pdf_heading(d, 3, "Method notes"), 0);
    assert_int_equal(pdf_paragraph(d, "We read every contribution."), 0);
    assert_int_equal(pdf_heading(d, 1, "What people told us"), 0);
    assert_int_equal(pdf_heading(d, 2, "Waiting for treatment"), 0);
    assert_int_equal(pdf_quote(d, "I waited five months for a first appointment.", "Patient"), 0);
    assert_int_equal(pdf_bar_chart(d, "Share who agreed", professions, v, 4, 100, 0, "%"), 0);
    assert_int_equal(pdf_heading(d, 2, "Staffing and workload"), 0);
    assert_int_equal(pdf_paragraph(d, "Staff described teams stretched thin."), 0);
    assert_int_equal(pdf_heading(d, 1, "Appendix: contributions"), 0);
    assert_int_equal(pdf_table(d, 3, head, ROWS, table_cells, (const double[]){0.15, 0.3, 0.55}),
                     0);
    return d;
}

static void finish(struct pdf_doc *d, struct buf *b, size_t *pages)
{
    buf_init(b);
    assert_int_equal(pdf_finish(d, b, pages), 0);
    assert_false(buf_oom(b));
    assert_true(b->len > 100);
    assert_memory_equal(b->data, "%PDF-1.", 7);
    assert_non_null(strstr(b->data + b->len - 8, "%%EOF"));
}

/* ---- tests ------------------------------------------------------------------------------- */

static void contents_lists_headings_with_their_pages(void **state)
{
    static const char *const listed[] = {"Introduction",          "Who took part",
                                         "What people told us",   "Waiting for treatment",
                                         "Staffing and workload", "Appendix: contributions"};
    struct pdf_doc *d;
    struct buf b;
    struct text t;
    size_t pages;
    char *dests;
    const char *at;
    (void)state;

    if (!have_pdftotext())
        skip();
    d = report();
    finish(d, &b, &pages);
    read_pdf(&b, &t);
    assert_int_equal(t.pages, pages);
    assert_true(pages >= 8); /* the table alone takes several pages */

    /* The title page, then the contents, then the body. */
    assert_non_null(strstr(t.page[0], "Physiotherapy services: what we heard"));
    assert_non_null(strstr(t.page[0], "A listening exercise, spring 2025"));
    assert_int_equal(page_with_line(&t, "Contents", 1), 2);
    for (size_t i = 0; i < sizeof listed / sizeof *listed; i++) {
        long shown = number_after(&t, 2, listed[i]);
        assert_true(shown >= 3 && (size_t)shown <= pages);
        /* The first page after the contents with the heading as a line is the one shown. */
        assert_int_equal(page_with_line(&t, listed[i], 3), (size_t)shown);
    }
    /* A level-1 heading starts a page; the appendix follows the chart's section. */
    assert_true(number_after(&t, 2, "What people told us") > number_after(&t, 2, "Introduction"));
    assert_int_equal(number_after(&t, 2, "Who took part"), number_after(&t, 2, "Introduction"));
    /* Level 3 is in the body only. */
    assert_null(strstr(t.page[1], "Method notes"));
    assert_int_equal(page_with_line(&t, "Method notes", 3), number_after(&t, 2, "Introduction"));

    /* Each entry is a link, in order, to a destination on the page it names. */
    dests = poppler(&b, "pdfinfo -dests %s > %s");
    at = b.data;
    for (size_t i = 0; i < sizeof listed / sizeof *listed; i++) {
        char name[32], want[48];
        const char *line;
        size_t n;

        at = memmem(at, b.len - (size_t)(at - b.data), "/Subtype /Link", 14);
        assert_non_null(at);
        at = memmem(at, b.len - (size_t)(at - b.data), "/Dest (", 7);
        assert_non_null(at);
        at += 7;
        n = strcspn(at, ")");
        assert_true(n > 0 && n < sizeof name);
        memcpy(name, at, n);
        name[n] = '\0';
        /* pdfinfo -dests: "   PAGE [ XYZ x y null ] \"NAME\"", one line a destination. */
        snprintf(want, sizeof want, "\"%s\"\n", name);
        assert_non_null(line = strstr(dests, want));
        while (line > dests && line[-1] != '\n')
            line--;
        assert_int_equal(strtol(line, NULL, 10), number_after(&t, 2, listed[i]));
    }
    assert_null(memmem(at, b.len - (size_t)(at - b.data), "/Subtype /Link", 14));
    free(dests);
    text_free(&t);
    buf_free(&b);
    pdf_free(d);
}

static void every_page_has_its_footer(void **state)
{
    struct pdf_doc *d;
    struct buf b;
    struct text t;
    size_t pages;
    char want[64];
    (void)state;

    if (!have_pdftotext())
        skip();
    d = report();
    finish(d, &b, &pages);
    read_pdf(&b, &t);
    for (size_t i = 0; i < t.pages; i++) {
        snprintf(want, sizeof want, "Page %zu of %zu", i + 1, pages);
        assert_non_null(strstr(t.page[i], want));
        assert_int_equal(count(t.page[i], "Page "), 1);
        assert_non_null(strstr(t.page[i], "Physiotherapy services: what we heard"));
    }
    assert_non_null(strstr(t.page[0], "Page 1 of "));
    text_free(&t);
    buf_free(&b);
    pdf_free(d);
}

static void long_table_repeats_its_header(void **state)
{
    struct pdf_doc *d;
    struct buf b;
    struct text t;
    size_t first = 0, last = 0;
    char *words, one_row[256];
    (void)state;

    if (!have_pdftotext())
        skip();
    d = report();
    finish(d, &b, NULL);
    read_pdf(&b, &t);
    /* Every row once, in order. */
    for (int i = 0; i < ROWS; i++) {
        size_t p = page_with_line(&t, refs[i], 1);
        assert_true(p > 0);
        assert_int_equal(count(t.all, refs[i]), 1);
        assert_true(p >= last);
        if (!first)
            first = p;
        last = p;
    }
    assert_true(last >= first + 2);
    /* Each page of the table opens with the header, above its first row. */
    for (size_t p = first; p <= last; p++) {
        const char *pg = t.page[p - 1], *row = strstr(pg, "R-0"), *head = strstr(pg, "Reference");
        assert_non_null(row);
        assert_non_null(head);
        assert_true(head < row);
        assert_non_null(strstr(head, "Profession"));
        assert_true(strstr(head, "Comment") < row);
    }
    /* Wrapped cells come back whole, wherever their lines break (the fast path draws words
     * with their text), each row's cells in order. */
    words = words_of(&b);
    assert_int_equal(count(words, comments[0]), (ROWS + 2) / 3);
    assert_int_equal(count(words, comments[1]), (ROWS + 1) / 3);
    snprintf(one_row, sizeof one_row, "%s %s %s", refs[ROWS - 2], professions[(ROWS - 2) % 4],
             comments[(ROWS - 2) % 3]);
    assert_int_equal(count(words, one_row), 1);
    free(words);
    text_free(&t);
    buf_free(&b);
    pdf_free(d);
}

/* The PDF embeds the one family pdf.h names, in its two weights, and nothing else, since
 * this report has no character the family lacks. This is what keeps the look (and the
 * breaks) from following the fonts a machine happens to have; it fails where
 * scripts/deps has not installed the family. */
static void text_is_set_in_the_named_font(void **state)
{
    char used[128], ps[64], *fonts, *line, *next;
    size_t n = 0, regular = 0, bold = 0;
    struct pdf_doc *d;
    struct buf b;
    (void)state;

    /* pdffonts names a font by its PostScript name, the family without spaces. */
    for (const char *f = PDF_FONT_FAMILY; *f && n + 1 < sizeof ps; f++)
        if (*f != ' ')
            ps[n++] = *f;
    ps[n] = '\0';
    if (pdf_font_check(used, sizeof used))
        fail_msg("fontconfig gives \"%s\" for \"%s\": run scripts/deps", used, PDF_FONT_FAMILY);
    assert_string_equal(used, PDF_FONT_FAMILY);
    if (!have_pdftotext())
        skip();
    d = report();
    finish(d, &b, NULL);
    fonts = poppler(&b, "pdffonts %s > %s");
    /* Two lines of headings, then "NAME TYPE... ENCODING EMB SUB UNI NUM GEN" a font. */
    line = strchr(fonts, '\n');
    assert_non_null(line);
    line = strchr(line + 1, '\n');
    assert_non_null(line);
    for (line++; *line; line = next) {
        char *tok[16], *save = NULL, *eol = strchr(line, '\n');
        size_t nt = 0;
        const char *name;

        assert_non_null(eol);
        *eol = '\0';
        next = eol + 1;
        for (char *t = strtok_r(line, " ", &save); t && nt < 16; t = strtok_r(NULL, " ", &save))
            tok[nt++] = t;
        assert_true(nt >= 7);
        /* Subsets are named "ABCDEF+Family-Style". */
        name = strchr(tok[0], '+') ? strchr(tok[0], '+') + 1 : tok[0];
        if (!strcmp(name, ps))
            regular++;
        else if (!strncmp(name, ps, n) && !strcmp(name + n, "-Bold"))
            bold++;
        else
            fail_msg("the PDF embeds %s, not %s", tok[0], PDF_FONT_FAMILY);
        assert_string_equal(tok[nt - 5], "yes"); /* embedded */
    }
    assert_true(regular > 0);
    assert_true(bold > 0);
    free(fonts);
    buf_free(&b);
    pdf_free(d);
}

static void chart_says_suppressed_and_text_survives(void **state)
{
    struct pdf_doc *d;
    struct buf b;
    struct text t;
    size_t p;
    (void)state;

    if (!have_pdftotext())
        skip();
    d = report();
    finish(d, &b, NULL);
    read_pdf(&b, &t);
    p = page_with_line(&t, "Share who agreed", 3);
    assert_true(p > 0);
    assert_non_null(strstr(t.page[p - 1], "suppressed"));
    assert_non_null(strstr(t.page[p - 1], "no responses"));
    assert_non_null(strstr(t.page[p - 1], "62%"));
    assert_non_null(strstr(t.page[p - 1], "45%"));
    assert_non_null(strstr(t.page[p - 1], "100%"));
    assert_int_equal(count(t.all, "suppressed"), 1);
    assert_non_null(strstr(t.all, "café – naïve — £5"));
    assert_non_null(strstr(t.all, "I waited five months for a first appointment."));
    assert_non_null(strstr(t.all, "— Patient"));
    text_free(&t);
    buf_free(&b);
    pdf_free(d);
}

/* A chart of counts that are not people says what its hidden bar counts. */
static void chart_says_what_it_counts(void **state)
{
    struct pdf_doc *d;
    struct buf b;
    struct text t;
    const char *labels[] = {"Waiting lists", "Parking"};
    struct disclosure_stat v[] = {{40, true, false}, {0, false, true}};
    (void)state;

    if (!have_pdftotext())
        skip();
    assert_int_equal(pdf_new("Themes", NULL, &d), 0);
    assert_int_equal(
        pdf_bar_chart_of(d, "Contributions in each theme", "", labels, v, 2, 60, 0, NULL),
        APP_E_INVALID);
    assert_int_equal(pdf_bar_chart_of(d, "Contributions in each theme", "contributions", labels, v,
                                      2, 60, 0, NULL),
                     0);
    finish(d, &b, NULL);
    read_pdf(&b, &t);
    assert_non_null(strstr(t.all, "suppressed (too few contributions)"));
    assert_null(strstr(t.all, "people"));
    text_free(&t);
    buf_free(&b);
    pdf_free(d);
}

static void same_input_same_bytes(void **state)
{
    struct pdf_doc *d1 = report(), *d2 = report();
    struct buf a, b, c;
    (void)state;

    finish(d1, &a, NULL);
    finish(d2, &b, NULL);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    buf_free(&b);
    finish(d1, &b, NULL); /* finishing again changes nothing */
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    assert_non_null(memmem(a.data, a.len, "20250301000000", 14));
    /* The date is the only thing that tells runs apart. */
    assert_int_equal(pdf_set_date(d2, DATE + 86400), 0);
    finish(d2, &c, NULL);
    assert_true(a.len != c.len || memcmp(a.data, c.data, a.len) != 0);
    assert_non_null(memmem(c.data, c.len, "20250302000000", 14));
    buf_free(&a);
    buf_free(&b);
    buf_free(&c);
    pdf_free(d1);
    pdf_free(d2);
}

static void appends_and_restores_on_failure(void **state)
{
    struct pdf_doc *d;
    struct buf b = BUF_INIT;
    size_t pages = 7;
    (void)state;

    assert_int_equal(pdf_new("Small", NULL, &d), 0);
    buf_puts(&b, "XYZ");
    assert_int_equal(pdf_finish(d, &b, &pages), 0);
    assert_int_equal(pages, 1);
    assert_memory_equal(b.data, "XYZ%PDF-1.", 10);
    assert_int_equal(pdf_finish(NULL, &b, &pages), APP_E_INVALID);
    assert_int_equal(pages, 0);
    assert_int_equal(pdf_finish(d, NULL, NULL), APP_E_INVALID);
    buf_free(&b);
    pdf_free(d);
    pdf_free(NULL);
}

static void empty_document_is_one_valid_page(void **state)
{
    struct pdf_doc *d;
    struct buf b;
    struct text t;
    size_t pages;
    (void)state;

    assert_int_equal(pdf_new("Nothing yet", NULL, &d), 0);
    assert_int_equal(pdf_set_date(d, DATE), 0);
    finish(d, &b, &pages);
    assert_int_equal(pages, 1);
    assert_non_null(memmem(b.data, b.len, "/Creator (AHP Hub)", 18));
    assert_non_null(memmem(b.data, b.len, "/Title (Nothing yet)", 20));
    if (have_pdftotext()) {
        read_pdf(&b, &t);
        assert_int_equal(t.pages, 1);
        assert_non_null(strstr(t.page[0], "Nothing yet"));
        assert_non_null(strstr(t.page[0], "Page 1 of 1"));
        assert_null(strstr(t.all, "Contents"));
        text_free(&t);
    }
    buf_free(&b);
    pdf_free(d);

    /* No level-1 or level-2 heading: no contents page either. */
    assert_int_equal(pdf_new("Notes", "", &d), 0);
    assert_int_equal(pdf_heading(d, 3, "A minor heading"), 0);
    assert_int_equal(pdf_paragraph(d, ""), 0);
    assert_int_equal(pdf_quote(d, "", ""), 0);
    assert_int_equal(pdf_table(d, 2, (const char *const[]){"A", "B"}, 0, NULL, NULL), 0);
    assert_int_equal(pdf_bar_chart(d, "Nothing to chart", NULL, NULL, 0, 100, 0, NULL), 0);
    finish(d, &b, &pages);
    assert_int_equal(pages, 2);
    if (have_pdftotext()) {
        read_pdf(&b, &t);
        assert_null(strstr(t.all, "Contents"));
        assert_non_null(strstr(t.page[1], "A minor heading"));
        assert_non_null(strstr(t.page[1], "No data"));
        assert_non_null(strstr(t.page[1], "Page 2 of 2"));
        text_free(&t);
    }
    buf_free(&b);
    pdf_free(d);
}

static void bad_utf8_is_refused_and_changes_nothing(void **state)
{
    static const char *const good2[] = {"a", "b"}, *const bad2[] = {"a", "b\xff"};
    static const char *const bad_cells[] = {"x", "\xc3"};
    const struct disclosure_stat v[2] = {{1, true, false}, {2, true, false}};
    struct pdf_doc *d = NULL;
    struct buf before, after;
    (void)state;

    assert_int_equal(pdf_new("Bad \xff title", NULL, &d), APP_E_INVALID);
    assert_null(d);
    assert_int_equal(pdf_new("Title", "bad \xed\xa0\x80 surrogate", &d), APP_E_INVALID);
    assert_null(d);

    assert_int_equal(pdf_new("Title", NULL, &d), 0);
    assert_int_equal(pdf_set_date(d, DATE), 0);
    assert_int_equal(pdf_heading(d, 1, "Fine"), 0);
    finish(d, &before, NULL);
    assert_int_equal(pdf_heading(d, 2, "over\xc0\xaf long"), APP_E_INVALID);
    assert_int_equal(pdf_paragraph(d, "cut \xe2\x82"), APP_E_INVALID);
    assert_int_equal(pdf_quote(d, "\x80", NULL), APP_E_INVALID);
    assert_int_equal(pdf_quote(d, "fine", "\xfe"), APP_E_INVALID);
    assert_int_equal(pdf_table(d, 2, bad2, 1, good2, NULL), APP_E_INVALID);
    assert_int_equal(pdf_table(d, 2, good2, 1, bad_cells, NULL), APP_E_INVALID);
    assert_int_equal(pdf_bar_chart(d, "t\xff", good2, v, 2, 10, 0, NULL), APP_E_INVALID);
    assert_int_equal(pdf_bar_chart(d, "t", bad2, v, 2, 10, 0, NULL), APP_E_INVALID);
    assert_int_equal(pdf_bar_chart(d, "t", good2, v, 2, 10, 0, "\xff"), APP_E_INVALID);
    finish(d, &after, NULL);
    assert_int_equal(before.len, after.len);
    assert_memory_equal(before.data, after.data, before.len);
    buf_free(&before);
    buf_free(&after);
    pdf_free(d);
}

static void bad_arguments_are_refused(void **state)
{
    static const char *const h2[] = {"a", "b"}, *const null2[] = {"a", NULL};
    const struct disclosure_stat ok[1] = {{5, true, false}};
    const struct disclosure_stat over[1] = {{11, true, false}};
    const struct disclosure_stat nan_shown[1] = {{NAN, true, false}};
    const struct disclosure_stat nan_hidden[1] = {{NAN, true, true}};
    const char *one[] = {"x"};
    char *long_line = malloc(PDF_MAX_LINE + 2);
    struct pdf_doc *d = NULL;
    (void)state;

    assert_non_null(long_line);
    memset(long_line, 'x', PDF_MAX_LINE + 1);
    long_line[PDF_MAX_LINE + 1] = '\0';
    assert_int_equal(pdf_new(NULL, NULL, &d), APP_E_INVALID);
    assert_int_equal(pdf_new("", NULL, &d), APP_E_INVALID);
    assert_int_equal(pdf_new("t", NULL, NULL), APP_E_INVALID);
    assert_int_equal(pdf_new(long_line, NULL, &d), APP_E_TOOBIG);
    assert_null(d);
    assert_int_equal(pdf_new("t", NULL, &d), 0);

    assert_int_equal(pdf_set_date(NULL, DATE), APP_E_INVALID);
    assert_int_equal(pdf_set_date(d, -1), APP_E_INVALID);
    assert_int_equal(pdf_set_date(d, 253402300800LL), APP_E_INVALID);
    assert_int_equal(pdf_heading(NULL, 1, "x"), APP_E_INVALID);
    assert_int_equal(pdf_heading(d, 0, "x"), APP_E_INVALID);
    assert_int_equal(pdf_heading(d, 5, "x"), APP_E_INVALID);
    /* a list item one level deeper than the one before it, never more; the first at 0 */
    assert_int_equal(pdf_list_items(d, (const struct pdf_list_item[]){{"a", NULL, 1, false}}, 1),
                     APP_E_INVALID);
    assert_int_equal(
        pdf_list_items(
            d, (const struct pdf_list_item[]){{"a", "1.", 0, false}, {"b", NULL, 2, false}}, 2),
        APP_E_INVALID);
    assert_int_equal(
        pdf_list_items(d, (const struct pdf_list_item[]){{"a", "12345678901234567", 0, false}}, 1),
        APP_E_TOOBIG);
    assert_int_equal(pdf_list_items(d, (const struct pdf_list_item[]){{NULL, "1.", 0, false}}, 1),
                     APP_E_INVALID);
    assert_int_equal(pdf_list_items(d, NULL, 1), APP_E_INVALID);
    assert_int_equal(pdf_heading(d, 1, ""), APP_E_INVALID);
    assert_int_equal(pdf_heading(d, 1, NULL), APP_E_INVALID);
    assert_int_equal(pdf_heading(d, 1, long_line), APP_E_TOOBIG);
    assert_int_equal(pdf_paragraph(d, NULL), APP_E_INVALID);
    assert_int_equal(pdf_quote(d, NULL, "a"), APP_E_INVALID);
    assert_int_equal(pdf_table(d, 0, h2, 1, h2, NULL), APP_E_INVALID);
    assert_int_equal(pdf_table(d, PDF_MAX_TABLE_COLS + 1, h2, 0, NULL, NULL), APP_E_INVALID);
    assert_int_equal(pdf_table(d, 2, NULL, 1, h2, NULL), APP_E_INVALID);
    assert_int_equal(pdf_table(d, 2, h2, 1, NULL, NULL), APP_E_INVALID);
    assert_int_equal(pdf_table(d, 2, null2, 1, h2, NULL), APP_E_INVALID);
    assert_int_equal(pdf_table(d, 2, h2, 1, null2, NULL), APP_E_INVALID);
    assert_int_equal(pdf_table(d, 2, h2, 1, h2, (const double[]){1, 0}), APP_E_INVALID);
    assert_int_equal(pdf_table(d, 2, h2, 1, h2, (const double[]){1, NAN}), APP_E_INVALID);
    assert_int_equal(pdf_table(d, 2, h2, 1, h2, (const double[]){1, -1}), APP_E_INVALID);
    assert_int_equal(pdf_table(d, 2, h2, PDF_MAX_TABLE_ROWS + 1, h2, NULL), APP_E_TOOBIG);
    assert_int_equal(pdf_table(d, 2, (const char *const[]){"a", long_line}, 0, NULL, NULL),
                     APP_E_TOOBIG);
    assert_int_equal(pdf_bar_chart(d, NULL, one, ok, 1, 10, 0, NULL), APP_E_INVALID);
    assert_int_equal(pdf_bar_chart(d, "t", NULL, ok, 1, 10, 0, NULL), APP_E_INVALID);
    assert_int_equal(pdf_bar_chart(d, "t", one, NULL, 1, 10, 0, NULL), APP_E_INVALID);
    assert_int_equal(pdf_bar_chart(d, "t", one, ok, 1, 0, 0, NULL), APP_E_INVALID);
    assert_int_equal(pdf_bar_chart(d, "t", one, ok, 1, INFINITY, 0, NULL), APP_E_INVALID);
    assert_int_equal(pdf_bar_chart(d, "t", one, over, 1, 10, 0, NULL), APP_E_INVALID);
    assert_int_equal(pdf_bar_chart(d, "t", one, nan_shown, 1, 10, 0, NULL), APP_E_INVALID);
    assert_int_equal(pdf_bar_chart(d, "t", one, ok, 1, 10, 4, NULL), APP_E_INVALID);
    assert_int_equal(pdf_bar_chart(d, "t", one, ok, 1, 10, -1, NULL), APP_E_INVALID);
    assert_int_equal(pdf_bar_chart(d, "t", (const char *const[]){NULL}, ok, 1, 10, 0, NULL),
                     APP_E_INVALID);
    assert_int_equal(pdf_bar_chart(d, "t", one, ok, 1, 10, 0, "12345678901234567"), APP_E_TOOBIG);
    assert_int_equal(pdf_bar_chart(d, "t", one, ok, PDF_MAX_BARS + 1, 10, 0, NULL), APP_E_TOOBIG);
    /* Hidden values are not looked at, whatever they hold. */
    assert_int_equal(pdf_bar_chart(d, "t", one, nan_hidden, 1, 10, 0, NULL), 0);
    free(long_line);
    pdf_free(d);
}

/* Cells that leave the fast path (line breaks, RTL, words wider than the column, controls)
 * and text longer than a page. */
static void odd_cells_and_long_text(void **state)
{
    enum { WORDS = 4000 };
    struct buf huge = BUF_INIT, b;
    struct pdf_doc *d;
    struct text t;
    size_t pages, p1, p2;
    (void)state;

    for (int i = 0; i < WORDS; i++)
        buf_printf(&huge, "%sword%d", i ? " " : "", i);
    assert_false(buf_oom(&huge));
    const char *cells[] = {
        "1", "line one\nline two",
        "2", "https://example.org/a/very/long/path/that/cannot/possibly/fit/in/a/narrow/column",
        "3", "Ελληνικά και русский текст",
        "4", "שלום עולם",
        "5", "tab\there, bell\x07 gone, spaces    kept, official ﬁle",
        "6", "",
        "7", huge.data,
        "8", "after the huge cell"};
    assert_int_equal(pdf_new("Odd cells", NULL, &d), 0);
    assert_int_equal(
        pdf_table(d, 2, (const char *const[]){"N", "Text"}, 8, cells, (const double[]){1, 3}), 0);
    assert_int_equal(pdf_heading(d, 1, "A long paragraph"), 0);
    assert_int_equal(pdf_paragraph(d, huge.data), 0);
    assert_int_equal(pdf_quote(d, huge.data, "Someone"), 0);
    finish(d, &b, &pages);
    assert_true(pages >= 6 && pages <= 40);
    if (have_pdftotext()) {
        read_pdf(&b, &t);
        assert_non_null(strstr(t.all, "line one"));
        assert_non_null(strstr(t.all, "line two"));
        assert_non_null(strstr(t.all, "https://example.org/a/very/"));
        assert_non_null(strstr(t.all, "Ελληνικά και русский текст"));
        assert_non_null(strstr(t.all, "official"));
        assert_non_null(strstr(t.all, "spaces"));
        assert_non_null(strstr(t.all, "after the huge cell"));
        /* The huge cell is cut short with "…" to fit one page (Pango maps the ellipsis to the
         * words it hides, so they are still in the extracted text); the next row follows on
         * the page after it, under the repeated header. */
        p1 = page_with_line(&t, "7", 3);
        assert_true(p1 > 0);
        assert_non_null(strstr(t.page[p1 - 1], "word0 word1 word2"));
        assert_int_equal(page_with_line(&t, "8", p1), p1 + 1);
        assert_int_equal(page_with_line(&t, "N", p1 + 1), p1 + 1);
        /* The paragraph breaks across pages and loses nothing. */
        p1 = page_with_line(&t, "A long paragraph", 3);
        assert_true(p1 > 0);
        p2 = 0;
        for (size_t i = p1; i <= t.pages && !p2; i++)
            if (strstr(t.page[i - 1], "word3999"))
                p2 = i;
        assert_true(p2 > p1);
        assert_true(count(t.all, "word3999") >= 2); /* the paragraph and the quote */
        assert_non_null(strstr(t.all, "— Someone"));
        text_free(&t);
    }
    buf_free(&b);
    buf_free(&huge);
    pdf_free(d);
}

static void chart_longer_than_a_page(void **state)
{
    enum { BARS = 150 };
    const char *labels[BARS];
    struct disclosure_stat v[BARS];
    char names[BARS][32];
    struct pdf_doc *d;
    struct buf b;
    struct text t;
    size_t pages;
    (void)state;

    for (int i = 0; i < BARS; i++) {
        snprintf(names[i], sizeof names[i], "Organisation %03d", i);
        labels[i] = names[i];
        v[i] = (struct disclosure_stat){(double)(i % 11) / 2, i % 7 != 3, i % 7 == 3};
    }
    assert_int_equal(pdf_new("Many bars", NULL, &d), 0);
    assert_int_equal(pdf_bar_chart(d, "Mean score", labels, v, BARS, 5, 1, NULL), 0);
    finish(d, &b, &pages);
    assert_true(pages >= 4);
    if (have_pdftotext()) {
        read_pdf(&b, &t);
        for (int i = 0; i < BARS; i++)
            assert_int_equal(count(t.all, names[i]), 1);
        assert_int_equal(count(t.all, "suppressed"), (BARS + 3) / 7);
        assert_non_null(strstr(t.all, "2.5"));
        assert_non_null(strstr(t.all, "5.0"));
        text_free(&t);
    }
    buf_free(&b);
    pdf_free(d);
}

/* Every allocation of ours that fails is reported as APP_E_NOMEM and leaks nothing (the
 * sanitizer run checks the second half). Pango's and glib's own allocations abort instead. */
static void out_of_memory_is_reported(void **state)
{
    static const char *const head[] = {"A", "B"};
    static const char *const cells[] = {"one two", "three", "four five six", "seven"};
    const struct disclosure_stat v[2] = {{1, true, false}, {0, false, true}};
    bool done = false;
    int failures = 0;
    (void)state;

    for (long n = 1; n < 2000 && !done; n++) {
        struct pdf_doc *d = NULL;
        struct buf b = BUF_INIT;
        int rc;

        arena_fail_after(n);
        rc = pdf_new("Title", "Sub", &d);
        if (!rc)
            rc = pdf_heading(d, 1, "Heading");
        if (!rc)
            rc = pdf_paragraph(d, "Text");
        if (!rc)
            rc = pdf_table(d, 2, head, 2, cells, NULL);
        if (!rc)
            rc = pdf_bar_chart(d, "Chart", head, v, 2, 1, 0, NULL);
        if (!rc) {
            buf_puts(&b, "kept");
            rc = pdf_finish(d, &b, NULL);
            if (rc)
                assert_string_equal(b.data, "kept");
        }
        arena_fail_after(0);
        if (rc) {
            assert_int_equal(rc, APP_E_NOMEM);
            failures++;
        } else {
            done = true;
        }
        buf_free(&b);
        pdf_free(d);
    }
    assert_true(done);
    assert_true(failures > 10);
}

int main(int argc, char **argv)
{
    (void)argc;
    /* GLib 2.74 hands out GObjects from GSlice's own chunks, where LeakSanitizer cannot see
     * a forgotten PangoLayout; with these set, glib uses malloc and clears what it frees.
     * They must be in the environment before glib starts (its constructors run before
     * main), hence the re-exec. */
    if (!getenv("G_SLICE")) {
        setenv("G_SLICE", "always-malloc", 1);
        setenv("G_DEBUG", "gc-friendly", 1);
        execv("/proc/self/exe", argv);
        perror("pdf_test: re-exec with G_SLICE=always-malloc");
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(contents_lists_headings_with_their_pages),
        cmocka_unit_test(every_page_has_its_footer),
        cmocka_unit_test(long_table_repeats_its_header),
        cmocka_unit_test(text_is_set_in_the_named_font),
        cmocka_unit_test(chart_says_suppressed_and_text_survives),
        cmocka_unit_test(chart_says_what_it_counts),
        cmocka_unit_test(same_input_same_bytes),
        cmocka_unit_test(appends_and_restores_on_failure),
        cmocka_unit_test(empty_document_is_one_valid_page),
        cmocka_unit_test(bad_utf8_is_refused_and_changes_nothing),
        cmocka_unit_test(bad_arguments_are_refused),
        cmocka_unit_test(odd_cells_and_long_text),
        cmocka_unit_test(chart_longer_than_a_page),
        cmocka_unit_test(out_of_memory_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
