/* pdf_bench.c: wall time of typesetting a "What we heard" report of 10,000 contributions
 *
 * Usage: pdf_bench [ROWS] (default 10000). The document is shaped like the report of a
 * listening exercise: a summary with a headline table, 12 themes each with a heading, three
 * paragraphs, five quotes, a 20-row table and a bar chart (one bar suppressed), and an
 * appendix table of every contribution (reference, theme, text) - the heavy part. The texts
 * come from phrase lists with a fixed seed, plus one made-up word per contribution (a place
 * or service name) so that the vocabulary grows with the rows as real answers' does.
 *
 * The document is built once; pdf_finish() (layout, both passes, and the PDF bytes) is timed
 * five times and the median printed:
 *   {"bench":"pdf","rows":N,"pages":P,"seconds":S,"anchor_seconds":A,"target_seconds":1.0}
 * The anchor, in the same process, is cairo writing the same number of PDF pages with one
 * plain line of text each through cairo_show_text() (no Pango): the floor of producing that
 * many pages, so seconds/anchor compares across machines better than seconds alone.
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/rand.h"
#include "export/pdf.h"
#include "timing.h"

#define RUNS   5
#define THEMES 12

static const char *const themes[THEMES] = {
    "Waiting times",      "Staff and kindness",  "Travel and parking",
    "Digital services",   "Workforce pressures", "Children and schools",
    "Mental health",      "Care at home",        "Communication",
    "Equipment and aids", "Joined-up care",      "Access for disabled people",
};

static const char *const phrases[] = {
    "the waiting list for physio is far too long",
    "I waited months for a first appointment",
    "nobody told me how long the wait would be",
    "the therapist listened to me and explained everything",
    "the staff were kind, patient and supportive",
    "parking at the hospital is expensive and hard to find",
    "the bus does not go near the clinic",
    "video appointments worked well for me",
    "the online booking system kept crashing",
    "staff shortages mean clinics are cancelled at short notice",
    "the team is overstretched but still does its best",
    "my child needed speech and language therapy at school",
    "the transition from children's to adult services was poor",
    "psychological support alongside physiotherapy would help",
    "the exercises to do at home were really useful",
    "equipment for my home was delivered weeks late",
    "I had to repeat my history to every clinic",
    "letters arrived after the appointment had passed",
    "the podiatrist spotted a problem my GP had missed",
    "a home visit from the occupational therapist made all the difference",
};

static const char *const syllables[] = {"ash", "ber", "cot",  "dale", "ford", "ham",   "ley",
                                        "mer", "ton", "wick", "by",   "stow", "hurst", "field"};

/* A contribution: one to three phrases and a made-up place ("at Ashberton"). Malloc'd. */
static char *contribution(struct rng *r)
{
    char buf[640], place[64];
    size_t len = 0, pl = 0;
    int parts = 1 + (int)rng_below(r, 3);

    for (int s = 0; s < 2 + (int)rng_below(r, 2); s++)
        pl += (size_t)snprintf(place + pl, sizeof place - pl, "%s",
                               syllables[rng_below(r, sizeof syllables / sizeof *syllables)]);
    place[0] = (char)(place[0] - 32);
    for (int p = 0; p < parts; p++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", p ? "; " : "",
                                phrases[rng_below(r, sizeof phrases / sizeof *phrases)]);
    len += (size_t)snprintf(buf + len, sizeof buf - len, " at %s.", place);
    buf[0] = (char)(buf[0] >= 'a' && buf[0] <= 'z' ? buf[0] - 32 : buf[0]);
    return strndup(buf, len);
}

