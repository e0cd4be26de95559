/* pdf_tag_test.c: tests for the tagged structure of PDFs (src/export/pdf_tag.c and the tags
 * src/export/pdf.c opens)
 *
 * Each document is read back by poppler as an assistive technology would meet it:
 * `pdfinfo` must say "Tagged: yes", and `pdfinfo -struct-text` (poppler 22.12) dumps the
 * structure tree with the text each element holds, in reading order, with attributes such as
 * a header cell's scope. What poppler does not print (the document language, a figure's
 * alternative text, DisplayDocTitle) is looked for in the incremental update that
 * pdf_tag_amend() appends, which is plain PDF syntax. Without poppler-utils the tests that
 * read PDFs back skip and say so. Nothing here depends on where a line or a page breaks,
 * beyond what the structure forces (a paragraph of 400 sentences cannot fit on one page).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/err.h"
#include "export/pdf.h"
#include "export/pdf_tag.h"

#include <cairo-pdf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n"; /* as tests/lsan.supp and pdf_test.c say */
}

static bool have_poppler(void)
{
    static int have = -1;
    if (have < 0) {
        have = system("command -v pdfinfo >/dev/null 2>&1") == 0;
        if (!have)
            fprintf(stderr, "pdf_tag_test: pdfinfo not found (apt-get install poppler-utils); "
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

/* Runs the poppler command tool ("pdfinfo %s > %s") over the PDF in b; what it wrote, to
 * free. Its error output goes to a second file that must stay empty: poppler reports a
 * damaged cross-reference section or a dictionary it cannot parse there. */
static char *poppler(const struct buf *b, const char *tool)
{
    char pdf[] = "/tmp/pdf_tag_test-XXXXXX", cmd[320], txt[64], err[64], *out, *errs;
    int fd = mkstemp(pdf);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, b->data, b->len), (ssize_t)b->len);
    close(fd);
    snprintf(txt, sizeof txt, "%s.txt", pdf);
    snprintf(err, sizeof err, "%s.err", pdf);
    snprintf(cmd, sizeof cmd, tool, pdf, txt);
    strncat(cmd, " 2>", sizeof cmd - strlen(cmd) - 1);
    strncat(cmd, err, sizeof cmd - strlen(cmd) - 1);
    assert_int_equal(system(cmd), 0);
    out = slurp(txt);
    errs = slurp(err);
    unlink(pdf);
    unlink(txt);
    unlink(err);
    assert_non_null(out);
    assert_non_null(errs);
    if (*errs)
        fprintf(stderr, "poppler said: %.400s\n", errs);
    assert_string_equal(errs, "");
    free(errs);
    return out;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* Asserts that the needles occur in s in this order; returns where the last one starts. */
static const char *in_order(const char *s, const char *const *needles, size_t n)
{
    const char *at = s;
    for (size_t i = 0; i < n; i++) {
        const char *p = strstr(at, needles[i]);
        if (!p)
            fprintf(stderr, "not found in order: \"%s\"\n", needles[i]);
        assert_non_null(p);
        at = p + strlen(needles[i]);
    }
    return at;
}

/* An ASCII string as pdf_tag.c writes a text string: UTF-16BE hex after a byte-order mark. */
static char *hex16(const char *s)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "<FEFF");
    for (; *s; s++)
        buf_printf(&b, "%04X", (unsigned)(unsigned char)*s);
    buf_putc(&b, '>');
    return buf_detach(&b, NULL);
}

/* Where s occurs in the PDF's bytes (which hold NULs in compressed streams), or NULL. */
static const char *in_pdf(const struct buf *b, const char *s)
{
    return memmem(b->data, b->len, s, strlen(s));
}

static void finish(struct pdf_doc *d, struct buf *b, size_t *pages)
{
    buf_init(b);
    assert_int_equal(pdf_finish(d, b, pages), 0);
    assert_memory_equal(b->data, "%PDF-1.", 7);
}

#define ROWS 120 /* enough for the table to cross pages */

static const char *const profs[] = {"Physiotherapy", "Podiatry", "Dietetics", "Orthoptics"};

static struct pdf_doc *report(char cells[][3][24])
{
    static const char *const head[] = {"Reference", "Profession", "Comment"};
    static const char *cellp[ROWS * 3];
    static const char *const items[] = {"First point", "Second point"};
    const struct disclosure_stat v[] = {
        {62, true, false}, {45, true, false}, {0, false, true}, {0, false, false}};
    struct pdf_doc *d = NULL;

