/* report_pdf.h: "What we heard" as a typeset PDF (cairo and pango, through src/export/pdf.h) */
#ifndef AHP_LISTEN_REPORT_PDF_H
#define AHP_LISTEN_REPORT_PDF_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct buf;

/* Writes the report model (report.h) as a PDF into out: a title page (marked as a draft when
 * draft, or with the publication date), contents, who took part, each theme with its chart,
 * audiences and quotes, the opinion groups and the consensus; *pages (may be NULL) receives
 * the number of pages. Returns 0, APP_E_NOMEM or
 * APP_E_INVALID (text the typesetter refuses). */
int listen_report_pdf(const json_t *model, bool draft, const char *published, struct buf *out,
                      size_t *pages);

#endif
