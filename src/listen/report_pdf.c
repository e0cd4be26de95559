/* report_pdf.c: "What we heard" as a typeset PDF, from the report's view model
 *
 * The same model as the page (report.c), so the PDF says exactly what the page says: every
 * figure arrives already under the disclosure rule and is printed as it is. The layout is
 * src/export/pdf.c's: a title page, contents, numbered pages.
 */
#include "listen/report_pdf.h"
#include "listen/charts.h"
#include "listen/report.h"
#include "core/buf.h"
#include "core/err.h"
#include "export/ticks.h"
#include "export/pdf.h"
#include "text/disclosure.h"

#include <stdio.h>
#include <string.h>

static const char *str_at(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* A published count as a chart value: "*" is hidden, "1,235" is 1235. */
static struct disclosure_stat count_stat(const char *s)
{
    struct disclosure_stat st = {0, false, false};
    if (!*s)
        return st;
    if (!strcmp(s, "*")) {
        st.suppressed = true;
        return st;
    }
    for (; *s; s++)
        if (*s >= '0' && *s <= '9')
            st.value = st.value * 10 + (*s - '0');
    st.shown = true;
    return st;
}

static int headline(struct pdf_doc *d, const json_t *m)
{
    static const char *const head[] = {"",
                                       "Members of the public",
                                       "Allied health professionals",
                                       "Other staff",
                                       "Did not say",
                                       "Total"};
    static const char *const keys[] = {"measure", "citizen", "ahp", "staff", "not_said", "total"};
    const json_t *rows = json_object_get(json_object_get(m, "headline"), "rows"), *r;
    const char *cells[3 * 6];
    size_t n = 0, i;
    int rc = pdf_heading(d, 1, "Who took part");
    json_array_foreach(rows, i, r)
    {
        if (n >= 3)
            break;
        for (size_t k = 0; k < 6; k++)
            cells[n * 6 + k] = str_at(r, keys[k]);
        n++;
    }
    if (!rc)
        rc = pdf_table(d, 6, head, n, cells, NULL);
    if (!rc)
        rc = pdf_paragraph(d, "To protect people, numbers from 1 to " DISCLOSURE_HIDDEN_UP_TO
                              " are shown as *, other "
                              "numbers are rounded to the nearest 5, and a second number is "
                              "hidden where it would give a hidden one away.");
    return rc;
}

static int quotes(struct pdf_doc *d, const char *heading, const json_t *arr, const char *none)
{
    size_t i;
    const json_t *q;
    int rc = pdf_heading(d, 3, heading);
    if (!rc && json_array_size(arr) == 0)
        rc = pdf_paragraph(d, none);
    json_array_foreach(arr, i, q)
    {
        if (rc)
            break;
        rc = pdf_quote(d, json_string_value(q) ? json_string_value(q) : "", NULL);
    }
    return rc;
}

static int themes(struct pdf_doc *d, const json_t *m)
{
    const json_t *ths = json_object_get(m, "themes"), *th;
    size_t n = json_array_size(ths), i;
    const char *labels[64];
    struct disclosure_stat values[64];
    double max = 1;
    char text[600];
    int rc = pdf_heading(d, 1, "What people said");
    if (!rc)
        rc = pdf_paragraph(d, "We grouped the contributions into themes by the words they share. "
                              "A contribution can belong to more than one theme.");
    if (n > 64)
        n = 64;
    for (i = 0; i < n; i++) {
        th = json_array_get(ths, i);
        labels[i] = str_at(th, "label");
        values[i] = count_stat(str_at(th, "size"));
        if (values[i].shown && values[i].value > max)
            max = values[i].value;
    }
    if (!rc && n && listen_chart_themes_hidden(ths)) /* no bar to draw: say so in words */
        rc = pdf_paragraph(d, "Every theme has fewer than " DISCLOSURE_SHOWN_FROM
                              " contributions, too few to show how many, so there is no chart "
                              "of them: each theme's number reads * below.");
    else if (!rc && n) /* a hidden bar counts contributions: it says so; round quarter ticks */
        rc = pdf_bar_chart_of(d, "Contributions in each theme", "contributions", labels, values, n,
                              nice_ticks(max, 4, 12, NULL), 0, NULL);
    json_array_foreach(ths, i, th)
    {
        const json_t *by = json_object_get(th, "by_audience"), *p;
        static const char *const head[] = {"Members of the public", "Allied health professionals",
                                           "Other staff", "Did not say"};
        const char *cells[4];
        size_t j;
        if (rc)
            break;
        snprintf(text, sizeof text, "%lld. %s",
                 (long long)json_integer_value(json_object_get(th, "rank")), str_at(th, "label"));
        rc = pdf_heading(d, 2, text);
        if (!rc) {
            const char *agree = str_at(th, "agree_percent");
            snprintf(text, sizeof text, "%s%s contributions.%s%s%s",
                     listen_count_rounded(str_at(th, "size")) ? "About " : "", str_at(th, "size"),
                     *agree ? " Of the votes on them, " : "", agree, *agree ? "% agreed." : "");
            rc = pdf_paragraph(d, text);
        }
        cells[0] = str_at(by, "citizen");
        cells[1] = str_at(by, "ahp");
        cells[2] = str_at(by, "staff");
        cells[3] = str_at(by, "not_said");
        if (!rc)
            rc = pdf_table(d, 4, head, 1, cells, NULL);
        json_array_foreach(json_object_get(th, "pinned"), j, p)
        {
            if (rc)
                break;
            rc = pdf_quote(d, str_at(p, "text"), "chosen by the facilitators");
        }
        if (!rc)
            rc = quotes(d, "What citizens said", json_object_get(th, "quotes_citizens"),
                        "No citizen contributions in this theme.");
        if (!rc)
            rc = quotes(d, "What professionals said", json_object_get(th, "quotes_professionals"),
                        "No contributions from professionals in this theme.");
    }
    return rc;
}

static int opinions(struct pdf_doc *d, const json_t *m)
{
    const json_t *op = json_object_get(m, "opinion"), *groups, *g, *s;
    char text[1200];
    size_t i, j;
    int rc;
    if (!op)
        return APP_OK;
    rc = pdf_heading(d, 1, "How people voted");
    groups = json_object_get(op, "groups");
    if (!rc) {
        snprintf(text, sizeof text,
                 json_is_true(json_object_get(op, "has_groups"))
                     ? "%s%s people voted on enough contributions to be placed. They fall into "
                       "these opinion groups: people in a group voted alike."
                     : "No distinct opinion groups were found among the %s%s people who voted "
                       "enough.",
                 listen_count_rounded(str_at(op, "participants"))
                     ? (json_is_true(json_object_get(op, "has_groups")) ? "About " : "about ")
                     : "",
                 str_at(op, "participants"));
        rc = pdf_paragraph(d, text);
    }
    if (json_is_true(json_object_get(op, "has_groups")))
        json_array_foreach(groups, i, g)
        {
            if (rc)
                break;
            snprintf(text, sizeof text, "Group %lld (%s people)",
                     (long long)json_integer_value(json_object_get(g, "number")),
                     str_at(g, "size"));
            rc = pdf_heading(d, 3, text);
            json_array_foreach(json_object_get(g, "statements"), j, s)
            {
                if (rc)
                    break;
                /* the group's share and everyone else's, as the page and the CSV give them */
                const json_t *rest = json_object_get(s, "percent_rest");
                char other[96];
                if (json_is_integer(rest))
                    snprintf(other, sizeof other, "%lld%% of everyone else who did",
                             (long long)json_integer_value(rest));
                else
                    snprintf(other, sizeof other, "everyone else not shown (%s)",
                             json_string_value(json_object_get(s, "percent_rest_reason"))
                                 ? str_at(s, "percent_rest_reason")
                                 : "not in this analysis");
                snprintf(text, sizeof text, "%lld%% of this group who voted on it %sd, %s: %s",
                         (long long)json_integer_value(json_object_get(s, "percent")),
                         str_at(s, "direction"), other, str_at(s, "text"));
                rc = pdf_paragraph(d, text);
            }
        }
    if (!rc)
        rc = pdf_heading(d, 2, "What most people agreed on");
    if (!rc && json_array_size(json_object_get(op, "consensus")) == 0)
        rc = pdf_paragraph(d, "No statement was agreed on across every group.");
    json_array_foreach(json_object_get(op, "consensus"), i, s)
    {
        if (rc)
            break;
        rc = pdf_quote(d, json_string_value(s) ? json_string_value(s) : "", NULL);
    }
    return rc;
}

int listen_report_pdf(const json_t *model, bool draft, const char *published, struct buf *out,
                      size_t *pages)
{
    const json_t *ex = json_object_get(model, "exercise");
    struct pdf_doc *d = NULL;
    char title[400], subtitle[200];
    int rc;
    snprintf(title, sizeof title, "What we heard: %s", str_at(ex, "title"));
    if (draft)
        snprintf(subtitle, sizeof subtitle, "Draft, not published: for facilitators only");
    else
        snprintf(subtitle, sizeof subtitle, "Published on %s",
                 published && *published ? published : "");
    rc = pdf_new(title, subtitle, &d);
    if (!rc)
        rc = headline(d, model);
    if (!rc)
        rc = themes(d, model);
    if (!rc)
        rc = opinions(d, model);
    if (!rc)
        rc = pdf_heading(d, 1, "About this report");
    if (!rc)
        rc = pdf_paragraph(d, "People took part anonymously. Personal details in what they "
                              "wrote (email addresses, phone numbers, NHS numbers, postcodes and "
                              "web addresses) were removed before anything was shown. Themes were "
                              "found by AHP Hub from the words contributions share, and opinion "
                              "groups from how people voted, by the method Pol.is publishes.");
    if (!rc)
        rc = pdf_finish(d, out, pages);
    pdf_free(d);
    return rc;
}