    for (int i = 0; i < ROWS; i++) {
        snprintf(cells[i][0], 24, "R-%04d", i + 1);
        snprintf(cells[i][1], 24, "%s", profs[i % 4]);
        snprintf(cells[i][2], 24, "Comment %d", i + 1);
        for (int c = 0; c < 3; c++)
            cellp[i * 3 + c] = cells[i][c];
    }
    assert_int_equal(pdf_new("Podiatry services: what we heard", "Published on 1 March 2025", &d),
                     0);
    assert_int_equal(pdf_heading(d, 1, "Introduction"), 0);
    assert_int_equal(pdf_paragraph(d, "We asked people about their care."), 0);
    assert_int_equal(pdf_heading(d, 3, "Method notes"), 0);
    assert_int_equal(pdf_list(d, items, 2), 0);
    assert_int_equal(pdf_heading(d, 1, "What people told us"), 0);
    assert_int_equal(pdf_heading(d, 2, "Waiting for treatment"), 0);
    assert_int_equal(pdf_quote(d, "I waited five months.", "Patient"), 0);
    assert_int_equal(pdf_bar_chart(d, "Share who agreed", profs, v, 4, 100, 0, "%"), 0);
    assert_int_equal(pdf_heading(d, 1, "Appendix"), 0);
    assert_int_equal(pdf_table(d, 3, head, ROWS, cellp, NULL), 0);
    return d;
}

/* ---- tests ------------------------------------------------------------------------------- */

static void report_is_tagged_in_reading_order(void **state)
{
    static const char *const order[] = {
        "Document",
        "H1 (block)",
        "Podiatry services: what we heard",
        "P (block)",
        "Published on 1 March 2025",
        "H2 (block)",
        "Contents",
        "TOC",
        "TOCI",
        "Link",
        "\"Introduction ", /* the entry and its page number, a space apart */
        "TOCI",
        "\"What people told us ",
        "H2 (block)",
        "Introduction",
        "P (block)",
        "Span",
        "We asked people about their care.",
        "H4 (block)",
        "Method notes",
        "L (block)",
        "LI (block)",
        "Lbl",
        "LBody",
        "First point",
        "LI (block)",
        "Second point",
        "H2 (block)",
        "What people told us",
        "H3 (block)",
        "Waiting for treatment",
        "BlockQuote",
        "I waited five months.",
        "Figure",
        "Share who agreed",
        "H2 (block)",
        "Appendix",
        "Table (block)",
        "TR",
        "TH",
        "/Scope /Column",
        "Reference",
        "TH",
        "/Scope /Column",
        "Profession",
        "TR",
        "TD",
        "R-0001",
        "TD",
        "Physiotherapy",
        "TD",
        "Comment 1",
    };
    char cells[ROWS][3][24];
    struct pdf_doc *d;
    struct buf b;
    size_t pages;
    char *info, *tree, *alt;
    (void)state;

    if (!have_poppler())
        skip();
    d = report(cells);
    finish(d, &b, &pages);
    assert_true(pages >= 6); /* title, contents, three sections, the table over two pages */

    info = poppler(&b, "pdfinfo %s > %s");
    assert_non_null(strstr(info, "Tagged:          yes"));
    assert_non_null(strstr(info, "Title:           Podiatry services: what we heard"));
    tree = poppler(&b, "pdfinfo -struct-text %s > %s");
    in_order(tree, order, sizeof order / sizeof *order);
    assert_non_null(strstr(tree, "\"Comment 120\""));
    /* The header row is in the structure once, though the table crosses pages; every data
     * row is a TR of three TD. */
    assert_int_equal(count(tree, "/Scope /Column"), 3);
    assert_int_equal(count(tree, "\n      TD\n"), ROWS * 3);
    assert_int_equal(count(tree, "\n    TR\n"), ROWS + 1);
    /* Footers and the brand band are not read out. */
    assert_null(strstr(tree, "Page 1 of"));
    assert_null(strstr(tree, "Page 3 of"));
    assert_null(strstr(tree, "AHP Hub"));

    /* What poppler does not print: the language, the title shown, the figure's words. */
    assert_non_null(in_pdf(&b, "/Lang (en-GB)"));
    assert_non_null(in_pdf(&b, "/ViewerPreferences << /DisplayDocTitle true >>"));
    alt = hex16("Bar chart: Share who agreed. Physiotherapy: 62%; Podiatry: 45%; Dietetics: "
                "suppressed (too few people); Orthoptics: no responses.");
    assert_non_null(in_pdf(&b, alt));
    free(alt);
    free(info);
    free(tree);
    buf_free(&b);
    pdf_free(d);
}

