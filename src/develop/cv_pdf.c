/* cv_pdf.c: the non-medical CV as a tagged A4 PDF, through export/pdf.h
 *
 * A compact document: the member's name is the title (the one H1) and their headline the
 * line under it; then the profile, the clinical career as a table (dates, role,
 * organisation: TH header cells, one TR per role) followed by what each role involved, and
 * one section (H2) per skill group with an H3 per entry, then a bulleted list (L, LI) of the
 * entries shown under other skills that show this one too. An entry's text keeps its
 * Markdown's blocks: paragraphs (P), its headings as H4 and H5, each of its lists an L (numbered
 * ones from the number the writer started at, lists inside items nested). Training and
 * qualifications are a bulleted list. The structure and what cairo cannot write are pdf.h's and
 * pdf_tag.h's to describe; a CV has no chart, so no Figure.
 */
#include "develop/cv.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "export/pdf.h"

#include <stdio.h>
#include <string.h>

/* "Organisation · March 2024 to present · Leadership, Teaching" without empty parts. */
static const char *byline(struct arena *a, const struct develop_cv_item *it, bool skills)
{
    const char *parts[3] = {it->entry->context, it->dates, skills ? it->skill_names : ""};
    struct buf b = BUF_INIT;
    const char *out;
    for (size_t i = 0; i < 3; i++)
        if (parts[i] && *parts[i])
            buf_printf(&b, "%s%s", b.len ? " \u00b7 " : "", parts[i]);
    buf_putc(&b, '\0');
    out = buf_oom(&b) ? NULL : arena_strdup(a, b.data);
    buf_free(&b);
    return out;
}

/* An entry's text: paragraphs, its own headings one level under the entry's title (# as H4,
 * ## and deeper as H5), and its lists as lists, numbered from their own start. */
static int body(struct pdf_doc *d, struct arena *a, const struct develop_cv_item *it)
{
    int rc = 0;

    for (size_t i = 0; !rc && i < it->nblocks;) {
        const struct develop_block *b = &it->blocks[i];
        struct pdf_list_item *items;
        int last[PDF_MAX_LIST_DEPTH + 1]; /* the list of the item last seen at each depth */
        size_t j;

        if (b->kind == DEVELOP_BLOCK_PARA) {
            rc = pdf_paragraph(d, b->text);
            i++;
            continue;
        }
        if (b->kind == DEVELOP_BLOCK_HEADING) {
            /* a heading too long for one is still printed, as a paragraph */
            rc = strlen(b->text) <= PDF_MAX_LINE ? pdf_heading(d, b->level == 1 ? 3 : 4, b->text)
                                                 : pdf_paragraph(d, b->text);
            i++;
            continue;
        }
        /* a list: its items and those of the lists inside them */
        for (j = i + 1; j < it->nblocks && it->blocks[j].kind == DEVELOP_BLOCK_ITEM &&
                        (it->blocks[j].depth > 0 || it->blocks[j].list == b->list);
             j++)
            ;
        if (!(items = arena_calloc(a, j - i, sizeof *items)))
            return APP_E_NOMEM;
        memset(last, 0, sizeof last);
        for (size_t k = i; k < j; k++) {
            const struct develop_block *x = &it->blocks[k];
            int depth = x->depth < PDF_MAX_LIST_DEPTH ? x->depth : PDF_MAX_LIST_DEPTH;
            items[k - i].text = x->text;
            items[k - i].depth = depth;
            /* a second list inside one item (a change of marker) is a list of its own */
            items[k - i].new_list = last[depth] && last[depth] != x->list;
            last[depth] = x->list;
            if (x->ordered && !(items[k - i].label = arena_printf(a, "%d%c", x->number, x->delim)))
                return APP_E_NOMEM;
        }
        rc = pdf_list_items(d, items, j - i);
        i = j;
    }
    return rc;
}

