/* score.h: how well a mentor suits a mentee, from their profiles, and who may not be paired
 *
 * Profiles come from the leads' spreadsheets (CSV with a header row; columns by name, in any
 * order, names compared without regard to case):
 *   mentees: id, name, profession, region, organisation, band, goals (areas separated by
 *            ";"), preference (another-profession | any | same; empty = any),
 *            outside_org (yes | no; empty = no)
 *   mentors: id, name, profession, region, organisation, band, offers (areas separated by
 *            ";"), capacity (empty = 1), min_band (optional), excludes (mentee ids
 *            separated by ";": a line manager, their own team)
 * Bands are Agenda for Change bands: 1 to 7, 8a to 8d, 9 ("Band 7" is read as 7).
 *
 * Score, in points (each weight a named constant below):
 *   SCORE_GOAL for each of the mentee's goals that the mentor offers (areas compared without
 *     regard to case or surrounding spaces). It is the main weight: one more goal met
 *     always outweighs every other factor together (10 > 4 + 3 + 2 + 0.5).
 *   SCORE_PROFESSION when the mentee asked for another profession and gets one, or asked
 *     for the same and gets it (no points for "any": nothing was asked).
 *   SCORE_ORGANISATION when the mentee asked for someone outside their organisation and the
 *     mentor is.
 *   SCORE_REGION when both are in the same region, so they can meet in person.
 *   SCORE_AVAILABILITY_MILLI (half a point, in thousandths) when both say how many hours a
 *     month they have and the mentor can give at least what the mentee hopes for. The CSV
 *     files have no hours, so it scores only for profiles saved on the site (Connect).
 * Preferences are soft: a mentor of the same profession may still be matched to a mentee
 * who asked for another one, when nothing better is possible; they only score less.
 *
 * Hard rules (the pair is left out, never matched), in the order they are tested:
 *   the same person (equal ids); the mentor excludes the mentee; band: a mentor takes
 *   mentees at their own band or below, and at min_band or above when it is given; no goal
 *   in common: a mentor who offers none of what the mentee is looking for is no mentor for
 *   them. Capacity is the matcher's rule (match.h).
 */
#ifndef AHP_SCORE_H
#define AHP_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;

#define SCORE_GOAL         10
#define SCORE_PROFESSION   4
#define SCORE_ORGANISATION 3
#define SCORE_REGION       2
#define SCORE_AVAILABILITY_MILLI 500 /* thousandths of a point: half a point */

enum score_pref { SCORE_PREF_ANY, SCORE_PREF_OTHER, SCORE_PREF_SAME };

/* One row of either file. Strings are NUL-terminated, trimmed, in the arena. */
struct score_person {
    const char *id, *name, *profession, *region, *organisation;
    int band;           /* score_band() rank, 1..12 */
    const char **areas; /* goals (mentee) or offers (mentor) */
    size_t nareas;
    enum score_pref pref;  /* mentee */
    bool outside_org;      /* mentee */
    uint32_t capacity;     /* mentor */
    int min_band;          /* mentor: 0 when not given */
    const char **excludes; /* mentor: mentee ids */
    size_t nexcludes;
    int hours;   /* hours a month: a mentee's hope, a mentor's offer; 0 when not given */
    size_t line; /* where the row starts in its file */
};

struct score_people {
    struct score_person *p; /* in file order, in the arena */
    size_t n;
};

/* Why a pair is or is not allowed. */
enum score_rule {
    SCORE_ALLOWED = 0,
    SCORE_SAME_PERSON,
    SCORE_EXCLUDED,
    SCORE_BAND,
    SCORE_NO_GOAL,
    SCORE_RULE_COUNT
};

/* Reads a mentee file (mentors false) or a mentor file (true) of len bytes at data into
 * *out, everything in arena a. file names the file in messages. Returns 0; APP_E_INVALID
 * with err set to "FILE:LINE: what is wrong" (a missing column, an empty or repeated id, a
 * band, preference, yes/no or capacity that cannot be read, malformed CSV); APP_E_NOMEM. */
int score_read_people(struct arena *a, bool mentors, const char *file, const char *data, size_t len,
                      struct score_people *out, char *err, size_t errlen);

/* The rank of an Agenda for Change band ("5" → 5, "8a" → 8, "8d" → 11, "9" → 12, "Band 7"
 * → 7), or 0 when s is not one. */
int score_band(const char *s);

/* Whether mentor may take mentee and, when allowed, the score in thousandths of a point
 * (match.h's MATCH_SCALE) into *score (may be NULL). */
enum score_rule score_pair(const struct score_person *mentee, const struct score_person *mentor,
                           int64_t *score);

/* The factors that scored, as a sentence: "2 goals met: digital, quality improvement;
 * another profession as asked; same region". Appended to out (check buf_oom() once). */
void score_why(const struct score_person *mentee, const struct score_person *mentor,
               struct buf *out);

/* A short phrase for a rule ("excluded by the mentor", …). Static; never NULL. */
const char *score_rule_text(enum score_rule rule);

#endif
