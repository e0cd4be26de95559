/* cv_bench.c: the non-medical CV of a 40-entry portfolio as PDF and as Word
 *
 * Issue 16: "the CV as PDF and .docx ≤ 200 ms each". A portfolio of 40 entries of every kind
 * (about a third roles, projects and training each with a paragraph or three of Markdown and
 * two or three skills), 36 of them chosen for the CV, is built in memory once; each run builds
 * the CV model from the entries and writes the document, as a download does after reading the
 * entries. Median of BENCH_RUNS runs. The anchor, in the same process, is the same CV written
 * as JSON Resume (model, JSON, text): walking the same data without typesetting or zipping,
 * so seconds / anchor is what the document format costs.
 * Output, one line each:
 *   {"bench":"cv_pdf","entries":40,"bytes":…,"seconds":…,"anchor_seconds":…,"ratio":…,
 *    "target_seconds":0.2}
 *   {"bench":"cv_docx",…}
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "develop/cv.h"
#include "timing.h"

#define ENTRIES    40
#define BENCH_RUNS 5

static const char *const kinds[] = {"role",    "project",  "training",   "achievement",
                                    "project", "feedback", "reflection", "project"};
static const char *const skills[] = {"leadership,stakeholder-engagement",
                                     "project-management,quality-improvement",
                                     "teaching,leadership",
                                     "digital,project-management",
                                     "research",
                                     "stakeholder-engagement,quality-improvement,leadership"};
static const char *const bodies[] = {
    "Led a small team through a change to how referrals are triaged. **Waits fell** from 18 "
    "to 11 weeks over six months.\n\n- Ran four PDSA cycles\n- Reported to the board monthly",
    "Agreed the aims of the work with three service managers and a parent representative, "
    "wrote the shared referral form and kept a log of decisions that the partnership board "
    "reviewed every quarter. Two of the three services now run the clinics without us.",
    "Six-month programme: leading with compassion, team dynamics, equality and inclusion.",
    "Supervised two band 5 therapists and a therapy assistant; planned their caseloads, "
    "observed sessions and gave feedback.\n\nSet up a weekly reflective practice group.",
};

enum what { PDF, DOCX, JSON };

/* One download's work; returns the bytes written. */
static size_t run(const struct develop_entry *e, size_t n, enum what w)
{
    static const struct develop_cv_profile profile = {
        "Speech and language therapist, children's community services",
        "A therapist with seven years' experience, leading improvement in a children's team.", 0};
    struct arena *a = arena_new();
    struct develop_cv cv;
    struct buf b = BUF_INIT;
    size_t len = 0;
    int rc = a ? develop_cv_build(a, "Sam Okafor", "sam@example.test", &profile, e, n, &cv) : 1;

    if (!rc && w == PDF)
        rc = develop_cv_pdf(&cv, 1740787200, &b);
    else if (!rc && w == DOCX)
        rc = develop_cv_docx(&cv, 1740787200, &b);
    else if (!rc) {
        json_t *r = develop_cv_json(&cv, 1740787200);
        char *s = r ? json_dumps(r, JSON_INDENT(2)) : NULL;
        rc = s ? 0 : 1;
        if (s)
            buf_puts(&b, s);
        free(s);
        json_decref(r);
    }
    if (rc) {
        fprintf(stderr, "cv_bench: the CV failed (%d)\n", rc);
        exit(1);
    }
    len = b.len;
    buf_free(&b);
    arena_free(a);
    return len;
}

static double timed(const struct develop_entry *e, size_t n, enum what w, size_t *bytes)
{
    double t[BENCH_RUNS];
    for (int i = 0; i < BENCH_RUNS; i++) {
        double t0 = now_s();
        *bytes = run(e, n, w);
        t[i] = now_s() - t0;
    }
    return median(t, BENCH_RUNS);
}

int main(void)
{
    static struct develop_entry e[ENTRIES];
    static char titles[ENTRIES][96];
    size_t bytes = 0, anchor_bytes = 0;
    double anchor, s;

    for (int i = 0; i < ENTRIES; i++) {
        snprintf(titles[i], sizeof titles[i], "Entry %d: improving how families reach the team",
                 i + 1);
        e[i].id = i + 1;
        e[i].user_id = 1;
        e[i].kind = kinds[i % 8];
        e[i].title = titles[i];
        e[i].context = "Riverside Community Health NHS Trust";
        e[i].started_on = 1500000000 + (int64_t)i * 2600000;
        e[i].ended_on = i % 3 ? e[i].started_on + 15000000 : 0;
        e[i].body = bodies[i % 4];
        e[i].skills = skills[i % 6];
        e[i].domains = "";
        e[i].on_cv = i % 10 != 9; /* 36 of 40 */
    }
    run(e, ENTRIES, PDF); /* fontconfig's first load is not what a download costs */
    anchor = timed(e, ENTRIES, JSON, &anchor_bytes);
    s = timed(e, ENTRIES, PDF, &bytes);
    printf("{\"bench\":\"cv_pdf\",\"entries\":%d,\"bytes\":%zu,\"seconds\":%.4f,"
           "\"anchor_seconds\":%.4f,\"ratio\":%.1f,\"target_seconds\":0.2}\n",
           ENTRIES, bytes, s, anchor, s / anchor);
    s = timed(e, ENTRIES, DOCX, &bytes);
    printf("{\"bench\":\"cv_docx\",\"entries\":%d,\"bytes\":%zu,\"seconds\":%.4f,"
           "\"anchor_seconds\":%.4f,\"ratio\":%.1f,\"target_seconds\":0.2}\n",
           ENTRIES, bytes, s, anchor, s / anchor);
    return 0;
}