static int career(struct pdf_doc *d, struct arena *a, const struct develop_cv *cv)
{
    static const char *const head[] = {"Dates", "Role", "Organisation"};
    const char **cells = arena_calloc(a, cv->ncareer * 3 + 1, sizeof *cells);
    int rc;

    if (!cells)
        return APP_E_NOMEM;
    for (size_t i = 0; i < cv->ncareer; i++) {
        cells[i * 3] = cv->career[i].dates;
        cells[i * 3 + 1] = cv->career[i].entry->title;
        cells[i * 3 + 2] = cv->career[i].entry->context;
    }
    rc = pdf_heading(d, 1, "Clinical career");
    if (!rc)
        rc = pdf_table(d, 3, head, cv->ncareer, cells, (const double[]){0.3, 0.4, 0.3});
    for (size_t i = 0; !rc && i < cv->ncareer; i++) {
        if (!cv->career[i].nblocks)
            continue;
        rc = pdf_heading(d, 2, cv->career[i].entry->title);
        if (!rc)
            rc = body(d, a, &cv->career[i]);
    }
    return rc;
}

static int group(struct pdf_doc *d, struct arena *a, const struct develop_cv_group *g)
{
    int rc = pdf_heading(d, 1, g->name);

    if (!rc && !strcmp(g->code, "training")) {
        const char **items = arena_calloc(a, g->n + 1, sizeof *items);
        if (!items)
            return APP_E_NOMEM;
        for (size_t i = 0; i < g->n; i++) {
            const char *by = byline(a, &g->items[i], false);
            if (!by)
                return APP_E_NOMEM;
            items[i] = *by ? arena_printf(a, "%s, %s", g->items[i].entry->title, by)
                           : g->items[i].entry->title;
            if (!items[i])
                return APP_E_NOMEM;
        }
        return pdf_list(d, items, g->n);
    }
    for (size_t i = 0; !rc && i < g->n; i++) {
        const struct develop_cv_item *it = &g->items[i];
        const char *by = byline(a, it, true);
        if (!by)
            return APP_E_NOMEM;
        rc = pdf_heading(d, 2, it->entry->title);
        if (!rc && *by)
            rc = pdf_paragraph(d, arena_printf(a, "%s: %s", it->kind_name, by));
        if (!rc)
            rc = body(d, a, it);
    }
    if (!rc && g->nalso) {
        const char **items = arena_calloc(a, g->nalso, sizeof *items);
        if (!items)
            return APP_E_NOMEM;
        for (size_t i = 0; i < g->nalso; i++)
            if (!(items[i] = arena_printf(a, "%s (under %s)", g->also[i].item->entry->title,
                                          g->also[i].group)))
                return APP_E_NOMEM;
        rc = pdf_paragraph(d, arena_printf(a, "Also showing %s:", g->name));
        if (!rc)
            rc = pdf_list(d, items, g->nalso);
    }
    return rc;
}

int develop_cv_pdf(const struct develop_cv *cv, int64_t date, struct buf *out)
{
    struct arena *a = arena_new();
    struct pdf_doc *d = NULL;
    const char *title = *cv->name ? cv->name : "Non-medical CV";
    int rc;

    if (!a)
        return APP_E_NOMEM;
    rc = pdf_new(title, *cv->headline ? cv->headline : "Non-medical CV", &d);
    if (!rc)
        rc = pdf_set_compact(d);
    if (!rc && *cv->name)
        rc = pdf_set_author(d, cv->name);
    if (!rc && date > 0)
        rc = pdf_set_date(d, date);
    if (!rc && *cv->email)
        rc = pdf_paragraph(d, cv->email);
    if (!rc && *cv->summary) {
        rc = pdf_heading(d, 1, "Profile");
        if (!rc)
            rc = pdf_paragraph(d, cv->summary);
    }
    if (!rc && cv->ncareer)
        rc = career(d, a, cv);
    for (size_t g = 0; !rc && g < DEVELOP_CV_GROUPS; g++)
        if (cv->groups[g].n || cv->groups[g].nalso)
            rc = group(d, a, &cv->groups[g]);
    if (!rc && !cv->nchosen)
        rc = pdf_paragraph(d, "No portfolio entries have been chosen for this CV yet.");
    if (!rc)
        rc = pdf_finish(d, out, NULL);
    /* text that is too long or not UTF-8 cannot come from a stored entry: a bug if it does */
    if (rc == APP_E_INVALID || rc == APP_E_TOOBIG)
        rc = APP_E_INTERNAL;
    pdf_free(d);
    arena_free(a);
    return rc;
}