/* A paragraph over several pages stays one P, with one Span per page, and the footers drawn
 * between them are not part of it. */
static void paragraph_across_pages_is_one_element(void **state)
{
    struct buf text = BUF_INIT, b;
    struct pdf_doc *d;
    size_t pages;
    char *tree;
    const char *p, *next;
    (void)state;

    if (!have_poppler())
        skip();
    for (int i = 0; i < 400; i++)
        buf_printf(&text, "Sentence %d of a long reflection on leading a team. ", i + 1);
    assert_int_equal(pdf_new("Long", NULL, &d), 0);
    assert_int_equal(pdf_set_compact(d), 0);
    assert_int_equal(pdf_paragraph(d, text.data), 0);
    assert_int_equal(pdf_paragraph(d, "After."), 0);
    finish(d, &b, &pages);
    assert_true(pages >= 2);
    tree = poppler(&b, "pdfinfo -struct-text %s > %s");
    p = strstr(tree, "  P (block)");
    assert_non_null(p);
    next = strstr(p + 1, "  P (block)"); /* the second paragraph */
    assert_non_null(next);
    assert_non_null(strstr(next, "After."));
    {
        int spans = 0;
        for (const char *s = p; (s = strstr(s, "Span (inline)")) && s < next; s++)
            spans++;
        assert_true(spans >= 2);
        assert_int_equal((size_t)spans, pages);
    }
    assert_null(strstr(tree, "Page 1 of"));
    free(tree);
    buf_free(&text);
    buf_free(&b);
    pdf_free(d);
}

/* The compact layout (a CV): the title is the H1 on page 1, no contents, sections follow on. */
static void compact_document_has_no_title_page(void **state)
{
    static const char *const items[] = {"Led a quality improvement project", "Taught students"};
    static const char *const order[] = {"Document",
                                        "H1 (block)",
                                        "Sam Okafor",
                                        "P (block)",
                                        "Speech and language therapist",
                                        "H2 (block)",
                                        "Leadership",
                                        "L (block)",
                                        "Led a quality improvement project",
                                        "Taught students",
                                        "H2 (block)",
                                        "Teaching"};
    struct pdf_doc *d;
    struct buf b;
    size_t pages;
    char *tree, *info;
    (void)state;

    if (!have_poppler())
        skip();
    assert_int_equal(pdf_new("Sam Okafor", "Speech and language therapist", &d), 0);
    assert_int_equal(pdf_set_compact(d), 0);
    assert_int_equal(pdf_set_author(d, "Sam Okafor"), 0);
    assert_int_equal(pdf_set_language(d, "cy"), 0);
    assert_int_equal(pdf_set_language(d, "en GB"), APP_E_INVALID);
    assert_int_equal(pdf_set_language(d, ""), APP_E_INVALID);
    assert_int_equal(pdf_heading(d, 1, "Leadership"), 0);
    assert_int_equal(pdf_list(d, items, 2), 0);
    assert_int_equal(pdf_heading(d, 1, "Teaching"), 0);
    assert_int_equal(pdf_paragraph(d, "Clinical educator."), 0);
    assert_int_equal(pdf_list(NULL, items, 2), APP_E_INVALID);
    assert_int_equal(pdf_list(d, NULL, 2), APP_E_INVALID);
    finish(d, &b, &pages);
    assert_int_equal(pages, 1);
    tree = poppler(&b, "pdfinfo -struct-text %s > %s");
    in_order(tree, order, sizeof order / sizeof *order);
    assert_null(strstr(tree, "TOC"));
    info = poppler(&b, "pdfinfo %s > %s");
    assert_non_null(strstr(info, "Tagged:          yes"));
    assert_non_null(strstr(info, "Author:          Sam Okafor"));
    assert_non_null(in_pdf(&b, "/Lang (cy)"));
    free(tree);
    free(info);
    buf_free(&b);
    pdf_free(d);
}

/* A cell's words wrapped over lines keep the spaces between them in the structure's text
 * (the fast path draws the space a line break replaces), so a screen reader does not read
 * "threedays". */
