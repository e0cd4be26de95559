/* cv.h: the non-medical CV — a member's chosen portfolio entries grouped by non-clinical
 * skill, beside their clinical career, and its three downloads
 *
 * Seed 004: writing a "non-medical CV" makes visible what stakeholder engagement, project
 * management and leadership add beyond the clinical role. The CV is built from the entries
 * the member chose (portfolio.h, on_cv) and their profile (headline and summary):
 *   - the clinical career: chosen role entries, current ones first, then newest first;
 *   - one group per non-clinical skill, in develop_skills order, holding each other chosen
 *     entry under the first of its skills in that order, so nothing is printed twice; every
 *     other group whose skill the entry shows refers to it ("also"), so a skill shown only
 *     by entries placed elsewhere still has its heading on the CV;
 *   - chosen entries with no skill: training under "Training and qualifications", the rest
 *     under "Other experience".
 * Empty groups are left out. The model is built once and written by the page (cv_pages.c),
 * as a tagged PDF (cv_pdf.c), a Word document (cv_docx.c) and JSON Resume (cv_json.c), so
 * all four say the same.
 */
#ifndef AHP_DEVELOP_CV_H
#define AHP_DEVELOP_CV_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "develop/portfolio.h"

struct arena;
struct buf;

struct develop_cv_item {
    const struct develop_entry *entry;
    const char *kind_name;              /* "Project" */
    const char *dates;                  /* "March 2024 to present", "June 2023", "" */
    const char *skill_names;            /* "Leadership, Teaching"; "" when none */
    const char *text;                   /* the body as plain text (portfolio.h), for JSON */
    const struct develop_block *blocks; /* the body's paragraphs, headings and list items, for
                                         * the PDF and Word (portfolio.h); NULL when empty */
    size_t nblocks;
};

/* An entry shown in full under another group that also shows this group's skill. */
struct develop_cv_ref {
    const struct develop_cv_item *item;
    const char *group; /* the name of the group it is under */
};

struct develop_cv_group {
    const char *code; /* a skill code, or "training", "other" */
    const char *name; /* "Stakeholder engagement" */
    struct develop_cv_item *items;
    size_t n;
    struct develop_cv_ref *also; /* entries with this skill placed under another */
    size_t nalso;
};

#define DEVELOP_CV_GROUPS 9 /* the seven skills, training, other */

struct develop_cv {
    const char *name, *email;
    const char *headline, *summary; /* the profile; "" when not written */
    struct develop_cv_item *career; /* chosen roles, current first, then newest first */
    size_t ncareer;
    struct develop_cv_group groups[DEVELOP_CV_GROUPS]; /* in order; n and nalso 0 when empty */
    size_t nchosen;                                    /* entries on the CV in all */
};

/* Builds the CV of name and email (the member's account) from their profile and entries (all
 * of them, in the order listed; those with on_cv are used). Everything lives in the arena,
 * the entries are referred to, not copied. Returns 0 or APP_E_NOMEM. */
int develop_cv_build(struct arena *a, const char *name, const char *email,
                     const struct develop_cv_profile *profile, const struct develop_entry *entries,
                     size_t n, struct develop_cv *out);

/* A day as a CV writes dates: "March 2024"; "" for 0. In the arena. */
const char *develop_cv_month(struct arena *a, int64_t day);

/* The CV as a tagged A4 PDF (export/pdf.h, compact: the name heads page 1), appended to out,
 * dated date (unix time) for reproducible bytes. Returns 0, APP_E_NOMEM, or APP_E_INTERNAL
 * (the PDF could not be written). */
int develop_cv_pdf(const struct develop_cv *cv, int64_t date, struct buf *out);

/* The CV as a Word document (Office Open XML, built with libzip) appended to out: the name as
 * Title, sections as Heading 1 and entries as Heading 2 in a styles part Word and pandoc
 * recognise, the headings inside an entry's text as Heading 3 (#) and Heading 4 (## and
 * deeper), its lists as Word lists (a numbering part: bullets, or numbers from the list's own
 * start), the career as a table with a header row, language en-GB. Returns 0, APP_E_NOMEM
 * or APP_E_INTERNAL (libzip failed). */
int develop_cv_docx(const struct develop_cv *cv, int64_t date, struct buf *out);

/* The CV as JSON Resume (https://jsonresume.org/schema, version 1.0.0): basics, work (the
 * career), projects (projects and reflections), awards (achievements), certificates
 * (training), references (feedback received), skills (one per group, its entries' titles as
 * keywords) and meta. A new reference; NULL when out of memory. */
json_t *develop_cv_json(const struct develop_cv *cv, int64_t date);

#endif
