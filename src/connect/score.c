/* score.c: mentoring profiles read from CSV, the hard rules between a mentee and a mentor,
 * and the score with the sentence that explains it (the weights are in score.h)
 *
 * The reader is strict, as the project's CSV reader is: a value that cannot be read is an
 * error naming the file and line, never a default, because a silently dropped band or
 * exclusion would make a pairing that the lead ruled out.
 */
#include "connect/score.h"
#include "connect/match.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "export/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *score_rule_text(enum score_rule rule)
{
    switch (rule) {
    case SCORE_ALLOWED:
        return "allowed";
    case SCORE_SAME_PERSON:
        return "the same person";
    case SCORE_EXCLUDED:
        return "excluded by the mentor";
    case SCORE_BAND:
        return "outside the mentor's bands";
    case SCORE_NO_GOAL:
        return "offers none of the goals";
    case SCORE_RULE_COUNT:
        break;
    }
    return "unknown";
}

int score_band(const char *s)
{
    char c;
    if (!s)
        return 0;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!strncasecmp(s, "band", 4)) {
        s += 4;
        while (*s == ' ' || *s == '\t')
            s++;
    }
    if (*s < '1' || *s > '9')
        return 0;
    c = s[1] >= 'A' && s[1] <= 'Z' ? (char)(s[1] + 32) : s[1];
    if (*s == '8' && c >= 'a' && c <= 'd' && !s[2])
        return 8 + (c - 'a');
    if (s[1] || *s == '8')
        return 0; /* "8" alone is ambiguous: 8a to 8d are different bands */
    return *s == '9' ? 12 : *s - '0';
}

/* A trimmed copy of a field in the arena. */
static char *field(struct arena *a, const struct csv_record *rec, int col)
{
    struct str v = str_trim(csv_get(rec, col));
    return arena_strndup(a, v.p ? v.p : "", v.len);
}

/* Splits "a; b;;c" into trimmed, non-empty parts in the arena. */
static int split_list(struct arena *a, const char *s, const char ***out, size_t *n)
{
    size_t cap = 0;
    const char **v = NULL;
    *n = 0;
    while (*s) {
        const char *end = strchr(s, ';');
        struct str part = str_trim((struct str){s, end ? (size_t)(end - s) : strlen(s)});
        if (part.len) {
            if (!(v = arena_grow(a, v, *n + 1, &cap, sizeof *v)) ||
                !(v[*n] = arena_strndup(a, part.p, part.len)))
                return APP_E_NOMEM;
            (*n)++;
        }
        if (!end)
            break;
        s = end + 1;
    }
    *out = v;
    return APP_OK;
}

static int by_id(const void *x, const void *y)
{
    const struct score_person *const *a = x, *const *b = y;
    return strcmp((*a)->id, (*b)->id);
}

int score_read_people(struct arena *a, bool mentors, const char *file, const char *data, size_t len,
                      struct score_people *out, char *err, size_t errlen)
{
    enum {
        C_ID,
        C_NAME,
        C_PROF,
        C_REGION,
        C_ORG,
        C_BAND,
        C_AREAS,
        C_PREF,
        C_OUT,
        C_CAP,
        C_MIN,
        C_EXCL,
        C_COUNT
    };
    static const char *const names[2][C_COUNT] = {
        {"id", "name", "profession", "region", "organisation", "band", "goals", "preference",
         "outside_org", NULL, NULL, NULL},
        {"id", "name", "profession", "region", "organisation", "band", "offers", NULL, NULL,
         "capacity", "min_band", "excludes"},
    };
    /* columns that may be absent from the header (then every value is empty) */
    static const bool optional[C_COUNT] = {
        [C_PREF] = true, [C_OUT] = true, [C_CAP] = true, [C_MIN] = true, [C_EXCL] = true};
    struct csv_reader rd;
    struct csv_record rec;
    struct score_person **sorted = NULL;
    int col[C_COUNT], rc;
    size_t cap = 0;
    bool got, header = true;
    char cerr[200] = "";
    const int w = mentors ? 1 : 0;