static void wrapped_cell_keeps_its_spaces(void **state)
{
    static const char *const head[] = {"Narrow", "Wide"};
    static const char *const cells[] = {"one two three four five six seven eight nine ten", "x"};
    struct pdf_doc *d;
    struct buf b;
    size_t pages;
    char *tree, *text;
    (void)state;

    if (!have_poppler())
        skip();
    assert_int_equal(pdf_new("Cells", NULL, &d), 0);
    assert_int_equal(pdf_set_compact(d), 0);
    assert_int_equal(pdf_table(d, 2, head, 1, cells, (const double[]){0.12, 0.88}), 0);
    finish(d, &b, &pages);
    text = poppler(&b, "pdftotext -layout %s %s");
    assert_null(strstr(text, "one two three four five six seven eight nine ten")); /* wrapped */
    tree = poppler(&b, "pdfinfo -struct-text %s > %s");
    assert_non_null(strstr(tree, "\"one two three four five six seven eight nine ten\""));
    free(text);
    free(tree);
    buf_free(&b);
    pdf_free(d);
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    buf_append(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* A tiny tagged PDF straight from cairo, with figures Figure elements. */
static void cairo_pdf(struct buf *b, int figures)
{
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, b, 200, 200);
    cairo_t *cr = cairo_create(s);
    cairo_tag_begin(cr, "Document", NULL);
    for (int i = 0; i < figures; i++) {
        cairo_tag_begin(cr, "Figure", NULL);
        cairo_rectangle(cr, 10, 10 + 20 * i, 50, 10);
        cairo_fill(cr);
        cairo_tag_end(cr, "Figure");
    }
    cairo_tag_end(cr, "Document");
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
}

/* The amendment refuses what it cannot vouch for and then leaves the bytes as they were. */
static void amend_refuses_and_changes_nothing(void **state)
{
    struct pdf_tags t = PDF_TAGS_INIT;
    struct buf b = BUF_INIT;
    size_t len;
    char *copy, *tree, *alt;
    (void)state;

    buf_puts(&b, "not a PDF at all, no startxref");
    assert_int_equal(pdf_tag_amend(&b, 0, &t, "en-GB"), APP_E_INTERNAL);
    assert_string_equal(b.data, "not a PDF at all, no startxref");
    assert_int_equal(pdf_tag_amend(NULL, 0, &t, "en-GB"), APP_E_INVALID);
    assert_int_equal(pdf_tag_amend(&b, 0, &t, "en_GB"), APP_E_INVALID);
    buf_free(&b);

    /* two figures drawn, one text recorded: refused */
    buf_puts(&b, "prefix:"); /* the PDF need not start the buffer */
    cairo_pdf(&b, 2);
    len = b.len;
    copy = malloc(len);
    assert_non_null(copy);
    memcpy(copy, b.data, len);
    t.alt = calloc(2, sizeof *t.alt);
    t.cap = 2;
    t.alt[t.nalt++] = strdup("Only one");
    assert_int_equal(pdf_tag_amend(&b, 7, &t, "en-GB"), APP_E_INTERNAL);
    assert_int_equal(b.len, len);
    assert_memory_equal(b.data, copy, len);

    /* with both: each figure gets its own text, in the order they were opened */
    t.alt[t.nalt++] = strdup("Second, with é and ✓");
    assert_int_equal(pdf_tag_amend(&b, 7, &t, "en-GB"), 0);
    assert_true(b.len > len);
    alt = hex16("Only one");
    assert_non_null(in_pdf(&b, alt));
    assert_non_null(in_pdf(
        &b,
        "<FEFF005300650063006F006E0064002C00200077006900740068002000E900200061006E006400202713>"));
    assert_true(in_pdf(&b, alt) < in_pdf(&b, "<FEFF005300650063006F006E0064002C00200077006900740068"
                                             "002000E900200061006E006400202713>"));
    free(alt);
    if (have_poppler()) {
        struct buf pdf = BUF_INIT;
        buf_append(&pdf, b.data + 7, b.len - 7);
        tree = poppler(&pdf, "pdfinfo -struct %s > %s");
        assert_int_equal(count(tree, "Figure"), 2);
        free(tree);
        buf_free(&pdf);
    }
    pdf_tags_cleanup(&t);
    free(copy);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(report_is_tagged_in_reading_order),
        cmocka_unit_test(paragraph_across_pages_is_one_element),
        cmocka_unit_test(compact_document_has_no_title_page),
        cmocka_unit_test(wrapped_cell_keeps_its_spaces),
        cmocka_unit_test(amend_refuses_and_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