static int build(struct pdf_doc *d, size_t rows, char **strings, size_t *nstrings)
{
    static const char *const head2[] = {"Measure", "Value"};
    static const char *const headline[] = {
        "Contributions", "10,000", "People who took part",    "3,415", "Organisations", "45",
        "Themes found",  "12",     "Contributions moderated", "9,870", "Open for",      "6 weeks"};
    static const char *const head3[] = {"Profession", "Contributions", "Share"};
    static const char *const prof[] = {"Physiotherapy",
                                       "Occupational therapy",
                                       "Speech and language",
                                       "Podiatry",
                                       "Dietetics",
                                       "Radiography",
                                       "Orthoptics",
                                       "Paramedics",
                                       "Art therapy",
                                       "Music therapy",
                                       "Drama therapy",
                                       "Prosthetics and orthotics",
                                       "Osteopathy",
                                       "Operating department practice",
                                       "Diagnostic radiology",
                                       "Therapeutic radiography",
                                       "Clinical physiology",
                                       "Audiology",
                                       "Play therapy",
                                       "Other"};
    static const char *const head_app[] = {"Reference", "Theme", "Contribution"};
    const char *cells3[20 * 3];
    const char **app = NULL;
    char num[20][2][16];
    struct disclosure_stat stat[8];
    const char *labels[8];
    struct rng r;
    int err = 0;

    rng_seed(&r, 20250301);
    err = pdf_set_date(d, 1740787200);
    err = err ? err : pdf_heading(d, 1, "Summary");
    err = err ? err
              : pdf_paragraph(d, "Between January and March, allied health professionals, "
                                 "patients and carers told us what works and what does not in "
                                 "their local services. This report sets out what we heard.");
    err = err ? err : pdf_table(d, 2, head2, 6, headline, (const double[]){0.6, 0.4});
    err = err ? err : pdf_heading(d, 1, "Themes");
    for (int t = 0; t < THEMES && !err; t++) {
        err = pdf_heading(d, 2, themes[t]);
        for (int p = 0; p < 3 && !err; p++)
            err = pdf_paragraph(
                d, "People described their experience in their own words. Many said that "
                   "the service was valued but stretched, and that clearer information about "
                   "what happens next would make a real difference to them and their families. "
                   "Several contributions named specific clinics, which we have not printed.");
        for (int q = 0; q < 5 && !err; q++)
            err = pdf_quote(d, phrases[(size_t)(t * 5 + q) % (sizeof phrases / sizeof *phrases)],
                            "Patient, North East and Yorkshire");
        for (int i = 0; i < 20; i++) {
            snprintf(num[i][0], sizeof num[i][0], "%d", 10 + (int)rng_below(&r, 400));
            snprintf(num[i][1], sizeof num[i][1], "%d%%", (int)rng_below(&r, 40));
            cells3[i * 3] = prof[i];
            cells3[i * 3 + 1] = num[i][0];
            cells3[i * 3 + 2] = num[i][1];
        }
        err = err ? err : pdf_table(d, 3, head3, 20, cells3, (const double[]){0.5, 0.25, 0.25});
        for (int i = 0; i < 8; i++) {
            labels[i] = prof[i];
            stat[i] = (struct disclosure_stat){(double)rng_below(&r, 100), i != 5, i == 5};
        }
        err =
            err ? err
                : pdf_bar_chart(d, "Share who agreed, by profession", labels, stat, 8, 100, 0, "%");
    }
    err = err ? err : pdf_heading(d, 1, "Appendix: every contribution");
    if (!err && !(app = calloc(rows * 3, sizeof *app)))
        err = 1;
    for (size_t i = 0; i < rows && !err; i++) {
        char *ref = malloc(32), *text = contribution(&r);
        strings[(*nstrings)++] = ref;
        strings[(*nstrings)++] = text;
        if (!ref || !text) {
            err = 1;
            break;
        }
        snprintf(ref, 32, "C-%05zu", i + 1);
        app[i * 3] = ref;
        app[i * 3 + 1] = themes[rng_below(&r, THEMES)];
        app[i * 3 + 2] = text;
    }
    err = err ? err : pdf_table(d, 3, head_app, rows, app, (const double[]){0.13, 0.27, 0.6});
    free(app);
    return err;
}

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
    buf_append(closure, data, len);
    return buf_oom(closure) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* The floor: pages pages of one line of plain text each, written by cairo alone. */
static int anchor(size_t pages, double *sec)
{
    struct buf b = BUF_INIT;
    double t0 = now_s();
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_out, &b, 595.276, 841.89);
    cairo_t *cr = cairo_create(s);
    int rc;

    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 10.5);
    for (size_t p = 0; p < pages; p++) {
        char line[64];
        snprintf(line, sizeof line, "Page %zu of %zu", p + 1, pages);
        cairo_move_to(cr, 57, 785);
        cairo_show_text(cr, line);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    rc = cairo_surface_status(s) != CAIRO_STATUS_SUCCESS || buf_oom(&b);
    cairo_surface_destroy(s);
    buf_free(&b);
    *sec = now_s() - t0;
    return rc;
}

int main(int argc, char **argv)
{
    size_t rows = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000, pages = 0, nstrings = 0;
    char **strings = calloc(rows * 2 + 1, sizeof *strings);
    struct pdf_doc *d = NULL;
    double sec[RUNS], anc[RUNS];
    int rc = 1;

    if (!strings ||
        pdf_new("Improving access to therapy: what we heard",
                "Report of a listening exercise, 10,000 contributions", &d) ||
        build(d, rows, strings, &nstrings)) {
        fprintf(stderr, "pdf_bench: could not build the document\n");
        goto done;
    }
    for (int i = 0; i < RUNS; i++) {
        struct buf b = BUF_INIT;
        double t0 = now_s();
        int err = pdf_finish(d, &b, &pages);
        sec[i] = now_s() - t0;
        buf_free(&b);
        if (err) {
            fprintf(stderr, "pdf_bench: pdf_finish failed (%d)\n", err);
            goto done;
        }
    }
    for (int i = 0; i < RUNS; i++)
        if (anchor(pages, &anc[i])) {
            fprintf(stderr, "pdf_bench: the anchor failed\n");
            goto done;
        }
    printf("{\"bench\":\"pdf\",\"rows\":%zu,\"pages\":%zu,\"seconds\":%.3f,"
           "\"anchor_seconds\":%.3f,\"target_seconds\":1.0}\n",
           rows, pages, median(sec, RUNS), median(anc, RUNS));
    rc = 0;
done:
    pdf_free(d);
    for (size_t i = 0; i < nstrings; i++)
        free(strings[i]);
    free(strings);
    return rc;
}