    memset(out, 0, sizeof *out);
    err[0] = '\0';
    csv_open(&rd, data, len);
    for (;;) {
        struct score_person *p;
        char *v;
        rc = csv_next(&rd, &rec, &got, cerr, sizeof cerr);
        if (rc == APP_E_INVALID) {
            snprintf(err, errlen, "%s:%s", file, cerr + (strncmp(cerr, "line ", 5) ? 0 : 5));
            goto done;
        }
        if (rc || !got)
            break;
        if (header) {
            for (int c = 0; c < C_COUNT; c++) {
                col[c] = names[w][c] ? csv_column_loose(&rec, names[w][c]) : -1;
                if (names[w][c] && col[c] < 0 && !optional[c]) {
                    snprintf(err, errlen, "%s:%zu: the header has no column \"%s\"", file, rec.line,
                             names[w][c]);
                    rc = APP_E_INVALID;
                    goto done;
                }
            }
            header = false;
            continue;
        }
        rc = APP_E_NOMEM;
        if (!(out->p = arena_grow(a, out->p, out->n + 1, &cap, sizeof *out->p)))
            goto done;
        p = &out->p[out->n];
        memset(p, 0, sizeof *p);
        p->line = rec.line;
        if (!(p->id = field(a, &rec, col[C_ID])) || !(p->name = field(a, &rec, col[C_NAME])) ||
            !(p->profession = field(a, &rec, col[C_PROF])) ||
            !(p->region = field(a, &rec, col[C_REGION])) ||
            !(p->organisation = field(a, &rec, col[C_ORG])) ||
            !(v = field(a, &rec, col[C_AREAS])) || split_list(a, v, &p->areas, &p->nareas))
            goto done;
        rc = APP_E_INVALID;
        if (!*p->id) {
            snprintf(err, errlen, "%s:%zu: the id is empty", file, rec.line);
            goto done;
        }
        v = field(a, &rec, col[C_BAND]);
        if (!v || !(p->band = score_band(v))) {
            snprintf(err, errlen, "%s:%zu: band \"%s\" is not a band (1 to 7, 8a to 8d, 9)", file,
                     rec.line, v ? v : "");
            goto done;
        }
        if (!mentors) {
            v = field(a, &rec, col[C_PREF]);
            if (v && (!*v || !strcasecmp(v, "any")))
                p->pref = SCORE_PREF_ANY;
            else if (v && !strcasecmp(v, "another-profession"))
                p->pref = SCORE_PREF_OTHER;
            else if (v && !strcasecmp(v, "same"))
                p->pref = SCORE_PREF_SAME;
            else {
                snprintf(err, errlen,
                         "%s:%zu: preference \"%s\" is not another-profession, any or same", file,
                         rec.line, v ? v : "");
                goto done;
            }
            v = field(a, &rec, col[C_OUT]);
            if (v && (!*v || !strcasecmp(v, "no")))
                p->outside_org = false;
            else if (v && !strcasecmp(v, "yes"))
                p->outside_org = true;
            else {
                snprintf(err, errlen, "%s:%zu: outside_org \"%s\" is not yes or no", file, rec.line,
                         v ? v : "");
                goto done;
            }
        } else {
            int64_t c = 1;
            v = field(a, &rec, col[C_CAP]);
            if (!v || (*v && (!parse_int64(str_from(v), &c) || c < 0 || c > MATCH_CAPACITY_MAX))) {
                snprintf(err, errlen, "%s:%zu: capacity \"%s\" is not a whole number from 0 to %d",
                         file, rec.line, v ? v : "", MATCH_CAPACITY_MAX);
                goto done;
            }
            p->capacity = (uint32_t)c;
            v = field(a, &rec, col[C_MIN]);
            if (!v || (*v && !(p->min_band = score_band(v)))) {
                snprintf(err, errlen, "%s:%zu: min_band \"%s\" is not a band (1 to 7, 8a to 8d, 9)",
                         file, rec.line, v ? v : "");
                goto done;
            }
            rc = APP_E_NOMEM;
            if (!(v = field(a, &rec, col[C_EXCL])) || split_list(a, v, &p->excludes, &p->nexcludes))
                goto done;
        }
        out->n++;
    }
    if (rc)
        goto done;
    rc = APP_E_INVALID;
    if (header) {
        snprintf(err, errlen, "%s:1: the file is empty (a header row is needed)", file);
        goto done;
    }
    /* ids are unique within a file: the output and the exclusions name people by id */
    rc = APP_E_NOMEM;
    if (out->n && !(sorted = malloc(out->n * sizeof *sorted)))
        goto done;
    for (size_t i = 0; i < out->n; i++)
        sorted[i] = &out->p[i];
    if (out->n)
        qsort(sorted, out->n, sizeof *sorted, by_id);
    rc = APP_OK;
    for (size_t i = 1; i < out->n; i++)
        if (!strcmp(sorted[i - 1]->id, sorted[i]->id)) {
            const struct score_person *x = sorted[i - 1], *y = sorted[i];
            if (x->line > y->line) {
                x = sorted[i];
                y = sorted[i - 1];
            }
            snprintf(err, errlen, "%s:%zu: id \"%s\" is already used on line %zu", file, y->line,
                     y->id, x->line);
            rc = APP_E_INVALID;
            break;
        }
done:
    free(sorted);
    csv_close(&rd);
    if (rc == APP_E_NOMEM && !err[0])
        snprintf(err, errlen, "%s: out of memory", file);
    return rc;
}

static bool has_area(const struct score_person *mentor, const char *area)
{
    for (size_t k = 0; k < mentor->nareas; k++)
        if (!strcasecmp(mentor->areas[k], area))
            return true;
    return false;
}

/* Which soft factors hold for the pair. */
struct factors {
    size_t goals;
    bool profession, organisation, region, availability;
};

/* Whether goal k was already written earlier in the list (in any case): it counts once. */
static bool repeats_earlier(const struct score_person *e, size_t k)
{
    for (size_t j = 0; j < k; j++)
        if (!strcasecmp(e->areas[j], e->areas[k]))
            return true;
    return false;
}

static void factors(const struct score_person *e, const struct score_person *o, struct factors *f)
{
    bool same_prof = !strcasecmp(e->profession, o->profession);
    f->goals = 0;
    for (size_t k = 0; k < e->nareas; k++)
        f->goals += !repeats_earlier(e, k) && has_area(o, e->areas[k]);
    f->profession =
        (e->pref == SCORE_PREF_OTHER && !same_prof) || (e->pref == SCORE_PREF_SAME && same_prof);
    /* an unknown organisation is not "another one" either */
    f->organisation =
        e->outside_org && *e->organisation && strcasecmp(e->organisation, o->organisation) != 0;
    /* an unknown region is not "the same" as another unknown one */
    f->region = *e->region && !strcasecmp(e->region, o->region);
    f->availability = e->hours > 0 && o->hours >= e->hours;
}

enum score_rule score_pair(const struct score_person *mentee, const struct score_person *mentor,
                           int64_t *score)
{
    struct factors f;
    if (!strcmp(mentee->id, mentor->id))
        return SCORE_SAME_PERSON;
    for (size_t k = 0; k < mentor->nexcludes; k++)
        if (!strcmp(mentor->excludes[k], mentee->id))
            return SCORE_EXCLUDED;
    if (mentee->band > mentor->band || (mentor->min_band && mentee->band < mentor->min_band))
        return SCORE_BAND;
    factors(mentee, mentor, &f);
    if (!f.goals)
        return SCORE_NO_GOAL;
    if (score)
        *score = ((int64_t)f.goals * SCORE_GOAL + (f.profession ? SCORE_PROFESSION : 0) +
                  (f.organisation ? SCORE_ORGANISATION : 0) + (f.region ? SCORE_REGION : 0)) *
                     MATCH_SCALE +
                 (f.availability ? SCORE_AVAILABILITY_MILLI : 0);
    return SCORE_ALLOWED;
}

void score_why(const struct score_person *mentee, const struct score_person *mentor,
               struct buf *out)
{
    struct factors f;
    const char *sep = "";
    factors(mentee, mentor, &f);
    if (f.goals) {
        buf_printf(out, "%zu goal%s met: ", f.goals, f.goals == 1 ? "" : "s");
        for (size_t k = 0; k < mentee->nareas; k++)
            if (!repeats_earlier(mentee, k) && has_area(mentor, mentee->areas[k])) {
                buf_printf(out, "%s%s", sep, mentee->areas[k]);
                sep = ", ";
            }
        sep = "; ";
    }
    if (f.profession) {
        buf_printf(out, "%s%s profession as asked", sep,
                   mentee->pref == SCORE_PREF_OTHER ? "another" : "the same");
        sep = "; ";
    }
    if (f.organisation) {
        buf_printf(out, "%soutside own organisation as asked", sep);
        sep = "; ";
    }
    if (f.region) {
        buf_printf(out, "%ssame region", sep);
        sep = "; ";
    }
    if (f.availability)
        buf_printf(out, "%senough hours a month", sep);
}
